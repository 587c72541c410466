import numpy as np
import pytest

import lindy as ld
from lindy.baselines import LinearAR, Persistence, ridge_solve


def test_persistence_forecast_and_predict():
    x = np.arange(12.0).reshape(6, 2)
    m = Persistence().fit(x)
    np.testing.assert_array_equal(m.forecast(x, 3).x, np.tile(x[-1], (3, 1)))
    np.testing.assert_array_equal(m.predict(x), x)


def test_linear_ar_recovers_ar2_coefficients():
    rng = np.random.default_rng(0)
    a1, a2 = 1.5, -0.7
    x = np.zeros(5000)
    for k in range(2, 5000):
        x[k] = 0.3 + a1 * x[k - 1] + a2 * x[k - 2] + 0.1 * rng.standard_normal()
    m = LinearAR(n_lags=2, alpha=0.0).fit(x)
    # window is oldest first: coef rows (x_{k-1}, x_k)
    np.testing.assert_allclose(m.coef_.ravel(), [a2, a1], atol=0.03)
    np.testing.assert_allclose(m.intercept_, [0.3], atol=0.05)
    # statsmodels' OLS AR(2) on the same series agrees (oracle)
    from statsmodels.tsa.ar_model import AutoReg

    res = AutoReg(x, lags=2, trend="c").fit()
    np.testing.assert_allclose([m.intercept_[0], m.coef_[1, 0], m.coef_[0, 0]], res.params, atol=1e-8)


def test_linear_ar_predict_has_nan_warmup():
    x = np.sin(0.2 * np.arange(100))[:, None]
    p = LinearAR(n_lags=3).fit(x).predict(x)
    assert np.isnan(p[:2]).all() and np.isfinite(p[2:]).all()


def test_ridge_solve_penalty_shrinks():
    rng = np.random.default_rng(1)
    F = rng.standard_normal((50, 3))
    Y = F @ np.array([[1.0], [2.0], [3.0]])
    W0, _ = ridge_solve(F, Y, 0.0)
    W1, _ = ridge_solve(F, Y, 100.0)
    assert np.linalg.norm(W1) < np.linalg.norm(W0)


def test_context_too_short_for_order():
    m = LinearAR(n_lags=5).fit(np.sin(np.arange(100.0)))
    with pytest.raises(ld.errors.ValidationError, match="too short"):
        m.forecast(np.zeros((3, 1)), 4)
