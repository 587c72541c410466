"""Pure functions behind exact DMD."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import NumericalError, ValidationError

__all__ = ["DMDResult", "dmd_fit", "truncation_rank"]


class DMDResult(NamedTuple):
    """Result of :func:`dmd_fit`.

    Attributes
    ----------
    basis : ndarray, shape (d, r)
        POD basis ``U_r`` (left singular vectors of the snapshot matrix).
    reduced_operator : ndarray, shape (r, r)
        ``A_tilde = U_r^* Y V_r S_r^{-1}``.
    eigenvalues : ndarray, shape (r,)
    modes : ndarray, shape (d, r)
        Exact DMD modes ``Y V_r S_r^{-1} W``.
    singular_values : ndarray, shape (min(n, d),)
        All singular values of the snapshot matrix.
    """

    basis: np.ndarray
    reduced_operator: np.ndarray
    eigenvalues: np.ndarray
    modes: np.ndarray
    singular_values: np.ndarray


def truncation_rank(s: np.ndarray, rank) -> int:
    """Rank from a truncation rule.

    ``None`` keeps every singular value above ``max(s) * len * eps``; an int keeps
    that many; a float in (0, 1) keeps the fewest that hold that fraction of the
    energy ``sum(s**2)``.

    Examples
    --------
    >>> truncation_rank(np.array([3.0, 1.0, 1e-20]), None)
    2
    >>> truncation_rank(np.array([3.0, 1.0, 0.1]), 0.9)
    1
    """
    tol = s.max() * max(s.shape[0], 1) * np.finfo(float).eps if s.size else 0.0
    numerical = int((s > tol).sum())
    if rank is None:
        return max(numerical, 1)
    if isinstance(rank, float) and 0.0 < rank < 1.0:
        energy = np.cumsum(s**2) / np.sum(s**2)
        return int(min(np.searchsorted(energy, rank) + 1, numerical))
    if isinstance(rank, (int, np.integer)) and not isinstance(rank, bool) and rank >= 1:
        return int(min(rank, numerical))
    raise ValidationError(
        f"rank must be None, a positive int or an energy fraction in (0, 1); got {rank!r}."
    )


def dmd_fit(X: np.ndarray, Y: np.ndarray, rank=None) -> DMDResult:
    """Exact DMD of snapshot pairs ``Y ≈ X A^T`` (rows are samples).

    Parameters
    ----------
    X, Y : ndarray, shape (n, d)
        ``Y[k]`` is the successor of ``X[k]``.
    rank : None, int or float
        Truncation rule, see :func:`truncation_rank`.

    Returns
    -------
    DMDResult

    Examples
    --------
    >>> A = np.array([[0.9, 0.2], [0.0, 0.5]])
    >>> X = np.random.default_rng(0).standard_normal((10, 2))
    >>> np.sort(dmd_fit(X, X @ A.T).eigenvalues.real).round(10)
    array([0.5, 0.9])
    """
    # SVD of the snapshot matrix X^T (d, n): X = V S U^T in row form
    Vh_rows, s, Ut = np.linalg.svd(X, full_matrices=False)  # X = Vh_rows diag(s) Ut
    r = truncation_rank(s, rank)
    U = Ut[:r].T.conj()  # (d, r)
    V = Vh_rows[:, :r]  # (n, r)
    if s[r - 1] <= 0:
        raise NumericalError("The snapshot matrix is zero; DMD needs nonzero data.")
    YVSinv = (Y.T @ V) / s[:r]  # (d, r)
    Atilde = U.conj().T @ YVSinv
    eigenvalues, W = np.linalg.eig(Atilde)
    modes = YVSinv @ W
    return DMDResult(U, Atilde, eigenvalues, modes, s)
