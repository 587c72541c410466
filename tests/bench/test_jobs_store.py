import numpy as np
import pytest

import lindy as ld
from lindy.bench import Job, Record, Store, execute, leaderboard, parse_shard, select_shard, suite_jobs
from lindy.errors import FileFormatError, UnknownNameError, ValidationError


def test_job_key_is_stable_and_sensitive():
    a = Job("DMD", {"rank": 2}, "Lorenz", {"name": "forecast"}, 0)
    assert a.key == Job("DMD", {"rank": 2}, "Lorenz", {"name": "forecast"}, 0).key
    assert a.key != Job("DMD", {"rank": 3}, "Lorenz", {"name": "forecast"}, 0).key
    assert a.key != Job("DMD", {"rank": 2}, "Rossler", {"name": "forecast"}, 0).key
    assert a.key != Job("DMD", {"rank": 2}, "Lorenz", {"name": "forecast", "obs_noise": 0.1}, 0).key
    # the suite label is not part of the key
    assert a.key == Job("DMD", {"rank": 2}, "Lorenz", {"name": "forecast"}, 0, suite="x").key


def test_execute_success_and_recorded_failure():
    rec, arts = execute(Job("LinearAR", {"n_lags": 2}, "VanDerPol",
                            {"name": "forecast", "n_train": 300, "horizon": 50}, 0))
    assert rec.status == "ok"
    m = rec.metrics
    assert m["smape"] >= 0 and m["vpt"] >= 0 and np.isfinite(m["nrmse"])
    assert arts["truth"].shape == arts["forecast"].shape == (50, 2)
    bad, _ = execute(Job("LinearAR", {"n_lags": -1}, "VanDerPol", {"name": "forecast"}, 0))
    assert bad.status == "error" and "n_lags" in bad.error
    assert "Traceback" in bad.traceback


