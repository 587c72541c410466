"""Executors: run jobs serially, in local worker processes, or on a Dask cluster.

Each executor yields ``(job, record, artifacts)`` as jobs finish, in completion
order; the driver writes each one to the store as it arrives.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import signal
from collections.abc import Iterator, Sequence

from ..errors import MissingDependencyError
from ._jobs import Job, execute

__all__ = ["serial", "local_processes", "dask_cluster"]


def serial(jobs: Sequence[Job]) -> Iterator[tuple[Job, dict, dict]]:
    """Run the jobs one after another in this process."""
    for job in jobs:
        record, arts = execute(job)
        yield job, record, arts


def _init_worker() -> None:
    """Workers leave Ctrl-C to the driver, which stops the run cleanly, and use one
    BLAS thread each: the parallelism is across jobs, and oversubscribed BLAS threads
    make mid-size factorizations many times slower."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


def local_processes(jobs: Sequence[Job], n_workers: int) -> Iterator[tuple[Job, dict, dict]]:
    """Run the jobs in ``n_workers`` fresh worker processes (spawned, not forked)."""
    ctx = multiprocessing.get_context("spawn")
    pool = cf.ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx,
                                  initializer=_init_worker)
    try:
        futures = {pool.submit(execute, job): job for job in jobs}
        for fut in cf.as_completed(futures):
            record, arts = fut.result()
            yield futures[fut], record, arts
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def dask_cluster(jobs: Sequence[Job], scheduler: str, n_workers: int) -> Iterator[tuple[Job, dict, dict]]:
    """Run the jobs on Dask: ``scheduler`` is an address (``tcp://host:8786``) or ``"local"``
    for a LocalCluster of ``n_workers`` single-threaded worker processes."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("dask.distributed", "dask") from None
    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = {client.submit(execute, job, pure=False, key=f"lindy-{job.key}"): job for job in jobs}
        for fut in as_completed(list(futures)):
            record, arts = fut.result()
            yield futures[fut], record, arts
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
