"""The conformance suite every lindy estimator passes, as named checks.

``check_estimator(est)`` runs every check; ``parametrize_with_checks`` makes
one pytest case per (estimator, check), so a failure names the check (as
scikit-learn's ``parametrize_with_checks``). The checks cover parameters and
their declared constraints, fitting ragged data, predictions, the Forecast
contract (times continue the context), determinism, clear errors on bad
input, the one input-timing convention, complex data and save/load.

Examples
--------
>>> import lindy as ld
>>> ld.testing.check_estimator(ld.baselines.Persistence())
>>> [name for name, _ in ld.testing.checks()][:3]
['check_parameters', 'check_parameter_constraints', 'check_not_fitted']
"""

from __future__ import annotations

from ..data import TrajectorySet
from ._checks import CHECKS
from ._data import complex_linear_data, conformance_data, linear_input_data

__all__ = ["check_estimator", "checks", "parametrize_with_checks", "conformance_data",
           "linear_input_data", "complex_linear_data"]


def checks():
    """The named checks, in the order :func:`check_estimator` runs them.

    Returns
    -------
    list of (str, callable)
        ``check(estimator, data)`` raises AssertionError on failure.
    """
    return list(CHECKS)


def default_data(estimator) -> TrajectorySet:
    """The training data the checks use for ``estimator`` (inputs for input models)."""
    inputs = getattr(estimator, "_inputs", "never")
    return conformance_data(n_inputs=2 if inputs == "required" else 0)


def check_estimator(estimator, *, data: TrajectorySet | None = None) -> None:
    """Run every named check on an (unfitted) estimator; raise AssertionError on failure.

    Parameters
    ----------
    estimator : lindy.base.Estimator
        An unfitted estimator with its hyperparameters set.
    data : TrajectorySet, optional
        Training data; default :func:`conformance_data` (with two inputs for
        models that require inputs).
    """
    data = default_data(estimator) if data is None else data
    for _, check in CHECKS:
        check(estimator, data)


def parametrize_with_checks(estimators, *, data: TrajectorySet | None = None):
    """A pytest ``parametrize`` decorator: one case per (estimator, named check).

    The decorated test takes ``estimator`` and ``check`` and calls
    ``check(estimator)``; case ids read ``DMD(rank=2)-check_forecast``.

    Parameters
    ----------
    estimators : list of Estimator
    data : TrajectorySet, optional
        Training data for every estimator (default per estimator, as in
        :func:`check_estimator`).
    """
    import functools

    import pytest

    cases, ids = [], []
    for est in estimators:
        d = default_data(est) if data is None else data
        for name, check in CHECKS:
            cases.append((est, functools.partial(check, data=d)))
            ids.append(f"{est!r}-{name}".replace(" ", "").replace("\n", ""))
    return pytest.mark.parametrize(("estimator", "check"), cases, ids=ids)
