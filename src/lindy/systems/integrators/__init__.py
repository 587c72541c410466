"""Compiled integrators of lindy.systems, and their small interface for other packages.

- flows: adaptive DOP853 (``_dop853``) and the Rosenbrock method RODAS4 for
  stiff flows (``_rodas4``);
- maps: iteration (``_map_iteration``);
- delay equations: the method of steps, one RK4 stepper for simulation and for
  tangent dynamics (``_delay``);
- SDEs: Euler-Maruyama (``_sde``);
- tangent dynamics: QR Lyapunov spectra of flows, maps and delay equations
  (``_tangent``), called by :mod:`lindy.analysis`.

Every loop is compiled by numba on first use, one entry point at a time
(:func:`compiled`, see ``_compiled``), so that e.g. simulating a flow compiles
DOP853 only; importing this package imports neither numba nor a loop module.
"""

from ._compiled import ENTRY_POINTS, compiled, compiled_jac, compiled_rhs
from ._integrate import integrate_delay, integrate_flow, integrate_sde, integrate_stiff, iterate_map

__all__ = [
    "ENTRY_POINTS",
    "compiled",
    "compiled_rhs",
    "compiled_jac",
    "integrate_flow",
    "integrate_stiff",
    "iterate_map",
    "integrate_delay",
    "integrate_sde",
]
