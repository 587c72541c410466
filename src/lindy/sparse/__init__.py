"""Sparse identification of nonlinear dynamics (SINDy): libraries, solvers, derivatives.

:class:`SINDy` learns a vector field (or map) as a sparse combination of
candidate functions from a feature library (:class:`PolynomialLibrary`,
:class:`FourierLibrary`, :class:`CustomLibrary`; combine them with ``a + b``
and ``a * b``); :class:`SINDyc` adds inputs. The solvers (:func:`stlsq`,
:func:`sr3`, :func:`constrained_lstsq`) and derivative estimators are pure
functions. A fitted model is a :class:`SparseModel` value; ``to_system()``
turns it into a :class:`lindy.systems.System` whose right-hand side numba
compiles, so it simulates with lindy's integrators.

Examples
--------
>>> import lindy as ld
>>> ld.sparse.SINDy(threshold=0.05).get_params()["threshold"]
0.05
"""

from ._derivatives import (
    finite_difference,
    savitzky_golay,
    smoothed_finite_difference,
    total_variation_derivative,
    weak_form_matrices,
)
from ._libraries import (
    ConcatLibrary,
    CustomLibrary,
    FourierLibrary,
    Library,
    PolynomialLibrary,
    TensorLibrary,
)
from ._model import SparseModel
from ._optimizers import constrained_lstsq, sr3, stlsq
from ._sindy import SINDy, SINDyc

__all__ = [
    "SINDy", "SINDyc", "SparseModel",
    "Library", "PolynomialLibrary", "FourierLibrary", "CustomLibrary", "ConcatLibrary",
    "TensorLibrary",
    "stlsq", "sr3", "constrained_lstsq",
    "finite_difference", "savitzky_golay", "smoothed_finite_difference", "weak_form_matrices",
    "total_variation_derivative",
]
