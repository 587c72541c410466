"""Pieces shared by the hyperparameter searches: seeded candidates and held-out ends.

:func:`lindy.reservoir.search` and the benchmark's per-protocol tuning
(:mod:`lindy.bench._tuning`) both draw a fixed number of seeded candidates from a
search space and score them on the last part of each training trajectory.
"""

from __future__ import annotations

import itertools

from .data import Trajectory, TrajectorySet
from .errors import ValidationError

__all__ = ["draw_candidates", "hold_out_ends"]


def draw_candidates(space: dict, n_trials: int, rng) -> list[dict]:
    """``n_trials`` parameter settings drawn from ``space`` with the generator ``rng``.

    A space of lists only is a grid: all of its points when it has at most
    ``n_trials``, else ``n_trials`` distinct points (in grid order). A space with a
    distribution (anything with ``rvs(random_state=...)``, e.g. ``scipy.stats``)
    is sampled independently per parameter, lists uniformly.

    Examples
    --------
    >>> import numpy as np
    >>> draw_candidates({"a": [1, 2], "b": [0.1]}, 5, np.random.default_rng(0))
    [{'a': 1, 'b': 0.1}, {'a': 2, 'b': 0.1}]
    >>> len(draw_candidates({"a": [1, 2, 3], "b": [4, 5, 6]}, 4, np.random.default_rng(0)))
    4
    >>> draw_candidates({}, 3, np.random.default_rng(0))
    [{}]
    """
    names = sorted(space)
    if not names:
        return [{}]
    values = [space[k] for k in names]
    if all(isinstance(v, (list, tuple)) for v in values):
        grid = list(itertools.product(*values))
        pick = range(len(grid)) if n_trials >= len(grid) else \
            sorted(rng.choice(len(grid), size=n_trials, replace=False))
        return [dict(zip(names, grid[i])) for i in pick]
    out = []
    for _ in range(n_trials):
        row = {}
        for k, v in zip(names, values):
            if isinstance(v, (list, tuple)):
                row[k] = v[int(rng.integers(len(v)))]
            elif hasattr(v, "rvs"):
                row[k] = v.rvs(random_state=rng)
            else:
                raise ValidationError(
                    f"param_grid[{k!r}] must be a list of values or a distribution with .rvs; got {v!r}.")
        out.append(row)
    return out


def hold_out_ends(data: TrajectorySet, val_fraction: float, max_steps: int | None = None
                  ) -> tuple[TrajectorySet, list[Trajectory]]:
    """Split each trajectory into a first part and its held-out end.

    The end has ``round(val_fraction * T)`` samples (at least 1, at most
    ``max_steps``); a trajectory whose first part would be shorter than 2 samples
    is left out.

    Returns
    -------
    fits : TrajectorySet
        The first parts (what a candidate is fitted on).
    ends : list of Trajectory
        The held-out ends, in the same order.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.data import as_trajectories
    >>> fits, ends = hold_out_ends(as_trajectories(np.arange(10.0)[:, None]), 0.3)
    >>> fits[0].x[:, 0].tolist(), ends[0].x[:, 0].tolist()
    ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [7.0, 8.0, 9.0])
    >>> hold_out_ends(as_trajectories(np.arange(10.0)[:, None]), 0.3, max_steps=2)[1][0].n_steps
    2
    """
    fits, ends = [], []
    for tr in data:
        n_val = max(1, int(round(val_fraction * tr.n_steps)))
        if max_steps is not None:
            n_val = min(n_val, int(max_steps))
        if tr.n_steps - n_val < 2:
            continue
        fits.append(tr[: tr.n_steps - n_val])
        ends.append(tr[tr.n_steps - n_val:])
    if not fits:
        raise ValidationError(f"No trajectory is long enough to hold out its last {val_fraction:g} "
                              f"(lengths {data.lengths}).")
    return TrajectorySet(fits), ends
