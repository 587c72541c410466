"""Benchmark jobs: (method + params, system, protocol, random_state), a stable key, execution.

``execute`` is pure and idempotent: the same job always produces the same record,
and it never touches the store (only the driver writes).
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import time
import traceback
import warnings
from dataclasses import dataclass, field

from ._methods import build_method
from ._protocols import run_protocol
from ._record import Record
from ._tuning import tuned_estimator

__all__ = ["Job", "execute", "job_record"]


def _canonical(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=repr)


@dataclass(frozen=True)
class Job:
    """One benchmark job.

    Parameters
    ----------
    method : str
        Registered method name (see ``lindy.bench.METHODS``).
    params : dict
        Estimator hyperparameters.
    system : str
        System name (see ``lindy.systems.list_systems``).
    protocol : dict
        Protocol name and settings, e.g. ``{"name": "forecast", "n_train": 2000}``.
    random_state : int
    suite : str
        The suite the job belongs to (not part of the key).
    label : str
        Display name of the method configuration (defaults to ``method``).
    tuning : dict
        Empty, or ``{"budget": N, "space": {...}}``: tune the hyperparameters of the
        space on a validation split of the training data before the scored fit
        (see :mod:`lindy.bench._tuning`). Part of the key when given.

    Examples
    --------
    >>> job = Job("DMD", {}, "Lorenz", {"name": "forecast"}, 0)
    >>> job.key == Job("DMD", {}, "Lorenz", {"name": "forecast"}, 0).key
    True
    >>> job.key == Job("DMD", {}, "Lorenz", {"name": "forecast"}, 1).key
    False
    """

    method: str
    params: dict = field(default_factory=dict)
    system: str = "Lorenz"
    protocol: dict = field(default_factory=lambda: {"name": "forecast"})
    random_state: int = 0
    suite: str = ""
    label: str = ""
    tuning: dict = field(default_factory=dict)

    @functools.cached_property
    def key(self) -> str:
        """Hash of (method, params, system, protocol, random_state, lindy version)."""
        from .. import __version__

        parts = [self.method, self.params, self.system, self.protocol, self.random_state,
                 __version__]
        payload = _canonical(parts + [self.tuning] if self.tuning else parts)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]

    @property
    def name(self) -> str:
        """Display name of the method configuration."""
        return self.label or self.method

    def __hash__(self) -> int:
        return hash(self.key)


def execute(job: Job, *, warmup: bool = True) -> tuple[Record, dict]:
    """Run one job; return its record and its arrays. Failures are recorded, not raised.

    A warm-up fit and forecast of a separate estimator on a short slice of the
    training data comes first (untimed by the protocol, reported as
    ``timings["warmup_seconds"]``), so one-off compilation stays out of
    ``fit_seconds``; the scored estimator is a fresh one, so the metrics are those
    of a run without warm-up. A job with a tuning budget first picks its
    hyperparameters on a validation split of the training data
    (``timings["tune_seconds"]``, ``record.tuning``). Warnings raised by the job (numerical overflow and the
    like) are caught and kept in ``record.warnings`` instead of being printed.

    Returns
    -------
    record : Record
        Status ``"ok"`` with metrics, or ``"error"`` with the reason and traceback.
    artifacts : dict of str to ndarray
        Arrays for the report (forecast and truth).

    Examples
    --------
    >>> rec, arts = execute(Job("LinearAR", {"n_lags": 2}, "VanDerPol",
    ...                         {"name": "forecast", "n_train": 200, "horizon": 20}, 0))
    >>> rec.status, sorted(arts), "warmup_seconds" in rec.timings
    ('ok', ['forecast', 'truth'], True)
    """
    start = time.perf_counter()
    fields: dict = {"status": "ok", "metrics": {}}
    timings: dict = {}
    artifacts: dict = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # once per place: an overflowing loop stays cheap
        try:
            if warmup:
                timings["warmup_seconds"] = _warm_up(job)
            estimator, tuning = tuned_estimator(job)
            if tuning:
                fields["tuning"] = tuning
                timings["tune_seconds"] = tuning["seconds"]
            metrics, artifacts = run_protocol(estimator, job.system, job.protocol, job.random_state)
            fields["metrics"] = metrics
        except Exception as err:  # noqa: BLE001 - every failure is data for the report
            if (stop := _interrupted(err)) is not None:
                raise stop from None
            fields = {"status": "error", "metrics": {}, "error": _one_line(err),
                      "traceback": traceback.format_exc(), **_tuning_of(fields)}
    timings["duration"] = time.perf_counter() - start
    messages = list(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
    return job_record(job, timings=timings, warnings=messages[:20], **fields), artifacts


def _tuning_of(fields: dict) -> dict:
    """The tuning entry of a job that failed after tuning (kept with its failure)."""
    return {"tuning": fields["tuning"]} if "tuning" in fields else {}


def job_record(job: Job, **fields) -> Record:
    """The record of ``job`` with its identity, versions, host and time stamp filled in.

    Examples
    --------
    >>> rec = job_record(Job("DMD", {"rank": 2}, "Lorenz"), status="error", error="boom")
    >>> rec.params, rec.status, rec.versions["lindy"] != ""
    ({'method': 'DMD', 'rank': 2}, 'error', True)
    """
    return Record(key=job.key, suite=job.suite, method=job.name,
                  params={"method": job.method, **job.params}, system=job.system,
                  protocol=dict(job.protocol), random_state=job.random_state,
                  versions=_versions(), host=platform.node(),
                  finished_at=time.strftime("%Y-%m-%dT%H:%M:%S"), **fields)


def _one_line(err: BaseException) -> str:
    text = f"{type(err).__name__}: {err}".strip()
    return text.splitlines()[0] if text else type(err).__name__


@functools.lru_cache(maxsize=1)
def _versions() -> dict:
    import numpy

    from .. import __version__

    return {"lindy": __version__, "python": platform.python_version(), "numpy": numpy.__version__}


def _warm_up(job: Job) -> float:
    """Fit and forecast a separate estimator on a short slice of the job's data; seconds.

    Compilation (numba, first-call caches) happens here; failures are ignored: a
    slice can be too short for some settings, and the timed run reports real errors.
    """
    from ..data import Trajectory, TrajectorySet
    from ._protocols import make_forecast_data

    try:
        train, context, _, _ = make_forecast_data(job.system, job.protocol, job.random_state)
    except Exception as err:  # noqa: BLE001 - the timed run reports it
        if (stop := _interrupted(err)) is not None:
            raise stop from None
        return 0.0
    start = time.perf_counter()  # the data are made (and cached) before the clock starts
    try:
        n = min(train[0].n_steps, _WARMUP_STEPS)
        short = TrajectorySet([Trajectory(t=tr.t[:n], x=tr.x[:n], meta=tr.meta) for tr in train])
        est = build_method(job.method, job.params)
        if "random_state" in est.get_params():
            est.set_params(random_state=job.random_state)
        with warnings.catch_warnings(record=True):  # the timed run reports its own warnings
            warnings.simplefilter("always")
            est.fit(short)
            est.forecast(context, horizon=5)
    except Exception as err:  # noqa: BLE001 - see the docstring
        if (stop := _interrupted(err)) is not None:
            raise stop from None
    return time.perf_counter() - start


#: samples per training trajectory in the warm-up fit
_WARMUP_STEPS = 200


def _interrupted(err: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C (or SIGTERM/SIGHUP) behind ``err``, if any: compiled code re-raises it
    as SystemError.

    Examples
    --------
    >>> try:
    ...     try:
    ...         raise KeyboardInterrupt
    ...     except KeyboardInterrupt as ki:
    ...         raise SystemError("in compiled code") from ki
    ... except SystemError as err:
    ...     type(_interrupted(err)).__name__, _interrupted(ValueError())
    ('KeyboardInterrupt', None)
    """
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return err
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return None
