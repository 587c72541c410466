"""The results store: one SQLite file in WAL mode, written only by the driver.

Every finished job (success or failure) is committed as soon as it arrives, so an
interrupted run loses nothing that finished.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..errors import ValidationError

__all__ = ["Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    suite TEXT, method TEXT, params TEXT, system TEXT, protocol TEXT, random_state INTEGER,
    status TEXT NOT NULL, metrics TEXT, error TEXT, traceback TEXT,
    duration REAL, finished_at TEXT, lindy_version TEXT, host TEXT
);
CREATE TABLE IF NOT EXISTS artifacts (
    key TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (key, name)
);
"""

_COLUMNS = ("key", "suite", "method", "params", "system", "protocol", "random_state", "status",
            "metrics", "error", "traceback", "duration", "finished_at", "lindy_version", "host")


def _to_blob(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.asarray(a), allow_pickle=False)
    return buf.getvalue()


def _from_blob(b: bytes) -> np.ndarray:
    return np.load(io.BytesIO(b), allow_pickle=False)


class Store:
    """A SQLite results store.

    Parameters
    ----------
    path : str or Path
        The database file (created if missing).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "r.sqlite")
    >>> with Store(path) as store:
    ...     store.write({"key": "k1", "status": "ok", "metrics": {"smape": 1.0}})
    ...     sorted(store.finished_keys())
    ['k1']
    """

    def __init__(self, path) -> None:
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(str(self.path), timeout=30.0)
        try:
            self._con.execute("PRAGMA journal_mode=WAL")
            self._con.execute("PRAGMA synchronous=NORMAL")
            self._con.executescript(_SCHEMA)
        except sqlite3.DatabaseError as err:
            self._con.close()
            raise ValidationError(f"{self.path} is not a usable lindy results store ({err}).") from None

    # context manager
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def finished_keys(self, include_failed: bool = True) -> set[str]:
        """Keys of jobs already recorded (optionally only the successful ones)."""
        sql = "SELECT key FROM results" + ("" if include_failed else " WHERE status = 'ok'")
        return {row[0] for row in self._con.execute(sql)}

    def write(self, record: dict, artifacts: dict[str, np.ndarray] | None = None) -> None:
        """Insert or replace one job's record (and its arrays) in one transaction."""
        row = dict(record)
        for name in ("params", "metrics"):
            if name in row and not isinstance(row[name], str):
                row[name] = json.dumps(row[name], sort_keys=True, default=float)
        values = [row.get(c) for c in _COLUMNS]
        with self._con:
            self._con.execute(
                f"INSERT OR REPLACE INTO results ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})", values)
            for name, arr in (artifacts or {}).items():
                self._con.execute("INSERT OR REPLACE INTO artifacts VALUES (?, ?, ?)",
                                  (row["key"], name, _to_blob(arr)))

    def results(self, status: str | None = None) -> list[dict]:
        """All records as dicts (``params`` and ``metrics`` decoded)."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM results"
        args: tuple = ()
        if status is not None:
            sql += " WHERE status = ?"
            args = (status,)
        out = []
        for values in self._con.execute(sql + " ORDER BY system, method, random_state", args):
            rec = dict(zip(_COLUMNS, values))
            for name in ("params", "metrics"):
                rec[name] = json.loads(rec[name]) if rec[name] else {}
            out.append(rec)
        return out

    def artifact(self, key: str, name: str) -> np.ndarray | None:
        """One stored array, or None."""
        row = self._con.execute("SELECT data FROM artifacts WHERE key = ? AND name = ?",
                                (key, name)).fetchone()
        return None if row is None else _from_blob(row[0])

    def merge_from(self, others: Iterable[str | Path]) -> int:
        """Copy every record and artifact of other stores into this one; return the count."""
        n = 0
        for other in others:
            src = Store(other)
            try:
                for rec in src.results():
                    arts = {
                        name: _from_blob(data) for name, data in src._con.execute(
                            "SELECT name, data FROM artifacts WHERE key = ?", (rec["key"],))
                    }
                    self.write(rec, arts)
                    n += 1
            finally:
                src.close()
        return n
