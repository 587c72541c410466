"""The results store: one SQLite file in WAL mode, written only by the driver.

Every finished job (success or failure) is committed as soon as it arrives, so an
interrupted run loses nothing that finished. A store opened read-only (report,
export, the inputs of a merge) is checked before anything is written anywhere: a
missing file, a directory, an empty file, a file that is not SQLite, or a SQLite
database of another layout is a one-line :class:`~lindy.errors.FileFormatError`
or :class:`~lindy.errors.ValidationError`, and the file is left untouched.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..errors import FileFormatError, MissingDependencyError, ValidationError
from ._record import COLUMNS, Record

__all__ = ["Store"]

_OPTIONAL = ("warnings", "timings", "versions", "tuning")  # columns added after the first layout
_REQUIRED = tuple(c for c in COLUMNS if c not in _OPTIONAL)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    {', '.join(f"{c} {'INTEGER' if c == 'random_state' else 'TEXT'}" for c in COLUMNS[1:])}
);
CREATE TABLE IF NOT EXISTS artifacts (
    key TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (key, name)
);
"""


def _to_blob(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.asarray(a), allow_pickle=False)
    return buf.getvalue()


def _from_blob(b: bytes) -> np.ndarray:
    return np.load(io.BytesIO(b), allow_pickle=False)


def _check_path(path: Path, readonly: bool) -> None:
    if path.is_dir():
        raise ValidationError(f"The store {str(path)!r} is a directory; pass a file such as "
                              f"{str(path / 'results.sqlite')!r}.")
    if readonly and not path.is_file():
        raise ValidationError(f"The store {str(path)!r} does not exist; check the path, or create "
                              f"it with `lindy bench run --store {path}`.")
    if not readonly and not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ValidationError(f"Cannot create the store {str(path)!r}: its folder cannot be "
                                  f"created ({err.strerror or err}); choose a writable location.") from None


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    try:
        if readonly:
            return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
        return sqlite3.connect(str(path), timeout=30.0)
    except sqlite3.Error as err:
        raise ValidationError(f"Cannot open the store {str(path)!r} ({err}); check the path and "
                              "its permissions.") from None


def _layout(con: sqlite3.Connection, path: Path) -> dict[str, list[str]]:
    """Tables and their columns; a FileFormatError if the file is not SQLite."""
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: [r[1] for r in con.execute(f"PRAGMA table_info('{n}')")] for n in names}
    except sqlite3.DatabaseError as err:
        raise FileFormatError(f"{str(path)!r} is not a lindy results store ({err}); pass the "
                              "SQLite file written by `lindy bench run`.") from None


def _check_layout(tables: dict[str, list[str]], path: Path, readonly: bool) -> None:
    if not tables:
        if readonly:
            raise FileFormatError(f"{str(path)!r} is empty, not a lindy results store; pass the "
                                  "SQLite file written by `lindy bench run`.")
        return
    cols = set(tables.get("results", ()))
    missing = [c for c in _REQUIRED if c not in cols]
    art = set(tables.get("artifacts", ()))
    if missing or not {"key", "name", "data"} <= art:
        what = f"its results table lacks {missing}" if "results" in tables and missing else \
            f"it has the tables {sorted(tables)}"
        raise FileFormatError(f"{str(path)!r} is a SQLite database of another layout ({what}); "
                              "pass a store written by `lindy bench run`, or a new file name.")


def _select(col: str, have: set[str]) -> str:
    """The SELECT expression of a column; stores of the first layout had ``duration`` and
    ``lindy_version`` columns instead of ``timings`` and ``versions``."""
    legacy = {"timings": ("duration", "duration"), "versions": ("lindy_version", "lindy")}
    if col in legacy and legacy[col][0] in have:
        old, key = legacy[col]
        fallback = f"json_object('{key}', {old})"
        return f"COALESCE({col}, {fallback}) AS {col}" if col in have else f"{fallback} AS {col}"
    return col if col in have else f"NULL AS {col}"


