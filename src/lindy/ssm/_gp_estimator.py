"""``GPForecaster``: state-space GP regression in the common estimator API."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from .._validation import check_nonnegative_float
from ..base import Estimator
from ..errors import LindyError, ValidationError
from ._gp import Matern32, gp_params
from ._gpr import _check_kernel, gp_log_marginal_likelihood
from ._kalman import kalman_filter

__all__ = ["GPForecaster"]


def _fit_column(kernel, noise, series, optimize):
    """Hyperparameters of one output maximizing the summed log marginal likelihood."""
    series = [(t, z) for t, z in series if np.isfinite(z).any()]

    def lml(kern, nse):
        return sum(gp_log_marginal_likelihood(kern, t, z, nse) for t, z in series)

    if optimize:
        theta0 = np.append(kernel.log_params, np.log(max(noise, 1e-8)))

        def objective(theta):
            try:
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    return -lml(kernel.with_log_params(theta[:-1]), float(np.exp(theta[-1])))
            except (LindyError, np.linalg.LinAlgError, FloatingPointError):
                return 1e10

        opt = minimize(objective, theta0, method="L-BFGS-B", bounds=[(-12.0, 12.0)] * theta0.size)
        kernel, noise = kernel.with_log_params(opt.x[:-1]), float(np.exp(opt.x[-1]))
    return kernel, noise, lml(kernel, noise)


class GPForecaster(Estimator):
    """Gaussian-process regression over time, one state-space GP per output, in O(T).

    Each column of ``X`` is modelled as ``x_j(t) = f_j(t) + e``, ``f_j`` a
    zero-mean GP with a Matérn / periodic kernel (a linear SDE, so filtering,
    smoothing and the marginal likelihood cost O(T) on any time grid), on
    standardized data. Hyperparameters are fitted per column by maximizing the
    marginal likelihood summed over the training trajectories. Times may be
    irregular and NaN entries are missing values. ``predict`` and ``forecast``
    condition on the given history only (Kalman filter), so they work on new
    trajectories; for the posterior at arbitrary times of one series use
    :func:`gp_regression` or :class:`StateSpaceGP`.

    Parameters
    ----------
    kernel : kernel, default Matern32()
        Initial kernel, shared as the starting point of every column.
    noise : float, default 0.1
        Initial observation-noise variance (of the standardized data).
    optimize : bool, default True
        Fit the hyperparameters by marginal likelihood.
    normalize_y : bool, default True
        Standardize each column (mean, standard deviation) before fitting.

    Attributes
    ----------
    kernels_ : list of kernels
        Fitted kernel per output.
    noises_ : ndarray (d,)
        Fitted noise variance per output (standardized units).
    log_marginal_likelihood_ : float
        Summed over outputs and trajectories (standardized data).
    dt_ : float
        Sampling interval; for irregular training times the median step, used
        to place forecasts of array contexts.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import GPForecaster, Matern52
    >>> t = np.sort(np.random.default_rng(0).uniform(0, 20, 300))
    >>> x = np.c_[np.sin(t), np.cos(0.5 * t)]
    >>> model = GPForecaster(Matern52()).fit(x, t=t)
    >>> fc = model.forecast(x[:100], horizon=3)
    >>> fc.mean.shape, fc.cov.shape
    ((3, 2), (3, 2, 2))
    """

    _allow_nan = True
    _allow_irregular = True

    def __init__(self, kernel=None, noise=0.1, optimize=True, normalize_y=True):
        self.kernel = kernel
        self.noise = noise
        self.optimize = optimize
        self.normalize_y = normalize_y

    def _fit(self, data) -> None:
        kernel = _check_kernel(Matern32() if self.kernel is None else self.kernel)
        noise = check_nonnegative_float(self.noise, "noise")
        X = data.concatenate()
        if np.isnan(X).all(axis=0).any():
            raise ValidationError("An output column is entirely missing (NaN); drop it first.")
        std = np.nanstd(X, axis=0)
        self.shift_ = np.nanmean(X, axis=0) if self.normalize_y else np.zeros(X.shape[1])
        self.scale_ = np.where(std > 0, std, 1.0) if self.normalize_y else np.ones(X.shape[1])
        kernels, noises, total = [], [], 0.0
        for j in range(X.shape[1]):
            series = [(tr.t, (tr.x[:, j] - self.shift_[j]) / self.scale_[j]) for tr in data]
            k, nse, lml = _fit_column(kernel, noise, series, bool(self.optimize))
            kernels.append(k)
            noises.append(nse)
            total += lml
        self.kernels_, self.noises_ = kernels, np.array(noises)
        self.log_marginal_likelihood_ = float(total)

    def _filter(self, x, t_all):
        """Predicted means and variances of every column on ``t_all`` given ``x`` (first rows)."""
        T = x.shape[0]
        mean = np.empty((t_all.shape[0], x.shape[1]))
        var = np.empty_like(mean)
        for j, (kern, nse) in enumerate(zip(self.kernels_, self.noises_)):
            y = np.full(t_all.shape[0], np.nan)
            y[:T] = (x[:, j] - self.shift_[j]) / self.scale_[j]
            params = gp_params(kern, t_all, float(nse))
            filt = kalman_filter(params, y[:, None])
            H = params.C[0]
            mean[:, j] = filt.predicted_means @ H * self.scale_[j] + self.shift_[j]
            v = np.einsum("i,kij,j->k", H, filt.predicted_covariances, H) + nse
            var[:, j] = v * self.scale_[j] ** 2
        return mean, var

    def _predict_next(self, x, u):
        mean, _ = self._filter(x, self._forecast_step() * np.arange(x.shape[0] + 1))
        return mean[1:]

    def _forecast_at(self, x, t_context, t_future):
        mean, var = self._filter(x, np.concatenate([t_context, t_future]))
        H = t_future.shape[0]
        cov = np.zeros((H, x.shape[1], x.shape[1]))
        idx = np.arange(x.shape[1])
        cov[:, idx, idx] = var[-H:]
        return mean[-H:], cov

    def _forecast(self, context, horizon, u_future):
        """Condition on the context at its own (possibly irregular) times."""
        t_future = float(context.t[-1]) + self._forecast_step() * np.arange(1, horizon + 1)
        mean, cov = self._forecast_at(context.x, np.asarray(context.t, dtype=float), t_future)
        return self._forecast_result(context, mean, cov=cov)
