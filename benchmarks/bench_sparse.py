"""Sparse identification, side by side: lindy.sparse vs pysindy in one process.

1. Fit: SINDy on Lorenz-63 (10^4 samples, dt = 0.01) with a degree-3
   polynomial library (20 terms), STLSQ threshold 0.1, second-order finite
   differences: the same settings in both, so the coefficients agree to
   round-off (printed).
2. Simulation of the fitted model from the same initial condition over
   ``--sim-steps`` samples: lindy's ``to_system()`` (numba-compiled right-hand
   side, DOP853) vs pysindy's ``simulate`` (scipy ``solve_ivp`` with LSODA, its
   default), both at rtol = atol = 1e-12 (pysindy's default) and at 1e-6. The
   one-time compilation of lindy's right-hand side (cached on disk by numba)
   is reported separately.

BLAS threads default to 1 (``--threads``) so that the ratios are stable on a
shared machine; timings are the best of ``--repeats`` runs.

Usage::

    python benchmarks/bench_sparse.py            # full sizes
    python benchmarks/bench_sparse.py --quick    # small sizes, a smoke test
"""

from __future__ import annotations

import argparse
import time
from importlib.metadata import version

import numpy as np
from threadpoolctl import threadpool_limits

import lindy as ld

DT = 0.01


def best_time(func, repeats):
    """Best wall time of ``repeats`` calls and the last result."""
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench_fit(x, degree, repeats):
    import pysindy as ps

    t = DT * np.arange(len(x))

    def ours():
        return ld.sparse.SINDy(library=ld.sparse.PolynomialLibrary(degree), threshold=0.1).fit(x, t=t)

    def theirs():
        return ps.SINDy(optimizer=ps.STLSQ(threshold=0.1),
                        feature_library=ps.PolynomialLibrary(degree=degree),
                        differentiation_method=ps.FiniteDifference()).fit(x, t=DT)

    t_ours, m_ours = best_time(ours, repeats)
    t_theirs, m_theirs = best_time(theirs, repeats)
    diff = float(np.abs(m_ours.coef_ - m_theirs.coefficients()).max())
    print(f"\nfit: Lorenz-63, {len(x)} samples, PolynomialLibrary({degree}) "
          f"({len(m_ours.feature_names_)} terms), STLSQ(0.1), finite differences")
    print(f"  lindy SINDy.fit      {t_ours * 1e3:9.2f} ms")
    print(f"  pysindy SINDy.fit    {t_theirs * 1e3:9.2f} ms")
    print(f"  ratio pysindy/lindy  {t_theirs / t_ours:9.1f}x   (target >= 2x)")
    print(f"  max |coef difference| {diff:.1e}")
    return m_ours, m_theirs, t_ours, t_theirs


def bench_simulate(m_ours, m_theirs, x0, n_steps, repeats, tol):
    t = DT * np.arange(n_steps)
    t0 = time.perf_counter()
    system = m_ours.to_system()
    ld.systems.simulate(system, n_steps=2, dt=DT, x0=x0, integrator="dop853")  # compile (or load cache)
    t_compile = time.perf_counter() - t0

    def ours():
        return ld.systems.simulate(system, n_steps=n_steps, dt=DT, x0=x0, rtol=tol, atol=tol,
                                   integrator="dop853")[0].x

    def theirs():
        return m_theirs.simulate(x0, t, integrator_kws={"method": "LSODA", "rtol": tol, "atol": tol})

    t_ours, x_ours = best_time(ours, repeats)
    t_theirs, x_theirs = best_time(theirs, max(1, repeats // 3))
    agree = np.abs(x_ours - x_theirs).max(axis=1)
    print(f"\nsimulate the fitted model: {n_steps} samples at dt = {DT} (t = {t[-1]:.1f}), "
          f"rtol = atol = {tol:g}")
    print(f"  lindy to_system() + simulate (DOP853, compiled) {t_ours * 1e3:9.2f} ms   "
          f"(first compile / cache load {t_compile:.2f} s, once)")
    print(f"  pysindy simulate (solve_ivp LSODA)              {t_theirs * 1e3:9.2f} ms")
    print(f"  ratio pysindy/lindy  {t_theirs / t_ours:9.1f}x   (target >= 20x)")
    print(f"  max |difference| over the first 100 samples: {agree[:100].max():.1e} "
          "(chaos separates the two later)")
    return t_ours, t_theirs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads")
    ap.add_argument("--sim-steps", type=int, default=None, help="samples of the simulation")
    args = ap.parse_args(argv)
    n = 2000 if args.quick else 10_000
    n_steps = args.sim_steps or (200 if args.quick else 1000)
    repeats = 1 if args.quick else args.repeats
    print(f"lindy {ld.__version__}, pysindy {version('pysindy')}, numpy {np.__version__}, "
          f"BLAS threads {args.threads}")
    x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=n, dt=DT, random_state=0)[0].x
    with threadpool_limits(limits=args.threads, user_api="blas"):
        m_ours, m_theirs, t_ours, t_theirs = bench_fit(x, 3, repeats)
        fit_ratio = t_theirs / t_ours
        sim = [b / a for a, b in (bench_simulate(m_ours, m_theirs, x[-1], n_steps, repeats, tol)
                                  for tol in (1e-12, 1e-6))]
    print(f"\nsummary: fit {fit_ratio:.1f}x faster, simulation {sim[0]:.0f}x (tolerance 1e-12, "
          f"pysindy's default) and {sim[1]:.0f}x (1e-6) faster than pysindy")


if __name__ == "__main__":
    main()
