"""A database of dynamical systems as data, with fast compiled simulation.

Layout:

- the database: ``System`` (``_system``), the registry (``_registry``), the
  published collection (``_collection``, from ``data/published.json``), systems
  defined in code and their factories (``_classic_systems``), random LTI systems
  (``_lti``), stored invariants (``data/invariants.json``), the trajectory cache
  (``_cache``);
- the equations: pure right-hand sides by family, and the generated Jacobians
  (``_equations``);
- the integrators: compiled DOP853, RODAS4, method of steps, Euler-Maruyama and
  tangent dynamics (``integrators``, the compiled interface that
  :mod:`lindy.analysis` uses); :func:`simulate` (``_simulate``) chooses among them;
  the stiffness index (``_stiffness``) marks the flows that need RODAS4.

The invariants are recomputed by the developer tool ``python -m
lindy._tools.regenerate``, which nothing here imports.

Examples
--------
>>> import lindy as ld
>>> lorenz = ld.systems.get_system("Lorenz")
>>> data = ld.systems.simulate(lorenz, n_steps=200, dt=0.01)
>>> data[0].x.shape
(200, 3)
"""

from ._classic_systems import chialvo_ring_star, chialvo_rulkov_chain, coupled_logistic, oscillator_chain
from ._lti import LTISystem, random_lti
from ._registry import get_system, list_systems, register_system
from ._simulate import simulate
from ._system import KINDS, System

__all__ = [
    "System",
    "KINDS",
    "get_system",
    "list_systems",
    "register_system",
    "simulate",
    "oscillator_chain",
    "chialvo_ring_star",
    "chialvo_rulkov_chain",
    "coupled_logistic",
    "random_lti",
    "LTISystem",
]
