"""The CLI prints the leaderboard builder's tables, protocol by protocol."""

import pytest
from typer.testing import CliRunner

from lindy.bench import Record, Store, _suites, suite_jobs
from lindy.cli import app
from lindy.errors import ValidationError

runner = CliRunner()


def _store(path, systems):
    with Store(path) as db:
        for i, system in enumerate(systems):
            for j, (method, v) in enumerate((("A", 1.0), ("B", 2.0))):
                db.write(Record(f"f{i}{j}", suite="s", system=system, method=method,
                                protocol={"name": "dysts2021"},
                                metrics={"smape": v, "vpt": v, "nrmse": v}))
                db.write(Record(f"d{i}{j}", suite="s", system=system, method=method,
                                protocol={"name": "dsr"}, metrics={"dstsp": v, "hellinger": v}))




def test_print_leaderboard_output(tmp_path, capsys):
    from rich.console import Console

    from lindy import cli

    _store(tmp_path / "a.sqlite", ["S1", "S2"])
    _store(tmp_path / "b.sqlite", [f"S{i}" for i in range(12)])
    old = cli.console
    try:
        cli.console = Console(width=200, record=True)
        cli.print_leaderboard(tmp_path / "a.sqlite")
        few = cli.console.export_text()
        cli.console = Console(width=200, record=True)
        cli.print_leaderboard(tmp_path / "b.sqlite")
        many = cli.console.export_text()
    finally:
        cli.console = old
    assert few.index("dysts2021") < few.index("dsr")
    for text in ("dysts2021: sMAPE over systems (lower is better)", "dsr: D_stsp over systems",
                 "median", "IQR", "best on", "S1 · dysts2021", "S2 · dsr"):
        assert text in few
    # with many systems only the summaries are printed, and the report is pointed at
    assert "S11 · dsr" not in many and "lindy bench report" in many and "12/12" in many


def test_methods_command_and_suite_definitions(monkeypatch):
    res = runner.invoke(app, ["bench", "methods"])
    assert res.exit_code == 0 and "standard" in res.output and "129 systems" in res.output
    monkeypatch.setitem(_suites.SUITES, "both", {**_suites.SUITES["quick"],
                                                 "protocol": {"name": "forecast"}})
    with pytest.raises(ValidationError, match="exactly one of"):
        suite_jobs("both")
