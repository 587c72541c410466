"""Square-root RTS smoother against the standard smoother and the brute-force oracle."""

from __future__ import annotations

import numpy as np
import pytest
from ssm_helpers import condition, random_params

import lindy.errors as le
from lindy.data import as_trajectories
from lindy.ssm import kalman_filter, rts_smoother, sample


def _missing(y, seed, frac=0.3):
    y = y.copy()
    y[np.random.default_rng(seed).random(y.shape) < frac] = np.nan
    y[..., 3, :] = np.nan  # a fully missing step
    return y


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("filter_form", ["standard", "sqrt"])
def test_sqrt_smoother_equals_standard(seed, filter_form):
    rng = np.random.default_rng(seed)
    n, p, m = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(0, 3))
    params = random_params(n=n, p=p, m=m, seed=seed)
    T = 200
    u = rng.standard_normal((T, m)) if m else None
    y = _missing(sample(params, T, u=u, random_state=seed)[1], seed)
    filt = kalman_filter(params, y, u=u, form=filter_form)
    std = rts_smoother(params, filt)
    sq = rts_smoother(params, filt, form="sqrt")
    scale = max(1.0, np.abs(std.covariances).max())
    np.testing.assert_allclose(sq.means, std.means, atol=1e-10 * max(1.0, np.abs(std.means).max()))
    np.testing.assert_allclose(sq.covariances, std.covariances, atol=1e-10 * scale)
    np.testing.assert_allclose(sq.gains, std.gains, atol=1e-10 * max(1.0, np.abs(std.gains).max()))
    np.testing.assert_allclose(sq.cross_covariances, std.cross_covariances, atol=1e-10 * scale)
    assert sq.log_likelihood == std.log_likelihood


def test_sqrt_smoother_oracle_batch_and_time_varying():
    params = random_params(n=2, p=2, seed=3, time_varying_T=6)
    y = _missing(np.stack([sample(params, 6, random_state=s)[1] for s in (1, 2)]), 7, frac=0.25)
    filt = kalman_filter(params, as_trajectories(y, allow_nan=True))
    sq = rts_smoother(params, filt, form="sqrt")
    for i in range(2):
        mean, cov, _ = condition(params, y[i], 5)
        np.testing.assert_allclose(sq[i].means, mean, atol=1e-10)
        for k in range(6):
            np.testing.assert_allclose(sq[i].covariances[k], cov[2 * k:2 * k + 2, 2 * k:2 * k + 2],
                                       atol=1e-10)
    ragged = as_trajectories([y[0], y[1, :4]], allow_nan=True)
    parts = rts_smoother(params, kalman_filter(params, ragged), form="sqrt")
    np.testing.assert_allclose(parts[0].means, sq[0].means, atol=1e-12)


def test_sqrt_smoother_psd_on_ill_conditioned_model():
    # nearly deterministic dynamics and tiny noise: covariances span ~12 orders of magnitude
    params = random_params(n=3, p=1, seed=5).replace(Q=1e-12 * np.eye(3), R=[[1e-6]])
    y = sample(params, 300, random_state=0)[1]
    sq = rts_smoother(params, kalman_filter(params, y, form="sqrt"), form="sqrt")
    w = np.linalg.eigvalsh(sq.covariances)
    assert w.min() >= -1e-12 * w.max()
    with pytest.raises(le.ValidationError, match="form"):
        rts_smoother(params, kalman_filter(params, y), form="joseph")


def test_sqrt_filter_exposes_factors_the_smoother_uses():
    params = random_params(n=3, p=2, seed=8)
    y = _missing(np.stack([sample(params, 50, random_state=s)[1] for s in (1, 2)]), 9)
    y[0, 0] = np.nan  # first step fully missing: the factor is the prior's
    ys = as_trajectories(y, allow_nan=True)
    filt = kalman_filter(params, ys, form="sqrt")
    for f in filt:
        S = f.filtered_factors
        np.testing.assert_allclose(S @ np.swapaxes(S, -1, -2), f.filtered_covariances, atol=1e-12)
    assert kalman_filter(params, ys)[0].filtered_factors is None
    from_factors = rts_smoother(params, filt, form="sqrt")
    standard = rts_smoother(params, kalman_filter(params, ys))
    for a, b in zip(from_factors, standard):
        np.testing.assert_allclose(a.covariances, b.covariances, atol=1e-10)
        np.testing.assert_allclose(a.means, b.means, atol=1e-10)
    single = kalman_filter(params, y[1], form="sqrt")
    np.testing.assert_allclose(single.filtered_factors, filt[1].filtered_factors)
