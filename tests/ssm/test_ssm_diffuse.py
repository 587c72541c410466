"""Exact diffuse initialization against statsmodels (Durbin & Koopman 2012, ch. 5).

The models are those of statsmodels' ``test_exact_diffuse_filtering.py`` (built here
with statsmodels' public API); statsmodels runs them with its exact diffuse
(univariate) filter. statsmodels is imported plainly: these tests fail, never
skip, without it.
"""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels import datasets
from statsmodels.tsa.statespace.dynamic_factor import DynamicFactor
from statsmodels.tsa.statespace.initialization import Initialization
from statsmodels.tsa.statespace.kalman_smoother import KalmanSmoother
from statsmodels.tsa.statespace.structural import UnobservedComponents
from statsmodels.tsa.statespace.varmax import VARMAX

from lindy.errors import ShapeError
from lindy.ssm import LGSSMParams, fit_mle, kalman_filter, log_likelihood, rts_smoother


def nile():
    return datasets.nile.load_pandas().data["volume"].to_numpy()[:, None]


def local_level(sigma2_eps=15099.0, sigma2_eta=1469.1):
    return LGSSMParams(A=[[1.0]], C=[[1.0]], Q=[[sigma2_eta]], R=[[sigma2_eps]], m0=[0.0],
                       P0=[[0.0]], diffuse=[True])


def to_lindy(ssm):
    """statsmodels representation -> (LGSSMParams with its diffuse mask, y (T, p))."""
    const, Pinf, Pstar = ssm.initialization(model=ssm)
    sel = ssm["selection"]
    params = LGSSMParams(A=ssm["transition"], C=ssm["design"], Q=sel @ ssm["state_cov"] @ sel.T,
                         R=ssm["obs_cov"], m0=const, P0=Pstar, diffuse=np.diag(Pinf) > 0)
    return params, np.ascontiguousarray(ssm.endog.T)


# ---------------------------------------------------------------- Nile
def test_nile_exact_diffuse_loglike():
    y = nile()
    params = local_level()
    filt = kalman_filter(params, y)
    assert filt.diffuse_steps == 1
    assert round(filt.log_likelihood, 4) == -633.4646
    assert round(log_likelihood(params, y), 4) == -633.4646
    mod = UnobservedComponents(y[:, 0], "llevel", use_exact_diffuse=True)
    np.testing.assert_allclose(filt.log_likelihood, mod.loglike([15099.0, 1469.1]), rtol=1e-12)


def test_nile_approximate_diffuse_convention():
    y = nile()
    approx = local_level().replace(diffuse=None, P0=[[1e6]])
    filt = kalman_filter(approx, y)
    assert round(float(filt.log_likelihood_terms[1:].sum()), 4) == -632.5377
    res = UnobservedComponents(y[:, 0], "llevel").smooth([15099.0, 1469.1])
    np.testing.assert_allclose(filt.log_likelihood_terms[1:].sum(), res.llf, rtol=1e-12)


@pytest.mark.parametrize("form", ["standard", "joseph", "sqrt"])
def test_nile_smoother_equals_statsmodels(form):
    y = nile()
    params = local_level()
    filt = kalman_filter(params, y, form=form)
    smooth = rts_smoother(params, filt, form="sqrt" if form == "sqrt" else "standard")
    res = UnobservedComponents(y[:, 0], "llevel", use_exact_diffuse=True).smooth(
        [15099.0, 1469.1])
    np.testing.assert_allclose(filt.filtered_means, res.filtered_state.T, rtol=1e-10)
    np.testing.assert_allclose(filt.predicted_covariances[1:],
                               res.predicted_state_cov.transpose(2, 0, 1)[1:-1], rtol=1e-10)
    np.testing.assert_allclose(smooth.means, res.smoothed_state.T, rtol=1e-10)
    np.testing.assert_allclose(smooth.covariances, res.smoothed_state_cov.transpose(2, 0, 1),
                               rtol=1e-9)


def test_nile_mle_lands_on_published_estimates():
    # Durbin & Koopman (2012), sec. 2.10: sigma2_eps = 15099, sigma2_eta = 1469.1
    res = fit_mle(local_level(1e4, 1e3), nile(), fixed=("A", "C", "m0", "P0"))
    R, Q = float(res.params.R[0, 0]), float(res.params.Q[0, 0])
    assert round(R) == 15099
    assert abs(Q - 1469.1) < 0.1
    # the exact optimum (statsmodels, Nelder-Mead to 1e-12): 15098.517, 1469.177
    np.testing.assert_allclose([R, Q], [15098.517, 1469.177], rtol=2e-6)
    assert round(res.log_likelihood, 4) == -633.4646


