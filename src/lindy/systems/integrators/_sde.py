"""Compiled loop: Euler-Maruyama with additive noise, for stochastic flows and noisy maps.

Compiled on first use with ``EULER_MARUYAMA_SIG`` (``_compiled.compiled``);
status codes as in ``_dop853``.
"""

from __future__ import annotations

import numpy as np
from numba import types

from ._numba_types import I8, MAT, RHS_T, VEC

__all__ = ["euler_maruyama", "EULER_MARUYAMA_SIG"]

EULER_MARUYAMA_SIG = types.Tuple((MAT, I8))(RHS_T, I8, VEC, VEC, VEC, I8, VEC, MAT)


def euler_maruyama(f, is_map, x0, p, t_out, substeps, sigma, noise):  # pragma: no cover
    """Euler-Maruyama with additive noise ``sigma`` (per coordinate).

    Flows: ``substeps`` steps between consecutive output times, increments
    ``f dt + sigma sqrt(dt) xi``. Maps (``is_map``): ``x <- f(x) + sigma xi`` once
    per iteration, ``substeps`` iterations between outputs. ``noise`` holds the
    standard normals, one row per (sub)step.
    """
    d = x0.shape[0]
    T = t_out.shape[0]
    out = np.empty((T, d))
    x = np.empty(d)
    for i in range(d):
        x[i] = x0[i]
        out[0, i] = x0[i]
    r = 0
    for j in range(1, T):
        dt = (t_out[j] - t_out[j - 1]) / substeps
        for s in range(substeps):
            t = t_out[j - 1] + s * dt
            fx = f(t, x, p)
            for i in range(d):
                if is_map:
                    x[i] = fx[i] + sigma[i] * noise[r, i]
                else:
                    x[i] = x[i] + dt * fx[i] + sigma[i] * np.sqrt(dt) * noise[r, i]
            r += 1
        for i in range(d):
            if not np.isfinite(x[i]):
                return out[:j], 2
            out[j, i] = x[i]
    return out, 0
