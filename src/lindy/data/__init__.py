"""Time-series data: trajectories, conversion, lag pairs, Hankel windows, splits.

Time is always the first axis: one trajectory is ``x (T, d)`` with times
``t (T,)`` and optional inputs ``u (T, m)``.
"""

from ._convert import as_trajectories
from ._lags import Stacked, delay_embed, hankel, lag_pairs, stack
from ._split import train_test_split
from ._trajectory import Forecast, Trajectory, TrajectorySet

__all__ = [
    "Trajectory",
    "TrajectorySet",
    "Forecast",
    "as_trajectories",
    "Stacked",
    "stack",
    "lag_pairs",
    "hankel",
    "delay_embed",
    "train_test_split",
]
