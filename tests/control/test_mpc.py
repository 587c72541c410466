"""Linear MPC against an independent QP (cvxpy, its default solver)."""

import cvxpy as cp
import numpy as np
import pytest

import lindy as ld
from lindy.errors import NumericalError


def _cvxpy_mpc(A, B, Q, R, P, x0, horizon, u_bounds, x_bounds=None, du_bounds=None, u_prev=None):
    n, m = B.shape
    X, U = cp.Variable((horizon + 1, n)), cp.Variable((horizon, m))
    cost = cp.quad_form(X[horizon], P) + sum(cp.quad_form(U[k], R) for k in range(horizon))
    cost += sum(cp.quad_form(X[k], Q) for k in range(1, horizon))
    cons = [X[0] == x0] + [X[k + 1] == A @ X[k] + B @ U[k] for k in range(horizon)]
    cons += [U >= u_bounds[0], U <= u_bounds[1]]
    if x_bounds is not None:
        cons += [X[1:] >= x_bounds[0], X[1:] <= x_bounds[1]]
    if du_bounds is not None:
        cons += [U[0] - u_prev >= du_bounds[0], U[0] - u_prev <= du_bounds[1]]
        cons += [U[1:] - U[:-1] >= du_bounds[0], U[1:] - U[:-1] <= du_bounds[1]]
    cp.Problem(cp.Minimize(cost), cons).solve()
    return U.value


@pytest.mark.parametrize("seed", range(3))
def test_mpc_equals_cvxpy_on_random_10_state_system(seed):
    sys = ld.systems.random_lti(10, 3, 1, spectral_radius=0.95, random_state=seed)
    rng = np.random.default_rng(seed)
    Q, R = np.eye(10), 0.1 * np.eye(3)
    mpc = ld.control.MPC((sys.A, sys.B), horizon=20, Q=Q, R=R, u_bounds=(-0.5, 0.5))
    x0 = 3.0 * rng.standard_normal(10)
    u = mpc.control(x0)
    ref = _cvxpy_mpc(sys.A, sys.B, Q, R, mpc.P, x0, 20, (-0.5, 0.5))
    assert np.any(np.abs(ref[0]) > 0.5 - 1e-6)  # a bound is active
    assert np.max(np.abs(u - ref[0])) <= 1e-6
    # a second step (warm start, only the vectors change) is equally exact
    x1 = sys.A @ x0 + sys.B @ u
    ref1 = _cvxpy_mpc(sys.A, sys.B, Q, R, mpc.P, x1, 20, (-0.5, 0.5))
    assert np.max(np.abs(mpc.control(x1) - ref1[0])) <= 1e-6


def test_mpc_state_and_rate_bounds_equal_cvxpy():
    sys = ld.systems.random_lti(10, 3, 1, spectral_radius=0.95, random_state=5)
    Q, R = np.eye(10), 0.1 * np.eye(3)
    xb, db = (-2.0, 2.0), (-0.2, 0.2)
    mpc = ld.control.MPC((sys.A, sys.B), horizon=15, Q=Q, R=R, u_bounds=(-1, 1), x_bounds=xb,
                         du_bounds=db)
    x0 = np.full(10, 1.0)
    u = mpc.control(x0)
    ref = _cvxpy_mpc(sys.A, sys.B, Q, R, mpc.P, x0, 15, (-1, 1), xb, db, np.zeros(3))
    assert np.max(np.abs(u - ref[0])) <= 1e-6
    plan = mpc.plan(x0, u_prev=u)
    assert np.all(np.abs(plan.x[1:]) <= 2 + 1e-7) and np.all(np.abs(np.diff(plan.u, axis=0)) <= 0.2 + 1e-7)


def test_default_terminal_weight_is_the_riccati_solution_and_unconstrained_mpc_is_lqr():
    sys = ld.systems.random_lti(5, 2, 1, random_state=1)
    K, S, _ = ld.control.dlqr(sys.A, sys.B, np.eye(5), np.eye(2))
    mpc = ld.control.MPC((sys.A, sys.B), horizon=8)
    assert np.allclose(mpc.P, S)
    x = np.arange(5.0)
    assert np.allclose(mpc.control(x), -K @ x, atol=1e-8)


def test_reference_tracking_reaches_the_setpoint():
    A, B = np.array([[1.0, 0.1], [0.0, 0.9]]), np.array([[0.0], [0.1]])
    mpc = ld.control.MPC((A, B, np.array([[1.0, 0.0]])), horizon=30, Q=np.eye(1), R=0.01 * np.eye(1),
                         u_bounds=(-5, 5), reference=[1.0])
    x = np.zeros(2)
    for _ in range(200):
        x = A @ x + B @ mpc.control(x)
    assert abs(x[0] - 1.0) < 1e-6


