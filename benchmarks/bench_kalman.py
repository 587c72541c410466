"""Kalman filter + RTS smoother: lindy against statsmodels, filterpy and pykalman.

Runs every library side by side in one process on the same random stable model
(state dim 4, obs dim 2) and prints wall times, speed-up ratios and the
agreement of the log-likelihoods. Usage::

    python benchmarks/bench_kalman.py            # T = 10_000, batch 100 x 1000
    python benchmarks/bench_kalman.py --quick    # smaller sizes
    python benchmarks/bench_kalman.py --mle      # also: MLE, exact vs finite-difference gradient
    python benchmarks/bench_kalman.py --sizes    # lindy vs statsmodels from n = 2 to n = 100
    python benchmarks/bench_kalman.py --parallel # a batch on 1 vs 2 threads (n_jobs)

``--sizes`` times the filter and the smoother separately and together on the
same model and data in both libraries: the median over ``--repeat`` runs (more,
up to 25, for fast sizes), the libraries alternating, BLAS limited to one thread
for both. statsmodels runs
``KalmanSmoother`` (conventional filter, Cholesky inversion, nothing conserved)
with ``smoother_output = SMOOTHER_STATE | SMOOTHER_STATE_COV``: its filter stores
predicted and filtered states and covariances, forecasts and the log-likelihood
terms; its smoother (the r_t, N_t recursions) the smoothed states and their
covariances. lindy's filter stores the same moments plus (whitened) innovations,
its smoother the smoothed means, covariances and gains.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from lindy.data import as_trajectories
from lindy.ssm import LGSSMParams, kalman_filter, log_likelihood, rts_smoother, sample
from lindy.ssm._parallel import available_cores


def best_time(func, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def make_params(n=4, p=2, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    A *= 0.95 / max(abs(np.linalg.eigvals(A)))
    M = rng.standard_normal((n, n))
    Q = 0.1 * (M @ M.T / n + 0.5 * np.eye(n))
    return LGSSMParams(A=A, C=rng.standard_normal((p, n)), Q=Q, R=0.5 * np.eye(p),
                       m0=np.zeros(n), P0=np.eye(n))


def run_lindy(params, y):
    filt = kalman_filter(params, y)
    smooth = rts_smoother(params, filt)
    if isinstance(filt, list):  # a TrajectorySet: one result per trajectory
        return np.array([f.log_likelihood for f in filt]), [s.means for s in smooth]
    return filt.log_likelihood, smooth.means


def run_statsmodels(params, y, tolerance=None):
    from statsmodels.tsa.statespace.kalman_smoother import KalmanSmoother

    n, p = params.state_dim, params.obs_dim
    ks = KalmanSmoother(k_endog=p, k_states=n, k_posdef=n)
    ks.bind(np.ascontiguousarray(y))
    ks["design"], ks["transition"], ks["selection"] = params.C, params.A, np.eye(n)
    ks["state_cov"], ks["obs_cov"] = params.Q, params.R
    ks.initialize_known(params.m0, params.P0)
    if tolerance is not None:
        ks.tolerance = tolerance
    res = ks.smooth()
    return res.llf, res.smoothed_state.T


def run_filterpy(params, y):
    from filterpy.kalman import KalmanFilter

    n, p = params.state_dim, params.obs_dim
    kf = KalmanFilter(dim_x=n, dim_z=p)
    kf.F, kf.H, kf.Q, kf.R = params.A.copy(), params.C.copy(), params.Q.copy(), params.R.copy()
    # filterpy's x/P are the prior of the first step after a predict; start one step back
    kf.x, kf.P = params.m0.copy(), params.P0.copy()
    means, covs, _, _ = kf.batch_filter(y, update_first=True)
    xs, _, _, _ = kf.rts_smoother(means, covs)
    return np.nan, xs


def run_pykalman(params, y):
    from pykalman import KalmanFilter

    kf = KalmanFilter(transition_matrices=params.A, observation_matrices=params.C,
                      transition_covariance=params.Q, observation_covariance=params.R,
                      initial_state_mean=params.m0, initial_state_covariance=params.P0)
    means, _ = kf.smooth(y)
    return np.nan, means


def run_pykalman_ll(params, y):
    from pykalman import KalmanFilter

    kf = KalmanFilter(transition_matrices=params.A, observation_matrices=params.C,
                      transition_covariance=params.Q, observation_covariance=params.R,
                      initial_state_mean=params.m0, initial_state_covariance=params.P0)
    return kf.loglikelihood(y)


def bench_mle(T=2000, state_dim=3):
    """fit_mle on Lorenz-63 from the N4SID start: exact (Fisher) vs finite-difference gradient."""
    from lindy.ssm import LinearGaussianSSM, fit_mle
    from lindy.systems import get_system, simulate

    x = simulate(get_system("Lorenz"), n_steps=T, random_state=0, transient=500)[0].x
    x = x + 0.1 * np.random.default_rng(0).standard_normal(x.shape)
    model = LinearGaussianSSM(state_dim=state_dim, solver="subspace", offset="mean").fit(x)
    start = model.params_
    y = x - model.mean_
    fit_mle(start, y[:50], max_iter=2)  # compile outside the timing
    print(f"\nMLE on Lorenz-63, T={T}, state_dim={state_dim} (fit_mle from the N4SID start, "
          "all parameters free)")
    out = {}
    for max_iter in (50, 200):
        for grad in ("exact", "numerical"):
            t0 = time.perf_counter()
            res = fit_mle(start, y, max_iter=max_iter, gradient=grad)
            out[grad] = time.perf_counter() - t0
            print(f"max_iter={max_iter:<4} gradient={grad:<10} {out[grad]:7.2f} s  "
                  f"log-lik {res.log_likelihood:12.4f}  iterations {res.n_iter}")
        print(f"  speed-up of the exact gradient: {out['numerical'] / out['exact']:.1f}x")


SIZES = ((2, 1, 10_000), (4, 2, 10_000), (10, 5, 10_000), (20, 10, 5000), (50, 20, 2000),
         (100, 50, 1000))


def statsmodels_smoother(params, y, steady=True):
    """statsmodels' KalmanSmoother on the model (nothing conserved; tolerance 0 if not steady)."""
    from statsmodels.tsa.statespace.kalman_smoother import KalmanSmoother

    n, p = params.state_dim, params.obs_dim
    ks = KalmanSmoother(k_endog=p, k_states=n, k_posdef=n, conserve_memory=0)
    ks.bind(np.ascontiguousarray(y))
    ks["design"], ks["transition"], ks["selection"] = params.C, params.A, np.eye(n)
    ks["state_cov"], ks["obs_cov"] = params.Q, params.R
    ks.initialize_known(params.m0, params.P0)
    if not steady:
        ks.tolerance = 0.0
    return ks


