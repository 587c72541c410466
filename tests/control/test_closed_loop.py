"""Plants, linearization and closed-loop simulation."""

import numpy as np
import pytest

import lindy as ld
from lindy.errors import ValidationError

G = np.array([[0.0], [1.0]])


class _Gain:
    def __init__(self, K):
        self.K = K

    def control(self, x):
        return -self.K @ x


def test_closed_loop_on_lti_equals_the_recursion():
    sys = ld.systems.random_lti(4, 2, 1, random_state=2)
    K, _, _ = ld.control.dlqr(sys, None, np.eye(4), np.eye(2))
    traj = ld.control.closed_loop(sys, _Gain(K), 30, np.ones(4), cost=lambda x, u: float(x @ x + u @ u))
    x = np.ones(4)
    for k in range(30):
        assert np.allclose(traj.x[k], x)
        x = (sys.A - sys.B @ K) @ x
    assert np.allclose(traj.x[-1], x)
    assert np.isclose(traj.meta["cost"], sum(traj.x[k] @ traj.x[k] + traj.u[k] @ traj.u[k]
                                             for k in range(30)))


def test_noise_is_reproducible():
    sys = ld.systems.random_lti(3, 1, 1, random_state=0)
    a, b = (ld.control.closed_loop(sys, _Gain(np.zeros((1, 3))), 10, np.ones(3), process_noise_std=0.1,
                                   obs_noise_std=0.1, random_state=4) for _ in range(2))
    assert np.array_equal(a.x, b.x) and not np.allclose(a.meta["measurements"], a.x)


def test_flow_step_integrators_agree_and_linearization_matches_finite_differences():
    vdp = ld.systems.get_system("VanDerPol")
    x, u = np.array([0.3, -0.2]), np.array([0.5])
    a = ld.control.plant_step(vdp, x, u, dt=0.05, input_matrix=G)
    b = ld.control.plant_step(vdp, x, u, dt=0.05, input_matrix=G, integrator="rk4")
    assert np.allclose(a, b, atol=1e-9)
    A, B = ld.control.linearize(vdp, np.zeros(2), np.zeros(1), dt=0.05, input_matrix=G)
    eps = 1e-6
    fd_A = np.column_stack([(ld.control.plant_step(vdp, eps * e, [0.0], dt=0.05, input_matrix=G)
                             - ld.control.plant_step(vdp, -eps * e, [0.0], dt=0.05, input_matrix=G))
                            / (2 * eps) for e in np.eye(2)])
    fd_B = (ld.control.plant_step(vdp, np.zeros(2), [eps], dt=0.05, input_matrix=G)
            - ld.control.plant_step(vdp, np.zeros(2), [-eps], dt=0.05, input_matrix=G)) / (2 * eps)
    assert np.allclose(A, fd_A, atol=1e-7) and np.allclose(B.ravel(), fd_B, atol=1e-7)


def test_system_plant_needs_an_input_matrix():
    with pytest.raises(ValidationError, match="input_matrix"):
        ld.control.plant_step(ld.systems.get_system("VanDerPol"), np.zeros(2), [1.0])


def test_simulate_inputs_feeds_dmdc():
    sys = ld.systems.random_lti(3, 1, 1, random_state=1)
    u = np.random.default_rng(0).standard_normal((200, 1))
    traj = ld.control.simulate_inputs(sys, u, np.zeros(3))
    dmdc = ld.operators.DMDc().fit(traj)
    assert np.allclose(dmdc.A_, sys.A, atol=1e-8) and np.allclose(dmdc.B_, sys.B, atol=1e-8)


def test_noise_stds_are_absolute_and_old_names_are_gone():
    sys = ld.systems.random_lti(3, 1, 1, random_state=0)
    traj = ld.control.closed_loop(sys, _Gain(np.zeros((1, 3))), 4000, 100 * np.ones(3),
                                  obs_noise_std=0.3, random_state=0)
    err = traj.meta["measurements"] - traj.x
    assert abs(err.std() - 0.3) < 0.01  # absolute, whatever the state's own scale
    with pytest.raises(TypeError):
        ld.control.closed_loop(sys, _Gain(np.zeros((1, 3))), 4, np.ones(3), obs_noise=0.1)
