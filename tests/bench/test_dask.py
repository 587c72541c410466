"""The Dask executor on a LocalCluster gives the same results as local processes."""

from lindy.bench import Store, run


def test_dask_local_cluster_matches_serial(tmp_path, small_suite):
    a = run(small_suite, store=tmp_path / "d.sqlite", jobs=2, scheduler="local",
            progress=False, systems=["Henon"])
    b = run(small_suite, store=tmp_path / "s.sqlite", jobs=1, progress=False, systems=["Henon"])
    assert a.ok == b.ok == 6
    with Store(tmp_path / "d.sqlite") as da, Store(tmp_path / "s.sqlite") as db:
        assert {r.key: r.metrics["nrmse"] for r in da.results()} == \
               {r.key: r.metrics["nrmse"] for r in db.results()}
