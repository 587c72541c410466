"""Benchmark protocols: how data are made, how a method is fitted and scored.

The ``forecast`` protocol (after Gilpin 2021): simulate ``n_traj`` training
trajectories and one test trajectory from initial conditions sampled on the
attractor (at random times of a long run; random states for linear systems), add
observation noise to what the method sees, fit, forecast ``horizon`` steps from
the first ``context`` samples of the test trajectory, and score against the clean
truth with sMAPE, NRMSE and the valid prediction time (in Lyapunov times when the
system is chaotic).
"""

from __future__ import annotations

import functools
import json
import time

import numpy as np

from ..data import Trajectory, TrajectorySet
from ..errors import UnknownNameError, ValidationError
from ..metrics import nrmse, smape, valid_prediction_time
from ..systems import get_system, simulate

__all__ = ["PROTOCOL_DEFAULTS", "run_protocol", "make_forecast_data"]

#: default settings of each protocol
PROTOCOL_DEFAULTS: dict[str, dict] = {
    "forecast": {
        "n_train": 2000,      # samples per training trajectory
        "n_traj": 2,          # training trajectories
        "context": 50,        # samples of the test trajectory given to forecast
        "horizon": 500,       # forecast steps scored
        "obs_noise": 0.0,     # observation noise (fraction of each coordinate's std)
        "transient": 500,     # samples integrated and discarded first
        "pts_per_period": None,
    },
}


def _settings(protocol: dict) -> dict:
    name = protocol.get("name", "forecast")
    if name not in PROTOCOL_DEFAULTS:
        raise UnknownNameError(f"No protocol named {name!r}; known: {sorted(PROTOCOL_DEFAULTS)}.")
    unknown = set(protocol) - set(PROTOCOL_DEFAULTS[name]) - {"name"}
    if unknown:
        raise ValidationError(f"Unknown settings {sorted(unknown)} for protocol {name!r}.")
    return {**PROTOCOL_DEFAULTS[name], **protocol, "name": name}


def _initial_states(system, n: int, s: dict, rng) -> np.ndarray:
    """Initial states: points on the attractor (random times along a long run from the
    default initial condition), or random states of the size of ``x0`` for linear
    systems, which have no attractor to sample."""
    if system.meta.get("linear"):
        scale = max(float(np.abs(system.x0).max()), 1e-3)
        return scale * rng.standard_normal((n, system.dim))
    spacing = 200
    run = simulate(system, n_steps=spacing * n + 1, pts_per_period=s["pts_per_period"],
                   transient=s["transient"])[0].x
    picks = rng.choice(run.shape[0] - 1, size=n, replace=False)
    return run[np.sort(picks)]


@functools.lru_cache(maxsize=16)
def _cached_data(system_name: str, settings_json: str, random_state: int):
    s = json.loads(settings_json)
    system = get_system(system_name)
    n_steps = s["n_train"] + s["context"] + s["horizon"]
    rng = np.random.default_rng([random_state, 7])
    x0 = _initial_states(system, s["n_traj"] + 1, s, rng)
    clean = simulate(system, n_steps=n_steps, x0=x0, n_traj=s["n_traj"] + 1,
                     pts_per_period=s["pts_per_period"], transient=s["transient"])
    scale = np.concatenate([tr.x for tr in clean]).std(axis=0)

    def noisy(x):
        return x + s["obs_noise"] * scale * rng.standard_normal(x.shape) if s["obs_noise"] else x.copy()

    train = TrajectorySet([
        Trajectory(t=tr.t[: s["n_train"]], x=noisy(tr.x[: s["n_train"]]), meta=tr.meta)
        for tr in clean[: s["n_traj"]]
    ])
    test = clean[s["n_traj"]]
    c = s["context"]
    context = Trajectory(t=test.t[:c], x=noisy(test.x[:c]))
    truth = test.x[c: c + s["horizon"]]
    return train, context, truth, scale


def make_forecast_data(system_name: str, protocol: dict, random_state: int):
    """Training set, forecast context, clean truth and coordinate scales of a forecast job.

    Examples
    --------
    >>> train, context, truth, scale = make_forecast_data(
    ...     "VanDerPol", {"n_train": 300, "horizon": 100, "transient": 0}, 0)
    >>> train, context.n_steps, truth.shape
    (TrajectorySet(n=2, T=300, d=2), 50, (100, 2))
    """
    s = _settings(protocol)
    return _cached_data(system_name, json.dumps(s, sort_keys=True), int(random_state))


def run_protocol(estimator, system_name: str, protocol: dict, random_state: int):
    """Fit ``estimator`` and score it under ``protocol``.

    Parameters
    ----------
    estimator : lindy.base.Estimator
        Unfitted; its ``random_state`` (if any) is set to ``random_state``.
    system_name : str
    protocol : dict
        Protocol name and settings (see ``PROTOCOL_DEFAULTS``).
    random_state : int

    Returns
    -------
    metrics : dict
        ``smape``, ``nrmse``, ``vpt`` (and its unit), ``fit_seconds``,
        ``forecast_seconds``, ``finite``, ``dt``.
    arrays : dict
        ``truth`` and ``forecast``, shape (horizon, d), for the report.
    """
    s = _settings(protocol)
    train, context, truth, scale = make_forecast_data(system_name, protocol, random_state)
    system = get_system(system_name)
    if "random_state" in estimator.get_params():
        estimator.set_params(random_state=random_state)
    t0 = time.perf_counter()
    estimator.fit(train)
    fit_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    fc = estimator.forecast(context, horizon=s["horizon"])
    forecast_seconds = time.perf_counter() - t0
    pred = np.asarray(fc.x, dtype=float)
    dt = float(train.dt or 1.0)
    lam = system.meta.get("max_lyapunov")
    chaotic = lam is not None and lam > 0.01
    finite = bool(np.isfinite(pred).all())
    safe = np.where(np.isfinite(pred), pred, 1e30)
    metrics = {
        "smape": smape(truth, safe),
        "nrmse": nrmse(truth, safe, scale=scale),
        "vpt": valid_prediction_time(truth, safe, dt=dt,
                                     lyapunov_exponent=lam if chaotic else None),
        "vpt_unit": "lyapunov_times" if chaotic else "time",
        "fit_seconds": fit_seconds,
        "forecast_seconds": forecast_seconds,
        "finite": finite,
        "dt": dt,
    }
    return metrics, {"truth": truth.astype(np.float32), "forecast": safe.astype(np.float32)}
