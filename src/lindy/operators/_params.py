"""Hyperparameter constraints shared by the operator estimators (see :mod:`lindy._constraints`)."""

from __future__ import annotations

from .._constraints import CALLABLE, InstanceOf, Interval, Options
from ._dictionaries import Dictionary

__all__ = ["RANK", "INT_RANK", "POS_INT", "NONNEG_INT", "ALPHA", "POS_FLOAT_OR_NONE",
           "DICTIONARY", "DMD_SOLVER", "REENCODE"]

#: None (numerical rank), an int (exactly that many, capped with a RankWarning) or an energy fraction
RANK = [None, Interval(int, 1, None), Interval(float, 0, 1, closed="neither")]
INT_RANK = [Interval(int, 1, None)]
POS_INT = [Interval(int, 1, None)]
NONNEG_INT = [Interval(int, 0, None)]
ALPHA = [Interval(float, 0, None)]
POS_FLOAT_OR_NONE = [None, Interval(float, 0, None, closed="neither")]
DICTIONARY = [None, InstanceOf((Dictionary,), "a lindy.operators.Dictionary"), CALLABLE]
DMD_SOLVER = [Options("auto", "svd", "gram")]
#: None (pure linear rollout in feature space) or every how many steps to decode and lift again
REENCODE = [None, Interval(int, 1, None)]
