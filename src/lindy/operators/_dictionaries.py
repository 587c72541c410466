"""Dictionaries (feature maps) for EDMD as composable scikit-learn transformers.

A dictionary maps a time-ordered array ``x (T, d)`` to features
``Psi (T - window + 1, p)``: row ``k`` of the output belongs to sample
``k + window - 1`` of the input. Pointwise dictionaries have ``window == 1``;
:class:`Delay` uses a window of past samples. ``a + b`` concatenates
dictionaries (aligned on their common rows).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone

from .._validation import check_array, check_positive_int
from ..errors import NotFittedError, ShapeError, ValidationError

__all__ = ["Dictionary", "Polynomial", "RBF", "RandomFourier", "Delay", "Function",
           "Concat", "as_dictionary"]


def _as_list(X) -> list[np.ndarray]:
    if isinstance(X, (list, tuple)):
        return [check_array(x, "X", ndim=(1, 2)).reshape(len(x), -1) for x in X]
    x = check_array(X, "X", ndim=(1, 2))
    return [x.reshape(x.shape[0], -1)]


def _median_length_scale(Z: np.ndarray, rng: np.random.Generator, n_max: int = 500) -> float:
    if Z.shape[0] > n_max:
        Z = Z[rng.choice(Z.shape[0], n_max, replace=False)]
    sq = (Z**2).sum(axis=1)
    D2 = np.clip(sq[:, None] + sq[None, :] - 2 * Z @ Z.T, 0.0, None)
    med = np.median(np.sqrt(D2[np.triu_indices_from(D2, 1)])) if Z.shape[0] > 1 else 1.0
    return float(med) if med > 0 else 1.0


class Dictionary(TransformerMixin, BaseEstimator):
    """Base class: ``fit(X)`` learns data-dependent parts, ``transform(x)`` lifts.

    Subclasses implement ``_fit(list of (T, d) arrays)`` and ``_transform(x)``
    and may override :attr:`window`.
    """

    @property
    def window(self) -> int:
        """Number of consecutive samples one output row depends on."""
        return 1

    def fit(self, X, y=None):
        """Learn data-dependent parts (centers, scales) from ``X``.

        Parameters
        ----------
        X : array_like (T, d) or list of them

        Returns
        -------
        self
        """
        xs = _as_list(X)
        dims = {x.shape[1] for x in xs}
        if len(dims) != 1:
            raise ShapeError(f"All arrays must have the same number of columns; got {sorted(dims)}.")
        self.n_features_in_ = dims.pop()
        self._fit(xs)
        self.n_output_features_ = int(self._transform(xs[0][: self.window]).shape[1])
        return self

    def _fit(self, xs) -> None:
        pass

    def transform(self, X) -> np.ndarray:
        """Lift a time-ordered array.

        Parameters
        ----------
        X : array_like, shape (T, d)

        Returns
        -------
        ndarray, shape (T - window + 1, p)
        """
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(f"This {type(self).__name__} is not fitted yet; call fit(X) first.")
        x = np.asarray(X, dtype=float)
        if x.ndim == 1:
            x = x.reshape(-1, self.n_features_in_)
        if x.ndim != 2 or x.shape[1] != self.n_features_in_:
            raise ShapeError(
                f"X must have shape (T, {self.n_features_in_}); got {x.shape}.")
        if x.shape[0] < self.window:
            return np.zeros((0, self.n_output_features_))
        return self._transform(x)

    def _transform(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_feature_names_out(self, input_features=None):
        """Names of the output features."""
        return np.array([f"{type(self).__name__.lower()}{i}" for i in range(self.n_output_features_)],
                        dtype=object)

    def __add__(self, other):
        if not isinstance(other, Dictionary):
            return NotImplemented
        left = list(self.dictionaries) if isinstance(self, Concat) else [self]
        right = list(other.dictionaries) if isinstance(other, Concat) else [other]
        return Concat(left + right)


class Polynomial(Dictionary):
    """All monomials of the state up to total degree ``degree``.

    There are ``C(d + degree, degree)`` features (with the constant), ordered by
    degree, then lexicographically.

    Parameters
    ----------
    degree : int, default 2
    include_bias : bool, default True
        Include the constant monomial 1.

    Examples
    --------
    >>> import numpy as np
    >>> Polynomial(2).fit(np.zeros((1, 2))).transform(np.array([[2.0, 3.0]]))
    array([[1., 2., 3., 4., 6., 9.]])
    >>> Polynomial(10).fit(np.zeros((1, 3))).n_output_features_
    286
    """

    def __init__(self, degree=2, include_bias=True):
        self.degree = degree
        self.include_bias = include_bias

    def _fit(self, xs) -> None:
        deg = check_positive_int(self.degree, "degree")
        d = self.n_features_in_
        self.powers_ = []
        # monomials of degree k as index tuples i1 <= ... <= ik; each one is a parent
        # of degree k - 1 times x[:, last index]
        prev = [()]
        self._steps = []
        for _ in range(deg):
            pos = {m: i for i, m in enumerate(prev)}
            cur, parents, vars_ = [], [], []
            for m in prev:
                start = m[-1] if m else 0
                for j in range(start, d):
                    cur.append(m + (j,))
                    parents.append(pos[m])
                    vars_.append(j)
            self._steps.append((np.array(parents), np.array(vars_)))
            self.powers_.extend(cur)
            prev = cur

    def _transform(self, x):
        # build feature-major (p, T) so that every gather copies contiguous rows
        T, xt = x.shape[0], np.ascontiguousarray(x.T)
        bias = 1 if self.include_bias else 0
        out = np.empty((bias + len(self.powers_), T))
        if bias:
            out[0] = 1.0
        start, prev = bias, None
        for parents, vars_ in self._steps:
            stop = start + parents.shape[0]
            if prev is None:
                out[start:stop] = xt[vars_]
            else:
                np.multiply(out[prev[0]:prev[1]][parents], xt[vars_], out=out[start:stop])
            prev, start = (start, stop), stop
        return out.T

    def derivatives(self, X):
        """Features with their gradients and Hessians (analytic), for generator EDMD.

        Parameters
        ----------
        X : array_like, shape (T, d)

        Returns
        -------
        F : ndarray, shape (T, p)
        dF : ndarray, shape (T, p, d)
            ``dF[k, a, i] = d psi_a / d x_i`` at ``X[k]``.
        d2F : ndarray, shape (T, p, d, d)

        Examples
        --------
        >>> P = Polynomial(2).fit(np.zeros((1, 1)))
        >>> F, dF, d2F = P.derivatives(np.array([[3.0]]))
        >>> F[0], dF[0, :, 0], d2F[0, :, 0, 0]
        (array([1., 3., 9.]), array([0., 1., 6.]), array([0., 0., 2.]))
        """
        x = np.asarray(X, dtype=float).reshape(-1, self.n_features_in_)
        d = self.n_features_in_
        full = Polynomial(self.degree, include_bias=True).fit(x[:1])
        Ff = full.transform(x)  # column 0 is the constant
        exps = [tuple(np.bincount(m, minlength=d)) for m in full.powers_]
        col = {e: j + 1 for j, e in enumerate(exps)}
        col[(0,) * d] = 0
        T, p = x.shape[0], len(exps)
        dF = np.zeros((T, p + 1, d))
        d2F = np.zeros((T, p + 1, d, d))
        for a, e in enumerate(exps, start=1):
            for i in range(d):
                if e[i] == 0:
                    continue
                ei = list(e)
                ei[i] -= 1
                dF[:, a, i] = e[i] * Ff[:, col[tuple(ei)]]
                for j in range(d):
                    if ei[j] == 0:
                        continue
                    eij = list(ei)
                    eij[j] -= 1
                    d2F[:, a, i, j] = e[i] * ei[j] * Ff[:, col[tuple(eij)]]
        start = 0 if self.include_bias else 1
        return Ff[:, start:], dF[:, start:], d2F[:, start:]

    def get_feature_names_out(self, input_features=None):
        """Monomial names such as ``x0^2 x1``."""
        names = input_features or [f"x{i}" for i in range(self.n_features_in_)]
        out = ["1"] if self.include_bias else []
        for m in self.powers_:
            out.append(" ".join(f"{names[j]}^{c}" if c > 1 else names[j]
                                for j, c in sorted({j: m.count(j) for j in m}.items())))
        return np.array(out, dtype=object)


class RBF(Dictionary):
    """Gaussian radial basis functions centred on training samples.

    ``psi_j(x) = exp(-|x - c_j|^2 / (2 l^2))`` with ``n_centers`` centres drawn
    from the training samples.

    Parameters
    ----------
    n_centers : int, default 100
    length_scale : float, optional
        Default: the median distance between centres.
    random_state : int, default 0

    Examples
    --------
    >>> import numpy as np
    >>> d = RBF(n_centers=5).fit(np.random.default_rng(0).standard_normal((50, 2)))
    >>> d.transform(np.zeros((3, 2))).shape
    (3, 5)
    """

    def __init__(self, n_centers=100, length_scale=None, random_state=0):
        self.n_centers = n_centers
        self.length_scale = length_scale
        self.random_state = random_state

    def _fit(self, xs) -> None:
        m = check_positive_int(self.n_centers, "n_centers")
        Z = np.concatenate(xs)
        rng = np.random.default_rng(self.random_state)
        idx = rng.choice(Z.shape[0], size=min(m, Z.shape[0]), replace=False)
        self.centers_ = Z[np.sort(idx)]
        self.length_scale_ = float(self.length_scale) if self.length_scale is not None \
            else _median_length_scale(self.centers_, rng)
        if not self.length_scale_ > 0:
            raise ValidationError(f"length_scale must be positive; got {self.length_scale!r}.")

    def _transform(self, x):
        c = self.centers_
        D2 = (x**2).sum(1)[:, None] + (c**2).sum(1)[None, :] - 2 * x @ c.T
        return np.exp(-np.clip(D2, 0.0, None) / (2 * self.length_scale_**2))


class RandomFourier(Dictionary):
    """Random Fourier features of a Gaussian kernel (Rahimi and Recht 2007).

    ``psi(x) = sqrt(2 / D) cos(x W + b)`` with ``W ~ N(0, 1 / l^2)``, ``b ~ U(0, 2 pi)``.

    Parameters
    ----------
    n_features : int, default 200
    length_scale : float, optional
        Default: the median pairwise distance of (a subsample of) the data.
    random_state : int, default 0

    Examples
    --------
    >>> import numpy as np
    >>> d = RandomFourier(n_features=8).fit(np.random.default_rng(0).standard_normal((40, 3)))
    >>> d.transform(np.zeros((2, 3))).shape
    (2, 8)
    """

    def __init__(self, n_features=200, length_scale=None, random_state=0):
        self.n_features = n_features
        self.length_scale = length_scale
        self.random_state = random_state

    def _fit(self, xs) -> None:
        D = check_positive_int(self.n_features, "n_features")
        rng = np.random.default_rng(self.random_state)
        Z = np.concatenate(xs)
        ell = float(self.length_scale) if self.length_scale is not None else _median_length_scale(Z, rng)
        if not ell > 0:
            raise ValidationError(f"length_scale must be positive; got {self.length_scale!r}.")
        self.length_scale_ = ell
        self.weights_ = rng.standard_normal((self.n_features_in_, D)) / ell
        self.offsets_ = rng.uniform(0.0, 2 * np.pi, D)

    def _transform(self, x):
        return np.sqrt(2.0 / self.weights_.shape[1]) * np.cos(x @ self.weights_ + self.offsets_)


class Delay(Dictionary):
    """Delay coordinates: ``[x_{k-(n-1)s}, ..., x_{k-s}, x_k]`` (oldest first).

    Parameters
    ----------
    n_delays : int, default 2
        Samples per window.
    stride : int, default 1

    Examples
    --------
    >>> import numpy as np
    >>> Delay(2).fit(np.zeros((3, 1))).transform(np.arange(3.0)[:, None])
    array([[0., 1.],
           [1., 2.]])
    """

    def __init__(self, n_delays=2, stride=1):
        self.n_delays = n_delays
        self.stride = stride

    @property
    def window(self) -> int:
        """``(n_delays - 1) * stride + 1``."""
        n = check_positive_int(self.n_delays, "n_delays")
        return (n - 1) * check_positive_int(self.stride, "stride") + 1

    def _transform(self, x):
        n, s = int(self.n_delays), int(self.stride)
        T = x.shape[0] - self.window + 1
        return np.concatenate([x[j * s: j * s + T] for j in range(n)], axis=1)


class Function(Dictionary):
    """A user callable ``func(X (n, d)) -> (n,) or (n, q)`` as a dictionary.

    Parameters
    ----------
    func : callable
    name : str, optional

    Examples
    --------
    >>> import numpy as np
    >>> f = Function(np.sin).fit(np.zeros((1, 2)))
    >>> f.transform(np.zeros((4, 2))).shape
    (4, 2)
    """

    def __init__(self, func=None, name=None):
        self.func = func
        self.name = name

    def _fit(self, xs) -> None:
        if not callable(self.func):
            raise ValidationError(f"Function needs a callable func(X) -> (n, q); got {self.func!r}.")

    def _transform(self, x):
        out = np.asarray(self.func(x), dtype=float)
        if out.ndim == 1:
            out = out[:, None]
        if out.ndim != 2 or out.shape[0] != x.shape[0]:
            raise ShapeError(
                f"The dictionary function must return ({x.shape[0]},) or ({x.shape[0]}, q); "
                f"got {out.shape}.")
        if not np.isfinite(out).all():
            raise ValidationError("The dictionary function returned NaN or infinite values.")
        return out


class Concat(Dictionary):
    """Concatenation of dictionaries, aligned on the rows they all produce.

    Parameters
    ----------
    dictionaries : list of Dictionary

    Examples
    --------
    >>> import numpy as np
    >>> d = (Polynomial(1) + Delay(2)).fit(np.zeros((3, 1)))
    >>> d.transform(np.arange(3.0)[:, None])
    array([[1., 1., 0., 1.],
           [1., 2., 1., 2.]])
    """

    def __init__(self, dictionaries=()):
        self.dictionaries = dictionaries

    @property
    def window(self) -> int:
        """The largest window of the parts."""
        return max((d.window for d in self.dictionaries), default=1)

    def _fit(self, xs) -> None:
        if not self.dictionaries:
            raise ValidationError("Concat needs at least one dictionary.")
        self.dictionaries_ = [as_dictionary(d).fit(xs) for d in self.dictionaries]

    def _transform(self, x):
        T = x.shape[0] - self.window + 1
        return np.hstack([d.transform(x)[-T:] for d in self.dictionaries_])


def as_dictionary(obj) -> Dictionary:
    """A fresh (unfitted) copy of a dictionary; wraps callables in :class:`Function`.

    Examples
    --------
    >>> as_dictionary(None)
    Polynomial()
    """
    if obj is None:
        return Polynomial()
    if isinstance(obj, Dictionary):
        return clone(obj)
    if callable(obj):
        return Function(obj)
    raise ValidationError(
        "dictionary must be a lindy.operators dictionary (Polynomial, RBF, RandomFourier, "
        f"Delay, Function, a sum of them) or a callable; got {obj!r}.")

