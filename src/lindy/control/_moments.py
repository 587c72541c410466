"""Model reduction by moment matching: Krylov projection at an expansion point.

For ``H(s) = C (s I - A)^{-1} B + D`` (or ``z`` in discrete time) the moments
at ``s0`` are ``m_k = C (s0 I - A)^{-(k+1)} B``: ``H(s) = D + sum_k (-1)^k m_k
(s - s0)^k``. Projecting on an orthonormal basis ``V`` of the block Krylov
space ``K_q((s0 I - A)^{-1}, (s0 I - A)^{-1} B)`` (Galerkin: ``A_r = V^T A V``,
``B_r = V^T B``, ``C_r = C V``) gives a reduced model whose first ``q``
moments equal the full model's (Grimme 1997; Antoulas 2005, ch. 11). At
``s0 = 0`` (continuous) or ``z0 = 1`` (discrete) the steady-state gain is
kept exactly: reduced-order models and observers that must not bias set points.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg

from .._validation import check_positive_int
from ..errors import NumericalError, ValidationError
from ._balanced import _check_system

__all__ = ["MomentMatching", "moment_matching", "moments"]


@dataclass(frozen=True)
class MomentMatching:
    """A reduced model from :func:`moment_matching`.

    Attributes
    ----------
    A, B, C, D : ndarray
        The reduced system (``state_dim`` states).
    V : ndarray, shape (n, state_dim)
        Orthonormal projection basis; ``x ≈ V x_r``.
    expansion_point : complex
    n_moments : int
        Number of matched (block) moments.
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    D: np.ndarray
    V: np.ndarray
    expansion_point: float
    n_moments: int

    @property
    def state_dim(self) -> int:
        """Number of states of the reduced model."""
        return int(self.A.shape[0])


def _shifted_lu(A, s0):
    M = s0 * np.eye(A.shape[0]) - A
    with warnings.catch_warnings():  # an exactly singular factor is reported below
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        lu = scipy.linalg.lu_factor(M, check_finite=False)
    if np.abs(np.diag(lu[0])).min() <= 1e-13 * np.abs(np.diag(lu[0])).max():
        raise NumericalError(f"The expansion point {s0!r} is an eigenvalue of A (s0 I - A is "
                             "singular); choose another expansion point.")
    return lu


def moments(A, B, C, n_moments: int, expansion_point: float = 0.0) -> np.ndarray:
    """The moments ``m_k = C (s0 I - A)^{-(k+1)} B``, ``k < n_moments``, shape (q, p, m).

    Examples
    --------
    >>> moments([[0.5]], [[1.0]], [[1.0]], 3, expansion_point=1.0).ravel()
    array([2., 4., 8.])
    """
    A, B, C, _ = _check_system(A, B, C, None)
    lu = _shifted_lu(A, expansion_point)
    out, X = [], B
    for _ in range(check_positive_int(n_moments, "n_moments")):
        X = scipy.linalg.lu_solve(lu, X)
        out.append(C @ X)
    return np.array(out)


def moment_matching(A, B, C, D=None, state_dim=None, *, expansion_point: float | None = None,
                    discrete: bool = True) -> MomentMatching:
    """Reduce a linear system by matching its transfer-function moments (Krylov projection).

    Parameters
    ----------
    A, B, C : array_like
        ``x+ = A x + B u`` (or ``dx/dt``), ``y = C x + D u``.
    D : array_like, optional
    state_dim : int
        States of the reduced model; ``state_dim // m`` block moments are matched
        (``m`` inputs), so ``state_dim`` is best a multiple of ``m``.
    expansion_point : float, optional
        Where the moments are taken; default the steady state (``z0 = 1`` in
        discrete time, ``s0 = 0`` in continuous time), which keeps the DC gain.
    discrete : bool, default True

    Returns
    -------
    MomentMatching

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> sys = ld.systems.random_lti(8, 1, 1, spectral_radius=0.9, random_state=0)
    >>> red = moment_matching(sys.A, sys.B, sys.C, state_dim=3)
    >>> full = moments(sys.A, sys.B, sys.C, 3, 1.0)
    >>> bool(np.allclose(moments(red.A, red.B, red.C, 3, 1.0), full))
    True
    """
    A, B, C, D = _check_system(A, B, C, D)
    n, m = A.shape[0], B.shape[1]
    if state_dim is None:
        raise ValidationError("moment_matching needs state_dim=, the number of states to keep.")
    r = check_positive_int(state_dim, "state_dim")
    if r > n:
        raise ValidationError(f"state_dim must be at most the number of states {n}; got {r}.")
    s0 = (1.0 if discrete else 0.0) if expansion_point is None else float(expansion_point)
    lu = _shifted_lu(A, s0)
    blocks, X = [], B
    while sum(b.shape[1] for b in blocks) < r:
        X = scipy.linalg.lu_solve(lu, X)
        for Q in blocks:  # block Gram-Schmidt, twice for orthogonality
            X = X - Q @ (Q.T @ X)
        for Q in blocks:
            X = X - Q @ (Q.T @ X)
        Q, R = np.linalg.qr(X)
        keep = np.abs(np.diag(R)) > 1e-12 * max(np.abs(R).max(), 1e-300)
        if not keep.any():
            raise NumericalError(f"The Krylov space stops growing at {sum(b.shape[1] for b in blocks)} "
                                 f"states (the system's controllable part near {s0:g}); lower state_dim.")
        blocks.append(Q[:, keep])
        X = Q[:, keep]
    V = np.hstack(blocks)[:, :r]
    return MomentMatching(A=V.T @ A @ V, B=V.T @ B, C=C @ V, D=D.copy(), V=V,
                          expansion_point=s0, n_moments=r // m)
