"""Exact MLE gradient (Fisher identity) against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from ssm_helpers import random_params

import lindy.errors as le
from lindy.data import as_trajectories
from lindy.ssm import fit_mle, log_likelihood, sample
from lindy.ssm._kalman import _as_sequences
from lindy.ssm._mle import _ORDER, _layout, _loglik_and_grad, _pack, _unpack


@pytest.mark.parametrize("m", [0, 2])
def test_exact_gradient_matches_finite_differences(m):
    params = random_params(n=3, p=2, m=m, seed=1 + m)
    rng = np.random.default_rng(0)
    u = rng.standard_normal((2, 40, m)) if m else None
    y = np.stack([sample(params, 40, u=None if u is None else u[i], random_state=3 + i)[1]
                  for i in range(2)])
    y[rng.random(y.shape) < 0.2] = np.nan  # partial and (some) fully missing steps
    y[0, 5] = np.nan
    data = as_trajectories(y, u=u, allow_nan=True)
    ys, us, _ = _as_sequences(params, data, None)
    layout = _layout(params, _ORDER)
    theta = _pack(params, layout)
    ll, grad = _loglik_and_grad(_unpack(theta, params, layout), ys, us, layout)
    np.testing.assert_allclose(ll, log_likelihood(params, data).sum(), rtol=1e-10)
    fd = np.empty_like(theta)
    h = 1e-6
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        up = log_likelihood(_unpack(theta + e, params, layout), data).sum()
        down = log_likelihood(_unpack(theta - e, params, layout), data).sum()
        fd[i] = (up - down) / (2 * h)
    np.testing.assert_allclose(grad, fd, atol=1e-6 * max(1.0, np.abs(fd).max()))


def test_exact_and_numerical_gradients_reach_the_same_optimum():
    true = random_params(n=2, p=2, seed=4)
    _, y = sample(true, 400, random_state=2)
    start = true.replace(A=0.5 * np.asarray(true.A), Q=2.0 * np.asarray(true.Q))
    fixed = ("C", "m0", "P0")
    exact = fit_mle(start, y, fixed=fixed)
    numerical = fit_mle(start, y, fixed=fixed, gradient="numerical")
    assert exact.log_likelihood >= numerical.log_likelihood - 1e-3
    np.testing.assert_allclose(exact.params.A, numerical.params.A, atol=1e-2)
    with pytest.raises(le.ValidationError, match="gradient"):
        fit_mle(start, y, gradient="fd")


def test_singular_fixed_covariance_falls_back_to_finite_differences():
    # known initial state (P0 = 0, fixed): the m0 score has no complete-data form
    true = random_params(n=2, p=2, seed=6)
    _, y = sample(true, 300, random_state=1)
    start = true.replace(A=0.5 * np.asarray(true.A), P0=np.zeros((2, 2)))
    res = fit_mle(start, y, fixed=("C", "Q", "R", "P0"), max_iter=30)
    assert np.isfinite(res.log_likelihood)
    assert res.log_likelihood > log_likelihood(start, y)
