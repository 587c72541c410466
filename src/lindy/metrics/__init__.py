"""Forecasting and reconstruction metrics on the conventions of the literature.

Pointwise (RMSE, NRMSE per dimension and by total variance, sMAPE 0-200, MSE,
MAE, MASE, Pearson and Spearman correlation), horizon (valid prediction time by
sMAPE or NRMSE, horizoned metrics), attractor (state-space divergence D_stsp,
power-spectrum Hellinger distance D_H, the dysts papers' average Hellinger
distance, correlation-dimension and largest-Lyapunov-exponent errors) and
probabilistic (CRPS from samples or Gaussians, interval coverage). Each docstring cites its definition.
"""

from ._attractor import average_hellinger, dstsp, dstsp_binned, dstsp_gmm, hellinger_spectrum, power_spectrum
from ._extra import (
    coverage,
    crps_gaussian,
    crps_samples,
    horizoned,
    mae,
    mase,
    mse,
    nrmse_total,
    pearson,
    spearman,
    valid_prediction_time_nrmse,
)
from ._invariants import correlation_dimension_error, max_lyapunov_error
from ._pointwise import nrmse, rmse, smape, smape_per_step, valid_prediction_time

__all__ = ["rmse", "nrmse", "nrmse_total", "mse", "mae", "mase", "smape", "smape_per_step",
           "pearson", "spearman", "horizoned", "valid_prediction_time",
           "valid_prediction_time_nrmse", "dstsp", "dstsp_binned", "dstsp_gmm",
           "hellinger_spectrum", "average_hellinger", "power_spectrum", "crps_samples",
           "crps_gaussian", "coverage", "correlation_dimension_error", "max_lyapunov_error"]
