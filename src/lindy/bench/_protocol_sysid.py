"""The ``sysid`` protocol: identify an input-output system, simulate the test record from inputs.

1. Fit the method on the benchmark's estimation data (outputs as ``x``,
   inputs as ``u``; see :mod:`lindy.bench._sysid_data` for the records, their
   sources and the Bouc-Wen estimation data).
2. Free run (simulation), not one-step prediction: the first
   ``init_window`` samples of the test record (outputs and inputs) set the
   model's initial state; from there the model runs on its own outputs,
   driven by the measured inputs alone, to the end of the record
   (:func:`free_run`).
3. Score the simulated outputs after the window: ``rmse`` in the data's units
   (``unit``: volts for Silverbox and the cascaded tanks, metres for
   Bouc-Wen) and ``nrmse``, the RMSE divided by the standard deviation of the
   measured test output over the scored samples (the ``nonlinear_benchmarks``
   definition; averaged over outputs when there are several). The window is
   excluded from the score.

The window lengths follow ``nonlinear_benchmarks``: 50 samples for Silverbox,
5 for the cascaded tanks; 50 for Bouc-Wen, for which it sets none. Metrics:
``rmse``, ``nrmse``, ``unit``, ``finite``, ``init_window``, ``n_scored``,
``fit_seconds``, ``simulate_seconds``, ``dt``. A diverged run scores ``inf``.
The job's "system" is the benchmark record, e.g. ``"silverbox/multisine"``.
"""

from __future__ import annotations

import time

import numpy as np

from ..data import Trajectory, TrajectorySet
from ..errors import ValidationError
from ._protocols import Protocol, ProtocolData, timed_fit
from ._sysid_data import INIT_WINDOW, SYSID_BENCHMARKS, UNITS, sysid_estimation_data, sysid_record

__all__ = ["SYSID", "run_sysid_protocol", "free_run", "sysid_scores"]

_DEFAULTS = {"init_window": None, "n_realizations": 5, "max_train_samples": None,
             "max_test_samples": None}

#: samples of the scored part kept for the report's plots
_KEPT = 5000


def free_run(model, record: Trajectory, init_window: int) -> np.ndarray:
    """Simulate ``record`` from its inputs, its first ``init_window`` outputs setting the state.

    Runs the model's ``simulate(u, y=..., t=...)`` (:meth:`lindy.base.Estimator.simulate`:
    the initial state fitted to the window, then the free run through the
    model's forecast with the remaining inputs).

    Returns
    -------
    ndarray, shape (T - init_window, d)
        Simulated outputs at the times after the window.

    Examples
    --------
    >>> import lindy as ld
    >>> u = np.random.default_rng(0).standard_normal(100)
    >>> y = np.zeros(100)
    >>> for k in range(99):
    ...     y[k + 1] = 0.9 * y[k] + u[k]
    >>> rec = Trajectory(t=np.arange(100.0), x=y[:, None], u=u[:, None])
    >>> arx = ld.reservoir.NARX(n_lags=1, n_input_lags=1, degree=1).fit(rec)
    >>> sim = free_run(arx, rec, 10)
    >>> sim.shape, bool(np.allclose(sim[:, 0], y[10:]))
    ((90, 1), True)
    """
    w = int(init_window)
    T = record.n_steps
    if not 1 <= w < T:
        raise ValidationError(f"init_window must be in [1, {T - 1}] for a record of {T} samples; "
                              f"got {init_window!r}.")
    return np.asarray(model.simulate(record.u, y=record.x[:w], t=record.t).x)[w:]


def sysid_scores(truth: np.ndarray, simulated: np.ndarray) -> dict:
    """RMSE and NRMSE (RMSE / std of the measured output, per output, then averaged).

    Examples
    --------
    >>> s = sysid_scores(np.array([[0.0], [2.0]]), np.array([[1.0], [1.0]]))
    >>> s["rmse"], s["nrmse"]
    (1.0, 1.0)
    """
    truth = np.asarray(truth, dtype=float).reshape(truth.shape[0], -1)
    sim = np.asarray(simulated, dtype=float).reshape(truth.shape)
    finite = bool(np.isfinite(sim).all())
    if not finite:
        return {"rmse": float("inf"), "nrmse": float("inf"), "finite": False}
    with np.errstate(over="ignore"):
        rmse = np.sqrt(np.mean((sim - truth) ** 2, axis=0))
    return {"rmse": float(np.mean(rmse)), "nrmse": float(np.mean(rmse / truth.std(axis=0))),
            "finite": bool(np.isfinite(rmse).all())}


