"""Oracle: lindy's right-hand sides equal the reference collection's (dysts) at random states."""

import json
from importlib import resources

import dysts.flows as dysts_flows  # dev dependency: the oracle, never a runtime import
import dysts.maps as dysts_maps
import numpy as np
import pytest

from lindy.systems import get_system, list_systems

DYSTS_MAP_NAMES = {"DuffingMap": "Duffing"}


def _flat(params):
    out = {}
    for name in sorted(params):
        value = np.asarray(params[name], dtype=float)
        if value.ndim == 0:
            out[name] = float(value)
        else:
            for idx in np.ndindex(value.shape):
                out[f"{name}[{','.join(map(str, idx))}]"] = float(value[idx])
    return out


def _reference(name, kind):
    module = dysts_maps if kind == "map" else dysts_flows
    ref = getattr(module, DYSTS_MAP_NAMES.get(name, name), None)
    return None if ref is None else ref()


def _py(func):
    return getattr(func, "py_func", func)


def _published():
    return [n for n in list_systems(kind="flow") + list_systems(kind="map")
            if get_system(n).meta.get("collection") == "dysts"]


# in the published metadata but without an implementation in the reference package;
# checked against the paper's formula below instead
NO_REFERENCE_CLASS = {"Zaslavskii"}
# the reference class exists but computes something else per call: dysts'
# BlinkingVortexMap is one half period in polar (r, theta); compared below by
# composing its half period (see also test_blinking_vortex.py)
DIFFERENT_FORM = {"BlinkingVortexMap"}


def test_reference_classes_exist_for_all_but_the_known():
    missing = {n for n in _published() if _reference(n, get_system(n).kind) is None}
    assert missing == NO_REFERENCE_CLASS


@pytest.mark.parametrize("name", sorted(set(_published()) - NO_REFERENCE_CLASS - DIFFERENT_FORM))
def test_rhs_matches_reference(name):
    system = get_system(name)
    ref = _reference(name, system.kind)
    system = system.with_params(**_flat(ref.params))
    rng = np.random.default_rng(0)
    for _ in range(3):
        x = system.x0 * (1 + 0.05 * rng.standard_normal(system.dim)) + 0.01 * rng.standard_normal(system.dim)
        t = float(rng.uniform(0, 1))
        mine = system.rhs(t, x, system.param_array)
        if system.kind == "map":
            if hasattr(ref, "_rhs") and hasattr(ref._rhs, "py_func"):
                theirs = ref._rhs.py_func(*x, *ref.param_list)
            else:
                theirs = ref.rhs(x)
        elif hasattr(type(ref), "_rhs") and "rhs" not in type(ref).__dict__ and hasattr(ref._rhs, "py_func"):
            theirs = ref._rhs.py_func(*x, t, *ref.param_list)
        else:
            theirs = ref.rhs(x, t)
        theirs = np.asarray(theirs, dtype=float).ravel()
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-12, err_msg=name)


def test_zaslavskii_matches_the_published_map():
    """Zaslavskii (1978): x' = x + nu (1 + mu y) + eps nu mu cos(2 pi x) (mod 1),
    y' = exp(-r) (y + eps cos(2 pi x)), mu = (1 - exp(-r)) / r."""
    system = get_system("Zaslavskii")
    eps, nu, r = (system.params[k] for k in ("eps", "nu", "r"))
    mu = (1 - np.exp(-r)) / r
    rng = np.random.default_rng(1)
    for _ in range(5):
        x, y = rng.uniform(0.0, 0.9), rng.uniform(-1.0, 1.0)
        mine = system.rhs(0.0, np.array([x, y]), system.param_array)
        xp = x + nu * (1 + mu * y) + eps * nu * mu * np.cos(2 * np.pi * x)
        yp = np.exp(-r) * (y + eps * np.cos(2 * np.pi * x))
        # the collection wraps x with a modulus a hair below 1
        assert abs(mine[0] - np.mod(xp, 0.99999995)) < 1e-12
        assert abs(mine[1] - yp) < 1e-12


def test_blinking_vortex_map_is_two_reference_half_periods():
    """dysts' BlinkingVortexMap advances (r, theta) for a time t under the vortex at
    (+b, 0) in the disc of radius a (its flip of b never reaches the parameters it
    computes with, and its formula is only right for b > 0). Ours is one full period
    (t = period / 2 per vortex) in (x, y); the vortex at (-b, 0) is the point
    reflection z -> -z of the one at (+b, 0), so our map is z -> -H(-H(z)) with H
    dysts' half period."""
    ref = dysts_maps.BlinkingVortexMap()
    system = get_system("BlinkingVortexMap")
    a, b, gamma, t = (ref.params[k] for k in ("a", "b", "gamma", "t"))
    system = system.with_params(a=a, b=b, gamma=gamma, period=2 * t)

    def half(r, th):
        return ref._rhs(r, th, a, b, gamma, t)

    rng = np.random.default_rng(2)
    for _ in range(10):
        r, th = np.sqrt(rng.uniform(0.01, 0.9)) * a, rng.uniform(-np.pi, np.pi)
        r1, th1 = half(r, th)
        r2, th2 = half(r1, th1 + np.pi)
        theirs = [r2 * np.cos(th2 + np.pi), r2 * np.sin(th2 + np.pi)]
        mine = system(np.array([r * np.cos(th), r * np.sin(th)]))
        np.testing.assert_allclose(mine, theirs, atol=1e-10)


# in the reference's map metadata (data/discrete_maps.json) but deliberately not in
# the collection, because no published system matches the entry:
# - EndCap: no equations anywhere (no class in any dysts version, no paper); the
#   entry is the file's last, repeats Henon's a = 1.4, b = 0.3 and inverse flag, and
#   has citation "." -- a placeholder, not a map.
# - ZeraouliaSprott: the map dysts has commented out, x' = -a x / (1 + y^2),
#   y' = x + b y (the rational map of Zeraoulia Elhadj & Sprott, restated by
#   Somarakis & Baras 2013, IJBC 23, 1330021), but the entry's a, b and x0 are
#   De Jong's, and for |b| > 1 orbits escape along the invariant line x = 0
#   (y -> b y); no chaotic parameter set could be traced to a publication.
NOT_IN_COLLECTION = {"EndCap", "ZeraouliaSprott"}


def _reference_map_metadata():
    text = resources.files("dysts").joinpath("data", "discrete_maps.json").read_text()
    return json.loads(text)


def test_every_reference_map_is_in_the_collection_but_the_known():
    ours = {DYSTS_MAP_NAMES.get(n, n) for n in _published() if get_system(n).kind == "map"}
    assert set(_reference_map_metadata()) - ours == NOT_IN_COLLECTION


def test_zeraoulia_sprott_entry_is_de_jongs_and_escapes():
    meta = _reference_map_metadata()
    entry, de_jong = meta["ZeraouliaSprott"], meta["DeJong"]
    assert entry["initial_conditions"] == de_jong["initial_conditions"]
    assert all(de_jong["parameters"][k] == v for k, v in entry["parameters"].items())
    a, b = entry["parameters"]["a"], entry["parameters"]["b"]
    x, y = entry["initial_conditions"]
    for _ in range(200):
        x, y = -a * x / (1 + y * y), x + b * y
    assert abs(y) > 1e30 and abs(x) < 1e-20
