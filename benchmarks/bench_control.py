"""lindy.control against python-control (and cvxpy): MPC step time, LQR, balanced truncation,
and Koopman MPC against linearization MPC on a forced Van der Pol oscillator.

Everything runs side by side in one process. One MPC step is what a receding-horizon
loop pays per sample: lindy's ``MPC.control(x)`` (only the QP's vectors change; OSQP
warm-started) against one call of the update function of python-control's
``create_mpc_iosystem`` controller (``OptimalControlProblem.compute_trajectory``
warm-started from the shifted previous solution, scipy SLSQP), on the same states of
one closed-loop run. Usage::

    python benchmarks/bench_control.py            # 10 states, 3 inputs, horizon 20
    python benchmarks/bench_control.py --quick    # fewer python-control steps
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import lindy as ld


def best_time(func, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench_mpc(n_steps_ct: int, horizon: int = 20):
    import control.optimal as opt
    import cvxpy as cp

    import control as ct

    sys = ld.systems.random_lti(10, 3, 1, spectral_radius=0.95, random_state=0)
    A, B = sys.A, sys.B
    Q, R = np.eye(10), 0.1 * np.eye(3)
    lo, hi = -0.5, 0.5
    t0 = time.perf_counter()
    mpc = ld.control.MPC((A, B), horizon=horizon, Q=Q, R=R, u_bounds=(lo, hi))
    setup = time.perf_counter() - t0
    x = 3.0 * np.random.default_rng(0).standard_normal(10)
    states, inputs, times = [], [], []
    for _ in range(50):  # a closed loop: the states every controller is timed on
        t0 = time.perf_counter()
        u = mpc.control(x)
        times.append(time.perf_counter() - t0)
        states.append(x)
        inputs.append(u)
        x = A @ x + B @ u
    lindy_step = float(np.median(times[1:]))

    # python-control: the same problem (sum_{k<N} x'Qx + u'Ru + x_N' P x_N, |u| <= 0.5)
    dsys = ct.ss(A, B, np.eye(10), 0, 1)
    timepts = np.arange(horizon + 1)
    ctrl = opt.create_mpc_iosystem(
        dsys, timepts, opt.quadratic_cost(dsys, Q, R), [opt.input_range_constraint(dsys, [lo] * 3, [hi] * 3)],
        terminal_cost=opt.quadratic_cost(dsys, mpc.P, None))
    xc = np.zeros(3 * (horizon + 1))
    ct_times, ct_first = [], []
    for k in range(n_steps_ct):
        t0 = time.perf_counter()
        xc = ctrl.updfcn(k, xc, states[k], {})  # one optimization, warm-started by shifting
        ct_times.append(time.perf_counter() - t0)
        ct_first.append(xc.reshape(3, -1)[:, 0])
    ct_step = float(np.median(ct_times))
    diff_ct = max(np.abs(ct_first[k] - inputs[k]).max() for k in range(n_steps_ct))

    # cvxpy (default solver) on the first state: accuracy and time
    def solve_cvxpy(x0):
        X, U = cp.Variable((horizon + 1, 10)), cp.Variable((horizon, 3))
        cost = cp.quad_form(X[horizon], mpc.P) + sum(cp.quad_form(U[k], R) for k in range(horizon))
        cost += sum(cp.quad_form(X[k], Q) for k in range(1, horizon))
        cons = [X[0] == x0, U >= lo, U <= hi] + [X[k + 1] == A @ X[k] + B @ U[k] for k in range(horizon)]
        cp.Problem(cp.Minimize(cost), cons).solve()
        return U.value[0]

    cvx_t, cvx_u = best_time(lambda: solve_cvxpy(states[0]), 3)
    diff_cvx = np.abs(cvx_u - inputs[0]).max()
    print(f"MPC, 10 states, 3 inputs, horizon {horizon}, |u| <= 0.5 (active on the first steps)")
    print(f"  lindy MPC setup (QP built, OSQP factored) {setup * 1e3:8.2f} ms")
    print(f"  lindy MPC.control, median of 49 steps    {lindy_step * 1e3:8.3f} ms")
    print(f"  python-control create_mpc_iosystem step  {ct_step * 1e3:8.1f} ms (median of {n_steps_ct})"
          f"   ratio {ct_step / lindy_step:7.0f}x")
    print(f"  cvxpy (default solver, incl. canonicalization) {cvx_t * 1e3:8.1f} ms"
          f"   ratio {cvx_t / lindy_step:7.0f}x")
    print(f"  max |u0 lindy - u0 cvxpy| = {diff_cvx:.1e};  "
          f"max |u0 lindy - u0 python-control| = {diff_ct:.1e}")


def bench_lqr_balred():
    import control as ct

    rng = np.random.default_rng(0)
    n, m = 50, 4
    A = rng.standard_normal((n, n)) / np.sqrt(n)
    B = rng.standard_normal((n, m))
    Q, R = np.eye(n), np.eye(m)
    tl, (K, _, _) = best_time(lambda: ld.control.dlqr(A, B, Q, R), 5)
    tc, (Kc, _, _) = best_time(lambda: ct.dlqr(A, B, Q, R), 5)
    print(f"dlqr, 50 states, 4 inputs: lindy {tl * 1e3:.2f} ms, python-control {tc * 1e3:.2f} ms, "
          f"max |K - K_ct| / max |K_ct| = {np.abs(K - Kc).max() / np.abs(Kc).max():.1e}")
    np.random.seed(1)
    sys = ct.rss(40, 3, 3)
    tl, red = best_time(lambda: ld.control.balanced_truncation(sys.A, sys.B, sys.C, sys.D, state_dim=10,
                                                                discrete=False), 5)
    tc, _ = best_time(lambda: ct.balred(sys, 10), 5)
    import slycot  # ct.hsvd takes square roots of Gramian-product eigenvalues (NaN when tiny)

    hsv = slycot.ab09ad("C", "B", "N", 40, 3, 3, sys.A.copy(), sys.B.copy(), sys.C.copy(), nr=10)[4]
    err = np.abs(red.hankel_singular_values - hsv).max() / hsv[0]
    print(f"balanced truncation, 40 -> 10 states: lindy {tl * 1e3:.2f} ms, python-control/slycot "
          f"{tc * 1e3:.2f} ms, max |HSV - SLICOT AB09AD's| / HSV_1 {err:.1e}")


def bench_koopman():
    G, dt, H, N = np.array([[0.0], [1.0]]), 0.05, 20, 300
    Q, R = np.diag([1.0, 0.0]), 0.01 * np.eye(1)
    vdp = ld.systems.get_system("VanDerPol")
    rng = np.random.default_rng(0)
    trajs = [ld.control.simulate_inputs(vdp, rng.uniform(-2, 2, (200, 1)), rng.uniform(-2.5, 2.5, 2),
                                        dt=dt, input_matrix=G, integrator="rk4") for _ in range(50)]
    dic = ld.operators.Concat([ld.operators.Polynomial(1), ld.operators.RBF(n_centers=50, random_state=0)])
    model = ld.operators.EDMDc(dic, alpha=1e-8).fit(ld.data.TrajectorySet(trajs))
    kw = dict(u_bounds=(-2, 2), x_bounds=([-np.inf, -1.2], [np.inf, 1.2]), soft_penalty=100.0, tol=1e-6)
    A, B = ld.control.linearize(vdp, np.zeros(2), np.zeros(1), dt=dt, input_matrix=G)
    ctrls = {"Koopman MPC (EDMDc, 10^4 samples)": ld.control.KoopmanMPC(model, H, Q, R, **kw),
             "linearization MPC (at the origin)": ld.control.MPC((A, B), H, Q, R, P=Q, **kw)}
    t = dt * np.arange(N + 1 + H)
    ref = np.column_stack([np.sin(2 * np.pi * t / 4.0), np.zeros_like(t)])
    print(f"forced Van der Pol (mu = 1, u on x2), track sin(2 pi t / 4), |x2| <= 1.2, |u| <= 2, "
          f"horizon {H}, {N} steps of {dt}:")
    for name, c in ctrls.items():
        t0 = time.perf_counter()
        tr = ld.control.closed_loop(vdp, c, N, np.zeros(2), dt=dt, input_matrix=G, reference=ref,
                                    preview=True, integrator="rk4",
                                    cost=lambda x, u, r: float((x - r) @ Q @ (x - r) + u @ R @ u))
        el = time.perf_counter() - t0
        print(f"  {name:36s} cost {tr.meta['cost']:7.2f}  max|x2| {np.abs(tr.x[:, 1]).max():.4f}  "
              f"mean|x1 - r| {np.abs(tr.x[:, 0] - ref[:N + 1, 0]).mean():.3f}  ({el:.2f} s)")


def _duffing_rhs(t, x, p):
    alpha, beta, delta = p
    return np.array([x[1], -delta * x[1] - alpha * x[0] - beta * x[0] ** 3])


class _Shifted:
    """A linear MPC designed in deviations from an equilibrium ``x_eq``."""

    def __init__(self, mpc, x_eq):
        self.mpc, self.x_eq, self.horizon = mpc, np.asarray(x_eq, float), mpc.horizon

    def reset(self):
        self.mpc.reset()

    def control(self, x, r):
        return self.mpc.control(x - self.x_eq, r - self.x_eq)


def bench_duffing():
    """The same comparison on an unforced double-well Duffing oscillator (the input forces x2)."""
    duff = ld.systems.System("DoubleWellDuffing", 2, {"alpha": -1.0, "beta": 1.0, "delta": 0.3},
                             [1.0, 0.0], 0.05, _duffing_rhs)
    G, dt, H, N = np.array([[0.0], [1.0]]), 0.05, 20, 300
    Q, R = np.diag([1.0, 0.0]), 0.01 * np.eye(1)
    rng = np.random.default_rng(0)
    trajs = [ld.control.simulate_inputs(duff, rng.uniform(-2, 2, (200, 1)), rng.uniform(-2, 2, 2),
                                        dt=dt, input_matrix=G, integrator="rk4") for _ in range(50)]
    dic = ld.operators.Concat([ld.operators.Polynomial(1), ld.operators.RBF(n_centers=50, random_state=0)])
    model = ld.operators.EDMDc(dic, alpha=1e-8).fit(ld.data.TrajectorySet(trajs))
    kw = dict(u_bounds=(-2, 2), x_bounds=([-np.inf, -1.2], [np.inf, 1.2]), soft_penalty=100.0, tol=1e-6)
    ctrls = {"Koopman MPC (EDMDc, 10^4 samples)": ld.control.KoopmanMPC(model, H, Q, R, **kw)}
    for x_eq in (0.0, 1.0):
        A, B = ld.control.linearize(duff, [x_eq, 0.0], [0.0], dt=dt, input_matrix=G)
        ctrls[f"linearization MPC (at x = ({x_eq:g}, 0))"] = _Shifted(
            ld.control.MPC((A, B), H, Q, R, P=Q, **kw), [x_eq, 0.0])
    t = dt * np.arange(N + 1 + H)
    ref = np.column_stack([np.sin(2 * np.pi * t / 4.0), np.zeros_like(t)])
    print(f"double-well Duffing (x'' + 0.3 x' - x + x^3 = u), same reference, bounds and horizon {H}:")
    for name, c in ctrls.items():
        tr = ld.control.closed_loop(duff, c, N, np.array([1.0, 0.0]), dt=dt, input_matrix=G, reference=ref,
                                    preview=True, integrator="rk4",
                                    cost=lambda x, u, r: float((x - r) @ Q @ (x - r) + u @ R @ u))
        print(f"  {name:36s} cost {tr.meta['cost']:7.2f}  max|x2| {np.abs(tr.x[:, 1]).max():.4f}  "
              f"mean|x1 - r| {np.abs(tr.x[:, 0] - ref[:N + 1, 0]).mean():.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bench_mpc(n_steps_ct=3 if args.quick else 10)
    bench_lqr_balred()
    bench_koopman()
    bench_duffing()


if __name__ == "__main__":
    main()
