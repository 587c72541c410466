"""System identification on measured data: the ``sysid`` suite's free-run table.

Every input model of lindy is fitted on the estimation record of each benchmark and
simulated from the test record's inputs alone (the ``sysid`` protocol of
``lindy.bench``: the first samples of the record set the initial state and are not
scored; RMSE in the data's units, NRMSE = RMSE / std of the measured test output).
The published figures of the Silverbox benchmark are printed beside the table.
Usage::

    python benchmarks/bench_sysid.py                     # runs the suite into sysid.sqlite
    python benchmarks/bench_sysid.py --store other.sqlite

The same jobs run from the command line with
``lindy bench run --suite sysid --store sysid.sqlite`` (then ``lindy bench report``);
finished jobs are skipped, so a second call only prints the table.
"""

from __future__ import annotations

import argparse
import math

import lindy as ld
from lindy.bench import SUITES, Store

#: published free-run figures on the Silverbox multisine test (see benchmarks/RESULTS.md)
ANCHORS = [
    ("linear models (BLA, ARX, OE, state space)", "13 - 18 %", ""),
    ("subspace identification (n = 2)", "18.4 %", ""),
    ("polynomial nonlinear state space (PNLSS)", "", "0.3 - 1 mV"),
]


def _cell(rec) -> str:
    if rec is None:
        return "–"
    if not rec.ok:
        return "failed"
    m = rec.metrics
    if not math.isfinite(m["nrmse"]) or m["nrmse"] > 1e3:
        return "diverged"
    scale, unit = (1e3, "mV") if m["unit"] == "V" else (1e6, "µm")
    if m["unit"] == "V" and m["rmse"] > 0.1:
        scale, unit = 1.0, "V"
    return f"{100 * m['nrmse']:.2f} % ({scale * m['rmse']:.3g} {unit})"


def table(records) -> str:
    systems = SUITES["sysid"]["systems"]
    labels = [label for label, _, _ in SUITES["sysid"]["methods"]]
    by = {(r.method, r.system): r for r in records if r.protocol.get("name") == "sysid"}
    head = "| method | " + " | ".join(systems) + " |"
    rows = [head, "|" + "---|" * (len(systems) + 1)]
    for label in labels:
        rows.append(f"| {label} | " + " | ".join(_cell(by.get((label, s))) for s in systems) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="sysid.sqlite")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    summary = ld.bench.run(suite="sysid", store=args.store, jobs=args.jobs, progress=False)
    print(f"{summary.total} jobs, {summary.ok} run now, {summary.failed} failed; store {args.store}")
    with Store(args.store, readonly=True) as db:
        records = db.results()
    print("\nFree run, NRMSE (RMSE); first 50 samples (5 for the cascaded tanks) set the state\n")
    print(table(records))
    print("\nPublished on the Silverbox multisine test (free run):")
    for name, nrmse, rmse in ANCHORS:
        print(f"  {name}: {nrmse or ''}{' NRMSE' if nrmse else ''}{rmse and ' RMSE ' + rmse}")


if __name__ == "__main__":
    main()
