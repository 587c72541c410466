"""Singular predicted covariances: ARMA models in companion form with R = 0.

Oracles: statsmodels' stored MATLAB ssm-toolbox results for the WPI AR(3) model
(read from the installed statsmodels package) and statsmodels' own smoother on an
ARMA(2,1) in SARIMAX's companion form. statsmodels is imported plainly: these
tests fail, never skip, without it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels
from scipy.linalg import solve_discrete_lyapunov
from statsmodels.tsa.statespace.sarimax import SARIMAX

from lindy.ssm import LGSSMParams, kalman_filter, rts_smoother

RESULTS = Path(statsmodels.__file__).parent / "tsa" / "statespace" / "tests" / "results"
FORMS = [("standard", "standard"), ("joseph", "standard"), ("sqrt", "sqrt"),
         ("standard", "sqrt"), ("sqrt", "standard")]


def wpi_ar3():
    """The MATLAB ssm example (example_ssm_wpi1.m): AR(3) of the differenced WPI."""
    wpi = pd.read_csv(RESULTS / "results_wpi1_ar3_stata.csv")["wpi"].to_numpy()
    ar, sigma2 = [0.5270715, 0.0952613, 0.2580355], 0.5307459
    A = np.array([ar, [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    Q = np.zeros((3, 3))
    Q[0, 0] = sigma2
    params = LGSSMParams(A=A, C=[[1.0, 0.0, 0.0]], Q=Q, R=[[0.0]], m0=np.zeros(3),
                         P0=solve_discrete_lyapunov(A, Q))
    return params, np.diff(wpi)[:, None]


@pytest.mark.parametrize(("filter_form", "smoother_form"), FORMS)
def test_ar3_matches_matlab_ssm(filter_form, smoother_form):
    names = ["a1", "a2", "a3", "detP", "s1", "s2", "s3", "detV", "eps", "epsvar", "eta",
             "etavar"]
    ref = pd.read_csv(RESULTS / "results_wpi1_ar3_matlab_ssm.csv", header=None, names=names)
    params, y = wpi_ar3()
    filt = kalman_filter(params, y, form=filter_form)
    smooth = rts_smoother(params, filt, form=smoother_form)
    # statsmodels' own test: assert_almost_equal(..., 4) against the 5-digit CSV
    np.testing.assert_allclose(filt.predicted_means, ref[["a1", "a2", "a3"]], atol=1.5e-4)
    np.testing.assert_allclose(np.linalg.det(filt.predicted_covariances), ref["detP"],
                               atol=1.5e-4)
    np.testing.assert_allclose(smooth.means, ref[["s1", "s2", "s3"]], atol=1e-6)
    np.testing.assert_allclose(np.linalg.det(smooth.covariances), ref["detV"], atol=1.5e-4)
    # the smoothed covariances stay symmetric positive semi-definite
    assert np.linalg.eigvalsh(smooth.covariances).min() > -1e-10


def arma21():
    rng = np.random.default_rng(3)
    e = rng.standard_normal(400)
    x = np.zeros(400)
    for t in range(2, 400):
        x[t] = 0.6 * x[t - 1] - 0.2 * x[t - 2] + e[t] + 0.4 * e[t - 1]
    x[[10, 11, 200]] = np.nan
    mod = SARIMAX(x, order=(2, 0, 1))
    res = mod.smooth([0.6, -0.2, 0.4, 1.3])
    ssm = mod.ssm
    sel = ssm["selection"]
    params = LGSSMParams(A=ssm["transition"], C=ssm["design"], Q=sel @ ssm["state_cov"] @ sel.T,
                         R=ssm["obs_cov"], m0=res.filter_results.initial_state,
                         P0=res.filter_results.initial_state_cov)
    return params, x[:, None], res


@pytest.mark.parametrize(("filter_form", "smoother_form"), FORMS)
def test_arma21_companion_r0_matches_statsmodels(filter_form, smoother_form):
    params, y, res = arma21()
    assert float(params.R[0, 0]) == 0.0
    filt = kalman_filter(params, y, form=filter_form)
    smooth = rts_smoother(params, filt, form=smoother_form)
    np.testing.assert_allclose(filt.log_likelihood, res.llf, rtol=1e-10)
    # Near the missing values P_{k+1|k} is near-singular (its small eigenvalue decays
    # like theta^(2k) to ~1e-10 of the largest): an RTS gain solving with it keeps
    # only ~6 digits, so the means come from the r_t, N_t recursions (as statsmodels').
    np.testing.assert_allclose(smooth.means, res.smoothed_state.T, atol=1e-8)
    # the square-root smoother started from factors of a covariance filter's P_{k|k}
    # inherits their rounding (~1e-7); the other pairs agree to 1e-8
    cov_atol = 2e-7 if smoother_form == "sqrt" and filter_form != "sqrt" else 1e-8
    np.testing.assert_allclose(smooth.covariances, res.smoothed_state_cov.transpose(2, 0, 1),
                               atol=cov_atol)


@pytest.mark.parametrize("form", ["standard", "sqrt"])
def test_singular_smoother_on_trajectory_set(form):
    from lindy.data import as_trajectories

    params, y, _ = arma21()
    parts = [y[:150], y[150:]]
    both = rts_smoother(params, kalman_filter(params, as_trajectories(parts, allow_nan=True), form=form),
                        form=form)
    for res, part in zip(both, parts):
        one = rts_smoother(params, kalman_filter(params, part, form=form), form=form)
        np.testing.assert_allclose(res.means, one.means, atol=1e-12)
        np.testing.assert_allclose(res.covariances, one.covariances, atol=1e-12)
