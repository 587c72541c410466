"""Benchmark plants: spectra and gains against their analytic values."""

import numpy as np
import pytest

import lindy as ld
from lindy.errors import ValidationError


def test_chain_natural_frequencies_match_the_analytic_ones():
    n, k, m, dt = 5, 2.0, 0.5, 0.05
    sys = ld.control.mass_spring_chain(n, mass=m, stiffness=k, damping=0.0, dt=dt)
    freqs = np.sort(np.abs(np.angle(sys.eigenvalues)) / dt)[::2]  # each frequency twice (+-)
    analytic = 2 * np.sqrt(k / m) * np.sin(np.arange(1, n + 1) * np.pi / (2 * (n + 1)))
    assert np.allclose(freqs, analytic, rtol=1e-10)
    assert np.allclose(sys.meta["natural_frequencies"], analytic)


def test_damped_chain_decays_and_forces_enter_the_right_masses():
    sys = ld.control.mass_spring_chain(4, damping=0.2, actuated=(1, 3))
    assert np.abs(sys.eigenvalues).max() < 1
    Bc = sys.meta["continuous"][1]
    assert np.flatnonzero(Bc[:, 0]).tolist() == [5] and np.flatnonzero(Bc[:, 1]).tolist() == [7]
    with pytest.raises(ValidationError, match="actuated"):
        ld.control.mass_spring_chain(3, actuated=(3,))


def test_heat_spectrum_is_the_discrete_laplacians():
    n, a, dt = 12, 0.7, 0.01
    sys = ld.control.heat_equation(n, diffusivity=a, dt=dt)
    h = 1.0 / (n + 1)
    lam = -(4 * a / h**2) * np.sin(np.arange(1, n + 1) * np.pi / (2 * (n + 1))) ** 2
    assert np.allclose(np.sort(sys.eigenvalues.real), np.sort(np.exp(lam * dt)), rtol=1e-10)
    assert np.allclose(sys.eigenvalues.imag, 0)


def test_motor_speed_per_volt_is_the_textbook_gain():
    sys = ld.control.dc_motor()
    A, B = sys.A[1:, 1:], sys.B[1:]  # speed and current do not depend on the angle
    speed = np.linalg.solve(np.eye(2) - A, B)[0, 0]
    assert np.isclose(speed, 0.01 / (0.1 * 1.0 + 0.01**2))
    assert np.isclose(speed, sys.meta["speed_per_volt"])


def test_burgers_linearizes_to_the_heat_equation_about_zero():
    nu, dt, n = 0.05, 0.002, 10
    plant = ld.control.burgers(n, viscosity=nu, dt=dt, n_inputs=2)
    heat = ld.control.heat_equation(n, diffusivity=nu, dt=dt, actuated="both")
    rng = np.random.default_rng(0)
    x, u = 1e-4 * rng.standard_normal(n), 1e-4 * rng.standard_normal(2)
    lin = heat.A @ x + heat.B @ u
    assert np.allclose(plant(x, u), lin, atol=1e-11)  # quadratic term ~1e-8 * dt


def test_burgers_in_a_closed_loop_is_steered_by_its_boundary():
    plant = ld.control.burgers(16, viscosity=0.05, n_inputs=1)

    class _Hold:
        def control(self, x):
            return np.array([1.0])

    traj = ld.control.closed_loop(plant, _Hold(), 400, np.zeros(16))
    assert traj.x.shape == (401, 16) and np.all(np.diff(traj.x[-1]) < 0)  # decreasing from 1 to 0
    assert 0 < traj.x[-1].min() and traj.x[-1].max() < 1
    with pytest.raises(ValidationError, match="n_inputs"):
        ld.control.burgers(8, n_inputs=3)
