"""The BLAS-backed and the loop Kalman steps agree; parallel batches equal serial runs.

The compiled filter and RTS smoother switch from hand-written loops to BLAS/LAPACK
at ``BLAS_MIN_STATE`` (smoother: ``BLAS_MIN_STATE_SMOOTHER``) states; both paths
must give the same numbers (to rounding) on the same problem, on either side of
the thresholds and with missing data, inputs, time-varying matrices and singular
predicted covariances. A TrajectorySet split over threads must give bitwise the
serial result.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import solve_discrete_lyapunov
from ssm_helpers import random_params
from test_ssm_singular import arma21

import lindy.ssm._compiled_blas as cb
from lindy.data import as_trajectories
from lindy.errors import NumericalError, ValidationError
from lindy.ssm import LGSSMParams, kalman_filter, log_likelihood, rts_smoother, sample

FILTER_FIELDS = ("predicted_means", "predicted_covariances", "filtered_means",
                 "filtered_covariances", "log_likelihood_terms", "innovations",
                 "whitened_innovations", "nis", "next_mean", "next_covariance")


def _both_paths(monkeypatch, run):
    out = []
    for threshold in (1, 10**6):  # every size through BLAS, then every size through loops
        monkeypatch.setattr(cb, "BLAS_MIN_STATE", threshold)
        monkeypatch.setattr(cb, "BLAS_MIN_STATE_SMOOTHER", threshold)
        out.append(run())
    return out


def _close(a, b, tol=1e-10):
    a, b = np.asarray(a), np.asarray(b)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    scale = max(1.0, float(np.nanmax(np.abs(b))))
    np.testing.assert_allclose(a, b, rtol=0, atol=tol * scale, equal_nan=True)


def _missing(y, seed):
    """Scattered missing components, a fully missing block, and fully observed stretches."""
    y = y.copy()
    rows = np.random.default_rng(seed).choice(np.arange(min(20, len(y) // 3), len(y) - 1), 6,
                                              replace=False)
    y[rows, 0] = np.nan
    y[len(y) // 3:len(y) // 3 + 5] = np.nan
    y[len(y) // 2, -1] = np.nan
    return y


@pytest.mark.parametrize("n", [7, 8, 11, 12, 13])
@pytest.mark.parametrize("form", ["standard", "joseph"])
def test_blas_and_loops_agree_around_the_threshold(n, form, monkeypatch):
    params = random_params(n, p=n // 2, m=1, seed=n)
    u = np.random.default_rng(n).standard_normal((300, 1))
    y = _missing(sample(params, 300, u=u, random_state=n)[1], n)

    def run():
        filt = kalman_filter(params, y, u, form=form)
        return filt, rts_smoother(params, filt)

    (f_blas, s_blas), (f_loop, s_loop) = _both_paths(monkeypatch, run)
    for name in FILTER_FIELDS:
        _close(getattr(f_blas, name), getattr(f_loop, name))
    np.testing.assert_array_equal(f_blas.steady, f_loop.steady)
    assert f_loop.steady.any()  # the steady-state path ran in both
    assert abs(f_blas.log_likelihood - f_loop.log_likelihood) < 1e-10 * abs(f_loop.log_likelihood)
    for name in ("means", "covariances", "gains"):
        _close(getattr(s_blas, name), getattr(s_loop, name))


def test_blas_and_loops_agree_time_varying(monkeypatch):
    params = random_params(14, p=5, seed=3, time_varying_T=120)
    y = _missing(sample(params, 120, random_state=2)[1], 2)
    (fb, sb), (fl, sl) = _both_paths(
        monkeypatch, lambda: (lambda f: (f, rts_smoother(params, f)))(kalman_filter(params, y)))
    for name in FILTER_FIELDS:
        _close(getattr(fb, name), getattr(fl, name))
    _close(sb.means, sl.means)
    _close(sb.covariances, sl.covariances)


def test_blas_path_replays_statsmodels_singular_smoother(monkeypatch):
    """ARMA(2,1) in companion form with R = 0 (singular P_{k+1|k}) through BLAS."""
    monkeypatch.setattr(cb, "BLAS_MIN_STATE", 1)
    monkeypatch.setattr(cb, "BLAS_MIN_STATE_SMOOTHER", 1)
    params, y, res = arma21()
    filt = kalman_filter(params, y)
    smooth = rts_smoother(params, filt)
    np.testing.assert_allclose(filt.log_likelihood, res.llf, rtol=1e-10)
    np.testing.assert_allclose(smooth.means, res.smoothed_state.T, atol=1e-8)
    np.testing.assert_allclose(smooth.covariances, res.smoothed_state_cov.transpose(2, 0, 1),
                               atol=1e-8)


def test_blas_and_loops_agree_on_the_r_n_smoother(monkeypatch):
    """A stable AR(14) in companion form with R = 0: singular P_{k+1|k}, r_t/N_t smoother."""
    rng = np.random.default_rng(4)
    roots = 0.9 * np.exp(1j * rng.uniform(0.2, 3.0, 7))
    ar = -np.real(np.poly(np.concatenate([roots, roots.conj()])))[1:]
    n = ar.size
    A = np.vstack([ar, np.eye(n)[:-1]])
    Q = np.zeros((n, n))
    Q[0, 0] = 1.0
    params = LGSSMParams(A=A, C=np.eye(1, n), Q=Q, R=[[0.0]], m0=np.zeros(n),
                         P0=solve_discrete_lyapunov(A, Q))
    y = sample(params, 300, random_state=3)[1]
    y[[20, 21, 150]] = np.nan
    (sb, pb), (sl, pl) = _both_paths(monkeypatch, lambda: (
        lambda f: (rts_smoother(params, f), f))(kalman_filter(params, y)))
    assert np.linalg.eigvalsh(pl.predicted_covariances[1:]).min() < 1e-8  # the r_t/N_t path
    _close(sb.means, sl.means)
    _close(sb.covariances, sl.covariances)


def test_blas_path_raises_on_singular_innovation_covariance(monkeypatch):
    monkeypatch.setattr(cb, "BLAS_MIN_STATE", 1)
    params = random_params(3, p=2, seed=1).replace(R=np.zeros((2, 2)), C=np.ones((2, 3)))
    with pytest.raises(NumericalError, match="not positive definite"):
        kalman_filter(params, np.ones((5, 2)))


def test_frozen_smoothed_covariance_equals_full_recursion():
    params = random_params(6, p=3, seed=5)
    y = sample(params, 3000, random_state=4)[1]
    y[1500] = np.nan  # leaves and re-enters the steady state in the middle
    filt = kalman_filter(params, y)
    assert filt.steady.mean() > 0.9
    frozen, full = rts_smoother(params, filt), rts_smoother(params, filt, steady_tol=0.0)
    _close(frozen.covariances, full.covariances, 1e-11)
    _close(frozen.means, full.means, 1e-11)
    np.testing.assert_array_equal(frozen.gains, full.gains)


@pytest.mark.parametrize(("n", "form"), [(3, "standard"), (14, "standard"), (3, "sqrt")])
def test_parallel_batch_equals_serial_exactly(n, form):
    params = random_params(n, p=2, m=1, seed=7)
    rng = np.random.default_rng(0)
    parts = []
    for i, T in enumerate((200, 50, 310, 120, 90)):
        u = rng.standard_normal((T, 1))
        parts.append((_missing(sample(params, T, u=u, random_state=i)[1], i), u))
    data = as_trajectories([p[0] for p in parts], u=[p[1] for p in parts], allow_nan=True)
    serial, threaded = (kalman_filter(params, data, form=form, n_jobs=k) for k in (1, 2))
    for a, b in zip(serial, threaded):
        for name in FILTER_FIELDS:
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert a.log_likelihood == b.log_likelihood
    s1, s2 = (rts_smoother(params, serial, form=form, n_jobs=k) for k in (1, 2))
    for a, b in zip(s1, s2):
        np.testing.assert_array_equal(a.means, b.means)
        np.testing.assert_array_equal(a.covariances, b.covariances)
        np.testing.assert_array_equal(a.gains, b.gains)
    np.testing.assert_array_equal(log_likelihood(params, data, n_jobs=1),
                                  log_likelihood(params, data, n_jobs=-1))
    # each sequence alone gives the same numbers as inside the batch
    one = kalman_filter(params, parts[2][0], parts[2][1], form=form)
    np.testing.assert_array_equal(one.filtered_covariances, threaded[2].filtered_covariances)


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_bad_n_jobs_raises(bad):
    params = random_params(2, p=1)
    with pytest.raises(ValidationError, match="n_jobs"):
        kalman_filter(params, np.zeros((3, 1)), n_jobs=bad)
