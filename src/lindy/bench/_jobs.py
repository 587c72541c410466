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
from dataclasses import dataclass, field

from ._methods import build_method
from ._protocols import run_protocol

__all__ = ["Job", "execute"]


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

    @functools.cached_property
    def key(self) -> str:
        """Hash of (method, params, system, protocol, random_state, lindy version)."""
        from .. import __version__

        payload = _canonical([self.method, self.params, self.system, self.protocol,
                              self.random_state, __version__])
        return hashlib.sha256(payload.encode()).hexdigest()[:20]

    @property
    def name(self) -> str:
        """Display name of the method configuration."""
        return self.label or self.method

    def __hash__(self) -> int:
        return hash(self.key)


def execute(job: Job) -> tuple[dict, dict]:
    """Run one job; return its record and its arrays. Failures are recorded, not raised.

    Returns
    -------
    record : dict
        Columns of the results table (status ``"ok"`` or ``"error"``).
    artifacts : dict of str to ndarray
        Arrays for the report (forecast and truth).
    """
    from .. import __version__

    start = time.perf_counter()
    record = {
        "key": job.key, "suite": job.suite, "method": job.name,
        "params": {"method": job.method, **job.params}, "system": job.system,
        "protocol": _canonical(job.protocol), "random_state": job.random_state,
        "lindy_version": __version__, "host": platform.node(),
    }
    artifacts: dict = {}
    try:
        estimator = build_method(job.method, job.params)
        metrics, artifacts = run_protocol(estimator, job.system, job.protocol, job.random_state)
        record.update(status="ok", metrics=metrics)
    except Exception as err:  # noqa: BLE001 - every failure is data for the report
        if _interrupted(err):
            raise KeyboardInterrupt from err
        record.update(status="error", metrics={}, error=f"{type(err).__name__}: {err}",
                      traceback=traceback.format_exc())
    record["duration"] = time.perf_counter() - start
    record["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
    return record, artifacts


def _interrupted(err: BaseException) -> bool:
    """True if ``err`` was caused by Ctrl-C (compiled code re-raises it as SystemError)."""
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False
