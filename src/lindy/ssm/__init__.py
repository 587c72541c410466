"""State-space models: Kalman filtering and smoothing, learning, nonlinear filters.

Pure numerical functions act on immutable :class:`LGSSMParams`; estimator
classes wrap them in the common :class:`lindy.base.Estimator` API.

Examples
--------
>>> import numpy as np
>>> from lindy.ssm import LGSSMParams, kalman_filter, rts_smoother
>>> params = LGSSMParams(A=[[0.9]], C=[[1.0]], Q=[[0.1]], R=[[0.5]], m0=[0.0], P0=[[1.0]])
>>> y = np.array([[0.3], [np.nan], [0.1], [0.4]])
>>> smooth = rts_smoother(params, kalman_filter(params, y))
>>> smooth.means.shape, smooth.covariances.shape
((4, 1), (4, 1, 1))
"""

from ._continuous import continuous_discrete_params, discretize
from ._diagnostics import WhitenessTest, chi2_bounds, innovation_whiteness, nees, nis
from ._em import EMResult, fit_em
from ._estimators import LinearGaussianSSM, SubspaceID
from ._forecast import ForecastResult, forecast, sample, steady_state_covariance
from ._gp import SDE, Matern12, Matern32, Matern52, Periodic, SumKernel
from ._gp_estimator import GPForecaster
from ._gpr import GPPosterior, gp_log_marginal_likelihood, gp_regression
from ._hyperparameters import GPHyperparameters, fit_gp_hyperparameters
from ._kalman import FilterResult, SmootherResult, kalman_filter, log_likelihood, rts_smoother
from ._lfm import LatentForceResult, fit_latent_force
from ._mle import MLEResult, fit_mle
from ._nonlinear import (
    GaussianFilterResult,
    NonlinearSSM,
    extended_kalman_filter,
    gaussian_smoother,
    numerical_jacobian,
    unscented_kalman_filter,
)
from ._params import LGSSMParams
from ._particle import ParticleFilterResult, from_system, particle_filter
from ._subspace import SubspaceResult, n4sid, select_state_dim

__all__ = [
    "LGSSMParams",
    "FilterResult",
    "SmootherResult",
    "ForecastResult",
    "kalman_filter",
    "rts_smoother",
    "log_likelihood",
    "forecast",
    "sample",
    "steady_state_covariance",
    "fit_em",
    "EMResult",
    "fit_mle",
    "MLEResult",
    "n4sid",
    "select_state_dim",
    "SubspaceResult",
    "LinearGaussianSSM",
    "SubspaceID",
    "NonlinearSSM",
    "GaussianFilterResult",
    "extended_kalman_filter",
    "unscented_kalman_filter",
    "gaussian_smoother",
    "numerical_jacobian",
    "particle_filter",
    "ParticleFilterResult",
    "from_system",
    "discretize",
    "continuous_discrete_params",
    "SDE",
    "Matern12",
    "Matern32",
    "Matern52",
    "Periodic",
    "SumKernel",
    "GPPosterior",
    "gp_regression",
    "gp_log_marginal_likelihood",
    "fit_gp_hyperparameters",
    "GPHyperparameters",
    "GPForecaster",
    "nees",
    "nis",
    "chi2_bounds",
    "innovation_whiteness",
    "WhitenessTest",
    "fit_latent_force",
    "LatentForceResult",
]
