"""Oracle tests of the Kalman filter and RTS smoother."""

from __future__ import annotations

import numpy as np
import pytest
from ssm_helpers import condition, random_params

import lindy.errors as le
from lindy.data import as_trajectories
from lindy.ssm import (
    LGSSMParams,
    forecast,
    kalman_filter,
    log_likelihood,
    rts_smoother,
    sample,
    steady_state_covariance,
)

FORMS = ["standard", "joseph", "sqrt"]


def _data(params, T, seed=1, miss=0.25, u=None):
    _, y = sample(params, T, u=u, random_state=seed)
    rng = np.random.default_rng(seed + 100)
    y[rng.random(y.shape) < miss] = np.nan
    y[2] = np.nan  # one fully missing step
    return y


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("m", [0, 2])
def test_filter_smoother_equal_brute_force(form, m):
    params = random_params(n=3, p=2, m=m, seed=m)
    T = 6
    u = np.random.default_rng(5).standard_normal((T, m)) if m else None
    y = _data(params, T, u=u)
    filt = kalman_filter(params, y, u=u, form=form)
    smooth = rts_smoother(params, filt)
    for k in range(T):
        mean, cov, ll = condition(params, y, k, u)
        np.testing.assert_allclose(filt.filtered_means[k], mean[k], atol=1e-10)
        np.testing.assert_allclose(filt.filtered_covariances[k], cov[3 * k:3 * k + 3, 3 * k:3 * k + 3],
                                   atol=1e-10)
    mean, cov, ll = condition(params, y, T - 1, u)
    np.testing.assert_allclose(filt.log_likelihood, ll, rtol=1e-10)
    np.testing.assert_allclose(smooth.means, mean, atol=1e-10)
    for k in range(T):
        np.testing.assert_allclose(smooth.covariances[k], cov[3 * k:3 * k + 3, 3 * k:3 * k + 3],
                                   atol=1e-10)
    for k in range(T - 1):  # lag-one cross covariances (used by EM)
        np.testing.assert_allclose(smooth.cross_covariances[k],
                                   cov[3 * k + 3:3 * k + 6, 3 * k:3 * k + 3], atol=1e-10)
    np.testing.assert_allclose(log_likelihood(params, y, u=u), ll, rtol=1e-10)


def test_time_varying_equals_brute_force():
    params = random_params(n=2, p=2, seed=3, time_varying_T=6)
    y = _data(params, 5)
    filt = kalman_filter(params, y)
    smooth = rts_smoother(params, filt)
    mean, cov, ll = condition(params, y, 4)
    np.testing.assert_allclose(smooth.means, mean, atol=1e-10)
    np.testing.assert_allclose(filt.log_likelihood, ll, rtol=1e-10)


def test_forms_agree_on_long_series():
    params = random_params(n=4, p=2, seed=7)
    y = _data(params, 400, miss=0.1)
    ref = kalman_filter(params, y, steady_tol=0)
    for form in FORMS:
        f = kalman_filter(params, y, form=form)
        np.testing.assert_allclose(f.filtered_means, ref.filtered_means, atol=1e-9)
        np.testing.assert_allclose(f.filtered_covariances, ref.filtered_covariances, atol=1e-9)
        np.testing.assert_allclose(f.log_likelihood, ref.log_likelihood, rtol=1e-11)
        s = rts_smoother(params, f)
        s0 = rts_smoother(params, ref)
        np.testing.assert_allclose(s.means, s0.means, atol=1e-9)
        np.testing.assert_allclose(s.covariances, s0.covariances, atol=1e-9)


def test_steady_state_path_reaches_dare():
    params = random_params(n=3, p=2, seed=2)
    _, y = sample(params, 300, random_state=0)
    filt = kalman_filter(params, y)
    assert filt.steady[-1] and filt.steady.sum() > 200
    np.testing.assert_allclose(filt.predicted_covariances[-1], steady_state_covariance(params),
                               atol=1e-10)
    exact = kalman_filter(params, y, steady_tol=0)
    assert not exact.steady.any()
    np.testing.assert_allclose(filt.filtered_means, exact.filtered_means, atol=1e-10)
    np.testing.assert_allclose(rts_smoother(params, filt).covariances,
                               rts_smoother(params, exact).covariances, atol=1e-10)


