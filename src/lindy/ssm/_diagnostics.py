"""Filter consistency diagnostics: NEES, NIS, chi-square bounds, innovation whiteness."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

from .._validation import check_array, check_positive_int
from ..errors import NumericalError, ShapeError, ValidationError

__all__ = ["nees", "nis", "chi2_bounds", "WhitenessTest", "innovation_whiteness"]


def nees(x_true, means, covariances) -> np.ndarray:
    """Normalized estimation error squared ``(x - m)^T P^{-1} (x - m)`` per step.

    For a consistent filter it is chi-square with ``n`` degrees of freedom.

    Parameters
    ----------
    x_true : array_like, shape (T, n)
    means : array_like, shape (T, n)
    covariances : array_like, shape (T, n, n)

    Returns
    -------
    ndarray, shape (T,)

    Examples
    --------
    >>> import numpy as np
    >>> nees(np.ones((2, 2)), np.zeros((2, 2)), np.stack([np.eye(2), 2 * np.eye(2)]))
    array([2., 1.])
    """
    x = check_array(x_true, "x_true", ndim=2)
    m = check_array(means, "means", ndim=2)
    P = check_array(covariances, "covariances", ndim=3)
    if x.shape != m.shape or P.shape != (*m.shape, m.shape[1]):
        raise ShapeError(f"Need x_true and means (T, n) and covariances (T, n, n); got "
                         f"{x.shape}, {m.shape}, {P.shape}.")
    try:
        L = np.linalg.cholesky(P)
    except np.linalg.LinAlgError:
        raise NumericalError("A covariance is not positive definite; NEES is undefined.") from None
    z = np.linalg.solve(L, (x - m)[..., None])[..., 0]
    return (z * z).sum(axis=1)


def nis(filt) -> np.ndarray:
    """Normalized innovation squared of a filter result (chi-square, ``p_k`` dof).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, kalman_filter
    >>> p = LGSSMParams(A=[[1.0]], C=[[1.0]], Q=[[0.0]], R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> nis(kalman_filter(p, [[2.0]]))
    array([2.])
    """
    if not hasattr(filt, "nis"):
        raise ValidationError("nis needs a filter result (kalman_filter, extended_kalman_filter, ...).")
    return np.asarray(filt.nis)


def chi2_bounds(dof: int, n_samples: int, alpha: float = 0.05) -> tuple[float, float]:
    """Two-sided ``1 - alpha`` interval of the average of ``n_samples`` chi-square(dof) values.

    Examples
    --------
    >>> lo, hi = chi2_bounds(2, 100)
    >>> round(lo, 3), round(hi, 3)
    (1.63, 2.41)
    """
    dof = check_positive_int(dof, "dof")
    n_samples = check_positive_int(n_samples, "n_samples")
    k = dof * n_samples
    return float(chi2.ppf(alpha / 2, k) / n_samples), float(chi2.ppf(1 - alpha / 2, k) / n_samples)


@dataclass(frozen=True)
class WhitenessTest:
    """Result of :func:`innovation_whiteness` (multivariate Ljung-Box / Hosking test).

    Attributes
    ----------
    statistic : float
    dof : int
    p_value : float
        Small values reject whiteness (the model misses structure).
    autocorrelations : ndarray, shape (lags, p, p)
    """

    statistic: float
    dof: int
    p_value: float
    autocorrelations: np.ndarray


def innovation_whiteness(filt, lags: int = 10) -> WhitenessTest:
    """Portmanteau test that the whitened innovations are serially uncorrelated.

    Uses the whitened innovations of a filter result (standard normal and
    white under a correct model); pairs involving a missing value are skipped.

    Parameters
    ----------
    filt : FilterResult
    lags : int, default 10

    Returns
    -------
    WhitenessTest

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, kalman_filter, sample
    >>> p = LGSSMParams(A=[[0.8]], C=[[1.0]], Q=[[1.0]], R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> _, y = sample(p, 2000, random_state=0)
    >>> innovation_whiteness(kalman_filter(p, y)).p_value > 0.01
    True
    """
    lags = check_positive_int(lags, "lags")
    e = np.asarray(getattr(filt, "whitened_innovations", None), dtype=float)
    if e.ndim != 2:
        raise ValidationError("innovation_whiteness needs the filter result of one sequence.")
    T, p = e.shape
    if T <= lags + 1:
        raise ValidationError(f"Need more than lags + 1 = {lags + 1} steps; got {T}.")
    ok = ~np.isnan(e)
    z = np.where(ok, e - np.nanmean(e, axis=0), 0.0)
    count0 = ok.T.astype(float) @ ok
    G0 = (z.T @ z) / np.maximum(count0, 1)
    try:
        L = np.linalg.cholesky(G0)
    except np.linalg.LinAlgError:
        raise NumericalError("The innovations are degenerate (singular covariance).") from None
    stat = 0.0
    acs = np.empty((lags, p, p))
    n_eff = int(ok.all(axis=1).sum())
    for h in range(1, lags + 1):
        cnt = ok[h:].T.astype(float) @ ok[:-h]
        Gh = (z[h:].T @ z[:-h]) / np.maximum(cnt, 1)
        R = np.linalg.solve(L, np.linalg.solve(L, Gh.T).T)
        acs[h - 1] = R
        stat += np.sum(R * R) / max(n_eff - h, 1)
    stat *= n_eff ** 2
    dof = lags * p * p
    return WhitenessTest(statistic=float(stat), dof=dof, p_value=float(chi2.sf(stat, dof)),
                         autocorrelations=acs)
