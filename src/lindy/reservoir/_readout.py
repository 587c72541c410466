"""Ridge readouts shared by the reservoir models (pure functions)."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
import scipy.linalg.blas

__all__ = ["ridge_readout", "gram", "gram_update", "ridge_from_gram"]


def _solve_normal(G: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve ``G W = rhs`` for symmetric ``G`` of which only the upper triangle is read."""
    try:
        with warnings.catch_warnings():
            # NVAR's Gram matrices are ill-conditioned by design (monomials of raw data
            # under a tiny ridge); the solve is still the ridge solution asked for
            warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
            factor = scipy.linalg.cho_factor(G, check_finite=False)
            W = scipy.linalg.cho_solve(factor, rhs, check_finite=False)
        if np.all(np.isfinite(W)):
            return W
    except (np.linalg.LinAlgError, ValueError):
        pass
    full = np.triu(G) + np.triu(G, 1).T
    return scipy.linalg.lstsq(full, rhs, check_finite=False)[0]


def ridge_readout(F: np.ndarray, Y: np.ndarray, alpha: float, *,
                  fit_intercept: bool = False) -> np.ndarray:
    """Weights ``W`` minimizing ``|F W - Y|^2 + alpha |W|^2`` (normal equations).

    With ``fit_intercept=False`` every weight is penalized, a constant column of
    ``F`` included (Gauthier et al. 2021). With ``fit_intercept=True`` an
    unpenalized intercept is fitted by centering (scikit-learn's ``Ridge``,
    reservoirpy's ``Ridge``) and returned as the first row. The symmetric
    system ``(F^T F + alpha I) W = F^T Y`` is solved by Cholesky, falling back
    to least squares when it is numerically singular.

    Parameters
    ----------
    F : ndarray, shape (n, p)
        Feature rows.
    Y : ndarray, shape (n, d)
        Targets.
    alpha : float
        Ridge strength (>= 0).
    fit_intercept : bool, default False

    Returns
    -------
    ndarray, shape (p, d), or (p + 1, d) with the intercept first

    Examples
    --------
    >>> F = np.array([[0.0], [1.0], [2.0]])
    >>> ridge_readout(F, 1.0 + 2.0 * F, 0.0, fit_intercept=True).ravel().round(12).tolist()
    [1.0, 2.0]
    """
    G, FY = _gram_upper(F), F.T @ Y
    if fit_intercept:
        n = F.shape[0]
        fm, ym = F.mean(axis=0), Y.mean(axis=0)
        G -= n * np.outer(fm, fm)
        FY -= n * np.outer(fm, ym)
    G[np.diag_indices_from(G)] += alpha
    W = _solve_normal(G, FY)
    if fit_intercept:
        return np.vstack([ym - fm @ W, W])
    return W


def _gram_upper(F: np.ndarray) -> np.ndarray:
    """The upper triangle of ``F^T F`` (the lower one is not set)."""
    F = np.asarray(F, dtype=float)
    if F.shape[0] == 0 or F.shape[1] == 0:
        return np.zeros((F.shape[1], F.shape[1]))
    return scipy.linalg.blas.dsyrk(1.0, np.asfortranarray(F.T), trans=0, lower=0)


def gram_update(M: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``M + rows^T rows`` on the upper triangle (a symmetric rank-k update), for blocked Grams.

    ``M`` is updated in place when it is Fortran-ordered; use the returned array.

    Examples
    --------
    >>> F = np.arange(12.0).reshape(6, 2)
    >>> M = np.zeros((2, 2), order="F")
    >>> for block in (F[:4], F[4:]):
    ...     M = gram_update(M, block)
    >>> bool(np.allclose(np.triu(M), np.triu(F.T @ F)))
    True
    """
    if rows.shape[0] == 0:
        return M
    a = np.asfortranarray(np.asarray(rows, dtype=float).T)
    return scipy.linalg.blas.dsyrk(1.0, a, beta=1.0, c=M, trans=0, lower=0, overwrite_c=1)


def ridge_from_gram(M: np.ndarray, n_features: int, alpha: float) -> np.ndarray:
    """The ridge readout with an unpenalized intercept from the Gram matrix of ``[1, F, Y]``.

    ``M`` (upper triangle read) is ``A^T A`` for the rows ``A = [1, f_k, y_k]``
    with ``n_features`` columns of ``f``: it holds the sample count, the column
    sums and the cross products, so the features never need to be stored
    (accumulate it with :func:`gram_update`). Same result as
    ``ridge_readout(F, Y, alpha, fit_intercept=True)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> F = rng.standard_normal((50, 3)); Y = 1.0 + F @ [[1.0], [2.0], [3.0]]
    >>> A = np.hstack([np.ones((50, 1)), F, Y])
    >>> W = ridge_from_gram(gram_update(np.zeros((5, 5), order="F"), A), 3, 1e-3)
    >>> bool(np.allclose(W, ridge_readout(F, Y, 1e-3, fit_intercept=True), rtol=1e-10))
    True
    """
    p = n_features
    n = M[0, 0]
    fm, ym = M[0, 1: 1 + p] / n, M[0, 1 + p:] / n
    G = M[1: 1 + p, 1: 1 + p] - n * np.outer(fm, fm)
    FY = M[1: 1 + p, 1 + p:] - n * np.outer(fm, ym)
    G[np.diag_indices_from(G)] += alpha
    W = _solve_normal(G, FY)
    return np.vstack([ym - fm @ W, W])


def gram(F: np.ndarray) -> np.ndarray:
    """``F^T F`` by a symmetric rank-k update (half the flops of a general product).

    Examples
    --------
    >>> F = np.arange(6.0).reshape(3, 2)
    >>> gram(F).tolist()
    [[20.0, 26.0], [26.0, 35.0]]
    """
    F = np.asarray(F, dtype=float)
    if F.shape[0] == 0 or F.shape[1] == 0:
        return np.zeros((F.shape[1], F.shape[1]))
    upper = scipy.linalg.blas.dsyrk(1.0, np.asfortranarray(F.T), trans=0, lower=0)
    return np.triu(upper) + np.triu(upper, 1).T
