"""A worker pool that survives its jobs: crashes, hangs and memory blow-ups become records.

Each worker is a spawned process with its own pipe; the driver hands it one job
at a time and waits on the pipes and the process sentinels. A job that raises is
recorded by :func:`~lindy.bench.execute` itself; a job that kills its worker
(segfault, ``os._exit``, the out-of-memory killer), runs past ``timeout`` seconds,
or allocates past ``memory_limit`` megabytes is recorded as failed with the
reason, its worker is replaced by a fresh one, and the sweep goes on.

Workers never outlive the driver: on Linux they ask the kernel for SIGKILL when
the driver dies (``PR_SET_PDEATHSIG``), and everywhere a thread polls the parent
process id. The driver turns SIGTERM and SIGHUP into :class:`Terminated` (a
``KeyboardInterrupt``) so the pool is shut down as on Ctrl-C.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection as mpc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..errors import LindyError
from ._jobs import Job, execute, job_record
from ._record import Record

__all__ = ["Limits", "Terminated", "WorkerStartError", "local_processes", "terminate_on_signals"]

_PR_SET_PDEATHSIG = 1
_STOP = None  # sent to a worker: exit
_READY = "ready"  # sent by a worker once started
_MAX_START_FAILURES = 3


@dataclass(frozen=True)
class Limits:
    """Per-job limits of the local worker pool.

    Parameters
    ----------
    timeout : float, optional
        Seconds a job may run before its worker is killed and the job recorded as failed.
    memory_limit : float, optional
        Megabytes of address space a job may add to its worker (``RLIMIT_AS``, on
        Linux); an allocation past it fails with ``MemoryError``.

    Examples
    --------
    >>> Limits(timeout=60).timeout
    60
    """

    timeout: float | None = None
    memory_limit: float | None = None


class WorkerStartError(LindyError, RuntimeError):
    """Worker processes die while starting, before running any job."""


class Terminated(KeyboardInterrupt):
    """The driver received SIGTERM or SIGHUP; ``signum`` is the signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def terminate_on_signals():
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` (main thread only).

    Examples
    --------
    >>> import os
    >>> try:
    ...     with terminate_on_signals():
    ...         os.kill(os.getpid(), signal.SIGTERM)
    ...         time.sleep(5)
    ... except Terminated as err:
    ...     print(err.signum == signal.SIGTERM)
    True
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, _frame):
        raise Terminated(signum)

    sigs = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
    previous = {s: signal.signal(s, _raise) for s in sigs}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# ----------------------------------------------------------------------------- worker side

def _watch_parent(parent_pid: int) -> None:
    """Die with the driver: PR_SET_PDEATHSIG on Linux, and a thread polling getppid()."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the driver died before the kernel was asked
        os._exit(1)

    def _poll() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=_poll, name="lindy-parent-watch", daemon=True).start()


def _limit_memory(megabytes: float | None) -> None:
    """Let the next job add at most ``megabytes`` of address space to this process."""
    if megabytes is None:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = current + int(megabytes * 2**20)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        pass


def _preload(methods: dict) -> None:
    """Import the methods' modules and load LLVM before any job, so that mapping these
    shared libraries does not count against a job's memory limit."""
    import importlib

    for target in set(methods.values()):
        with contextlib.suppress(Exception):
            importlib.import_module(target.split(":")[0])
    with contextlib.suppress(Exception):
        import numba

        numba.njit(lambda x: x + 1)(1)


def _worker_main(conn, parent_pid: int, methods: dict, memory_limit: float | None) -> None:
    """Worker loop: receive a job, run it, send ``(record, artifacts)`` back; None stops."""
    _watch_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's business
    from threadpoolctl import threadpool_limits

    from ._methods import METHODS

    threadpool_limits(limits=1)  # parallelism is across jobs; oversubscribed BLAS is slower
    # torch (imported later, by a neural job) reads this at import: one intra-op thread; two
    # threads made KalmanNet's small-GRU training 13x slower on the loaded 2-core machine
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    METHODS.update(methods)  # methods registered in the driver
    if memory_limit is not None:
        _preload(methods)
    conn.send(_READY)  # job timeouts start after the imports
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is _STOP:
            return
        _limit_memory(memory_limit)
        conn.send(execute(job))


# ----------------------------------------------------------------------------- driver side

class _Worker:
    """One worker process, its pipe, and the job it runs (if any)."""

    def __init__(self, ctx, methods: dict, limits: Limits) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, name="lindy-bench-worker", daemon=True,
                                   args=(child, os.getpid(), methods, limits.memory_limit))
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.started = 0.0
        self.ready = False

    def check_started(self) -> bool | None:
        """True once the worker is ready, None while it starts, False if it died starting."""
        try:
            if self.conn.poll():
                self.ready = self.conn.recv() == _READY
                return True
        except (EOFError, OSError):
            pass
        return None if self.process.is_alive() else False

    def submit(self, job: Job) -> None:
        self.job, self.started = job, time.monotonic()
        with contextlib.suppress(OSError):  # a worker that just died: its sentinel reports it
            self.conn.send(job)

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(_STOP)
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.kill()
        self.conn.close()


def _death_reason(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        what = f"was killed by {name}"
        if name == "SIGKILL":
            what += " (often the system's out-of-memory killer)"
    else:
        what = f"exited with code {exitcode}"
    hint = f"; the memory limit was {limits.memory_limit:g} MB" if limits.memory_limit else ""
    return f"WorkerDied: the worker process {what} while running this job{hint}."


def _failure(job: Job, error: str, seconds: float) -> Record:
    return job_record(job, status="error", error=error, timings={"duration": seconds})


_MAPPING_FAILURES = ("failed to map segment", "Cannot allocate memory", "shared object")


def _memory_note(record: Record, limits: Limits) -> Record:
    """Say so when a failure comes from the memory limit (MemoryError, or a library
    that could not be mapped)."""
    if not limits.memory_limit or record.ok:
        return record
    if record.error.startswith("MemoryError"):
        return record.replace(error=f"MemoryError: the job allocated past its memory limit of "
                                    f"{limits.memory_limit:g} MB ({record.error}).")
    if any(s in record.error for s in _MAPPING_FAILURES):
        return record.replace(error=f"{record.error} (probably the memory limit of "
                                    f"{limits.memory_limit:g} MB: raise --memory-limit)")
    return record


def _outcome(w: _Worker, limits: Limits) -> tuple[Record, dict, bool] | None:
    """``(record, artifacts, replace the worker)`` if the worker's job is over, else None."""
    job, seconds = w.job, time.monotonic() - w.started
    try:
        if w.conn.poll():
            record, arts = w.conn.recv()
            record = _memory_note(record, limits)
            return record, arts, record.error.startswith("MemoryError")
        if w.process.is_alive():
            if limits.timeout is not None and seconds >= limits.timeout:
                return _failure(job, f"Timeout: the job ran longer than its timeout of "
                                     f"{limits.timeout:g} s and was stopped.", seconds), {}, True
            return None
    except (EOFError, OSError):  # the worker died while sending
        pass
    w.process.join(timeout=5)
    return _failure(job, _death_reason(w.process.exitcode, limits), seconds), {}, True


def _check_start_failures(n: int, w: _Worker) -> None:
    if n >= _MAX_START_FAILURES:
        raise WorkerStartError(
            f"Benchmark worker processes died {n} times while starting (last exit code "
            f"{w.process.exitcode}); run with --jobs 1 to see the error in this process.")


def local_processes(jobs: Sequence[Job], n_workers: int, limits: Limits = Limits()
                    ) -> Iterator[tuple[Job, Record, dict]]:
    """Run the jobs in ``n_workers`` spawned worker processes that are replaced when they die.

    Yields ``(job, record, artifacts)`` in completion order. Every job yields
    exactly one record: its own, or a failure (``WorkerDied``, ``Timeout``,
    ``MemoryError``) made by the driver. Closing the generator kills the workers.

    Examples
    --------
    >>> job = Job("Persistence", {}, "Henon", {"name": "forecast", "n_train": 100,
    ...                                        "horizon": 10, "transient": 10})
    >>> [(j.name, rec.status) for j, rec, _ in local_processes([job], 1, Limits(timeout=300))]
    [('Persistence', 'ok')]
    """
    from ._methods import METHODS

    ctx = multiprocessing.get_context("spawn")
    pending = deque(jobs)
    workers: list[_Worker] = []
    methods = dict(METHODS)
    failed_starts = 0
    try:
        while pending or any(w.job is not None for w in workers):
            busy = sum(w.job is not None for w in workers)
            while len(workers) < min(n_workers, busy + len(pending)):  # start, or top up
                workers.append(_Worker(ctx, methods, limits))
            for i, w in enumerate(workers):
                if w.job is None and w.ready and pending:
                    if not w.process.is_alive():  # died while idle
                        w.kill()
                        workers[i] = _Worker(ctx, methods, limits)
                    else:
                        w.submit(pending.popleft())
            live = [w for w in workers if w.job is not None or not w.ready]
            deadlines = [w.started + limits.timeout for w in live if w.job is not None
                         and limits.timeout is not None]
            wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            mpc.wait([w.conn for w in live] + [w.process.sentinel for w in live], timeout=wait)
            for i, w in enumerate(workers):
                if not w.ready:
                    if w.check_started() is False:
                        failed_starts += 1
                        _check_start_failures(failed_starts, w)
                        w.kill()
                        workers[i] = _Worker(ctx, methods, limits)
                    continue
                outcome = _outcome(w, limits) if w.job is not None else None
                if outcome is None:
                    continue
                job, (record, arts, replace) = w.job, outcome
                w.job = None
                if replace:  # a fresh worker takes the place of a dead or suspect one
                    w.kill()
                    if pending:
                        workers[i] = _Worker(ctx, methods, limits)
                yield job, record, arts
            workers = [w for w in workers if w.process.is_alive() or w.job is not None]
    finally:
        for w in workers:
            if w.job is None:
                w.stop()
            else:
                w.kill()