# ---------------------------------------------- statsmodels' exact diffuse models
MACRO = np.log(datasets.macrodata.load_pandas().data[["realgdp", "realcons"]]).iloc[:21]
DIFF = (MACRO.diff().iloc[1:] * 400).reset_index(drop=True)


def _direct(endog, k_states, k_posdef, **mats):
    ssm = KalmanSmoother(k_endog=endog.shape[1], k_states=k_states, k_posdef=k_posdef)
    ssm.bind(np.ascontiguousarray(endog))
    ssm.initialize(Initialization(k_states, initialization_type="diffuse"))
    for name, value in mats.items():
        ssm[name] = value
    return ssm


def _uc(endog, spec, params):
    mod = UnobservedComponents(endog, spec)
    mod.update(params)
    mod.ssm.initialize(Initialization(mod.ssm.k_states, "diffuse"))
    return mod.ssm


def _varmax(endog=DIFF, measurement_error=False, init=None):
    params = np.r_[0.5, 0.3, 0.2, 0.4, 2 ** 0.5, 0, 3 ** 0.5]
    if measurement_error:
        params = np.r_[params, 4, 5]
    mod = VARMAX(endog, order=(1, 0), trend="n", measurement_error=measurement_error)
    mod.update(params)
    mod.ssm.initialize(init or Initialization(mod.ssm.k_states, "diffuse"))
    return mod.ssm


def _mixed():
    init = Initialization(2)
    init.set(0, "diffuse")
    init.set(1, "stationary")
    return _varmax(init=init)


def _dfm():
    mod = DynamicFactor(DIFF, k_factors=1, factor_order=2)
    mod.update(np.r_[0.5, 1.0, 1.5, 2.0, 0.9, 0.1])
    mod.ssm.initialize(Initialization(mod.ssm.k_states, "diffuse"))
    return mod.ssm


def _missing():
    endog = DIFF.copy()
    endog.iloc[0:5, 0] = np.nan
    endog.iloc[8:12, :] = np.nan
    return _varmax(endog)


