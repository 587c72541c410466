"""Oracle: statsmodels' KalmanSmoother (tolerance 0) on random stable models."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.tsa.statespace.kalman_smoother as sm_ks  # the oracle: fails, never skips, when missing
from ssm_helpers import random_params

from lindy.ssm import kalman_filter, rts_smoother, sample


def statsmodels_smooth(params, y):
    n, p = params.state_dim, params.obs_dim
    ks = sm_ks.KalmanSmoother(k_endog=p, k_states=n, k_posdef=n)
    ks.bind(np.ascontiguousarray(y))
    ks["design"] = params.C
    ks["transition"] = params.A
    ks["selection"] = np.eye(n)
    ks["state_cov"] = params.Q
    ks["obs_cov"] = params.R
    ks.initialize_known(params.m0, params.P0)
    ks.tolerance = 0
    return ks.smooth()


@pytest.mark.parametrize("miss", [0.0, 0.3])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equal_statsmodels(miss, seed):
    params = random_params(n=4, p=2, seed=seed)
    _, y = sample(params, 300, random_state=seed)
    y[np.random.default_rng(seed).random(y.shape) < miss] = np.nan
    res = statsmodels_smooth(params, y)
    filt = kalman_filter(params, y)
    smooth = rts_smoother(params, filt)
    np.testing.assert_allclose(filt.log_likelihood, res.llf_obs.sum(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(filt.filtered_means, res.filtered_state.T, atol=1e-9)
    np.testing.assert_allclose(filt.filtered_covariances, res.filtered_state_cov.transpose(2, 0, 1),
                               atol=1e-9)
    np.testing.assert_allclose(smooth.means, res.smoothed_state.T, atol=1e-9)
    np.testing.assert_allclose(smooth.covariances, res.smoothed_state_cov.transpose(2, 0, 1),
                               atol=1e-9)
