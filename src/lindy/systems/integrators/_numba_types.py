"""numba types shared by the compiled integrators: the first-class function types of
right-hand sides and Jacobians, array shorthands, the placeholder Jacobian, and
``specialize`` (compile a loop again with other helpers).

Right-hand sides are passed to the compiled loops as first-class numba functions
of one fixed signature, so each loop compiles once (and is cached on disk) for
every system. Importing this module imports numba but compiles nothing.
"""

from __future__ import annotations

import types as pytypes

import numba as nb
import numpy as np
from numba import types

__all__ = ["RHS_SIG", "JAC_SIG", "RHS_T", "JAC_T", "specialize", "no_jacobian",
           "NO_JACOBIAN_SIG"]

#: ``rhs(t, x, p) -> dx`` and ``jac(t, x, p) -> (d, d)``
RHS_SIG = types.float64[::1](types.float64, types.float64[::1], types.float64[::1])
JAC_SIG = types.float64[:, ::1](types.float64, types.float64[::1], types.float64[::1])
RHS_T = types.FunctionType(RHS_SIG)
JAC_T = types.FunctionType(JAC_SIG)
F8 = types.float64
I8 = types.int64
VEC = types.float64[::1]
MAT = types.float64[:, ::1]
ARR3 = types.float64[:, :, ::1]
IVEC = types.int64[::1]
IMAT = types.int64[:, ::1]


def specialize(dispatcher, name: str, **replace):
    """Compile ``dispatcher``'s Python function again, under ``name``, with globals replaced.

    The copy shares the code object and has its own qualified name, hence its
    own on-disk cache entry.
    """
    func = dispatcher.py_func
    glb = dict(func.__globals__)
    glb.update(replace)
    copy = pytypes.FunctionType(func.__code__, glb, name, func.__defaults__, func.__closure__)
    copy.__qualname__ = name
    return nb.njit(cache=True, error_model="numpy")(copy)


def no_jacobian(t, x, p):  # pragma: no cover - compiled
    """Placeholder Jacobian argument for systems without one (finite differences are
    used instead; never called)."""
    return np.zeros((x.shape[0], x.shape[0]))


NO_JACOBIAN_SIG = JAC_SIG
