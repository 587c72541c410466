"""Koopman and transfer-operator estimators: the DMD family, EDMD, kernel operators.

Every estimator here fits on many (ragged) trajectories without letting a lag
pair cross two of them, and shares one analysis API: ``eigenvalues_``,
``continuous_eigenvalues_``, ``modes_``, ``eigenfunctions(X)``,
``left_eigenfunctions(X)``, ``forecast``, ``forecast_observable`` and
``stability()``. A fitted estimator holds its operator as a frozen value
``model_`` (:class:`OperatorModel`: lifting, reduced operator, eigenpairs,
decoders, encoded training pairs) and delegates to pure functions of it.
The DMD family (``DMD``, ``HankelDMD``, ``WindowedDMD``, ``BOPDMD``) also
fits complex snapshots and returns complex modes and forecasts; the lifted
models refuse complex data with a ValidationError.

Examples
--------
>>> import lindy as ld
>>> model = ld.operators.DMD(rank=2)
>>> model.get_params()["rank"]
2
"""

from ._analysis import StabilityReport
from ._bopdmd import BOPDMD
from ._bopdmd_core import VarproResult, varpro_fit
from ._dictionaries import (
    RBF,
    Concat,
    Delay,
    Dictionary,
    Function,
    Polynomial,
    RandomFourier,
)
from ._dmd import DMD
from ._dmd_core import DMDResult, dmd_fit, tls_project, truncation_rank
from ._edmd import EDMD
from ._edmd_core import pcr_basis, rrr_basis
from ._generator import GeneratorEDMD
from ._hankel import HAVOK, HankelDMD
from ._inputs import DMDc, EDMDc
from ._kernel import KernelEDMD
from ._kernel_core import kernel_matrix
from ._model import OperatorModel
from ._windowed import WindowedDMD

__all__ = [
    "DMD",
    "BOPDMD",
    "HankelDMD",
    "HAVOK",
    "DMDc",
    "EDMDc",
    "WindowedDMD",
    "EDMD",
    "GeneratorEDMD",
    "KernelEDMD",
    "kernel_matrix",
    "Dictionary",
    "Polynomial",
    "RBF",
    "RandomFourier",
    "Delay",
    "Function",
    "Concat",
    "pcr_basis",
    "rrr_basis",
    "DMDResult",
    "StabilityReport",
    "OperatorModel",
    "dmd_fit",
    "tls_project",
    "truncation_rank",
    "varpro_fit",
    "VarproResult",
]
