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

from ..errors import NumericalError, ValidationError
from ._dmd_core import truncation_rank
from ._linalg import eigh_desc, gram

__all__ = ["lifted_pairs", "stacked_lift", "pcr_basis", "rrr_basis"]


def lifted_pairs(trajs, dictionary):
    """Lift every trajectory and pair consecutive feature rows, never across two.

    Parameters
    ----------
    trajs : iterable of ndarray (T, d)
    dictionary : fitted Dictionary

    Returns
    -------
    PX, PY : ndarray, shape (n, p)
        Features at ``x_k`` and ``x_{k+1}``.
    X, Y : ndarray, shape (n, d)
        The states ``x_k`` and ``x_{k+1}`` (last sample of each window).
    """
    w = dictionary.window
    pxs, pys, xs, ys = [], [], [], []
    for x in trajs:
        F = dictionary.transform(x)
        if F.shape[0] < 2:
            continue
        pxs.append(F[:-1])
        pys.append(F[1:])
        xs.append(x[w - 1:-1])
        ys.append(x[w:])
    if not pxs:
        raise ValidationError(
            f"No trajectory is longer than the dictionary window + 1 ({w + 1} samples); "
            "pass longer trajectories or fewer delays.")
    def cat(parts):
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    return cat(pxs), cat(pys), cat(xs), cat(ys)


def stacked_lift(trajs, dictionary):
    """Lift every trajectory once and index the lag pairs inside the stack.

    Cheaper than :func:`lifted_pairs` for long trajectories: consecutive pairs
    share rows, so ``Psi_X`` and ``Psi_Y`` are never formed; products with
    them are products with ``F`` restricted to ``ix`` / ``iy``.

    Returns
    -------
    F : ndarray, shape (N, p)
        Stacked features of every trajectory (rows with a full window).
    ix, iy : ndarray of int, shape (n,)
        Rows of ``F`` holding ``x_k`` and ``x_{k+1}`` for each pair.
    Y : ndarray, shape (n, d)
        The successor states.

    Examples
    --------
    >>> from lindy.operators import Polynomial
    >>> xs = [np.arange(3.0)[:, None], np.arange(2.0)[:, None]]
    >>> F, ix, iy, Y = stacked_lift(xs, Polynomial(1).fit(xs))
    >>> ix.tolist(), iy.tolist(), Y.ravel().tolist()
    ([0, 1, 3], [1, 2, 4], [1.0, 2.0, 1.0])
    """
    w = dictionary.window
    Fs, ix, ys, start = [], [], [], 0
    for x in trajs:
        F = dictionary.transform(x)
        if F.shape[0] >= 2:
            Fs.append(F)
            ix.append(start + np.arange(F.shape[0] - 1))
            ys.append(x[w:])
            start += F.shape[0]
    if not Fs:
        raise ValidationError(
            f"No trajectory is longer than the dictionary window + 1 ({w + 1} samples); "
            "pass longer trajectories or fewer delays.")
    ix = np.concatenate(ix)
    F = Fs[0] if len(Fs) == 1 else np.concatenate(Fs)
    Y = ys[0] if len(ys) == 1 else np.concatenate(ys)
    return F, ix, ix + 1, Y


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
