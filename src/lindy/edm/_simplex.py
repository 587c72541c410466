"""Simplex projection and S-map (Sugihara and May 1990; Sugihara 1994)."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist

from .._constraints import Interval
from ..base import DelayWindow, Estimator
from ._embedding import embed, library, neighbours, tree

__all__ = ["Simplex", "SMap"]

_DELAYS = {"n_delays": [Interval(int, 1, None)], "stride": [Interval(int, 1, None)]}


class _DelayLibrary(DelayWindow, Estimator):
    """The fitted library of the delay-embedding estimators."""

    def _fit(self, data) -> None:
        self.library_, self.successors_ = library(data, self.n_delays, self.stride)
        self.__dict__.pop("_cache_tree", None)

    @property
    def _tree(self):
        """Exact k-d tree of the library, built on first use (not saved with the model)."""
        if "_cache_tree" not in self.__dict__:
            self._cache_tree = tree(self.library_)
        return self._cache_tree

    def _predict_next(self, x, u):
        V = embed(x, self.n_delays, self.stride)
        out = np.full(x.shape, np.nan)
        span = self._span()
        if x.shape[0] > span and np.isfinite(V[span:]).all():  # the usual case: no gaps
            out[span:] = self._project(V[span:])
            return out
        ok = np.all(np.isfinite(V), axis=1)
        if ok.any():
            out[ok] = self._project(V[ok])
        return out

    def _forecast(self, context, horizon, u_future):
        span, d = self._span(), context.dim
        hist = np.empty((span + 1 + horizon, d))
        hist[: span + 1] = context.x[-(span + 1):]
        for k in range(horizon):
            window = hist[k: k + span + 1: self.stride].reshape(1, -1)
            hist[span + 1 + k] = self._project(window)[0]
        return self._forecast_result(context, hist[span + 1:])


class Simplex(_DelayLibrary):
    """Simplex projection: the weighted mean successor of the nearest delay vectors.

    Each state is embedded as ``[x_{k-(E-1)s}, ..., x_k]`` (``E = n_delays``,
    ``s = stride``); the next value is predicted from the ``n_neighbors``
    nearest library vectors with weights ``exp(-d_i / d_min)`` (Sugihara and
    May 1990, as pyEDM computes them: ``d_min`` floored at 1e-6). The library
    holds every complete window of the training trajectories whose successor is
    in the same trajectory. ``forecast`` iterates the projection (closed loop).
    Neighbours are exact (a compiled k-d tree); a tie at the last neighbour's
    distance goes to the library vector latest in time, which is pyEDM's rule
    when the predictions follow the library.

    Parameters
    ----------
    n_delays : int, default 3
        Embedding dimension ``E`` (delays per coordinate).
    stride : int, default 1
        Spacing ``tau`` between delays, in samples.
    n_neighbors : int, optional
        Neighbours used; default ``E d + 1`` (the simplex around a point of an
        ``E d``-dimensional embedding).

    Attributes
    ----------
    library_ : ndarray, shape (n, E d)
        Library delay vectors (oldest sample first).
    successors_ : ndarray, shape (n, d)
        The sample following each library vector.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.sin(0.1 * np.arange(400))
    >>> model = ld.edm.Simplex(n_delays=2).fit(x[:300])
    >>> fc = model.forecast(x[:330], horizon=20)
    >>> bool(np.abs(fc.x[:, 0] - x[330:350]).max() < 0.05)
    True
    """

    _parameter_constraints = {**_DELAYS, "n_neighbors": [None, Interval(int, 1, None)]}

    def __init__(self, n_delays=3, stride=1, n_neighbors=None):
        self.n_delays = n_delays
        self.stride = stride
        self.n_neighbors = n_neighbors

    def _k(self) -> int:
        k = self.n_neighbors if self.n_neighbors is not None else self.library_.shape[1] + 1
        return min(k, self.library_.shape[0])

    def _project(self, V: np.ndarray) -> np.ndarray:
        from ._compiled import simplex

        return simplex(*self._tree, np.ascontiguousarray(V, dtype=float), self._k(),
                       np.ascontiguousarray(self.successors_, dtype=float))

    def _predict_next(self, x, u):
        from ._compiled import simplex_series  # the delay vectors embedded in the loop

        return simplex_series(*self._tree, np.ascontiguousarray(x, dtype=float), self.n_delays,
                              self.stride, self._k(),
                              np.ascontiguousarray(self.successors_, dtype=float))


class SMap(_DelayLibrary):
    """S-map: a locally weighted linear map on delay vectors (Sugihara 1994).

    For each query vector ``v`` the library vectors get weights
    ``w_i = exp(-theta d_i / mean(d))`` and the successor is regressed on
    ``[1, v_i]`` by least squares on the weighted rows ``w_i [1, v_i] -> w_i
    y_i`` (pyEDM's formulation); the prediction is ``[1, v] c``. ``theta = 0``
    is a global linear autoregression; larger ``theta`` localizes the map,
    and skill rising with ``theta`` is evidence of state-dependent (nonlinear)
    dynamics.

    Parameters
    ----------
    n_delays : int, default 3
    stride : int, default 1
    theta : float, default 2.0
        Localization (>= 0).
    n_neighbors : int, optional
        Neighbours used; default all library vectors (pyEDM's default leaves
        out the farthest one: pass ``n_neighbors=len(library) - 1`` to match
        it exactly).

    Attributes
    ----------
    library_, successors_ : ndarray
        As in :class:`Simplex`.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.empty(500); x[0] = 0.3
    >>> for k in range(499): x[k + 1] = 3.9 * x[k] * (1 - x[k])     # logistic map
    >>> model = ld.edm.SMap(n_delays=1, theta=4.0).fit(x[:400])
    >>> bool(np.abs(model.predict(x[400:])[:-1, 0] - x[401:]).max() < 0.05)
    True
    """

    _parameter_constraints = {**_DELAYS, "theta": [Interval(float, 0, None)],
                              "n_neighbors": [None, Interval(int, 1, None)]}

    def __init__(self, n_delays=3, stride=1, theta=2.0, n_neighbors=None):
        self.n_delays = n_delays
        self.stride = stride
        self.theta = theta
        self.n_neighbors = n_neighbors

    def _neighbours(self, V):
        n_lib = self.library_.shape[0]
        k = n_lib if self.n_neighbors is None else min(self.n_neighbors, n_lib)
        if 4 * k < n_lib:  # a small neighbourhood: the k-d tree
            return neighbours(self._tree, V, k)
        dist = cdist(V, self.library_)  # most of the library: brute force
        if k == n_lib:
            return dist, np.broadcast_to(np.arange(n_lib), dist.shape)
        idx = np.argpartition(dist, k - 1, axis=1)[:, :k]
        return np.take_along_axis(dist, idx, axis=1), idx

    def _project(self, V: np.ndarray) -> np.ndarray:
        n_lib, p = self.library_.shape[0], V.shape[1] + 1
        chunk = max(1, 2_000_000 // (n_lib * p))
        return np.concatenate([self._project_chunk(V[i: i + chunk])
                               for i in range(0, V.shape[0], chunk)])

    def _project_chunk(self, V: np.ndarray) -> np.ndarray:
        dist, idx = self._neighbours(V)
        theta = float(self.theta)
        mean = dist.mean(axis=1, keepdims=True)
        scale = np.where(mean > 0, theta / np.where(mean > 0, mean, 1.0), 0.0)
        w = np.exp(-scale * dist)                                     # (c, k)
        lib = self.library_[idx]                                       # (c, k, E d)
        A = np.concatenate([w[..., None], w[..., None] * lib], axis=2)  # weighted [1, v]
        B = w[..., None] * self.successors_[idx]                       # (c, k, d)
        coef = weighted_lstsq(A, B)
        return coef[:, 0] + np.einsum("ce,ced->cd", V, coef[:, 1:])


def weighted_lstsq(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Least squares ``A[i] c[i] = B[i]`` for a stack of problems, by batched QR.

    Rank-deficient problems (all weight on a few library points) fall back to
    the minimum-norm solution of ``numpy.linalg.lstsq``.
    """
    Q, R = np.linalg.qr(A)
    rhs = np.swapaxes(Q, 1, 2) @ B
    diag = np.abs(np.diagonal(R, axis1=1, axis2=2))
    ok = diag.min(axis=1) > 1e-10 * diag.max(axis=1)
    coef = np.empty((A.shape[0], A.shape[2], B.shape[2]))
    if ok.any():
        coef[ok] = np.linalg.solve(R[ok], rhs[ok])
    for i in np.flatnonzero(~ok):
        coef[i] = np.linalg.lstsq(A[i], B[i], rcond=None)[0]
    return coef
