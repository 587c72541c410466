"""A Dask LocalCluster sweep (--dask-local N) stores what the local executor stores."""

from typer.testing import CliRunner

from lindy.bench import Store, _suites, run
from lindy.cli import app


def _contents(path) -> dict:
    """key -> (status, error, metrics without timings)."""
    with Store(path, readonly=True) as db:
        return {r.key: (r.status, r.error.split(":")[0],
                        {k: v for k, v in r.metrics.items() if not k.endswith("_seconds")})
                for r in db.results()}


def test_dask_local_cluster_matches_local_processes(tmp_path, small_suite, monkeypatch):
    monkeypatch.setitem(_suites.SUITES[small_suite], "methods",
                        [*_suites._BASE_METHODS, ("BadAR", "LinearAR", {"n_lags": 0})])
    res = CliRunner().invoke(app, ["bench", "run", "--suite", small_suite, "--store",
                                   str(tmp_path / "d.sqlite"), "--dask-local", "2", "--quiet",
                                   "--system", "Henon"])
    assert res.exit_code == 0, res.output
    local = run(small_suite, store=tmp_path / "p.sqlite", jobs=2, progress=False, systems=["Henon"])
    assert (local.ok, local.failed) == (6, 2)
    dask, procs = _contents(tmp_path / "d.sqlite"), _contents(tmp_path / "p.sqlite")
    assert len(dask) == 8 and dask == procs
