import numpy as np
from typer.testing import CliRunner

import lindy as ld
from lindy.cli import app

runner = CliRunner()


def test_systems_table():
    res = runner.invoke(app, ["systems", "--kind", "map"])
    assert res.exit_code == 0 and "Henon" in res.output and "Lorenz" not in res.output


def test_simulate_writes_npz(tmp_path):
    out = tmp_path / "lorenz.npz"
    res = runner.invoke(app, ["simulate", "Lorenz", "--steps", "200", "--out", str(out),
                              "--n-traj", "2", "--random-state", "0"])
    assert res.exit_code == 0, res.output
    with np.load(out) as data:
        assert data["x"].shape == (2, 200, 3) and data["t"].shape == (200,)


def test_simulate_unknown_system_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["simulate", "Lorenzz", "--out", str(tmp_path / "x.npz")])
    assert res.exit_code != 0


def test_bench_run_report_merge(tmp_path):
    s1, s2 = tmp_path / "p1.sqlite", tmp_path / "p2.sqlite"
    for i, store in ((1, s1), (2, s2)):
        res = runner.invoke(app, ["bench", "run", "--suite", "quick", "--store", str(store),
                                  "--jobs", "1", "--system", "Henon", "--shard", f"{i}/2"])
        assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["bench", "merge", str(s1), str(s2), "--out",
                              str(tmp_path / "all.sqlite")])
    n_henon = len(ld.bench.suite_jobs("quick", systems=["Henon"]))
    assert res.exit_code == 0 and f"merged {n_henon} records" in res.output
    res = runner.invoke(app, ["bench", "report", "--store", str(tmp_path / "all.sqlite"),
                              "--out", str(tmp_path / "rep")])
    assert res.exit_code == 0 and (tmp_path / "rep" / "index.html").exists()
    res = runner.invoke(app, ["bench", "run", "--suite", "quick", "--store",
                              str(tmp_path / "all.sqlite"), "--system", "Henon"])
    assert f"{n_henon} already done" in res.output and "Henon" in res.output


def test_bench_bad_shard_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["bench", "run", "--shard", "9/2", "--store",
                              str(tmp_path / "x.sqlite")])
    assert res.exit_code == 2


def test_version_and_methods():
    assert "lindy" in runner.invoke(app, ["--version"]).output
    assert "DMD" in runner.invoke(app, ["bench", "methods"]).output


def test_systems_rejects_unknown_kind():
    res = runner.invoke(app, ["systems", "--kind", "bogus"])
    assert res.exit_code == 2
