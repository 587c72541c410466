"""lindy: learn, filter, forecast, analyze and benchmark dynamical systems through
their linear structure.

Subpackages
-----------
data        trajectories, conversion, lag pairs, Hankel windows, splits
systems     a database of dynamical systems with fast simulation
operators   Koopman / DMD / EDMD / kernel operator estimators with verified spectra
spectral    spectral filtering predictors (Hankel eigenfilters)
ssm         state-space models: Kalman filtering, smoothing, EM, subspace ID, GPs
control     LQR/LQG, MPC and Koopman MPC on learned models, iLQR, model reduction
analysis    Lyapunov spectra, dimensions, periods
baselines   persistence and linear autoregression
edm         empirical dynamic modelling: simplex, S-map, context parroting
neural      PyTorch models (extra lindy[torch]): neural ODE, deep Koopman, PLRNN (GTF)
sparse      sparse identification of dynamics (SINDy): libraries, solvers, derivatives
reservoir   reservoir computing: echo state networks, NVAR (next-generation RC)
metrics     forecasting and reconstruction metrics (sMAPE, VPT, D_stsp, D_H, CRPS)
bench       benchmark jobs, runner, store and report
plot        matplotlib helpers (imported lazily)
datasets    real benchmark data (Silverbox, cascaded tanks, Bouc-Wen, ECG)
testing     the estimator conformance suite
errors      the exception tree

Examples
--------
>>> import lindy as ld
>>> data = ld.systems.simulate(ld.systems.get_system("VanDerPol"), n_steps=300)
>>> model = ld.operators.DMD().fit(data)
>>> model.forecast(data[0].x[:1], horizon=5).x.shape
(5, 2)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "analysis",
    "Estimator",
    "Forecaster",
    "Trajectory",
    "TrajectorySet",
    "Forecast",
    "as_trajectories",
    "load",
    "baselines",
    "bench",
    "control",
    "data",
    "datasets",
    "edm",
    "errors",
    "metrics",
    "neural",
    "operators",
    "plot",
    "reservoir",
    "sparse",
    "spectral",
    "ssm",
    "systems",
    "testing",
]

#: subpackages, imported on first attribute access (``import lindy.systems`` in a
#: worker process then pays only for what the systems database needs)
_SUBPACKAGES = {"analysis", "baselines", "bench", "control", "data", "datasets", "edm", "errors",
                "metrics", "neural", "operators", "plot", "reservoir", "sparse", "spectral", "ssm", "systems",
                "testing"}
#: top-level names re-exported from a subpackage
_NAMES = {"Estimator": "base", "Forecaster": "base", "Forecast": "data", "Trajectory": "data",
          "TrajectorySet": "data", "as_trajectories": "data", "load": "_io"}


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        value = importlib.import_module(f".{name}", __name__)
    elif name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'lindy' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | _SUBPACKAGES | set(_NAMES))
