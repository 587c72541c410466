"""Operator learning, side by side: lindy vs kooplearn vs PyDMD in one process.

1. EDMD on Lorenz-63 (10^4 samples, standardized) with a degree-10 polynomial
   dictionary (286 features), rank 50: fit time and leading eigenvalues.
   All three libraries get the same features (lindy's ``Polynomial`` lifting is
   included in every timing); kooplearn fits ``Ridge`` (PCR, no regularization)
   and PyDMD fits ``DMD`` on the transposed feature matrix.
2. Kernel EDMD with an RBF kernel on n = 5000 Lorenz-63 samples, rank 25:
   lindy's default solver (Nystrom at this size) and its exact randomized dual
   solver vs kooplearn's randomized reduced-rank solver, kooplearn's own
   Nystrom estimator (``NystroemKernelRidge``, reduced rank, the same number of
   centres as lindy's default) and PyDMD's kernel ``EDMD``; fit time and
   one-step test RMSE, with the Nystrom-vs-Nystrom ratios printed.

Notes on the anchors (versions printed at run time):

* kooplearn 2.0's ``KernelRidge.predict(X, n_steps=1)`` and
  ``NystroemKernelRidge.predict(X, n_steps=1)`` decode with the training
  *inputs* rather than the outputs (they return about ``X`` itself), so the
  one-step forecast is ``predict(X, n_steps=2)``.
* PyDMD's ``EDMD.eigenfunctions`` uses all snapshots against an SVD of all but
  the last, which fails on shapes; the bench evaluates the same formula with
  the matching snapshots.

BLAS threads default to 1 (``--threads``) so that the ratios are stable on a
shared machine; timings are the best of ``--repeats`` runs.

Usage::

    python benchmarks/bench_operators.py            # full sizes
    python benchmarks/bench_operators.py --quick    # small sizes, a smoke test
"""

from __future__ import annotations

import argparse
import time
import warnings
from importlib.metadata import version

import numpy as np
from threadpoolctl import threadpool_limits

import lindy as ld
from lindy.operators import EDMD, KernelEDMD, Polynomial
from lindy.operators._kernel_core import median_length_scale


def best_time(func, repeats):
    """Best wall time of ``repeats`` calls and the last result."""
    best, out = np.inf, None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t0)
    return best, out


def lorenz(n, dt, seed=0):
    """Standardized Lorenz-63 samples after a transient."""
    data = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=n, dt=dt, random_state=seed,
                               transient=2000)
    x = data[0].x
    return (x - x.mean(0)) / x.std(0)


def leading(lam, k):
    lam = np.asarray(lam, dtype=complex)
    lam = lam[np.lexsort((lam.imag.round(8), -np.abs(lam).round(10)))]
    return lam[:k]


def match_error(a, b):
    """Largest distance from each of ``a`` to the nearest of ``b`` (order-free)."""
    return float(max(np.abs(b - z).min() for z in a))


