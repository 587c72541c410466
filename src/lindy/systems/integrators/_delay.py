"""Compiled loops: delay equations ``x'(t) = f(t, [x(t), x(t - tau)])`` by the method
of steps.

One stepper, ``rk4_step``, serves simulation (``delay_batch``) and the Lyapunov
exponents of delay equations (``_tangent.delay_lyapunov``): classical RK4 with
step ``h = tau / m`` on a buffer of grid values, the delayed values at the half
steps from the cubic Hermite interpolant of the two neighbouring grid values and
their derivatives, ``(a + b) / 2 + h (f_a - f_b) / 8``. Along with the state it
advances ``k`` tangent segments of the linearized equation
``v'(t) = A(t) v(t) + B(t) v(t - tau)`` (directional central differences of
``f``; ``k = 0`` for a plain simulation).

Entry points compile on first use (``_compiled.compiled``); status codes as in
``_dop853``.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numba import types

from ._numba_types import F8, I8, MAT, RHS_T, VEC

__all__ = ["rk4_step", "delay_batch", "DELAY_BATCH_SIG"]


@nb.njit(cache=True, error_model="numpy")
def _directional_derivative(f, t, z, w, p, d):  # pragma: no cover - compiled
    """Central difference of ``f`` at ``z = [x, x_tau]`` along ``w`` (length ``2 d``)."""
    wn = 0.0
    zn = 0.0
    for i in range(2 * d):
        wn += w[i] * w[i]
        zn += z[i] * z[i]
    out = np.zeros(d)
    if wn == 0.0:
        return out
    eps = 1e-7 * (1.0 + np.sqrt(zn)) / np.sqrt(wn)
    zp = np.empty(2 * d)
    zm = np.empty(2 * d)
    for i in range(2 * d):
        zp[i] = z[i] + eps * w[i]
        zm[i] = z[i] - eps * w[i]
    fp = f(t, zp, p)
    fm = f(t, zm, p)
    for i in range(d):
        out[i] = (fp[i] - fm[i]) / (2.0 * eps)
    return out


@nb.njit(cache=True, error_model="numpy")
def rk4_step(f, p, t, h, X, FX, V, FV, cur, old, old1, new, z, u, vm, K,
             L):  # pragma: no cover - compiled
    """One RK4 step from ``t`` to ``t + h`` of the state and of the tangent segments.

    ``X`` (rows, d) holds grid values of the state and ``FX`` their derivatives;
    ``V``/``FV`` (rows, d, k) the same for ``k`` tangent segments. Rows ``cur``,
    ``old`` and ``old1`` hold the values at ``t``, ``t - tau`` and
    ``t - tau + h``; the step writes the derivatives at ``t`` into row ``cur`` of
    ``FX``/``FV`` and the values at ``t + h`` into row ``new`` of ``X``/``V``
    (``new`` may be ``old``: a ring buffer). ``z``, ``u`` (2 d), ``vm`` (d, k),
    ``K`` (4, d) and ``L`` (3, d, k) are workspace. Returns False (and writes
    nothing) if the new state is not finite.
    """
    d = X.shape[1]
    k = V.shape[2]
    # stage 1 (also the derivative at the current grid point, for the Hermite values)
    for i in range(d):
        z[i] = X[cur, i]
        z[d + i] = X[old, i]
    fx = f(t, z, p)
    for i in range(d):
        FX[cur, i] = fx[i]
        K[0, i] = fx[i]
    for j in range(k):
        for i in range(d):
            u[i] = V[cur, i, j]
            u[d + i] = V[old, i, j]
        g = _directional_derivative(f, t, z, u, p, d)
        for i in range(d):
            FV[cur, i, j] = g[i]
            L[0, i, j] = g[i]
    # delayed values half a step later: the state's go straight into z
    for i in range(d):
        z[d + i] = 0.5 * (X[old, i] + X[old1, i]) + h * (FX[old, i] - FX[old1, i]) / 8.0
        for j in range(k):
            vm[i, j] = (0.5 * (V[old, i, j] + V[old1, i, j])
                        + h * (FV[old, i, j] - FV[old1, i, j]) / 8.0)
    # stages 2 and 3
    for s in range(1, 3):
        for i in range(d):
            z[i] = X[cur, i] + 0.5 * h * K[s - 1, i]
        fx = f(t + 0.5 * h, z, p)
        for i in range(d):
            K[s, i] = fx[i]
        for j in range(k):
            for i in range(d):
                u[i] = V[cur, i, j] + 0.5 * h * L[s - 1, i, j]
                u[d + i] = vm[i, j]
            g = _directional_derivative(f, t + 0.5 * h, z, u, p, d)
            for i in range(d):
                L[s, i, j] = g[i]
    # stage 4 and the update
    for i in range(d):
        z[i] = X[cur, i] + h * K[2, i]
        z[d + i] = X[old1, i]
    fx = f(t + h, z, p)
    for i in range(d):
        K[3, i] = X[cur, i] + h * (K[0, i] + 2.0 * K[1, i] + 2.0 * K[2, i] + fx[i]) / 6.0
        if not np.isfinite(K[3, i]):
            return False
    for j in range(k):
        for i in range(d):
            u[i] = V[cur, i, j] + h * L[2, i, j]
            u[d + i] = V[old1, i, j]
        g = _directional_derivative(f, t + h, z, u, p, d)
        for i in range(d):
            V[new, i, j] = V[cur, i, j] + h * (L[0, i, j] + 2.0 * L[1, i, j]
                                               + 2.0 * L[2, i, j] + g[i]) / 6.0
    for i in range(d):
        X[new, i] = K[3, i]
    return True


DELAY_BATCH_SIG = types.Tuple((MAT, I8))(RHS_T, VEC, VEC, VEC, F8, I8, VEC, F8, MAT)


def delay_batch(f, hist_x, hist_f, p, h, m, t_out, sigma, noise):  # pragma: no cover
    """Simulate a delay equation: ``rk4_step`` on the whole grid, Hermite output.

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
    V = np.empty((1, d, 0))
    z = np.empty(2 * d)
    u = np.empty(2 * d)
    vm = np.empty((d, 0))
    K = np.empty((4, d))
    L = np.empty((3, d, 0))
    status = 0
    for kk in range(n_grid - 1):
        c = m + kk  # index of the current time t_k = kk h
        if not rk4_step(f, p, kk * h, h, X, F, V, V, c, c - m, c - m + 1, c + 1, z, u, vm,
                        K, L):
            status = 2
            break
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
