"""Balanced truncation by the square-root method (Laub, Heath, Paige and Ward 1987).

The controllability and observability Gramians come from scipy's Lyapunov
solvers; their Cholesky factors ``Wc = Lc Lc'``, ``Wo = Lo Lo'`` give the Hankel
singular values as the singular values of ``Lo' Lc`` and the balancing
projections without inverting a Gramian.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg

from .._validation import check_array, check_positive_int
from ..errors import NumericalError, ShapeError, ValidationError

__all__ = ["balanced_truncation", "hankel_singular_values", "BalancedTruncation"]


@dataclass(frozen=True, eq=False)
class BalancedTruncation:
    """A reduced system and the Hankel singular values it was cut from.

    Attributes
    ----------
    A, B, C, D : ndarray
        Reduced system, ``state_dim`` states.
    hankel_singular_values : ndarray (n,)
        All Hankel singular values of the full system, in decreasing order.
    state_dim : int
    discrete : bool
    error_bound : float
        ``2 * sum`` of the discarded Hankel singular values, an upper bound on
        the H-infinity norm of the error system.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> A, B, C = np.diag([0.5, 0.1]), np.ones((2, 1)), np.ones((1, 2))
    >>> red = ld.control.balanced_truncation(A, B, C, state_dim=1)
    >>> red.state_dim, bool(np.isclose(red.error_bound, 2 * red.hankel_singular_values[1]))
    (1, True)
    >>> print(red.report().splitlines()[0])
    Balanced truncation: 2 -> 1 states (discrete time)
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    D: np.ndarray
    hankel_singular_values: np.ndarray
    state_dim: int
    discrete: bool
    error_bound: float

    def report(self) -> str:
        """A table of the Hankel singular values, the kept ones marked, with the error bound."""
        hsv = self.hankel_singular_values
        total = hsv.sum()
        lines = [f"Balanced truncation: {hsv.size} -> {self.state_dim} states "
                 f"({'discrete' if self.discrete else 'continuous'} time)",
                 "  i   Hankel sv      cumulative   kept"]
        cum = np.cumsum(hsv) / total if total > 0 else np.zeros_like(hsv)
        for i, (s, c) in enumerate(zip(hsv, cum)):
            lines.append(f"{i + 1:3d}   {s:.6e}   {c:9.4%}    {'*' if i < self.state_dim else ''}")
        lines.append(f"H-infinity error bound 2*sum(discarded) = {self.error_bound:.3e}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def _check_system(A, B, C, D):
    A = check_array(A, "A", ndim=2)
    n = A.shape[0]
    if A.shape != (n, n):
        raise ShapeError(f"A must be square; got {A.shape}.")
    B = check_array(B, "B", ndim=(1, 2))
    B = B[:, None] if B.ndim == 1 else B
    C = check_array(C, "C", ndim=(1, 2))
    C = C[None, :] if C.ndim == 1 else C
    if B.shape[0] != n or C.shape[1] != n:
        raise ShapeError(f"B must have {n} rows and C {n} columns; got B {B.shape}, C {C.shape}.")
    shape = (C.shape[0], B.shape[1])
    D = np.zeros(shape) if D is None else np.atleast_2d(check_array(D, "D", ndim=(0, 1, 2)))
    if D.shape != (C.shape[0], B.shape[1]):
        raise ShapeError(f"D must have shape {(C.shape[0], B.shape[1])}; got {D.shape}.")
    return A, B, C, D


def _check_stable(A, discrete):
    lam = np.linalg.eigvals(A)
    bad = np.abs(lam) >= 1 if discrete else lam.real >= 0
    if bad.any():
        where = "inside the unit circle" if discrete else "in the open left half-plane"
        raise ValidationError(
            f"Balanced truncation needs a stable system (all eigenvalues {where}); A has "
            f"{np.round(lam[bad], 6).tolist()}. Separate the unstable part first "
            "(e.g. scipy.linalg.schur with sort) and reduce only the stable part.")


def _factor(W: np.ndarray) -> np.ndarray:
    """A square factor ``L`` with ``W = L L'`` (Cholesky; eigenvalue clipping when singular)."""
    W = 0.5 * (W + W.T)
    try:
        return np.linalg.cholesky(W)
    except np.linalg.LinAlgError:
        w, V = np.linalg.eigh(W)
        return V * np.sqrt(np.clip(w, 0.0, None))


def _gramian_factors(A, B, C, discrete):
    if discrete:
        Wc = linalg.solve_discrete_lyapunov(A, B @ B.T)
        Wo = linalg.solve_discrete_lyapunov(A.T, C.T @ C)
    else:
        Wc = linalg.solve_continuous_lyapunov(A, -B @ B.T)
        Wo = linalg.solve_continuous_lyapunov(A.T, -C.T @ C)
    return _factor(Wc), _factor(Wo)


def hankel_singular_values(A, B, C, *, discrete: bool = True) -> np.ndarray:
    """Hankel singular values of a stable system, in decreasing order.

    Parameters
    ----------
    A : array_like (n, n)
    B : array_like (n, m)
    C : array_like (p, n)
    discrete : bool, default True
        Discrete (``x+ = Ax + Bu``) or continuous time.

    Returns
    -------
    ndarray (n,)

    Examples
    --------
    >>> import numpy as np
    >>> hankel_singular_values([[0.5]], [[1.0]], [[1.0]]).round(6)
    array([1.333333])
    """
    A, B, C, _ = _check_system(A, B, C, None)
    _check_stable(A, discrete)
    Lc, Lo = _gramian_factors(A, B, C, discrete)
    return np.linalg.svd(Lo.T @ Lc, compute_uv=False)


def balanced_truncation(A, B, C, D=None, state_dim=None, *, discrete: bool = True) -> BalancedTruncation:
    """Reduce a stable linear system by balanced truncation (square-root method).

    Parameters
    ----------
    A : array_like (n, n)
    B : array_like (n, m)
    C : array_like (p, n)
    D : array_like (p, m), optional
        Feed-through, kept unchanged (default zeros).
    state_dim : int
        Number of states to keep, ``1 <= state_dim <= n``.
    discrete : bool, default True
        Discrete or continuous time.

    Returns
    -------
    BalancedTruncation
        The reduced ``A, B, C, D``, all Hankel singular values and the error
        bound; ``print(result)`` shows the Hankel singular value report.

    Raises
    ------
    lindy.errors.ValidationError
        If the system is unstable or ``state_dim`` exceeds the number of non-zero
        Hankel singular values (the reduced system would not be minimal).

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> sys = ld.systems.random_lti(6, 1, 1, random_state=0)
    >>> red = ld.control.balanced_truncation(sys.A, sys.B, sys.C, sys.D, state_dim=3)
    >>> red.A.shape, red.hankel_singular_values.shape
    ((3, 3), (6,))
    >>> bool(np.all(np.diff(red.hankel_singular_values) <= 0))
    True
    """
    A, B, C, D = _check_system(A, B, C, D)
    n = A.shape[0]
    if state_dim is None:
        raise ValidationError("balanced_truncation needs state_dim=, the number of states to keep.")
    state_dim = check_positive_int(state_dim, "state_dim")
    if state_dim > n:
        raise ValidationError(f"state_dim must be at most the number of states {n}; got {state_dim}.")
    _check_stable(A, discrete)
    Lc, Lo = _gramian_factors(A, B, C, discrete)
    U, s, Vt = np.linalg.svd(Lo.T @ Lc)
    if s[state_dim - 1] <= 1e-14 * s[0]:
        raise ValidationError(
            f"Only {int(np.sum(s > 1e-14 * s[0]))} Hankel singular values are non-zero; "
            f"state_dim={state_dim} would keep uncontrollable or unobservable states. Lower state_dim.")
    scale = 1.0 / np.sqrt(s[:state_dim])
    T = (Lc @ Vt[:state_dim].T) * scale            # (n, r)
    Ti = (U[:, :state_dim].T @ Lo.T) * scale[:, None]  # (r, n), Ti @ T = I
    if not np.all(np.isfinite(T)):
        raise NumericalError("Balancing produced non-finite projections; the system is ill-conditioned.")
    return BalancedTruncation(A=Ti @ A @ T, B=Ti @ B, C=C @ T, D=D.copy(),
                              hankel_singular_values=s, state_dim=state_dim, discrete=discrete,
                              error_bound=float(2.0 * s[state_dim:].sum()))
