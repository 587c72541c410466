"""The system registry: look systems up by name, list them, register new ones."""

from __future__ import annotations

import difflib
from dataclasses import replace

from ..errors import UnknownNameError, ValidationError
from ._classic_systems import CATALOG, STOCHASTIC
from ._collection import load_collection, load_invariants
from ._system import System

__all__ = ["get_system", "list_systems", "register_system"]


_NOT_META = ("dt", "seconds", "error", "lyapunov_error")


def _with_invariants(system: System) -> System:
    """Attach the invariants computed by ``lindy._tools.regenerate`` (period, dt, Lyapunov spectrum...)."""
    inv = load_invariants().get(system.name)
    if not inv:
        return system
    meta = {**system.meta, **{k: v for k, v in inv.items() if k not in _NOT_META}}
    dt = system.dt if system.meta.get("fixed_dt") else float(inv.get("dt", system.dt))
    return replace(system, dt=dt, meta=meta)


_REGISTRY: dict[str, System] = {
    s.name: _with_invariants(s) for s in (*load_collection(), *CATALOG, *STOCHASTIC)
}


def register_system(system: System, *, overwrite: bool = False) -> System:
    """Add a system to the registry (so benchmarks and the CLI can find it by name).

    Examples
    --------
    >>> import lindy as ld
    >>> s = ld.systems.get_system("Lorenz").with_params(rho=15.0)
    >>> from dataclasses import replace
    >>> _ = register_system(replace(s, name="Lorenz15"))
    >>> ld.systems.get_system("Lorenz15").params["rho"]
    15.0
    """
    if not isinstance(system, System):
        raise ValidationError(f"register_system needs a System; got {type(system).__name__}.")
    if system.name in _REGISTRY and not overwrite:
        raise ValidationError(
            f"A system named {system.name!r} is already registered; pass overwrite=True."
        )
    _REGISTRY[system.name] = system
    return system


def get_system(name: str, **params: float) -> System:
    """The registered system called ``name``, optionally with changed parameters.

    Parameters
    ----------
    name : str
        Case-insensitive system name, e.g. ``"Lorenz"``.
    **params : float
        Parameter overrides.

    Examples
    --------
    >>> get_system("lorenz", rho=20.0).params["rho"]
    20.0
    """
    system = _REGISTRY.get(name)
    if system is None:
        by_lower = {k.lower(): v for k, v in _REGISTRY.items()}
        system = by_lower.get(str(name).lower())
    if system is None:
        close = difflib.get_close_matches(str(name), list(_REGISTRY), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownNameError(
            f"No system named {name!r}.{hint} See lindy.systems.list_systems()."
        )
    return system.with_params(**params) if params else system


def list_systems(kind: str | None = None, dim: int | None = None) -> list[str]:
    """Names of the registered systems, optionally filtered by kind and dimension.

    Examples
    --------
    >>> "Henon" in list_systems(kind="map")
    True
    >>> "VanDerPol" in list_systems(kind="flow", dim=2)
    True
    """
    return sorted(
        name for name, s in _REGISTRY.items()
        if (kind is None or s.kind == kind or (kind == "linear" and s.meta.get("linear")))
        and (dim is None or s.dim == dim)
    )
