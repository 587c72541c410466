"""Lag pairs and Hankel (delay) windows that never cross a trajectory boundary."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int
from ..errors import ValidationError
from ._trajectory import TrajectorySet

__all__ = ["lag_pairs", "hankel", "delay_embed"]


def lag_pairs(trajs: TrajectorySet, lag: int = 1, *, with_inputs: bool = False):
    """Snapshot pairs ``(x_k, x_{k+lag})`` from every trajectory, never across two.

    Parameters
    ----------
    trajs : TrajectorySet
    lag : int, default 1
    with_inputs : bool
        Also return the inputs ``u_k`` aligned with ``X``.

    Returns
    -------
    X : ndarray, shape (n_pairs, d)
    Y : ndarray, shape (n_pairs, d)
    U : ndarray, shape (n_pairs, m)
        Only with ``with_inputs=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.data import as_trajectories
    >>> ts = as_trajectories([np.arange(3.0), 10 + np.arange(2.0)])
    >>> X, Y = lag_pairs(ts)
    >>> np.hstack([X, Y]).tolist()
    [[0.0, 1.0], [1.0, 2.0], [10.0, 11.0]]
    """
    lag = check_positive_int(lag, "lag")
    xs, ys, us = [], [], []
    for tr in trajs:
        if tr.n_steps > lag:
            xs.append(tr.x[:-lag])
            ys.append(tr.x[lag:])
            if with_inputs and tr.u is not None:
                us.append(tr.u[:-lag])
    if not xs:
        raise ValidationError(
            f"No trajectory is longer than lag={lag} (lengths {trajs.lengths}); "
            "pass longer trajectories or a smaller lag."
        )
    X, Y = np.concatenate(xs), np.concatenate(ys)
    if with_inputs:
        U = np.concatenate(us) if us else np.zeros((X.shape[0], 0))
        return X, Y, U
    return X, Y


def delay_embed(x: np.ndarray, n_delays: int, stride: int = 1) -> np.ndarray:
    """Delay windows of one array: row k is ``[x_k, x_{k+s}, ..., x_{k+(n-1)s}]`` flattened.

    Parameters
    ----------
    x : ndarray, shape (T, d)
    n_delays : int
        Number of samples per window.
    stride : int, default 1
        Spacing of the samples inside a window.

    Returns
    -------
    ndarray, shape (T - (n_delays - 1) * stride, n_delays * d)
        Oldest sample first within a row. Empty (0 rows) if ``x`` is too short.

    Examples
    --------
    >>> import numpy as np
    >>> delay_embed(np.arange(4.0)[:, None], 2).tolist()
    [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]
    """
    span = (n_delays - 1) * stride
    T = x.shape[0] - span
    if T <= 0:
        return np.zeros((0, n_delays * x.shape[1]))
    return np.concatenate([x[j * stride: j * stride + T] for j in range(n_delays)], axis=1)


def hankel(trajs: TrajectorySet, n_delays: int, stride: int = 1) -> np.ndarray:
    """Delay windows of every trajectory, stacked; no window spans two trajectories.

    Parameters
    ----------
    trajs : TrajectorySet
    n_delays : int
    stride : int, default 1

    Returns
    -------
    ndarray, shape (n_windows, n_delays * d)

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.data import as_trajectories
    >>> ts = as_trajectories([np.arange(3.0), 10 + np.arange(3.0)])
    >>> hankel(ts, 2).tolist()
    [[0.0, 1.0], [1.0, 2.0], [10.0, 11.0], [11.0, 12.0]]
    """
    n_delays = check_positive_int(n_delays, "n_delays")
    stride = check_positive_int(stride, "stride")
    blocks = [delay_embed(tr.x, n_delays, stride) for tr in trajs]
    blocks = [b for b in blocks if b.shape[0]]
    if not blocks:
        raise ValidationError(
            f"No trajectory is long enough for {n_delays} delays with stride {stride} "
            f"(lengths {trajs.lengths})."
        )
    return np.concatenate(blocks)
