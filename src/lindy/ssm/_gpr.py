"""O(T) Gaussian-process regression through the Kalman filter and RTS smoother."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .._validation import check_array, check_nonnegative_float
from ..errors import LindyError, NotFittedError, ShapeError, ValidationError
from ._continuous import _check_times
from ._gp import Matern32, _Kernel, gp_params
from ._kalman import kalman_filter, log_likelihood, rts_smoother

__all__ = ["GPPosterior", "gp_regression", "gp_log_marginal_likelihood", "StateSpaceGP"]


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


def _check_data(t, y):
    t = _check_times(t)
    y = check_array(y, "y", ndim=(1, 2), allow_nan=True)
    y = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    if y.ndim != 1 or y.shape[0] != t.shape[0]:
        raise ShapeError(f"y must have shape ({t.shape[0]},) to match t; got {y.shape}.")
    return t, y


def _check_kernel(kernel):
    if not isinstance(kernel, _Kernel):
        raise ValidationError(f"kernel must be a lindy.ssm kernel (Matern32(), ...); got {kernel!r}.")
    return kernel


def gp_regression(kernel, t, y, noise: float, t_new=None) -> GPPosterior:
    """Posterior mean and variance of a zero-mean GP by Kalman filtering and smoothing.

    Parameters
    ----------
    kernel : Matern12, Matern32, Matern52, Periodic or a sum of them
    t : array_like (T,)
        Strictly increasing observation times (any spacing).
    y : array_like (T,)
        Observations (NaN = missing).
    noise : float
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
    >>> post = gp_regression(Matern32(lengthscale=1.0), t, y, noise=0.01, t_new=[0.2, 2.0])
    >>> post.mean.round(3)
    array([0.185, 0.781])
    """
    kernel = _check_kernel(kernel)
    t, y = _check_data(t, y)
    noise = check_nonnegative_float(noise, "noise")
    t_new = t if t_new is None else check_array(t_new, "t_new", ndim=1)
    grid, inv = np.unique(np.concatenate([t, t_new]), return_inverse=True)
    inv = inv.ravel()
    yg = np.full(grid.shape[0], np.nan)
    yg[inv[:t.shape[0]]] = y
    params = gp_params(kernel, grid, noise)
    sm = rts_smoother(params, kalman_filter(params, yg[:, None]))
    H = params.C
    idx = inv[t.shape[0]:]
    mean = sm.means[idx] @ H[0]
    var = np.einsum("i,kij,j->k", H[0], sm.covariances[idx], H[0])
    return GPPosterior(t=t_new, mean=mean, var=var)


def gp_log_marginal_likelihood(kernel, t, y, noise: float) -> float:
    """Log marginal likelihood ``log p(y | kernel, noise)`` in O(T).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import Matern12, gp_log_marginal_likelihood
    >>> round(gp_log_marginal_likelihood(Matern12(), [0.0, 1.0], [0.5, -0.2], 0.1), 4)
    -2.0565
    """
    kernel = _check_kernel(kernel)
    t, y = _check_data(t, y)
    noise = check_nonnegative_float(noise, "noise")
    return float(log_likelihood(gp_params(kernel, t, noise), y[:, None]))


class StateSpaceGP:
    """GP regression in O(T) with hyperparameters fitted by marginal likelihood.

    Parameters
    ----------
    kernel : kernel, default Matern32()
        Initial kernel (its hyperparameters are the starting point of the fit).
    noise : float, default 0.1
        Initial observation-noise variance.
    optimize : bool, default True
        Maximize the marginal likelihood over log-hyperparameters and noise.
    normalize_y : bool, default True
        Remove the mean and scale by the standard deviation before fitting.

    Attributes
    ----------
    kernel_ : kernel
    noise_ : float
    log_marginal_likelihood_ : float
        Of the (normalized) training data under the fitted hyperparameters.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import Matern52, StateSpaceGP
    >>> rng = np.random.default_rng(0)
    >>> t = np.sort(rng.uniform(0, 10, 200)); y = np.sin(t) + 0.1 * rng.standard_normal(200)
    >>> gp = StateSpaceGP(Matern52()).fit(t, y)
    >>> mean, std = gp.predict([2.5, 5.0], return_std=True)
    >>> bool(np.all(np.abs(mean - np.sin([2.5, 5.0])) < 0.1))
    True
    """

    def __init__(self, kernel=None, noise=0.1, optimize=True, normalize_y=True):
        self.kernel = kernel
        self.noise = noise
        self.optimize = optimize
        self.normalize_y = normalize_y

    def fit(self, t, y):
        """Fit hyperparameters (if ``optimize``) and store the training data.

        Parameters
        ----------
        t : array_like (T,)
        y : array_like (T,)

        Returns
        -------
        self
        """
        kernel = _check_kernel(Matern32() if self.kernel is None else self.kernel)
        noise = check_nonnegative_float(self.noise, "noise")
        t, y = _check_data(t, y)
        if np.isnan(y).all():
            raise ValidationError("y is entirely missing (NaN).")
        self._shift = float(np.nanmean(y)) if self.normalize_y else 0.0
        self._scale = float(np.nanstd(y)) if self.normalize_y and np.nanstd(y) > 0 else 1.0
        z = (y - self._shift) / self._scale
        if self.optimize:
            theta0 = np.append(kernel.log_params, np.log(max(noise, 1e-8)))

            def objective(theta):
                try:
                    with np.errstate(over="raise", invalid="raise", divide="raise"):
                        return -gp_log_marginal_likelihood(kernel.with_log_params(theta[:-1]), t, z,
                                                           float(np.exp(theta[-1])))
                except (LindyError, np.linalg.LinAlgError, FloatingPointError):
                    return 1e10

            opt = minimize(objective, theta0, method="L-BFGS-B",
                           bounds=[(-12.0, 12.0)] * theta0.size)
            kernel = kernel.with_log_params(opt.x[:-1])
            noise = float(np.exp(opt.x[-1]))
        self.kernel_, self.noise_ = kernel, noise
        self._t, self._z = t, z
        self.log_marginal_likelihood_ = gp_log_marginal_likelihood(kernel, t, z, noise)
        return self

    def predict(self, t_new, return_std: bool = False):
        """Posterior mean (and standard deviation) of the latent function at ``t_new``.

        Returns
        -------
        mean : ndarray (M,)
        std : ndarray (M,), if ``return_std``
        """
        if not hasattr(self, "kernel_"):
            raise NotFittedError("This StateSpaceGP instance is not fitted yet; call fit(t, y) first.")
        post = gp_regression(self.kernel_, self._t, self._z, self.noise_, t_new=t_new)
        mean = post.mean * self._scale + self._shift
        return (mean, post.std * self._scale) if return_std else mean
