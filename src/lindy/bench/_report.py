"""A static HTML report: leaderboard tables and forecast-vs-truth plots per system."""

from __future__ import annotations

import html
from pathlib import Path

from ..errors import ValidationError
from ._leaderboard import leaderboard_tables
from ._store import Store

__all__ = ["write_report"]

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr:first-child td { font-weight: 600; }
.err { color: #b00; font-size: 0.85em; text-align: left; }
img { max-width: 100%; border: 1px solid #eee; }
"""


def _plot_system(store: Store, system: str, records: list, path: Path) -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in records if r.system == system and r.ok]
    if not ok:
        return False
    random_state = min(r.random_state for r in ok)
    ok = [r for r in ok if r.random_state == random_state]
    truth = store.artifact(ok[0].key, "truth")
    if truth is None:
        return False
    dims = min(truth.shape[1], 3)
    fig, axes = plt.subplots(dims, 1, figsize=(9, 2.2 * dims), sharex=True, squeeze=False)
    steps = range(truth.shape[0])
    for i in range(dims):
        ax = axes[i, 0]
        ax.plot(steps, truth[:, i], color="k", lw=2, label="truth")
        for rec in ok:
            fc = store.artifact(rec.key, "forecast")
            if fc is not None:
                lo, hi = truth[:, i].min(), truth[:, i].max()
                pad = 0.5 * (hi - lo + 1e-12)
                ax.plot(steps, fc[:, i].clip(lo - pad, hi + pad), lw=1, label=rec.method)
        ax.set_ylabel(f"x{i}")
    axes[0, 0].set_title(f"{system}: forecast vs truth (random_state {random_state})")
    axes[0, 0].legend(loc="upper right", fontsize=8, ncol=4)
    axes[-1, 0].set_xlabel("forecast step")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def write_report(store: str | Path, out: str | Path) -> Path:
    """Write ``out/index.html`` with the leaderboard and one PNG per system.

    Parameters
    ----------
    store : path
        Results store written by :func:`lindy.bench.run` (opened read-only; an
        unusable store raises before the output folder is created).
    out : path
        Output folder (created).

    Returns
    -------
    Path
        The HTML file.
    """
    from .. import __version__

    with Store(store, readonly=True) as db:  # checked before anything is written
        records = db.results()
        out = Path(out)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ValidationError(f"Cannot create the report folder {str(out)!r} "
                                  f"({err.strerror or err}); choose a writable location.") from None
        parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>lindy benchmark"
                 f"</title><style>{_CSS}</style></head><body>",
                 "<h1>lindy benchmark</h1>",
                 f"<p>{len(records)} jobs ({sum(r.ok for r in records)} ok) from "
                 f"<code>{html.escape(Path(store).name)}</code>, lindy {__version__}. VPT is the "
                 "valid prediction time (sMAPE threshold 30) in Lyapunov times for chaotic "
                 "systems, in time units otherwise; higher is better. Fit times exclude the "
                 "one-off compile warm-up, shown on its own.</p>"]
        for table in leaderboard_tables(records, summaries=False):
            system = table["system"]
            parts.append(f"<h2 id='{html.escape(system)}'>{html.escape(system)}</h2><table>")
            heads = "".join(f"<th>{html.escape(h)}</th>" for h in table["header"][:-1])
            parts.append(f"<tr>{heads}<th></th></tr>")
            for row in table["rows"]:
                cells = "".join(f"<td>{html.escape(c)}</td>" for c in row[:-1])
                parts.append(f"<tr>{cells}<td class='err'>{html.escape(row[-1])}</td></tr>")
            parts.append("</table>")
            png = f"forecast_{system}.png"
            if _plot_system(db, system, records, out / png):
                parts.append(f"<img src='{png}' alt='{html.escape(system)} forecast vs truth'>")
        parts.append("</body></html>")
    index = out / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index
