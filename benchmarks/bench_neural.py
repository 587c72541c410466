"""Dynamical-systems reconstruction with PLRNN and ALRNN: Lorenz-63 and an ECG record.

Run ``python benchmarks/bench_neural.py`` (``--quick`` for a smoke run of a few
seconds per model; ``--skip-ecg`` for Lorenz only). torch runs on one thread;
wall and CPU times of each fit are printed (on a shared machine the wall time
is inflated by other processes; the CPU time is the work done).

Protocol (issue 11). **Lorenz-63**: ``dt = 0.01``, standardized with the
training segment's statistics, 10^5 training steps; each model is trained by
generalized teacher forcing with the adaptive schedule of Hess et al. (2023),
then run freely for T = 10^5 steps from a 200-step context of a held-out
trajectory segment, and scored against the next 10^5 held-out steps with
``lindy.metrics.dstsp`` (30 bins per dimension) and
``lindy.metrics.hellinger_spectrum`` (sigma = 20). Targets: D_stsp <= 0.8,
D_H <= 0.1 within 10 CPU minutes of training. Anchors under this protocol: the
published AL-RNN tutorial model 3.8 / 0.16, a collapsed model about 16 / 0.8,
zero-shot DynaMix 0.80 / 0.064. The floor printed first is a held-out true
segment scored against another true segment.

**ECG** (``lindy.datasets.load_ecg``, MIT-BIH record 100, lead MLII): 360 Hz
decimated by 2, standardized, delay-embedded in 3 dimensions with a lag of 5
samples (28 ms); 10^5 training rows, scored like Lorenz on the next 10^5 rows.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

import lindy as ld
from lindy.data._lags import delay_embed

N, CONTEXT = 100_000, 200


def lorenz_data(n: int):
    x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=2 * n + CONTEXT, dt=0.01,
                            transient=1000, random_state=0)[0].x
    train = x[:n]
    z = (x - train.mean(0)) / train.std(0)
    return z[:n], z[n:]


def ecg_data(n: int, lag: int = 5, dim: int = 3):
    lead = ld.datasets.load_ecg().test[0].x[::2, 0]
    emb = delay_embed(lead[:, None], dim, stride=lag)[: 2 * n + CONTEXT]
    train = emb[:n]
    z = (emb - train.mean(0)) / train.std(0)
    return z[:n], z[n:]


def score(model, test, n: int) -> tuple[float, float]:
    gen = model.forecast(test[:CONTEXT], n).x
    true = test[CONTEXT:CONTEXT + n]
    if not np.all(np.isfinite(gen)):
        return np.nan, np.nan
    return ld.metrics.dstsp(true, gen), ld.metrics.hellinger_spectrum(true, gen)


def models(quick: bool, n_relu: int = 2, alrnn_epochs: int = 300) -> dict:
    e = (lambda k: 2) if quick else (lambda k: k)
    common = dict(batch_size=64, patience=None, learning_rate=2e-3, forcing="adaptive")
    return {
        "PLRNN shallow M=3 H=50": ld.neural.PLRNN(state_dim=3, hidden_dim=50, window=50,
                                                   max_iter=e(200), **common),
        f"ALRNN M=20 P={n_relu}": ld.neural.ALRNN(state_dim=20, n_relu=n_relu, window=50,
                                                 max_iter=e(alrnn_epochs), **common),
    }


def run(name: str, train, test, n: int, quick: bool, **alrnn) -> None:
    d_floor = ld.metrics.dstsp(test[CONTEXT:CONTEXT + n], train[:n])
    h_floor = ld.metrics.hellinger_spectrum(test[CONTEXT:CONTEXT + n], train[:n])
    print(f"\n## {name}: {len(train)} training rows, {train.shape[1]} dims")
    print(f"true vs true (floor)                  D_stsp {d_floor:6.3f}  D_H {h_floor:.3f}")
    for label, model in models(quick, **alrnn).items():
        t0, c0 = time.perf_counter(), time.process_time()
        model.fit(train)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        ds, dh = score(model, test, n)
        print(f"{label:<30} {model.n_iter_:4d} epochs  D_stsp {ds:6.3f}  D_H {dh:.3f}  "
              f"fit wall {wall:6.1f} s  CPU {cpu:6.1f} s  final forcing {model.forcing_:.3f}",
              flush=True)
        if isinstance(model, ld.neural.ALRNN):
            code = model.symbolic_code(test[:CONTEXT], n_steps=10_000)
            fps = model.fixed_points()
            print(f"  ALRNN symbolic code: {len(code.regions)} regions {code.bits()} visited in 10^4 "
                  f"generated steps, cycle in graph: {code.has_cycle()}; fixed points: "
                  + ", ".join(f"{fp.regions[0]:0{model.n_relu_}b} "
                              f"({'stable' if fp.stable else 'unstable'})" for fp in fps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 epochs per model, 10^4 steps")
    parser.add_argument("--skip-ecg", action="store_true")
    parser.add_argument("--n-relu", type=int, default=2, help="ReLU units of the ALRNN")
    parser.add_argument("--alrnn-epochs", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    n = 10_000 if args.quick else N
    alrnn = dict(n_relu=args.n_relu, alrnn_epochs=args.alrnn_epochs)
    run("Lorenz-63", *lorenz_data(n), n, args.quick, **alrnn)
    if not args.skip_ecg:
        run("ECG (MIT-BIH 100, MLII, delay-embedded)", *ecg_data(n), n, args.quick, **alrnn)


if __name__ == "__main__":
    main()
