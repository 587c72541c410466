"""Lag pairs and Hankel (delay) windows that never cross a trajectory boundary."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_positive_int
from ..errors import ValidationError
from ._trajectory import TrajectorySet

__all__ = ["Stacked", "stack", "lag_pairs", "hankel", "delay_embed"]


@dataclass(frozen=True)
class Stacked:
    """Trajectories stacked along time, with the boundaries between them.

    Every estimator that regresses one time on another reads its training pairs
    from here, so no pair or window crosses two trajectories.

    Attributes
    ----------
    x : ndarray, shape (N, d)
        All samples, trajectory after trajectory.
    u : ndarray, shape (N, m), or None
        The inputs, stacked the same way.
    offsets : ndarray of int, shape (n_traj + 1,)
        Trajectory ``i`` is ``x[offsets[i]:offsets[i + 1]]``.
    """

    x: np.ndarray
    u: np.ndarray | None
    offsets: np.ndarray

    def pairs(self, lag: int = 1, history: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Row indices ``(ix, iy = ix + lag)`` of pairs inside one trajectory.

        Parameters
        ----------
        lag : int, default 1
        history : int, default 0
            Samples needed before ``ix`` in the same trajectory (a delay
            window of span ``history`` ends at ``ix``).

        Returns
        -------
        ix, iy : ndarray of int, shape (n_pairs,)

        Examples
        --------
        >>> import numpy as np
        >>> from lindy.data import as_trajectories
        >>> s = stack(as_trajectories([np.arange(4.0), np.arange(3.0)]))
        >>> s.pairs(history=1)[0].tolist()
        [1, 2, 5]
        """
        starts, ends = self.offsets[:-1], self.offsets[1:]
        ix = np.concatenate([np.arange(a + history, b - lag, dtype=np.intp)
                             for a, b in zip(starts, ends)] or [np.zeros(0, np.intp)])
        return ix, ix + lag

    @property
    def lengths(self) -> np.ndarray:
        """Number of samples of each trajectory."""
        return np.diff(self.offsets)


def stack(trajs: TrajectorySet) -> Stacked:
    """Stack the trajectories of a set along time and keep their boundaries.

    Parameters
    ----------
    trajs : TrajectorySet

    Returns
    -------
    Stacked

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.data import as_trajectories
    >>> stack(as_trajectories([np.zeros(3), np.zeros(2)])).offsets.tolist()
    [0, 3, 5]
    """
    xs = [tr.x for tr in trajs]
    offsets = np.concatenate([[0], np.cumsum([x.shape[0] for x in xs])]).astype(np.intp)
    u = np.concatenate([tr.u for tr in trajs]) if trajs.input_dim else None
    return Stacked(x=np.concatenate(xs), u=u, offsets=offsets)


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
    >>> from dataclasses import dataclass

import numpy as np
    >>> from lindy.data import as_trajectories
    >>> ts = as_trajectories([np.arange(3.0), 10 + np.arange(2.0)])
    >>> X, Y = lag_pairs(ts)
    >>> np.hstack([X, Y]).tolist()
    [[0.0, 1.0], [1.0, 2.0], [10.0, 11.0]]
    """
    lag = check_positive_int(lag, "lag")
    s = stack(trajs)
    ix, iy = s.pairs(lag)
    if not ix.size:
        raise ValidationError(
            f"No trajectory is longer than lag={lag} (lengths {trajs.lengths}); "
            "pass longer trajectories or a smaller lag."
        )
    if with_inputs:
        U = s.u[ix] if s.u is not None else np.zeros((ix.size, 0))
        return s.x[ix], s.x[iy], U
    return s.x[ix], s.x[iy]


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
    >>> from dataclasses import dataclass

import numpy as np
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
    >>> from dataclasses import dataclass

import numpy as np
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