def median_times(funcs, repeat, budget=1.0):
    """Median wall time of each function over at least ``repeat`` rounds (functions alternate).

    Fast functions get more rounds (up to 25, about ``budget`` seconds for the slowest
    function), so that a preemption on a shared machine does not move the median.
    """
    first = []
    for f in funcs:
        t0 = time.perf_counter()
        f()
        first.append(time.perf_counter() - t0)
    rounds = max(repeat, min(25, int(budget / max(first))))
    times = [[] for _ in funcs]
    for _ in range(rounds):
        for ts, f in zip(times, funcs):
            t0 = time.perf_counter()
            f()
            ts.append(time.perf_counter() - t0)
    return [float(np.median(ts)) for ts in times]


def time_size(n, p, T, repeat, steady):
    """Median times (filter, smoother, both; lindy then statsmodels) and the agreement."""
    from statsmodels.tsa.statespace.kalman_smoother import SMOOTHER_STATE, SMOOTHER_STATE_COV

    out = SMOOTHER_STATE | SMOOTHER_STATE_COV
    tol = 1e-12 if steady else 0.0
    params = make_params(n, p)
    _, y = sample(params, T, random_state=1)
    ks = statsmodels_smoother(params, y, steady)
    filt = kalman_filter(params, y, steady_tol=tol)  # compiles outside the timing
    sm = rts_smoother(params, filt, steady_tol=tol)
    res = ks.smooth(smoother_output=out)
    ks2 = statsmodels_smoother(params, y, steady)  # the smoother alone: filter once
    kfilter = ks2._filter()
    fres = ks2.results_class(ks2)
    fres.update_representation(ks2)
    fres.update_filter(kfilter)

    def sm_smoother():  # what KalmanSmoother.smooth does after filtering
        fres.update_smoother(ks2._smooth(out, results=fres))

    times = median_times([
        lambda: kalman_filter(params, y, steady_tol=tol), ks.filter,
        lambda: rts_smoother(params, filt, steady_tol=tol), sm_smoother,
        lambda: rts_smoother(params, kalman_filter(params, y, steady_tol=tol), steady_tol=tol),
        lambda: ks.smooth(smoother_output=out)], repeat)
    diffs = (abs(res.llf - filt.log_likelihood), np.abs(res.smoothed_state.T - sm.means).max(),
             np.abs(np.moveaxis(res.smoothed_state_cov, -1, 0) - sm.covariances).max())
    return times, diffs


