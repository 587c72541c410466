"""Benchmark protocols: how data are made, how a method is fitted and scored.

A protocol is a value with a name, default settings, a data maker and a
scorer; :func:`run_protocol` dispatches on the job's ``protocol["name"]``.

* ``forecast``: simulate ``n_traj`` training trajectories and one test
  trajectory from initial conditions sampled on the attractor, add observation
  noise to what the method sees, fit, forecast ``horizon`` steps from the first
  ``context`` test samples, score against the clean truth (sMAPE, NRMSE, valid
  prediction time, in Lyapunov times when the system is chaotic).
* ``dysts2021`` (Gilpin 2021, "Chaos as an interpretable benchmark for
  forecasting and data-driven modelling"): the first coordinate, 100 points
  per period (15 in the coarse variant), train on 10 periods, forecast the
  next 2 from the end of training, sMAPE; with ``obs_noise=0.2`` the noisy
  variant (noise in what the method sees, scored on the clean truth).
* ``zeroshot2025`` (Zhang and Gilpin, ICLR 2025): 30 points per period, a
  context of 512 samples, 300 forecast steps, valid prediction time in
  Lyapunov times (sMAPE threshold 30); trained methods see ``n_traj``
  trajectories of ``n_train`` samples from other initial conditions.
* ``dsr`` (dynamical-systems reconstruction; Hess et al. 2023): generate
  ``1.25 T`` steps from the first test point, drop the first ``0.25 T``, and
  compare the remaining ``T`` with the ``T``-sample test trajectory by the
  state-space divergence D_stsp and the power-spectrum Hellinger distance D_H.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..data import Trajectory, TrajectorySet
from ..errors import NumericalError, UnknownNameError, ValidationError
from ..metrics import dstsp, hellinger_spectrum, nrmse, smape, valid_prediction_time
from ..systems import get_system, simulate

__all__ = ["PROTOCOLS", "PROTOCOL_DEFAULTS", "Protocol", "ProtocolData", "run_protocol",
           "make_data", "make_forecast_data"]


@dataclass(frozen=True, eq=False)
class ProtocolData:
    """What a method sees (``train``, ``context``) and what it is scored on (``truth``).

    ``scale`` holds the per-coordinate standard deviation of the clean data.
    """

    train: TrajectorySet
    context: Trajectory
    truth: np.ndarray
    scale: np.ndarray


@dataclass(frozen=True)
class Protocol:
    """A named protocol: default settings, a data maker and a scorer.

    Forecasting protocols fit, forecast ``horizon(settings)`` steps from the
    context and score the forecast. A protocol whose flow is different (learn,
    then act on a plant, as ``control``) gives ``run(estimator, system_name,
    protocol, random_state) -> (metrics, arrays)``, which :func:`run_protocol`
    calls instead. A protocol on its own data (measured records, the filtering
    paper's models) names them in ``systems``; by default its systems are those
    of :mod:`lindy.systems`.
    """

    name: str
    defaults: dict
    make: Callable[[object, dict, np.random.Generator], ProtocolData]
    score: Callable[..., tuple[dict, dict]]
    horizon: Callable[[dict], int]
    run: Callable[..., tuple[dict, dict]] | None = None
    systems: tuple[str, ...] | None = None


def _initial_states(system, n: int, s: dict, rng) -> np.ndarray:
    """Points on the attractor from *independent* orbits, or random states for linear systems.

    Each trajectory starts from its own perturbation of the default initial
    condition, integrated through ``transient`` samples plus a random number of
    periods, so no two trajectories are pieces of one orbit: a test trajectory
    that repeated a training one would let nearest-neighbour methods copy the
    answer. (On a periodic attractor every orbit is the cycle, as it should be.)
    """
    if system.meta.get("linear"):
        scale = max(float(np.abs(system.x0).max()), 1e-3)
        return scale * rng.standard_normal((n, system.dim))
    base = np.asarray(system.x0, dtype=float)
    spread = 0.1 * np.maximum(np.abs(base), 1e-3 * max(float(np.abs(base).max()), 1e-3))
    extra = 400
    states = []
    for _ in range(n):
        for attempt in range(6):  # a perturbation that leaves the basin is drawn again, smaller
            start = base + 0.5 ** attempt * spread * rng.standard_normal(system.dim)
            try:
                orbit = simulate(system, n_steps=extra, x0=start, pts_per_period=s["pts_per_period"],
                                 transient=s["transient"])[0].x
            except NumericalError:
                continue
            states.append(orbit[rng.integers(0, extra)])
            break
        else:
            raise NumericalError(f"{system.name}: no perturbation of the default initial condition "
                                 "stays bounded; the protocol cannot sample its attractor.")
    return np.array(states)


def _noisy(x: np.ndarray, level: float, scale: np.ndarray, rng) -> np.ndarray:
    return x + level * scale * rng.standard_normal(x.shape) if level else x.copy()


def _held_out(system, s: dict, rng, n_train: int, n_traj: int, n_test: int, context: int):
    """Training trajectories and one test trajectory from attractor points."""
    x0 = _initial_states(system, n_traj + 1, s, rng)
    steps = max(n_train, context + n_test)
    clean = simulate(system, n_steps=steps, x0=x0, n_traj=n_traj + 1,
                     pts_per_period=s["pts_per_period"], transient=s["transient"])
    scale = np.concatenate([tr.x for tr in clean]).std(axis=0)
    train = TrajectorySet([
        Trajectory(t=tr.t[:n_train], x=_noisy(tr.x[:n_train], s["obs_noise"], scale, rng), meta=tr.meta)
        for tr in clean[:n_traj]])
    test = clean[n_traj]
    ctx = Trajectory(t=test.t[:context], x=_noisy(test.x[:context], s["obs_noise"], scale, rng))
    return train, ctx, test.x[context: context + n_test], scale


def _make_forecast(system, s, rng) -> ProtocolData:
    train, ctx, truth, scale = _held_out(system, s, rng, s["n_train"], s["n_traj"], s["horizon"],
                                         s["context"])
    return ProtocolData(train, ctx, truth, scale)


def _make_dysts2021(system, s, rng) -> ProtocolData:
    """One trajectory: the first ``train_periods`` periods to learn from, the next to forecast."""
    ppp = s["pts_per_period"]
    n_train, horizon = s["train_periods"] * ppp, s["test_periods"] * ppp
    x0 = _initial_states(system, 1, s, rng)
    clean = simulate(system, n_steps=n_train + horizon, x0=x0, pts_per_period=ppp,
                     transient=s["transient"])[0]
    x = clean.x[:, :1] if s["univariate"] else clean.x
    scale = x.std(axis=0)
    seen = Trajectory(t=clean.t[:n_train], x=_noisy(x[:n_train], s["obs_noise"], scale, rng))
    return ProtocolData(TrajectorySet([seen]), seen, x[n_train:], scale)


def _make_dsr(system, s, rng) -> ProtocolData:
    n_test = s["test_length"]
    train, ctx, truth, scale = _held_out(system, s, rng, s["n_train"], s["n_traj"], n_test,
                                         s["context"])
    return ProtocolData(train, ctx, truth, scale)


def _lyapunov(system):
    lam = system.meta.get("max_lyapunov")
    return lam if lam is not None and lam > 0.01 else None


def _score_forecast(pred, data: ProtocolData, s, system, dt) -> tuple[dict, dict]:
    truth = data.truth
    finite = bool(np.isfinite(pred).all())
    safe = np.where(np.isfinite(pred), pred, 1e30)
    lam = _lyapunov(system)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged forecast scores inf
        metrics = {
            "smape": smape(truth, safe),
            "nrmse": nrmse(truth, safe, scale=data.scale),
            "vpt": valid_prediction_time(truth, safe, dt=dt, lyapunov_exponent=lam),
            "vpt_unit": "lyapunov_times" if lam else "time",
            "finite": finite,
        }
    return metrics, {"truth": _float32(truth), "forecast": _float32(safe)}


def _float32(a: np.ndarray) -> np.ndarray:
    """Arrays for the report, clipped to the float32 range (a diverged forecast stays finite)."""
    big = float(np.finfo(np.float32).max)
    return np.clip(a, -big, big).astype(np.float32)


def _score_dsr(pred, data: ProtocolData, s, system, dt) -> tuple[dict, dict]:
    T = data.truth.shape[0]
    gen = pred[-T:]
    finite = bool(np.isfinite(gen).all())
    metrics = {"finite": finite, "test_length": T}
    if finite:
        metrics["dstsp"] = dstsp(data.truth, gen)
        metrics["hellinger"] = hellinger_spectrum(data.truth, gen)
    else:
        metrics["dstsp"] = metrics["hellinger"] = float("nan")
    keep = slice(-min(T, 2000), None)  # the report shows the last stretch
    safe = np.where(np.isfinite(gen), gen, 1e30)
    return metrics, {"truth": _float32(data.truth[keep]), "forecast": _float32(safe[keep])}


_COMMON = {"obs_noise": 0.0, "transient": 500}

PROTOCOLS: dict[str, Protocol] = {
    "forecast": Protocol(
        "forecast",
        {"n_train": 2000, "n_traj": 2, "context": 50, "horizon": 500, "pts_per_period": None,
         **_COMMON},
        _make_forecast, _score_forecast, lambda s: s["horizon"]),
    "dysts2021": Protocol(
        "dysts2021",
        {"pts_per_period": 100, "train_periods": 10, "test_periods": 2, "univariate": True,
         **_COMMON},
        _make_dysts2021, _score_forecast, lambda s: s["test_periods"] * s["pts_per_period"]),
    "zeroshot2025": Protocol(
        "zeroshot2025",
        {"pts_per_period": 30, "n_train": 2048, "n_traj": 2, "context": 512, "horizon": 300,
         **_COMMON},
        _make_forecast, _score_forecast, lambda s: s["horizon"]),
    "dsr": Protocol(
        "dsr",
        {"pts_per_period": 30, "n_train": 5000, "n_traj": 2, "context": 100,
         "test_length": 5000, **_COMMON},
        _make_dsr, _score_dsr, lambda s: int(round(1.25 * s["test_length"]))),
}

#: default settings of each protocol
PROTOCOL_DEFAULTS: dict[str, dict] = {name: dict(p.defaults) for name, p in PROTOCOLS.items()}


def _settings(protocol: dict) -> dict:
    name = protocol.get("name", "forecast")
    if name not in PROTOCOLS:
        raise UnknownNameError(f"No protocol named {name!r}; known: {sorted(PROTOCOLS)}.")
    defaults = PROTOCOLS[name].defaults
    unknown = set(protocol) - set(defaults) - {"name"}
    if unknown:
        raise ValidationError(f"Unknown settings {sorted(unknown)} for protocol {name!r}; "
                              f"it takes {sorted(defaults)}.")
    return {**defaults, **protocol, "name": name}


@functools.lru_cache(maxsize=16)
def _cached_data(system_name: str, settings_json: str, random_state: int) -> ProtocolData:
    s = json.loads(settings_json)
    rng = np.random.default_rng([random_state, 7])
    return PROTOCOLS[s["name"]].make(get_system(system_name), s, rng)


def make_data(system_name: str, protocol: dict, random_state: int) -> ProtocolData:
    """The data of a job: what the method sees and what it is scored on.

    Examples
    --------
    >>> d = make_data("Lorenz", {"name": "dysts2021", "transient": 100}, 0)
    >>> d.train[0].x.shape, d.truth.shape
    ((1000, 1), (200, 1))
    """
    s = _settings(protocol)
    return _cached_data(system_name, json.dumps(s, sort_keys=True), int(random_state))


def make_forecast_data(system_name: str, protocol: dict, random_state: int):
    """Training set, forecast context, clean truth and coordinate scales of a job.

    Examples
    --------
    >>> train, context, truth, scale = make_forecast_data(
    ...     "VanDerPol", {"n_train": 300, "horizon": 100, "transient": 0}, 0)
    >>> train, context.n_steps, truth.shape
    (TrajectorySet(n=2, T=300, d=2), 50, (100, 2))
    """
    d = make_data(system_name, protocol, random_state)
    return d.train, d.context, d.truth, d.scale


def timed_fit(estimator, train, random_state: int) -> float:
    """Seed the estimator (if it has a ``random_state``), fit it on ``train``; the seconds taken."""
    if "random_state" in estimator.get_params():
        estimator.set_params(random_state=random_state)
    t0 = time.perf_counter()
    estimator.fit(train)
    return time.perf_counter() - t0


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
        The protocol's scores (``smape``, ``nrmse``, ``vpt`` and its unit for
        forecasting protocols; ``dstsp`` and ``hellinger`` for ``dsr``), plus
        ``fit_seconds``, ``forecast_seconds``, ``finite`` and ``dt``.
    arrays : dict
        ``truth`` and ``forecast`` for the report.
    """
    s = _settings(protocol)
    proto = PROTOCOLS[s["name"]]
    if proto.run is not None:
        return proto.run(estimator, system_name, protocol, random_state)
    data = make_data(system_name, protocol, random_state)
    system = get_system(system_name)
    fit_seconds = timed_fit(estimator, data.train, random_state)
    t0 = time.perf_counter()
    fc = estimator.forecast(data.context, horizon=proto.horizon(s))
    forecast_seconds = time.perf_counter() - t0
    dt = float(data.train.dt or 1.0)
    pred = np.asarray(fc.x, dtype=float)
    metrics, arrays = proto.score(pred, data, s, system, dt)
    metrics.update(fit_seconds=fit_seconds, forecast_seconds=forecast_seconds, dt=dt)
    return metrics, arrays

from ._protocol_control import CONTROL as _CONTROL  # noqa: E402  (it imports Protocol from here)

PROTOCOLS["control"] = _CONTROL
PROTOCOL_DEFAULTS["control"] = dict(_CONTROL.defaults)

from ._protocol_sysid import SYSID as _SYSID  # noqa: E402  (it imports Protocol from here)

PROTOCOLS["sysid"] = _SYSID
PROTOCOL_DEFAULTS["sysid"] = dict(_SYSID.defaults)

from ._protocol_ecg import ECG as _ECG  # noqa: E402  (it imports Protocol from here)

PROTOCOLS["ecg"] = _ECG
PROTOCOL_DEFAULTS["ecg"] = dict(_ECG.defaults)

from ._protocol_filtering import FILTERING as _FILTERING  # noqa: E402  (it imports Protocol from here)

PROTOCOLS["filtering"] = _FILTERING
PROTOCOL_DEFAULTS["filtering"] = dict(_FILTERING.defaults)
