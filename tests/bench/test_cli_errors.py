"""Unusable stores, unknown names, failed runs and unreachable schedulers: clean one-line errors."""

import sqlite3
import sys

import pytest
from typer.testing import CliRunner

from lindy.bench import Record, Store, _suites
from lindy.cli import app

runner = CliRunner()


def _bad_stores(tmp_path) -> dict:
    """name -> path of a store that cannot be used."""
    (tmp_path / "empty.sqlite").write_bytes(b"")
    (tmp_path / "junk.sqlite").write_text("not a database at all" * 100)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(str(other))
    con.execute("CREATE TABLE results (id INTEGER, value REAL)")
    con.commit()
    con.close()
    (tmp_path / "folder").mkdir()
    return {"empty": tmp_path / "empty.sqlite", "junk": tmp_path / "junk.sqlite", "other": other,
            "directory": tmp_path / "folder", "missing": tmp_path / "missing.sqlite",
            "unreachable": tmp_path / "junk.sqlite" / "inside.sqlite"}


def _snapshot(tmp_path) -> dict:
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}


def _assert_clean(res, *words):
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    assert "Traceback" not in res.output
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("kind", ["empty", "junk", "other", "directory", "missing", "unreachable"])
def test_report_merge_export_on_an_unusable_store(tmp_path, kind):
    store = _bad_stores(tmp_path)[kind]
    before = _snapshot(tmp_path)
    for args in (["bench", "report", "--store", str(store), "--out", str(tmp_path / "rep")],
                 ["bench", "merge", str(store), "--out", str(tmp_path / "merged.sqlite")],
                 ["bench", "export", "--store", str(store), "--out", str(tmp_path / "x.csv")]):
        _assert_clean(runner.invoke(app, args), str(store.name))
        assert _snapshot(tmp_path) == before, f"{args[1]} wrote something"


@pytest.mark.parametrize("kind", ["junk", "other", "directory", "unreachable"])
def test_run_on_an_unusable_store(tmp_path, kind):
    store = _bad_stores(tmp_path)[kind]
    before = _snapshot(tmp_path)
    res = runner.invoke(app, ["bench", "run", "--store", str(store), "--system", "Henon"])
    _assert_clean(res, str(store.name))
    assert _snapshot(tmp_path) == before


def test_report_into_an_unusable_folder(tmp_path):
    good = tmp_path / "good.sqlite"
    with Store(good) as db:
        db.write(Record("k1"))
    (tmp_path / "afile").write_text("x")
    res = runner.invoke(app, ["bench", "report", "--store", str(good), "--out",
                              str(tmp_path / "afile" / "rep")])
    _assert_clean(res, "report folder")


def test_merge_checks_every_input_before_writing(tmp_path):
    good = tmp_path / "good.sqlite"
    with Store(good) as db:
        db.write(Record("k1"))
    res = runner.invoke(app, ["bench", "merge", str(good), str(tmp_path / "nope.sqlite"),
                              "--out", str(tmp_path / "m.sqlite")])
    _assert_clean(res, "nope.sqlite")
    assert not (tmp_path / "m.sqlite").exists()


def test_unknown_system_is_an_error_before_any_job(tmp_path):
    res = runner.invoke(app, ["bench", "run", "--store", str(tmp_path / "s.sqlite"),
                              "--system", "Henon", "--system", "NoSuch"])
    _assert_clean(res, "NoSuch")
    assert not (tmp_path / "s.sqlite").exists()


@pytest.mark.parametrize("suite, known", [("filtering", "linear_canonical"),
                                          ("sysid", "silverbox/multisine"), ("ecg", "ecg")])
def test_a_protocol_on_its_own_data_checks_its_own_systems(tmp_path, suite, known):
    """Protocols on their own data name their systems; a database system is not one of them."""
    res = runner.invoke(app, ["bench", "run", "--suite", suite, "--store", str(tmp_path / "s.sqlite"),
                              "--system", known, "--system", "Henon"])
    _assert_clean(res, "Henon")
    assert known in res.output and not (tmp_path / "s.sqlite").exists()


def test_a_run_where_every_job_failed_exits_non_zero(tmp_path, small_suite, monkeypatch):
    monkeypatch.setitem(_suites.SUITES[small_suite], "methods", [("BadAR", "LinearAR", {"n_lags": 0})])
    args = ["bench", "run", "--suite", small_suite, "--store", str(tmp_path / "f.sqlite"),
            "--jobs", "1", "--quiet", "--system", "Henon"]
    res = runner.invoke(app, args)
    assert res.exit_code == 1 and "every job failed" in res.output
    assert runner.invoke(app, args).exit_code == 0  # nothing run now: nothing failed now


def test_unreachable_scheduler_is_a_clean_error_after_the_connect_timeout(tmp_path):
    res = runner.invoke(app, ["bench", "run", "--store", str(tmp_path / "d.sqlite"), "--quiet",
                              "--system", "Henon", "--scheduler", "tcp://127.0.0.1:9",
                              "--connect-timeout", "0.5"])
    _assert_clean(res, "tcp://127.0.0.1:9", "--connect-timeout")


def test_export_csv_and_parquet(tmp_path, monkeypatch):
    import pandas as pd

    store = tmp_path / "s.sqlite"
    with Store(store) as db:
        db.write(Record("k1", method="DMD", system="Henon", metrics={"smape": 2.5},
                        timings={"duration": 1.0, "warmup_seconds": 0.5}))
        db.write(Record("k2", method="AR", system="Henon", status="error", error="boom"))
    for suffix in (".csv", ".parquet"):
        out = tmp_path / f"r{suffix}"
        res = runner.invoke(app, ["bench", "export", "--store", str(store), "--out", str(out)])
        assert res.exit_code == 0 and "2 records" in res.output, res.output
        df = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
        assert sorted(df["key"]) == ["k1", "k2"]
        assert df.set_index("key").loc["k1", "metrics.smape"] == 2.5
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    res = runner.invoke(app, ["bench", "export", "--store", str(store), "--out",
                              str(tmp_path / "n.parquet")])
    _assert_clean(res, "pip install 'lindy[bench]'")
    _assert_clean(runner.invoke(app, ["bench", "export", "--store", str(store), "--out",
                                      str(tmp_path / "r.txt")]), ".csv or .parquet")


def test_limits_on_dask_are_a_clean_error(tmp_path):
    res = runner.invoke(app, ["bench", "run", "--store", str(tmp_path / "d.sqlite"), "--quiet",
                              "--system", "Henon", "--dask-local", "2", "--timeout", "10"])
    _assert_clean(res, "--timeout")


@pytest.mark.parametrize("args, words", [
    (["--timeout", "0"], ["timeout", "seconds", "0.0"]),
    (["--memory-limit", "-5"], ["memory_limit", "megabytes"]),
    (["--connect-timeout", "0", "--scheduler", "tcp://127.0.0.1:9"], ["connect_timeout"]),
    (["--dask-local", "2", "--scheduler", "tcp://127.0.0.1:9"], ["not both"]),
])
def test_bad_run_options_are_clean_errors(tmp_path, args, words):
    res = runner.invoke(app, ["bench", "run", "--store", str(tmp_path / "o.sqlite"), "--quiet",
                              "--system", "Henon", *args])
    _assert_clean(res, *words)
    assert not (tmp_path / "o.sqlite").exists()
