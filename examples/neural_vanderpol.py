"""Neural models of a limit cycle (Van der Pol): a neural ODE from irregular samples, deep Koopman.

A ``NeuralODE`` learns the vector field from trajectories sampled at random
times (trained through its RK4 solver); a ``DeepKoopman`` autoencoder learns
observables that evolve linearly, and forecasts with and without re-encoding
the decoded state. Both forecast a held-out trajectory for 300 steps. Needs the
torch extra: ``pip install 'lindy[torch]'``.

Run ``python examples/neural_vanderpol.py``.
"""

from __future__ import annotations

import argparse

import numpy as np

import lindy as ld
from lindy.errors import MissingDependencyError


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-iter", type=int, default=10, help="L-BFGS epochs (20 iterations each)")
    args = ap.parse_args(argv)
    try:
        import torch
    except ImportError:
        print(MissingDependencyError("torch", "torch"))
        return
    torch.set_num_threads(1)

    vdp = ld.systems.get_system("VanDerPol")
    rng = np.random.default_rng(0)
    times = [np.sort(np.r_[0.0, rng.uniform(0, 15, 299)]) for _ in range(2)]
    irregular = [ld.systems.simulate(vdp, t=t, random_state=i, ic_spread=0.3)[0]
                 for i, t in enumerate(times)]
    regular = ld.systems.simulate(vdp, n_steps=300, n_traj=2, random_state=0, ic_spread=0.3)
    test = ld.systems.simulate(vdp, n_steps=400, random_state=5, ic_spread=0.3, transient=500)[0]
    ctx, truth = test[:100], test.x[100:400]

    node = ld.neural.NeuralODE(hidden_layer_sizes=(32, 32), solver="lbfgs", learning_rate=1.0,
                               max_iter=args.max_iter).fit(ld.TrajectorySet(irregular))
    # integrate on the test grid (forecast() would step by the median training interval)
    node_fc = node.integrate(ctx.x[-1], test.dt * np.arange(301))[1:]
    print(f"NeuralODE (irregular samples)   300-step NRMSE {ld.metrics.nrmse(truth, node_fc):.3f}")

    koop = ld.neural.DeepKoopman(state_dim=4, hidden_layer_sizes=(16, 16), window=5, solver="lbfgs",
                                 learning_rate=1.0, max_iter=args.max_iter).fit(regular)
    for every in (1, None):
        fc = koop.set_params(reencode_every=every).forecast(ctx, 300)
        print(f"DeepKoopman reencode_every={every!s:4}  300-step NRMSE "
              f"{ld.metrics.nrmse(truth, fc.x):.3f}")
    lam = koop.continuous_eigenvalues_
    print(f"latent frequency {abs(lam[0].imag):.3f} rad/time; cycle fundamental "
          f"{2 * np.pi / vdp.meta['period']:.3f}")


if __name__ == "__main__":
    main()
