"""Pure functions behind EDMD: lifted lag pairs, PCR and reduced-rank estimators.

Row convention: ``Psi_Y ≈ Psi_X K`` with ``Psi_X, Psi_Y (n, p)``. With the
normalized Gram matrices ``G = Psi_X^T Psi_X / n`` and ``A = Psi_X^T Psi_Y / n``
both estimators return a basis ``U (p, r)`` with ``U^T (G + alpha I) U = I``
and ``K = U U^T A``:

* principal-component regression (PCR, classical EDMD with truncation):
  ``U`` spans the top-``r`` eigenvectors of ``G``;
* reduced-rank regression (RRR, Kostic et al. 2022): ``U`` spans the top-``r``
  left singular directions of ``(G + alpha I)^{-1/2} A`` (the rank-``r`` map
  with the least prediction error).

Eigenpairs then come from the small matrix ``M = U^T A U``.
"""

from __future__ import annotations

import numpy as np

from ..data import stack
from ..errors import NumericalError, ValidationError
from ._dmd_core import truncation_rank
from ._linalg import eigh_desc, gram

__all__ = ["stacked_lift", "pair_gram", "pcr_basis", "rrr_basis"]


def stacked_lift(data, dictionary):
    """Lift every trajectory once, stacked; index the lag pairs with :meth:`Stacked.pairs`.

    Consecutive pairs share rows, so ``Psi_X`` and ``Psi_Y`` are never formed;
    products with them are products with ``F`` restricted to ``ix`` / ``iy``.

    Parameters
    ----------
    data : TrajectorySet
    dictionary : fitted Dictionary

    Returns
    -------
    s : Stacked
        The stacked states (``s.x[iy]`` are the successors, ``s.u[ix]`` the inputs).
    F : ndarray, shape (N, p)
        Features aligned with ``s.x``; zero rows where the dictionary window is
        incomplete (they never enter a pair).
    ix, iy : ndarray of int, shape (n,)
        Rows holding ``x_k`` and ``x_{k+1}`` of each pair.

    Examples
    --------
    >>> from lindy.data import as_trajectories
    >>> from lindy.operators import Polynomial
    >>> data = as_trajectories([np.arange(3.0), np.arange(2.0)])
    >>> s, F, ix, iy = stacked_lift(data, Polynomial(1).fit([tr.x for tr in data]))
    >>> ix.tolist(), iy.tolist(), s.x[iy].ravel().tolist()
    ([0, 1, 3], [1, 2, 4], [1.0, 2.0, 1.0])
    """
    s = stack(data)
    w = dictionary.window
    ix, iy = s.pairs(1, history=w - 1)
    if not ix.size:
        raise ValidationError(
            f"No trajectory is longer than the dictionary window + 1 ({w + 1} samples); "
            "pass longer trajectories or fewer delays.")
    if w == 1:  # a pointwise dictionary lifts the stack at once, rows aligned with s.x
        return s, dictionary.transform(s.x), ix, iy
    parts = []
    for tr in data:
        F = dictionary.transform(tr.x) if tr.n_steps >= w else np.zeros((0, 1))
        parts.append((tr.n_steps, F))
    p = max(F.shape[1] for _, F in parts)
    F = np.zeros((s.x.shape[0], p))
    for (T, Fi), a in zip(parts, s.offsets[:-1]):
        F[a + T - Fi.shape[0]: a + T] = Fi
    return s, F, ix, iy


def pair_gram(F: np.ndarray, ix: np.ndarray) -> np.ndarray:
    """``Psi_X^T Psi_X / n`` from the stacked features: ``F^T F`` minus the unpaired rows.

    Examples
    --------
    >>> F = np.arange(6.0).reshape(3, 2)
    >>> np.allclose(pair_gram(F, np.array([0, 1])), F[:2].T @ F[:2] / 2)
    True
    """
    rest = np.setdiff1d(np.arange(F.shape[0]), ix, assume_unique=True)
    G = gram(F)
    if rest.size:
        E = F[rest]
        G -= E.T @ E
    return G / ix.shape[0]


def _check_alpha(alpha) -> float:
    a = float(alpha)
    if not (a >= 0 and np.isfinite(a)):
        raise ValidationError(f"alpha must be a finite float >= 0; got {alpha!r}.")
    return a


def _top_eig(G: np.ndarray):
    w, Q = eigh_desc(G)
    if w[0] <= 0:
        raise NumericalError("The dictionary is zero on the data; EDMD needs nonzero features.")
    keep = w > w[0] * G.shape[0] * np.finfo(float).eps
    return w[keep], Q[:, keep]


def pcr_basis(G: np.ndarray, rank=None, alpha: float = 0.0) -> np.ndarray:
    """PCR basis: top eigenvectors of ``G`` scaled by ``(eig + alpha)^{-1/2}``.

    Parameters
    ----------
    G : ndarray, shape (p, p)
        Normalized Gram matrix of the lifted inputs.
    rank : None, int or float
        Truncation rule on the singular values ``sqrt(eig(G))``.
    alpha : float
        Tikhonov regularization.

    Returns
    -------
    U : ndarray, shape (p, r)

    Examples
    --------
    >>> U = pcr_basis(np.diag([4.0, 1.0]), rank=1)
    >>> np.abs(U).ravel()
    array([0.5, 0. ])
    """
    a = _check_alpha(alpha)
    w, Q = _top_eig(G)
    r = truncation_rank(np.sqrt(w), rank)
    return Q[:, :r] / np.sqrt(w[:r] + a)


def rrr_basis(G: np.ndarray, A, rank=None, alpha: float = 0.0) -> np.ndarray:
    """Reduced-rank regression basis (Kostic et al. 2022), without a generalized eigensolver.

    Whitens with the eigendecomposition of ``G + alpha I`` and takes the top
    left singular vectors of the whitened cross-covariance.

    Parameters
    ----------
    G : ndarray, shape (p, p)
    A : ndarray (p, p), or callable
        The cross Gram matrix, or ``A(V) -> V^T A`` (to avoid forming it).
    rank : None, int or float
        Truncation rule on the singular values of the whitened operator.
    alpha : float

    Returns
    -------
    U : ndarray, shape (p, r)

    Examples
    --------
    >>> G = np.eye(2); A = np.diag([0.9, 0.1])
    >>> np.abs(rrr_basis(G, A, rank=1)).ravel()
    array([1., 0.])
    """
    a = _check_alpha(alpha)
    w, Q = _top_eig(G)
    Wh = Q / np.sqrt(w + a)  # (G + alpha)^{-1/2} on the numerical range of G
    B = A(Wh) if callable(A) else Wh.T @ A
    P, s, _ = np.linalg.svd(B, full_matrices=False)
    r = truncation_rank(s, rank)
    return Wh @ P[:, :r]
