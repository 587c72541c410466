"""The benchmark driver: select jobs, skip finished ones, execute, store, summarize."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .._validation import check_positive_int
from ..errors import ValidationError
from ._executors import dask_cluster, local_processes, serial
from ._jobs import Job
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
    """

    total: int
    skipped: int
    ok: int
    failed: int
    store: Path


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
        scheduler: str | None = None, shard: str | None = None, systems=None, methods=None,
        random_states=None, retry_failed: bool = False, progress: bool = True, console=None) -> RunSummary:
    """Run a benchmark suite and record every result in a SQLite store.

    Finished jobs (successes and failures) are skipped on a rerun, so an
    interrupted run continues where it stopped.

    Parameters
    ----------
    suite : str
        ``"quick"``, ``"standard"`` or ``"full"``.
    store : path
        The SQLite results file.
    jobs : int
        Worker processes; 1 runs serially in this process.
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``) or ``"local"``.
    shard : str, optional
        ``"i/N"``: run only shard ``i`` of ``N`` (for batch clusters).
    systems, methods, random_states : optional
        Restrict the suite.
    retry_failed : bool
        Rerun jobs recorded as failures.
    progress : bool
        Show a progress bar.
    console : rich.console.Console, optional

    Returns
    -------
    RunSummary
    """
    n_workers = check_positive_int(jobs, "jobs")
    todo_all = select_shard(suite_jobs(suite, systems=systems, methods=methods, random_states=random_states),
                            parse_shard(shard))
    with Store(store) as db:
        done = db.finished_keys(include_failed=not retry_failed)
        todo = [j for j in todo_all if j.key not in done]
        summary = RunSummary(len(todo_all), len(todo_all) - len(todo), 0, 0, Path(store))
        if not todo:
            return summary
        if scheduler:
            stream = dask_cluster(todo, scheduler, n_workers)
        elif n_workers == 1 or len(todo) == 1:
            stream = serial(todo)
        else:
            stream = local_processes(todo, min(n_workers, len(todo)))
        bar = _progress(progress, console, len(todo), suite)
        try:
            for _job, record, arts in stream:
                db.write(record, arts)
                if record["status"] == "ok":
                    summary.ok += 1
                else:
                    summary.failed += 1
                if bar is not None:
                    bar[0].advance(bar[1])
        finally:
            stream.close()
            if bar is not None:
                bar[0].stop()
    return summary


def _progress(enabled: bool, console, total: int, suite: str):
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    prog = Progress("[bold]{task.description}", BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)
    task = prog.add_task(f"lindy bench {suite}", total=total)
    prog.start()
    return prog, task
