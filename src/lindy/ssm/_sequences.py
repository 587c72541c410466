"""The one input convention of ssm's pure functions: a TrajectorySet or one (T, p) array.

Kalman filtering, smoothing, EM, maximum likelihood and N4SID take either one
sequence as a ``(T, p)`` array (inputs ``u`` as a ``(T, m)`` array) or several
sequences as a :class:`~lindy.data.TrajectorySet` (inputs inside it). Nothing
else is guessed: turn a list of arrays or an ``(N, T, p)`` batch into a set with
:func:`lindy.data.as_trajectories` first.
"""

from __future__ import annotations

import numpy as np

from ..data import TrajectorySet, as_trajectories
from ..errors import ValidationError

__all__ = ["as_sequences", "flat_sequences", "joined_parts", "split_flat"]


def as_sequences(y, u=None, *, allow_nan: bool = True, name: str = "y"):
    """Observations and inputs as lists of arrays; ``single`` for one ``(T, p)`` array.

    Parameters
    ----------
    y : TrajectorySet or array_like, shape (T, p)
    u : array_like, shape (T, m), optional
        Inputs of a single array ``y`` (a TrajectorySet carries its own).
    allow_nan : bool, default True
        NaN marks a missing component.
    name : str
        Name of ``y`` in messages.

    Returns
    -------
    ys : list of ndarray (T_i, p)
    us : list of ndarray (T_i, m), or None without inputs
    single : bool
        True when ``y`` was one array (the caller returns one result).

    Examples
    --------
    >>> import numpy as np
    >>> ys, us, single = as_sequences(np.zeros((4, 2)))
    >>> len(ys), us, single
    (1, None, True)
    >>> as_sequences([np.zeros((4, 2)), np.zeros((3, 2))])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lindy.errors.ValidationError: y must be one (T, p) array or a ...TrajectorySet; got a list of 2 items...
    """
    if isinstance(y, TrajectorySet):
        if u is not None:
            raise ValidationError(
                f"{name} is a TrajectorySet, which carries its own inputs; put them in the "
                "trajectories (as_trajectories(X, u=...)) instead of passing u.")
        data = as_trajectories(y, allow_nan=allow_nan)
    else:
        arr = _as_2d(y, name)
        data = as_trajectories(arr, u=u, allow_nan=allow_nan)
    ys = [tr.x for tr in data]
    us = [tr.u for tr in data] if data.input_dim else None
    return ys, us, not isinstance(y, TrajectorySet)


def _as_2d(y, name: str) -> np.ndarray:
    what = (f"a list of {len(y)} items" if isinstance(y, (list, tuple))
            else f"{type(y).__name__}")
    try:
        arr = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.ndim != 2 or (isinstance(y, (list, tuple)) and y
                                         and isinstance(y[0], np.ndarray)):
        if arr is not None and not isinstance(y, (list, tuple)):
            what = f"an array of shape {arr.shape}"
        raise ValidationError(
            f"{name} must be one (T, p) array or a lindy.data.TrajectorySet; got {what}. "
            "Pass several sequences as lindy.data.as_trajectories(list_of_arrays, u=...).")
    return arr


def joined_parts(parts) -> np.ndarray:
    """The parts stacked along time, without a copy when they are consecutive views.

    A filter run on a TrajectorySet returns views into one array per quantity;
    the smoother then reads that array as it is.
    """
    base = parts[0].base
    if base is not None and base.flags.c_contiguous and all(p.base is base for p in parts) \
            and sum(p.shape[0] for p in parts) == base.shape[0] and base.shape[1:] == parts[0].shape[1:]:
        start = base.__array_interface__["data"][0]
        row = base.strides[0]
        pos = 0
        for p in parts:
            if p.__array_interface__["data"][0] != start + pos * row:
                break
            pos += p.shape[0]
        else:
            return base
    return np.ascontiguousarray(parts[0] if len(parts) == 1 else np.concatenate(parts))


def flat_sequences(ys, us):
    """Sequences stored end to end: ``(y, u, offsets)``, sequence i at ``offsets[i]:offsets[i+1]``.

    Examples
    --------
    >>> y, u, offsets = flat_sequences([np.ones((3, 1)), np.ones((2, 1))],
    ...                                [np.zeros((3, 0)), np.zeros((2, 0))])
    >>> y.shape, offsets
    ((5, 1), array([0, 3, 5]))
    """
    lengths = np.array([yi.shape[0] for yi in ys], dtype=np.int64)
    offsets = np.zeros(len(ys) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(lengths)
    y = np.ascontiguousarray(np.concatenate(ys, axis=0))
    u = np.ascontiguousarray(np.concatenate(us, axis=0))
    return y, u, offsets


def split_flat(arr, offsets) -> list:
    """Views of ``arr`` per sequence (the inverse of :func:`flat_sequences`).

    Examples
    --------
    >>> [a.tolist() for a in split_flat(np.arange(5), np.array([0, 3, 5]))]
    [[0, 1, 2], [3, 4]]
    """
    return [arr[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
