"""Every public estimator in lindy passes every named conformance check."""

import importlib
import inspect
import pkgutil

import numpy as np

import lindy
from lindy.base import Estimator
from lindy.data import Trajectory, TrajectorySet
from lindy.testing import check_estimator, conformance_data, parametrize_with_checks

# constructor arguments for estimators without usable defaults
_ARGS: dict[str, dict] = {}
_SKIP_MODULES = ("lindy.neural",)  # torch models are checked in their own tests


def _estimators():
    found = {}
    for info in pkgutil.walk_packages(lindy.__path__, "lindy."):
        if info.name.startswith(_SKIP_MODULES) or info.name.endswith("regenerate"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and issubclass(obj, Estimator) and obj is not Estimator \
                    and not inspect.isabstract(obj):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


ESTIMATORS = _estimators()


def test_discovers_the_estimators():
    names = {cls.__name__ for cls in ESTIMATORS.values()}
    assert {"DMD", "Persistence", "LinearAR", "EDMD", "DMDc", "LinearGaussianSSM",
            "GPForecaster"} <= names


@parametrize_with_checks([cls(**_ARGS.get(cls.__name__, {})) for _, cls in sorted(ESTIMATORS.items())])
def test_conformance(estimator, check):
    check(estimator)


def test_check_estimator_accepts_missing_values_for_nan_models():
    """Data with NaN (missing values) can drive the suite for models that allow them."""
    data = conformance_data()
    trajs = []
    for i, tr in enumerate(data):
        x = tr.x.copy()
        if i == 2:
            x[10:13, 0] = np.nan
        trajs.append(Trajectory(t=tr.t, x=x))
    check_estimator(lindy.ssm.LinearGaussianSSM(state_dim=2, max_iter=5), data=TrajectorySet(trajs))
