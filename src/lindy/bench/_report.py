"""A static HTML report, viewable offline: leaderboards, per-system plots, failures, setup.

Layout of the output folder::

    index.html          per protocol and metric: median and IQR over systems, best counts
    systems/<S>.html    per system and protocol: the table, forecast vs truth, attractor,
                        power spectrum
    failures.html       every failed job with its reason and traceback
    config.html         versions, hosts, suites, protocol settings, method parameters
    img/*.png           the plots (relative links only; no network access needed)
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..errors import ValidationError
from ._leaderboard import by_protocol, leaderboard, leaderboard_tables
from ._store import Store

__all__ = ["write_report"]

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr:first-child td { font-weight: 600; }
.err { color: #b00; font-size: 0.85em; text-align: left; }
pre { font-size: 0.8em; background: #f6f6f6; padding: 0.5rem; overflow-x: auto; }
img { max-width: 100%; border: 1px solid #eee; }
.plots { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.plots img { max-width: 49%; }
"""

#: methods drawn in a plot (the best of the system's leaderboard)
_MAX_PLOTTED = 5


def _slug(text: str) -> str:
    """A file-name-safe form of a system name or protocol label.

    Examples
    --------
    >>> _slug("dysts2021(obs_noise=0.2)")
    'dysts2021_obs_noise_0.2'
    """
    return re.sub(r"[^A-Za-z0-9.-]+", "_", text).strip("_")


def _page(title: str, body: list[str], root: str = "") -> str:
    nav = (f"<nav><a href='{root}index.html'>leaderboards</a><a href='{root}failures.html'>"
           f"failures</a><a href='{root}config.html'>versions and configuration</a></nav>")
    return "\n".join([f"<!doctype html><html><head><meta charset='utf-8'><title>"
                      f"{html.escape(title)}</title><style>{_CSS}</style></head><body>", nav,
                      f"<h1>{html.escape(title)}</h1>", *body, "</body></html>"])


