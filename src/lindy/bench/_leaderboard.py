"""Aggregate stored results into a leaderboard: the one builder behind the CLI and the report."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from ._record import Record

__all__ = ["leaderboard", "leaderboard_tables", "METRIC_COLUMNS"]

#: (metric, heading, higher is better)
METRIC_COLUMNS = (
    ("vpt", "VPT", True),
    ("smape", "sMAPE", False),
    ("nrmse", "NRMSE", False),
    ("fit_seconds", "fit [s]", False),
    ("warmup_seconds", "warm-up [s]", False),
)


def _value(rec: Record, name: str):
    return rec.metrics.get(name, rec.timings.get(name))


def leaderboard(records: Iterable[Record]) -> dict[str, list[dict]]:
    """Per system, one row per method: metrics averaged over random_states, best first.

    Rows are sorted by valid prediction time (descending), then sMAPE. Failed
    jobs count in ``n_failed`` and show their first error. ``warmup_seconds``
    (the untimed compile warm-up) comes from the records' timings.

    Examples
    --------
    >>> recs = [Record("k1", system="S", method="A", metrics={"vpt": 1.0, "smape": 5.0}),
    ...         Record("k2", system="S", method="B", metrics={"vpt": 2.0, "smape": 9.0})]
    >>> [row["method"] for row in leaderboard(recs)["S"]]
    ['B', 'A']
    """
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in records:
        groups[(rec.system, rec.method)].append(rec)
    board: dict[str, list[dict]] = defaultdict(list)
    for (system, method), recs in groups.items():
        ok = [r for r in recs if r.ok]
        row = {"method": method, "n_ok": len(ok), "n_failed": len(recs) - len(ok),
               "error": next((r.error for r in recs if not r.ok), None),
               "vpt_unit": ok[0].metrics.get("vpt_unit", "") if ok else ""}
        for name, _, _ in METRIC_COLUMNS:
            vals = [v for r in ok if (v := _value(r, name)) is not None]
            row[name] = float(np.mean(vals)) if vals else float("nan")
        board[system].append(row)
    for rows in board.values():
        rows.sort(key=lambda r: (-np.nan_to_num(r["vpt"], nan=-1.0),
                                 np.nan_to_num(r["smape"], nan=1e9)))
    return dict(sorted(board.items()))


def format_value(v: float | None) -> str:
    """A metric as display text (``–`` for a missing value).

    Examples
    --------
    >>> format_value(0.123456), format_value(float("nan")), format_value(123456.0)
    ('0.1235', '–', '1.235e+05')
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.4g}" if abs(v) < 1e4 else f"{v:.3e}"


def leaderboard_tables(records: Iterable[Record]) -> list[dict]:
    """The leaderboard as display tables (text cells), one per system.

    Each table has ``system``, ``title``, ``header`` (column names) and ``rows``
    (lists of cells: method, metrics, runs, first error); the CLI prints them with
    rich and the report writes them as HTML.

    Examples
    --------
    >>> recs = [Record("k1", system="S", method="A", metrics={"vpt": 1.0, "vpt_unit": "time"})]
    >>> table = leaderboard_tables(recs)[0]
    >>> table["title"], table["rows"][0][:2]
    ('S  (VPT in time)', ['A', '1'])
    """
    tables = []
    for system, rows in leaderboard(records).items():
        unit = next((r["vpt_unit"] for r in rows if r["vpt_unit"]), "")
        cells = []
        for row in rows:
            runs = str(row["n_ok"]) + (f" (+{row['n_failed']} failed)" if row["n_failed"] else "")
            cells.append([row["method"], *(format_value(row[m]) for m, _, _ in METRIC_COLUMNS),
                          runs, (row["error"] or "")[:200]])
        tables.append({"system": system, "title": f"{system}  (VPT in {unit.replace('_', ' ') or 'time'})",
                       "header": ["method", *(h for _, h, _ in METRIC_COLUMNS), "runs", "error"],
                       "rows": cells})
    return tables
