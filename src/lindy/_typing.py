"""Shape aliases used in signatures and docstrings.

The names document the axis convention (time first) without constraining types.
"""

from __future__ import annotations

from typing import Union

import numpy as np
import numpy.typing as npt

__all__ = ["ArrayLike", "Array", "Times", "States", "Inputs", "Seed"]

ArrayLike = npt.ArrayLike
Array = np.ndarray
#: times, shape ``(T,)``
Times = np.ndarray
#: states, shape ``(T, d)``
States = np.ndarray
#: inputs, shape ``(T, m)``
Inputs = np.ndarray
#: anything :func:`numpy.random.default_rng` accepts
Seed = Union[None, int, np.random.Generator, np.random.SeedSequence]
