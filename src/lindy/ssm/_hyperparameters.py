"""One marginal-likelihood fitter for the hyperparameters of state-space GPs and LFMs.

Every GP-type model in :mod:`lindy.ssm` (:func:`fit_gp_hyperparameters`,
:class:`~lindy.ssm.GPForecaster`, :func:`~lindy.ssm.fit_latent_force`) has the same
unknowns: a kernel's positive hyperparameters and one or more noise variances.
:func:`maximize_marginal_likelihood` maximizes a log marginal likelihood over
their logarithms with L-BFGS-B inside fixed bounds; parameter values where the
likelihood cannot be evaluated (overflow, a singular covariance) count as very
unlikely instead of stopping the search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .._validation import check_array
from ..errors import LindyError, ValidationError
from ._continuous import _check_times
from ._gp import _Kernel, gp_params
from ._kalman import log_likelihood

__all__ = ["GPHyperparameters", "fit_gp_hyperparameters", "maximize_marginal_likelihood"]

#: log-hyperparameters are searched in [-LOG_BOUND, LOG_BOUND]
LOG_BOUND = 12.0
_PENALTY = 1e10


@dataclass(frozen=True, eq=False)
class GPHyperparameters:
    """Output of :func:`fit_gp_hyperparameters`.

    Attributes
    ----------
    kernel : kernel
        The fitted kernel.
    noise_variance : float or ndarray (p,)
        The fitted observation-noise variance(s).
    log_marginal_likelihood : float
        At the fitted values.
    """

    kernel: object
    noise_variance: float | np.ndarray
    log_marginal_likelihood: float


def check_kernel(kernel):
    """``kernel`` if it is a lindy.ssm kernel, else a ValidationError."""
    if not isinstance(kernel, _Kernel):
        raise ValidationError(f"kernel must be a lindy.ssm kernel (Matern32(), ...); got {kernel!r}.")
    return kernel


def maximize_marginal_likelihood(log_marginal_likelihood: Callable, kernel, noise_variance,
                                 *, optimize: bool = True) -> GPHyperparameters:
    """Maximize ``log_marginal_likelihood(kernel, noise_variance)`` over log-hyperparameters.

    Parameters
    ----------
    log_marginal_likelihood : callable
        ``(kernel, noise_variance) -> float``; ``noise_variance`` has the shape of
        the starting value.
    kernel : kernel
        Starting kernel.
    noise_variance : float or array_like (p,)
        Starting noise variance(s), >= 0.
    optimize : bool, default True
        False evaluates the starting point only.

    Returns
    -------
    GPHyperparameters
    """
    kernel = check_kernel(kernel)
    scalar = np.ndim(noise_variance) == 0
    noise = np.atleast_1d(np.asarray(noise_variance, dtype=float)).copy()
    if np.any(~np.isfinite(noise)) or np.any(noise < 0):
        raise ValidationError(f"noise variances must be >= 0; got {noise_variance!r}.")

    def unpack(theta):
        nv = np.exp(theta[nk:])
        return kernel.with_log_params(theta[:nk]), (float(nv[0]) if scalar else nv)

    nk = kernel.log_params.size
    if optimize:
        def objective(theta):
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    value = -float(log_marginal_likelihood(*unpack(theta)))
            except (LindyError, np.linalg.LinAlgError, FloatingPointError):
                return _PENALTY
            return value if np.isfinite(value) else _PENALTY

        start = np.log(np.maximum(noise, np.exp(-LOG_BOUND)))
        theta0 = np.clip(np.concatenate([kernel.log_params, start]), -LOG_BOUND, LOG_BOUND)
        opt = minimize(objective, theta0, method="L-BFGS-B",
                       bounds=[(-LOG_BOUND, LOG_BOUND)] * theta0.size)
        kernel, nv = unpack(opt.x)
    else:
        nv = float(noise[0]) if scalar else noise
    return GPHyperparameters(kernel=kernel, noise_variance=nv,
                             log_marginal_likelihood=float(log_marginal_likelihood(kernel, nv)))


def fit_gp_hyperparameters(kernel, t, y, noise_variance: float = 0.1) -> GPHyperparameters:
    """Kernel hyperparameters and noise variance of a zero-mean GP by marginal likelihood.

    The log marginal likelihood costs O(T) per evaluation (Kalman filter), so
    long irregular series are fine; standardize ``y`` first if its scale is far
    from 1.

    Parameters
    ----------
    kernel : Matern12, Matern32, Matern52, Periodic or a sum of them
        Starting point.
    t : array_like (T,)
        Strictly increasing times (any spacing).
    y : array_like (T,)
        Observations (NaN = missing).
    noise_variance : float, default 0.1
        Starting observation-noise variance.

    Returns
    -------
    GPHyperparameters

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import Matern52, fit_gp_hyperparameters, gp_regression
    >>> rng = np.random.default_rng(0)
    >>> t = np.sort(rng.uniform(0, 10, 200)); y = np.sin(t) + 0.1 * rng.standard_normal(200)
    >>> hyp = fit_gp_hyperparameters(Matern52(), t, y)
    >>> post = gp_regression(hyp.kernel, t, y, hyp.noise_variance, t_new=[2.5, 5.0])
    >>> bool(np.all(np.abs(post.mean - np.sin([2.5, 5.0])) < 0.1))
    True
    """
    t, y = check_series(t, y)
    return maximize_marginal_likelihood(
        lambda k, nv: log_likelihood(gp_params(k, t, nv), y[:, None]), kernel,
        float(noise_variance))


def check_series(t, y):
    """Validated strictly increasing times ``t (T,)`` and observations ``y (T,)``."""
    from ..errors import ShapeError

    t = _check_times(t)
    y = check_array(y, "y", ndim=(1, 2), allow_nan=True)
    y = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    if y.ndim != 1 or y.shape[0] != t.shape[0]:
        raise ShapeError(f"y must have shape ({t.shape[0]},) to match t; got {y.shape}.")
    return t, y
