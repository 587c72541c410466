"""Executors: run jobs serially, in local worker processes, or on a Dask cluster.

Each executor yields ``(job, record, artifacts)`` as jobs finish, in completion
order; the driver writes each one to the store as it arrives (it is the only
writer). The local worker pool lives in ``_pool``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..errors import MissingDependencyError, ValidationError
from ._jobs import Job, execute, job_record
from ._pool import Limits, local_processes
from ._record import Record

__all__ = ["serial", "local_processes", "dask_cluster", "Limits"]


def serial(jobs: Sequence[Job]) -> Iterator[tuple[Job, Record, dict]]:
    """Run the jobs one after another in this process."""
    for job in jobs:
        record, arts = execute(job)
        yield job, record, arts


def _execute_with_methods(job: Job, methods: dict) -> tuple[Record, dict]:
    """Run a job on a Dask worker, with the methods registered in the driver."""
    from threadpoolctl import threadpool_limits

    from ._methods import METHODS

    METHODS.update(methods)
    with threadpool_limits(limits=1):
        return execute(job)


def _client(scheduler: str | None, n_local: int | None, connect_timeout: float):
    """A Dask client: of a new LocalCluster of ``n_local`` processes, or of ``scheduler``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("dask.distributed", "dask") from None
    if n_local is not None:
        # ":0": a free port for the dashboard, never a clash with another cluster on 8787
        cluster = LocalCluster(n_workers=n_local, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=connect_timeout), None
    except Exception as err:  # noqa: BLE001 - OSError, TimeoutError, ValueError for bad addresses
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ValidationError(
            f"Could not connect to the Dask scheduler at {scheduler!r} within {connect_timeout:g} s "
            f"({reason}); check the address (tcp://host:8786) and that the scheduler runs, raise "
            "--connect-timeout, or use --dask-local N for a cluster on this machine.") from None


def dask_cluster(jobs: Sequence[Job], scheduler: str | None = None, n_local: int | None = None,
                 *, connect_timeout: float = 10.0, retries: int = 1
                 ) -> Iterator[tuple[Job, Record, dict]]:
    """Run the jobs on Dask; results stream back to the driver as they finish.

    Parameters
    ----------
    jobs : sequence of Job
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``).
    n_local : int, optional
        Instead, start a LocalCluster of ``n_local`` single-threaded worker processes.
    connect_timeout : float
        Seconds to wait for the scheduler before a clean error.
    retries : int
        Dask retries of a task whose worker failed; a task that still fails
        (``KilledWorker`` and the like) is recorded as a failed job.
    """
    client, cluster = _client(scheduler, n_local, connect_timeout)  # connect now: errors come first
    return _stream(client, cluster, jobs, retries)


def _stream(client, cluster, jobs: Sequence[Job], retries: int) -> Iterator[tuple[Job, Record, dict]]:
    from dask.distributed import as_completed

    from ._methods import METHODS

    try:
        methods = dict(METHODS)
        futures = {client.submit(_execute_with_methods, job, methods, pure=False, retries=retries,
                                 key=f"lindy-{job.key}"): job for job in jobs}
        for fut, result in as_completed(list(futures), with_results=True, raise_errors=False):
            job = futures.pop(fut)
            if isinstance(result, BaseException):
                error = f"{type(result).__name__}: {str(result).splitlines()[0] if str(result) else ''}"
                yield job, job_record(job, status="error", error=error), {}
            else:
                yield job, result[0], result[1]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
