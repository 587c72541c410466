"""The defects of issue 12 seen from a real ``lindy`` process: exit codes, one-line errors.

The in-process tests (``test_cli_errors.py``) check the messages through typer's
test runner; these run ``python -m lindy.cli`` as a user would, so the exit code,
stderr and the files left behind are those of a real process.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import lindy
from lindy.bench import Job, execute
from lindy.bench._methods import METHODS, register_method
from lindy.operators import DMD

SRC = str(Path(lindy.__file__).resolve().parents[1])
ROOT = Path(lindy.__file__).resolve().parents[2]


def _lindy(*args, code: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``lindy *args`` in a fresh interpreter (after ``code``, if given)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH")) if p)
    prog = textwrap.dedent(f"""
        import sys
        {code or ''}
        from lindy.cli import main
        sys.argv = ["lindy", *{list(map(str, args))!r}]
        main()
    """)
    return subprocess.run([sys.executable, "-c", prog], env=env, capture_output=True, text=True,
                          timeout=timeout)


def _one_line_error(res, code: int, *words) -> str:
    assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr + res.stdout
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_unknown_system_exits_2_before_any_job(tmp_path):
    store = tmp_path / "s.sqlite"
    res = _lindy("bench", "run", "--store", store, "--system", "NoSuch", "--quiet")
    _one_line_error(res, 2, "NoSuch")
    assert not store.exists()


def test_a_run_where_every_job_failed_exits_1(tmp_path):
    store = tmp_path / "f.sqlite"
    bad = textwrap.dedent("""
        from lindy.bench import _suites
        _suites.SUITES["bad"] = {"systems": ["Henon"], "random_states": [0],
            "methods": [("BadAR", "LinearAR", {"n_lags": 0})],
            "protocol": {"name": "forecast", "n_train": 200, "horizon": 20, "transient": 10}}
    """).replace("\n", "\n        ")
    res = _lindy("bench", "run", "--suite", "bad", "--store", store, "--jobs", "1", "--quiet",
                 code=bad)
    assert res.returncode == 1, res.stderr
    assert "every job failed" in res.stderr and "Traceback" not in res.stderr
    assert "1 jobs: 0 already done, 0 ok, 1 failed" in res.stdout


@pytest.mark.parametrize("command", ["report", "merge"])
def test_report_and_merge_on_a_zero_byte_store_leave_everything_untouched(tmp_path, command):
    store = tmp_path / "empty.sqlite"
    store.write_bytes(b"")
    out = tmp_path / ("rep" if command == "report" else "merged.sqlite")
    args = ["--store", store, "--out", out] if command == "report" else [store, "--out", out]
    _one_line_error(_lindy("bench", command, *args), 2, "empty.sqlite", "empty")
    assert store.read_bytes() == b"" and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.sqlite"]


@pytest.mark.parametrize("kind", ["directory", "unreachable"])
def test_run_with_an_unusable_store_path_is_a_clean_error(tmp_path, kind):
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("x")
    store = tmp_path / "folder" if kind == "directory" else tmp_path / "afile" / "r.sqlite"
    _one_line_error(_lindy("bench", "run", "--store", store, "--system", "Henon", "--quiet"), 2,
                    str(store))


def test_bad_scheduler_address_is_a_clean_error_after_the_connect_timeout(tmp_path):
    res = _lindy("bench", "run", "--store", tmp_path / "d.sqlite", "--quiet", "--system", "Henon",
                 "--scheduler", "tcp://127.0.0.1:9", "--connect-timeout", "1")
    _one_line_error(res, 2, "tcp://127.0.0.1:9", "--connect-timeout")


CALLS: list[tuple[str, int, bool]] = []  # (what, samples, compiled when called)
_COMPILED = [False]


class CompilingDMD(DMD):
    """DMD whose first fit in a process pays a one-off 'compilation' (like numba)."""

    def fit(self, X, t=None, u=None):
        CALLS.append(("fit", X[0].n_steps, _COMPILED[0]))
        _COMPILED[0] = True
        return super().fit(X, t=t, u=u)


def test_compile_time_stays_out_of_the_timed_fit():
    register_method("CompilingDMD", f"{__name__}:CompilingDMD")
    try:
        CALLS.clear()
        _COMPILED[0] = False
        rec, _ = execute(Job("CompilingDMD", {}, "VanDerPol",
                             {"name": "forecast", "n_train": 600, "horizon": 20, "transient": 10}))
    finally:
        METHODS.pop("CompilingDMD", None)
    assert rec.ok, rec.error
    # the warm-up fit (a short slice) compiles; the timed fit on the full data finds it done
    assert CALLS == [("fit", 200, False), ("fit", 600, True)]
    assert rec.timings["warmup_seconds"] > 0 and rec.metrics["fit_seconds"] > 0
    assert np.isfinite(rec.metrics["smape"])


def test_readme_says_how_to_reach_the_installed_lindy():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "VENV   := .venv" in makefile and "$(BIN)/lindy bench run" in makefile
    assert 'lindy = "lindy.cli:main"' in pyproject  # the console script make run installs
    assert ".venv/bin/lindy --help" in readme and "source .venv/bin/activate" in readme
    # the entry point the script calls answers --help in a real process
    res = _lindy("--help")
    assert res.returncode == 0 and "bench" in res.stdout
