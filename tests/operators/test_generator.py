"""Generator EDMD: rates of a linear flow and of an Ornstein-Uhlenbeck process."""

import numpy as np
import pytest
from scipy.linalg import expm

import lindy as ld
from lindy.errors import ValidationError
from lindy.operators import RBF, GeneratorEDMD, Polynomial
from lindy.testing import check_estimator


@pytest.mark.parametrize("est", [GeneratorEDMD(), GeneratorEDMD(Polynomial(3), rank=6, kind="ode")])
def test_conformance(est):
    check_estimator(est)


def test_linear_flow_rates_from_central_differences():
    A = np.array([[-0.1, -1.0], [1.0, -0.1]])
    dt = 1e-3
    t = dt * np.arange(3000)
    trajs = [np.array([expm(A * tk) @ x0 for tk in t]) for x0 in ([1.0, 0.0], [0.3, -0.8])]
    model = GeneratorEDMD(Polynomial(2), kind="ode").fit(trajs, t=[t, t])
    mu = model.continuous_eigenvalues_
    # Polynomial(2) holds the eigenfunctions of orders 0, 1 and 2: rates are sums of -0.1 +- i
    want = np.array([0, -0.1 + 1j, -0.1 - 1j, -0.2 + 2j, -0.2 - 2j, -0.2])
    err = [np.abs(want - m).min() for m in mu]
    assert max(err) < 1e-5
    np.testing.assert_allclose(model.eigenvalues_, np.exp(mu * dt))


def test_ornstein_uhlenbeck_rates():
    rng = np.random.default_rng(1)
    dt, theta, n = 1e-2, 0.5, 100
    x = np.zeros((4000, n))
    for k in range(3999):
        x[k + 1] = x[k] - theta * x[k] * dt + np.sqrt(2 * dt) * rng.standard_normal(n)
    data = ld.as_trajectories(x.T[:, :, None], dt=dt)
    model = GeneratorEDMD(Polynomial(3)).fit(data)
    rates = np.sort(model.continuous_eigenvalues_.real)
    np.testing.assert_allclose(rates, [-1.5, -1.0, -0.5, 0.0], atol=0.08)


def test_needs_derivatives():
    with pytest.raises(ValidationError, match="derivatives"):
        GeneratorEDMD(RBF(5)).fit(ld.testing.conformance_data())
    with pytest.raises(ValidationError, match="kind"):
        GeneratorEDMD(kind="pde").fit(ld.testing.conformance_data())
