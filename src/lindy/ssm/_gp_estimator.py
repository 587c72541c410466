"""``GPForecaster``: state-space GP regression in the common estimator API."""

from __future__ import annotations

import numpy as np

from .._constraints import BOOL, InstanceOf, Interval
from ..base import Estimator
from ..errors import ValidationError
from ._gp import Matern32, _Kernel, gp_params
from ._hyperparameters import maximize_marginal_likelihood
from ._kalman import kalman_filter, log_likelihood

__all__ = ["GPForecaster"]


def _fit_column(kernel, noise_variance, series, optimize):
    """Hyperparameters of one output maximizing the summed log marginal likelihood."""
    series = [(t, z) for t, z in series if np.isfinite(z).any()]

    def lml(kern, nv):
        return sum(log_likelihood(gp_params(kern, t, nv), z[:, None]) for t, z in series)

    return maximize_marginal_likelihood(lml, kernel, noise_variance, optimize=optimize)


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
    :func:`gp_regression` (with :func:`fit_gp_hyperparameters`). This is lindy's
    one GP estimator: a GP over time has no one-step-ahead ``predict(X)`` other
    than this filter, so the posterior at arbitrary times stays a function.

    Parameters
    ----------
    kernel : kernel, default Matern32()
        Initial kernel, shared as the starting point of every column.
    noise_variance : float, default 0.1
        Initial observation-noise variance (of the standardized data).
    optimize : bool, default True
        Fit the hyperparameters by marginal likelihood.
    normalize_y : bool, default True
        Standardize each column (mean, standard deviation) before fitting.

    Attributes
    ----------
    kernels_ : list of kernels
        Fitted kernel per output.
    noise_variances_ : ndarray (d,)
        Fitted noise variance per output (standardized units).
    log_marginal_likelihood_ : float
        Summed over outputs and trajectories (standardized data).
    dt_ : float or None
        Sampling interval; None for irregular training times, whose median
        step ``median_dt_`` then places forecasts.

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

    _parameter_constraints = {
        "kernel": [None, InstanceOf((_Kernel,), "a lindy.ssm kernel (Matern32(), ...)")],
        "noise_variance": [Interval(float, 0, None)],
        "optimize": [BOOL],
        "normalize_y": [BOOL],
    }

    def __init__(self, kernel=None, noise_variance=0.1, optimize=True, normalize_y=True):
        self.kernel = kernel
        self.noise_variance = noise_variance
        self.optimize = optimize
        self.normalize_y = normalize_y

    def _fit(self, data) -> None:
        kernel = Matern32() if self.kernel is None else self.kernel
        X = data.concatenate()
        if np.isnan(X).all(axis=0).any():
            raise ValidationError("An output column is entirely missing (NaN); drop it first.")
        std = np.nanstd(X, axis=0)
        self.shift_ = np.nanmean(X, axis=0) if self.normalize_y else np.zeros(X.shape[1])
        self.scale_ = np.where(std > 0, std, 1.0) if self.normalize_y else np.ones(X.shape[1])
        kernels, noises, total = [], [], 0.0
        for j in range(X.shape[1]):
            series = [(tr.t, (tr.x[:, j] - self.shift_[j]) / self.scale_[j]) for tr in data]
            hyp = _fit_column(kernel, float(self.noise_variance), series, self.optimize)
            kernels.append(hyp.kernel)
            noises.append(hyp.noise_variance)
            total += hyp.log_marginal_likelihood
        self.kernels_, self.noise_variances_ = kernels, np.array(noises)
        self.log_marginal_likelihood_ = float(total)

    def _filter(self, x, t_all):
        """Predicted means and variances of every column on ``t_all`` given ``x`` (first rows)."""
        T = x.shape[0]
        mean = np.empty((t_all.shape[0], x.shape[1]))
        var = np.empty_like(mean)
        for j, (kern, nse) in enumerate(zip(self.kernels_, self.noise_variances_)):
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
