"""NEES / NIS consistency and the innovation whiteness test."""

from __future__ import annotations

from ssm_helpers import random_params

from lindy.ssm import chi2_bounds, innovation_whiteness, kalman_filter, nees, nis, sample


def test_consistent_filter_passes_nees_nis_and_whiteness():
    params = random_params(n=3, p=2, seed=21)
    x, y = sample(params, 3000, random_state=0)
    filt = kalman_filter(params, y)
    lo, hi = chi2_bounds(3, 3000, alpha=0.01)
    assert lo < nees(x, filt.filtered_means, filt.filtered_covariances).mean() < hi
    lo, hi = chi2_bounds(2, 3000, alpha=0.01)
    assert lo < nis(filt).mean() < hi
    assert innovation_whiteness(filt, lags=10).p_value > 0.001


def test_mismatched_filter_fails():
    params = random_params(n=3, p=2, seed=21)
    x, y = sample(params, 3000, random_state=0)
    wrong = params.replace(A=0.2 * params.A, Q=0.1 * params.Q)
    filt = kalman_filter(wrong, y)
    _, hi = chi2_bounds(3, 3000, alpha=0.01)
    assert nees(x, filt.filtered_means, filt.filtered_covariances).mean() > hi
    assert innovation_whiteness(filt, lags=10).p_value < 1e-6
