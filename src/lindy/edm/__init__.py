"""Empirical dynamic modelling: simplex projection, S-map and context parroting.

Nonparametric forecasters that work on delay embeddings of the observed series
(Takens): :class:`Simplex` averages the successors of the nearest library
vectors, :class:`SMap` fits a locally weighted linear map, and
:class:`ContextParroting` copies the continuation of the best match inside the
forecast context. Library vectors never span two trajectories.
:func:`select_embedding` and :func:`select_theta` choose the embedding
dimension and the S-map localization by cross-validated skill.

Examples
--------
>>> import lindy as ld
>>> ld.edm.Simplex(n_delays=3).get_params()
{'n_delays': 3, 'n_neighbors': None, 'stride': 1}
"""

from ._parroting import ContextParroting, parrot
from ._selection import SkillTable, select_embedding, select_theta, skill
from ._simplex import Simplex, SMap

__all__ = ["Simplex", "SMap", "ContextParroting", "parrot", "select_embedding", "select_theta",
           "skill", "SkillTable"]
