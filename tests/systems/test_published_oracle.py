"""Oracle: lindy's right-hand sides equal the reference collection's (dysts) at random states."""

import numpy as np
import pytest

from lindy.systems import get_system, list_systems

dysts_flows = pytest.importorskip("dysts.flows")
dysts_maps = pytest.importorskip("dysts.maps")

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


@pytest.mark.parametrize("name", list_systems(kind="flow") + list_systems(kind="map"))
def test_rhs_matches_reference(name):
    system = get_system(name)
    if system.meta.get("collection") != "dysts":
        pytest.skip("not in the reference collection")
    ref = _reference(name, system.kind)
    if ref is None:
        pytest.skip("reference implementation not available")
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
