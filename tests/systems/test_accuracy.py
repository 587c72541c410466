"""DOP853 trajectories agree with a tight-tolerance implicit reference (Radau, 1e-12)."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lindy.systems import get_system, simulate

FAST = ["Lorenz", "Rossler", "Thomas"]
SLOW = ["Aizawa", "Chen", "Halvorsen", "SprottA", "HyperRossler", "Duffing", "Lorenz84",
        "NoseHoover", "RabinovichFabrikant", "GenesioTesi", "DoublePendulum", "Arneodo"]


def _relative_error(name, periods=2.0, n=200):
    system = get_system(name)
    period = system.meta.get("period", 100 * system.dt)
    t = np.linspace(0.0, periods * period, n)
    ours = simulate(system, t=t, rtol=1e-10, atol=1e-12)[0].x
    p = system.param_array
    jac = (lambda s, x: system.jac(s, x, p)) if system.jac is not None else None
    ref = solve_ivp(lambda s, x: system.rhs(s, x, p), (0.0, t[-1]), system.x0, method="Radau",
                    t_eval=t, rtol=1e-12, atol=1e-12, jac=jac).y.T
    return np.abs(ours - ref).max() / np.abs(ref).max()


@pytest.mark.parametrize("name", FAST)
def test_matches_radau_reference(name):
    assert _relative_error(name) < 1e-6


@pytest.mark.slow
@pytest.mark.parametrize("name", SLOW)
def test_matches_radau_reference_more_systems(name):
    assert _relative_error(name) < 1e-6
