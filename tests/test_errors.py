import pytest

import lindy as ld
from lindy import errors


def test_tree_and_builtins():
    assert issubclass(errors.ValidationError, errors.LindyError)
    assert issubclass(errors.ValidationError, ValueError)
    assert issubclass(errors.ShapeError, errors.ValidationError)
    assert issubclass(errors.NotFittedError, errors.LindyError)
    assert issubclass(errors.ConvergenceError, RuntimeError)
    assert issubclass(errors.NumericalError, ArithmeticError)
    assert issubclass(errors.MissingDependencyError, ImportError)
    assert issubclass(errors.UnknownNameError, KeyError)


def test_missing_dependency_names_pip_command():
    err = errors.MissingDependencyError("torch", "torch")
    assert "pip install 'lindy[torch]'" in str(err)


def test_unknown_system_suggests_close_match():
    with pytest.raises(errors.UnknownNameError, match="Did you mean Lorenz"):
        ld.systems.get_system("Lorenzz")


def test_import_lindy_imports_no_optional_dependency():
    import subprocess
    import sys

    code = ("import sys, lindy; bad = [m for m in ('torch', 'dask', 'distributed') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_subpackages_import_lazily():
    """``import lindy.systems`` (what a benchmark worker needs) loads neither numba nor
    scikit-learn; attribute access still reaches every subpackage and top-level name."""
    import subprocess
    import sys

    code = ("import sys, lindy.systems; bad = [m for m in ('numba', 'sklearn', 'lindy.operators') "
            "if m in sys.modules]; import lindy as ld; ld.operators.DMD; ld.Trajectory; "
            "ld.Estimator; assert 'operators' in dir(ld); print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
