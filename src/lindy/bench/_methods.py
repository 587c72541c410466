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
    "HankelDMD": "lindy.operators:HankelDMD",
    "BOPDMD": "lindy.operators:BOPDMD",
    "HAVOK": "lindy.operators:HAVOK",
    "WindowedDMD": "lindy.operators:WindowedDMD",
    "EDMD": "lindy.operators:EDMD",
    "GeneratorEDMD": "lindy.operators:GeneratorEDMD",
    "KernelEDMD": "lindy.operators:KernelEDMD",
    "LinearGaussianSSM": "lindy.ssm:LinearGaussianSSM",
    "SubspaceID": "lindy.ssm:SubspaceID",
    "SINDy": "lindy.sparse:SINDy",
    "SINDyc": "lindy.sparse:SINDyc",
    "DMDc": "lindy.operators:DMDc",
    "EDMDc": "lindy.operators:EDMDc",
    "ESN": "lindy.reservoir:ESN",
    "NVAR": "lindy.reservoir:NVAR",
    "NARX": "lindy.reservoir:NARX",
    "Simplex": "lindy.edm:Simplex",
    "SMap": "lindy.edm:SMap",
    "ContextParroting": "lindy.edm:ContextParroting",
    "SpectralFilter": "lindy.spectral:SpectralFilter",
    # torch extra (imported only when a job builds them)
    "NeuralODE": "lindy.neural:NeuralODE",
    "DeepKoopman": "lindy.neural:DeepKoopman",
    "PLRNN": "lindy.neural:PLRNN",
    # filters, for the filtering protocol (KalmanNet needs torch)
    "GaussianFilter": "lindy.bench._protocol_filtering:GaussianFilter",
    "KalmanNet": "lindy.neural:KalmanNet",
    "ALRNN": "lindy.neural:ALRNN",
}


def register_method(name: str, target: str) -> None:
    """Register an estimator class under ``name``; ``target`` is ``"module:Class"``.

    Examples
    --------
    >>> register_method("MyAR", "lindy.baselines:LinearAR")
    >>> build_method("MyAR", {"n_lags": 2})
    LinearAR(n_lags=2)
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

    Objects are given as ``{"class": "module:Class", "params": {...}}``:

    >>> build_method("LinearAR", {"n_lags": {"class": "builtins:int", "params": {}}})
    LinearAR(n_lags=0)
    """
    target = METHODS.get(name)
    if target is None:
        close = difflib.get_close_matches(name, list(METHODS), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UnknownNameError(f"No benchmark method named {name!r}.{hint} Known: {sorted(METHODS)}.")
    return _import(target)(**{k: _resolve(v) for k, v in (params or {}).items()})


def _import(target: str):
    module, cls = target.split(":")
    return getattr(importlib.import_module(module), cls)


def _resolve(value):
    """Turn ``{"class": "module:Class", "params": {...}}`` into an object (recursively).

    Benchmark parameters stay plain JSON (hashable into job keys, storable), while
    estimators can still take objects such as EDMD dictionaries.
    """
    if isinstance(value, dict) and set(value) <= {"class", "params"} and "class" in value:
        return _import(value["class"])(**{k: _resolve(v) for k, v in value.get("params", {}).items()})
    if isinstance(value, list):
        return [_resolve(v) for v in value]
    return value
