"""The linear subregions of an almost-linear RNN: symbolic code, fixed points and cycles (numpy).

An AL-RNN ``z+ = A z + W phi(z) + h`` (``A`` diagonal, ``phi`` the identity on
the first ``M - P`` units and ReLU on the last ``P``) is affine inside each of
the ``2^P`` subregions fixed by the signs of its ``P`` piecewise-linear units
(Brenner et al. 2024). A region is coded by an int whose bit ``i`` is 1 when
unit ``M - P + i`` is positive; in region ``s`` the map is ``z+ = J_s z + h``
with ``J_s = diag(A) + W D_s``, ``D_s = diag(1, ..., 1, s_0, ..., s_{P-1})``.

So the fixed points and ``k``-cycles are found exactly: for each region word
``(s_1, ..., s_k)`` the ``k``-step map is affine, its unique fixed point is
computed by one linear solve, and it is kept when the orbit it generates
actually visits those regions (self-consistency). Stability comes from the
eigenvalues of the product ``J_{s_k} ... J_{s_1}``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import connected_components

from ..errors import ValidationError

__all__ = ["alrnn_map", "region_codes", "region_jacobian", "SymbolicCode", "symbolic_code",
           "PeriodicOrbit", "periodic_orbits", "words_in_code"]

#: the most region words enumerated before asking for explicit words
MAX_WORDS = 100_000


def _params(A, W, h, P):
    A = np.asarray(A, dtype=float)
    W = np.asarray(W, dtype=float)
    h = np.asarray(h, dtype=float)
    M = A.shape[0]
    if A.ndim != 1 or W.shape != (M, M) or h.shape != (M,):
        raise ValidationError(f"A (M,), W (M, M) and h (M,) must agree; got {A.shape}, {W.shape}, "
                              f"{h.shape}.")
    if not (isinstance(P, (int, np.integer)) and 0 <= P <= M):
        raise ValidationError(f"P must be an int in [0, {M}] (the number of ReLU units); got {P!r}.")
    return A, W, h, int(P)


def alrnn_map(z, A, W, h, P: int) -> np.ndarray:
    """One step ``A z + W phi(z) + h`` of an AL-RNN on the rows of ``z``.

    Examples
    --------
    >>> alrnn_map([[-1.0], [2.0]], A=[0.5], W=[[-2.0]], h=[1.0], P=1).ravel().tolist()
    [0.5, -2.0]
    """
    A, W, h, P = _params(A, W, h, P)
    z = np.atleast_2d(np.asarray(z, dtype=float))
    phi = z.copy()
    M = A.shape[0]
    phi[:, M - P:] = np.maximum(phi[:, M - P:], 0.0)
    return A * z + phi @ W.T + h


def region_codes(z, P: int) -> np.ndarray:
    """Region code of each row of ``z``: bit ``i`` set when unit ``M - P + i`` is positive.

    Examples
    --------
    >>> region_codes([[0.3, -1.0, 2.0], [0.0, 1.0, -2.0]], P=2).tolist()
    [2, 1]
    """
    z = np.atleast_2d(np.asarray(z, dtype=float))
    if not (isinstance(P, (int, np.integer)) and 0 <= P <= min(z.shape[1], 62)):
        raise ValidationError(f"P must be an int in [0, {min(z.shape[1], 62)}]; got {P!r}.")
    bits = z[:, z.shape[1] - P:] > 0
    return (bits.astype(np.int64) << np.arange(P, dtype=np.int64)).sum(axis=1)


def region_jacobian(code: int, A, W, P: int) -> np.ndarray:
    """The Jacobian ``diag(A) + W D_s`` of the AL-RNN in region ``code``.

    Examples
    --------
    >>> region_jacobian(0, [0.5], [[-2.0]], 1).tolist(), region_jacobian(1, [0.5], [[-2.0]], 1).tolist()
    ([[0.5]], [[-1.5]])
    """
    A = np.asarray(A, dtype=float)
    W = np.asarray(W, dtype=float)
    M = A.shape[0]
    mask = np.ones(M)
    mask[M - P:] = (int(code) >> np.arange(P)) & 1
    return np.diag(A) + W * mask


@dataclass(frozen=True)
class SymbolicCode:
    """The sequence of linear subregions visited and its transition graph.

    Attributes
    ----------
    codes : ndarray of int, shape (T,)
        Region code at each time (bit ``i``: ReLU unit ``i`` positive).
    regions : ndarray of int, shape (R,)
        The distinct codes visited, sorted.
    counts : ndarray of int, shape (R, R)
        ``counts[i, j]``: number of steps from ``regions[i]`` to ``regions[j]``.
    n_units : int
        P, the number of ReLU units (bits per code).
    """

    codes: np.ndarray
    regions: np.ndarray
    counts: np.ndarray
    n_units: int

    @property
    def adjacency(self) -> np.ndarray:
        """Boolean transition graph: ``adjacency[i, j]`` when ``regions[i] -> regions[j]`` occurs."""
        return self.counts > 0

    @property
    def transition_matrix(self) -> np.ndarray:
        """Row-normalized ``counts`` (rows without outgoing steps stay zero)."""
        rows = self.counts.sum(axis=1, keepdims=True)
        return self.counts / np.where(rows > 0, rows, 1)

    def bits(self) -> list[str]:
        """The visited regions as bit strings, unit ``P - 1`` first (``'10'``: unit 1 on)."""
        return [format(int(r), f"0{max(self.n_units, 1)}b") for r in self.regions]

    def has_cycle(self) -> bool:
        """Whether the graph has a directed cycle through at least two regions."""
        if len(self.regions) < 2:
            return False
        n, labels = connected_components(self.adjacency.astype(np.int8), directed=True,
                                         connection="strong")
        return bool(np.max(np.bincount(labels, minlength=n)) >= 2)


def symbolic_code(z, P: int) -> SymbolicCode:
    """The :class:`SymbolicCode` of a latent trajectory ``z`` (T, M).

    Examples
    --------
    >>> sc = symbolic_code([[1.0], [-1.0], [2.0], [3.0]], P=1)
    >>> sc.codes.tolist(), sc.regions.tolist(), sc.counts.tolist(), sc.has_cycle()
    ([1, 0, 1, 1], [0, 1], [[0, 1], [1, 1]], True)
    """
    codes = region_codes(z, P)
    regions, idx = np.unique(codes, return_inverse=True)
    counts = np.zeros((len(regions), len(regions)), dtype=np.int64)
    np.add.at(counts, (idx[:-1], idx[1:]), 1)
    return SymbolicCode(codes=codes, regions=regions, counts=counts, n_units=int(P))


@dataclass(frozen=True)
class PeriodicOrbit:
    """A fixed point (``period`` 1) or a cycle of the AL-RNN.

    Attributes
    ----------
    z : ndarray, shape (period, M)
        The points of the orbit, in order (``z[j+1] = F(z[j])``).
    regions : tuple of int
        Their region codes.
    eigenvalues : ndarray of complex, shape (M,)
        Of the orbit's Jacobian product ``J_{s_k} ... J_{s_1}`` (the multipliers).
    stable : bool
        All multipliers inside the unit circle.
    """

    z: np.ndarray
    regions: tuple
    eigenvalues: np.ndarray
    stable: bool

    @property
    def period(self) -> int:
        return len(self.regions)


def _primitive(word) -> bool:
    k = len(word)
    return all(tuple(word[p:]) + tuple(word[:p]) != tuple(word) for p in range(1, k) if k % p == 0)


def _canonical(word) -> tuple:
    return min(tuple(word[p:]) + tuple(word[:p]) for p in range(len(word)))


def words_in_code(codes, k: int) -> list[tuple]:
    """The distinct primitive words of length ``k`` seen in a region sequence (canonical rotations).

    Candidate region sequences of ``k``-cycles taken from a visited symbolic code.

    Examples
    --------
    >>> words_in_code([0, 1, 0, 1, 1], 2)
    [(0, 1)]
    """
    codes = np.asarray(codes, dtype=np.int64)
    found = {_canonical(tuple(int(c) for c in codes[i:i + k])) for i in range(len(codes) - k + 1)}
    return sorted(w for w in found if _primitive(w))


def periodic_orbits(A, W, h, P: int, period: int = 1, words=None, tol: float = 1e-9
                    ) -> list[PeriodicOrbit]:
    """All fixed points (``period=1``) or primitive ``period``-cycles of an AL-RNN, exactly.

    For each region word of length ``period`` (all ``2^(P period)`` of them, or
    the given ``words``), solve ``(I - J_{s_k} ... J_{s_1}) z = c`` for the
    ``k``-step map's fixed point and keep it when its orbit visits exactly
    those regions (a coordinate within ``tol`` of 0 counts for both sides).
    Singular systems (a line of fixed points, a multiplier exactly 1) are skipped.

    Parameters
    ----------
    A : array_like, shape (M,)
    W : array_like, shape (M, M)
    h : array_like, shape (M,)
    P : int
        Number of ReLU units (the last ``P``).
    period : int, default 1
    words : iterable of tuples of int, optional
        Region words to try (e.g. :func:`words_in_code` of a visited code);
        default all words of length ``period``.
    tol : float, default 1e-9

    Returns
    -------
    list of PeriodicOrbit
        One per orbit (each cycle once, starting at its canonical rotation).

    Examples
    --------
    Slopes 0.5 (z < 0) and -1.5 (z > 0): fixed point 0.4, stable 2-cycle (-2/7, 6/7).

    >>> fp = periodic_orbits([0.5], [[-2.0]], [1.0], P=1)
    >>> [(float(o.z[0, 0]), o.stable) for o in fp]
    [(0.4, False)]
    >>> c2 = periodic_orbits([0.5], [[-2.0]], [1.0], P=1, period=2)[0]
    >>> np.allclose(c2.z.ravel(), [-2 / 7, 6 / 7]), c2.regions, c2.stable
    (True, (0, 1), True)
    """
    A, W, h, P = _params(A, W, h, P)
    if not (isinstance(period, (int, np.integer)) and period >= 1):
        raise ValidationError(f"period must be a positive int; got {period!r}.")
    M = A.shape[0]
    if words is None:
        if (2 ** P) ** period > MAX_WORDS:
            raise ValidationError(f"{2 ** P}^{period} region words are too many to enumerate; pass "
                                  "words= (e.g. words_in_code of a visited symbolic code).")
        words = (w for w in itertools.product(range(2 ** P), repeat=period)
                 if _primitive(w) and _canonical(w) == w)
    else:
        words = sorted({_canonical(tuple(int(s) for s in w)) for w in words
                        if len(w) == period and _primitive(w)})
    jac = {}
    eye = np.eye(M)
    orbits = []
    for word in words:
        Js = [jac.setdefault(s, region_jacobian(s, A, W, P)) for s in word]
        prod, c = eye, np.zeros(M)
        for J in Js:
            prod, c = J @ prod, J @ c + h
        try:
            z0 = np.linalg.solve(eye - prod, c)
        except np.linalg.LinAlgError:
            continue
        if not np.all(np.isfinite(z0)):
            continue
        pts = [z0]
        for J in Js[:-1]:
            pts.append(J @ pts[-1] + h)
        pts = np.array(pts)
        if _consistent(pts[:, M - P:], word, P, tol):
            lam = np.linalg.eigvals(prod)
            orbits.append(PeriodicOrbit(z=pts, regions=tuple(int(s) for s in word),
                                        eigenvalues=lam, stable=bool(np.max(np.abs(lam)) < 1)))
    return orbits


def _consistent(relu_part: np.ndarray, word, P: int, tol: float) -> bool:
    bits = (np.asarray(word, dtype=np.int64)[:, None] >> np.arange(P)) & 1
    scale = tol * (1.0 + np.abs(relu_part).max(initial=0.0))
    ok_on = (bits == 1) & (relu_part >= -scale)
    ok_off = (bits == 0) & (relu_part <= scale)
    return bool(np.all(ok_on | ok_off))
