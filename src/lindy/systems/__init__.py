"""A database of dynamical systems as data, with fast compiled simulation.

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
