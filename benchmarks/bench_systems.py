"""Systems database: lindy vs dysts on the 135 published chaotic flows, one run.

Protocol (dysts): 1,000 points at 100 points per dominant period from each
system's default initial condition. dysts uses its defaults (Radau, rtol = atol
= 1e-12); lindy its defaults (compiled DOP853, rtol 1e-10, atol 1e-12; delay
equations by the method of steps). Both run the systems over the same number of
worker processes. Accuracy: lindy's trajectories against a scipy Radau
reference at 1e-12 over two periods.

    python benchmarks/bench_systems.py              # everything (dysts takes ~20 min)
    python benchmarks/bench_systems.py --dysts 20   # time dysts on the first 20 only
    python benchmarks/bench_systems.py --skip-dysts
    python benchmarks/bench_systems.py --stiff      # DOP853 vs Rosenbrock only
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

N_POINTS = 1000
PTS_PER_PERIOD = 100
ACCURACY_SYSTEMS = ["Lorenz", "Rossler", "Thomas", "Aizawa", "Chen", "Halvorsen", "SprottA",
                    "HyperRossler", "Duffing", "Lorenz84", "NoseHoover", "GenesioTesi",
                    "DoublePendulum", "Arneodo", "RabinovichFabrikant"]


def published_flows() -> list[str]:
    from lindy.systems import get_system, list_systems

    return [n for n in list_systems() if get_system(n).meta.get("collection") == "dysts"
            and get_system(n).kind in ("flow", "delay")]


def _lindy_chunk(names):
    from lindy.systems import get_system, simulate

    out = {}
    for name in names:
        start = time.perf_counter()
        try:
            x = simulate(get_system(name), n_steps=N_POINTS, pts_per_period=PTS_PER_PERIOD)[0].x
            ok = bool(np.isfinite(x).all())
        except Exception as exc:  # report, do not stop the run
            ok = f"{type(exc).__name__}: {exc}"
        out[name] = (time.perf_counter() - start, ok)
    return out


def _dysts_chunk(names):
    import warnings

    import dysts.flows as flows

    out = {}
    for name in names:
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                x = getattr(flows, name)().make_trajectory(N_POINTS, pts_per_period=PTS_PER_PERIOD)
            ok = x is not None and bool(np.isfinite(x).all())
        except Exception as exc:
            ok = f"{type(exc).__name__}: {exc}"
        out[name] = (time.perf_counter() - start, ok)
    return out


def run_pool(func, names, jobs):
    """Wall time and per-system results of ``func`` over ``names`` on ``jobs`` workers."""
    chunks = [names[i::jobs] for i in range(jobs)]
    start = time.perf_counter()
    results = {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(func, chunks):
            results.update(part)
    return time.perf_counter() - start, results


def accuracy(names):
    from scipy.integrate import solve_ivp

    from lindy.systems import get_system, simulate

    rows = []
    for name in names:
        system = get_system(name)
        t = np.linspace(0.0, 2.0 * system.meta["period"], 2 * PTS_PER_PERIOD + 1)
        ours = simulate(system, t=t)[0].x
        p = system.param_array
        jac = (lambda s, x, p=p, sy=system: sy.jac(s, x, p)) if system.jac is not None else None
        ref = solve_ivp(lambda s, x, p=p, sy=system: sy.rhs(s, x, p), (0.0, t[-1]), system.x0,
                        method="Radau", t_eval=t, rtol=1e-12, atol=1e-12, jac=jac).y.T
        rows.append((name, float(np.abs(ours - ref).max() / np.abs(ref).max())))
    return rows


def stiff_timings():
    """DOP853 vs RODAS4, 10 periods at 100 points per period, default tolerances (warm)."""
    from lindy.systems import get_system
    from lindy.systems._integrate import integrate_flow, integrate_stiff
    from lindy.systems._stiffness import stiffness_index

    cases = [("VanDerPol mu=1000", get_system("VanDerPol", mu=1000.0),
              (3.0 - 2.0 * np.log(2.0)) * 1000.0),
             ("BelousovZhabotinsky", get_system("BelousovZhabotinsky"), None)]
    print("stiff flows: 10 periods, 1001 samples, rtol 1e-10, atol 1e-12 (best of 3, warm)")
    for label, system, period in cases:
        period = period or system.meta["period"]
        t = np.linspace(0.0, 10.0 * period, 1001)
        integrate_flow(system, system.x0, t[:3])
        integrate_stiff(system, system.x0, t[:3])
        best = {}
        for name, run in (("dop853", integrate_flow), ("rosenbrock", integrate_stiff)):
            times = []
            for _ in range(3):
                start = time.perf_counter()
                run(system, system.x0, t)
                times.append(time.perf_counter() - start)
            best[name] = min(times)
        X, stats = integrate_stiff(system, system.x0, t)
        index = stiffness_index(system, X[0], period, t)
        steps = stats[0, 0]
        print(f"  {label:22s} S={index:.2g}  dop853 "
              f"{best['dop853'] * 1e3:8.1f} ms  rosenbrock {best['rosenbrock'] * 1e3:8.1f} ms "
              f"({steps} steps)  ratio {best['dop853'] / best['rosenbrock']:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dysts", type=int, default=0,
                        help="time dysts on the first N systems only (0: all)")
    parser.add_argument("--skip-dysts", action="store_true")
    parser.add_argument("--stiff", action="store_true",
                        help="only time DOP853 vs Rosenbrock on stiff flows")
    args = parser.parse_args()
    if args.stiff:
        stiff_timings()
        return
    names = published_flows()
    print(f"{len(names)} published flows (ODEs and delay equations); {N_POINTS} points at "
          f"{PTS_PER_PERIOD} points per period; {args.jobs} worker processes; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")

    cold, res = run_pool(_lindy_chunk, names, args.jobs)
    failed = {k: v[1] for k, v in res.items() if v[1] is not True}
    warm, _ = run_pool(_lindy_chunk, names, args.jobs)
    print(f"lindy: {cold:7.2f} s first run (compiles or loads each right-hand side), "
          f"{warm:7.2f} s second run; failures: {failed or 'none'}")
    slowest = sorted(res.items(), key=lambda kv: -kv[1][0])[:5]
    print("  slowest (first run):", ", ".join(f"{k} {v[0]:.2f}s" for k, v in slowest))

    if not args.skip_dysts:
        subset = names[:args.dysts] if args.dysts else names
        dt_dysts, dres = run_pool(_dysts_chunk, subset, args.jobs)
        dfailed = {k: v[1] for k, v in dres.items() if v[1] is not True}
        print(f"dysts: {dt_dysts:7.2f} s for {len(subset)} systems; failures: "
              f"{list(dfailed) or 'none'}")
        lindy_same = sum(res[n][0] for n in subset) / max(sum(v[0] for v in res.values()), 1e-12)
        lindy_subset = cold * lindy_same
        print(f"ratio dysts / lindy (first run, same systems): {dt_dysts / lindy_subset:7.1f}x; "
              f"vs lindy second run: {dt_dysts / (warm * lindy_same):7.1f}x")

    print("accuracy: max |lindy - Radau(1e-12)| / max |Radau| over 2 periods")
    rows = accuracy(ACCURACY_SYSTEMS)
    for name, err in rows:
        print(f"  {name:22s} {err:.2e}")
    print(f"  worst {max(e for _, e in rows):.2e} over {len(rows)} systems")


if __name__ == "__main__":
    main()