def _settings(protocol: dict) -> dict:
    unknown = set(protocol) - set(_DEFAULTS) - {"name"}
    if unknown:
        raise ValidationError(f"Unknown settings {sorted(unknown)} for protocol 'sysid'; "
                              f"it takes {sorted(_DEFAULTS)}.")
    if protocol.get("name", "sysid") != "sysid":
        raise ValidationError(f"run_sysid_protocol runs the 'sysid' protocol; got {protocol['name']!r}.")
    return {**_DEFAULTS, **protocol, "name": "sysid"}


def _head(traj: Trajectory, n) -> Trajectory:
    return traj if n is None else traj[: int(n)]


def _make_sysid(benchmark: str, s: dict, rng=None, random_state: int = 0) -> ProtocolData:
    """Estimation data as ``train``, the whole test record as ``context``, its outputs as ``truth``."""
    dataset, _ = SYSID_BENCHMARKS.get(benchmark, (None, None))
    train = sysid_estimation_data(benchmark, int(s["n_realizations"]), random_state)
    if s["max_train_samples"] is not None:
        train = TrajectorySet([_head(tr, s["max_train_samples"]) for tr in train])
    record = _head(sysid_record(benchmark), s["max_test_samples"])
    w = INIT_WINDOW[dataset] if s["init_window"] is None else int(s["init_window"])
    return ProtocolData(train, record, record.x[w:], record.x[w:].std(axis=0))


def _score_sysid(simulated, data: ProtocolData, s: dict, system, dt) -> tuple[dict, dict]:
    metrics = sysid_scores(data.truth, simulated)
    big = float(np.finfo(np.float32).max)
    safe = np.clip(np.nan_to_num(np.asarray(simulated, dtype=float), nan=big), -big, big)
    return metrics, {"truth": data.truth[:_KEPT].astype(np.float32),
                     "forecast": safe[:_KEPT].astype(np.float32)}


def run_sysid_protocol(estimator, benchmark: str, protocol: dict | None = None,
                       random_state: int = 0):
    """Fit ``estimator`` on a benchmark's estimation data and score its free run on a test record.

    Parameters
    ----------
    estimator : lindy.base.Estimator
        An unfitted input model; its ``random_state`` (if any) is set to ``random_state``.
    benchmark : str
        A record of ``SYSID_BENCHMARKS``, e.g. ``"silverbox/multisine"``.
    protocol : dict, optional
        Settings overriding the defaults: ``init_window`` (None: the data
        set's convention), ``n_realizations`` (Bouc-Wen estimation
        multisines), ``max_train_samples`` / ``max_test_samples`` (use only
        the first samples of each record; None: all).
    random_state : int
        Seeds the estimator and the Bouc-Wen estimation data.

    Returns
    -------
    metrics : dict
        See the module docstring.
    arrays : dict
        ``truth`` and ``forecast`` (the simulated output): the first 5000 scored samples.

    Examples
    --------
    >>> import lindy as ld
    >>> m, _ = run_sysid_protocol(ld.reservoir.NARX(n_lags=2, n_input_lags=3, degree=3),
    ...                           "cascaded_tanks/validation")
    >>> m["unit"], m["init_window"], m["n_scored"], m["finite"]
    ('V', 5, 1019, True)
    """
    s = _settings(protocol or {})
    if benchmark not in SYSID_BENCHMARKS:
        raise ValidationError(f"No sysid benchmark record named {benchmark!r}; known: "
                              f"{sorted(SYSID_BENCHMARKS)}.")
    data = _make_sysid(benchmark, s, random_state=int(random_state))
    w = data.context.n_steps - data.truth.shape[0]
    fit_seconds = timed_fit(estimator, data.train, random_state)
    t0 = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging simulation scores inf
        simulated = free_run(estimator, data.context, w)
    simulate_seconds = time.perf_counter() - t0
    metrics, arrays = _score_sysid(simulated, data, s, None, data.context.dt)
    dataset = SYSID_BENCHMARKS[benchmark][0]
    metrics.update(unit=UNITS[dataset], init_window=w, n_scored=int(data.truth.shape[0]),
                   fit_seconds=fit_seconds, simulate_seconds=simulate_seconds,
                   dt=float(data.context.dt))
    return metrics, arrays


#: the protocol's settings, data maker and scorer (its ``run`` fits and simulates)
SYSID = Protocol("sysid", dict(_DEFAULTS), _make_sysid, _score_sysid,
                 lambda s: 0, run=lambda est, system, protocol, rs: run_sysid_protocol(
                     est, system, protocol, rs), systems=tuple(SYSID_BENCHMARKS))
