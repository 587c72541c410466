"""Spectral filtering (Hazan, Singh and Zhang 2017)."""

import numpy as np

import lindy as ld
from lindy.spectral import SpectralFilter, filtered_history, hankel_filters
from lindy.testing import check_estimator


def test_filters_are_the_top_eigenvectors_of_the_hankel_matrix():
    L = 60
    i = np.arange(1, L + 1)
    Z = 2.0 / ((i[:, None] + i[None, :]) ** 3 - (i[:, None] + i[None, :]))
    sigma, phi = hankel_filters(L, 5)
    np.testing.assert_allclose(Z @ phi, phi * sigma, atol=1e-15)
    np.testing.assert_allclose(sigma, np.linalg.eigvalsh(Z)[::-1][:5], rtol=1e-12)


def test_long_filters_from_lanczos_agree_with_dense_ones(monkeypatch):
    from lindy.spectral import _filters

    s_dense, p_dense = _filters._filters_cached.__wrapped__(900, 12)
    monkeypatch.setattr(_filters, "_DENSE_MAX", 100)
    s_lz, p_lz = _filters._filters_cached.__wrapped__(900, 12)
    np.testing.assert_allclose(s_lz, s_dense, rtol=0, atol=1e-16)  # absolute: eps * sigma_max
    np.testing.assert_allclose(np.abs(np.sum(p_lz * p_dense, axis=0)), 1.0, atol=1e-9)


def test_filtered_history_is_the_causal_convolution():
    rng = np.random.default_rng(0)
    v, bank = rng.standard_normal((30, 2)), rng.standard_normal((7, 3))
    out = filtered_history(v, bank).reshape(30, 3, 2)
    k = 12
    expect = sum(bank[i - 1][:, None] * v[k - i][None, :] for i in range(1, 8))
    np.testing.assert_allclose(out[k], expect, atol=1e-12)
    np.testing.assert_array_equal(out[0], 0.0)


def _symmetric_lds(T, seed, n=4, m=3, p=3):
    """A symmetric 4-state LDS with eigenvalues +-0.9999 driven by white inputs."""
    rng = np.random.default_rng(123)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag([0.9999, 0.9999, -0.9999, -0.9999]) @ Q.T
    B, C = rng.standard_normal((n, m)) / 2, rng.standard_normal((p, n)) / 2
    r = np.random.default_rng(seed)
    u, h, y = r.standard_normal((T, m)), np.zeros(n), np.empty((T, p))
    for k in range(T):
        y[k] = C @ h + 0.1 * r.standard_normal(p)
        h = A @ h + B @ u[k] + 0.01 * r.standard_normal(n)
    return y, u


def _input_lag_regression(ys, us, test, n_lags):
    """Least-squares AR on the last ``n_lags`` inputs: x[k+1] - x[k] ~ [1, x[k], u[k..k-K+1]]."""
    def feats(y, u):
        cols = [np.ones((y.shape[0], 1)), y]
        cols += [np.vstack([np.zeros((lag, u.shape[1])), u[: u.shape[0] - lag]]) for lag in range(n_lags)]
        return np.hstack(cols)
    F = np.vstack([feats(y, u)[:-1] for y, u in zip(ys, us)])
    W = np.linalg.lstsq(F, np.vstack([np.diff(y, axis=0) for y in ys]), rcond=None)[0]
    pred = test[0] + feats(*test) @ W
    return W.size, pred


def test_learns_a_marginally_stable_symmetric_lds_better_than_an_equal_size_ar_model():
    train = [_symmetric_lds(2000, s) for s in range(3)]
    test = _symmetric_lds(2000, 10)
    ys, us = [t[0] for t in train], [t[1] for t in train]
    sf = SpectralFilter(n_filters=16).fit(ys, u=us)
    sf_err = np.mean((sf.predict(test[0], u=test[1])[:-1] - test[0][1:])[200:] ** 2)
    n_lags = (sf.n_parameters_ // 3 - 1 - 3) // 3     # the same number of weights
    size, ar_pred = _input_lag_regression(ys, us, test, n_lags)
    assert abs(size - sf.n_parameters_) <= 9
    ar_err = np.mean((ar_pred[:-1] - test[0][1:])[200:] ** 2)
    assert sf_err < 0.02 * ar_err, (sf_err, ar_err)


def test_online_projected_gradient_approaches_least_squares():
    rng = np.random.default_rng(0)
    u = rng.standard_normal((3000, 1))
    x = np.zeros((3000, 1))
    for k in range(2999):
        x[k + 1] = 0.99 * x[k] + 0.2 * u[k]
    batch = SpectralFilter(n_filters=6, filter_length=200).fit(x, u=u)
    online = SpectralFilter(n_filters=6, filter_length=200, solver="online", max_iter=3).fit(x, u=u)
    e_batch = np.mean((batch.predict(x, u=u)[:-1] - x[1:]) ** 2)
    e_online = np.mean((online.predict(x, u=u)[:-1] - x[1:]) ** 2)
    assert e_batch < 1e-10 and e_online < 1e-3 * np.var(x)


def test_forecast_with_inputs_continues_the_system():
    rng = np.random.default_rng(1)
    u = rng.standard_normal((600, 1))
    x = np.zeros((600, 1))
    for k in range(599):
        x[k + 1] = 0.95 * x[k] + 0.3 * u[k]
    model = SpectralFilter(n_filters=4).fit(x[:400], u=u[:400])
    ctx = ld.Trajectory(t=np.arange(450.0), x=x[:450], u=u[:450])
    fc = model.forecast(ctx, horizon=100, u=u[450:550])
    np.testing.assert_allclose(fc.x, x[450:550], atol=1e-5)


def test_conformance():
    check_estimator(SpectralFilter(n_filters=4, filter_length=64))


def test_online_solver_passes_every_check_but_exactness():
    """Online gradient descent is approximate, so the exact input-timing and free-run checks are left out."""
    est = SpectralFilter(n_filters=3, solver="online")
    data = ld.testing.conformance_data(n_inputs=0)
    for name, check in ld.testing.checks():
        if name not in ("check_input_timing", "check_free_run"):
            check(est, data)
