"""Koopman and transfer-operator estimators: the DMD family.

Examples
--------
>>> import lindy as ld
>>> model = ld.operators.DMD(rank=2)
>>> model.get_params()
{'rank': 2}
"""

from ._dmd import DMD
from ._dmd_core import DMDResult, dmd_fit, truncation_rank

__all__ = ["DMD", "DMDResult", "dmd_fit", "truncation_rank"]
