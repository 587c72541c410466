"""The estimator contract v2: Forecast results, sampling policy, inputs, complex data."""

import numpy as np
import pytest

import lindy as ld
from lindy.base import Estimator
from lindy.data import Forecast, Trajectory
from lindy.errors import ValidationError


def _sine(T=200, dt=0.1):
    t = dt * np.arange(T)
    return np.column_stack([np.sin(t), np.cos(t)]), t


def test_forecast_is_a_forecast_whose_times_continue_the_context():
    x, t = _sine()
    model = ld.baselines.LinearAR(n_lags=2).fit(x, t=t)
    ctx = Trajectory(t=5.0 + t[:30], x=x[:30])
    fc = model.forecast(ctx, horizon=4)
    assert isinstance(fc, Forecast)
    np.testing.assert_allclose(fc.t, 5.0 + t[29] + 0.1 * np.arange(1, 5), rtol=1e-12)
    # an array context is sampled at 0, dt, 2 dt, ...
    fa = model.forecast(x[:30], horizon=4)
    np.testing.assert_allclose(fa.t, 0.1 * np.arange(30, 34), rtol=1e-12)
    np.testing.assert_array_equal(fa.x, fc.x)


def test_a_context_sampled_at_another_interval_is_refused():
    x, t = _sine()
    model = ld.baselines.LinearAR(n_lags=2).fit(x, t=t)
    with pytest.raises(ValidationError, match="dt_=0.1"):
        model.forecast(Trajectory(t=0.2 * np.arange(30), x=x[:30]), horizon=3)


def test_irregular_times_need_a_model_that_declares_them():
    x, t = _sine()
    t_irr = t + 0.03 * np.sin(7 * t)
    with pytest.raises(ValidationError, match="irregular"):
        ld.baselines.LinearAR().fit(x, t=t_irr)
    gp = ld.ssm.GPForecaster().fit(x[:80], t=t_irr[:80])
    assert gp.dt_ is None
    assert gp.median_dt_ == pytest.approx(float(np.median(np.diff(t_irr[:80]))))


def test_complex_data_is_refused_with_a_fix_never_cast():
    x, t = _sine()
    z = x[:, :1] + 1j * x[:, 1:]
    with pytest.raises(ValidationError, match=r"complex.*np\.hstack"):
        ld.baselines.LinearAR().fit(z)
    with pytest.raises(ValidationError, match="complex"):
        ld.baselines.Persistence().fit(x).forecast(np.hstack([z, z]), horizon=2)


def test_step_inputs_follow_the_one_convention():
    ctx = Trajectory(t=np.arange(3.0), x=np.zeros((3, 1)), u=np.array([[1.0], [2.0], [3.0]]))
    u_future = np.array([[10.0], [20.0], [30.0]])
    drive = Estimator._step_inputs(ctx, u_future)
    # step 0 leaves the last context state under the context's last input
    np.testing.assert_array_equal(drive.ravel(), [3.0, 10.0, 20.0])


def test_parameter_constraints_are_checked_by_fit_with_one_format():
    x, _ = _sine()
    with pytest.raises(ValidationError,
                       match=r"^LinearAR: parameter 'n_lags' must be an int in \[1, inf\); got 0\.$"):
        ld.baselines.LinearAR(n_lags=0).fit(x)
    with pytest.raises(ValidationError, match="parameter 'alpha' must be a float in"):
        ld.baselines.LinearAR(alpha=-1.0).fit(x)
