"""The typed result of one benchmark job, with its one serialization path.

A :class:`Record` is what a job produced: its identity (key, suite, method
label, params, system, protocol, random_state), its outcome (status, metrics,
error, traceback, warnings) and its circumstances (timings, versions, host,
finished_at). ``to_row``/``from_row`` map it to the store's columns;
``to_json``/``from_json`` go through the same row, so there is one encoding.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["Record", "COLUMNS", "JSON_COLUMNS"]

#: store columns, in order; the dict-valued ones are stored as JSON text
COLUMNS = ("key", "suite", "method", "params", "system", "protocol", "random_state", "status",
           "metrics", "error", "traceback", "warnings", "timings", "versions", "host", "finished_at",
           "tuning")
JSON_COLUMNS = ("params", "protocol", "metrics", "warnings", "timings", "versions", "tuning")


def _plain(value):
    """JSON-safe copy: numpy scalars become Python numbers, non-finite floats stay floats."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    return value


def _dumps(value) -> str:
    return json.dumps(_plain(value), sort_keys=True, default=repr)


@dataclass(frozen=True)
class Record:
    """The result of one benchmark job.

    Parameters
    ----------
    key : str
        The job key (hash of method, params, system, protocol, random_state, version).
    suite, method, system : str
        Suite name, method label (display name), system name.
    params : dict
        ``{"method": registered name, **hyperparameters}``.
    protocol : dict
        Protocol name and settings.
    random_state : int
    status : {"ok", "error"}
    metrics : dict
        Scores of a successful job (empty for a failure).
    error, traceback : str
        One-line reason and the traceback of a failure (empty for a success).
    warnings : tuple of str
        Distinct warning messages the job raised (numerical overflow and the like).
    timings : dict
        Seconds: ``duration`` (the whole job) and ``warmup_seconds`` (the untimed
        compile warm-up before the timed fit).
    versions : dict
        Package versions of the worker (``lindy``, ``python``, ``numpy``).
    host : str
    finished_at : str
        ISO time stamp.
    tuning : dict
        Empty for an untuned job; else the tuning budget, the search space, the
        chosen ``params``, the selection ``metric`` and its validation ``score``,
        the validation split and every trial (see :mod:`lindy.bench._tuning`).

    Examples
    --------
    >>> rec = Record(key="k1", method="DMD", system="Lorenz", status="ok",
    ...              metrics={"smape": 12.5}, timings={"duration": 0.2})
    >>> Record.from_json(rec.to_json()) == rec
    True
    >>> rec.to_row()["metrics"]
    '{"smape": 12.5}'
    >>> rec.ok, rec.duration
    (True, 0.2)
    """

    key: str
    suite: str = ""
    method: str = ""
    params: dict = field(default_factory=dict)
    system: str = ""
    protocol: dict = field(default_factory=dict)
    random_state: int = 0
    status: str = "ok"
    metrics: dict = field(default_factory=dict)
    error: str = ""
    traceback: str = ""
    warnings: tuple = ()
    timings: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    host: str = ""
    finished_at: str = ""
    tuning: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(self.warnings or ()))
        for name in ("params", "protocol", "metrics", "timings", "versions", "tuning"):
            object.__setattr__(self, name, _plain(dict(getattr(self, name) or {})))

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def ok(self) -> bool:
        """True for a successful job."""
        return self.status == "ok"

    @property
    def duration(self) -> float:
        """Seconds the whole job took (nan if unknown)."""
        return float(self.timings.get("duration", math.nan))

    def replace(self, **changes: Any) -> Record:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_row(self) -> dict[str, Any]:
        """The store row: one value per column of :data:`COLUMNS`, dicts as JSON text."""
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in JSON_COLUMNS:
            row[name] = _dumps(row[name])
        return row

    @classmethod
    def from_row(cls, row) -> Record:
        """Build a record from a store row (a mapping of column to value; NULLs allowed)."""
        kw = {}
        for name in COLUMNS:
            value = row[name] if name in row.keys() else None
            if name in JSON_COLUMNS:
                value = json.loads(value) if value else None
            if value is not None:
                kw[name] = value
        return cls(**kw)

    def to_json(self) -> str:
        """The record as one JSON object (the store row, dicts nested)."""
        row = self.to_row()
        return json.dumps({k: json.loads(row[k]) if k in JSON_COLUMNS else row[k] for k in COLUMNS},
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Record:
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls.from_row({k: _dumps(v) if k in JSON_COLUMNS else v for k, v in data.items()})
