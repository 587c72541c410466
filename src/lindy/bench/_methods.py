"""The registry of benchmarkable methods: name -> "module:Class" (imported lazily)."""

from __future__ import annotations

import difflib
import importlib

from ..errors import UnknownNameError, ValidationError

__all__ = ["METHODS", "build_method", "register_method"]

#: method name -> import path of the estimator class
METHODS: dict[str, str] = {
    "Persistence": "lindy.baselines:Persistence",
    "LinearAR": "lindy.baselines:LinearAR",
    "DMD": "lindy.operators:DMD",
}


def register_method(name: str, target: str) -> None:
    """Register an estimator class under ``name``; ``target`` is ``"module:Class"``.

    Examples
    --------
    >>> register_method("MyAR", "lindy.baselines:LinearAR")
    >>> build_method("MyAR", {"order": 2})
    LinearAR(order=2)
    """
    if ":" not in target:
        raise ValidationError(f"target must look like 'package.module:Class'; got {target!r}.")
    METHODS[name] = target


def build_method(name: str, params: dict | None = None):
    """Instantiate the registered estimator ``name`` with hyperparameters ``params``.

    Examples
    --------
    >>> build_method("DMD", {"rank": 3})
    DMD(rank=3)
    """
    target = METHODS.get(name)
    if target is None:
        close = difflib.get_close_matches(name, list(METHODS), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownNameError(f"No benchmark method named {name!r}.{hint} Known: {sorted(METHODS)}.")
    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)(**(params or {}))
