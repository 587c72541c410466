"""An almost-linear RNN on the Lorenz attractor: symbolic code, fixed points, cycles.

An ``ALRNN`` (Brenner et al. 2024) has only ``n_relu`` piecewise-linear units,
so its latent map is affine in each of ``2^n_relu`` subregions. After training
by generalized teacher forcing (adaptive schedule of Hess et al. 2023) we read
off the sequence of subregions a generated trajectory visits, the subregion
transition graph, and the exact fixed points and 2-cycles of the learned map.
Defaults are small (a few seconds); ``--steps 100000 --max-iter 300`` is the
benchmark's setting (``benchmarks/bench_neural.py``). Needs the torch extra:
``pip install 'lindy[torch]'``.

Run ``python examples/neural_alrnn_lorenz.py``.
"""

from __future__ import annotations

import argparse

import numpy as np

import lindy as ld
from lindy.errors import MissingDependencyError


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=4000, help="training steps (dt = 0.01)")
    ap.add_argument("--max-iter", type=int, default=5, help="training epochs")
    args = ap.parse_args(argv)
    try:
        import torch
    except ImportError:
        print(MissingDependencyError("torch", "torch"))
        return
    torch.set_num_threads(1)

    x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=2 * args.steps, dt=0.01,
                            transient=500, random_state=0)[0].x
    train, test = x[:args.steps], x[args.steps:]
    model = ld.neural.ALRNN(state_dim=10, n_relu=2, window=30, batch_size=32, learning_rate=3e-3,
                            max_iter=args.max_iter, patience=None).fit(train)
    print(f"trained {model.n_iter_} epochs; final GTF forcing alpha = {model.forcing_:.3f}")

    gen = model.forecast(test[:200], len(test) - 200).x
    if np.all(np.abs(gen) < 10 * np.abs(test).max()):
        print(f"free run: D_stsp {ld.metrics.dstsp(test[200:], gen):.2f}   "
              f"D_H {ld.metrics.hellinger_spectrum(test[200:], gen):.3f}   (0 is perfect)")
    else:
        print("the free run leaves the attractor: train longer (--steps, --max-iter)")

    # the subregions the latent state passes through along the held-out data (forced)
    code = model.symbolic_code(test[:3000])
    print(f"subregions visited (bit i: ReLU unit i positive): {code.bits()}")
    print("transition counts between them:")
    print(code.counts)
    print(f"the transition graph has a cycle through >= 2 subregions: {code.has_cycle()}")

    for fp in model.fixed_points():
        where = np.round(model.observe(fp.z)[0], 2)
        print(f"fixed point in subregion {fp.regions[0]:02b} at x = {where}, "
              f"max |eigenvalue| {np.abs(fp.eigenvalues).max():.3f} "
              f"({'stable' if fp.stable else 'unstable'})")
    cycles = model.cycles(2)
    print(f"2-cycles of the learned map: {len(cycles)}"
          + "".join(f"\n  regions {c.regions}, stable: {c.stable}" for c in cycles))


if __name__ == "__main__":
    main()
