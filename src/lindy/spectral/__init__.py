"""Spectral filtering: predictors of linear dynamical systems with fixed Hankel eigenfilters.

Examples
--------
>>> import lindy as ld
>>> sigma, phi = ld.spectral.hankel_filters(50, 3)
>>> phi.shape
(50, 3)
"""

from ._estimator import SpectralFilter, SpectralFilterModel
from ._filters import filtered_history, hankel_filters

__all__ = ["SpectralFilter", "SpectralFilterModel", "hankel_filters", "filtered_history"]