def test_trajectory_sets_equal_loop():
    params = random_params(n=3, p=2, seed=4)
    ys = [_data(params, T, seed=s) for s, T in enumerate([50, 50, 50])]
    batch = kalman_filter(params, as_trajectories(np.stack(ys), allow_nan=True))
    sm = rts_smoother(params, batch)
    ragged = kalman_filter(params, as_trajectories([ys[0], ys[1][:30], ys[2][:10]],
                                                   allow_nan=True))
    for i, y in enumerate(ys):
        one = kalman_filter(params, y)
        one_s = rts_smoother(params, one)
        np.testing.assert_array_equal(batch[i].filtered_means, one.filtered_means)
        np.testing.assert_array_equal(sm[i].covariances, one_s.covariances)
        assert batch[i].log_likelihood == one.log_likelihood
        T = [50, 30, 10][i]
        short = kalman_filter(params, y[:T])
        np.testing.assert_array_equal(ragged[i].filtered_means, short.filtered_means)
        assert ragged[i].log_likelihood == short.log_likelihood
    np.testing.assert_array_equal(
        log_likelihood(params, as_trajectories(np.stack(ys), allow_nan=True)),
        [f.log_likelihood for f in batch])


def test_only_an_array_or_a_trajectory_set_is_accepted():
    params = random_params(n=3, p=2, seed=4)
    y = _data(params, 20)
    for bad in ([y, y[:10]], np.stack([y, y]), [y, y]):
        with pytest.raises(le.ValidationError, match="TrajectorySet"):
            kalman_filter(params, bad)
    with pytest.raises(le.ValidationError, match="inputs"):
        kalman_filter(params, as_trajectories(y, allow_nan=True), u=np.zeros((20, 1)))


def test_forecast_matches_filter_with_missing_future():
    params = random_params(n=3, p=2, m=1, seed=6)
    u = np.random.default_rng(0).standard_normal((30, 1))
    y = _data(params, 30, u=u)
    y_ext = y.copy()
    y_ext[20:] = np.nan
    ext = kalman_filter(params, y_ext, u=u)
    fc = forecast(params, kalman_filter(params, y[:20], u=u[:20]), horizon=10, u=u[20:])
    np.testing.assert_allclose(fc.state_means, ext.predicted_means[20:], atol=1e-12)
    np.testing.assert_allclose(fc.state_covariances, ext.predicted_covariances[20:], atol=1e-12)


def test_sample_moments():
    params = random_params(n=2, p=1, seed=8)
    x, y = sample(params, 3, n_samples=20000, random_state=0)
    np.testing.assert_allclose(x[:, 0].mean(0), params.m0, atol=0.05)
    np.testing.assert_allclose(np.cov(x[:, 0].T), params.P0, atol=0.06)


def test_params_validation():
    ok = dict(A=np.eye(2), C=np.ones((1, 2)), Q=np.eye(2), R=np.eye(1), m0=np.zeros(2), P0=np.eye(2))
    LGSSMParams(**ok)
    with pytest.raises(le.ShapeError, match="C must have shape"):
        LGSSMParams(**{**ok, "C": np.ones((1, 3))})
    with pytest.raises(le.ValidationError, match="symmetric"):
        LGSSMParams(**{**ok, "Q": np.array([[1.0, 0.5], [0.0, 1.0]])})
    with pytest.raises(le.ValidationError, match="positive semi-definite"):
        LGSSMParams(**{**ok, "Q": -np.eye(2)})
    with pytest.raises(le.ShapeError, match="must be 2-D"):
        LGSSMParams(**{**ok, "A": np.stack([np.eye(2)] * 3)})
    with pytest.raises(le.ValidationError, match="time_varying"):
        LGSSMParams(**ok, time_varying=True)
    with pytest.raises(le.ValidationError, match="NaN"):
        LGSSMParams(**{**ok, "m0": [np.nan, 0.0]})
    p = LGSSMParams(**ok)
    with pytest.raises(AttributeError):
        p.A = np.eye(2)
    with pytest.raises(ValueError):
        p.A[0, 0] = 3.0


def test_bad_observations_raise():
    p = random_params(n=2, p=2)
    with pytest.raises(le.ShapeError, match="columns"):
        kalman_filter(p, np.zeros((5, 3)))
    with pytest.raises(le.ValidationError, match="infinite"):
        kalman_filter(p, np.full((5, 2), np.inf))
    with pytest.raises(le.ValidationError, match="form"):
        kalman_filter(p, np.zeros((5, 2)), form="fast")
    with pytest.raises(le.ValidationError, match="no inputs"):
        kalman_filter(p, np.zeros((5, 2)), u=np.zeros((5, 1)))
    singular = p.replace(R=np.zeros((2, 2)), P0=np.zeros((2, 2)))
    with pytest.raises(le.NumericalError, match="singular"):
        kalman_filter(singular, np.zeros((5, 2)))
