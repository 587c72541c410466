"""Rosenbrock (RODAS4) integrator for stiff flows, and simulate's integrator choice."""

from dataclasses import replace

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lindy.errors import NumericalError, ValidationError
from lindy.systems import System, get_system, list_systems, simulate
from lindy.systems._stiffness import STIFF_THRESHOLD, stiffness_index
from lindy.systems.integrators import integrate_flow, integrate_stiff

MU = 1000.0
VDP_PERIOD = (3.0 - 2.0 * np.log(2.0)) * MU  # relaxation-oscillation period, leading order


def _vdp(t, x, p):
    return np.array([x[1], p[0] * (1.0 - x[0] ** 2) * x[1] - x[0]])


def _vdp_jac(t, x, p):
    return np.array([[0.0, 1.0], [-2.0 * p[0] * x[0] * x[1] - 1.0, p[0] * (1.0 - x[0] ** 2)]])


def _robertson(t, y, p):
    k1, k2, k3 = p
    return np.array([-k1 * y[0] + k3 * y[1] * y[2],
                     k1 * y[0] - k3 * y[1] * y[2] - k2 * y[1] ** 2,
                     k2 * y[1] ** 2])


def _robertson_jac(t, y, p):
    k1, k2, k3 = p
    return np.array([[-k1, k3 * y[2], k3 * y[1]],
                     [k1, -k3 * y[2] - 2.0 * k2 * y[1], -k3 * y[1]],
                     [0.0, 2.0 * k2 * y[1], 0.0]])


VDP = System("VdPStiffTest", 2, {"mu": MU}, np.array([2.0, 0.0]), 1.0, _vdp, _vdp_jac)
ROBERTSON = System("RobertsonTest", 3, {"k1": 0.04, "k2": 3e7, "k3": 1e4},
                   np.array([1.0, 0.0, 0.0]), 1.0, _robertson, _robertson_jac)


def _radau(system, t):
    p = system.param_array
    sol = solve_ivp(lambda s, x: system.rhs(s, x, p), (t[0], t[-1]), system.x0,
                    method="Radau", rtol=1e-12, atol=1e-12, t_eval=t,
                    jac=lambda s, x: system.jac(s, x, p))
    assert sol.success
    return sol.y.T


VDP_T = np.linspace(0.0, 2000.0, 21)


@pytest.fixture(scope="module")
def vdp_reference():
    return _radau(VDP, VDP_T)


@pytest.mark.parametrize("use_jac", [True, False])
def test_van_der_pol_mu1000_matches_radau(use_jac, vdp_reference):
    system = VDP if use_jac else replace(VDP, jac=None)
    out, stats = integrate_stiff(system, system.x0, VDP_T, rtol=1e-8, atol=1e-10)
    ref = vdp_reference
    scale = np.abs(ref).max(axis=0)
    assert np.max(np.abs(out[0] - ref) / scale) < 1e-6
    assert stats[0, 0] < 20_000


def test_robertson_matches_radau():
    t = np.concatenate([[0.0], np.logspace(-4, 4, 17)])
    out, _ = integrate_stiff(ROBERTSON, ROBERTSON.x0, t, rtol=1e-8, atol=1e-14)
    ref = _radau(ROBERTSON, t)
    scale = np.abs(ref).max(axis=0)
    assert np.max(np.abs(out[0] - ref) / scale) < 1e-6
    np.testing.assert_allclose(out[0].sum(axis=1), 1.0, atol=1e-12)  # mass conservation


