"""Train/test splits that respect time order."""

from __future__ import annotations

import numpy as np

from ..errors import ValidationError
from ._convert import as_trajectories
from ._trajectory import TrajectorySet

__all__ = ["train_test_split"]


def train_test_split(data, test_size: float = 0.2, *, by: str = "time",
                     min_length: int = 2) -> tuple[TrajectorySet, TrajectorySet]:
    """Split trajectories into a training and a test part without shuffling time.

    Parameters
    ----------
    data : TrajectorySet or anything :func:`as_trajectories` accepts
    test_size : float in (0, 1)
        Fraction of each trajectory (``by="time"``) or of the trajectories
        (``by="trajectory"``) that goes to the test set.
    by : {"time", "trajectory"}
        ``"time"``: each trajectory's head trains and its tail tests.
        ``"trajectory"``: the last trajectories test, the others train.
    min_length : int, default 2
        Minimum number of samples in each piece.

    Returns
    -------
    train, test : TrajectorySet

    Examples
    --------
    >>> import numpy as np
    >>> train, test = train_test_split(np.arange(10.0)[:, None], test_size=0.3)
    >>> train[0].n_steps, test[0].n_steps, float(test[0].t[0])
    (7, 3, 7.0)
    """
    ts = as_trajectories(data, allow_nan=True)
    if not (isinstance(test_size, (int, float)) and 0.0 < float(test_size) < 1.0):
        raise ValidationError(f"test_size must be a fraction in (0, 1); got {test_size!r}.")
    if by == "trajectory":
        n_test = int(np.ceil(len(ts) * test_size))
        if len(ts) < 2 or n_test >= len(ts):
            raise ValidationError(
                f"by='trajectory' needs at least 2 trajectories and a test_size that "
                f"leaves one for training; got {len(ts)} trajectories, test_size={test_size}."
            )
        return ts[: len(ts) - n_test], ts[len(ts) - n_test:]
    if by != "time":
        raise ValidationError(f"by must be 'time' or 'trajectory'; got {by!r}.")
    train, test = [], []
    for i, tr in enumerate(ts):
        cut = int(round(tr.n_steps * (1.0 - test_size)))
        if cut < min_length or tr.n_steps - cut < min_length:
            raise ValidationError(
                f"Trajectory {i} has {tr.n_steps} samples: too short to split with "
                f"test_size={test_size} into pieces of at least {min_length}."
            )
        train.append(tr[:cut])
        test.append(tr[cut:])
    return TrajectorySet(train), TrajectorySet(test)
