"""Compiled loop: iteration of maps, in batches (status codes as in ``_dop853``).

Compiled on first use with ``MAP_BATCH_SIG`` (``_compiled.compiled``).
"""

from __future__ import annotations

import numpy as np
from numba import types

from ._numba_types import ARR3, I8, IVEC, MAT, RHS_T, VEC

__all__ = ["map_batch", "MAP_BATCH_SIG"]

MAP_BATCH_SIG = types.Tuple((ARR3, IVEC, IVEC))(RHS_T, MAT, VEC, I8, I8)


def map_batch(f, X0, p, n_out, every):  # pragma: no cover
    """Iterate a map from each row of ``X0``; keep every ``every``-th state."""
    nb_ = X0.shape[0]
    d = X0.shape[1]
    out = np.empty((nb_, n_out, d))
    status = np.zeros(nb_, dtype=np.int64)
    reached = np.zeros(nb_, dtype=np.int64)
    for b in range(nb_):
        x = np.empty(d)
        for i in range(d):
            x[i] = X0[b, i]
        for j in range(n_out):
            for i in range(d):
                out[b, j, i] = x[i] if j == 0 else np.nan
        reached[b] = 1
        k = 0
        for j in range(1, n_out):
            for _ in range(every):
                x = f(float(k), x, p)
                k += 1
            ok = True
            for i in range(d):
                if not np.isfinite(x[i]):
                    ok = False
            if not ok:
                status[b] = 2
                break
            for i in range(d):
                out[b, j, i] = x[i]
            reached[b] = j + 1
    return out, status, reached
