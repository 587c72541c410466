"""Compiled entry points, compiled on first use; compiled right-hand sides.

Compile time is what a fresh install pays first (measured cold): the DOP853
loop about 2 s, the delay loop about 1 s, each right-hand side 0.06-0.09 s (see
benchmarks/RESULTS.md). Hence each entry point compiles alone, with its explicit
signature, when first asked for (``compiled``): simulating a flow compiles
DOP853 only, never RODAS4, the tangent dynamics or the delay loops. Right-hand
sides compile without a CPython wrapper (only compiled loops call them).
Importing this module imports neither numba nor any loop module.
"""

from __future__ import annotations

import functools

__all__ = ["ENTRY_POINTS", "compiled", "compiled_rhs", "compiled_jac"]

#: compiled entry points: name -> module of this package defining ``name`` and ``NAME_SIG``
ENTRY_POINTS = {
    "dop853_batch": "_dop853",
    "rodas4_batch": "_rodas4",
    "no_jacobian": "_numba_types",
    "map_batch": "_map_iteration",
    "delay_batch": "_delay",
    "euler_maruyama": "_sde",
    "flow_lyapunov": "_tangent",
    "map_lyapunov": "_tangent",
    "delay_lyapunov": "_tangent",
}


@functools.cache
def compiled(name: str):
    """The compiled entry point ``name`` (a key of ``ENTRY_POINTS``).

    Compiled, or loaded from numba's disk cache, on first use; first-class
    function arguments keep one compiled loop for every right-hand side.

    Parameters
    ----------
    name : str
        ``"dop853_batch"``, ``"rodas4_batch"``, ``"map_batch"``, ``"delay_batch"``,
        ``"euler_maruyama"``, ``"flow_lyapunov"``, ``"map_lyapunov"``,
        ``"delay_lyapunov"`` or ``"no_jacobian"``.

    Returns
    -------
    numba dispatcher
    """
    import importlib

    import numba as nb

    module = importlib.import_module(f".{ENTRY_POINTS[name]}", __package__)
    signature = getattr(module, f"{name.upper()}_SIG")
    return nb.njit(signature, cache=True, error_model="numpy")(getattr(module, name))


@functools.cache
def _signatures():
    """(rhs, jac) numba signatures, built without importing any loop module."""
    from numba import types

    args = (types.float64, types.float64[::1], types.float64[::1])
    return types.float64[::1](*args), types.float64[:, ::1](*args)


@functools.cache
def compiled_rhs(func):
    """The numba-compiled version of a pure right-hand side ``func(t, x, p)``.

    Parameters
    ----------
    func : callable
        ``func(t, x, p) -> dx`` written so that numba can compile it.

    Returns
    -------
    numba dispatcher
        Compiled with the fixed signature the loops expect (cached per function).
    """
    import numba as nb

    return nb.njit(_signatures()[0], cache=True, error_model="numpy", no_cpython_wrapper=True)(func)


@functools.cache
def compiled_jac(func):
    """The numba-compiled version of a pure Jacobian ``func(t, x, p) -> (d, d)``.

    Parameters
    ----------
    func : callable
        ``func(t, x, p) -> (d, d)`` written so that numba can compile it.

    Returns
    -------
    numba dispatcher
    """
    import numba as nb

    return nb.njit(_signatures()[1], cache=True, error_model="numpy")(func)
