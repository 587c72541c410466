"""Re-encoding rollouts: lifted models decode and lift again during a forecast."""

import numpy as np
import pytest

import lindy as ld
from lindy.metrics import valid_prediction_time
from lindy.operators import EDMD, HAVOK, EDMDc, GeneratorEDMD, HankelDMD, KernelEDMD, Polynomial


def _vpt(name, model, n_train, horizon, random_state=0):
    """Valid prediction time (Lyapunov times) from a 50-sample context of a third trajectory."""
    system = ld.systems.get_system(name)
    data = ld.systems.simulate(system, n_steps=n_train + 50 + horizon, n_traj=3, random_state=random_state,
                               transient=500)
    model.fit(ld.TrajectorySet([tr[:n_train] for tr in data[:2]]))
    test = data[2]
    fc = model.forecast(test[:50], horizon)
    return valid_prediction_time(test.x[50:50 + horizon], fc.x, dt=data.dt or 1.0,
                                 lyapunov_exponent=system.meta["max_lyapunov"])


def test_henon_poly2_reencoded_reaches_30_lyapunov_times():
    pure = _vpt("Henon", EDMD(Polynomial(2), reencode_every=None), 2000, 200)
    again = _vpt("Henon", EDMD(Polynomial(2), reencode_every=1), 2000, 200)
    assert again >= 30, again
    assert pure < 2, pure


def test_lorenz_poly3_reencoded_reaches_4_lyapunov_times():
    pure = _vpt("Lorenz", EDMD(Polynomial(3), reencode_every=None), 4000, 1000)
    again = _vpt("Lorenz", EDMD(Polynomial(3)), 4000, 1000)  # the default re-encodes
    assert again >= 4, again
    assert pure < 1, pure


@pytest.mark.parametrize("make", [
    lambda re: EDMD(Polynomial(2), reencode_every=re),
    lambda re: KernelEDMD(rank=5, reencode_every=re),
    lambda re: GeneratorEDMD(Polynomial(2), reencode_every=re),
    lambda re: HankelDMD(n_delays=3, reencode_every=re),
    lambda re: HAVOK(n_delays=10, rank=4, reencode_every=re),
])
def test_reencoding_is_exact_for_a_linear_system_and_horizon_one_ignores_it(make):
    data = ld.testing.conformance_data()
    ctx = data[1].x[:40]
    a = make(None).fit(data).forecast(ctx, 1).x
    b = make(1).fit(data).forecast(ctx, 1).x
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    c = make(3).fit(data).forecast(ctx, 12).x
    assert c.shape == (12, 2) and np.isfinite(c).all()


def test_edmdc_reencoding_keeps_the_input_convention():
    data = ld.testing.linear_input_data()
    test = ld.testing.linear_input_data(7, lengths=(80,))[0]
    for re in (None, 1, 4):
        model = EDMDc(Polynomial(2), reencode_every=re).fit(data)
        fc = model.forecast(test[:50], 20, u=test.u[50:70])
        np.testing.assert_allclose(fc.x, test.x[50:70], atol=1e-6 * np.abs(test.x).max())
