"""Sequences of a batch filtered and smoothed in parallel threads.

The compiled Kalman loops release the GIL and take a range of sequences, so a
TrajectorySet splits into contiguous ranges of about equal total length, one per
thread, all writing disjoint rows of the same output arrays. Each sequence runs
the same code as in a serial call, so the results are bitwise equal.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..errors import ValidationError

__all__ = ["available_cores", "check_n_jobs", "run_chunks", "sequence_chunks"]

#: total work (steps times per-step cost ~ n^2) below which a batch runs serially
PARALLEL_MIN_WORK = 200_000

_POOL: dict = {}


def available_cores() -> int:
    """Cores this process may run on.

    Examples
    --------
    >>> available_cores() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def check_n_jobs(n_jobs):
    """``n_jobs`` checked: None, -1 or a positive int.

    Examples
    --------
    >>> check_n_jobs(None), check_n_jobs(2)
    (None, 2)
    >>> check_n_jobs(0)
    Traceback (most recent call last):
    ...
    lindy.errors.ValidationError: n_jobs must be None, -1 or a positive int; got 0.
    """
    if n_jobs is None:
        return None
    if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, (int, np.integer)) \
            or not (n_jobs == -1 or n_jobs >= 1):
        raise ValidationError(f"n_jobs must be None, -1 or a positive int; got {n_jobs!r}.")
    return int(n_jobs)


def sequence_chunks(offsets, n_jobs, step_cost: int) -> list:
    """Contiguous ranges ``(s_lo, s_hi)`` of sequences, about equal in total steps.

    Parameters
    ----------
    offsets : ndarray of int, shape (N + 1,)
        Sequence boundaries in the flat time axis.
    n_jobs : int or None
        As in :func:`lindy.ssm.kalman_filter`.
    step_cost : int
        Rough cost of one step (e.g. ``n^2``); with ``n_jobs=None`` a batch
        whose total cost is below ``PARALLEL_MIN_WORK`` runs serially.

    Examples
    --------
    >>> sequence_chunks(np.array([0, 10, 20, 30, 40]), 2, 1)
    [(0, 2), (2, 4)]
    >>> sequence_chunks(np.array([0, 10, 20]), 1, 1)
    [(0, 2)]
    """
    N = len(offsets) - 1
    total = int(offsets[-1])
    if n_jobs is None:
        k = available_cores() if total * step_cost >= PARALLEL_MIN_WORK else 1
    else:
        k = available_cores() if n_jobs == -1 else n_jobs
    k = max(1, min(k, N))
    if k == 1:
        return [(0, N)]
    cuts = np.searchsorted(offsets, total * np.arange(1, k) / k, side="left")
    bounds = np.unique(np.concatenate([[0], np.clip(cuts, 1, N - 1), [N]]))
    return [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]


def run_chunks(func, chunks) -> list:
    """``func(s_lo, s_hi)`` per chunk, in threads if there are several.

    Returns the results in chunk order.

    Examples
    --------
    >>> run_chunks(lambda a, b: b - a, [(0, 2), (2, 5)])
    [2, 3]
    """
    if len(chunks) == 1:
        return [func(*chunks[0])]
    k = len(chunks)
    if k not in _POOL:
        _POOL[k] = ThreadPoolExecutor(max_workers=k, thread_name_prefix="lindy-ssm")
    futures = [_POOL[k].submit(func, *c) for c in chunks]
    return [f.result() for f in futures]
