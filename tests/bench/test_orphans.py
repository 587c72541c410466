"""A killed driver (SIGKILL, SIGTERM, SIGHUP) leaves no worker process behind (real processes)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

import lindy
import lindy as ld

SRC = str(Path(lindy.__file__).resolve().parents[1])


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH")) if p)
    return env


def _cmd(store) -> list[str]:
    return [sys.executable, "-m", "lindy.cli", "bench", "run", "--suite", "quick", "--system",
            "Henon", "--store", str(store), "--jobs", "2", "--quiet"]


def _alive(procs) -> list:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def _count(store) -> int:
    try:
        con = sqlite3.connect(str(store), timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _workers(driver: psutil.Process) -> list:
    try:
        return [c for c in driver.children(recursive=True)
                if "spawn_main" in " ".join(c.cmdline())]
    except psutil.Error:
        return []


def test_killed_dask_local_driver_leaves_no_workers(tmp_path):
    store = tmp_path / "d.sqlite"
    cmd = [*_cmd(store)[:-3], "--suite", "standard", "--dask-local", "2", "--quiet"]
    proc = subprocess.Popen(cmd, env=_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        driver = psutil.Process(proc.pid)
        deadline = time.monotonic() + 120
        while (len(_workers(driver)) < 2 or not _count(store)) and proc.poll() is None \
                and time.monotonic() < deadline:  # the workers run jobs
            time.sleep(0.05)
        children = driver.children(recursive=True)
        assert len(_workers(driver)) >= 2, "the Dask workers never started"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 60
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(children), f"orphans left: {[p.cmdline() for p in _alive(children)]}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_killed_driver_leaves_no_workers_and_resumes(tmp_path, sig):
    store = tmp_path / "o.sqlite"
    proc = subprocess.Popen(_cmd(store), env=_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        driver = psutil.Process(proc.pid)
        deadline = time.monotonic() + 120
        while len(_workers(driver)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        children = driver.children(recursive=True)
        assert len(_workers(driver)) >= 2, "the workers never started"
        os.kill(proc.pid, sig)
        code = proc.wait(timeout=60)
        if sig != signal.SIGKILL:  # a clean stop: 128 + the signal number
            assert code == 128 + sig, proc.stderr.read()
        deadline = time.monotonic() + 30
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(children), f"orphans left: {[p.cmdline() for p in _alive(children)]}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    if sig != signal.SIGKILL:
        return
    res = subprocess.run(_cmd(store), env=_env(), capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    con = sqlite3.connect(str(store))
    try:
        counts = dict(con.execute("SELECT key, COUNT(*) FROM results GROUP BY key").fetchall())
    finally:
        con.close()
    assert set(counts) == {j.key for j in ld.bench.suite_jobs("quick", systems=["Henon"])}
    assert set(counts.values()) == {1}


def test_sigterm_stops_a_serial_run_cleanly(tmp_path):
    store = tmp_path / "t.sqlite"
    cmd = [*_cmd(store)[:-3], "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(cmd, env=_env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not _count(store) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