def test_infeasible_state_constraints_raise():
    mpc = ld.control.MPC((np.array([[2.0]]), np.array([[1.0]])), horizon=3, u_bounds=(-0.1, 0.1),
                         x_bounds=(-1, 1))
    with pytest.raises(NumericalError, match="infeasible"):
        mpc.control([5.0])


def test_missing_osqp_names_the_extra(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "osqp", None)
    with pytest.raises(ld.errors.MissingDependencyError, match=r"lindy\[control\]"):
        ld.control.MPC((np.eye(1), np.eye(1)), horizon=3)


def test_soft_state_bounds_equal_cvxpy_and_stay_feasible():
    A, B = np.array([[1.1, 0.2], [0.0, 0.95]]), np.array([[0.0], [0.1]])
    Q, R, P, rho = np.eye(2), np.eye(1), np.eye(2), 50.0
    mpc = ld.control.MPC((A, B), horizon=6, Q=Q, R=R, P=P, u_bounds=(-5, 5), x_bounds=(-1, 1),
                         soft_penalty=rho)
    x0 = np.array([1.2, 0.1])  # outside the bounds: the hard problem is infeasible
    u = mpc.control(x0)
    X, U, s = cp.Variable((7, 2)), cp.Variable((6, 1)), cp.Variable()
    cost = cp.quad_form(X[6], P) + sum(cp.quad_form(U[k], R) for k in range(6))
    cost += sum(cp.quad_form(X[k], Q) for k in range(1, 6)) + rho * (s + cp.square(s))
    cons = [X[0] == x0, s >= 0, U >= -5, U <= 5, X[1:] <= 1 + s, X[1:] >= -1 - s]
    cons += [X[k + 1] == A @ X[k] + B @ U[k] for k in range(6)]
    cp.Problem(cp.Minimize(cost), cons).solve()
    assert s.value > 1e-3 and np.all(np.abs(U.value) < 5 - 1e-3)  # slack used, inputs free
    assert np.max(np.abs(u - U.value[0])) <= 1e-6


def test_mixed_constraints_and_reference_preview_equal_cvxpy():
    sys = ld.systems.random_lti(4, 2, 1, spectral_radius=0.9, random_state=8)
    A, B, C = sys.A, sys.B, np.eye(4)[:2]
    Q, R, P, H = np.diag([2.0, 1.0]), 0.1 * np.eye(2), np.eye(4), 8
    F, E = np.array([[1.0, 1.0, 0.0, 0.0]]), np.array([[0.5, -0.5]])
    rng = np.random.default_rng(2)
    refs = rng.uniform(-1, 1, (H, 2))
    mpc = ld.control.MPC((A, B, C), horizon=H, Q=Q, R=R, P=P, u_bounds=(-1, 1),
                         constraints=(F, E, -0.3, 0.3))
    x0 = np.array([0.5, -0.2, 0.3, 0.1])
    u = mpc.control(x0, reference=refs)
    x_s, u_s = ld.control._mpc_qp.steady_target(A, B, C, refs[-1])
    X, U = cp.Variable((H + 1, 4)), cp.Variable((H, 2))
    cost = cp.quad_form(X[H] - x_s, P) + sum(cp.quad_form(U[k] - u_s, R) for k in range(H))
    cost += sum(cp.quad_form(C @ X[k] - refs[k - 1], Q) for k in range(1, H))
    cons = [X[0] == x0, U >= -1, U <= 1] + [X[k + 1] == A @ X[k] + B @ U[k] for k in range(H)]
    cons += [F @ X[k] + E @ U[k] <= 0.3 for k in range(H)] + [F @ X[k] + E @ U[k] >= -0.3 for k in range(H)]
    cp.Problem(cp.Minimize(cost), cons).solve()
    assert np.max(np.abs(u - U.value[0])) <= 1e-6
    plan = mpc.plan(x0, reference=refs)
    mixed = plan.x[:-1] @ F.T + plan.u @ E.T
    assert np.all(np.abs(mixed) <= 0.3 + 1e-7) and np.isclose(np.abs(mixed).max(), 0.3, atol=1e-6)


def test_warm_start_cuts_iterations_along_a_closed_loop():
    sys = ld.systems.random_lti(10, 3, 1, spectral_radius=0.95, random_state=0)
    mpc = ld.control.MPC((sys.A, sys.B), horizon=20, Q=np.eye(10), R=0.1 * np.eye(3), u_bounds=(-0.5, 0.5))
    x, iters = 3 * np.random.default_rng(0).standard_normal(10), []
    for _ in range(8):
        plan = mpc.plan(x)
        u = mpc.control(x)
        assert np.allclose(u, plan.u[0], atol=1e-9)
        iters.append(plan.n_iter)
        x = sys.A @ x + sys.B @ u
    assert max(iters[2:]) < iters[0]
