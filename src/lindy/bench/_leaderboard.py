"""Aggregate stored results into a leaderboard."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

__all__ = ["leaderboard", "METRIC_COLUMNS"]

#: (metric, heading, higher is better)
METRIC_COLUMNS = (
    ("vpt", "VPT", True),
    ("smape", "sMAPE", False),
    ("nrmse", "NRMSE", False),
    ("fit_seconds", "fit [s]", False),
)


def leaderboard(records: list[dict]) -> dict[str, list[dict]]:
    """Per system, one row per method: metrics averaged over random_states, best first.

    Rows are sorted by valid prediction time (descending), then sMAPE. Failed
    jobs count in ``n_failed`` and show their first error.

    Examples
    --------
    >>> recs = [{"system": "S", "method": "A", "status": "ok", "metrics": {"vpt": 1.0, "smape": 5.0}},
    ...         {"system": "S", "method": "B", "status": "ok", "metrics": {"vpt": 2.0, "smape": 9.0}}]
    >>> [row["method"] for row in leaderboard(recs)["S"]]
    ['B', 'A']
    """
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for rec in records:
        groups[(rec["system"], rec["method"])].append(rec)
    board: dict[str, list[dict]] = defaultdict(list)
    for (system, method), recs in groups.items():
        ok = [r for r in recs if r["status"] == "ok"]
        row = {"method": method, "n_ok": len(ok), "n_failed": len(recs) - len(ok),
               "error": next((r.get("error") for r in recs if r["status"] != "ok"), None),
               "vpt_unit": ok[0]["metrics"].get("vpt_unit", "") if ok else ""}
        for name, _, _ in METRIC_COLUMNS:
            vals = [r["metrics"][name] for r in ok if name in r["metrics"]]
            row[name] = float(np.mean(vals)) if vals else float("nan")
        board[system].append(row)
    for rows in board.values():
        rows.sort(key=lambda r: (-np.nan_to_num(r["vpt"], nan=-1.0),
                                 np.nan_to_num(r["smape"], nan=1e9)))
    return dict(sorted(board.items()))
