import os
import signal
import sqlite3
import subprocess
import sys
import time

import lindy as ld
from lindy.bench import Store, run


def test_run_then_rerun_skips_finished(tmp_path, small_suite):
    store = tmp_path / "r.sqlite"
    first = run(small_suite, store=store, jobs=1, progress=False)
    assert first.ok == 12 and first.failed == 0 and first.skipped == 0
    with Store(store) as db:
        stamps = {r.key: (r.finished_at, r.duration) for r in db.results()}
    second = run(small_suite, store=store, jobs=1, progress=False)
    assert second.skipped == 12 and second.ok == 0
    with Store(store) as db:
        assert {r.key: (r.finished_at, r.duration) for r in db.results()} == stamps


def test_local_processes_match_serial(tmp_path, small_suite):
    serial = run(small_suite, store=tmp_path / "s.sqlite", jobs=1, progress=False,
                 systems=["Henon"])
    par = run(small_suite, store=tmp_path / "p.sqlite", jobs=2, progress=False,
              systems=["Henon"])
    assert serial.ok == par.ok == 6
    with Store(tmp_path / "s.sqlite") as a, Store(tmp_path / "p.sqlite") as b:
        ma = {r.key: r.metrics["smape"] for r in a.results()}
        mb = {r.key: r.metrics["smape"] for r in b.results()}
    assert ma == mb


def test_leaderboard_has_real_differing_numbers_on_lorenz(tmp_path):
    store = tmp_path / "l.sqlite"
    run("quick", store=store, jobs=1, progress=False, systems=["Lorenz"])
    with Store(store) as db:
        board = ld.bench.leaderboard(db.results())["Lorenz"]
    rows = [r for r in board if r["protocol"] == "forecast"]
    assert {r["protocol"] for r in board} == {"forecast", "dsr"}
    names = {r["method"] for r in rows}
    assert {"Persistence", "LinearAR(5)", "DMD", "EDMD(poly3)"} <= names
    assert all(r["n_ok"] == 1 for r in rows), [r["error"] for r in rows]
    smapes = [r["smape"] for r in rows]
    assert all(0 < s < 200 for s in smapes) and len(set(smapes)) == len(rows)


def _count_ok(path) -> int:
    try:
        con = sqlite3.connect(str(path), timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM results WHERE status='ok'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _start(store, env):
    cmd = [sys.executable, "-m", "lindy.cli", "bench", "run", "--suite", "quick",
           "--store", str(store), "--jobs", "1", "--quiet"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_run_resumes_without_redoing_or_losing(tmp_path):
    store = tmp_path / "k.sqlite"
    total = len(ld.bench.suite_jobs("quick"))
    env = dict(os.environ)
    proc = _start(store, env)
    deadline = time.time() + 300
    while _count_ok(store) < 2 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(store) as db:
        before = {r.key: (r.finished_at, r.duration) for r in db.results()}
    assert 2 <= len(before) < total, f"kill came too late or too early: {len(before)} of {total}"
    # resume with Ctrl-C in the middle, then to the end
    proc = _start(store, env)
    n0 = len(before)
    while _count_ok(store) < n0 + 1 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=120)
    res = subprocess.run([sys.executable, "-m", "lindy.cli", "bench", "run", "--suite", "quick",
                          "--store", str(store), "--jobs", "1", "--quiet"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert res.returncode == 0, res.stderr
    with Store(store) as db:
        after = {r.key: (r.finished_at, r.duration) for r in db.results()}
    assert set(after) == {j.key for j in ld.bench.suite_jobs("quick")}
    assert all(after[k] == v for k, v in before.items()), "finished jobs were redone"