LL_Y = np.r_[10.2394, [1.0] * 9][:, None]
LLT_Y = np.r_[10.2394, 4.2039, 6.123123, [1.0] * 7]
CL_Y = np.column_stack([np.r_[10.2394, [1.0] * 9], np.r_[8.2304, [1.0] * 9]])
MODELS = {
    "local_level": lambda: _direct(LL_Y, 1, 1, design=[[1.0]], obs_cov=[[1.993]],
                                   transition=[[1.0]], selection=[[1.0]],
                                   state_cov=[[8.253]]),
    "local_linear_trend": lambda: _uc(LLT_Y, "lltrend", [1.993, 8.253, 2.334]),
    "local_linear_trend_missing": lambda: _uc(np.r_[LLT_Y[:3], np.nan, LLT_Y[4:]], "lltrend",
                                              [1.993, 8.253, 2.334]),
    "common_level": lambda: _direct(CL_Y, 2, 1, design=[[1.0, 0.0], [0.1111, 1.0]],
                                    obs_cov=np.eye(2), transition=np.eye(2),
                                    selection=[[1.0], [0.0]], state_cov=[[3.2324]]),
    "common_level_restricted": lambda: _direct(CL_Y, 1, 1, design=[[1.0], [0.1111]],
                                               obs_cov=np.eye(2), transition=[[1.0]],
                                               selection=[[1.0]], state_cov=[[3.2324]]),
    "var1": _varmax,
    "var1_measurement_error": lambda: _varmax(measurement_error=True),
    "var1_missing": _missing,
    "var1_mixed": _mixed,
    "dfm": _dfm,
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_equal_statsmodels_exact_diffuse(name):
    ssm = MODELS[name]()
    ssm.filter_univariate = True
    res = ssm.smooth()
    params, y = to_lindy(ssm)
    filt = kalman_filter(params, y)
    smooth = rts_smoother(params, filt)
    # statsmodels' CheckSSMResults tolerances: rtol 1e-7 (atol 1e-7 in the diffuse period)
    tol = dict(rtol=1e-7, atol=1e-7)
    assert filt.diffuse_steps == res.nobs_diffuse
    np.testing.assert_allclose(filt.log_likelihood_terms, res.llf_obs, **tol)
    np.testing.assert_allclose(filt.predicted_means, res.predicted_state.T[:-1], **tol)
    np.testing.assert_allclose(filt.predicted_covariances,
                               res.predicted_state_cov.transpose(2, 0, 1)[:-1], **tol)
    np.testing.assert_allclose(filt.predicted_diffuse_covariances,
                               res.predicted_diffuse_state_cov.transpose(2, 0, 1)[:-1], **tol)
    np.testing.assert_allclose(filt.filtered_means, res.filtered_state.T, **tol)
    np.testing.assert_allclose(filt.filtered_covariances,
                               res.filtered_state_cov.transpose(2, 0, 1), **tol)
    np.testing.assert_allclose(filt.next_mean, res.predicted_state[:, -1], **tol)
    np.testing.assert_allclose(smooth.means, res.smoothed_state.T, **tol)
    np.testing.assert_allclose(smooth.covariances, res.smoothed_state_cov.transpose(2, 0, 1),
                               **tol)
    # lag-one covariances exist after the diffuse period (NaN within it)
    d = filt.diffuse_steps
    cross = smooth.cross_covariances
    assert np.isnan(cross[:d]).all()
    np.testing.assert_allclose(cross[d:], res.smoothed_state_autocov.transpose(2, 0, 1)[d:-1],
                               **tol)


def test_diffuse_mask_validated():
    with pytest.raises(ShapeError, match="boolean mask of shape"):
        local_level().replace(diffuse=[True, False])
    assert local_level().replace(diffuse=[False]).diffuse is None


def test_diffuse_trajectory_set_and_inputs():
    from lindy.data import as_trajectories

    y = nile()
    params = local_level()
    both = kalman_filter(params, as_trajectories([y[:60], y[60:]]))
    assert [f.diffuse_steps for f in both] == [1, 1]
    np.testing.assert_allclose(both[1].log_likelihood, kalman_filter(params, y[60:]).log_likelihood)
    lls = log_likelihood(params, as_trajectories([y[:60], y[60:]]))
    np.testing.assert_allclose(lls, [f.log_likelihood for f in both])


def test_approximate_diffuse_converges_to_exact():
    # a proper prior with a large variance approaches the exact diffuse smoother
    y = nile()
    exact = rts_smoother(local_level(), kalman_filter(local_level(), y))
    approx_p = local_level().replace(diffuse=None, P0=[[1e10]])
    approx = rts_smoother(approx_p, kalman_filter(approx_p, y))
    np.testing.assert_allclose(approx.means, exact.means, rtol=1e-5)


def test_fit_em_refuses_diffuse_prior():
    from lindy.errors import ValidationError
    from lindy.ssm import fit_em

    with pytest.raises(ValidationError, match="Use fit_mle"):
        fit_em(local_level(), nile())


def test_sample_refuses_diffuse_prior():
    from lindy.errors import ValidationError
    from lindy.ssm import sample

    with pytest.raises(ValidationError, match="improper"):
        sample(local_level(), 10, random_state=0)


@pytest.mark.parametrize("form", ["standard", "sqrt"])
def test_diffuse_time_varying_with_inputs_approaches_exact(form):
    # a proper prior with a large variance on the diffuse states approaches the exact
    # results (after the first steps), also with inputs, time-varying A and NaNs
    rng = np.random.default_rng(0)
    T = 60
    A = np.stack([[[1.0, 1.0], [0.0, 0.9 + 0.05 * np.sin(k)]] for k in range(T)])
    params = LGSSMParams(A=A, C=[[1.0, 0.0], [0.5, 1.0]], Q=np.diag([0.2, 0.1]),
                         R=[[0.5, 0.1], [0.1, 0.4]], m0=[0.0, 0.3], P0=np.diag([0.0, 0.7]),
                         B=[[0.3], [0.1]], D=[[0.2], [0.0]], time_varying=True,
                         diffuse=[True, False])
    u = rng.standard_normal((T, 1))
    y = np.cumsum(rng.standard_normal((T, 2)), axis=0)
    y[[0, 5, 6], 0] = np.nan
    y[[1, 30], 1] = np.nan
    exact_f = kalman_filter(params, y, u, form=form)
    exact = rts_smoother(params, exact_f, form=form)
    approx_p = params.replace(diffuse=None, P0=np.diag([1e7, 0.7]))
    approx_f = kalman_filter(approx_p, y, u, form=form)
    approx = rts_smoother(approx_p, approx_f, form=form)
    d = exact_f.diffuse_steps
    assert d >= 1
    np.testing.assert_allclose(approx.means, exact.means, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(approx.covariances, exact.covariances, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(approx_f.filtered_means[d:], exact_f.filtered_means[d:],
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(approx_f.log_likelihood_terms[d:],
                               exact_f.log_likelihood_terms[d:], rtol=1e-5, atol=1e-5)
