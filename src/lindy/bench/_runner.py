"""The benchmark driver: select jobs, skip finished ones, execute, store, summarize."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .._validation import check_positive_int
from ..errors import UnknownNameError, ValidationError
from ._executors import dask_cluster, serial
from ._jobs import Job
from ._pool import Limits, local_processes, terminate_on_signals
from ._store import Store
from ._suites import suite_jobs

__all__ = ["run", "RunSummary", "parse_shard", "select_shard"]


@dataclass
class RunSummary:
    """What a run did.

    Attributes
    ----------
    total : int
        Jobs in the (sharded) suite.
    skipped : int
        Jobs already in the store.
    ok, failed : int
        Jobs run now that succeeded / failed.
    store : Path
    warned : int
        Jobs run now that raised warnings (kept in their records).
    """

    total: int
    skipped: int
    ok: int
    failed: int
    store: Path
    warned: int = 0


def parse_shard(shard: str | None) -> tuple[int, int] | None:
    """Parse ``"i/N"`` (1-based, ``1 <= i <= N``).

    Examples
    --------
    >>> parse_shard("3/16")
    (3, 16)
    """
    if shard is None:
        return None
    try:
        i, n = (int(p) for p in str(shard).split("/"))
    except ValueError:
        raise ValidationError(f"shard must look like 'i/N' (e.g. 3/16); got {shard!r}.") from None
    if not (n >= 1 and 1 <= i <= n):
        raise ValidationError(f"shard i/N needs 1 <= i <= N; got {shard!r}.")
    return i, n


def select_shard(jobs: list[Job], shard: tuple[int, int] | None) -> list[Job]:
    """The jobs of shard ``i`` of ``N``: a stable partition by job key.

    Examples
    --------
    >>> from lindy.bench import suite_jobs
    >>> jobs = suite_jobs("quick")
    >>> sum(len(select_shard(jobs, (i, 3))) for i in (1, 2, 3)) == len(jobs)
    True
    """
    if shard is None:
        return jobs
    i, n = shard
    ordered = sorted(jobs, key=lambda j: j.key)
    return [j for k, j in enumerate(ordered) if k % n == i - 1]


def run(suite: str = "quick", store: str | Path = "results.sqlite", jobs: int = 2, *,
        scheduler: str | None = None, dask_local: int | None = None, connect_timeout: float = 10.0,
        shard: str | None = None, systems=None, methods=None, random_states=None,
        retry_failed: bool = False, timeout: float | None = None, memory_limit: float | None = None,
        tune: int | None = None, progress: bool = True, console=None) -> RunSummary:
    """Run a benchmark suite and record every result in a SQLite store.

    Finished jobs (successes and failures) are skipped on a rerun, so an
    interrupted run continues where it stopped. SIGTERM and SIGHUP stop the run
    like Ctrl-C (:class:`~lindy.bench.Terminated`, a ``KeyboardInterrupt``), and
    worker processes never outlive the driver.

    Parameters
    ----------
    suite : str
        ``"quick"``, ``"standard"`` or ``"full"``.
    store : path
        The SQLite results file.
    jobs : int
        Worker processes; 1 runs serially in this process.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``); ``"local"`` is ``dask_local=jobs``.
    dask_local : int, optional
        Run on a Dask LocalCluster of this many worker processes.
    connect_timeout : float
        Seconds to wait for the Dask scheduler before a clean error.
    shard : str, optional
        ``"i/N"``: run only shard ``i`` of ``N`` (for batch clusters).
    systems, methods, random_states : optional
        Restrict the suite. Unknown names are an error before any job runs.
    retry_failed : bool
        Rerun jobs recorded as failures.
    timeout : float, optional
        Seconds a job may run before its worker is stopped and the job recorded as
        failed. With a limit, even ``jobs=1`` runs in a worker process.
    memory_limit : float, optional
        Megabytes a job may allocate in its worker. Neither limit applies to Dask
        (use the cluster's own worker limits).
    tune : int, optional
        Tuning budget: each method with a search space tries up to this many seeded
        candidates per job on a validation split of the training data (never the
        test window), and the best is refitted and scored (``Record.tuning``).
        Default: the suite's ``"tune"`` (none for the built-in suites).
    progress : bool
        Show a progress bar.
    console : rich.console.Console, optional

    Returns
    -------
    RunSummary

    Examples
    --------
    >>> import os, tempfile
    >>> store = os.path.join(tempfile.mkdtemp(), "r.sqlite")
    >>> summary = run("quick", store, jobs=1, systems=["Henon"], methods=["Persistence"],
    ...               progress=False)
    >>> summary.total, summary.ok, summary.failed
    (1, 1, 0)
    >>> run("quick", store, jobs=1, systems=["Henon"], methods=["Persistence"], progress=False).skipped
    1
    """
    n_workers = check_positive_int(jobs, "jobs")
    limits = Limits(timeout=_positive(timeout, "timeout", "seconds"),
                    memory_limit=_positive(memory_limit, "memory_limit", "megabytes"))
    _positive(connect_timeout, "connect_timeout", "seconds")
    if scheduler == "local":
        scheduler, dask_local = None, dask_local or n_workers
    if scheduler and dask_local:
        raise ValidationError(f"Give either a scheduler address ({scheduler!r}) or dask_local "
                              f"({dask_local!r}), not both.")
    if dask_local is not None:
        dask_local = check_positive_int(dask_local, "dask_local")
    if (scheduler or dask_local) and limits != Limits():
        raise ValidationError("--timeout and --memory-limit apply to local worker processes; on "
                              "Dask set the workers' own limits (e.g. memory_limit) instead.")
    all_jobs = suite_jobs(suite, systems=systems, methods=methods, random_states=random_states,
                          tune=tune)
    _check_systems(all_jobs)
    todo_all = select_shard(all_jobs, parse_shard(shard))
    with Store(store) as db, terminate_on_signals():
        done = db.finished_keys(include_failed=not retry_failed)
        todo = [j for j in todo_all if j.key not in done]
        summary = RunSummary(len(todo_all), len(todo_all) - len(todo), 0, 0, Path(store))
        if not todo:
            return summary
        if scheduler or dask_local:
            stream = dask_cluster(todo, scheduler, dask_local, connect_timeout=connect_timeout)
        elif n_workers == 1 and limits == Limits():
            stream = serial(todo)
        else:
            stream = local_processes(todo, min(n_workers, len(todo)), limits)
        bar = _progress(progress, console, len(todo), suite)
        try:
            for _job, record, arts in stream:
                db.write(record, arts)
                summary.ok += record.ok
                summary.failed += not record.ok
                summary.warned += bool(record.warnings)
                if bar is not None:
                    bar[0].advance(bar[1])
        finally:
            stream.close()
            if bar is not None:
                bar[0].stop()
    return summary


def _positive(value: float | None, name: str, unit: str) -> float | None:
    if value is not None and not value > 0:
        raise ValidationError(f"{name} must be a positive number of {unit}; got {value!r}.")
    return value


def _check_systems(jobs) -> None:
    """Unknown system names are an error before any job runs: a protocol's own systems
    (``Protocol.systems``), else those of :mod:`lindy.systems`."""
    from ..systems import get_system
    from ._protocols import PROTOCOLS

    for name, protocol in sorted({(j.system, j.protocol.get("name", "forecast")) for j in jobs}):
        own = getattr(PROTOCOLS.get(protocol), "systems", None)
        if own is None:
            get_system(name)
        elif name not in own:
            raise UnknownNameError(f"The {protocol!r} protocol has no system {name!r}; it "
                                   f"knows {list(own)}.")


def _progress(enabled: bool, console, total: int, suite: str):
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    prog = Progress("[bold]{task.description}", BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)
    task = prog.add_task(f"lindy bench {suite}", total=total)
    prog.start()
    return prog, task