def bench_edmd(n, degree, rank, repeats):
    import pydmd
    from kooplearn.linear_model import Ridge

    x = lorenz(n + 1, 0.01)
    lift = Polynomial(degree).fit(x[:10])
    p = lift.n_output_features_

    def run_lindy():
        return EDMD(Polynomial(degree), rank=rank).fit(x).eigenvalues_

    def run_kooplearn():
        F = lift.transform(x)
        return Ridge(n_components=rank, reduced_rank=False, alpha=None,
                     eigen_solver="dense").fit(F).eig()

    def run_pydmd():
        F = lift.transform(x)
        return pydmd.DMD(svd_rank=rank, exact=True).fit(F.T).eigs

    rows = {}
    for name, func in (("lindy EDMD", run_lindy), ("kooplearn Ridge", run_kooplearn),
                       ("PyDMD DMD", run_pydmd)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rows[name] = best_time(func, repeats)
    ref = leading(rows["lindy EDMD"][1], 10)
    print(f"\n## EDMD: Lorenz-63, n = {n} samples, Polynomial({degree}) = {p} features, rank {rank}\n")
    print("| library | fit time (s) | lindy speed-up | max |Δλ| (10 leading) |")
    print("|---|---|---|---|")
    t_lindy = rows["lindy EDMD"][0]
    for name, (t, lam) in rows.items():
        err = match_error(ref, leading(lam, 20))
        print(f"| {name} | {t:.3f} | {t / t_lindy:.1f}x | {err:.1e} |")
    return rows


def bench_kernel(n, n_test, rank, repeats, with_pydmd):
    import pydmd
    from kooplearn.kernel import KernelRidge, NystroemKernelRidge
    from sklearn.metrics.pairwise import pairwise_kernels

    x = lorenz(n + n_test + 1, 0.02, seed=1)
    tr, te = x[: n + 1], x[n + 1:]
    ell = median_length_scale(tr)
    gamma = 0.5 / ell**2
    alpha = 1e-6

    def rmse(pred):
        return float(np.sqrt(np.mean((np.asarray(pred).real - te[1:]) ** 2)))

    def run_lindy(solver=None):
        kw = {} if solver is None else {"solver": solver}
        m = KernelEDMD(rank=rank, length_scale=ell, alpha=alpha, **kw).fit(tr)
        return m, m.predict(te)[:-1]

    def run_kooplearn():
        m = KernelRidge(n_components=rank, kernel="rbf", gamma=gamma, alpha=alpha,
                        eigen_solver="randomized", reduced_rank=True, random_state=0).fit(tr)
        m.eig()
        return m, m.predict(te[:-1], n_steps=2)

    n_centers = max(20 * rank, 500)  # lindy's default

    def run_kooplearn_nystroem():
        m = NystroemKernelRidge(n_components=rank, kernel="rbf", gamma=gamma, alpha=alpha,
                                n_centers=n_centers, reduced_rank=True, random_state=0).fit(tr)
        m.eig()
        return m, m.predict(te[:-1], n_steps=2)

    def run_pydmd():
        m = pydmd.EDMD(svd_rank=rank, kernel_metric="rbf", kernel_params={"gamma": gamma}).fit(tr.T)
        K = pairwise_kernels(te[:-1], tr[:-1], metric="rbf", gamma=gamma)
        phi = K @ m._svd_modes @ np.diag(1.0 / m.operator.svd_vals) @ m.operator.eigenvectors
        return m, (phi * m.eigs) @ m.modes.T

    runs = [("lindy KernelEDMD (default)", lambda: run_lindy(), repeats),
            ("lindy KernelEDMD (randomized, exact dual)", lambda: run_lindy("randomized"), repeats),
            ("kooplearn KernelRidge (randomized)", run_kooplearn, repeats),
            (f"kooplearn NystroemKernelRidge ({n_centers} centres)", run_kooplearn_nystroem,
             repeats)]
    if with_pydmd:
        runs.append(("PyDMD EDMD (kernel)", run_pydmd, 1))
    rows = {}
    for name, func, reps in runs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t, (model, pred) = best_time(lambda f=func: f(), reps)
        rows[name] = (t, rmse(pred), model)
    solver = rows["lindy KernelEDMD (default)"][2].solver_
    print(f"\n## Kernel EDMD: RBF, Lorenz-63, n = {n} pairs, rank {rank}, alpha {alpha:g} "
          f"(lindy default solver: {solver})\n")
    print("| library | fit time (s) | time / lindy default | one-step test RMSE |")
    print("|---|---|---|---|")
    t0 = rows["lindy KernelEDMD (default)"][0]
    for name, (t, err, _) in rows.items():
        print(f"| {name} | {t:.3f} | {t / t0:.1f}x | {err:.5f} |")
    print(f"| persistence | - | - | {rmse(te[:-1]):.5f} |")
    t_k, e_k, _ = rows[f"kooplearn NystroemKernelRidge ({n_centers} centres)"]
    t_l, e_l, _ = rows["lindy KernelEDMD (default)"]
    print(f"\nNystrom vs Nystrom ({n_centers} centres, rank {rank}): kooplearn / lindy fit time "
          f"{t_k / t_l:.2f}x, one-step RMSE ratio kooplearn / lindy {e_k / e_l:.3f}")
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads (default 1)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", choices=["edmd", "kernel"], help="run one part only")
    ap.add_argument("--no-pydmd-kernel", action="store_true",
                    help="skip PyDMD's kernel EDMD (a dense n x n eigendecomposition)")
    args = ap.parse_args(argv)
    print(f"lindy {ld.__version__}, kooplearn {version('kooplearn')}, PyDMD {version('pydmd')}, "
          f"numpy {np.__version__}; BLAS threads: {args.threads}; best of {args.repeats}")
    with threadpool_limits(limits=args.threads, user_api="blas"):
        sizes = ((2000, 6, 20), (800, 400, 10)) if args.quick else ((10_000, 10, 50), (5000, 2000, 25))
        if args.only in (None, "edmd"):
            bench_edmd(*sizes[0], args.repeats)
        if args.only in (None, "kernel"):
            bench_kernel(*sizes[1], args.repeats, not args.no_pydmd_kernel)


if __name__ == "__main__":
    main()
