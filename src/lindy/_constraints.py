"""Hyperparameter constraints declared as data, checked with one message format.

Each estimator class declares ``_parameter_constraints``: a mapping from a
constructor argument to the list of constraints it may satisfy (any one
suffices), as scikit-learn does. :meth:`lindy.base.Estimator.fit` checks them
before touching the data, and a violation raises one message format::

    DMD: parameter 'rank' must be None, an int in [1, inf) or a float in (0, 1); got -2.

Examples
--------
>>> check_params("Demo", {"rank": 0}, {"rank": [None, Interval(int, 1, None)]})
Traceback (most recent call last):
...
lindy.errors.ValidationError: Demo: parameter 'rank' must be None or an int in [1, inf); got 0.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .errors import ValidationError

__all__ = ["Interval", "Options", "InstanceOf", "check_params", "RANDOM_STATE", "BOOL", "CALLABLE"]


@dataclass(frozen=True)
class Interval:
    """A number in an interval: ``Interval(int, 1, None)`` is a positive int.

    ``kind`` is ``int`` (integers only, bools excluded) or ``float`` (any real
    number, integers included); ``closed`` is ``"both"``, ``"left"``,
    ``"right"`` or ``"neither"``.
    """

    kind: type
    low: float | None
    high: float | None
    closed: str = "both"

    def accepts(self, value) -> bool:
        if isinstance(value, (bool, np.bool_)):
            return False
        if self.kind is int and not isinstance(value, numbers.Integral):
            return False
        if not isinstance(value, numbers.Real) or not np.isfinite(float(value)):
            return False
        v = float(value)
        left = self.closed in ("both", "left")
        right = self.closed in ("both", "right")
        if self.low is not None and (v < self.low or (v == self.low and not left)):
            return False
        return not (self.high is not None and (v > self.high or (v == self.high and not right)))

    def describe(self) -> str:
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        lb = "[" if self.closed in ("both", "left") and self.low is not None else "("
        rb = "]" if self.closed in ("both", "right") and self.high is not None else ")"
        article = "an int" if self.kind is int else "a float"
        return f"{article} in {lb}{lo}, {hi}{rb}"


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values (strings, usually)."""

    values: tuple

    def __init__(self, *values):
        object.__setattr__(self, "values", tuple(values))

    def accepts(self, value) -> bool:
        try:
            return any(value == v and type(value) is type(v) for v in self.values)
        except (TypeError, ValueError):
            return False

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)


@dataclass(frozen=True)
class InstanceOf:
    """An instance of one of the given types (described by ``what``)."""

    types: tuple
    what: str

    def accepts(self, value) -> bool:
        return isinstance(value, self.types)

    def describe(self) -> str:
        return self.what


@dataclass(frozen=True)
class _Predicate:
    test: Callable[[object], bool]
    what: str

    def accepts(self, value) -> bool:
        return bool(self.test(value))

    def describe(self) -> str:
        return self.what


#: an int seed, a numpy Generator or None
RANDOM_STATE = _Predicate(
    lambda v: v is None or isinstance(v, np.random.Generator)
    or (isinstance(v, numbers.Integral) and not isinstance(v, bool) and int(v) >= 0),
    "a non-negative int, a numpy Generator or None")
#: True or False
BOOL = _Predicate(lambda v: isinstance(v, (bool, np.bool_)), "a bool")
#: any callable
CALLABLE = _Predicate(callable, "a callable")


def _describe(c) -> str:
    return "None" if c is None else c.describe()


def _accepts(c, value) -> bool:
    return value is None if c is None else c.accepts(value)


def check_params(owner: str, params: Mapping[str, object],
                 constraints: Mapping[str, list]) -> None:
    """Check ``params`` against declared ``constraints``; raise one ValidationError format.

    Parameters
    ----------
    owner : str
        Name used at the start of the message (the estimator's class).
    params : mapping
        Parameter values (``get_params(deep=False)``).
    constraints : mapping
        ``name -> [constraint, ...]``; ``None`` in the list accepts None.
        Parameters without an entry are not checked.

    Raises
    ------
    lindy.errors.ValidationError
    """
    for name, allowed in constraints.items():
        if name not in params:
            continue
        value = params[name]
        if any(_accepts(c, value) for c in allowed):
            continue
        parts = [_describe(c) for c in allowed]
        want = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
        raise ValidationError(f"{owner}: parameter {name!r} must be {want}; got {value!r}.")