def bench_sizes(repeat, steady=True, quick=False):
    """Filter, smoother and both, lindy vs statsmodels, from n = 2 to n = 100."""
    from threadpoolctl import threadpool_limits

    print(f"lindy vs statsmodels KalmanSmoother, median of >= {repeat} (up to 25 for fast "
          "sizes), one BLAS thread, "
          f"steady-state shortcuts {'on (defaults)' if steady else 'off (tolerance 0)'}")
    print(f"{'n':>4} {'p':>3} {'T':>6} | {'filter: lindy':>13} {'sm':>9} {'ratio':>6} | "
          f"{'smoother: lindy':>15} {'sm':>9} {'ratio':>6} | {'both: lindy':>11} {'sm':>9} "
          f"{'ratio':>6} | {'|dLL|':>8} {'|dx_s|':>8} {'|dP_s|':>8}")
    with threadpool_limits(limits=1):
        for n, p, T in SIZES:
            T = T // 5 if quick else T
            times, diffs = time_size(n, p, T, repeat, steady)
            row = f"{n:>4} {p:>3} {T:>6} |"
            for a, b, w in zip(times[::2], times[1::2], (13, 15, 11)):
                row += f" {1e3 * a:>{w - 3}.2f} ms {1e3 * b:>6.1f} ms {b / a:>5.1f}x |"
            print(row + " {:>8.1e} {:>8.1e} {:>8.1e}".format(*diffs), flush=True)


def chunk_cpu(func, repeat):
    """Median over ``repeat`` calls of the largest CPU time one thread spent in a chunk.

    Wraps lindy's chunk runner to read each worker thread's CPU clock: on a machine
    whose other jobs cap this process's CPU share, the wall-time speed-up of threads
    is capped too, but this critical-path CPU time still shows how the work splits.
    """
    import lindy.ssm._kalman as kalman

    runner, spans = kalman.run_chunks, []

    def timed_runner(loop, chunks):
        def timed(a, b):
            c0 = time.thread_time()
            status = loop(a, b)
            spans.append(time.thread_time() - c0)
            return status
        return runner(timed, chunks)

    kalman.run_chunks = timed_runner
    try:
        worst = []
        for _ in range(repeat):
            spans.clear()
            func()
            worst.append(max(spans))
    finally:
        kalman.run_chunks = runner
    return float(np.median(worst))


def time_batch(n, p, N, T, repeat):
    """Median wall times, critical-path CPU times (1 and 2 threads) and whether they agree."""
    params = make_params(n, p)
    yb = as_trajectories(np.stack([sample(params, T, random_state=100 + i)[1] for i in range(N)]))
    f1, f2 = (kalman_filter(params, yb, n_jobs=k) for k in (1, 2))
    s1, s2 = (rts_smoother(params, f1, n_jobs=k) for k in (1, 2))
    equal = all(np.array_equal(a.filtered_covariances, b.filtered_covariances)
                and a.log_likelihood == b.log_likelihood for a, b in zip(f1, f2)) and \
        all(np.array_equal(a.covariances, b.covariances) and np.array_equal(a.means, b.means)
            for a, b in zip(s1, s2))
    calls = [lambda: kalman_filter(params, yb, n_jobs=1), lambda: kalman_filter(params, yb, n_jobs=2),
             lambda: rts_smoother(params, f1, n_jobs=1), lambda: rts_smoother(params, f1, n_jobs=2)]
    return median_times(calls, repeat), [chunk_cpu(f, repeat) for f in calls], equal


