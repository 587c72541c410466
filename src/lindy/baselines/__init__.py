"""Baseline forecasters: :class:`Persistence` and :class:`LinearAR`."""

from ._baselines import LinearAR, Persistence, ridge_solve

__all__ = ["Persistence", "LinearAR", "ridge_solve"]
