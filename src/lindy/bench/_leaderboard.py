"""Aggregate stored results into leaderboards: the one builder behind the CLI and the report.

Results are grouped by protocol (its :func:`~lindy.bench._suites.protocol_label`, so
``dysts2021`` and ``dysts2021(obs_noise=0.2)`` are separate boards). For each
protocol and metric, :func:`summary` gives every method's median and interquartile
range over systems (of its per-system mean over random states) and the number of
systems on which it is best; :func:`leaderboard` gives the per-system rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from ._record import Record
from ._suites import protocol_label

__all__ = ["leaderboard", "leaderboard_tables", "summary", "by_protocol", "protocol_metrics",
           "METRIC_COLUMNS"]

#: (metric, heading, higher is better) of the forecasting protocols
METRIC_COLUMNS = (
    ("vpt", "VPT", True),
    ("smape", "sMAPE", False),
    ("nrmse", "NRMSE", False),
    ("fit_seconds", "fit [s]", False),
    ("warmup_seconds", "warm-up [s]", False),
)
_DSR_COLUMNS = (
    ("dstsp", "D_stsp", False),
    ("hellinger", "D_H", False),
    ("fit_seconds", "fit [s]", False),
    ("warmup_seconds", "warm-up [s]", False),
)
_ECG_COLUMNS = (
    ("dstsp", "D_stsp", False),
    ("hellinger", "D_H", False),
    ("smape", "sMAPE", False),
    ("nrmse", "NRMSE", False),
    ("fit_seconds", "fit [s]", False),
)
_SYSID_COLUMNS = (
    ("nrmse", "NRMSE", False),
    ("rmse", "RMSE", False),
    ("fit_seconds", "fit [s]", False),
)
#: the filtering protocol: state-estimation MSE in dB and its gap to the reference filter
_FILTERING_COLUMNS = (
    ("mse_db", "MSE [dB]", False),
    ("gap_db", "MSE - reference [dB]", False),
    ("fit_seconds", "fit [s]", False),
)
_PROTOCOL_COLUMNS = {"dsr": _DSR_COLUMNS, "ecg": _ECG_COLUMNS, "sysid": _SYSID_COLUMNS,
                     "filtering": _FILTERING_COLUMNS}
_TIMINGS = {"fit_seconds", "warmup_seconds"}


def protocol_metrics(protocol: str, *, scores_only: bool = False) -> tuple:
    """The (metric, heading, higher is better) columns of a protocol (name or label).

    Examples
    --------
    >>> [m for m, _, _ in protocol_metrics("dsr", scores_only=True)]
    ['dstsp', 'hellinger']
    >>> [m for m, _, _ in protocol_metrics("dysts2021(obs_noise=0.2)", scores_only=True)]
    ['vpt', 'smape', 'nrmse']
    """
    cols = _PROTOCOL_COLUMNS.get(protocol.split("(")[0], METRIC_COLUMNS)
    return tuple(c for c in cols if c[0] not in _TIMINGS) if scores_only else cols


def by_protocol(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Records grouped by protocol label, in order of first appearance.

    Examples
    --------
    >>> recs = [Record("a", protocol={"name": "dysts2021"}),
    ...         Record("b", protocol={"name": "dysts2021", "obs_noise": 0.2})]
    >>> list(by_protocol(recs))
    ['dysts2021', 'dysts2021(obs_noise=0.2)']
    """
    groups: dict[str, list[Record]] = {}
    for rec in records:
        groups.setdefault(protocol_label(rec.protocol or {"name": "forecast"}), []).append(rec)
    return groups


def _value(rec: Record, name: str):
    return rec.metrics.get(name, rec.timings.get(name))


