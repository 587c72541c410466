"""Reservoir computing: echo state networks and next-generation reservoir computing.

:class:`ESN` drives a fixed random leaky-tanh reservoir with the data and fits
a ridge readout; :class:`NVAR` (next-generation reservoir computing, Gauthier
et al. 2021) replaces the reservoir by delay taps and their monomials. Both fit
teacher-forced over every trajectory (nothing leaks between trajectories) and
forecast in closed loop; :func:`search` tunes either on a validation split by
valid prediction time. :class:`NARX` is the polynomial NARX of system
identification on the same feature map (output and input lags, monomials of
the chosen lags, least squares), simulated by the same compiled loop. The
fitted models are frozen values (``model_``) and
the numerics are pure functions; the time loops are compiled with numba.

Examples
--------
>>> import lindy as ld
>>> ld.reservoir.NVAR(n_delays=2, degree=2, alpha=2.5e-6).get_params()
{'alpha': 2.5e-06, 'degree': 2, 'n_delays': 2, 'predict_increment': True, 'stride': 1}
"""

from ._esn import ESN
from ._features import monomial_indices, nvar_features
from ._narx import NARX
from ._nvar import NVAR, NVARModel
from ._reservoir import ESNModel, Reservoir, make_reservoir
from ._search import SearchResult, search

__all__ = ["ESN", "NVAR", "NARX", "search", "SearchResult", "ESNModel", "NVARModel", "Reservoir",
           "make_reservoir", "monomial_indices", "nvar_features"]