def _table(table: dict, link=None) -> str:
    heads = "".join(f"<th>{html.escape(h)}</th>" for h in table["header"][:-1])
    rows = [f"<table><tr>{heads}<th></th></tr>"]
    for row in table["rows"]:
        first = html.escape(row[0])
        if link is not None:
            first = link(row[0])
        cells = "".join(f"<td>{html.escape(c)}</td>" for c in row[1:-1])
        rows.append(f"<tr><td>{first}</td>{cells}<td class='err'>{html.escape(row[-1])}</td></tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _figure(n_rows: int, n_cols: int, size):
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    fig = Figure(figsize=size)
    return fig, fig.subplots(n_rows, n_cols, squeeze=False)


def _clip(fc: np.ndarray, truth: np.ndarray) -> np.ndarray:
    lo, hi = truth.min(axis=0), truth.max(axis=0)
    pad = 0.5 * (hi - lo + 1e-12)
    return np.clip(np.nan_to_num(fc, nan=0.0), lo - pad, hi + pad)


def _plot_forecast(title, truth, forecasts, path: Path) -> None:
    dims = min(truth.shape[1], 3)
    n = min(truth.shape[0], 1000)
    fig, axes = _figure(dims, 1, (9, 1.9 * dims + 0.6))
    for i in range(dims):
        ax = axes[i, 0]
        ax.plot(truth[:n, i], color="k", lw=2, label="truth")
        for method, fc in forecasts:
            ax.plot(_clip(fc[:n], truth)[:, i], lw=1, label=method)
        ax.set_ylabel(f"x{i}")
    axes[0, 0].set_title(f"{title}: forecast vs truth")
    axes[0, 0].legend(loc="upper right", fontsize=7, ncol=3)
    axes[-1, 0].set_xlabel("forecast step")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def _coords(x: np.ndarray, lag: int):
    if x.shape[1] >= 2:
        return x[:, 0], x[:, 1], "x0", "x1"
    lag = max(1, min(lag, x.shape[0] // 4))
    return x[:-lag, 0], x[lag:, 0], "x0(t)", f"x0(t + {lag} steps)"


def _plot_attractor(title, truth, forecasts, lag: int, path: Path) -> None:
    fig, axes = _figure(1, 1, (5, 4.4))
    ax = axes[0, 0]
    a, b, xl, yl = _coords(truth, lag)
    ax.plot(a, b, color="k", lw=1.2, label="truth")
    for method, fc in forecasts:
        a, b, _, _ = _coords(_clip(fc, truth), lag)
        ax.plot(a, b, lw=0.7, alpha=0.8, label=method)
    ax.set_xlabel(xl)
    ax.set_ylabel(yl)
    ax.set_title(f"{title}\nattractor", fontsize=8)
    ax.legend(fontsize=6, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def _plot_spectrum(title, truth, forecasts, dt: float, path: Path) -> None:
    from ..metrics import power_spectrum

    T = truth.shape[0]
    smoothing = float(max(1.0, min(20.0, T / 100)))
    freq = np.fft.rfftfreq(T, d=dt)
    fig, axes = _figure(1, 1, (5, 4.4))
    ax = axes[0, 0]
    ax.semilogy(freq, np.maximum(power_spectrum(truth[:, :1], smoothing)[:, 0], 1e-12),
                color="k", lw=1.5, label="truth")
    for method, fc in forecasts:
        ps = power_spectrum(_clip(fc[:T, :1], truth[:, :1]), smoothing)[:, 0]
        ax.semilogy(freq[: ps.shape[0]], np.maximum(ps, 1e-12), lw=0.9, label=method)
    ax.set_xlabel("frequency [1/time]")
    ax.set_ylabel("power of x0 (normalized)")
    ax.set_title(f"{title}\npower spectrum", fontsize=8)
    ax.legend(fontsize=6, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def _plots(db: Store, system: str, label: str, recs: list, rows: list, img: Path) -> list[str]:
    """Draw the three plots of one system under one protocol; their file names."""
    ok = [r for r in recs if r.ok]
    if not ok:
        return []
    random_state = min(r.random_state for r in ok)
    by_method = {r.method: r for r in ok if r.random_state == random_state}
    chosen = [row["method"] for row in rows if row["method"] in by_method][:_MAX_PLOTTED]
    truth = db.artifact(by_method[chosen[0]].key, "truth") if chosen else None
    if truth is None:
        return []
    truth = np.asarray(truth, dtype=float).reshape(truth.shape[0], -1)
    forecasts = []
    for method in chosen:
        fc = db.artifact(by_method[method].key, "forecast")
        if fc is not None:
            fc = np.asarray(fc, dtype=float).reshape(fc.shape[0], -1)
            span = float(np.ptp(truth)) + 1e-12
            far = not np.isfinite(fc).all() or np.abs(fc - truth.mean()).max() > 1e3 * span
            forecasts.append((method + (" (diverged, clipped)" if far else ""), fc))
    rec = by_method[chosen[0]]
    from ._protocols import PROTOCOL_DEFAULTS

    settings = {**PROTOCOL_DEFAULTS.get(rec.protocol.get("name", "forecast"), {}), **rec.protocol}
    ppp = settings.get("pts_per_period") or 20  # delay of a quarter period for 1-d data
    title = f"{system}, {label}, random_state {random_state}"
    stem = f"{_slug(system)}__{_slug(label)}"
    names = [f"{stem}__forecast.png", f"{stem}__attractor.png", f"{stem}__spectrum.png"]
    _plot_forecast(title, truth, forecasts, img / names[0])
    _plot_attractor(title, truth, forecasts, max(1, int(ppp) // 4), img / names[1])
    _plot_spectrum(title, truth, forecasts, float(rec.metrics.get("dt", 1.0)), img / names[2])
    return names


def _index(records, store_name: str, version: str, systems: list[str]) -> str:
    n_ok = sum(r.ok for r in records)
    body = [f"<p>{len(records)} jobs ({n_ok} ok, <a href='failures.html'>"
            f"{len(records) - n_ok} failed</a>) on {len(systems)} systems from "
            f"<code>{html.escape(store_name)}</code>, report by lindy {html.escape(version)}. "
            "Each table ranks the methods under one protocol by one metric: the median and "
            "interquartile range over systems of each method's per-system value (its mean over "
            "random states), the number of systems on which it is best (ties count for each), "
            "and on how many systems it has a value. VPT is the valid prediction time (sMAPE "
            "threshold 30) in Lyapunov times for chaotic systems, in time units otherwise; "
            "D_stsp is the state-space divergence and D_H the power-spectrum Hellinger "
            "distance of a long generated run.</p>"]
    tables = leaderboard_tables(records, per_system=False)
    for label in dict.fromkeys(t["protocol"] for t in tables):
        body.append(f"<h2 id='{_slug(label)}'>{html.escape(label)}</h2>")
        for table in (t for t in tables if t["protocol"] == label):
            body.append(f"<h3>{html.escape(table['title'])}</h3>")
            body.append(_table(table))
    links = " ".join(f"<a href='systems/{_slug(s)}.html'>{html.escape(s)}</a>" for s in systems)
    body.append(f"<h2>Systems</h2><p>{links}</p>")
    return _page("lindy benchmark", body)


def _system_page(db: Store, system: str, groups: dict, img: Path) -> str:
    body = []
    for label, recs in groups.items():
        mine = [r for r in recs if r.system == system]
        if not mine:
            continue
        table = next(t for t in leaderboard_tables(mine, summaries=False))
        body.append(f"<h2>{html.escape(label)}</h2><p>{html.escape(table['title'])}</p>")
        body.append(_table(table))
        body += _tuning_table(mine)
        names = _plots(db, system, label, mine, leaderboard(mine)[system], img)
        alts = ("forecast vs truth", "attractor: truth vs forecasts", "power spectrum")
        body.append("<div class='plots'>" + "".join(
            f"<img src='../img/{n}' alt='{html.escape(system)} {a}'>" for n, a in zip(names, alts))
            + "</div>")
    return _page(f"{system}", body, root="../")


def _tuning_table(records) -> list[str]:
    """The hyperparameters chosen for the tuned records (budget, validation score, choice)."""
    tuned = [r for r in records if r.tuning]
    if not tuned:
        return []
    rows = ["<table><tr><th>tuned method</th><th>random_state</th><th>budget</th>"
            "<th>validation score</th><th>chosen hyperparameters</th></tr>"]
    for r in sorted(tuned, key=lambda r: (r.method, r.random_state)):
        t = r.tuning
        chosen = json.dumps(t.get("params", {}), sort_keys=True) if t.get("params") else \
            "none succeeded: the entry's own parameters"
        rows.append(f"<tr><td>{html.escape(r.method)}</td><td>{r.random_state}</td>"
                    f"<td>{t.get('budget')}</td><td>{html.escape(t.get('metric', ''))} "
                    f"{float(t.get('score', float('nan'))):.4g}</td>"
                    f"<td class='err' style='color:#222'><code>{html.escape(chosen)}</code></td></tr>")
    rows.append("</table>")
    return ["\n".join(rows)]


def _failures_page(records) -> str:
    failed = [r for r in records if not r.ok]
    body = [f"<p>{len(failed)} of {len(records)} jobs failed.</p>"]
    if failed:
        body.append("<table><tr><th>system</th><th>protocol</th><th>method</th>"
                    "<th>random state</th><th>reason</th></tr>")
        for label, recs in by_protocol(failed).items():
            for r in recs:
                body.append(f"<tr><td><a href='systems/{_slug(r.system)}.html'>"
                            f"{html.escape(r.system)}</a></td><td>{html.escape(label)}</td>"
                            f"<td>{html.escape(r.method)}</td><td>{r.random_state}</td>"
                            f"<td class='err'>{html.escape(r.error)}<details><summary>traceback"
                            f"</summary><pre>{html.escape(r.traceback)}</pre></details></td></tr>")
        body.append("</table>")
    return _page("Failures", body)


def _config_page(records, store: Path) -> str:
    from .. import __version__
    from ._protocols import PROTOCOL_DEFAULTS

    versions = defaultdict(set)
    for r in records:
        for k, v in r.versions.items():
            versions[k].add(str(v))
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(', '.join(sorted(v)))}</td></tr>"
                   for k, v in sorted(versions.items()))
    body = [f"<p>Store <code>{html.escape(str(store))}</code>; report written by lindy "
            f"{html.escape(__version__)}.</p>",
            f"<h2>Versions of the workers</h2><table><tr><th>package</th><th>version(s)</th></tr>"
            f"{rows}</table>",
            f"<p>Hosts: {html.escape(', '.join(sorted({r.host for r in records if r.host})))}."
            f" Suites: {html.escape(', '.join(sorted({r.suite for r in records if r.suite})))}."
            f" Random states: {sorted({r.random_state for r in records})}.</p>",
            "<h2>Protocols (all settings)</h2>"]
    for label, recs in by_protocol(records).items():
        proto = recs[0].protocol or {"name": "forecast"}
        settings = {**PROTOCOL_DEFAULTS.get(proto.get("name", "forecast"), {}), **proto}
        body.append(f"<h3>{html.escape(label)}</h3><pre>"
                    f"{html.escape(json.dumps(settings, sort_keys=True, indent=1))}</pre>")
    body.append("<h2>Methods</h2><table><tr><th>label</th><th>parameters</th></tr>")
    params = {r.method: r.params for r in records}
    for label, p in sorted(params.items()):
        body.append(f"<tr><td>{html.escape(label)}</td><td class='err' style='color:#222'>"
                    f"<code>{html.escape(json.dumps(p, sort_keys=True))}</code></td></tr>")
    body.append("</table>")
    return _page("Versions and configuration", body)


def write_report(store: str | Path, out: str | Path) -> Path:
    """Write a static site: ``out/index.html`` and the pages and plots it links to.

    Parameters
    ----------
    store : path
        Results store written by :func:`lindy.bench.run` (opened read-only; an
        unusable store raises before the output folder is created).
    out : path
        Output folder (created). Pages link to each other and to ``img/`` by
        relative paths, so the folder can be copied and opened offline.

    Returns
    -------
    Path
        The index page.
    """
    from .. import __version__

    with Store(store, readonly=True) as db:  # checked before anything is written
        records = db.results()
        out = Path(out)
        try:
            (out / "img").mkdir(parents=True, exist_ok=True)
            (out / "systems").mkdir(exist_ok=True)
        except OSError as err:
            raise ValidationError(f"Cannot create the report folder {str(out)!r} "
                                  f"({err.strerror or err}); choose a writable location.") from None
        systems = sorted({r.system for r in records})
        groups = by_protocol(records)
        for system in systems:
            (out / "systems" / f"{_slug(system)}.html").write_text(
                _system_page(db, system, groups, out / "img"), encoding="utf-8")
    (out / "failures.html").write_text(_failures_page(records), encoding="utf-8")
    (out / "config.html").write_text(_config_page(records, Path(store)), encoding="utf-8")
    index = out / "index.html"
    index.write_text(_index(records, Path(store).name, __version__, systems), encoding="utf-8")
    return index
