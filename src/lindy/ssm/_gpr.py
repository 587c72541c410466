"""O(T) Gaussian-process regression through the Kalman filter and RTS smoother.

Functions, not an estimator: the posterior of one series at arbitrary times is
:func:`gp_regression`, its hyperparameters come from
:func:`~lindy.ssm.fit_gp_hyperparameters`; :class:`~lindy.ssm.GPForecaster` is
the estimator (several outputs and trajectories, forecasts) under the common API.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_array, check_nonnegative_float
from ._gp import gp_params
from ._hyperparameters import check_kernel, check_series
from ._kalman import kalman_filter, log_likelihood, rts_smoother

__all__ = ["GPPosterior", "gp_regression", "gp_log_marginal_likelihood"]


@dataclass(frozen=True, eq=False)
class GPPosterior:
    """Posterior of the latent function at times ``t``.

    Attributes
    ----------
    t : ndarray (M,)
    mean : ndarray (M,)
    var : ndarray (M,)
        Posterior variance of ``f`` (add the noise variance for new observations).
    """

    t: np.ndarray
    mean: np.ndarray
    var: np.ndarray

    @property
    def std(self) -> np.ndarray:
        """Posterior standard deviation."""
        return np.sqrt(np.maximum(self.var, 0.0))


def gp_regression(kernel, t, y, noise_variance: float, t_new=None) -> GPPosterior:
    """Posterior mean and variance of a zero-mean GP by Kalman filtering and smoothing.

    Parameters
    ----------
    kernel : Matern12, Matern32, Matern52, Periodic or a sum of them
    t : array_like (T,)
        Strictly increasing observation times (any spacing).
    y : array_like (T,)
        Observations (NaN = missing).
    noise_variance : float
        Observation-noise variance.
    t_new : array_like (M,), optional
        Prediction times (default ``t``); any order, may coincide with ``t``.

    Returns
    -------
    GPPosterior

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import Matern32, gp_regression
    >>> t = np.array([0.0, 0.4, 1.5, 1.6, 3.0]); y = np.sin(t)
    >>> post = gp_regression(Matern32(lengthscale=1.0), t, y, noise_variance=0.01,
    ...                      t_new=[0.2, 2.0])
    >>> post.mean.round(3)
    array([0.185, 0.781])
    """
    kernel = check_kernel(kernel)
    t, y = check_series(t, y)
    noise_variance = check_nonnegative_float(noise_variance, "noise_variance")
    t_new = t if t_new is None else check_array(t_new, "t_new", ndim=1)
    grid, inv = np.unique(np.concatenate([t, t_new]), return_inverse=True)
    inv = inv.ravel()
    yg = np.full(grid.shape[0], np.nan)
    yg[inv[:t.shape[0]]] = y
    params = gp_params(kernel, grid, noise_variance)
    sm = rts_smoother(params, kalman_filter(params, yg[:, None]))
    H = params.C
    idx = inv[t.shape[0]:]
    mean = sm.means[idx] @ H[0]
    var = np.einsum("i,kij,j->k", H[0], sm.covariances[idx], H[0])
    return GPPosterior(t=t_new, mean=mean, var=var)


def gp_log_marginal_likelihood(kernel, t, y, noise_variance: float) -> float:
    """Log marginal likelihood ``log p(y | kernel, noise_variance)`` in O(T).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import Matern12, gp_log_marginal_likelihood
    >>> round(gp_log_marginal_likelihood(Matern12(), [0.0, 1.0], [0.5, -0.2], 0.1), 4)
    -2.0565
    """
    kernel = check_kernel(kernel)
    t, y = check_series(t, y)
    noise_variance = check_nonnegative_float(noise_variance, "noise_variance")
    return float(log_likelihood(gp_params(kernel, t, noise_variance), y[:, None]))
