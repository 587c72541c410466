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
