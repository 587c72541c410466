"""Issue 10's speed targets in one run: SINDy vs pysindy, ESN/NVAR vs reservoirpy, Simplex vs pyEDM.

Reuses the side-by-side measurements of ``bench_sparse.py``, ``bench_reservoir.py``
and ``bench_edm.py`` (same settings, same anchors; see their docstrings) and ends
with one table: lindy time, anchor time, ratio, target.

1. SINDy on Lorenz-63, 10^4 samples, ``PolynomialLibrary(3)``, STLSQ 0.1, finite
   differences: fit (target >= 2x pysindy) and ``to_system()`` simulation of
   1000 samples against pysindy's ``simulate`` at its default tolerance 1e-12
   (target >= 20x). Wall times, best of ``--repeats``.
2. NVAR (published Lorenz protocol, 400-point fit) and ESN (N = 200 and 500,
   4000-step fit): training and a 10^4-step closed-loop generation against
   reservoirpy with the same features / the same reservoir, per seed over
   ``--seeds`` seeds, NRMSE over the first Lyapunov time (target >= 3x at equal
   or better NRMSE). CPU times of this process, best of 5.
3. Simplex (E = 3, 5000-sample library, 5000 predictions) against pyEDM
   (target >= 5x), both single-threaded (pyEDM ``kdWorkers=1``) and with
   pyEDM's default k-d tree threads; CPU times of every thread (on a shared
   machine the wall times of both swing by 3x from run to run).

BLAS runs on one thread throughout. Usage::

    python benchmarks/bench_sparse_reservoir.py            # full run (a few minutes)
    python benchmarks/bench_sparse_reservoir.py --quick    # 2 seeds, fewer repeats
"""

from __future__ import annotations

import argparse
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_edm  # noqa: E402
import bench_reservoir  # noqa: E402
import bench_sparse  # noqa: E402

import lindy as ld  # noqa: E402


def _reservoir_rows(label, rows, table):
    a = np.array(rows)  # (nrmse lindy, nrmse rpy, fit lindy, fit rpy, gen lindy, gen rpy)
    finite = np.isfinite(a[:, 0]) & np.isfinite(a[:, 1])
    no_worse = int(np.sum(a[finite, 0] <= a[finite, 1] * (1 + 1e-3)))
    note = (f"NRMSE median {np.median(a[:, 0]):.2e} vs {np.median(a[:, 1]):.2e}, "
            f"lindy no worse (0.1%) on {no_worse}/{len(a)} seeds")
    for what, i in (("fit", 2), ("10^4-step generation", 4)):
        ratio = a[:, i + 1] / a[:, i]
        table.append((f"{label} {what}", np.median(a[:, i]), np.median(a[:, i + 1]),
                      f"{ratio.min():.1f}x min, {np.median(ratio):.1f}x median", ">= 3x",
                      ratio.min() >= 3, note))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    seeds = list(range(2 if args.quick else args.seeds))
    repeats = 2 if args.quick else args.repeats
    print(f"lindy {ld.__version__}, pysindy {version('pysindy')}, reservoirpy "
          f"{version('reservoirpy')}, pyEDM {version('pyEDM')}; BLAS on one thread")
    table = []
    with threadpool_limits(1):
        # 1. SINDy
        x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=10_000, dt=bench_sparse.DT,
                                random_state=0)[0].x
        m_ours, m_theirs, t_ours, t_theirs = bench_sparse.bench_fit(x, 3, repeats)
        table.append(("SINDy fit (Lorenz, 10^4 samples, degree 3)", t_ours, t_theirs,
                      f"{t_theirs / t_ours:.1f}x", ">= 2x", t_theirs >= 2 * t_ours, "wall"))
        t_ours, t_theirs = bench_sparse.bench_simulate(m_ours, m_theirs, x[-1], 1000, repeats, 1e-12)
        table.append(("SINDy to_system() simulation, 1000 samples, tol 1e-12", t_ours, t_theirs,
                      f"{t_theirs / t_ours:.0f}x", ">= 20x", t_theirs >= 20 * t_ours, "wall"))
        # 2. reservoirs
        _reservoir_rows("NVAR", bench_reservoir.speed_nvar(seeds), table)
        for n in (200, 500):
            _reservoir_rows(f"ESN N={n}", bench_reservoir.speed_esn(seeds, state_dim=n), table)
        # 3. Simplex
        print("\n== Simplex vs pyEDM (Lorenz x, E = 3, n = 5000)")
        edm_repeats = 5 if args.quick else 15
        for workers in (1, -1):  # CPU times (every thread's): wall times swing with the load
            clock, kind = time.process_time, "CPU"
            t_ours, t_theirs, diff = bench_edm.simplex_race(5000, 3, edm_repeats, workers, clock)
            print(f"  kdWorkers={workers:2d}: lindy {t_ours * 1e3:.2f} ms, pyEDM {t_theirs * 1e3:.2f} ms "
                  f"({kind}), ratio {t_theirs / t_ours:.1f}x, max |diff| {diff:.1e}")
            table.append((f"Simplex, n = 5000, E = 3 (pyEDM kdWorkers={workers})", t_ours, t_theirs,
                          f"{t_theirs / t_ours:.1f}x", ">= 5x", t_theirs >= 5 * t_ours,
                          f"{kind}; max |diff| {diff:.0e}"))
    print("\n| | lindy | anchor | ratio | target | met | notes |\n|---|---:|---:|---:|---|---|---|")
    for label, a, b, ratio, target, met, note in table:
        print(f"| {label} | {a * 1e3:.2f} ms | {b * 1e3:.2f} ms | {ratio} | {target} | "
              f"{'yes' if met else 'no'} | {note} |")


if __name__ == "__main__":
    main()
