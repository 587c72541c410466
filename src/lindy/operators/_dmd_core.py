"""Pure functions behind DMD: truncation, SVD and Gram (covariance) routes, TLS.

Rows are samples: ``X, Y`` of shape ``(n, d)`` with ``Y[k]`` the successor of
``X[k]``. In the column convention of the DMD literature the snapshot matrix is
``X.T = U S V^*``; the reduced operator is ``A_tilde = U^* Y^T V S^{-1}``.

For tall data (``n`` much larger than ``d``) the Gram route forms the ``d x d``
matrices ``X^T X`` and ``Y^T X`` in one pass over the data and works on them
alone (as kooplearn does with covariances); it is several times faster than an
SVD of the snapshot matrix and gives the same answer while the kept singular
values are well above ``sqrt(eps) * s_max``. ``solver="auto"`` checks this and
falls back to the SVD when the Gram route would lose accuracy.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from ..errors import NumericalError, RankWarning, ValidationError
from ._linalg import eig_sorted, eigh_desc, gram

__all__ = ["DMDResult", "dmd_fit", "truncation_rank", "tls_project", "warn_rank_capped"]

_SOLVERS = ("auto", "svd", "gram")


class DMDResult(NamedTuple):
    """Result of :func:`dmd_fit`.

    Attributes
    ----------
    basis : ndarray, shape (d, r)
        POD basis ``U_r`` (left singular vectors of the snapshot matrix).
    reduced_operator : ndarray, shape (r, r)
        ``A_tilde = U_r^* Y V_r S_r^{-1}``.
    eigenvalues : ndarray, shape (r,)
        Sorted by decreasing modulus.
    modes : ndarray, shape (d, r)
        Exact DMD modes ``Y V_r S_r^{-1} W`` (or projected modes ``U_r W``).
    singular_values : ndarray, shape (min(n, d),)
        All singular values of the snapshot matrix.
    """

    basis: np.ndarray
    reduced_operator: np.ndarray
    eigenvalues: np.ndarray
    modes: np.ndarray
    singular_values: np.ndarray


def warn_rank_capped(rank, kept: int, why: str) -> None:
    """Emit a :class:`~lindy.errors.RankWarning` if an int ``rank`` asked for more than ``kept``."""
    if isinstance(rank, (int, np.integer)) and not isinstance(rank, bool) and rank > kept:
        warnings.warn(f"rank={int(rank)} was requested but only {kept} component(s) were kept: "
                      f"{why}. Pass rank={kept} (or None) to silence this warning.",
                      RankWarning, stacklevel=3)


def truncation_rank(s: np.ndarray, rank, *, warn: bool = True) -> int:
    """Rank from a truncation rule.

    ``None`` keeps every singular value above ``max(s) * len * eps``; an int keeps
    exactly that many, capped at that numerical rank with a
    :class:`~lindy.errors.RankWarning` (unless ``warn=False``); a float in
    (0, 1) keeps the fewest that hold that fraction of the energy ``sum(s**2)``.

    Examples
    --------
    >>> truncation_rank(np.array([3.0, 1.0, 1e-20]), None)
    2
    >>> truncation_rank(np.array([3.0, 1.0, 0.1]), 0.8)
    1
    """
    tol = s.max() * max(s.shape[0], 1) * np.finfo(float).eps if s.size else 0.0
    numerical = int((s > tol).sum())
    if rank is None:
        return max(numerical, 1)
    if isinstance(rank, float) and 0.0 < rank < 1.0:
        energy = np.cumsum(s**2) / np.sum(s**2)
        return int(max(min(np.searchsorted(energy, rank) + 1, numerical), 1))
    if isinstance(rank, (int, np.integer)) and not isinstance(rank, bool) and rank >= 1:
        r = int(max(min(rank, numerical), 1))
        if warn:
            warn_rank_capped(rank, r, f"the data have numerical rank {numerical} (singular "
                             f"values below max(s) * {max(s.shape[0], 1)} * eps are zero)")
        return r
    raise ValidationError(
        f"rank must be None, a positive int or an energy fraction in (0, 1); got {rank!r}."
    )


def check_solver(solver: str) -> str:
    """Validate a DMD solver name."""
    if solver not in _SOLVERS:
        raise ValidationError(f"solver must be one of {_SOLVERS}; got {solver!r}.")
    return solver


def _gram_svd(X: np.ndarray):
    """Right singular vectors and singular values of ``X`` from ``X^* X`` (descending)."""
    w, U = eigh_desc(gram(X))
    s = np.sqrt(np.clip(w, 0.0, None))
    return U, s


def tls_project(X: np.ndarray, Y: np.ndarray, tls_rank: int):
    """Total-least-squares debiasing (Hemati et al. 2017).

    Projects ``X`` and ``Y`` onto the leading ``tls_rank`` right singular
    vectors (time directions) of the stacked matrix ``[X, Y]``, which removes
    the bias that noise in ``X`` gives ordinary DMD.

    Parameters
    ----------
    X, Y : ndarray, shape (n, d)
    tls_rank : int

    Returns
    -------
    X, Y : ndarray, shape (n, d)

    Examples
    --------
    >>> X = np.outer([1.0, 2.0, 3.0], [1.0, 2.0]); Y = 2 * X
    >>> Xp, Yp = tls_project(X, Y, 1)
    >>> np.allclose(Xp, X) and np.allclose(Yp, Y)
    True
    """
    Z = np.hstack([X, Y])
    Vz, s, _ = np.linalg.svd(Z, full_matrices=False)
    r = min(int(tls_rank), Vz.shape[1])
    Vr = Vz[:, :r]
    return Vr @ (Vr.conj().T @ X), Vr @ (Vr.conj().T @ Y)


def _tls_gram(X: np.ndarray, Y: np.ndarray, tls_rank: int):
    """Gram blocks ``X^* X`` and ``Y^* X`` after TLS projection, from ``[X Y]^*[X Y]``."""
    d = X.shape[1]
    Z = np.hstack([X, Y])
    r = min(int(tls_rank), Z.shape[1])
    w, V = eigh_desc(gram(Z), r)
    Mr = (V * w) @ V.conj().T  # the rank-r part of M is Z^* P Z
    return Mr[:d, :d], Mr[d:, :d]


def dmd_fit(X: np.ndarray, Y: np.ndarray, rank=None, *, exact: bool = True,
            solver: str = "auto", tls_rank: int | None = None) -> DMDResult:
    """DMD of snapshot pairs ``Y ≈ X A^T`` (rows are samples).

    Parameters
    ----------
    X, Y : ndarray, shape (n, d)
        ``Y[k]`` is the successor of ``X[k]``.
    rank : None, int or float
        Truncation rule, see :func:`truncation_rank`.
    exact : bool, default True
        Exact modes (Tu et al. 2014) if True, projected modes ``U_r W`` if False.
    solver : {"auto", "svd", "gram"}
        ``"svd"`` factors the snapshot matrix; ``"gram"`` works on ``X^T X`` and
        ``Y^T X`` (fast for ``n >> d``); ``"auto"`` uses the Gram route when
        ``n >= 2 d`` and the kept singular values allow it.
    tls_rank : int, optional
        Total-least-squares projection rank (see :func:`tls_project`).

    Returns
    -------
    DMDResult

    Examples
    --------
    >>> A = np.array([[0.9, 0.2], [0.0, 0.5]])
    >>> X = np.random.default_rng(0).standard_normal((10, 2))
    >>> np.sort(dmd_fit(X, X @ A.T).eigenvalues.real).round(10)
    array([0.5, 0.9])
    >>> np.sort(dmd_fit(X, X @ A.T, solver="gram").eigenvalues.real).round(10)
    array([0.5, 0.9])
    """
    check_solver(solver)
    n, d = X.shape
    use_gram = solver == "gram" or (solver == "auto" and n >= 2 * d)
    if use_gram:
        res = _dmd_gram(X, Y, rank, exact, tls_rank, strict=solver == "gram")
        if res is not None:
            return res
    if tls_rank is not None:
        X, Y = tls_project(X, Y, tls_rank)
    return _dmd_svd(X, Y, rank, exact)


def _finish(U, s, r, YhX_U_over_s2, Ymodes, exact) -> DMDResult:
    """Shared tail: reduced operator, eigenpairs, modes."""
    Atilde = U.conj().T @ YhX_U_over_s2
    eigenvalues, W = eig_sorted(Atilde)
    modes = (Ymodes @ W) if exact else (U @ W)
    return DMDResult(U, Atilde, eigenvalues, modes, s)


def _dmd_svd(X, Y, rank, exact) -> DMDResult:
    Vrows, s, Ut = np.linalg.svd(X, full_matrices=False)  # X = Vrows diag(s) Ut
    r = truncation_rank(s, rank)
    if s[r - 1] <= 0:
        raise NumericalError("The snapshot matrix is zero; DMD needs nonzero data.")
    # column convention: X^T = U S V^* with U = Ut^T and V = conj(Vrows)
    U = Ut[:r].T  # (d, r)
    YVSinv = (Y.T @ Vrows[:, :r].conj()) / s[:r]  # (d, r)
    return _finish(U, s, r, YVSinv, YVSinv, exact)


def _dmd_gram(X, Y, rank, exact, tls_rank, strict) -> DMDResult | None:
    if np.iscomplexobj(X) or np.iscomplexobj(Y):
        return None  # the Gram route is implemented for real data
    if tls_rank is not None:
        C, YX = _tls_gram(X, Y, tls_rank)
        w, U = eigh_desc(C)
        s = np.sqrt(np.clip(w, 0.0, None))
    else:
        U, s = _gram_svd(X)
        YX = None
    if s[0] <= 0:
        raise NumericalError("The snapshot matrix is zero; DMD needs nonzero data.")
    r = truncation_rank(s, rank, warn=False)
    # the Gram route resolves singular values down to about sqrt(eps) * s_max
    floor = 1e2 * np.sqrt(X.shape[1] * np.finfo(float).eps) * s[0]
    if s[r - 1] < floor:
        if not strict:
            return None
        r = max(int((s >= floor).sum()), 1)
        warn_rank_capped(rank, r, "the Gram route (solver='gram') resolves singular values "
                         "down to about sqrt(eps) * s_max only")
    else:
        warn_rank_capped(rank, r, "the other singular values are numerically zero")
    U, sr = U[:, :r], s[:r]
    YXU = Y.T @ (X @ U) if YX is None else YX @ U
    YVSinv = YXU / sr**2  # Y^T V S^{-1} with V = X U S^{-1}
    return _finish(U, s, r, YVSinv, YVSinv, exact)
