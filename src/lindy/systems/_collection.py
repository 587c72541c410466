"""The published collection: chaotic flows, delay equations and maps as ``System`` data.

Parameter values, initial conditions, citations and descriptions (published
facts) live in ``data/published.json``; the right-hand sides are in
``_flows_a`` ... ``_flows_d``, ``_maps`` and ``_delay``; analytic Jacobians
(where the right-hand side is polynomial or simple) in ``_jacobians``, generated
by sympy, and a few derived by hand next to their right-hand side (``_maps.JAC``)
where sympy cannot differentiate it (an iterative solve); the
invariants computed by :mod:`lindy.analysis` (period, sampling interval,
Lyapunov spectrum, dimensions) in ``data/invariants.json``, written by
``python -m lindy.systems.regenerate``.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

from . import _delay, _flows_a, _flows_b, _flows_c, _flows_d, _jacobians, _maps
from ._system import System

__all__ = ["load_collection", "load_invariants", "RHS"]

RHS = {**_flows_a.RHS, **_flows_b.RHS, **_flows_c.RHS, **_flows_d.RHS, **_maps.RHS,
       **_delay.RHS}
_JAC = {**_maps.JAC, **_jacobians.JAC}

_DEFAULT_DT = {"flow": 0.01, "delay": 0.1, "map": 1.0, "sde": 0.01}


def _read_json(name: str) -> dict:
    path = resources.files("lindy.systems").joinpath("data", name)
    if not path.is_file():
        return {}
    with path.open("r", encoding="utf-8") as fh:
        return json.load(fh)


@functools.cache
def load_invariants() -> dict:
    """The invariants data file (``{}`` if it has not been generated)."""
    return _read_json("invariants.json")


def _meta(spec: dict, inv: dict) -> dict:
    meta = {"citation": spec.get("citation", ""), "description": spec.get("description", ""),
            "collection": "dysts"}
    for key in ("nonautonomous", "hamiltonian"):
        if spec.get(key):
            meta[key] = True
    for key, value in inv.items():
        if key not in ("dt", "seconds", "error", "lyapunov_error"):
            meta[key] = value
    return meta


def load_collection() -> list[System]:
    """Build every system of the published collection (uncompiled; cheap)."""
    specs = _read_json("published.json")
    invariants = load_invariants()
    systems = []
    for name, spec in specs.items():
        rhs = RHS.get(name)
        if rhs is None:
            continue
        inv = invariants.get(name, {})
        kind = spec["kind"]
        dt = float(spec.get("dt", inv.get("dt", _DEFAULT_DT[kind])))
        meta = _meta(spec, inv)
        if "dt" in spec:
            meta["fixed_dt"] = True
        if kind == "delay":
            meta["tau"] = float(spec["params"]["tau"])
        systems.append(System(
            name=name, dim=int(spec["dim"]), params=spec["params"], x0=spec["x0"], dt=dt,
            rhs=rhs, jac=_JAC.get(rhs.__name__), kind=kind,
            meta=meta,
        ))
    return systems