def test_stiff_dysts_system_auto_uses_rosenbrock_with_far_fewer_steps():
    base = get_system("VanDerPol", mu=MU)
    t = np.linspace(0.0, 10.0 * VDP_PERIOD, 1001)
    X = integrate_stiff(base, base.x0, t, rtol=1e-6, atol=1e-9)[0][0]
    index = stiffness_index(base, X, VDP_PERIOD, t)
    assert index > STIFF_THRESHOLD
    stiff = replace(base, meta={**base.meta, "stiff": True, "period": VDP_PERIOD})
    auto = simulate(stiff, n_steps=1001, pts_per_period=100)[0]
    ros, stats = integrate_stiff(stiff, stiff.x0, auto.t)
    np.testing.assert_array_equal(auto.x, ros[0])
    assert np.all(np.isfinite(auto.x)) and np.abs(auto.x[:, 0]).max() < 2.1
    with pytest.raises(NumericalError, match="maximum number of steps"):
        integrate_flow(stiff, stiff.x0, np.array(auto.t), max_steps=5 * int(stats[0, 0]))


def test_auto_keeps_dop853_for_non_stiff_systems():
    lorenz = get_system("Lorenz")
    assert not lorenz.meta.get("stiff")
    auto = simulate(lorenz, n_steps=200)[0].x
    np.testing.assert_array_equal(auto, simulate(lorenz, n_steps=200, integrator="dop853")[0].x)
    np.testing.assert_array_equal(auto, integrate_flow(lorenz, lorenz.x0, np.arange(200) *
                                                       lorenz.dt)[0])
    ros = simulate(lorenz, n_steps=200, integrator="rodas4")[0].x
    np.testing.assert_allclose(ros, auto, rtol=1e-6, atol=1e-6)


def test_auto_detects_stiffness_after_with_params():
    """Changed parameters drop the stored flag; DOP853's stiffness test hands over."""
    vdp = get_system("VanDerPol", mu=MU)
    assert "stiff" not in vdp.meta
    t = np.linspace(0.0, 3.0 * VDP_PERIOD, 301)
    _, stiff = integrate_flow(vdp, vdp.x0, t, detect_stiff=True)
    assert stiff.tolist() == [True]
    auto = simulate(vdp, t=t)[0].x
    np.testing.assert_array_equal(auto, integrate_stiff(vdp, vdp.x0, t)[0][0])


@pytest.mark.parametrize("name,params", [("VanDerPol", {"mu": 100.0}), ("Lorenz", {}),
                                         ("BelousovZhabotinsky", {}), ("Bouali2", {}),
                                         ("CoevolvingPredatorPrey", {})])
def test_stiffness_test_keeps_dop853_where_it_is_faster(name, params):
    """Moderately stiff flows (index up to ~5e4), where DOP853 is measured faster than
    RODAS4, are not handed over."""
    system = get_system(name, **params)
    period = system.meta["period"] if not params else (3.0 - 2.0 * np.log(2.0)) * 100.0
    t = np.linspace(0.0, 10.0 * period, 1001)
    out, stiff = integrate_flow(system, system.x0, t, detect_stiff=True)
    assert stiff.tolist() == [False]
    np.testing.assert_array_equal(out, integrate_flow(system, system.x0, t))


@pytest.mark.slow
def test_stiffness_test_never_fires_on_the_collection_defaults():
    fired = []
    for name in list_systems(kind="flow"):
        system = get_system(name)
        if not system.meta.get("period") or system.meta.get("stiff"):
            continue
        t = np.arange(1000) * system.meta["period"] / 100.0
        if integrate_flow(system, system.x0, t, detect_stiff=True)[1].any():
            fired.append(name)
    assert fired == []


def test_collection_flags_are_measured():
    flows = [get_system(n) for n in list_systems(kind="flow")]
    indexed = [s for s in flows if "stiffness_index" in s.meta]
    assert len(indexed) > 100
    for s in indexed:
        assert s.meta["stiff"] == (s.meta["stiffness_index"] > STIFF_THRESHOLD)


@pytest.mark.parametrize("integrator", ["radau", "DOP853", None, 3, "rosenbrock"])
def test_bad_integrator_raises(integrator):
    with pytest.raises(ValidationError, match="integrator must be one of"):
        simulate(get_system("Lorenz"), n_steps=10, integrator=integrator)
