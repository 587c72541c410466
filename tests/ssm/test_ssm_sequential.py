"""kalman_filter(..., sequential=True): outputs processed one at a time.

Oracles: the joint filter (same moments and log-likelihood), KFAS' stored scalar
innovations (results_smoothing2_R.csv, read from the installed statsmodels) and
statsmodels' univariate filter. statsmodels is imported plainly: these tests
fail, never skip, without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ssm_helpers import random_params
from statsmodels.tsa.statespace.kalman_filter import FILTER_UNIVARIATE
from statsmodels.tsa.statespace.kalman_smoother import KalmanSmoother
from test_ssm_diffuse import MODELS, to_lindy
from test_ssm_references import RESULTS, kfas_var

from lindy.errors import ValidationError
from lindy.ssm import kalman_filter, rts_smoother, sample


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sequential_equals_joint(seed):
    params = random_params(n=4, p=3, m=1, seed=seed)  # non-diagonal R, inputs
    u = np.random.default_rng(seed).standard_normal((200, 1))
    _, y = sample(params, 200, u=u, random_state=seed)
    y[np.random.default_rng(seed + 7).random(y.shape) < 0.3] = np.nan
    joint = kalman_filter(params, y, u)
    seq = kalman_filter(params, y, u, sequential=True)
    np.testing.assert_allclose(seq.log_likelihood, joint.log_likelihood, rtol=1e-10)
    np.testing.assert_allclose(seq.log_likelihood_terms, joint.log_likelihood_terms, atol=1e-9)
    for name in ("predicted_means", "predicted_covariances", "filtered_means",
                 "filtered_covariances", "next_mean", "next_covariance"):
        np.testing.assert_allclose(getattr(seq, name), getattr(joint, name), atol=1e-9)
    # the first observed output's scalar innovation is the joint one
    first = np.argmax(~np.isnan(y), axis=1)
    rows = np.flatnonzero(~np.isnan(y).all(axis=1))
    np.testing.assert_allclose(seq.innovations[rows, first[rows]],
                               joint.innovations[rows, first[rows]], atol=1e-12)
    np.testing.assert_array_equal(np.isnan(seq.innovations), np.isnan(y))
    smooth = rts_smoother(params, seq)
    np.testing.assert_allclose(smooth.means, rts_smoother(params, joint).means, atol=1e-8)


def test_sequential_innovations_match_kfas():
    params, y, name, loglike, _ = kfas_var()
    desired = pd.read_csv(RESULTS / name)
    seq = kalman_filter(params, y, sequential=True)
    np.testing.assert_allclose(seq.log_likelihood, loglike, rtol=1e-7)
    # statsmodels compares the univariate quantities with atol=1e-6 (approximate diffuse)
    np.testing.assert_allclose(seq.innovations, desired[["v1", "v2", "v3"]], atol=1e-6)
    np.testing.assert_allclose(seq.innovation_variances, desired[["F1", "F2", "F3"]],
                               atol=1e-6)


@pytest.mark.parametrize("name", ["var1_missing", "common_level", "dfm"])
def test_sequential_matches_statsmodels_univariate(name):
    ssm = MODELS[name]()
    params, y = to_lindy(ssm)
    for diffuse in (True, False):
        p = params if diffuse else params.replace(diffuse=None, P0=np.eye(params.state_dim))
        sm = KalmanSmoother(k_endog=p.obs_dim, k_states=p.state_dim, k_posdef=p.state_dim)
        sm.bind(np.ascontiguousarray(y))
        sm["design"], sm["obs_cov"], sm["transition"] = p.C, p.R, p.A
        sm["selection"], sm["state_cov"] = np.eye(p.state_dim), p.Q
        if diffuse:
            sm.initialize(ssm.initialization)
        else:
            sm.initialize_known(p.m0, p.P0)
        sm.set_filter_method(FILTER_UNIVARIATE)
        res = sm.filter()
        seq = kalman_filter(p, y, sequential=True)
        np.testing.assert_allclose(seq.log_likelihood_terms, res.llf_obs, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(seq.innovations, res.forecasts_error.T, rtol=1e-9, atol=1e-9)
        F = np.diagonal(res.forecasts_error_cov, axis1=0, axis2=1)
        if diffuse:  # statsmodels reports F_inf separately during the diffuse period
            Finf = np.diagonal(res.forecasts_error_diffuse_cov, axis1=0, axis2=1)
            F = np.where(Finf > 0, Finf, F)
        F = np.where(np.isnan(y), np.nan, F)
        np.testing.assert_allclose(seq.innovation_variances, F, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(seq.filtered_means, res.filtered_state.T, rtol=1e-9,
                                   atol=1e-9)


def test_sequential_rejects_other_forms_and_diffuse_smoothing():
    params, y = to_lindy(MODELS["var1"]())
    with pytest.raises(ValidationError, match="sequential=True runs the standard form"):
        kalman_filter(params, y, form="sqrt", sequential=True)
    with pytest.raises(ValidationError, match="sequential=False"):
        rts_smoother(params, kalman_filter(params, y, sequential=True))
