"""Shared pytest configuration."""

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture
def small_suite(monkeypatch):
    """A tiny suite registered as 'tiny': two systems, the three baseline methods."""
    from lindy.bench import _suites

    monkeypatch.setitem(_suites.SUITES, "tiny", {
        "systems": ["VanDerPol", "Henon"],
        "methods": _suites._BASE_METHODS,
        "seeds": [0, 1],
        "protocol": {"name": "forecast", "n_train": 300, "n_traj": 2, "horizon": 100,
                     "transient": 100},
    })
    return "tiny"
