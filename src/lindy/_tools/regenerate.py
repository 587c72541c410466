"""Recompute the invariants data file: ``python -m lindy._tools.regenerate``.

A developer tool: nothing in the runtime package imports it.

For every registered flow, map and delay equation, lindy's own analysis code
estimates the dominant period (power spectrum of a long trajectory on the
attractor), a default sampling interval (``period / 100``), the Lyapunov
spectrum (QR method with the Jacobian; for delay equations the largest
exponent, by the QR method on the discretized delay equation), the
Kaplan-Yorke and the correlation dimensions, and for flows the stiffness index
with the ``stiff`` flag that ``simulate(integrator="auto")`` reads (see
``lindy.systems._stiffness``). Results go to ``lindy/systems/data/invariants.json``; nothing
in that file is entered by hand.

For flows the renormalization interval is shortened until the exponents spread
by at most ``LYAP_SPREAD`` e-foldings per interval (longer intervals collapse
the tangent vectors onto the expanding direction, and the negative exponents
come out too small); the averaging time is at least ``LYAP_PERIODS`` periods
and, for chaotic flows, ``LYAP_EFOLDS`` e-folding times of the largest exponent
(at most ten times longer). ``mean_divergence``, the time average of the
Jacobian trace along a trajectory as long, is stored with the spectrum, which
must sum to it.

Options: ``--only NAME [NAME ...]`` to update some systems, ``--jobs N`` worker
processes, ``--jacobians`` to regenerate ``lindy/systems/_equations/jacobians.py``
(needs sympy; see ``symbolic_jacobians``),
``--stiffness`` to update only the stiffness entries of the flows,
``--lyapunov`` to update only their Lyapunov entries.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

__all__ = ["compute_invariants", "main"]

SYSTEMS = Path(__file__).resolve().parents[1] / "systems"
DATA = SYSTEMS / "data" / "invariants.json"
JACOBIANS = SYSTEMS / "_equations" / "jacobians.py"
N_SAMPLES = 2 ** 14
#: flows: averaging time of the Lyapunov spectrum, in periods (at least)
LYAP_PERIODS = 500
#: flows: ... and in e-folding times 1 / lambda_1 of chaotic flows (at most 10 LYAP_PERIODS)
LYAP_EFOLDS = 1000
#: flows: alignment transient of the tangent vectors, in periods
LYAP_SKIP_PERIODS = 25
#: flows: largest spread (lambda_1 - lambda_d) * interval between renormalizations
LYAP_SPREAD = 1.5


def _sig(x: float, digits: int = 3) -> float:
    return float(f"{x:.{digits}g}")


def _velocities(system, grid, X):
    p = system.param_array
    return np.array([system.rhs(float(t), x, p) for t, x in zip(grid, X)])


def _correlation_period(F, dt):
    """2 pi times the 1/e decorrelation time of the velocities (for broadband flows
    without a spectral peak)."""
    F = (F - F.mean(axis=0)) / np.where(F.std(axis=0) > 0, F.std(axis=0), 1.0)
    n = F.shape[0]
    spec = np.abs(np.fft.rfft(F, 2 * n, axis=0)) ** 2
    acf = np.fft.irfft(spec, axis=0)[:n].sum(axis=1)
    acf = acf / acf[0]
    below = np.nonzero(acf < np.exp(-1.0))[0]
    return 2 * np.pi * dt * (below[0] if below.size else n)


def _flow_period(system, x0, rtol=1e-10):
    """Dominant period of the velocity ``f(x(t))`` on the attractor, found iteratively
    (velocities stay bounded even where states drift, e.g. angles), and a state on
    the attractor. Broadband flows without a converging spectral peak fall back to
    2 pi times the velocity decorrelation time."""
    from ..analysis import dominant_period
    from ..systems.integrators import integrate_flow

    f0 = np.linalg.norm(system.rhs(0.0, x0, system.param_array))
    period = 2 * np.pi * float(np.clip(max(np.linalg.norm(x0), 1e-3) / max(f0, 1e-12),
                                       1e-4, 10.0))
    x = np.array(x0, dtype=float)
    converged = False
    for _ in range(6):
        grid = np.arange(4096) * period / 40.0
        X = integrate_flow(system, x, grid, rtol=rtol, max_steps=10_000_000)[0]
        F = _velocities(system, grid, X)
        new = dominant_period(F, grid[1])
        x = X[-1]
        if new > grid[-1] / 20.0:  # no resolved peak: broadband
            period = _correlation_period(F, grid[1])
            break
        converged = 0.7 < new / period < 1.4
        period = new
        if converged:
            break
    grid = np.arange(N_SAMPLES) * period / 50.0
    X = integrate_flow(system, x, grid, rtol=rtol, max_steps=30_000_000)[0]
    if converged:
        final = dominant_period(_velocities(system, grid, X), grid[1])
        if final < grid[-1] / 20.0:
            period = final
    return period, X


def _stiffness(system, period):
    """Stiffness index over 10 periods from the default initial condition, and the flag."""
    from ..systems._stiffness import STIFF_THRESHOLD, stiffness_index
    from ..systems.integrators import integrate_flow

    t = np.linspace(0.0, 10.0 * period, 1001)
    X = integrate_flow(system, system.x0, t, rtol=1e-6, atol=1e-9)[0]
    index = stiffness_index(system, X, period, t)
    return {"stiffness_index": _sig(index, 3), "stiff": bool(index > STIFF_THRESHOLD)}


def _mean_divergence(system, X):
    """Time average of the trace of the Jacobian (the divergence of the vector field)
    over the samples ``X``: analytic Jacobian, else central differences."""
    p = system.param_array
    if system.jac is not None:
        return float(np.mean([np.trace(system.jac(0.0, x, p)) for x in X]))
    h = 1e-7 * (1.0 + np.abs(X).max(axis=0))
    total = 0.0
    for x in X:
        for m in range(system.dim):
            xp = x.copy()
            xm = x.copy()
            xp[m] += h[m]
            xm[m] -= h[m]
            total += (system.rhs(0.0, xp, p)[m] - system.rhs(0.0, xm, p)[m]) / (2.0 * h[m])
    return total / X.shape[0]


def _flow_spectrum(system, x0, period):
    """QR spectrum from ``x0`` and the (renormalization interval, averaging time) used.

    The interval starts at ``period / 4`` and is shortened until the exponents
    spread by at most ``LYAP_SPREAD`` e-foldings over one interval: beyond that the
    tangent vectors collapse onto the expanding direction before each QR and the
    negative exponents come out too small (their sum then misses the mean
    divergence). A chaotic flow is then averaged over ``LYAP_EFOLDS / lambda_1``
    when that is longer than ``LYAP_PERIODS`` periods (at most ten times longer).
    When one of these finer or longer runs fails, the last successful one is kept.
    """
    from ..analysis import lyapunov_spectrum

    def run(tau, t_avg):
        return lyapunov_spectrum(system, x0=x0, tau=tau, n_renorm=max(int(round(t_avg / tau)), 1),
                                 n_transient=int(round(LYAP_SKIP_PERIODS * period / tau)))

    tau, t_avg = period / 4.0, LYAP_PERIODS * period
    spectrum = run(tau, t_avg)
    with contextlib.suppress(ArithmeticError):  # a finer or longer run that fails keeps the last
        for _ in range(6):
            spread = float(spectrum[0] - spectrum[-1])
            if spread * tau <= LYAP_SPREAD:
                break
            finer = 0.5 * LYAP_SPREAD / spread
            spectrum, tau = run(finer, t_avg), finer
        longer = min(LYAP_EFOLDS / spectrum[0], 10.0 * t_avg) if spectrum[0] > 0 else 0.0
        if longer > 1.5 * t_avg:
            spectrum, t_avg = run(tau, longer), longer
    return spectrum, tau, t_avg


#: the entries that ``_flow_lyapunov`` writes (``--lyapunov`` replaces just these)
LYAPUNOV_KEYS = ("max_lyapunov", "lyapunov_spectrum", "lyapunov_method", "lyapunov_interval",
                 "lyapunov_time", "kaplan_yorke_dimension", "mean_divergence", "lyapunov_error")


def _flow_lyapunov(system, x0, period):
    """The Lyapunov entries of a flow, from ``x0`` on the attractor."""
    from ..analysis import kaplan_yorke_dimension
    from ..systems.integrators import integrate_flow

    try:
        spectrum, tau, t_avg = _flow_spectrum(system, x0, period)
    except ArithmeticError as exc:  # keep the period; record why the spectrum is missing
        return {"lyapunov_error": str(exc)}
    out = {
        "max_lyapunov": _sig(spectrum[0], 4),
        "lyapunov_spectrum": [_sig(v, 4) for v in spectrum],
        "lyapunov_method": "qr-jacobian" if system.jac is not None else "qr-finite-difference",
        "lyapunov_interval": _sig(tau, 3),
        "lyapunov_time": _sig(t_avg, 3),
        "kaplan_yorke_dimension": _sig(kaplan_yorke_dimension(spectrum), 4),
    }
    # what the exponents must sum to: the mean divergence along a trajectory as long,
    # sampled every period / 10
    grid = np.arange(int(t_avg / period * 10.0) + 1) * (period / 10.0)
    with contextlib.suppress(ArithmeticError):
        out["mean_divergence"] = _sig(
            _mean_divergence(system, integrate_flow(system, x0, grid)[0]), 4)
    return out


def _flow_invariants(system):
    from ..analysis import correlation_dimension

    x0 = np.asarray(system.x0, dtype=float)
    try:
        period, X = _flow_period(system, x0)
        out = {}
    except ArithmeticError:  # non-smooth (sliding) dynamics: looser tolerance for the period
        period, X = _flow_period(system, x0, rtol=1e-6)
        out = {"period_rtol": 1e-6}
    out.update({"period": _sig(period, 4), "dt": _sig(period / 100.0, 2)})
    with contextlib.suppress(ArithmeticError):
        out.update(_stiffness(system, out["period"]))
    if "period_rtol" in out:
        # tight tolerances failed: a non-smooth (sliding) vector field, whose tangent
        # dynamics are undefined on the switching surface; no spectrum is claimed
        out["lyapunov_error"] = ("non-smooth right-hand side: the variational equations "
                                 "are undefined on its switching surface")
        with contextlib.suppress(ValueError):
            out["correlation_dimension"] = _sig(correlation_dimension(X), 3)
        return out
    out.update(_flow_lyapunov(system, X[-1], period))
    try:
        out["correlation_dimension"] = _sig(correlation_dimension(X), 3)
    except ValueError:
        pass
    return out


def _map_invariants(system):
    from ..analysis import correlation_dimension, kaplan_yorke_dimension, lyapunov_spectrum
    from ..systems.integrators import iterate_map

    X = iterate_map(system, system.x0, N_SAMPLES + 1000)[0, 1000:]
    spectrum = lyapunov_spectrum(system, x0=X[0], n_renorm=20000, n_transient=1000)
    out = {
        "period": 1.0,
        "dt": 1.0,
        "max_lyapunov": _sig(spectrum[0], 4),
        "lyapunov_spectrum": [_sig(v, 4) for v in spectrum],
        "lyapunov_method": "qr-jacobian" if system.jac is not None else "qr-finite-difference",
        "kaplan_yorke_dimension": _sig(kaplan_yorke_dimension(spectrum), 4),
    }
    try:
        out["correlation_dimension"] = _sig(correlation_dimension(X, min_tsep=1), 3)
    except ValueError:  # a periodic orbit: too few distinct pairs
        pass
    return out


def _delay_period(system, x, dts, tau):
    """Dominant period of a delay equation's state; where the state has no resolved
    spectral peak (broadband chaos, or a drifting state), that of its velocity
    ``f(x(t), x(t - tau))`` as for flows, else 2 pi times its decorrelation time."""
    from ..analysis import dominant_period

    record = x.shape[0] * dts
    period = dominant_period(x, dts)
    if period <= record / 20.0:
        return period
    lag = int(round(tau / dts))
    p = system.param_array
    F = np.array([system.rhs(0.0, np.concatenate([x[i], x[i - lag]]), p)
                  for i in range(lag, x.shape[0])])
    period = dominant_period(F, dts)
    return period if period <= record / 20.0 else _correlation_period(F, dts)


def _delay_invariants(system):
    from ..analysis import correlation_dimension, delay_lyapunov_spectrum
    from ..data import delay_embed
    from ..errors import NumericalError
    from ..systems.integrators import integrate_delay

    tau = float(system.params["tau"])
    dts = tau / 20.0
    x = integrate_delay(system, system.x0, np.arange(N_SAMPLES + 2000) * dts)[2000:]
    period = _delay_period(system, x, dts, tau)
    lag = max(1, int(round(tau / dts / 4)))
    out = {"period": _sig(period, 4), "dt": _sig(period / 100.0, 2)}
    try:
        lam = delay_lyapunov_spectrum(system, 1, t_average=20000.0 * tau)
        out.update({"max_lyapunov": _sig(lam[0], 3), "lyapunov_method": "qr-delay-tangent"})
    except NumericalError as exc:
        out["lyapunov_error"] = str(exc)
    try:
        out["correlation_dimension"] = _sig(correlation_dimension(delay_embed(x, 8, lag)), 3)
    except ValueError:
        pass
    return out


def compute_invariants(name: str) -> tuple[str, dict]:
    """Invariants of one registered system.

    Parameters
    ----------
    name : str
        A registered system name.

    Returns
    -------
    name : str
    invariants : dict
        ``period``, ``dt``, ``max_lyapunov``, ``lyapunov_spectrum``,
        ``kaplan_yorke_dimension``, ``correlation_dimension``, ``seconds`` (or
        ``{"error": ...}`` on failure).
    """
    from ..systems import get_system

    system = get_system(name)
    start = time.perf_counter()
    try:
        if system.kind == "map":
            inv = _map_invariants(system)
        elif system.kind == "delay":
            inv = _delay_invariants(system)
        elif system.kind == "flow":
            inv = _flow_invariants(system)
        else:
            return name, {}
    except Exception as exc:  # recorded, so one bad system does not stop the run
        inv = {"error": f"{type(exc).__name__}: {exc}"}
    inv["seconds"] = round(time.perf_counter() - start, 2)
    return name, inv


def compute_lyapunov(name: str) -> tuple[str, dict]:
    """The Lyapunov entries (``LYAPUNOV_KEYS``) of a flow, as ``compute_invariants``
    computes them (from the period it estimates and the end of that trajectory);
    ``main(["--lyapunov"])`` leaves the stored period, ``dt`` and other entries alone.
    """
    from ..systems import get_system

    system = get_system(name)
    start = time.perf_counter()
    try:
        period, X = _flow_period(system, np.asarray(system.x0, dtype=float))
        inv = _flow_lyapunov(system, X[-1], period)
    except Exception as exc:  # recorded, so one bad system does not stop the run
        inv = {"lyapunov_error": f"{type(exc).__name__}: {exc}"}
    inv["seconds"] = round(time.perf_counter() - start, 2)
    return name, inv


def main(argv=None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default ``sys.argv[1:]``): ``--only``, ``--jobs``, ``--stiffness``,
        ``--lyapunov``, ``--jacobians``.

    Returns
    -------
    int
        Exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m lindy._tools.regenerate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="system names to update")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--stiffness", action="store_true",
                        help="update only the stiffness index and flag of the flows")
    parser.add_argument("--lyapunov", action="store_true",
                        help="update only the Lyapunov entries of the flows")
    parser.add_argument("--jacobians", action="store_true",
                        help="regenerate systems/_equations/jacobians.py by symbolic differentiation "
                             "(sympy)")
    args = parser.parse_args(argv)
    if args.jacobians:
        from ..systems._collection import load_collection
        from .symbolic_jacobians import generate_jacobians

        JACOBIANS.write_text(generate_jacobians(load_collection()), encoding="utf-8")
        print(f"wrote {JACOBIANS}")
        return 0
    from .. import __version__
    from ..systems import get_system, list_systems

    names = args.only or list_systems()
    if args.stiffness:
        current = json.loads(DATA.read_text(encoding="utf-8")) if DATA.is_file() else {}
        _update_stiffness(current, names)
        _write(current, __version__)
        return 0
    computed = {}
    with ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        if args.lyapunov:
            stored = json.loads(DATA.read_text(encoding="utf-8")) if DATA.is_file() else {}
            futures = [pool.submit(compute_lyapunov, n) for n in names
                       if get_system(n).kind == "flow" and "period_rtol" not in stored.get(n, {})]
        else:
            futures = [pool.submit(compute_invariants, n) for n in names]
        for fut in as_completed(futures):
            name, inv = fut.result()
            if inv:
                computed[name] = inv
            status = inv.get("error", inv.get("lyapunov_error", f"lambda1={inv.get('max_lyapunov')}"))
            if "period" in inv:
                status += f" period={inv['period']}"
            print(f"{name:28s} {inv.get('seconds', 0):7.2f}s  {status}", flush=True)
    # read the file only now: entries written meanwhile (other systems) are kept
    current = json.loads(DATA.read_text(encoding="utf-8")) if DATA.is_file() else {}
    for name, inv in computed.items():
        if args.lyapunov:  # keeps the other entries, and the seconds of the full run
            entry = {k: v for k, v in current.get(name, {}).items() if k not in LYAPUNOV_KEYS}
            entry.update({k: v for k, v in inv.items() if k != "seconds"})
            current[name] = entry
        else:
            current[name] = inv
    _write(current, __version__)
    return 0


def _update_stiffness(current, names):
    from ..systems import get_system

    for name in names:
        system = get_system(name)
        period = current.get(name, {}).get("period")
        if system.kind != "flow" or not period:
            continue
        try:
            current[name].update(_stiffness(system, float(period)))
        except ArithmeticError as exc:
            print(f"{name:28s} skipped: {exc}", flush=True)
            continue
        print(f"{name:28s} stiffness index {current[name]['stiffness_index']}", flush=True)


def _write(current, version):
    current["__about__"] = {"generator": "python -m lindy._tools.regenerate",
                            "lindy_version": version}
    ordered = {k: current[k] for k in sorted(current)}
    tmp = DATA.with_suffix(".tmp")
    tmp.write_text(json.dumps(ordered, indent=1) + "\n", encoding="utf-8")
    tmp.replace(DATA)


if __name__ == "__main__":
    sys.exit(main())
