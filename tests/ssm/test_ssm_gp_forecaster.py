"""GPForecaster: the estimator API over state-space GPs (irregular times, missing values)."""

from __future__ import annotations

import numpy as np
import pytest

import lindy as ld
import lindy.errors as le
from lindy.ssm import GPForecaster, Matern32, Matern52, gp_regression
from lindy.testing import check_estimator


def _irregular_set(seed=0, missing=0.1):
    rng = np.random.default_rng(seed)
    trajs = []
    for T in (120, 90):
        t = np.sort(rng.uniform(0, 15, T))
        x = np.c_[np.sin(t), np.cos(0.7 * t)] + 0.05 * rng.standard_normal((T, 2))
        x[rng.random(x.shape) < missing] = np.nan
        trajs.append(ld.Trajectory(t=t, x=x))
    return ld.TrajectorySet(trajs)


def test_conformance_on_irregular_data_and_missing_values():
    check_estimator(GPForecaster(Matern32(), optimize=False))
    # not check_estimator on irregular data: it requires forecast(Trajectory) to equal
    # forecast(array), but a Trajectory context is conditioned on at its own times
    data = _irregular_set()
    before = [tr.x.copy() for tr in data]
    model = GPForecaster(Matern52()).fit(data)
    for b, tr in zip(before, data):
        np.testing.assert_array_equal(b, tr.x)
    fc = model.forecast(data[1], horizon=5)
    assert np.isfinite(fc.mean).all() and np.all(fc.t > data[1].t[-1])
    assert model.dt_ is None
    np.testing.assert_allclose(np.diff(fc.t), model.median_dt_)
    assert np.isfinite(model.predict(data[1].x)[-1]).all()


def test_forecast_equals_dense_gp_posterior_at_future_times():
    data = _irregular_set(1)
    kern, noise = Matern52(lengthscale=1.5, variance=0.8), 0.02
    model = GPForecaster(kern, noise_variance=noise, optimize=False, normalize_y=False).fit(data)
    ctx = data[0]
    fc = model.forecast(ctx, horizon=4)
    assert np.isclose(model.median_dt_, np.median(np.concatenate([np.diff(tr.t) for tr in data])))
    for j in range(2):
        post = gp_regression(kern, ctx.t, ctx.x[:, j], noise, t_new=fc.t)
        np.testing.assert_allclose(fc.mean[:, j], post.mean, atol=1e-10)
        np.testing.assert_allclose(fc.cov[:, j, j], post.var + noise, atol=1e-10)
    assert np.all(fc.cov[:, 0, 1] == 0.0)


def test_one_step_predictions_and_fitted_hyperparameters():
    rng = np.random.default_rng(2)
    true = Matern32(lengthscale=1.5, variance=1.0)
    trajs = []
    for _ in range(2):
        t = np.sort(rng.uniform(0, 20, 250))
        f = np.linalg.cholesky(true(t) + 1e-9 * np.eye(250)) @ rng.standard_normal(250)
        trajs.append(ld.Trajectory(t=t, x=(f + 0.1 * rng.standard_normal(250))[:, None]))
    model = GPForecaster(Matern32(lengthscale=0.3, variance=3.0), noise_variance=1.0,
                         normalize_y=False).fit(ld.TrajectorySet(trajs))
    assert 0.8 < model.kernels_[0].lengthscale < 3.0
    assert 0.004 < model.noise_variances_[0] < 0.025
    x = np.sin(0.1 * np.arange(200))[:, None]
    pred = model.predict(x)
    # a smooth unit sine is predicted one step ahead to within 0.1 (the GP mean reverts a little)
    assert pred.shape == x.shape and np.abs(pred[20:-1] - x[21:]).max() < 0.1
    with pytest.raises(le.ValidationError, match="missing"):
        GPForecaster().fit(np.c_[np.arange(10.0), np.full(10, np.nan)])
    with pytest.raises(le.ValidationError, match="'kernel'"):
        GPForecaster(kernel="rbf").fit(x)
    with pytest.raises(le.ValidationError, match="'noise_variance'"):
        GPForecaster(noise_variance=-0.1).fit(x)
