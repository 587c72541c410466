"""Small dense linear-algebra helpers shared by the operator estimators."""

from __future__ import annotations

import numpy as np
import scipy.linalg

__all__ = ["eig_sorted", "eigh_desc", "gram", "randomized_eigh"]


def eig_sorted(M: np.ndarray):
    """Eigenvalues and right eigenvectors, sorted by decreasing modulus.

    Examples
    --------
    >>> lam, W = eig_sorted(np.diag([0.5, -2.0, 1.0]))
    >>> lam.real
    array([-2. ,  1. ,  0.5])
    """
    lam, W = np.linalg.eig(M)
    order = np.lexsort((-lam.imag, -np.abs(lam).round(12)))
    return lam[order], W[:, order]


def eigh_desc(S: np.ndarray, k: int | None = None):
    """Eigenpairs of a symmetric matrix in decreasing order (the top ``k`` if given).

    Examples
    --------
    >>> w, V = eigh_desc(np.diag([1.0, 3.0, 2.0]), 2)
    >>> w
    array([3., 2.])
    """
    n = S.shape[0]
    if k is not None and k < n // 4:
        w, V = scipy.linalg.eigh(S, subset_by_index=[n - k, n - 1], driver="evr")
    else:
        w, V = scipy.linalg.eigh(S, driver="evd")  # divide and conquer: fastest for all pairs
        if k is not None:
            w, V = w[n - k:], V[:, n - k:]
    return w[::-1], V[:, ::-1]


def gram(P: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """``scale * P^T P`` by a symmetric rank-k update (half the flops of a product).

    Examples
    --------
    >>> gram(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[10., 14.],
           [14., 20.]])
    """
    if P.dtype != np.float64 or P.shape[0] < 4 * P.shape[1]:
        return scale * (P.conj().T @ P)
    if P.flags.f_contiguous:  # upper triangle of P^T P without copying P
        C = scipy.linalg.blas.dsyrk(scale, P, trans=1)
    else:
        C = scipy.linalg.blas.dsyrk(scale, P.T, trans=0)
    return np.triu(C) + np.triu(C, 1).T


def randomized_eigh(apply, n: int, k: int, *, n_oversamples: int = 10, n_power_iter: int = 4,
                    rng=None, dtype=float):
    """Top ``k`` eigenpairs of a symmetric PSD operator given by its action.

    Randomized range finder with ``n_power_iter`` power iterations and a
    Rayleigh-Ritz step (Halko, Martinsson and Tropp 2011).

    Parameters
    ----------
    apply : callable
        ``apply(V (n, l)) -> (n, l)``, the product with the operator.
    n : int
        Size of the operator.
    k : int
        Number of eigenpairs.

    Returns
    -------
    w : ndarray, shape (k,)
    V : ndarray, shape (n, k)

    Examples
    --------
    >>> S = np.diag(np.arange(1.0, 51.0))
    >>> w, V = randomized_eigh(lambda V: S @ V, 50, 3, rng=np.random.default_rng(0))
    >>> w.round(8)
    array([50., 49., 48.])
    """
    rng = np.random.default_rng(rng)
    ell = min(n, k + n_oversamples)
    Q = rng.standard_normal((n, ell)).astype(dtype)
    Q, _ = np.linalg.qr(apply(Q))
    for _ in range(n_power_iter):
        Q, _ = np.linalg.qr(apply(Q))
    B = Q.T @ apply(Q)
    w, V = eigh_desc(0.5 * (B + B.T), k)
    return w, Q @ V
