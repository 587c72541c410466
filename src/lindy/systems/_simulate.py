"""``simulate``: trajectories of a system on a regular grid, in batches, with noise."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_nonnegative_float, check_positive_int, check_rng
from ..data import Trajectory, TrajectorySet
from ..errors import ValidationError
from ._integrate import integrate_flow, iterate_map
from ._system import System

__all__ = ["simulate"]


def _initial_conditions(system: System, x0, n_traj: int, spread: float, rng) -> np.ndarray:
    if x0 is not None:
        X0 = check_array(x0, "x0", ndim=(1, 2))
        X0 = X0[None, :] if X0.ndim == 1 else X0
        if X0.shape[1] != system.dim:
            raise ValidationError(f"x0 must have {system.dim} entries for {system.name}; got {X0.shape[1]}.")
        if X0.shape[0] == 1 and n_traj > 1:
            X0 = np.repeat(X0, n_traj, axis=0)
        if X0.shape[0] != n_traj:
            raise ValidationError(f"x0 has {X0.shape[0]} rows but n_traj={n_traj}.")
        return X0
    base = np.asarray(system.x0, dtype=float)
    scale = spread * max(float(np.abs(base).max()), 1e-3)
    X0 = base + scale * rng.standard_normal((n_traj, system.dim))
    X0[0] = base
    return X0


def simulate(system: System, n_steps: int, dt: float | None = None, x0=None, n_traj: int = 1,
             noise: float = 0.0, seed=None, *, pts_per_period: int | None = None,
             transient: int = 0, ic_spread: float = 0.1, rtol: float = 1e-10,
             atol: float = 1e-12) -> TrajectorySet:
    """Simulate trajectories of a system on a regular time grid.

    Parameters
    ----------
    system : System
        From :func:`lindy.systems.get_system`.
    n_steps : int
        Samples per trajectory (after the transient).
    dt : float, optional
        Sampling interval; default ``system.dt`` (1 for maps, where ``dt`` must be
        an integer number of iterations).
    x0 : array_like, shape (dim,) or (n_traj, dim), optional
        Initial conditions. Default: ``system.x0`` for the first trajectory and
        Gaussian perturbations of it (relative size ``ic_spread``) for the others.
    n_traj : int, default 1
        Number of trajectories.
    noise : float, default 0
        Observation noise: Gaussian with standard deviation ``noise`` times the
        standard deviation of each coordinate of the clean trajectory.
    seed : int or Generator, optional
        Seed for the initial-condition perturbations and the noise.
    pts_per_period : int, optional
        Sample ``pts_per_period`` points per dominant period (``system.meta["period"]``);
        overrides ``dt``.
    transient : int, default 0
        Number of initial samples to integrate and discard.
    ic_spread : float, default 0.1
        Relative size of the random initial-condition perturbations.
    rtol, atol : float
        Tolerances of the adaptive integrator (flows).

    Returns
    -------
    TrajectorySet
        ``n_traj`` trajectories of ``n_steps`` samples; each one's ``meta`` records
        the system, its parameters and the noise level.

    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=100, n_traj=2, seed=0)
    >>> data
    TrajectorySet(n=2, T=100, d=3)
    """
    if not isinstance(system, System):
        raise ValidationError(f"simulate needs a System (see get_system); got {type(system).__name__}.")
    n_steps = check_positive_int(n_steps, "n_steps", minimum=2)
    n_traj = check_positive_int(n_traj, "n_traj")
    transient = check_positive_int(transient, "transient", minimum=0)
    noise = check_nonnegative_float(noise, "noise")
    rng = check_rng(seed)
    if pts_per_period is not None:
        check_positive_int(pts_per_period, "pts_per_period")
        period = system.meta.get("period")
        if not period:
            raise ValidationError(f"{system.name} has no known period; pass dt instead of pts_per_period.")
        dt = float(period) / pts_per_period
        if system.kind == "map":
            dt = max(1.0, round(dt))
    dt = system.dt if dt is None else dt
    if not np.isfinite(dt) or dt <= 0:
        raise ValidationError(f"dt must be a positive number; got {dt!r}.")
    if system.kind == "map" and (dt != int(dt)):
        raise ValidationError(f"{system.name} is a map: dt must be a whole number of iterations; got {dt}.")
    if system.kind not in ("flow", "map"):
        raise ValidationError(f"simulate does not handle systems of kind {system.kind!r} yet.")
    X0 = _initial_conditions(system, x0, n_traj, ic_spread, rng)
    total = n_steps + transient
    t = np.arange(total) * dt
    trajs = []
    for i in range(n_traj):
        if system.kind == "map":
            x = iterate_map(system, X0[i], total, int(dt))
        else:
            x = integrate_flow(system, X0[i], t, rtol=rtol, atol=atol)
        x = x[transient:]
        if noise > 0:
            x = x + noise * x.std(axis=0) * rng.standard_normal(x.shape)
        meta = {"system": system.name, "params": dict(system.params), "noise": noise}
        trajs.append(Trajectory(t=t[transient:] - t[transient], x=x, meta=meta))
    return TrajectorySet(trajs)
