"""Trajectory containers: one trajectory, a ragged set of them, and forecasts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ShapeError, ValidationError

__all__ = ["Trajectory", "TrajectorySet", "Forecast"]


def _frozen(a: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    a = np.asarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Trajectory:
    """One sampled trajectory, time on the first axis.

    Parameters
    ----------
    t : ndarray, shape (T,)
        Strictly increasing sample times.
    x : ndarray, shape (T, d)
        States or observations.
    u : ndarray, shape (T, m), optional
        Inputs applied at each sample time.
    meta : dict
        Free-form metadata (system name, noise level, ...).

    Notes
    -----
    Arrays are stored read-only; build a new trajectory instead of editing one.
    Use :func:`lindy.data.as_trajectories` to build trajectories from raw arrays
    with validation.

    Examples
    --------
    >>> import numpy as np
    >>> tr = Trajectory(t=np.arange(3.0), x=np.zeros((3, 2)))
    >>> tr.n_steps, tr.dim, tr.dt
    (3, 2, 1.0)
    """

    t: np.ndarray
    x: np.ndarray
    u: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        t, x = np.asarray(self.t, dtype=float), np.asarray(self.x)
        if t.ndim != 1 or x.ndim != 2 or x.shape[0] != t.shape[0]:
            raise ShapeError(
                f"Trajectory needs t of shape (T,) and x of shape (T, d); got t {t.shape}"
                f" and x {x.shape}. Build it with lindy.data.as_trajectories."
            )
        u = self.u
        if u is not None:
            u = np.asarray(u, dtype=float)
            if u.ndim != 2 or u.shape[0] != t.shape[0]:
                raise ShapeError(
                    f"Trajectory inputs u must have shape (T, m) with T={t.shape[0]}; "
                    f"got {u.shape}."
                )
        object.__setattr__(self, "t", _frozen(t))
        object.__setattr__(self, "x", _frozen(x))
        object.__setattr__(self, "u", _frozen(u))

    @property
    def n_steps(self) -> int:
        """Number of samples ``T``."""
        return int(self.x.shape[0])

    @property
    def dim(self) -> int:
        """State dimension ``d``."""
        return int(self.x.shape[1])

    @property
    def input_dim(self) -> int:
        """Input dimension ``m`` (0 without inputs)."""
        return 0 if self.u is None else int(self.u.shape[1])

    @property
    def dt(self) -> float | None:
        """The sampling interval if sampling is uniform (relative tolerance 1e-6), else None."""
        if self.n_steps < 2:
            return None
        d = np.diff(self.t)
        if np.allclose(d, d[0], rtol=1e-6, atol=0.0):
            return float(d[0])
        return None

    def __len__(self) -> int:
        return self.n_steps

    def __getitem__(self, index: slice) -> Trajectory:
        """Slice in time: ``traj[a:b]`` is a new trajectory."""
        if not isinstance(index, slice):
            raise TypeError("Trajectory supports time slices only, e.g. traj[10:20].")
        u = None if self.u is None else self.u[index]
        return Trajectory(t=self.t[index], x=self.x[index], u=u, meta=dict(self.meta))

    def __repr__(self) -> str:
        u = "" if self.u is None else f", m={self.input_dim}"
        return f"Trajectory(T={self.n_steps}, d={self.dim}{u}, t=[{self.t[0]:g}..{self.t[-1]:g}])"


@dataclass(frozen=True, eq=False, repr=False)
class Forecast(Trajectory):
    """A forecast: a :class:`Trajectory` of means, optionally with uncertainty.

    Parameters
    ----------
    cov : ndarray, shape (T, d, d), optional
        Predictive covariance of each step.
    samples : ndarray, shape (S, T, d), optional
        Sample paths.

    Examples
    --------
    >>> import numpy as np
    >>> f = Forecast(t=np.arange(2.0), x=np.zeros((2, 1)), cov=np.ones((2, 1, 1)))
    >>> f.std.shape
    (2, 1)
    """

    cov: np.ndarray | None = None
    samples: np.ndarray | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        T, d = self.x.shape
        if self.cov is not None and np.shape(self.cov) != (T, d, d):
            raise ShapeError(f"Forecast cov must have shape {(T, d, d)}; got {np.shape(self.cov)}.")
        if self.samples is not None and np.shape(self.samples)[1:] != (T, d):
            raise ShapeError(
                f"Forecast samples must have shape (S, {T}, {d}); got {np.shape(self.samples)}."
            )
        object.__setattr__(self, "cov", _frozen(None if self.cov is None else np.asarray(self.cov, float)))
        object.__setattr__(
            self, "samples", _frozen(None if self.samples is None else np.asarray(self.samples, float))
        )

    @property
    def mean(self) -> np.ndarray:
        """The predictive mean, shape (T, d) (same as ``x``)."""
        return self.x

    @property
    def std(self) -> np.ndarray | None:
        """Marginal standard deviations, shape (T, d), from ``cov`` or ``samples``."""
        if self.cov is not None:
            return np.sqrt(np.maximum(np.diagonal(self.cov, axis1=1, axis2=2), 0.0))
        if self.samples is not None:
            return self.samples.std(axis=0)
        return None

    def __repr__(self) -> str:
        return "Forecast" + super().__repr__()[len("Trajectory"):]


class TrajectorySet(Sequence):
    """An ordered collection of trajectories with a common state (and input) dimension.

    Lengths may differ (ragged). Indexing with an int gives a :class:`Trajectory`,
    with a slice or a list of ints a new :class:`TrajectorySet`.

    Parameters
    ----------
    trajectories : sequence of Trajectory

    Examples
    --------
    >>> import numpy as np
    >>> ts = TrajectorySet([Trajectory(np.arange(5.0), np.zeros((5, 2))),
    ...                     Trajectory(np.arange(3.0), np.ones((3, 2)))])
    >>> len(ts), ts.dim, ts.lengths
    (2, 2, [5, 3])
    """

    def __init__(self, trajectories: Sequence[Trajectory]) -> None:
        trajs = tuple(trajectories)
        if not trajs:
            raise ValidationError("A TrajectorySet needs at least one trajectory; got none.")
        for tr in trajs:
            if not isinstance(tr, Trajectory):
                raise ValidationError(
                    f"TrajectorySet holds Trajectory objects; got {type(tr).__name__}. "
                    "Use lindy.data.as_trajectories to convert arrays."
                )
        d, m = trajs[0].dim, trajs[0].input_dim
        for i, tr in enumerate(trajs):
            if tr.dim != d:
                raise ShapeError(
                    f"All trajectories must have the same dimension; trajectory 0 has "
                    f"d={d} but trajectory {i} has d={tr.dim}."
                )
            if tr.input_dim != m:
                raise ShapeError(
                    f"All trajectories must have the same input dimension; trajectory 0 "
                    f"has m={m} but trajectory {i} has m={tr.input_dim}."
                )
        self._trajs = trajs

    def __len__(self) -> int:
        return len(self._trajs)

    def __iter__(self) -> Iterator[Trajectory]:
        return iter(self._trajs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return TrajectorySet(self._trajs[index])
        if isinstance(index, (list, tuple, np.ndarray)) and not isinstance(index, str):
            return TrajectorySet([self._trajs[int(i)] for i in index])
        return self._trajs[index]

    @property
    def dim(self) -> int:
        """State dimension ``d`` shared by all trajectories."""
        return self._trajs[0].dim

    @property
    def input_dim(self) -> int:
        """Input dimension ``m`` (0 without inputs)."""
        return self._trajs[0].input_dim

    @property
    def lengths(self) -> list[int]:
        """Number of samples of each trajectory."""
        return [tr.n_steps for tr in self._trajs]

    @property
    def n_steps_total(self) -> int:
        """Total number of samples over all trajectories."""
        return sum(self.lengths)

    @property
    def dt(self) -> float | None:
        """The common sampling interval if every trajectory is uniform with the same dt."""
        dts = [tr.dt for tr in self._trajs]
        if any(d is None for d in dts):
            return None
        if np.allclose(dts, dts[0], rtol=1e-6, atol=0.0):
            return float(dts[0])
        return None

    def to_array(self) -> np.ndarray:
        """Stack equal-length trajectories into an array of shape (N, T, d)."""
        if len(set(self.lengths)) != 1:
            raise ShapeError(
                f"to_array needs equal lengths; got lengths {self.lengths}. Iterate "
                "over the set or trim the trajectories instead."
            )
        return np.stack([tr.x for tr in self._trajs])

    def concatenate(self) -> np.ndarray:
        """All samples stacked along time, shape (sum T_i, d) (crosses boundaries!)."""
        return np.concatenate([tr.x for tr in self._trajs], axis=0)

    def __repr__(self) -> str:
        lens = self.lengths
        span = f"T={lens[0]}" if len(set(lens)) == 1 else f"T={min(lens)}..{max(lens)}"
        m = "" if self.input_dim == 0 else f", m={self.input_dim}"
        return f"TrajectorySet(n={len(self)}, {span}, d={self.dim}{m})"
