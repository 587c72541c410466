"""Delay embeddings and library neighbours shared by the EDM estimators (pure functions)."""

from __future__ import annotations

import numpy as np

from ..data import TrajectorySet, delay_embed, stack
from ..errors import ValidationError

__all__ = ["library", "embed", "neighbours", "tree"]


def embed(x: np.ndarray, n_delays: int, stride: int) -> np.ndarray:
    """Delay vectors of every row of ``x`` (NaN rows where the window is incomplete).

    Row ``k`` is ``[x_{k-(E-1)s}, ..., x_{k-s}, x_k]`` flattened (oldest first).
    """
    span = (n_delays - 1) * stride
    out = np.full((x.shape[0], n_delays * x.shape[1]), np.nan)
    if x.shape[0] > span:
        out[span:] = delay_embed(x, n_delays, stride)
    return out


def library(data: TrajectorySet, n_delays: int, stride: int, lag: int = 1):
    """Library delay vectors and their successors ``lag`` steps later, never across trajectories.

    Returns
    -------
    vectors : ndarray, shape (n, n_delays * d)
    successors : ndarray, shape (n, d)
    """
    s = stack(data)
    span = (n_delays - 1) * stride
    ix, iy = s.pairs(lag=lag, history=span)
    if ix.size == 0:
        raise ValidationError(
            f"No trajectory is long enough for {n_delays} delays with stride {stride} plus "
            f"{lag} step(s) (lengths {data.lengths}); pass longer series or fewer delays.")
    cols = [s.x[ix - (n_delays - 1 - j) * stride] for j in range(n_delays)]
    return np.concatenate(cols, axis=1), s.x[iy]


def tree(vectors: np.ndarray) -> tuple:
    """The exact k-d tree of library vectors (built once per fit), as the arrays of ``_compiled``."""
    from ._compiled import LEAF_SIZE, build_tree

    return build_tree(np.ascontiguousarray(vectors, dtype=float), LEAF_SIZE)


def neighbours(tree_: tuple, queries: np.ndarray, k: int):
    """Distances and library rows of the ``k`` nearest library vectors, nearest first.

    Exact; ties at the ``k``-th distance go to the later library row.
    """
    from ._compiled import knn

    return knn(*tree_, np.ascontiguousarray(queries, dtype=float), k)
