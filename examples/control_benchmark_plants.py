"""The control protocol on lindy's benchmark plants: learn from excitation data, then control.

For each plant (a spring-mass chain, the heat equation with boundary heating,
a DC motor, and the nonlinear viscous Burgers equation with boundary
actuation), an input model is fitted on excitation data with 2% observation
noise, an LQR (or a constrained MPC) is designed on it and run on the true
plant; the table shows the closed-loop cost relative to the same controller
designed on the true model (1 = as good as knowing the plant; the cost
includes the true model's cost-to-go from the last state), as the median and
the worst over three seeds, and the samples outside the bounds (summed over the seeds)
for both controllers.

Run ``python examples/control_benchmark_plants.py``.
"""

from __future__ import annotations

import argparse

import numpy as np

import lindy as ld
from lindy.bench._protocol_control import run_control_protocol

NOISY = {"obs_noise": 0.02}
CASES = [
    ("mass_spring_chain", "DMDc", lambda: ld.operators.DMDc(), {**NOISY}),
    ("mass_spring_chain", "DMDc", lambda: ld.operators.DMDc(),
     {**NOISY, "controller": "mpc", "horizon": 15, "u_bound": 0.5, "x_bound": 0.6, "x0_scale": 0.3}),
    ("mass_spring_chain", "SubspaceID(8)", lambda: ld.ssm.SubspaceID(state_dim=8, offset="none"), {**NOISY}),
    ("heat_equation", "DMDc", lambda: ld.operators.DMDc(), {**NOISY}),
    ("heat_equation", "DMDc(rank=8)", lambda: ld.operators.DMDc(rank=8), {**NOISY}),
    ("dc_motor", "DMDc", lambda: ld.operators.DMDc(), {**NOISY, "u_bound": 2.0}),
    ("dc_motor", "EDMDc(Poly(2), no 1)",
     lambda: ld.operators.EDMDc(ld.operators.Polynomial(2, include_bias=False)), {**NOISY}),
    ("dc_motor", "EDMDc(Poly(2), no 1)",
     lambda: ld.operators.EDMDc(ld.operators.Polynomial(2, include_bias=False)),
     {**NOISY, "controller": "mpc", "u_bound": 2.0}),
    ("dc_motor", "SubspaceID(3)", lambda: ld.ssm.SubspaceID(state_dim=3, offset="none"), {**NOISY}),
    ("dc_motor", "SubspaceID(3) offset", lambda: ld.ssm.SubspaceID(state_dim=3), {**NOISY}),
    ("burgers", "DMDc", lambda: ld.operators.DMDc(), {**NOISY, "excitation": 0.5, "x0_scale": 0.3}),
    ("burgers", "DMDc(rank=16)", lambda: ld.operators.DMDc(rank=16),
     {**NOISY, "excitation": 0.5, "x0_scale": 0.3}),
]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"{'plant':18} {'model':20} {'controller':28} {'cost ratio':>10} {'worst':>8} "
          f"{'u viol.':>7} {'x viol.':>7} {'x viol. (true model)':>20}")
    for plant, name, make, settings in CASES:
        runs = [run_control_protocol(make(), plant, settings, random_state=seed)[0]
                for seed in range(args.seeds)]
        ratio = float(np.median([r["cost_ratio"] for r in runs]))
        worst = max(r["cost_ratio"] for r in runs)
        ctrl = settings.get("controller", "lqr")
        if "u_bound" in settings:
            ctrl += f" |u|<={settings['u_bound']}"
        if "x_bound" in settings:
            ctrl += f" |x|<={settings['x_bound']}"
        viol = [sum(r[key] for r in runs) for key in ("u_violations", "x_violations",
                                                       "reference_x_violations")]
        print(f"{plant:18} {name:20} {ctrl:28} {ratio:10.3f} {worst:8.3f} "
              f"{viol[0]:7d} {viol[1]:7d} {viol[2]:20d}")


if __name__ == "__main__":
    main()
