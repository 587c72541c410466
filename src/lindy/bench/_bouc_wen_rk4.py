"""Compiled RK4 loop of the Bouc-Wen benchmark oscillator driven by a sampled force.

Imports numba: imported lazily by :mod:`lindy.bench._sysid_data`; the loop
compiles on first call and is cached on disk.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _rhs(y, v, z, u, m, c, k, alpha, beta, gamma, delta, nu):  # pragma: no cover - compiled
    az = abs(z)
    zdot = alpha * v - beta * (gamma * abs(v) * az ** (nu - 1.0) * z + delta * v * az ** nu)
    return v, (u - c * v - k * y - z) / m, zdot


@njit(cache=True)
def bouc_wen_rk4(force, h, n_sub, params):  # pragma: no cover - compiled
    """Displacement at every ``n_sub``-th RK4 step of length ``h`` from rest.

    ``force`` holds the force at every half step (``2 n_sub n + 1`` values for
    ``n`` output samples), so each RK4 stage sees the force at its own time.
    ``params`` is ``(m, c, k, alpha, beta, gamma, delta, nu)``.
    """
    m, c, k, alpha, beta, gamma, delta, nu = (params[0], params[1], params[2], params[3],
                                              params[4], params[5], params[6], params[7])
    n = (force.shape[0] - 1) // (2 * n_sub)
    out = np.empty(n)
    y = 0.0
    v = 0.0
    z = 0.0
    for i in range(n):
        out[i] = y
        for s in range(n_sub):
            j = 2 * (i * n_sub + s)
            u0, u1, u2 = force[j], force[j + 1], force[j + 2]
            a1, b1, c1 = _rhs(y, v, z, u0, m, c, k, alpha, beta, gamma, delta, nu)
            a2, b2, c2 = _rhs(y + 0.5 * h * a1, v + 0.5 * h * b1, z + 0.5 * h * c1, u1,
                              m, c, k, alpha, beta, gamma, delta, nu)
            a3, b3, c3 = _rhs(y + 0.5 * h * a2, v + 0.5 * h * b2, z + 0.5 * h * c2, u1,
                              m, c, k, alpha, beta, gamma, delta, nu)
            a4, b4, c4 = _rhs(y + h * a3, v + h * b3, z + h * c3, u2,
                              m, c, k, alpha, beta, gamma, delta, nu)
            y += h / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
            v += h / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4)
            z += h / 6.0 * (c1 + 2.0 * c2 + 2.0 * c3 + c4)
    return out
