"""Replay statsmodels' stored reference results through lindy.

The reference values ship inside the installed statsmodels package (its own test
data): Clark's (1987, 1989) unobserved-components models of US GDP (GAUSS code of
Kim & Nelson 1999), KFAS smoothing results with missing data, the MATLAB ssm
toolbox AR(3) with missing data, and KFAS' exact diffuse results (the complete
MATLAB AR(3) case is in ``test_ssm_singular.py``, Nile in ``test_ssm_diffuse.py``).
Tolerances are the ones statsmodels' own tests use, except where a comment says
why. statsmodels is imported plainly: these tests fail, never skip, without it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels
from statsmodels import datasets
from statsmodels.tsa.statespace.sarimax import SARIMAX
from statsmodels.tsa.statespace.tests import kfas_helpers
from statsmodels.tsa.statespace.tests.results import results_kalman_filter
from test_ssm_diffuse import MODELS, to_lindy

from lindy.ssm import LGSSMParams, kalman_filter, rts_smoother

RESULTS = Path(statsmodels.__file__).parent / "tsa" / "statespace" / "tests" / "results"


# --------------------------------------------------------------- Clark 1987 / 1989
def clark1987():
    true = results_kalman_filter.uc_uni
    y = np.log(np.asarray(true["data"], float))[:, None]
    sigma_v, sigma_e, sigma_w, phi_1, phi_2 = true["parameters"]
    A = np.zeros((4, 4))
    A[[0, 0, 1, 1, 2, 3], [0, 3, 1, 2, 1, 3]] = [1, 1, phi_1, phi_2, 1, 1]
    C = np.array([[1.0, 1.0, 0.0, 0.0]])
    Q = np.diag([sigma_v ** 2, sigma_e ** 2, 0.0, sigma_w ** 2])
    params = LGSSMParams(A=A, C=C, Q=Q, R=[[0.0]], m0=np.zeros(4), P0=A @ (100 * np.eye(4)) @ A.T)
    return params, y, true, [0, 1, 3], (true["start"], 5)


def clark1989():
    true = results_kalman_filter.uc_bi
    data = np.asarray(true["data"], float)[4:]
    y = np.column_stack([np.log(data[:, 0]), data[:, 1] / 100])
    sigma_v, sigma_e, sigma_w, sigma_vl, sigma_ec, phi_1, phi_2, a1, a2, a3 = true["parameters"]
    A = np.zeros((6, 6))
    A[[0, 0, 1, 1, 2, 3, 4, 5], [0, 4, 1, 2, 1, 2, 4, 5]] = [1, 1, phi_1, phi_2, 1, 1, 1, 1]
    C = np.array([[1.0, 1.0, 0, 0, 0, 0], [0, a1, a2, a3, 0, 1.0]])
    Q = np.diag([sigma_v ** 2, sigma_e ** 2, 0, 0, sigma_w ** 2, sigma_vl ** 2])
    R = np.diag([0.0, sigma_ec ** 2])
    params = LGSSMParams(A=A, C=C, Q=Q, R=R, m0=np.zeros(6), P0=A @ (100 * np.eye(6)) @ A.T)
    return params, y, true, [0, 1, 4, 5], (0, 2)


@pytest.mark.parametrize("model", [clark1987, clark1989])
@pytest.mark.parametrize("n_forecast", [0, 100])
@pytest.mark.parametrize("form", ["standard", "joseph", "sqrt"])
def test_clark(model, n_forecast, form):
    params, y, true, cols, (burn, decimal) = model()
    y = np.vstack([y, np.full((n_forecast, y.shape[1]), np.nan)])
    filt = kalman_filter(params, y, form=form)
    start = true["start"]
    # statsmodels: assert_almost_equal on the log-likelihood (Clark 1987: from `start`,
    # 5 decimals; Clark 1989: all terms, 2 decimals) and the filtered states (4)
    np.testing.assert_almost_equal(filt.log_likelihood_terms[burn:].sum(), true["loglike"],
                                   decimal)
    states = filt.filtered_means[start:len(y) - n_forecast][:, cols]
    np.testing.assert_almost_equal(states, np.asarray(true["states"]), 4)
    # the smoother runs through the rank-deficient Q (and R = 0) of these models
    smooth = rts_smoother(params, filt, form="sqrt" if form == "sqrt" else "standard")
    assert np.all(np.isfinite(smooth.means))


# ------------------------------------------------ KFAS smoothing with missing data
def _macro(log: bool):
    dta = datasets.macrodata.load_pandas().data[["realgdp", "realcons", "realinv"]]
    return (np.log(dta) if log else dta).diff().iloc[1:].to_numpy()


def kfas_missing():
    y = _macro(log=False)
    y[0:50, 0] = np.nan
    y[19:70, 1] = np.nan
    y[39:90, 2] = np.nan
    y[119:130, 0] = np.nan
    y[119:130, 2] = np.nan
    eye = np.eye(3)
    params = LGSSMParams(A=eye, C=eye, Q=eye, R=eye, m0=np.zeros(3), P0=1e6 * eye)
    return params, y, "results_smoothing_R.csv", -205310.9767, 3


def kfas_var():
    y = _macro(log=True)
    A = np.array([[-0.1119908792, 0.8441841604, 0.0238725303],
                  [0.2629347724, 0.4996718412, -0.0173023305],
                  [-3.2192369082, 4.1536028244, 0.4514379215]])
    Q = np.array([[0.0000640649, 0.0000388496, 0.0002148769],
                  [0.0000388496, 0.0000572802, 0.000001555],
                  [0.0002148769, 0.000001555, 0.0017088585]])
    R = np.diag([0.0000640649, 0.0000572802, 0.0017088585])
    params = LGSSMParams(A=A, C=np.eye(3), Q=Q, R=R, m0=np.zeros(3), P0=1e6 * np.eye(3))
    # KFAS filters the outputs one at a time: with correlated states only the first
    # output's innovation and its variance are those of the joint filter (statsmodels
    # compares just those, with atol=1e-6)
    return params, y, "results_smoothing2_R.csv", 1695.34872, 1


@pytest.mark.parametrize("case", [kfas_missing, kfas_var])
@pytest.mark.parametrize("form", ["standard", "sqrt"])
def test_kfas_smoothing(case, form):
    params, y, name, loglike, k = case()
    desired = pd.read_csv(RESULTS / name)
    filt = kalman_filter(params, y, form=form)
    smooth = rts_smoother(params, filt, form=form)
    # statsmodels: assert_allclose(..., rtol=1e-7) on each of these. lindy adds
    # atol=1e-9: the 1e6 approximate-diffuse prior cancels against R ~ 1e-5 in the
    # first update, which leaves ~1e-10 absolute rounding in every later moment
    # (entries of size 1e-6..1e-2 then differ from KFAS by up to 7e-7 relative), and
    # the square-root form's rotations put ~1e-13 where KFAS has exact zeros. In the
    # standard form P_{0|0} = 1e6 - 1e12 / (1e6 + R) keeps only ~6 digits of R ~ 6e-5,
    # which moves the first smoothed means by ~1e-8 (the square-root form keeps them).
    tol = dict(rtol=1e-7, atol=1e-9 if form == "sqrt" else 2e-8)
    np.testing.assert_allclose(filt.log_likelihood, loglike, rtol=1e-7)
    forecasts = filt.predicted_means @ params.C.T
    np.testing.assert_allclose(forecasts, desired[["m1", "m2", "m3"]], **tol)
    v, Fc = ["v1", "v2", "v3"][:k], ["F1", "F2", "F3"][:k]
    np.testing.assert_allclose(filt.innovations[:, :k], desired[v], **tol)
    F = np.einsum("ij,tjk,lk->til", params.C, filt.predicted_covariances, params.C) + params.R
    np.testing.assert_allclose(np.diagonal(F, axis1=1, axis2=2)[:, :k], desired[Fc], **tol)
    ahead = np.vstack([filt.predicted_means[1:], filt.next_mean])
    np.testing.assert_allclose(ahead, desired[["a1", "a2", "a3"]], **tol)
    Pahead = np.concatenate([filt.predicted_covariances[1:], filt.next_covariance[None]])
    np.testing.assert_allclose(np.linalg.det(Pahead), desired["detP"], **tol)
    np.testing.assert_allclose(smooth.means, desired[["alphahat1", "alphahat2", "alphahat3"]],
                               **tol)
    np.testing.assert_allclose(np.linalg.det(smooth.covariances), desired["detV"], **tol)
    np.testing.assert_allclose(smooth.means @ params.C.T,
                               desired[["muhat1", "muhat2", "muhat3"]], **tol)


# ------------------------------------------- MATLAB ssm / KFAS AR(3), missing data
def test_ar3_missing_matlab_and_kfas():
    names = ["a1", "a2", "a3", "detP", "s1", "s2", "s3", "detV", "eps", "epsvar", "eta",
             "etavar"]
    matlab = pd.read_csv(RESULTS / "results_wpi1_missing_ar3_matlab_ssm.csv", header=None,
                         names=names)
    kfas = pd.read_csv(RESULTS / "results_smoothing3_R.csv")
    dwpi = np.diff(pd.read_csv(RESULTS / "results_wpi1_ar3_stata.csv")["wpi"].to_numpy())
    dwpi[9:20] = np.nan
    mod = SARIMAX(dwpi, order=(3, 0, 0), hamilton_representation=True)
    mod.update([0.5270715, 0.0952613, 0.2580355, 0.5307459])
    ssm = mod.ssm
    sel = ssm["selection"]
    m0, _, P0 = ssm.initialization(model=ssm)
    params = LGSSMParams(A=ssm["transition"], C=ssm["design"], Q=sel @ ssm["state_cov"] @ sel.T,
                         R=ssm["obs_cov"], m0=m0, P0=P0)
    filt = kalman_filter(params, dwpi[:, None])
    smooth = rts_smoother(params, filt)
    # statsmodels: assert_almost_equal(..., 4) against MATLAB
    np.testing.assert_almost_equal(filt.predicted_means, matlab[["a1", "a2", "a3"]], 4)
    np.testing.assert_almost_equal(np.linalg.det(filt.predicted_covariances), matlab["detP"], 4)
    np.testing.assert_almost_equal(smooth.means, matlab[["s1", "s2", "s3"]], 4)
    np.testing.assert_almost_equal(np.linalg.det(smooth.covariances), matlab["detV"], 4)
    # statsmodels: smoothed state disturbances against KFAS, assert_almost_equal(..., 9)
    A = params.A
    eta = np.r_[(smooth.means[1:] - smooth.means[:-1] @ A.T)[:, 0], 0.0]
    np.testing.assert_almost_equal(eta, kfas["etahat"], 9)
    cross = smooth.cross_covariances
    Veta = (smooth.covariances[1:] - A @ cross.transpose(0, 2, 1) - cross @ A.T
            + A @ smooth.covariances[:-1] @ A.T)[:, 0, 0]
    np.testing.assert_almost_equal(np.r_[Veta, params.Q[0, 0]], kfas["detVeta"], 9)


# --------------------------------------------------- KFAS exact diffuse results
# the multivariate cases statsmodels replays with kfas_helpers.parse (CheckKFASMixin)
KFAS_FILES = {
    "var1": "results_exact_initial_var1_R.csv",
    "var1_measurement_error": "results_exact_initial_var1_measurement_error_R.csv",
    "var1_missing": "results_exact_initial_var1_missing_R.csv",
    "var1_mixed": "results_exact_initial_var1_mixed_R.csv",
    "dfm": "results_exact_initial_dfm_R.csv",
}


@pytest.mark.parametrize("name", sorted(KFAS_FILES))
def test_kfas_exact_diffuse(name):
    ssm = MODELS[name]()
    kfas = kfas_helpers.parse(RESULTS / KFAS_FILES[name], ssm)
    params, y = to_lindy(ssm)
    filt = kalman_filter(params, y)
    smooth = rts_smoother(params, filt)
    d = filt.diffuse_steps
    # statsmodels' CheckSSMResults: rtol 1e-7 after the diffuse period, and 1e-5 within
    # it for smoothed states (atol 1e-7); KFAS's filtered means in the diffuse period of
    # the mixed/DFM cases follow another convention (statsmodels skips them too)
    skip_diffuse = name in ("var1_mixed", "dfm")
    for actual, desired, rtol in (
            (filt.predicted_means, kfas.predicted_state.T[:-1], 1e-7),
            (filt.predicted_covariances, kfas.predicted_state_cov.transpose(2, 0, 1)[:-1], 1e-7),
            (filt.predicted_diffuse_covariances,
             kfas.predicted_diffuse_state_cov.transpose(2, 0, 1)[:-1], 1e-7),
            (smooth.means, kfas.smoothed_state.T, 1e-5),
            (smooth.covariances, kfas.smoothed_state_cov.transpose(2, 0, 1), 1e-5)):
        np.testing.assert_allclose(actual[d:], desired[d:], rtol=1e-7, atol=1e-14)
        if not skip_diffuse:
            np.testing.assert_allclose(actual[:d], desired[:d], rtol=rtol, atol=1e-7)
    # KFAS leaves out log(2 pi) / 2 for diffuse observations with F_inf > 0 (statsmodels'
    # CheckKFASMixin adds it back); lindy follows Durbin & Koopman (2012, 7.2.5)
    Finf = kfas.forecasts_error_diffuse_cov.T
    informative = np.array([np.diag(f) for f in Finf]) > 0
    constant = -0.5 * np.log(2 * np.pi) * (informative & ~np.isnan(y)).sum(axis=1)[:d].sum()
    np.testing.assert_allclose(filt.log_likelihood, kfas.llf_obs.sum() + constant, rtol=1e-7)