def leaderboard(records: Iterable[Record]) -> dict[str, list[dict]]:
    """Per system, one row per method and protocol: metrics averaged over random_states.

    Rows are sorted by protocol, then by its primary metric, best first: sMAPE
    for ``dysts2021``, D_stsp for ``dsr``, valid prediction time otherwise. Failed
    jobs count in ``n_failed`` and show their first error. ``warmup_seconds`` (the
    untimed compile warm-up) comes from the records' timings.

    Examples
    --------
    >>> recs = [Record("k1", system="S", method="A", metrics={"vpt": 1.0, "smape": 5.0}),
    ...         Record("k2", system="S", method="B", metrics={"vpt": 2.0, "smape": 9.0})]
    >>> [(row["method"], row["protocol"]) for row in leaderboard(recs)["S"]]
    [('B', 'forecast'), ('A', 'forecast')]
    """
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for label, recs in by_protocol(records).items():
        for rec in recs:
            groups[(rec.system, label, rec.method)].append(rec)
    names = {m for cols in (METRIC_COLUMNS, _DSR_COLUMNS, _SYSID_COLUMNS, _FILTERING_COLUMNS)
             for m, _, _ in cols}
    board: dict[str, list[dict]] = defaultdict(list)
    for (system, label, method), recs in groups.items():
        ok = [r for r in recs if r.ok]
        row = {"method": method, "protocol": label, "n_ok": len(ok),
               "n_failed": len(recs) - len(ok),
               "error": next((r.error for r in recs if not r.ok), None),
               "vpt_unit": ok[0].metrics.get("vpt_unit", "") if ok else ""}
        for name in sorted(names):
            vals = [v for r in ok if (v := _value(r, name)) is not None]
            row[name] = float(np.mean(vals)) if vals else float("nan")
        board[system].append(row)
    for rows in board.values():
        rows.sort(key=_row_order)
    return dict(sorted(board.items()))


#: the metric a protocol's per-system rows are sorted by first (else valid prediction time)
_PRIMARY = {"dysts2021": "smape", "dsr": "dstsp", "ecg": "dstsp", "sysid": "nrmse",
            "filtering": "mse_db"}


def _row_order(row: dict) -> tuple:
    """Sort key: protocol, then its primary metric (best first), then the others."""
    vpt = -np.nan_to_num(row["vpt"], nan=-1.0)
    smape = np.nan_to_num(row["smape"], nan=1e9)
    dstsp = np.nan_to_num(row["dstsp"], nan=1e300)
    nrmse = np.nan_to_num(row["nrmse"], nan=1e300)
    primary = _PRIMARY.get(row["protocol"].split("(")[0], "vpt")
    first = {"vpt": vpt, "smape": smape, "dstsp": dstsp, "nrmse": nrmse,
             "mse_db": np.nan_to_num(row["mse_db"], nan=1e300)}[primary]
    return (row["protocol"], first, vpt, smape, dstsp)


def _quartiles(vals: list[float]) -> tuple[float, float, float]:
    """25th, 50th and 75th percentiles, linearly interpolated (an ``inf`` stays ``inf``).

    Examples
    --------
    >>> _quartiles([0.5, 4.0, float("inf")])
    (2.25, 4.0, inf)
    """
    v = sorted(vals)
    out = []
    for q in (0.25, 0.5, 0.75):
        h = (len(v) - 1) * q
        lo, frac = int(math.floor(h)), h - math.floor(h)
        out.append(v[lo] if frac == 0 else v[lo] + frac * (v[lo + 1] - v[lo]))
    return tuple(float(x) for x in out)


def summary(records: Iterable[Record]) -> dict[str, dict[str, list[dict]]]:
    """Per protocol and metric, one row per method: median and IQR over systems, best counts.

    A method's value on a system is its mean over random states (successful runs
    only); a run without a finite score (a diverged generation under ``dsr``) makes
    it the worst value (``inf``, or 0 when higher is better) and counts in
    ``n_diverged``. The median and quartiles are over the systems where the method
    ran (``n_systems`` of ``n_total``; ``n_failed`` systems had only failed runs).
    ``n_best`` counts the systems on which the method has the best value (ties
    count for each). Rows are sorted by median, best first.

    Examples
    --------
    >>> recs = [Record(f"k{i}", system=s, method=m, metrics={"smape": v})
    ...         for i, (s, m, v) in enumerate([("S1", "A", 10.0), ("S2", "A", 30.0),
    ...                                        ("S1", "B", 20.0), ("S2", "B", 5.0),
    ...                                        ("S3", "B", 7.0)])]
    >>> rows = summary(recs)["forecast"]["smape"]
    >>> [(r["method"], r["median"], r["n_best"], r["n_systems"]) for r in rows]
    [('B', 7.0, 2, 3), ('A', 20.0, 1, 2)]
    """
    out: dict[str, dict[str, list[dict]]] = {}
    for label, recs in by_protocol(records).items():
        board = leaderboard(recs)
        systems = sorted(board)
        methods = list(dict.fromkeys(r["method"] for rows in board.values() for r in rows))
        out[label] = {}
        for metric, heading, higher in protocol_metrics(label, scores_only=True):
            per: dict[str, dict[str, float]] = defaultdict(dict)
            failed: dict[str, int] = defaultdict(int)
            diverged: dict[str, int] = defaultdict(int)
            for system in systems:
                for row in board[system]:
                    value = row[metric]
                    if row["n_ok"] and math.isnan(value):  # no finite score: the worst
                        value = 0.0 if higher else math.inf
                        diverged[row["method"]] += 1
                    if row["n_ok"]:
                        per[row["method"]][system] = value
                    elif row["n_failed"]:
                        failed[row["method"]] += 1
            best = defaultdict(int)
            for system in systems:
                vals = {m: v[system] for m, v in per.items() if system in v}
                if vals:
                    top = (max if higher else min)(vals.values())
                    for m, v in vals.items():
                        best[m] += v == top
            rows = []
            for m in methods:
                vals = list(per[m].values())
                q1, med, q3 = _quartiles(vals) if vals else (math.nan,) * 3
                rows.append({"method": m, "metric": metric, "heading": heading, "higher": higher,
                             "median": med, "q25": q1, "q75": q3, "n_best": best[m],
                             "n_systems": len(vals), "n_total": len(systems),
                             "n_failed": failed[m], "n_diverged": diverged[m]})
            sign = -1.0 if higher else 1.0
            rows.sort(key=lambda r: (math.isnan(r["median"]),
                                     sign * np.nan_to_num(r["median"], nan=0.0), -r["n_best"]))
            out[label][metric] = rows
    return out


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


