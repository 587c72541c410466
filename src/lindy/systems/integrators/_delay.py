"""Compiled loops: delay equations ``x'(t) = f(t, [x(t), x(t - tau)])`` by the method
of steps.

One stepper, ``rk4_step``, serves simulation (``delay_batch``) and the Lyapunov
exponents of delay equations (``_tangent.delay_lyapunov``, which advances its
tangent segments along the same stages, ``stage_state``): classical RK4 with
step ``h = tau / m`` on a buffer of grid values, the delayed values at the half
steps from the cubic Hermite interpolant of the two neighbouring grid values and
their derivatives, ``(a + b) / 2 + h (f_a - f_b) / 8``.

Both helpers are inlined into the entry points (``inline="always"``): a plain
simulation compiles no tangent code, and the compile time a fresh install pays
for the delay loop stays about 1 s. Entry points compile on first use
(``_compiled.compiled``); status codes as in ``_dop853``.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numba import types

from ._numba_types import F8, I8, MAT, RHS_T, VEC

__all__ = ["stage_state", "rk4_step", "STAGE_TIMES", "delay_batch", "DELAY_BATCH_SIG"]

#: times of the four RK4 stages, in steps after the current grid time
STAGE_TIMES = np.array([0.0, 0.5, 0.5, 1.0])


@nb.njit(error_model="numpy", inline="always")
def stage_state(X, FX, K, cur, old, old1, h, s, z):  # pragma: no cover - compiled
    """Write the argument ``[x, x(. - tau)]`` of RK4 stage ``s`` (0 to 3) into ``z``.

    Rows ``cur``, ``old`` and ``old1`` of ``X`` (grid values) and ``FX`` (their
    derivatives) hold the times ``t``, ``t - tau`` and ``t - tau + h``; ``K[:s]``
    the slopes of the earlier stages.
    """
    d = X.shape[1]
    for i in range(d):
        if s == 0:
            z[i] = X[cur, i]
            z[d + i] = X[old, i]
        elif s == 3:
            z[i] = X[cur, i] + h * K[2, i]
            z[d + i] = X[old1, i]
        else:
            z[i] = X[cur, i] + 0.5 * h * K[s - 1, i]
            z[d + i] = 0.5 * (X[old, i] + X[old1, i]) + h * (FX[old, i] - FX[old1, i]) / 8.0


@nb.njit(error_model="numpy", inline="always")
def rk4_step(f, p, t, h, X, FX, cur, old, old1, z, K):  # pragma: no cover - compiled
    """One RK4 step from the grid time ``t`` (row ``cur``) to ``t + h``.

    Writes the derivative at ``t`` into ``FX[cur]`` (for later Hermite values),
    the stage slopes into ``K[:3]`` and the new state into ``K[3]``; the caller
    stores it (into a fresh row, or into ``old`` in a ring buffer). ``z`` (2 d) is
    workspace. Returns False if the new state is not finite.
    """
    d = X.shape[1]
    ok = True
    for s in range(4):
        stage_state(X, FX, K, cur, old, old1, h, s, z)
        fx = f(t + STAGE_TIMES[s] * h, z, p)
        if s == 0:
            for i in range(d):
                FX[cur, i] = fx[i]
        if s < 3:
            for i in range(d):
                K[s, i] = fx[i]
        else:
            for i in range(d):
                K[3, i] = X[cur, i] + h * (K[0, i] + 2.0 * K[1, i] + 2.0 * K[2, i] + fx[i]) / 6.0
                if not np.isfinite(K[3, i]):
                    ok = False
    return ok


DELAY_BATCH_SIG = types.Tuple((MAT, I8))(RHS_T, VEC, VEC, VEC, F8, I8, VEC, F8, MAT)


def delay_batch(f, hist_x, hist_f, p, h, m, t_out, sigma, noise):  # pragma: no cover
    """Simulate a delay equation: ``rk4_step`` along the grid, Hermite output.

    ``hist_x``/``hist_f`` hold the history and its derivative on the grid
    ``-tau, -tau + h, ..., 0`` (``m + 1`` points, scalar delay equations of any
    dimension flattened row-major). ``f(t, [x(t), x(t - tau)], p)``. ``noise``
    holds standard normals for optional additive process noise ``sigma``.
    Returns the states at ``t_out`` (T, d) and the status.
    """
    d = hist_x.shape[0] // (m + 1)
    n_grid = int(np.ceil(t_out[-1] / h)) + 2
    X = np.empty((m + 1 + n_grid, d))
    F = np.empty((m + 1 + n_grid, d))
    for j in range(m + 1):
        for i in range(d):
            X[j, i] = hist_x[j * d + i]
            F[j, i] = hist_f[j * d + i]
    z = np.empty(2 * d)
    K = np.empty((4, d))
    status = 0
    for kk in range(n_grid - 1):
        c = m + kk  # index of the current time t_k = kk h
        if not rk4_step(f, p, kk * h, h, X, F, c, c - m, c - m + 1, z, K):
            status = 2
            break
        for i in range(d):
            X[c + 1, i] = K[3, i]
        if sigma > 0:
            for i in range(d):
                X[c + 1, i] += sigma * np.sqrt(h) * noise[kk % noise.shape[0], i]
                if not np.isfinite(X[c + 1, i]):
                    status = 2
        if status:
            break
    if status:
        return np.full((t_out.shape[0], d), np.nan), status
    # derivative at the last grid point, for interpolation
    last = m + n_grid - 1
    for i in range(d):
        z[i] = X[last, i]
        z[d + i] = X[last - m, i]
    fl = f((n_grid - 1) * h, z, p)
    for i in range(d):
        F[last, i] = fl[i]
    T = t_out.shape[0]
    out = np.empty((T, d))
    for j in range(T):
        s = t_out[j] / h
        kk = min(int(np.floor(s)), n_grid - 2)
        th = s - kk
        c = m + kk
        h00 = 2 * th ** 3 - 3 * th ** 2 + 1
        h10 = th ** 3 - 2 * th ** 2 + th
        h01 = -2 * th ** 3 + 3 * th ** 2
        h11 = th ** 3 - th ** 2
        for i in range(d):
            out[j, i] = (h00 * X[c, i] + h10 * h * F[c, i] + h01 * X[c + 1, i]
                         + h11 * h * F[c + 1, i])
    return out, status
