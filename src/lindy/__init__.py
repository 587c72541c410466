"""lindy: learn, filter, forecast, analyze and benchmark dynamical systems through
their linear structure.

Subpackages
-----------
data        trajectories, conversion, lag pairs, Hankel windows, splits
systems     a database of dynamical systems with fast simulation
operators   Koopman / DMD / EDMD / kernel operator estimators with verified spectra
ssm         state-space models: Kalman filtering, smoothing, EM, subspace ID, GPs
analysis    Lyapunov spectra, dimensions, periods
baselines   persistence and linear autoregression
metrics     forecasting metrics (RMSE, NRMSE, sMAPE, valid prediction time)
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

from . import analysis, baselines, data, errors, metrics, operators, ssm, systems, testing
from .base import Estimator, Forecaster
from .data import Forecast, Trajectory, TrajectorySet, as_trajectories

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
    "baselines",
    "bench",
    "data",
    "datasets",
    "errors",
    "metrics",
    "operators",
    "plot",
    "ssm",
    "systems",
    "testing",
]

_LAZY = {"bench", "datasets", "plot"}


def __getattr__(name: str):
    if name in _LAZY:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'lindy' has no attribute {name!r}")
