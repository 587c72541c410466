"""Every public estimator in lindy passes the conformance suite."""

import importlib
import inspect
import pkgutil

import pytest

import lindy
from lindy.base import Estimator
from lindy.testing import check_estimator

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


def test_discovers_the_foundation_estimators():
    names = {cls.__name__ for cls in ESTIMATORS.values()}
    assert {"DMD", "Persistence", "LinearAR"} <= names


@pytest.mark.parametrize("path", sorted(ESTIMATORS))
def test_check_estimator(path):
    cls = ESTIMATORS[path]
    check_estimator(cls(**_ARGS.get(cls.__name__, {})))