def bench_parallel(repeat, quick=False):
    """A TrajectorySet filtered and smoothed on 1 and on 2 threads (results equal exactly)."""
    from threadpoolctl import threadpool_limits

    print(f"\nBatch on 1 vs 2 threads (n_jobs), median of >= {repeat}, one BLAS thread, "
          f"{available_cores()} cores, load average {os.getloadavg()[0]:.1f}")
    print("wall time 1 thread / 2 threads, speed-up; [critical-path CPU: the largest CPU time "
          "of one thread, 1 / 2 threads, ratio]")
    print(f"{'n':>4} {'p':>3} {'N x T':>11} | {'filter':>34} | {'smoother':>34} | equal")
    with threadpool_limits(limits=1):
        for n, p, N, T in ((4, 2, 100, 1000), (20, 10, 20, 1000), (50, 20, 8, 500)):
            T = T // 5 if quick else T
            t, c, equal = time_batch(n, p, N, T, repeat)
            row = f"{n:>4} {p:>3} {N:>4} x {T:<4} |"
            for i in (0, 2):
                row += (f" {1e3 * t[i]:5.1f}/{1e3 * t[i + 1]:5.1f} ms {t[i] / t[i + 1]:4.2f}x "
                        f"[{1e3 * c[i]:5.1f}/{1e3 * c[i + 1]:5.1f} {c[i] / c[i + 1]:4.2f}x] |")
            print(row + f" {equal}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller problem sizes")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--mle", action="store_true", help="also time maximum-likelihood fitting")
    ap.add_argument("--mle-only", action="store_true", help="only time maximum-likelihood fitting")
    ap.add_argument("--sizes", action="store_true",
                    help="only: filter and smoother vs statsmodels from n = 2 to n = 100")
    ap.add_argument("--parallel", action="store_true",
                    help="only: a batch of sequences on 1 vs 2 threads")
    ap.add_argument("--no-steady", action="store_true",
                    help="with --sizes: steady-state shortcuts off in both libraries")
    args = ap.parse_args()
    if args.sizes or args.parallel:
        if args.sizes:
            bench_sizes(args.repeat, steady=not args.no_steady, quick=args.quick)
        if args.parallel:
            bench_parallel(args.repeat, quick=args.quick)
        return
    if args.mle_only:
        bench_mle()
        return
    T = 2000 if args.quick else 10_000
    N, Tb = (20, 500) if args.quick else (100, 1000)
    params = make_params()
    _, y = sample(params, T, random_state=1)

    run_lindy(params, y[:50])  # compile (or load the numba cache) outside the timing
    rows = []
    t_l, (ll_l, xs_l) = best_time(lambda: run_lindy(params, y), args.repeat)
    rows.append(("lindy", t_l, ll_l, 0.0))
    t_s, (ll_s, xs_s) = best_time(lambda: run_statsmodels(params, y), args.repeat)
    rows.append(("statsmodels", t_s, ll_s, np.abs(xs_s - xs_l).max()))
    t_f, (_, xs_f) = best_time(lambda: run_filterpy(params, y), max(1, args.repeat // 2))
    rows.append(("filterpy", t_f, np.nan, np.abs(xs_f - xs_l).max()))
    t_p, (_, xs_p) = best_time(lambda: run_pykalman(params, y), 1)
    ll_p = run_pykalman_ll(params, y)
    rows.append(("pykalman", t_p, ll_p, np.abs(xs_p - xs_l).max()))

    print(f"Filter + RTS smoother, n=4, p=2, T={T} (best of {args.repeat})")
    print(f"{'library':<12} {'time [ms]':>10} {'lindy speed-up':>15} {'log-lik':>20} "
          f"{'|dLL| vs lindy':>15} {'max|dx_smooth|':>15}")
    for name, t, ll, dx in rows:
        dll = abs(ll - ll_l) if np.isfinite(ll) else np.nan
        print(f"{name:<12} {1e3 * t:>10.2f} {t / t_l:>14.1f}x {ll:>20.10f} {dll:>15.2e} {dx:>15.2e}")
    filt = kalman_filter(params, y)
    rts_smoother(params, filt, form="sqrt")  # compile
    t_std, sm = best_time(lambda: rts_smoother(params, filt), args.repeat)
    t_sq, sq = best_time(lambda: rts_smoother(params, filt, form="sqrt"), args.repeat)
    print(f"RTS smoother alone: standard {1e3 * t_std:.2f} ms, square-root {1e3 * t_sq:.2f} ms; "
          f"max |dP_smooth| {np.abs(sm.covariances - sq.covariances).max():.1e}")
    rel = abs(ll_s - ll_l) / abs(ll_s)
    print(f"log-likelihood relative difference lindy vs statsmodels: {rel:.2e}")
    ll_s0 = run_statsmodels(params, y, tolerance=0)[0]
    print(f"|dLL| lindy vs statsmodels with tolerance=0 (no steady-state shortcut): "
          f"{abs(ll_s0 - ll_l):.2e}")

    yb = as_trajectories(np.stack([sample(params, Tb, random_state=100 + i)[1] for i in range(N)]))
    t_lb, (llb, _) = best_time(lambda: run_lindy(params, yb), args.repeat)
    t_sb, lls = best_time(lambda: [run_statsmodels(params, tr.x)[0] for tr in yb],
                          max(1, args.repeat // 2))
    print(f"\nBatch of {N} sequences x {Tb} steps, filter + smoother")
    print(f"lindy (one batched call) {1e3 * t_lb:9.2f} ms")
    print(f"statsmodels (loop)       {1e3 * t_sb:9.2f} ms   speed-up {t_sb / t_lb:.1f}x")
    print(f"max |dLL| over the batch: {np.max(np.abs(np.asarray(lls) - llb)):.2e}")
    t_ll, _ = best_time(lambda: log_likelihood(params, yb), args.repeat)
    print(f"lindy log_likelihood only (batch) {1e3 * t_ll:9.2f} ms")
    if args.mle:
        bench_mle()


if __name__ == "__main__":
    main()
