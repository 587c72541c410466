"""NVAR feature vectors: constant, linear delay taps and unique monomials (pure functions)."""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["monomial_indices", "linear_taps", "nvar_features", "n_features"]


def monomial_indices(n_linear: int, degree: int, variables=None) -> np.ndarray:
    """Index tuples of the unique monomials of degrees 2..``degree`` of ``n_linear`` features.

    Parameters
    ----------
    n_linear : int
        Number of linear features.
    degree : int
        Highest degree.
    variables : sequence of int, optional
        The linear features that enter the monomials (default: all of them);
        a polynomial NARX, for instance, multiplies only its output lags.

    Returns
    -------
    ndarray of int, shape (n_monomials, degree)
        Row ``i`` lists the linear features multiplied in monomial ``i``; a
        monomial of lower degree is padded with ``n_linear`` (the index of an
        implicit feature equal to 1).

    Examples
    --------
    >>> monomial_indices(2, 2).tolist()
    [[0, 0], [0, 1], [1, 1]]
    >>> monomial_indices(2, 3).shape
    (7, 3)
    >>> monomial_indices(3, 2, variables=[0, 2]).tolist()
    [[0, 0], [0, 2], [2, 2]]
    """
    chosen = range(n_linear) if variables is None else [int(v) for v in variables]
    rows = []
    for p in range(2, degree + 1):
        for combo in itertools.combinations_with_replacement(chosen, p):
            rows.append(list(combo) + [n_linear] * (degree - p))
    return np.array(rows, dtype=np.intp).reshape(len(rows), max(degree, 1))


def n_features(n_linear: int, degree: int) -> int:
    """Length of the feature vector: 1 + ``n_linear`` + unique monomials of degrees 2..degree.

    Examples
    --------
    >>> n_features(6, 2)         # Lorenz-63 with two delay taps (Gauthier et al. 2021)
    28
    """
    return 1 + n_linear + monomial_indices(n_linear, degree).shape[0]


def linear_taps(z: np.ndarray, n_delays: int, stride: int) -> np.ndarray:
    """Linear features of every complete window: row ``r`` is ``[z_k, z_{k-s}, ..., z_{k-(n-1)s}]``.

    Newest sample first (as Gauthier et al. 2021); ``k = r + (n_delays - 1) stride``.

    Parameters
    ----------
    z : ndarray, shape (T, c)
    n_delays, stride : int

    Returns
    -------
    ndarray, shape (T - (n_delays - 1) stride, n_delays c)

    Examples
    --------
    >>> linear_taps(np.arange(4.0)[:, None], 2, 1).tolist()
    [[1.0, 0.0], [2.0, 1.0], [3.0, 2.0]]
    """
    span = (n_delays - 1) * stride
    rows = z.shape[0] - span
    if rows <= 0:
        return np.zeros((0, n_delays * z.shape[1]))
    return np.concatenate([z[span - j * stride: span - j * stride + rows] for j in range(n_delays)],
                          axis=1)


def nvar_features(lin: np.ndarray, monomials: np.ndarray) -> np.ndarray:
    """Full feature vectors ``[1, lin, monomials(lin)]`` of linear features ``lin`` (n, L).

    Examples
    --------
    >>> nvar_features(np.array([[2.0, 3.0]]), monomial_indices(2, 2)).tolist()
    [[1.0, 2.0, 3.0, 4.0, 6.0, 9.0]]
    """
    n = lin.shape[0]
    padded = np.concatenate([lin, np.ones((n, 1))], axis=1)
    out = np.empty((n, 1 + lin.shape[1] + monomials.shape[0]))
    out[:, 0] = 1.0
    out[:, 1:1 + lin.shape[1]] = lin
    prod = padded[:, monomials[:, 0]].copy()
    for j in range(1, monomials.shape[1]):
        prod *= padded[:, monomials[:, j]]
    out[:, 1 + lin.shape[1]:] = prod
    return out
