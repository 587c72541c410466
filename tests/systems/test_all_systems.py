"""Every system integrates for 10 periods from its default initial condition
without NaN or blow-up (full sweep marked slow; a representative subset is fast)."""

import numpy as np
import pytest

from lindy.systems import get_system, list_systems, simulate

FAST = ["Lorenz", "Henon", "MackeyGlass", "VanDerPol", "OrnsteinUhlenbeck", "CellCycle",
        "Hopfield", "BoucWen", "ChialvoRingStar", "OscillatorChain"]


def _check(name):
    system = get_system(name)
    period = system.meta.get("period")
    assert period, f"{name} has no period in its metadata"
    if system.kind == "map" or system.meta.get("discrete"):
        data = simulate(system, n_steps=1000, dt=1, random_state=0)
    else:
        data = simulate(system, t=np.linspace(0.0, 10 * period, 1001), random_state=0)
    x = data[0].x
    assert np.isfinite(x).all(), name
    bound = 1e6 * (1.0 + np.abs(system.x0).max())
    assert np.abs(x).max() < bound, f"{name} grew beyond {bound:g}"


def test_registry_counts():
    assert len(list_systems(kind="flow")) >= 135
    assert len(list_systems(kind="delay")) == 6
    assert len(list_systems(kind="map")) >= 24
    assert len(list_systems(kind="sde")) >= 3
    assert "Lorenz" in list_systems(kind="flow", dim=3)


@pytest.mark.parametrize("name", FAST)
def test_representative_systems_run_ten_periods(name):
    _check(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(set(list_systems()) - set(FAST)))
def test_every_system_runs_ten_periods(name):
    _check(name)


def test_every_system_is_documented():
    for name in list_systems():
        meta = get_system(name).meta
        assert meta.get("citation"), f"{name} has no citation"
        assert meta.get("description") is not None, name
