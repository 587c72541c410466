"""Systems database: lindy vs dysts on the 135 published chaotic flows, one run.

Protocol (dysts): 1,000 points at 100 points per dominant period from each
system's default initial condition. dysts uses its defaults (Radau, rtol = atol
= 1e-12); lindy its defaults (compiled DOP853, rtol 1e-10, atol 1e-12; delay
equations by the method of steps). Both run the systems over the same number of
worker processes (spawned, so each starts from nothing). lindy is timed three
times: from an empty numba cache (a fresh install: the compiled integrator loops and
every right-hand side compile), with only the compiled loops cached (as after
``make run``), and fully cached. Accuracy: lindy's trajectories against a scipy
Radau reference at 1e-12 over two periods.

    python benchmarks/bench_systems.py              # everything (dysts takes ~20 min)
    python benchmarks/bench_systems.py --dysts 20   # time dysts on the first 20 only
    python benchmarks/bench_systems.py --skip-dysts
    python benchmarks/bench_systems.py --stiff      # DOP853 vs Rosenbrock only
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
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


def _use_cache(directory):
    """Worker initializer: numba's on-disk cache in ``directory`` (None: the default)."""
    if directory is not None:
        os.environ["NUMBA_CACHE_DIR"] = directory


def _compile_loops():
    from lindy.systems.integrators import compiled

    compiled("dop853_batch")
    compiled("delay_batch")


def run_pool(func, names, jobs, cache_dir=None):
    """Wall time and per-system results of ``func`` over ``names`` on ``jobs`` fresh
    (spawned) worker processes whose numba cache lives in ``cache_dir``."""
    chunks = [names[i::jobs] for i in range(jobs)]
    start = time.perf_counter()
    results = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_use_cache, initargs=(cache_dir,)) as pool:
        for part in pool.map(func, chunks):
            results.update(part)
    return time.perf_counter() - start, results


def time_lindy(names, jobs):
    """lindy's wall times: from an empty numba cache (everything compiles: a fresh
    install), with only the compiled integrator loops cached (as after ``make run``: each
    right-hand side compiles on first use), and fully cached."""
    with tempfile.TemporaryDirectory() as fresh, tempfile.TemporaryDirectory() as loops_only:
        cold, res = run_pool(_lindy_chunk, names, jobs, fresh)
        warm, _ = run_pool(_lindy_chunk, names, jobs, fresh)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_use_cache, initargs=(loops_only,)) as pool:
            pool.submit(_compile_loops).result()
        first_rhs, _ = run_pool(_lindy_chunk, names, jobs, loops_only)
    return cold, first_rhs, warm, res


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
    """DOP853 vs RODAS4 vs ``simulate(integrator="auto")`` (DOP853 with Hairer's stiffness
    test handing over to RODAS4), 10 periods at 100 points per period, default
    tolerances, warm, best of 3."""
    from lindy.systems import get_system, simulate
    from lindy.systems._stiffness import stiffness_index
    from lindy.systems.integrators import integrate_flow, integrate_stiff

    def vdp(mu):
        return (f"VanDerPol mu={mu:g}", get_system("VanDerPol", mu=mu),
                (3.0 - 2.0 * np.log(2.0)) * mu)

    cases = [vdp(1000.0), vdp(100.0), ("BelousovZhabotinsky", get_system("BelousovZhabotinsky"),
                                      None)]
    print("stiff flows: 10 periods, 1001 samples, rtol 1e-10, atol 1e-12 (best of 3, warm)")
    for label, system, period in cases:
        period = period or system.meta["period"]
        t = np.linspace(0.0, 10.0 * period, 1001)
        runs = {"dop853": lambda s=system, t=t: integrate_flow(s, s.x0, t),
                "rodas4": lambda s=system, t=t: integrate_stiff(s, s.x0, t),
                "auto": lambda s=system, t=t: simulate(s, t=t)}
        best = {}
        for name, run in runs.items():
            times = []
            for _ in range(4):  # the first run compiles or loads
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)
            best[name] = min(times[1:])
        X, stats = integrate_stiff(system, system.x0, t)
        index = stiffness_index(system, X[0], period, t)
        handed = bool(integrate_flow(system, system.x0, t, detect_stiff=True)[1][0])
        print(f"  {label:22s} S={index:.2g}  dop853 {best['dop853'] * 1e3:8.1f} ms  rodas4 "
              f"{best['rodas4'] * 1e3:8.1f} ms  auto {best['auto'] * 1e3:8.1f} ms "
              f"(stiffness test fired: {handed})")


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

    cold, first_rhs, warm, res = time_lindy(names, args.jobs)
    failed = {k: v[1] for k, v in res.items() if v[1] is not True}
    print(f"lindy: {cold:7.2f} s from an empty compile cache (fresh install), {first_rhs:7.2f} s "
          f"with the compiled loops cached (each right-hand side compiles), {warm:7.2f} s cached; "
          f"failures: {failed or 'none'}")
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
        print(f"ratio dysts / lindy (same systems): {dt_dysts / lindy_subset:7.1f}x from an "
              f"empty cache, {dt_dysts / (first_rhs * lindy_same):7.1f}x with compiled loops cached, "
              f"{dt_dysts / (warm * lindy_same):7.1f}x cached")

    print("accuracy: max |lindy - Radau(1e-12)| / max |Radau| over 2 periods")
    rows = accuracy(ACCURACY_SYSTEMS)
    for name, err in rows:
        print(f"  {name:22s} {err:.2e}")
    print(f"  worst {max(e for _, e in rows):.2e} over {len(rows)} systems")


if __name__ == "__main__":
    main()