class Store:
    """A SQLite results store.

    Parameters
    ----------
    path : str or Path
        The database file (created if missing, unless ``readonly``).
    readonly : bool
        Open an existing store for reading only; nothing is ever written to it.

    Raises
    ------
    ValidationError
        The path is a directory, cannot be created, or (``readonly``) does not exist.
    FileFormatError
        The file is not a lindy results store (not SQLite, empty, another layout).

    Examples
    --------
    >>> import tempfile, os
    >>> from lindy.bench import Record
    >>> path = os.path.join(tempfile.mkdtemp(), "r.sqlite")
    >>> with Store(path) as store:
    ...     store.write(Record(key="k1", status="ok", metrics={"smape": 1.0}))
    ...     sorted(store.finished_keys())
    ['k1']
    >>> with Store(path, readonly=True) as store:
    ...     store.results()[0].metrics
    {'smape': 1.0}
    """

    def __init__(self, path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        _check_path(self.path, readonly)
        self._con = _connect(self.path, readonly)
        try:
            tables = _layout(self._con, self.path)
            _check_layout(tables, self.path, readonly)
            self._columns = set(tables.get("results", COLUMNS))
            if not readonly:
                self._init_schema()
        except BaseException:
            self._con.close()
            raise

    def _init_schema(self) -> None:
        try:
            self._con.execute("PRAGMA journal_mode=WAL")
            self._con.execute("PRAGMA synchronous=NORMAL")
            self._con.executescript(_SCHEMA)
            for col in _OPTIONAL:
                if col not in self._columns:  # a store of the first layout
                    self._con.execute(f"ALTER TABLE results ADD COLUMN {col} TEXT")
        except sqlite3.Error as err:
            raise ValidationError(f"Cannot write to the store {str(self.path)!r} ({err}); check "
                                  "its permissions or choose another file.") from None
        self._columns = set(COLUMNS) | self._columns

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

    def write(self, record: Record, artifacts: dict[str, np.ndarray] | None = None) -> None:
        """Insert or replace one job's record (and its arrays) in one transaction."""
        if self.readonly:
            raise ValidationError(f"The store {str(self.path)!r} was opened read-only.")
        if not isinstance(record, Record):
            raise ValidationError(f"Store.write takes a lindy.bench.Record; got {type(record).__name__}.")
        row = record.to_row()
        with self._con:
            self._con.execute(
                f"INSERT OR REPLACE INTO results ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(COLUMNS))})", [row[c] for c in COLUMNS])
            self._con.execute("DELETE FROM artifacts WHERE key = ?", (record.key,))
            for name, arr in (artifacts or {}).items():
                self._con.execute("INSERT INTO artifacts VALUES (?, ?, ?)",
                                  (record.key, name, _to_blob(arr)))

    def results(self, status: str | None = None, suite: str | None = None) -> list[Record]:
        """All records (optionally of one status / suite), ordered by system, method, random_state."""
        cols = [_select(c, self._columns) for c in COLUMNS]
        sql, where, args = f"SELECT {', '.join(cols)} FROM results", [], []
        for col, value in (("status", status), ("suite", suite)):
            if value is not None:
                where.append(f"{col} = ?")
                args.append(value)
        if where:
            sql += " WHERE " + " AND ".join(where)
        self._con.row_factory = sqlite3.Row
        try:
            rows = self._con.execute(sql + " ORDER BY system, method, random_state", args).fetchall()
        finally:
            self._con.row_factory = None
        return [Record.from_row(row) for row in rows]

    def artifact(self, key: str, name: str) -> np.ndarray | None:
        """One stored array, or None."""
        row = self._con.execute("SELECT data FROM artifacts WHERE key = ? AND name = ?",
                                (key, name)).fetchone()
        return None if row is None else _from_blob(row[0])

    def artifacts(self, key: str) -> dict[str, np.ndarray]:
        """Every stored array of one job."""
        return {name: _from_blob(data) for name, data in
                self._con.execute("SELECT name, data FROM artifacts WHERE key = ?", (key,))}

    def merge_from(self, others: Iterable[str | Path]) -> int:
        """Copy every record and artifact of other stores into this one; return the count.

        Every input is opened (read-only) and checked before anything is written.
        """
        sources = []
        try:
            for other in others:
                sources.append(Store(other, readonly=True))
            n = 0
            for src in sources:
                for rec in src.results():
                    self.write(rec, src.artifacts(rec.key))
                    n += 1
            return n
        finally:
            for src in sources:
                src.close()

    def to_pandas(self):
        """The results as a DataFrame: one row per job, metrics and timings as columns.

        Needs pandas. Dict-valued fields are flattened: ``metrics.smape``,
        ``timings.duration``, ``versions.lindy``; ``params``, ``protocol`` and
        ``warnings`` stay JSON text.

        Examples
        --------
        >>> import tempfile, os
        >>> from lindy.bench import Record
        >>> with Store(os.path.join(tempfile.mkdtemp(), "r.sqlite")) as store:
        ...     store.write(Record(key="k1", method="DMD", metrics={"smape": 1.5}))
        ...     df = store.to_pandas()
        >>> df.loc[0, "key"], df.loc[0, "method"], float(df.loc[0, "metrics.smape"])
        ('k1', 'DMD', 1.5)
        """
        try:
            import pandas as pd
        except ImportError:
            raise MissingDependencyError("pandas", "bench") from None
        rows = []
        for rec in self.results():
            row = rec.to_row()
            for name in ("metrics", "timings", "versions"):
                del row[name]
                row.update({f"{name}.{k}": v for k, v in getattr(rec, name).items()})
            rows.append(row)
        return pd.DataFrame(rows, columns=None if rows else list(COLUMNS))
