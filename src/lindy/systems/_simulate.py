"""``simulate``: trajectories of any system kind, in batches, with noise and observation."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_nonnegative_float, check_positive_int, check_rng
from ..data import Trajectory, TrajectorySet
from ..errors import ValidationError
from . import _cache
from ._system import System
from .integrators import (
    integrate_delay,
    integrate_flow,
    integrate_sde,
    integrate_stiff,
    iterate_map,
)

__all__ = ["simulate", "INTEGRATORS"]

#: flow integrators accepted by ``simulate(integrator=...)``
INTEGRATORS = ("auto", "dop853", "rodas4")


def _flow_integrator(system: System, integrator) -> str:
    """The integrator for ``system``: "auto" is RODAS4 if ``meta["stiff"]``, else
    "auto" (DOP853 that hands stiff trajectories over to RODAS4)."""
    if not isinstance(integrator, str) or integrator not in INTEGRATORS:
        raise ValidationError(f"integrator must be one of {INTEGRATORS}; got {integrator!r}.")
    if integrator == "auto" and system.meta.get("stiff"):
        return "rodas4"
    return integrator


def _initial_conditions(system: System, x0, n_traj: int, spread: float, rng) -> np.ndarray:
    if x0 is not None:
        X0 = check_array(x0, "x0", ndim=(1, 2))
        X0 = X0[None, :] if X0.ndim == 1 else X0
        if X0.shape[1] != system.dim:
            raise ValidationError(
                f"x0 must have {system.dim} entries for {system.name}; got {X0.shape[1]}.")
        if X0.shape[0] == 1 and n_traj > 1:
            X0 = np.repeat(X0, n_traj, axis=0)
        if X0.shape[0] != n_traj:
            raise ValidationError(f"x0 has {X0.shape[0]} rows but n_traj={n_traj}.")
        return X0
    base = np.asarray(system.x0, dtype=float)
    scale = spread * np.maximum(np.abs(base), 1e-3 * max(float(np.abs(base).max()), 1e-3))
    X0 = base + scale * rng.standard_normal((n_traj, system.dim))
    X0[0] = base
    return X0


def _sampling(system, n_steps, dt, t, pts_per_period, transient):
    """Output times (including the transient) and the sampling interval."""
    if pts_per_period is not None:
        check_positive_int(pts_per_period, "pts_per_period")
        period = system.meta.get("period")
        if not period:
            raise ValidationError(
                f"{system.name} has no known period; pass dt instead of pts_per_period.")
        dt = float(period) / pts_per_period
        if system.kind == "map":
            dt = max(1.0, float(round(dt)))
    dt = system.dt if dt is None else dt
    if not np.isfinite(dt) or dt <= 0:
        raise ValidationError(f"dt must be a positive number; got {dt!r}.")
    if system.kind == "map" and dt != int(dt):
        raise ValidationError(
            f"{system.name} is a map: dt must be a whole number of iterations; got {dt}.")
    if t is not None:
        t = check_array(t, "t", ndim=1, min_rows=2)
        if not np.all(np.diff(t) > 0):
            raise ValidationError("t must be strictly increasing; sort the sample times.")
        if system.kind == "map" and not np.all(t == np.round(t)):
            raise ValidationError(f"{system.name} is a map: sample times t must be integers.")
        rel = t - t[0]
        return np.concatenate([np.arange(transient) * dt, rel + transient * dt]), dt
    if n_steps is None:
        raise ValidationError("Pass n_steps (regular grid) or t (sample times).")
    n_steps = check_positive_int(n_steps, "n_steps", minimum=2)
    return np.arange(n_steps + transient) * dt, dt


def _observe(x: np.ndarray, observe, name: str) -> np.ndarray:
    if observe is None:
        return x
    if callable(observe):
        y = np.asarray(observe(x), dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        if y.ndim != 2 or y.shape[0] != x.shape[0]:
            raise ValidationError(
                f"observe must map states (T, d) to outputs (T, p); got shape {y.shape} "
                f"for T={x.shape[0]}.")
        return y
    idx = np.atleast_1d(np.asarray(observe))
    if idx.dtype.kind not in "iu" or idx.ndim != 1 or idx.size == 0:
        raise ValidationError(
            f"observe must be a callable or a list of state indices; got {observe!r}.")
    if idx.min() < -x.shape[1] or idx.max() >= x.shape[1]:
        raise ValidationError(
            f"observe indices {idx.tolist()} are out of range for {name} (dim {x.shape[1]}).")
    return x[:, idx]


def _clean_batch(system, X0, grid, rtol, atol, history, cache, integrator="dop853"):
    """Deterministic trajectories (B, T, d), from the cache when possible."""
    key = directory = None
    if cache and system.kind != "sde":
        directory = _cache.cache_dir(cache)
        key = _cache.trajectory_key(system, X0, grid, integrator if system.kind == "flow"
                                    else system.kind, rtol=rtol, atol=atol,
                                    history=None if history is None else repr(history))
        hit = _cache.load(directory, key)
        if hit is not None and hit.shape == (X0.shape[0], grid.size, system.dim):
            return hit
    if system.kind == "flow" and integrator == "rodas4":
        out = integrate_stiff(system, X0, grid, rtol=rtol, atol=atol)[0]
    elif system.kind == "flow" and integrator == "auto":
        out, stiff = integrate_flow(system, X0, grid, rtol=rtol, atol=atol, detect_stiff=True)
        if stiff.any():
            out[stiff] = integrate_stiff(system, X0[stiff], grid, rtol=rtol, atol=atol)[0]
    elif system.kind == "flow":
        out = integrate_flow(system, X0, grid, rtol=rtol, atol=atol)
    elif system.kind == "map":
        every = int(grid[1] - grid[0]) if grid.size > 1 else 1
        if grid.size > 2 and not np.all(np.diff(grid) == every):
            full = iterate_map(system, X0, int(grid[-1]) + 1, 1)
            out = np.ascontiguousarray(full[:, grid.astype(int)])
        else:
            out = iterate_map(system, X0, grid.size, every)
    else:  # delay
        out = np.stack([integrate_delay(system, x0, grid, history=history) for x0 in X0])
    if key is not None:
        _cache.store(directory, key, out)
    return out


def _noisy_batch(system, X0, grid, sigma, rng, history):
    """Trajectories with process noise (stochastic systems or ``diffusion``)."""
    if system.kind == "delay":
        return np.stack([integrate_delay(system, x0, grid, history=history,
                                         sigma=float(np.max(sigma)), random_state=rng)
                         for x0 in X0])
    return np.stack([integrate_sde(system, x0, grid, sigma, rng) for x0 in X0])


def _diffusion(system, diffusion) -> np.ndarray | None:
    if diffusion is not None and np.any(np.asarray(diffusion) != 0):
        sig = np.asarray(diffusion, dtype=float)
        if sig.ndim > 1 or (sig.ndim == 1 and sig.size != system.dim) or np.any(sig < 0):
            raise ValidationError(
                f"diffusion must be a nonnegative scalar or {system.dim} values; got "
                f"{diffusion!r}.")
        return np.broadcast_to(sig, (system.dim,)).copy()
    if system.kind == "sde":
        sig = np.zeros(system.dim)
        dims = system.meta.get("noise_dims", list(range(system.dim)))
        sig[dims] = system.params.get("sigma", 0.0)
        return sig
    return None


def _tolerances(system: System, rtol, atol) -> tuple[float, float]:
    """The flow tolerances: as given, else 1e-10/1e-12, or the system's recorded ones.

    Examples
    --------
    >>> from lindy.systems import get_system
    >>> _tolerances(get_system("Lorenz"), None, None)
    (1e-10, 1e-12)
    >>> _tolerances(get_system("StickSlipOscillator"), None, None)
    (1e-06, 1e-08)
    >>> _tolerances(get_system("StickSlipOscillator"), 1e-9, None)
    (1e-09, 1e-08)
    """
    loose = system.meta.get("period_rtol")  # tight tolerances fail on a switching surface
    default_rtol, default_atol = (1e-10, 1e-12) if loose is None else (loose, 1e-2 * loose)
    return (default_rtol if rtol is None else float(rtol),
            default_atol if atol is None else float(atol))


def simulate(system: System, n_steps: int | None = None, dt: float | None = None, x0=None,
             n_traj: int = 1, obs_noise: float = 0.0, random_state=None, *,
             pts_per_period: int | None = None, transient: int = 0, ic_spread: float = 0.1,
             rtol: float | None = None, atol: float | None = None, t=None, diffusion=None,
             observe=None, standardize: bool = False, history=None,
             cache=None, integrator: str = "auto") -> TrajectorySet:
    """Simulate trajectories of a flow, map, delay equation or SDE.

    Parameters
    ----------
    system : System
        From :func:`lindy.systems.get_system`.
    n_steps : int, optional
        Samples per trajectory on a regular grid (after the transient).
    dt : float, optional
        Sampling interval; default ``system.dt`` (maps: a whole number of iterations).
    x0 : array_like, shape (dim,) or (n_traj, dim), optional
        Initial conditions. Default: ``system.x0`` for the first trajectory and
        Gaussian perturbations of it (relative size ``ic_spread``) for the others.
    n_traj : int, default 1
        Number of trajectories (integrated as one compiled batch).
    obs_noise : float, default 0
        Observation noise as a fraction of the signal's std: Gaussian with standard
        deviation ``obs_noise`` times the standard deviation of each output of the
        clean trajectory.
    random_state : int, Generator or None
        Randomness of the initial-condition perturbations, process and observation
        noise.
    pts_per_period : int, optional
        Sample this many points per dominant period (``system.meta["period"]``,
        computed by :mod:`lindy.analysis`); overrides ``dt``. The dysts protocol.
    transient : int, default 0
        Number of initial samples to integrate and discard.
    ic_spread : float, default 0.1
        Relative size of the random initial-condition perturbations.
    rtol, atol : float, optional
        Tolerances of the adaptive flow integrator; default 1e-10 and 1e-12. A
        non-smooth vector field for which tight tolerances fail (its recorded
        ``system.meta["period_rtol"]``, e.g. StickSlipOscillator, whose orbits
        slide along the switching surface of its ``sign`` friction: there the
        local error is of the order of the jump times the step, so the step
        collapses to ~1e-9 and one trajectory takes minutes) is integrated at
        that relative tolerance, ``atol`` 100 times smaller, by default.
    t : array_like, shape (T,), optional
        Irregular, strictly increasing sample times (instead of ``n_steps``/``dt``).
    diffusion : float or array_like, optional
        Additive process-noise intensity ``sigma`` per state (an absolute value, not
        a fraction of the signal's std): flows integrate ``dx = f dt + sigma dW``
        by Euler-Maruyama, delay equations add ``sigma sqrt(h) xi`` after each RK4
        step, maps add ``sigma xi`` after each iteration. Stochastic
        (``kind="sde"``) systems use their ``sigma`` parameter.
    observe : callable or sequence of int, optional
        Partial observation: state indices to keep, or a function mapping the
        states (T, d) to outputs (T, p).
    standardize : bool, default False
        Shift and scale each output to zero mean and unit variance (statistics
        over all trajectories; stored in each trajectory's ``meta``).
    history : callable, optional
        Delay equations: ``history(t)`` for ``t`` in ``[-tau, 0]`` (default: constant x0).
    cache : bool or path, optional
        Cache deterministic trajectories on disk (``True``: ``~/.cache/lindy``).
    integrator : {"auto", "dop853", "rodas4"}, default "auto"
        Flow integrator: explicit adaptive DOP853, or the linearly implicit
        Rosenbrock method RODAS4 (order 4(3), L-stable; analytic or
        finite-difference Jacobian) for stiff flows. ``"auto"`` uses RODAS4 when
        ``system.meta["stiff"]`` is true (set by the regenerate script from the
        measured stiffness index at the default parameters, see
        ``lindy.systems._stiffness``), and otherwise DOP853 with Hairer's
        stiffness test: a trajectory whose step size turns out limited by
        stability rather than accuracy (e.g. after ``with_params``) is
        integrated again with RODAS4.

    Returns
    -------
    TrajectorySet
        ``n_traj`` trajectories; each one's ``meta`` records the system, its
        parameters and the noise levels.

    Examples
    --------
    >>> import lindy as ld
    >>> lorenz = ld.systems.get_system("Lorenz")
    >>> ld.systems.simulate(lorenz, n_steps=100, n_traj=2, random_state=0)
    TrajectorySet(n=2, T=100, d=3)
    >>> ld.systems.simulate(lorenz, n_steps=50, observe=[0], obs_noise=0.1,
    ...                     random_state=0)[0].x.shape
    (50, 1)
    """
    if not isinstance(system, System):
        raise ValidationError(
            f"simulate needs a System (see get_system); got {type(system).__name__}.")
    n_traj = check_positive_int(n_traj, "n_traj")
    transient = check_positive_int(transient, "transient", minimum=0)
    obs_noise = check_nonnegative_float(obs_noise, "obs_noise")
    flow_integrator = _flow_integrator(system, integrator)
    rtol, atol = _tolerances(system, rtol, atol)
    rng = check_rng(random_state)
    grid, dt = _sampling(system, n_steps, dt, t, pts_per_period, transient)
    X0 = _initial_conditions(system, x0, n_traj, ic_spread, rng)
    sigma = _diffusion(system, diffusion)
    if sigma is None:
        X = _clean_batch(system, X0, grid, rtol, atol, history, cache, flow_integrator)
    else:
        X = _noisy_batch(system, X0, grid, sigma, rng, history)
    times = grid[transient:] - grid[transient]
    if t is not None:
        times = times + float(np.asarray(t, dtype=float)[0])
    Y = [_observe(x[transient:], observe, system.name) for x in X]
    if obs_noise > 0:
        Y = [y + obs_noise * y.std(axis=0) * rng.standard_normal(y.shape) for y in Y]
    extra = {}
    if standardize:
        stacked = np.concatenate(Y)
        mean, std = stacked.mean(axis=0), stacked.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        Y = [(y - mean) / std for y in Y]
        extra["standardization"] = {"mean": mean, "std": std}
    meta = {"system": system.name, "params": dict(system.params), "obs_noise": obs_noise,
            "diffusion": None if sigma is None else sigma.tolist(), "dt": dt, **extra}
    return TrajectorySet([Trajectory(t=times, x=y, meta=dict(meta)) for y in Y])