def _summary_tables(records) -> list[dict]:
    tables = []
    for label, metrics in summary(records).items():
        for metric, rows in metrics.items():
            if not rows:
                continue
            heading, higher = rows[0]["heading"], rows[0]["higher"]
            cells = [[r["method"], format_value(r["median"]),
                      f"{format_value(r['q25'])} – {format_value(r['q75'])}", str(r["n_best"]),
                      f"{r['n_systems']}/{r['n_total']}", str(r["n_diverged"]), str(r["n_failed"]), ""]
                     for r in rows]
            tables.append({
                "kind": "summary", "protocol": label, "metric": metric, "system": None,
                "title": f"{label}: {heading} over systems ({'higher' if higher else 'lower'} "
                         "is better)",
                "header": ["method", "median", "IQR", "best on", "systems", "non-finite on",
                           "failed on", "error"],
                "rows": cells})
    return tables


def _system_tables(records) -> list[dict]:
    tables = []
    groups = by_protocol(records)
    for label, recs in groups.items():
        cols = protocol_metrics(label)
        for system, rows in leaderboard(recs).items():
            unit = next((r["vpt_unit"] for r in rows if r["vpt_unit"]), "")
            cells = []
            for row in rows:
                runs = str(row["n_ok"]) + (f" (+{row['n_failed']} failed)" if row["n_failed"] else "")
                cells.append([row["method"], *(format_value(row[m]) for m, _, _ in cols),
                              runs, (row["error"] or "")[:200]])
            vpt = "" if cols is not METRIC_COLUMNS else f"  (VPT in {unit.replace('_', ' ') or 'time'})"
            title = f"{system}{vpt}" if len(groups) == 1 else f"{system} · {label}{vpt}"
            tables.append({"kind": "system", "protocol": label, "metric": None, "system": system,
                           "title": title,
                           "header": ["method", *(h for _, h, _ in cols), "runs", "error"],
                           "rows": cells})
    return tables


def leaderboard_tables(records: Iterable[Record], *, per_system: bool = True,
                       summaries: bool = True) -> list[dict]:
    """The leaderboards as display tables (text cells): summaries, then per-system tables.

    Each table has ``kind`` (``"summary"`` for a protocol and metric over systems,
    ``"system"`` for one system under one protocol), ``protocol``, ``metric``,
    ``system``, ``title``, ``header`` (column names) and ``rows`` (lists of
    cells; the last is the first error, possibly empty). The CLI prints them with
    rich and the report writes them as HTML.

    Examples
    --------
    >>> recs = [Record("k1", system="S", method="A", metrics={"vpt": 1.0, "vpt_unit": "time"})]
    >>> tables = leaderboard_tables(recs)
    >>> [(t["kind"], t["title"]) for t in tables][-2:]
    [('summary', 'forecast: NRMSE over systems (lower is better)'), ('system', 'S  (VPT in time)')]
    >>> tables[-1]["rows"][0][:2]
    ['A', '1']
    """
    records = list(records)
    return ((_summary_tables(records) if summaries else [])
            + (_system_tables(records) if per_system else []))
