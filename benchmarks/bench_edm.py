"""Empirical dynamic modelling, side by side: lindy vs pyEDM in one process.

Simplex and S-map on the x coordinate of Lorenz-63 (100 points per period):
library of ``--n`` samples, predictions for the next ``--n`` samples, one step
ahead, E = 3. Both libraries get the same series; the benchmark checks that the
predictions agree and prints the best-of-``--repeats`` wall times and ratios
(the two libraries alternate within each repeat, so a busy machine slows both
alike). BLAS threads are limited to 1 so the ratios are stable on a shared machine.

Usage::

    python benchmarks/bench_edm.py            # n = 5000
    python benchmarks/bench_edm.py --quick    # small sizes, a smoke test
    python benchmarks/bench_edm.py --clock cpu --repeats 25   # Simplex in CPU time (issue 10)
"""

from __future__ import annotations

import argparse
import time
from importlib.metadata import version

import numpy as np
import pandas as pd
import pyEDM
from threadpoolctl import threadpool_limits

import lindy as ld


def race(ours, theirs, repeats, clock=time.perf_counter):
    """Best-of-``repeats`` times of two callables run alternately, and their last outputs."""
    times, outs = [[], []], [None, None]
    for _ in range(repeats):
        for i, fn in enumerate((ours, theirs)):
            t0 = clock()
            outs[i] = fn()
            times[i].append(clock() - t0)
    return min(times[0]), min(times[1]), outs[0], outs[1]


def lorenz_x(n: int) -> np.ndarray:
    return ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=2 * n + 10,
                               pts_per_period=100)[0].x[:, 0]


def simplex_race(n: int, E: int, repeats: int, kd_workers: int = 1, clock=time.perf_counter):
    """Simplex one step ahead on Lorenz x: (lindy s, pyEDM s, max abs difference).

    lindy's search is single-threaded; pyEDM's k-d tree query gets ``kd_workers``
    threads (its default, -1, is every core). ``clock``: wall time by default;
    ``time.process_time`` counts the CPU work of every thread.
    """
    x = lorenz_x(n)
    df = pd.DataFrame({"Time": np.arange(1, x.size + 1), "x": x})
    lib, pred = [1, n], [n + 1, 2 * n]

    def ours_simplex():
        return ld.edm.Simplex(n_delays=E).fit(x[:n]).predict(x[n: 2 * n])[:, 0]

    def theirs_simplex():
        return pyEDM.Simplex(dataFrame=df, columns="x", target="x", lib=lib, pred=pred, E=E,
                             kdWorkers=kd_workers)

    t_ours, t_theirs, p_ours, out = race(ours_simplex, theirs_simplex, repeats, clock)
    theirs = dict(zip(out["Time"], out["Predictions"]))
    diff = max(abs(p_ours[k] - theirs[n + k + 2]) for k in range(E - 1, n - 1) if n + k + 2 in theirs)
    return t_ours, t_theirs, diff


def run(n: int, E: int, repeats: int, smap_n: int, clock: str = "wall") -> None:
    timer = time.process_time if clock == "cpu" else time.perf_counter
    for workers in (1, -1):
        t_ours, t_theirs, diff = simplex_race(n, E, repeats, workers, timer)
        print(f"Simplex  n={n} E={E}: lindy {t_ours * 1e3:8.2f} ms   pyEDM {t_theirs * 1e3:8.2f} ms "
              f"(kdWorkers={workers:2d}, {clock})   ratio {t_theirs / t_ours:5.2f}x   "
              f"max |diff| {diff:.1e}")

    m = smap_n
    x = lorenz_x(n)
    df = pd.DataFrame({"Time": np.arange(1, x.size + 1), "x": x})
    df_s = df.iloc[: 2 * m]

    def ours_smap():
        # pyEDM's default neighbourhood: every library vector but the farthest
        return ld.edm.SMap(n_delays=E, theta=2.0, n_neighbors=m - E - 1).fit(x[:m]).predict(
            x[m: 2 * m])[:, 0]

    def theirs_smap():
        return pyEDM.SMap(dataFrame=df_s, columns="x", target="x", lib=[1, m], pred=[m + 1, 2 * m],
                          E=E, theta=2.0)["predictions"]

    t_ours, t_theirs, p_ours, out = race(ours_smap, theirs_smap, repeats)
    theirs = dict(zip(out["Time"], out["Predictions"]))
    diff = max(abs(p_ours[k] - theirs[m + k + 2]) for k in range(E - 1, m - 1) if m + k + 2 in theirs)
    print(f"S-map    n={m} E={E}: lindy {t_ours * 1e3:8.1f} ms   pyEDM {t_theirs * 1e3:8.1f} ms   "
          f"ratio {t_theirs / t_ours:5.1f}x   max |diff| {diff:.1e}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--smap-n", type=int, default=1000)
    ap.add_argument("--E", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="Simplex timings: wall time or CPU time of every thread (process_time)")
    args = ap.parse_args(argv)
    if args.quick:
        args.n, args.smap_n, args.repeats = 500, 200, 1
    print(f"lindy {ld.__version__}, pyEDM {version('pyEDM')}")
    with threadpool_limits(args.threads):
        run(args.n, args.E, args.repeats, args.smap_n, args.clock)


if __name__ == "__main__":
    main()
