"""Reservoir computing: lindy's NVAR and ESN side by side with reservoirpy (the anchor).

Run ``python benchmarks/bench_reservoir.py`` (``--seeds 3`` for a shorter run). BLAS
runs on one thread for both libraries and times are CPU times of this process
(best of 5): on a shared machine, wall times and a multi-threaded BLAS under
oversubscription make the timings of both meaningless.

1. NVAR under the published Lorenz-63 protocol of Gauthier et al. (2021):
   scipy RK23 at default tolerances from their initial point, dt 0.025,
   trials starting 5 + 10 i time units in, 400 training points, 44-step
   (one Lyapunov time) closed-loop forecast, NRMSE normalized by the total
   variance of the run; the same protocol on high-accuracy data (DOP853).
2. Speed and accuracy per seed: training, and a 10^4-step closed-loop
   generation, of lindy and reservoirpy with the same features (NVAR) or the
   same reservoir matrices (ESN); NRMSE over the first Lyapunov time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import reservoirpy
import threadpoolctl
from reservoirpy import ESN as RpyESN
from reservoirpy.nodes import NVAR as RpyNVAR
from reservoirpy.nodes import Reservoir as RpyReservoir
from reservoirpy.nodes import Ridge as RpyRidge
from scipy.integrate import solve_ivp

import lindy as ld
from lindy.reservoir._reservoir import reservoir_states

X0 = [17.67715816276679, 12.931379185960404, 43.91404334248268]
DT, N_TRAIN, N_LYAP, N_GEN = 0.025, 400, 44, 10_000


def lorenz(t, y):
    return [10.0 * (y[1] - y[0]), y[0] * (28.0 - y[2]) - y[1], y[0] * y[1] - 8.0 / 3.0 * y[2]]


def solution(n_trials: int, method: str = "RK23", **tol) -> np.ndarray:
    n = int(round((5.0 + 10.0 * n_trials + 2.0) / DT))
    t = DT * np.arange(n + 1)
    return solve_ivp(lorenz, (0.0, t[-1]), X0, t_eval=t, method=method, **tol).y.T


def window(i: int) -> int:
    return int(round((5.0 + 10.0 * i) / DT))


REPEATS = 5
#: CPU time of this process: with BLAS on one thread and no threads of either library,
#: it is the work done, and other processes on a shared machine do not inflate it
clock = time.process_time


def best_of(func, repeats=None):
    """(result, best CPU time) over ``repeats`` calls."""
    best, out = np.inf, None
    for _ in range(repeats or REPEATS):
        t0 = clock()
        out = func()
        best = min(best, clock() - t0)
    return out, best


def nrmse_var(truth, pred, total_var) -> float:
    with np.errstate(all="ignore"):
        e = float(np.sqrt(np.mean((truth - pred) ** 2) / total_var))
    return e if np.isfinite(e) else np.inf


def lindy_nvar(train, horizon, repeats=1, **params):
    model, t_fit = best_of(lambda: ld.reservoir.NVAR(**params).fit(train), repeats)
    fc, t_gen = best_of(lambda: model.forecast(train, horizon=horizon).x, repeats)
    return fc, t_fit, t_gen


def _rpy_nvar_fit(train, n_delays, degree, alpha):
    model = RpyNVAR(delay=n_delays, order=degree, strides=1) >> RpyRidge(ridge=alpha)
    return model.fit(train[:-1], train[1:] - train[:-1], warmup=n_delays - 1)


def rpy_nvar(train, horizon, repeats=1, n_delays=2, degree=2, alpha=2.5e-6):
    model, t_fit = best_of(lambda: _rpy_nvar_fit(train, n_delays, degree, alpha), repeats)
    # time only the closed loop (the state restore is excluded)
    gen, t_gen = best_of(lambda: _timed_rpy_generate(model, train, horizon), repeats)
    return gen[0], t_fit, min(t_gen, gen[1])


def _timed_rpy_generate(model, train, horizon):
    model.reset()
    model.run(train[:-1])
    x = train[-1]
    out = np.empty((horizon, train.shape[1]))
    t0 = clock()
    with np.errstate(all="ignore"):
        for j in range(horizon):
            x = x + model(x)
            out[j] = x
    return out, clock() - t0


def protocol(n_trials: int) -> None:
    print(f"== NVAR, published Lorenz-63 protocol ({n_trials} trials; Gauthier et al. 2021: "
          "NRMSE 2.1e-3 +- 0.4e-3 over 10)")
    rk23 = solution(n_trials)
    dop = solution(n_trials, "DOP853", rtol=1e-12, atol=1e-12)
    rows = [("lindy  RK23   alpha=2.5e-6", rk23, "lindy", {"alpha": 2.5e-6}),
            ("rpy    RK23   alpha=2.5e-6", rk23, "rpy", {"alpha": 2.5e-6}),
            ("lindy  DOP853 alpha=2.5e-6", dop, "lindy", {"alpha": 2.5e-6}),
            ("rpy    DOP853 alpha=2.5e-6", dop, "rpy", {"alpha": 2.5e-6}),
            ("lindy  DOP853 alpha=0.3", dop, "lindy", {"alpha": 0.3}),
            ("rpy    DOP853 alpha=0.3", dop, "rpy", {"alpha": 0.3}),
            ("lindy  DOP853 n_delays=1 degree=3 alpha=1e-3", dop, "lindy",
             {"n_delays": 1, "degree": 3, "alpha": 1e-3})]
    for label, sol, who, params in rows:
        total_var = sol.var(axis=0).sum()
        errs = []
        for i in range(n_trials):
            w = window(i)
            train, truth = sol[w - 1: w + N_TRAIN], sol[w + N_TRAIN: w + N_TRAIN + N_LYAP]
            run = lindy_nvar if who == "lindy" else rpy_nvar
            fc = run(train, N_LYAP, **params)[0]
            errs.append(nrmse_var(truth, fc, total_var))
        errs = np.array(errs)
        fin = errs[np.isfinite(errs)]
        print(f"  {label:46s} median {np.median(errs):.2e}  first-10 mean "
              f"{np.mean(errs[:10]):.2e}  finite {fin.size}/{errs.size}")


def speed_nvar(seeds) -> None:
    print(f"== NVAR speed: 400-point fit, {N_GEN}-step generation (RK23 protocol data)")
    sol = solution(max(seeds) + 1)
    total_var = sol.var(axis=0).sum()
    lindy_nvar(sol[:50], 5)                       # compile once
    rows = []
    for i in seeds:
        w = window(i)
        train, truth = sol[w - 1: w + N_TRAIN], sol[w + N_TRAIN: w + N_TRAIN + N_LYAP]
        fl, tfl, tgl = lindy_nvar(train, N_GEN, repeats=REPEATS, alpha=2.5e-6)
        fr, tfr, tgr = rpy_nvar(train, N_GEN, repeats=REPEATS)
        rows.append((nrmse_var(truth, fl[:N_LYAP], total_var), nrmse_var(truth, fr[:N_LYAP], total_var),
                     tfl, tfr, tgl, tgr))
    _report(rows, seeds)
    return rows


def lorenz_esn_data(seed: int, n: int) -> np.ndarray:
    sysm = ld.systems.get_system("Lorenz")
    return ld.systems.simulate(sysm, n_steps=n, dt=0.02, transient=500, random_state=seed,
                               ic_spread=0.5, n_traj=1)[0].x


def speed_esn(seeds, state_dim=500, n_train=4000) -> None:
    print(f"== ESN speed: N={state_dim}, {n_train}-step fit, {N_GEN}-step generation "
          "(Lorenz dt 0.02, same reservoir in both)")
    params = dict(state_dim=state_dim, spectral_radius=0.9, input_scaling=0.3, density=0.02,
                  alpha=1e-7, warmup=100, leak_rate=1.0)
    n_lyap = int(round(1.104 / 0.02))
    ld.reservoir.ESN(**{**params, "state_dim": 20}).fit(np.random.default_rng(0).random((200, 3)))
    rows, runs = [], []
    for seed in seeds:
        x = lorenz_esn_data(seed, n_train + n_lyap + 1)
        train, truth = x[:n_train], x[n_train: n_train + n_lyap]
        scale2 = x.var(axis=0).sum()
        ld.reservoir.make_reservoir(state_dim, 3, 0.9, 0.3, 0.02, 1.0, seed)   # built outside timing
        esn, tfl = best_of(lambda s=seed, x=train: ld.reservoir.ESN(**params, random_state=s).fit(x))
        fl, tgl = best_of(lambda e=esn, x=train: e.forecast(x, horizon=N_GEN).x)
        m = esn.model_
        zz = (train - m.mean) / m.scale
        res = m.reservoir

        def rpy_fit(res=res, zz=zz):
            rpy = RpyESN(reservoir=RpyReservoir(W=res.matrix(), Win=res.W_in.copy(), bias=0.0,
                                                lr=res.leak_rate),
                         readout=RpyRidge(ridge=params["alpha"]), input_to_readout=True)
            return rpy.fit(zz[:-1], zz[1:], warmup=params["warmup"])

        rpy, tfr = best_of(rpy_fit)

        def rpy_generate(rpy=rpy, zz=zz):
            rpy.reset()
            y = rpy.run(zz)[-1]            # warm-up on the context (lindy's forecast does it too)
            out = np.empty((N_GEN, 3))
            for j in range(N_GEN):
                out[j] = y
                y = rpy(y)
            return out

        out, tgr = best_of(rpy_generate)
        fr = out * m.scale + m.mean
        # the teacher-forced reservoir run alone (the rest of a fit is the same BLAS Gram)
        node = RpyReservoir(W=res.matrix(), Win=res.W_in.copy(), bias=0.0, lr=res.leak_rate)
        node.run(zz[:10])
        runs.append((best_of(lambda r=res, z=zz: reservoir_states(r, z))[1],
                     best_of(lambda nd=node, z=zz: (nd.reset(), nd.run(z)))[1]))
        rows.append((nrmse_var(truth, fl[:n_lyap], scale2), nrmse_var(truth, fr[:n_lyap], scale2),
                     tfl, tfr, tgl, tgr))
    _report(rows, seeds)
    r = np.array(runs)
    print(f"  teacher-forced reservoir run alone ({n_train} steps): lindy {np.median(r[:, 0]) * 1e3:.1f}ms, "
          f"rpy {np.median(r[:, 1]) * 1e3:.1f}ms, ratio min {(r[:, 1] / r[:, 0]).min():.1f}x")
    return rows


def _report(rows, seeds) -> None:
    print("  seed  NRMSE lindy  NRMSE rpy   fit lindy  fit rpy  ratio   gen lindy  gen rpy  ratio")
    for s, (el, er, fl, fr, gl, gr) in zip(seeds, rows):
        print(f"  {s:4d}  {el:11.2e}  {er:9.2e}   {fl * 1e3:7.1f}ms {fr * 1e3:6.0f}ms {fr / fl:6.1f}x"
              f"  {gl * 1e3:7.1f}ms {gr * 1e3:6.0f}ms {gr / gl:6.1f}x")
    a = np.array(rows)
    fit_ratio, gen_ratio = a[:, 3] / a[:, 2], a[:, 5] / a[:, 4]
    print(f"  median NRMSE lindy {np.median(a[:, 0]):.2e}  rpy {np.median(a[:, 1]):.2e};  "
          f"fit ratio min {fit_ratio.min():.1f}x median {np.median(fit_ratio):.1f}x;  "
          f"generation ratio min {gen_ratio.min():.1f}x median {np.median(gen_ratio):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--state-dims", type=int, nargs="+", default=[200, 500])
    args = parser.parse_args()
    print(f"lindy {ld.__version__}, reservoirpy {reservoirpy.__version__}; BLAS limited to one "
          f"thread for both; CPU times, best of {REPEATS}")
    seeds = list(range(args.seeds))
    with threadpoolctl.threadpool_limits(1):
        protocol(args.trials)
        speed_nvar(seeds)
        for n in args.state_dims:
            speed_esn(seeds, state_dim=n)


if __name__ == "__main__":
    main()
