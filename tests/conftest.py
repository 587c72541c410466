"""Shared pytest configuration.

Tests run BLAS single-threaded: mid-size dense factorizations are 5-50x slower
with two OpenBLAS threads on a loaded 2-core machine, and the tests check
numbers, not parallel speed.
"""

import matplotlib
import pytest
from threadpoolctl import threadpool_limits

matplotlib.use("Agg")


@pytest.fixture(autouse=True, scope="session")
def _single_threaded_blas():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture
def small_suite(monkeypatch):
    """A tiny suite registered as 'tiny': two systems, the three baseline methods."""
    from lindy.bench import _suites

    monkeypatch.setitem(_suites.SUITES, "tiny", {
        "systems": ["VanDerPol", "Henon"],
        "methods": _suites._BASE_METHODS,
        "random_states": [0, 1],
        "protocol": {"name": "forecast", "n_train": 300, "n_traj": 2, "horizon": 100,
                     "transient": 100},
    })
    return "tiny"