def test_store_roundtrip_and_merge(tmp_path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    with Store(a) as s:
        s.write(Record("k1", status="ok", metrics={"vpt": 1.0}, system="S", method="M",
                       random_state=0), {"truth": np.arange(3.0)})
    with Store(b) as s:
        s.write(Record("k2", status="error", error="boom", system="S", method="M",
                       random_state=1))
    with Store(tmp_path / "all.sqlite") as s:
        assert s.merge_from([a, b]) == 2
        assert s.finished_keys() == {"k1", "k2"}
        assert s.finished_keys(include_failed=False) == {"k1"}
        np.testing.assert_array_equal(s.artifact("k1", "truth"), np.arange(3.0))
        assert s.results(status="ok")[0].metrics == {"vpt": 1.0}
    (tmp_path / "junk.sqlite").write_text("not a database at all" * 100)
    with pytest.raises(FileFormatError):
        Store(tmp_path / "junk.sqlite")


def test_shards_partition_the_suite():
    jobs = suite_jobs("quick")
    parts = [select_shard(jobs, (i, 4)) for i in range(1, 5)]
    keys = [j.key for p in parts for j in p]
    assert sorted(keys) == sorted(j.key for j in jobs)
    with pytest.raises(ValidationError):
        parse_shard("5/4")
    with pytest.raises(ValidationError):
        parse_shard("a/b")


def test_unknown_names():
    with pytest.raises(UnknownNameError):
        suite_jobs("enormous")
    with pytest.raises(UnknownNameError, match="Did you mean"):
        ld.bench.build_method("DMDD")


def test_leaderboard_handles_failures():
    recs = [Record("k1", system="S", method="A", status="error", error="x"),
            Record("k2", system="S", method="B", metrics={"vpt": 1.0, "smape": 3.0})]
    rows = leaderboard(recs)["S"]
    assert rows[0]["method"] == "B" and rows[1]["n_failed"] == 1


_FIRST_LAYOUT = """
CREATE TABLE results (
    key TEXT PRIMARY KEY,
    suite TEXT, method TEXT, params TEXT, system TEXT, protocol TEXT, random_state INTEGER,
    status TEXT NOT NULL, metrics TEXT, error TEXT, traceback TEXT,
    duration REAL, finished_at TEXT, lindy_version TEXT, host TEXT
);
CREATE TABLE artifacts (key TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL,
                        PRIMARY KEY (key, name));
INSERT INTO results VALUES ('k0', 'quick', 'DMD', '{"method": "DMD"}', 'Henon',
    '{"name":"forecast"}', 0, 'ok', '{"smape": 3.0}', NULL, NULL, 1.5, 'T', '0.1.0', 'h');
"""


def test_store_of_the_first_layout_is_read_and_extended(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(str(path))
    con.executescript(_FIRST_LAYOUT)
    con.close()
    with Store(path, readonly=True) as db:
        (old,) = db.results()
    assert (old.duration, old.versions, old.protocol) == (1.5, {"lindy": "0.1.0"}, {"name": "forecast"})
    with Store(path) as db:
        db.write(Record("k1", timings={"duration": 2.0}, versions={"lindy": "x"}))
        recs = {r.key: r for r in db.results()}
    assert recs["k0"] == old and recs["k1"].duration == 2.0 and recs["k1"].versions == {"lindy": "x"}


def test_record_json_roundtrip_with_non_finite_metrics():
    rec = Record("k", metrics={"vpt": float("inf"), "nrmse": np.float64(2.0)}, warnings=["w"])
    back = Record.from_json(rec.to_json())
    assert back == rec and type(back.metrics["nrmse"]) is float and back.warnings == ("w",)


def test_suites_hold_several_protocols():
    from lindy.bench._suites import protocol_label

    quick = suite_jobs("quick")
    per = {}
    for job in quick:
        per.setdefault(protocol_label(job.protocol), set()).add(job.system)
    assert per == {"forecast": {"Lorenz", "Rossler", "VanDerPol", "Henon", "OscillatorChain"},
                   "dsr": {"Lorenz", "Rossler"}}
    assert len({j.key for j in quick}) == len(quick)
    flows = [n for n in ld.systems.list_systems(kind="flow")
             if ld.systems.get_system(n).meta.get("collection") == "dysts"]
    standard = ld.bench.SUITES["standard"]
    assert standard["systems"] == flows and len(flows) == 129
    labels = [protocol_label(p) for p in standard["protocols"]]
    assert labels == ["dysts2021", "dysts2021(obs_noise=0.2)", "zeroshot2025"]
    assert len(suite_jobs("standard")) == 129 * len(standard["methods"]) * 3
    full = [protocol_label(p) for p in ld.bench.SUITES["full"]["protocols"]]
    assert {"dysts2021(pts_per_period=15)", "dsr"} <= set(full)
    assert len(ld.bench.SUITES["full"]["random_states"]) > len(standard["random_states"])
    # a restriction to systems applies to every protocol
    jobs = suite_jobs("standard", systems=["Lorenz"], methods=["LinearAR(5)"])
    assert [(j.system, protocol_label(j.protocol)) for j in jobs] == [
        ("Lorenz", "dysts2021"), ("Lorenz", "dysts2021(obs_noise=0.2)"), ("Lorenz", "zeroshot2025")]


def test_summary_median_iqr_best_counts_and_divergence():
    from lindy.bench import summary

    recs = [Record(f"k{i}", system=s, method=m, protocol={"name": "dsr"},
                   metrics={"dstsp": v, "hellinger": 0.5})
            for i, (s, m, v) in enumerate([("S1", "A", 1.0), ("S2", "A", 3.0), ("S3", "A", 2.0),
                                           ("S1", "B", 0.5), ("S2", "B", float("nan")),
                                           ("S3", "B", 4.0)])]
    recs.append(Record("f", system="S3", method="C", protocol={"name": "dsr"}, status="error",
                       error="boom"))
    rows = {r["method"]: r for r in summary(recs)["dsr"]["dstsp"]}
    assert (rows["A"]["median"], rows["A"]["q25"], rows["A"]["q75"]) == (2.0, 1.5, 2.5)
    assert rows["B"]["median"] == 4.0 and rows["B"]["q75"] == float("inf")
    assert rows["B"]["n_diverged"] == 1 and rows["C"]["n_failed"] == 1
    assert (rows["A"]["n_best"], rows["B"]["n_best"]) == (2, 1)
    assert [r["method"] for r in summary(recs)["dsr"]["dstsp"]] == ["A", "B", "C"]
    # ties count for each method
    assert {r["method"]: r["n_best"] for r in summary(recs)["dsr"]["hellinger"]} == {
        "A": 3, "B": 3, "C": 0}


def test_per_system_rows_follow_the_protocols_primary_metric():
    def rec(key, method, proto, **metrics):
        return Record(key, system="S", method=method, protocol={"name": proto}, metrics=metrics)

    recs = [rec("a", "A", "dysts2021", smape=50.0, vpt=2.0), rec("b", "B", "dysts2021", smape=20.0, vpt=1.0),
            rec("c", "A", "zeroshot2025", smape=50.0, vpt=2.0),
            rec("d", "B", "zeroshot2025", smape=20.0, vpt=1.0),
            rec("e", "A", "dsr", dstsp=3.0), rec("f", "B", "dsr", dstsp=float("nan"))]
    rows = [(r["protocol"], r["method"]) for r in leaderboard(recs)["S"]]
    assert rows == [("dsr", "A"), ("dsr", "B"), ("dysts2021", "B"), ("dysts2021", "A"),
                    ("zeroshot2025", "A"), ("zeroshot2025", "B")]


def test_every_registered_method_builds():
    """Each name in METHODS imports and constructs with its defaults (torch models included)."""
    for name in ld.bench.METHODS:
        est = ld.bench.build_method(name, {})
        assert isinstance(est, ld.Estimator) or hasattr(est, "filter"), name  # filters: filtering protocol
