"""Control a plant through a model learned from its excitation data: DMDc -> LQR and MPC.

A lightly damped 4-state plant (two coupled modes, one actuator) is excited by
random inputs with process noise; DMDc learns ``x+ = A x + B u`` from 2000
samples. An LQR gain and a constrained MPC (``|u| <= 1``, ``|x| <= 1.5``,
horizon 20) are designed on the learned model and run in closed loop on the true
plant, with process noise, from the same initial state.

Run ``python examples/control_learned_plant.py [--plot out.png]``.
"""

from __future__ import annotations

import argparse

import numpy as np

import lindy as ld


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save a figure of the closed loops here")
    args = ap.parse_args(argv)

    # the plant: two lightly damped oscillation modes (|lambda| = 0.99, 0.97)
    lam = np.array([0.99 * np.exp(0.25j), 0.99 * np.exp(-0.25j), 0.97 * np.exp(0.9j), 0.97 * np.exp(-0.9j)])
    plant = ld.systems.random_lti(4, 1, 1, eigenvalues=lam, random_state=3)

    # excitation experiment and identification
    rng = np.random.default_rng(0)
    u = rng.uniform(-1, 1, (2000, 1))
    x = np.zeros((2000, 4))
    for k in range(1999):
        x[k + 1] = plant.A @ x[k] + plant.B @ u[k] + 0.01 * rng.standard_normal(4)
    dmdc = ld.operators.DMDc().fit(x, u=u)
    print(f"DMDc: max |A_ - A| = {np.abs(dmdc.A_ - plant.A).max():.1e}, "
          f"max |B_ - B| = {np.abs(dmdc.B_ - plant.B).max():.1e}")

    # design on the learned model
    Q, R = np.eye(4), 0.1 * np.eye(1)
    K, S, E = ld.control.dlqr(dmdc.A_, dmdc.B_, Q=Q, R=R)
    print(f"LQR closed-loop spectral radius on the learned model: {np.abs(E).max():.3f}, "
          f"on the plant: {np.abs(np.linalg.eigvals(plant.A - plant.B @ K)).max():.3f}")
    mpc = ld.control.MPC(dmdc, horizon=20, Q=Q, R=R, u_bounds=(-1, 1), x_bounds=(-1.5, 1.5),
                         soft_penalty=1e3)

    class LQR:
        def control(self, x):
            return np.clip(-K @ x, -1, 1)  # the actuator saturates at |u| = 1

    x0 = np.array([1.0, -1.0, 1.0, 0.5])
    cost = lambda x, u: float(x @ Q @ x + u @ R @ u)  # noqa: E731
    runs = {}
    for name, ctrl in (("open loop", None), ("LQR (saturated)", LQR()), ("MPC", mpc)):
        if ctrl is None:
            ctrl = type("Zero", (), {"control": lambda self, x: np.zeros(1)})()
        runs[name] = ld.control.closed_loop(plant, ctrl, 100, x0, process_noise_std=0.005, random_state=1,
                                            cost=cost)
        tr = runs[name]
        print(f"{name:16s} cost {tr.meta['cost']:8.2f}   max |u| {np.abs(tr.u).max():.2f}   "
              f"max |x| {np.abs(tr.x).max():.2f}   |x(100)| {np.linalg.norm(tr.x[-1]):.3f}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, (a1, a2) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
        for name, tr in runs.items():
            a1.plot(tr.t, np.linalg.norm(tr.x, axis=1), label=name)
            a2.step(tr.t, tr.u[:, 0], where="post", label=name)
        a1.set_ylabel("|x|")
        a2.set_ylabel("u")
        a2.set_xlabel("step")
        a1.legend()
        a1.set_title("closed loops designed on a DMDc model of the plant")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=120)
        print(f"figure saved to {args.plot}")


if __name__ == "__main__":
    main()
