"""``as_trajectories``: the single entry point from user data to a TrajectorySet."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_times
from ..errors import ShapeError, ValidationError
from ._trajectory import Trajectory, TrajectorySet

__all__ = ["as_trajectories"]


def _is_dataframe(obj) -> bool:
    return type(obj).__name__ in ("DataFrame", "Series") and hasattr(obj, "to_numpy")


def _frame_to_arrays(df):
    """Values and numeric times from a pandas DataFrame/Series (index = time)."""
    values = df.to_numpy(dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    index = df.index
    if hasattr(index, "asi8") and str(index.dtype).startswith("datetime"):
        # seconds since the first sample
        ns = np.asarray(index.asi8, dtype=np.int64)
        t = (ns - ns[0]) / 1e9
    else:
        try:
            t = np.asarray(index, dtype=float)
        except (TypeError, ValueError):
            raise ValidationError(
                "The DataFrame index must be numeric or datetime (it is used as time); "
                f"got index dtype {index.dtype}. Reset the index or pass t explicitly."
            ) from None
    return values, t


def _split_input(X):
    """Split the user's X into a list of series; return (items, is_plural)."""
    if isinstance(X, TrajectorySet):
        return list(X), True
    if isinstance(X, Trajectory) or _is_dataframe(X):
        return [X], False
    if isinstance(X, (list, tuple)) and X and all(
        isinstance(el, (np.ndarray, Trajectory)) or _is_dataframe(el) for el in X
    ):
        return list(X), True
    try:
        ndim = np.ndim(X)
    except ValueError:  # ragged nested lists: reported by check_array below
        ndim = -1
    if ndim == 3:
        return list(check_array(X, "X", ndim=3, allow_nan=True, allow_complex=True)), True
    return [X], False


def _per_traj(arg, n: int, name: str, plural: bool):
    """Distribute t or u over n trajectories."""
    if arg is None:
        return [None] * n
    if n == 1 and not plural:
        return [arg]
    if isinstance(arg, (list, tuple)) and len(arg) == n and all(np.ndim(a) >= 1 for a in arg):
        return list(arg)
    a = np.asarray(arg, dtype=float)
    if name == "t" and a.ndim == 1:
        return [a] * n  # one shared time grid
    if name == "u" and a.ndim == 3 and a.shape[0] == n:
        return list(a)
    raise ShapeError(
        f"{name} must give one entry per trajectory ({n} trajectories); got an object "
        f"of shape {np.shape(arg)}. Pass a list of arrays, one per trajectory."
    )


def _one(x, t, u, dt, i: int, allow_nan: bool, min_length: int,
         allow_complex: bool = False) -> Trajectory:
    label = "X" if i < 0 else f"X[{i}]"
    meta = {}
    if isinstance(x, Trajectory):
        if t is not None or u is not None:
            raise ValidationError(
                "Trajectory objects carry their own t and u; do not pass t= or u= with them."
            )
        t, u, meta, x = x.t, x.u, dict(x.meta), x.x
    elif _is_dataframe(x):
        x, t_index = _frame_to_arrays(x)
        t = t_index if t is None else t
    arr = check_array(x, label, ndim=(1, 2), allow_nan=allow_nan, min_rows=min_length,
                      allow_complex=allow_complex)
    if arr.ndim == 1:
        arr = arr[:, None]
    T = arr.shape[0]
    if t is None:
        step = 1.0 if dt is None else float(dt)
        if not np.isfinite(step) or step <= 0:
            raise ValidationError(f"dt must be a positive number; got {dt!r}.")
        tt = np.arange(T, dtype=float) * step
    else:
        if dt is not None:
            raise ValidationError("Pass either t or dt, not both.")
        tt = check_times(t, T, name="t" if i < 0 else f"t[{i}]")
    uu = None
    if u is not None:
        uu = check_array(u, "u" if i < 0 else f"u[{i}]", ndim=(1, 2), allow_nan=False)
        if uu.ndim == 1:
            uu = uu[:, None]
        if uu.shape[0] != T:
            raise ShapeError(
                f"u has {uu.shape[0]} rows but X has {T}; pass one input row per sample."
            )
    return Trajectory(t=tt, x=arr, u=uu, meta=meta)


def as_trajectories(X, t=None, dt=None, u=None, *, allow_nan: bool = False,
                    min_length: int = 1, allow_complex: bool = False) -> TrajectorySet:
    """Convert user data into a validated :class:`TrajectorySet` (time on the first axis).

    Accepted forms of ``X`` (and nothing else is guessed):

    * ``(T,)`` array: one scalar series, becomes ``(T, 1)``;
    * ``(T, d)`` array or a pandas DataFrame (numeric or datetime index used as time):
      one trajectory;
    * ``(N, T, d)`` array: ``N`` trajectories of equal length;
    * a list of ``(T_i, d)`` arrays, DataFrames or :class:`Trajectory` objects:
      ragged trajectories;
    * a :class:`Trajectory` or :class:`TrajectorySet`.

    Parameters
    ----------
    X : array_like, DataFrame, list, Trajectory or TrajectorySet
        The data.
    t : array_like, shape (T,), or list of arrays, optional
        Sample times (one shared grid or one per trajectory). Default
        ``arange(T) * dt``.
    dt : float, optional
        Sampling interval when ``t`` is not given (default 1.0).
    u : array_like, shape (T, m), (N, T, m) or list of arrays, optional
        Inputs, structured like ``X``.
    allow_nan : bool, default False
        Allow NaN entries in ``X`` (missing values), e.g. for Kalman filters.
    min_length : int, default 1
        Minimum number of samples per trajectory.
    allow_complex : bool, default False
        Keep complex data complex; otherwise complex ``X`` raises a
        :class:`~lindy.errors.ValidationError` (never a silent cast to real).

    Returns
    -------
    TrajectorySet

    Raises
    ------
    lindy.errors.ValidationError
        For NaN (unless allowed), infinities, wrong shapes, too-short series,
        non-increasing times, or inconsistent dimensions.

    Examples
    --------
    >>> import numpy as np
    >>> ts = as_trajectories(np.zeros((100, 3)), dt=0.01)
    >>> ts
    TrajectorySet(n=1, T=100, d=3)
    >>> ts[0].t[:3]
    array([0.  , 0.01, 0.02])
    >>> as_trajectories([np.zeros((5, 2)), np.zeros((7, 2))]).lengths
    [5, 7]
    """
    items, plural = _split_input(X)
    if isinstance(X, TrajectorySet) and t is None and u is None and dt is None:
        for i, tr in enumerate(X):
            check_array(tr.x, f"X[{i}]", ndim=2, allow_nan=allow_nan, min_rows=min_length,
                        allow_complex=allow_complex)
        return X
    ts = _per_traj(t, len(items), "t", plural)
    us = _per_traj(u, len(items), "u", plural)
    trajs = [
        _one(x, ti, ui, dt, i if plural else -1, allow_nan, min_length, allow_complex)
        for i, (x, ti, ui) in enumerate(zip(items, ts, us))
    ]
    return TrajectorySet(trajs)
