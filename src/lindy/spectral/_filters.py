"""Spectral filters of Hazan, Singh and Zhang (2017): eigenvectors of a fixed Hankel matrix.

Pure functions: the filter bank, the filtered features of a history, and the
least-squares and online (projected gradient) fits of the predictor.
"""

from __future__ import annotations

import functools

import numpy as np
import scipy.linalg
import scipy.sparse.linalg
from scipy.signal import fftconvolve

__all__ = ["hankel_filters", "filtered_history", "fit_lstsq", "fit_online"]


#: above this filter length the eigenfilters come from Lanczos with an FFT Hankel product
_DENSE_MAX = 1000


def _hankel_operator(length: int) -> scipy.sparse.linalg.LinearOperator:
    """``v -> Z v`` in O(L log L) memory and time (Z is a Hankel matrix)."""
    s = np.arange(2, 2 * length + 1, dtype=float)  # i + j for i, j = 1..L
    h = 2.0 / (s ** 3 - s)

    def matvec(v):
        v = np.asarray(v, dtype=float).ravel()
        return fftconvolve(h, v[::-1])[length - 1: 2 * length - 1]

    return scipy.sparse.linalg.LinearOperator((length, length), matvec=matvec, dtype=float)


@functools.lru_cache(maxsize=8)
def _filters_cached(length: int, n_filters: int):
    if length <= _DENSE_MAX or n_filters >= length // 2:
        i = np.arange(1, length + 1, dtype=float)
        s = i[:, None] + i[None, :]
        sigma, phi = scipy.linalg.eigh(2.0 / (s ** 3 - s),
                                       subset_by_index=[length - n_filters, length - 1])
    else:  # a fixed start vector keeps the result deterministic
        sigma, phi = scipy.sparse.linalg.eigsh(_hankel_operator(length), k=n_filters, which="LA",
                                               tol=0, v0=np.full(length, length ** -0.5))
        order = np.argsort(sigma)
        sigma, phi = sigma[order], phi[:, order]
    sigma, phi = sigma[::-1], phi[:, ::-1]
    phi = phi * np.sign(phi[0] + (phi[0] == 0))  # a fixed sign per filter
    return sigma, phi


def hankel_filters(length: int, n_filters: int) -> tuple[np.ndarray, np.ndarray]:
    """Top eigenpairs of ``Z_ij = 2 / ((i+j)^3 - (i+j))``, ``i, j = 1..length``.

    Returns
    -------
    sigma : ndarray, shape (n_filters,)
        Eigenvalues, decreasing.
    phi : ndarray, shape (length, n_filters)
        Unit eigenvectors; ``phi[i - 1, j]`` weights the input ``i`` steps back.

    Examples
    --------
    >>> sigma, phi = hankel_filters(100, 5)
    >>> bool(np.all(np.diff(sigma) < 0)), np.allclose(phi.T @ phi, np.eye(5))
    (True, True)
    """
    sigma, phi = _filters_cached(int(length), int(n_filters))
    return sigma.copy(), phi.copy()


def filter_bank(length: int, n_filters: int, negative: bool) -> np.ndarray:
    """Filters scaled by ``sigma^(1/4)``; with ``negative`` also the ``(-1)^i`` copies.

    Returns
    -------
    ndarray, shape (length, n_filters) or (length, 2 n_filters)
    """
    sigma, phi = hankel_filters(length, n_filters)
    bank = phi * sigma ** 0.25
    if negative:
        sign = (-1.0) ** np.arange(1, length + 1)
        bank = np.hstack([bank, sign[:, None] * bank])
    return bank


def filtered_history(v: np.ndarray, bank: np.ndarray) -> np.ndarray:
    """Row ``k``: ``sum_{i=1..L} bank[i-1] v[k-i]`` per channel (zeros before the start).

    Parameters
    ----------
    v : ndarray, shape (T, c)
    bank : ndarray, shape (L, q)

    Returns
    -------
    ndarray, shape (T, q * c)
        Filter-major: columns ``[f_0 v_0 .. f_0 v_{c-1}, f_1 v_0, ...]``.
    """
    T, c = v.shape
    full = fftconvolve(v[:, None, :], bank[:, :, None], axes=0)[:T]  # sum_{i>=0} b[i] v[k-i]
    out = np.zeros((T, bank.shape[1], c))
    out[1:] = full[:-1]
    return out.reshape(T, -1)


def fit_lstsq(F: np.ndarray, Y: np.ndarray, alpha: float) -> np.ndarray:
    """Ridge least squares ``Y ≈ F W`` (penalty ``alpha * n`` on every weight)."""
    G = F.T @ F
    G[np.diag_indices_from(G)] += alpha * F.shape[0]
    return scipy.linalg.solve(G, F.T @ Y, assume_a="pos")


def fit_online(F: np.ndarray, Y: np.ndarray, learning_rate: float, radius: float,
               n_epochs: int) -> np.ndarray:
    """Online projected gradient descent on the squared loss (Hazan et al. 2017, Alg. 1).

    Samples are visited in time order; after each step the weights are projected
    on the Frobenius ball of ``radius``.
    """
    W = np.zeros((F.shape[1], Y.shape[1]))
    for _ in range(n_epochs):
        for f, y in zip(F, Y):
            W -= learning_rate * np.outer(f, f @ W - y)
            norm = np.linalg.norm(W)
            if norm > radius:
                W *= radius / norm
    return W
