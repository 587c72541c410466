"""iLQR: exact on linear-quadratic problems, descends on a nonlinear pendulum swing-up."""

import numpy as np
from scipy import linalg

import lindy as ld
from lindy.control._mpc_qp import prediction_matrices


def test_ilqr_solves_a_linear_quadratic_problem_exactly():
    sys = ld.systems.random_lti(4, 2, 1, spectral_radius=1.1, random_state=0)
    Q, R, P, H = np.eye(4), 0.5 * np.eye(2), 3 * np.eye(4), 15
    x0 = np.array([1.0, -1.0, 0.5, 2.0])
    res = ld.control.ilqr(lambda x, u: sys.A @ x + sys.B @ u, lambda x, u: float(x @ Q @ x + u @ R @ u),
                          x0, np.zeros((H, 2)), terminal_cost=lambda x: float(x @ P @ x))
    Phi, Gam = prediction_matrices(sys.A, sys.B, H)
    W = linalg.block_diag(*([Q] * (H - 1) + [P]))
    U = -np.linalg.solve(Gam.T @ W @ Gam + linalg.block_diag(*([R] * H)), Gam.T @ W @ Phi @ x0)
    assert res.converged
    assert np.allclose(res.u.ravel(), U, atol=1e-6)


def test_ilqr_swings_a_pendulum_up_with_analytic_or_numerical_jacobians():
    dt = 0.05

    def f(x, u):  # theta = 0 hanging, pi upright
        return np.array([x[0] + dt * x[1], x[1] + dt * (-9.81 * np.sin(x[0]) - 0.1 * x[1] + u[0])])

    def jac(x, u):
        return (np.array([[1.0, dt], [-dt * 9.81 * np.cos(x[0]), 1 - 0.1 * dt]]), np.array([[0.0], [dt]]))

    goal = np.array([np.pi, 0.0])

    def cost(x, u):
        return float(0.01 * u @ u)

    def terminal(x):
        e = x - goal
        return float(100 * e @ e)

    u0 = np.zeros((80, 1))
    fd = ld.control.ilqr(f, cost, np.zeros(2), u0, terminal_cost=terminal, max_iter=200)
    an = ld.control.ilqr(f, cost, np.zeros(2), u0, terminal_cost=terminal, jacobians=jac, max_iter=200)
    for res in (fd, an):
        assert np.all(np.diff(res.cost_history) < 0)
        assert np.linalg.norm(res.x[-1] - goal) < 0.05
    assert np.isclose(fd.cost, an.cost, rtol=1e-3)
