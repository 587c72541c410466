"""ESN: reservoirpy as the oracle for states and readout; reset per trajectory; closed loop."""

import numpy as np
import pytest
import reservoirpy  # noqa: F401 - a dev dependency: the oracle must run, never skip
from reservoirpy.nodes import Reservoir as RpyReservoir
from reservoirpy.nodes import Ridge as RpyRidge

import lindy as ld
from lindy.reservoir import make_reservoir
from lindy.reservoir._reservoir import reservoir_states


def _rpy_states(res, z):
    node = RpyReservoir(W=res.matrix().toarray(), Win=res.W_in.copy(), bias=0.0, lr=res.leak_rate)
    return node.run(z)


@pytest.mark.parametrize("leak_rate", [1.0, 0.3])
def test_states_equal_reservoirpy(leak_rate):
    res = make_reservoir(80, 3, 0.95, 0.7, 0.1, leak_rate, random_state=3)
    z = np.random.default_rng(0).standard_normal((200, 3))
    np.testing.assert_allclose(reservoir_states(res, z), _rpy_states(res, z), rtol=1e-12, atol=1e-13)


def test_readout_equals_reservoirpy_ridge():
    rng = np.random.default_rng(1)
    x = np.cumsum(rng.standard_normal((300, 2)), axis=0) * 0.1
    esn = ld.reservoir.ESN(state_dim=60, alpha=1e-4, warmup=20, random_state=5).fit(x)
    m = esn.model_
    zz = (x - m.mean) / m.scale
    F = np.concatenate([zz, _rpy_states(m.reservoir, zz)], axis=1)
    ridge = RpyRidge(ridge=1e-4).fit(F[20:-1], zz[21:])
    np.testing.assert_allclose(m.W_out[1:], ridge.Wout, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(m.W_out[0], ridge.bias, rtol=1e-7, atol=1e-9)


def test_readout_accumulated_over_many_blocks_equals_reservoirpy_ridge():
    # 1 + 2 + 300 + 2 columns: the Gram matrix is accumulated over blocks of 214 rows
    rng = np.random.default_rng(4)
    a, b = (np.cumsum(rng.standard_normal((n, 2)), axis=0) * 0.1 for n in (700, 450))
    esn = ld.reservoir.ESN(state_dim=300, alpha=1e-3, warmup=30, random_state=2).fit([a, b])
    m = esn.model_
    F, Y = [], []
    for x in (a, b):
        zz = (x - m.mean) / m.scale
        F.append(np.concatenate([zz, _rpy_states(m.reservoir, zz)], axis=1)[30:-1])
        Y.append(zz[31:])
    ridge = RpyRidge(ridge=1e-3).fit(np.concatenate(F), np.concatenate(Y))
    np.testing.assert_allclose(m.W_out[1:], ridge.Wout, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(m.W_out[0], ridge.bias, rtol=1e-7, atol=1e-9)


def test_reservoir_is_reset_for_each_trajectory():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((80, 2)), rng.standard_normal((70, 2))
    esn = ld.reservoir.ESN(state_dim=30, warmup=10, alpha=1e-3, random_state=0).fit([a, b])
    m = esn.model_
    F, Y = [], []
    for x in (a, b):
        zz = (x - m.mean) / m.scale
        R = _rpy_states(m.reservoir, zz)          # from a zero state on each trajectory
        F.append(np.concatenate([zz, R], axis=1)[10:-1])
        Y.append(zz[11:])
    ridge = RpyRidge(ridge=1e-3).fit(np.concatenate(F), np.concatenate(Y))
    np.testing.assert_allclose(m.W_out[1:], ridge.Wout, rtol=1e-7, atol=1e-9)


def test_closed_loop_feeds_back_its_outputs():
    rng = np.random.default_rng(3)
    x, u = rng.standard_normal((120, 2)), rng.standard_normal((120, 1))
    esn = ld.reservoir.ESN(state_dim=40, warmup=10, alpha=1e-2, random_state=1).fit(x, u=u)
    ctx = ld.Trajectory(t=np.arange(120.0), x=x, u=u)
    u_future = rng.standard_normal((6, 1))
    fc = esn.forecast(ctx, horizon=6, u=u_future)
    xs, us = x.copy(), u.copy()
    for j in range(6):                      # predict re-runs the reservoir from zero each time
        nxt = esn.predict(xs, u=us)[-1]
        xs, us = np.vstack([xs, nxt]), np.vstack([us, u_future[j:j + 1]])
    np.testing.assert_allclose(fc.x, xs[120:], rtol=1e-9, atol=1e-11)


def test_reservoir_is_drawn_once_per_seed_and_scaled():
    a = make_reservoir(400, 2, 1.1, 1.0, 0.02, 1.0, random_state=7)   # sparse eigensolver
    assert make_reservoir(400, 2, 1.1, 1.0, 0.02, 1.0, random_state=7) is a
    rho = np.abs(np.linalg.eigvals(a.matrix().toarray())).max()
    assert rho == pytest.approx(1.1, rel=1e-8)
    b = make_reservoir(400, 2, 1.1, 1.0, 0.02, 1.0, random_state=np.random.default_rng(7))
    assert np.array_equal(a.values, b.values) and np.array_equal(a.W_in, b.W_in)
    assert a.values.size == pytest.approx(0.02 * 400 ** 2, rel=0.01)


def test_esn_forecasts_lorenz_for_a_lyapunov_time():
    lorenz = ld.systems.get_system("Lorenz")
    x = ld.systems.simulate(lorenz, n_steps=3100, dt=0.02)[0].x
    esn = ld.reservoir.ESN(state_dim=300, spectral_radius=0.9, input_scaling=0.3, alpha=1e-7,
                           random_state=0).fit(x[:3000])
    fc = esn.forecast(x[:3000], horizon=50)                      # ~0.9 Lyapunov times
    assert ld.metrics.nrmse(x[3000:3050], fc.x, scale=x.std(axis=0)) < 0.05


def test_compiled_tanh_is_accurate_to_the_last_bits():
    from lindy.reservoir._compiled import tanh

    x = np.concatenate([np.random.default_rng(0).standard_normal(20000) * 5,
                        np.linspace(-1e-8, 1e-8, 101), [0.0, 1e-300, 19.9, 20.1, 40.0, -700.0]])
    ref = np.tanh(x)
    np.testing.assert_allclose(tanh(x), ref, rtol=1e-15, atol=1e-300)
    special = tanh(np.array([np.nan, np.inf, -np.inf]))
    assert np.isnan(special[0]) and special[1] == 1.0 and special[2] == -1.0
