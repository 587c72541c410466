"""A sweep survives jobs that raise, hang, segfault, exit or blow the memory limit (real processes)."""

import pytest

from lindy.bench import Store, _methods, _suites, register_method, run


@pytest.fixture
def fault_suite(monkeypatch):
    monkeypatch.setitem(_methods.METHODS, "Faulty", "bench_faults:Faulty")
    monkeypatch.setitem(_suites.SUITES, "faults", {
        "systems": ["Henon"],
        "methods": [(b, "Faulty", {"behaviour": b})
                    for b in ("ok", "raise", "hang", "segfault", "exit", "memory")],
        "random_states": [0],
        "protocol": {"name": "forecast", "n_train": 200, "n_traj": 1, "horizon": 20,
                     "transient": 10},
    })
    return "faults"


def test_each_fault_is_recorded_and_the_sweep_goes_on(tmp_path, fault_suite):
    store = tmp_path / "f.sqlite"
    summary = run(fault_suite, store=store, jobs=2, timeout=20, memory_limit=1000, progress=False)
    assert (summary.ok, summary.failed) == (1, 5)
    with Store(store) as db:
        errors = {r.method: r.error for r in db.results()}
        assert db.results(status="ok")[0].method == "ok"
    assert errors["raise"].startswith("RuntimeError: deliberate failure")
    assert errors["hang"].startswith("Timeout:") and "20 s" in errors["hang"]
    assert errors["segfault"].startswith("WorkerDied:") and "SIGSEGV" in errors["segfault"]
    assert errors["exit"].startswith("WorkerDied:") and "code 3" in errors["exit"]
    assert errors["memory"].startswith("MemoryError:") and "1000 MB" in errors["memory"]
    # failures are skipped on a rerun, and rerun with retry_failed
    again = run(fault_suite, store=store, jobs=2, progress=False, methods=["ok", "segfault", "raise"])
    assert (again.skipped, again.ok, again.failed) == (3, 0, 0)
    retry = run(fault_suite, store=store, jobs=2, progress=False, methods=["ok", "segfault", "raise"],
                retry_failed=True)
    assert (retry.skipped, retry.ok, retry.failed) == (1, 0, 2)
    with Store(store) as db:
        assert len(db.results()) == 6


def test_registered_methods_reach_spawned_workers(tmp_path, fault_suite, monkeypatch):
    register_method("Faulty2", "bench_faults:Faulty")
    monkeypatch.setitem(_suites.SUITES[fault_suite], "methods",
                        [("a", "Faulty2", {}), ("b", "Faulty2", {"behaviour": "warn"})])
    summary = run(fault_suite, store=tmp_path / "r.sqlite", jobs=2, progress=False)
    del _methods.METHODS["Faulty2"]
    assert (summary.ok, summary.failed, summary.warned) == (2, 0, 1)
    with Store(tmp_path / "r.sqlite") as db:
        warned = {r.method: r.warnings for r in db.results()}
    assert warned["a"] == () and "overflow" in warned["b"][0]


def test_quiet_run_prints_no_numerical_warnings(tmp_path, fault_suite, monkeypatch, capfd):
    from typer.testing import CliRunner

    from lindy.cli import app

    monkeypatch.setitem(_suites.SUITES[fault_suite], "methods",
                        [("warn", "Faulty", {"behaviour": "warn"}), ("ok", "Faulty", {})])
    for jobs, quiet in (("2", True), ("1", True), ("1", False)):
        store = tmp_path / f"w{jobs}{quiet}.sqlite"
        res = CliRunner().invoke(app, ["bench", "run", "--suite", fault_suite, "--store", str(store),
                                       "--jobs", jobs, *(["--quiet"] if quiet else [])])
        assert res.exit_code == 0, res.output
        err = capfd.readouterr().err  # the workers' stderr too
        assert "overflow" not in err and "RuntimeWarning" not in err + res.output
        assert ("raised warnings" in res.output) is not quiet
        with Store(store) as db:
            assert [len(r.warnings) for r in db.results()] == [0, 1]


def test_workers_killed_while_idle_are_replaced(tmp_path, fault_suite, monkeypatch):
    """Workers killed from outside between jobs do not stall the sweep."""
    import multiprocessing
    import os
    import signal

    from lindy.bench._pool import local_processes

    monkeypatch.setitem(_suites.SUITES[fault_suite], "methods", [("ok", "Faulty", {})])
    monkeypatch.setitem(_suites.SUITES[fault_suite], "random_states", [0, 1, 2, 3])
    jobs = _suites.suite_jobs(fault_suite)
    stream = local_processes(jobs, 2)
    first = next(stream)
    for child in multiprocessing.active_children():
        if child.name == "lindy-bench-worker":
            os.kill(child.pid, signal.SIGKILL)
    rest = list(stream)
    assert len(rest) == 3 and first[1].ok
    assert {j.key for j, _, _ in [first, *rest]} == {j.key for j in jobs}


def test_failures_from_the_memory_limit_say_so():
    from lindy.bench import Record
    from lindy.bench._pool import Limits, _memory_note

    limits = Limits(memory_limit=60)
    lib = Record("k", status="error", error="ImportError: libx.so: failed to map segment from shared object")
    assert "memory limit of 60 MB" in _memory_note(lib, limits).error
    assert _memory_note(lib, Limits()).error == lib.error
    other = Record("k", status="error", error="ValueError: bad")
    assert _memory_note(other, limits) == other
