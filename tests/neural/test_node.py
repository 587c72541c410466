"""NeuralODE: conformance, the vector field of a damped oscillator from irregular samples."""

import numpy as np
import pytest
from scipy.linalg import expm

import lindy as ld
from lindy.errors import ValidationError
from lindy.testing import check_estimator

#: x'' + 0.1 x' + x = 0: period 2 pi, amplitude decaying by exp(-0.05 t)
A = np.array([[0.0, 1.0], [-1.0, -0.1]])


def _oscillator(x0, t):
    return np.stack([expm(A * s) @ x0 for s in t])


def test_conformance_small():
    check_estimator(ld.neural.NeuralODE(hidden_layer_sizes=(8,), max_iter=5))


def test_conformance_lbfgs_and_substeps():
    check_estimator(ld.neural.NeuralODE(hidden_layer_sizes=(8,), max_iter=2, solver="lbfgs",
                                        learning_rate=1.0, max_step=0.05, window=4))


def test_recovers_a_damped_oscillator_from_irregular_samples():
    rng = np.random.default_rng(0)
    ts, xs = [], []
    for _ in range(4):
        t = np.sort(rng.uniform(0, 20, 200))
        t[0] = 0.0
        ts.append(t)
        xs.append(_oscillator(rng.uniform(-2, 2, 2), t))
    model = ld.neural.NeuralODE(hidden_layer_sizes=(32, 32), solver="lbfgs", learning_rate=1.0,
                                max_iter=20, patience=None).fit(xs, t=ts)
    assert model.dt_ is None
    # forecast 5 periods from a new initial state, on the median training interval
    x0 = np.array([1.5, -0.5])
    n = int(5 * 2 * np.pi / model.median_dt_)
    truth = _oscillator(x0, model.median_dt_ * np.arange(1, n + 1))
    fc = model.forecast(x0[None], horizon=n)
    assert ld.metrics.nrmse(truth, fc.x) < 0.01
    np.testing.assert_allclose(fc.t, model.median_dt_ * np.arange(1, n + 1))


def test_rk4_substeps_converge_at_fourth_order():
    """On a linear field (MLP zeroed) RK4 matches expm, the error falling 16x per halving."""
    import torch

    from lindy.neural._node import _rk4

    model = ld.neural.NeuralODE(hidden_layer_sizes=(4,), max_iter=1).fit(np.ones((20, 2)).cumsum(0))
    module = model._module
    with torch.no_grad():
        module["linear"].weight.copy_(torch.as_tensor(A))
        module["mlp"][-1].weight.zero_()
        module["mlp"][-1].bias.zero_()
    z0 = torch.as_tensor([[1.0, 0.5]], dtype=torch.float64)
    h = torch.full((1, 1), 1.0, dtype=torch.float64)
    exact = expm(A) @ np.array([1.0, 0.5])
    errs = [np.abs(_rk4(module, z0, h, n).detach().numpy()[0] - exact).max() for n in (2, 4, 8)]
    assert 12 < errs[0] / errs[1] < 20
    assert 12 < errs[1] / errs[2] < 20


def test_bad_hidden_layer_sizes_is_a_clear_error():
    with pytest.raises(ValidationError, match="'hidden_layer_sizes' must be a non-empty tuple"):
        ld.neural.NeuralODE(hidden_layer_sizes=(8, 0)).fit(np.zeros((20, 2)))


def test_integrate_on_any_grid_matches_forecast():
    t = np.linspace(0, 10, 80)
    x = _oscillator(np.array([1.0, 0.0]), t)
    model = ld.neural.NeuralODE(hidden_layer_sizes=(4,), max_iter=2).fit(x, t=t)
    fc = model.forecast(x[:1], horizon=5)
    path = model.integrate(x[0], model.median_dt_ * np.arange(6))
    np.testing.assert_allclose(path[1:], fc.x, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(path[0], x[0])
    with pytest.raises(ValidationError, match="increasing"):
        model.integrate(x[0], [0.0, 1.0, 0.5])


def test_conformance_dopri5():
    check_estimator(ld.neural.NeuralODE(hidden_layer_sizes=(8,), max_iter=2, integrator="dopri5",
                                        rtol=1e-4, atol=1e-6))


def test_dopri5_meets_its_tolerance_on_a_linear_field():
    import torch

    from lindy.neural._node import _dopri5

    model = ld.neural.NeuralODE(hidden_layer_sizes=(4,), max_iter=1).fit(np.ones((20, 2)).cumsum(0))
    module = model._module
    with torch.no_grad():
        module["linear"].weight.copy_(torch.as_tensor(A))
        module["mlp"][-1].weight.zero_()
        module["mlp"][-1].bias.zero_()
    z0 = torch.as_tensor([[1.0, 0.5], [-0.3, 0.2]], dtype=torch.float64)
    h = torch.as_tensor([[3.0], [0.5]], dtype=torch.float64)  # different intervals per sample
    out = _dopri5(module, z0, h, rtol=1e-9, atol=1e-11).detach().numpy()
    for i in range(2):
        np.testing.assert_allclose(out[i], expm(A * float(h[i, 0])) @ z0[i].numpy(), atol=1e-8)


def test_dopri5_fits_irregular_samples():
    rng = np.random.default_rng(1)
    t = np.sort(np.r_[0.0, rng.uniform(0, 10, 99)])
    x = _oscillator(np.array([1.0, 0.0]), t)
    model = ld.neural.NeuralODE(hidden_layer_sizes=(8,), integrator="dopri5", rtol=1e-5,
                                solver="lbfgs", learning_rate=1.0, max_iter=5).fit(x, t=t)
    assert model.score(x) > 0.99
