"""Ridge readouts shared by the reservoir models (pure functions)."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
import scipy.linalg.blas

__all__ = ["ridge_readout", "gram"]


def _solve_normal(G: np.ndarray, rhs: np.ndarray) -> np.ndarray:
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
    return scipy.linalg.lstsq(G, rhs, check_finite=False)[0]


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
    G, FY = gram(F), F.T @ Y
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
