"""Linear input-output identification on Silverbox: free-run and one-step NRMSE.

Every model is fitted on the standard training record (65 062 samples of the
multisine, ``lindy.datasets.load_silverbox().train[0]``) and run on the
multisine test record (``test[1]``, 21 688 samples): a free run from the
inputs alone (``simulate(u, y=window)``, the initial state fitted to the first
50 measured outputs) and the one-step-ahead Kalman predictions of ``y_k`` from
``y_{<k}`` and ``u_{<=k}`` (the prediction error ML minimizes). NRMSE = RMSE
/ std of the test output, over the samples after the window. Published
anchors (Schoukens and Ljung 2019, the Silverbox overview): linear models
13-18 %, subspace identification 18.4 %. Usage::

    python benchmarks/bench_sysid_core.py            # the whole table (a few minutes)
    python benchmarks/bench_sysid_core.py --quick    # fewer configurations
    python benchmarks/bench_sysid_core.py --only ssm # LinearGaussianSSM rows only
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

import lindy as ld

WINDOW = 50


def one_step(model, test):
    """Kalman one-step predictions ``C m_{k|k-1} + D u_k`` (with the feedthrough of ``u_k``)."""
    p = model.params_
    u = test.u if p.input_dim == test.u.shape[1] else np.hstack([test.u, np.ones_like(test.u[:, :1])])
    filt = ld.ssm.kalman_filter(p, test.x - model.mean_, u)
    return filt.predicted_means @ p.C.T + u @ p.D.T + model.mean_


def evaluate(model, test):
    with np.errstate(all="ignore"):
        sim = model.simulate(test.u, y=test.x[:WINDOW]).x
        one = one_step(model, test)
    y = test.x[WINDOW:]
    free = float(np.sqrt(np.mean((sim[WINDOW:] - y) ** 2)) / test.x.std())
    step = float(np.sqrt(np.mean((one[WINDOW:] - y) ** 2)) / test.x.std())
    return free, step


def fit_timed(est, train):
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(train)
    unstable = any(issubclass(w.category, ld.errors.StabilityWarning) for w in caught)
    return est, time.perf_counter() - t0, unstable


def fmt(v):
    return f"{100 * v:.3g} %" if np.isfinite(v) and v < 1e3 else "diverges (overflow)"


def main(quick: bool, only: str | None):
    ds = ld.datasets.load_silverbox()
    train, test = ds.train[0], ds.test[1]
    print("| model | state_dim | n_block_rows | offset | stability | max abs eig | free-run NRMSE "
          "| one-step NRMSE | fit s |")
    print("|---|---|---|---|---|---|---|---|---|")
    dims = (2, 4) if quick else (2, 4, 6, 8)
    for n in dims if only != "ssm" else ():
        for rows in (10, 20):
            for offset in ("none", "estimate"):
                for stability in ("warn", "project"):
                    est = ld.ssm.SubspaceID(state_dim=n, n_block_rows=rows, offset=offset,
                                            stability=stability)
                    est, secs, warned = fit_timed(est, train)
                    free, step = evaluate(est, test)
                    tag = " (warned)" if warned else (" (projected)" if est.projected_ else "")
                    print(f"| SubspaceID | {n} | {rows} | {offset} | {stability}{tag} | "
                          f"{est.spectral_radius_:.4f} | {fmt(free)} | {fmt(step)} | {secs:.1f} |")
    for n in (2, 4) if only != "subspace" else ():
        for solver in ("subspace", "mle"):
            for feed in (False, True):
                est = ld.ssm.LinearGaussianSSM(state_dim=n, solver=solver, feedthrough=feed,
                                               max_iter=300)
                est, secs, _ = fit_timed(est, train)
                free, step = evaluate(est, test)
                rho = np.abs(np.linalg.eigvals(est.params_.A)).max()
                print(f"| LinearGaussianSSM({solver}, feedthrough={feed}) | {n} | 10 | estimate | "
                      f"- | {rho:.4f} | {fmt(free)} | {fmt(step)} | {secs:.1f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("subspace", "ssm"), help="one family of rows")
    args = parser.parse_args()
    main(args.quick, args.only)
