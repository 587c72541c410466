"""Matplotlib helpers: every function takes ``ax=`` and returns the Axes.

matplotlib is imported when a function is called, never at ``import lindy``.

Examples
--------
>>> import lindy as ld
>>> from lindy.plot import plot_eigenvalues
>>> model = ld.operators.DMD().fit(ld.testing.conformance_data())
>>> ax = plot_eigenvalues(model)
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from ._operators import plot_eigenvalues, plot_forecast, plot_modes, plot_pseudospectrum

__all__ = ["plot_eigenvalues", "plot_modes", "plot_forecast", "plot_pseudospectrum"]
