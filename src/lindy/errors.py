"""Exceptions raised by lindy.

Every error lindy raises on purpose is a :class:`LindyError`. Where a builtin
exception has the same meaning, the lindy error also subclasses it, so code that
catches ``ValueError`` keeps working.

Exception tree::

    LindyError (Exception)
    ├── ValidationError (ValueError)         bad input: NaN, shape, length, times
    │   └── ShapeError                       an array has the wrong shape
    ├── NotFittedError (ValueError, AttributeError)
    │                                        method needs a fitted estimator
    ├── ConvergenceError (RuntimeError)      an iterative method did not converge
    ├── NumericalError (ArithmeticError)     singular matrix, non-finite result
    ├── MissingDependencyError (ImportError) an optional extra is not installed
    ├── UnknownNameError (KeyError)          unknown system / method / suite name
    └── FileFormatError (ValueError)         a saved model file lindy cannot read

Warning tree::

    LindyWarning (Warning)
    ├── RankWarning (UserWarning)            an int rank was capped at what the data support
    └── StabilityWarning (UserWarning)       an identified model is unstable (its free run diverges)

Examples
--------
>>> import lindy as ld
>>> try:
...     ld.data.as_trajectories([[1.0, float("nan")]])
... except ld.errors.ValidationError as err:
...     print(type(err).__name__, isinstance(err, ValueError))
ValidationError True
"""

from __future__ import annotations

__all__ = [
    "LindyError",
    "ValidationError",
    "ShapeError",
    "NotFittedError",
    "ConvergenceError",
    "NumericalError",
    "MissingDependencyError",
    "UnknownNameError",
    "FileFormatError",
    "LindyWarning",
    "RankWarning",
    "StabilityWarning",
]


class LindyError(Exception):
    """Base class of every exception lindy raises on purpose."""


class ValidationError(LindyError, ValueError):
    """Input failed validation (NaN, wrong shape, too short, non-monotone time)."""


class ShapeError(ValidationError):
    """An array has the wrong number of dimensions or a wrong size."""


class NotFittedError(LindyError, ValueError, AttributeError):
    """A method that needs a fitted estimator was called before ``fit``."""


class ConvergenceError(LindyError, RuntimeError):
    """An iterative algorithm stopped before meeting its tolerance."""


class NumericalError(LindyError, ArithmeticError):
    """A numerical failure: singular matrix, non-finite intermediate result."""


class MissingDependencyError(LindyError, ImportError):
    """An optional dependency is missing; the message names the pip command.

    Parameters
    ----------
    package : str
        The importable module that is missing (e.g. ``"torch"``).
    extra : str
        The lindy extra that installs it (e.g. ``"torch"``).
    """

    def __init__(self, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package!r} is required for this feature but is not installed. "
            f"Install it with: pip install 'lindy[{extra}]'"
        )


class UnknownNameError(LindyError, KeyError):
    """A name (system, method, suite) is not in its registry.

    The message lists close matches so a typo is easy to fix.
    """

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else ""


class FileFormatError(LindyError, ValueError):
    """A saved model file is damaged, not a lindy file, or from an incompatible version."""


class LindyWarning(Warning):
    """Base class of every warning lindy emits on purpose."""


class RankWarning(LindyWarning, UserWarning):
    """An int ``rank`` asked for more components than the data support; fewer were kept.

    The message says how many were kept and why (numerically zero singular
    values, too few samples).
    """


class StabilityWarning(LindyWarning, UserWarning):
    """An identified model is unstable: its state matrix has an eigenvalue of modulus >= 1.

    Its free run (``simulate``) then diverges. The message gives the spectral
    radius and names the option that projects the model onto the stable set.
    """
