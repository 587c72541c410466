"""numba kernels for maps, delay equations (method of steps) and SDEs
(Euler-Maruyama); see ``_kernels`` for conventions and status codes. Each entry
point compiles on first use with its ``*_SIG`` signature (``_integrate.kernel``),
so simulating a delay equation does not compile the map or SDE kernels."""

from __future__ import annotations

import numpy as np
from numba import types

from ._kernels import RHS_T, _a3, _f8, _i8, _m, _v

MAP_BATCH_SIG = types.Tuple((_a3, types.int64[::1], types.int64[::1]))(RHS_T, _m, _v, _i8, _i8)


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


DDE_RK4_SIG = types.Tuple((_m, _i8))(RHS_T, _v, _v, _v, _f8, _i8, _v, _f8, _m)


def dde_rk4(f, hist_x, hist_f, p, h, m, t_out, sigma, noise):  # pragma: no cover
    """Method of steps: RK4 with step ``h = tau / m`` and cubic Hermite history.

    ``hist_x``/``hist_f`` hold the history and its derivative on the grid
    ``-tau, -tau + h, ..., 0`` (``m + 1`` points, scalar delay equations of any
    dimension flattened row-major). ``f(t, [x(t), x(t - tau)], p)``. ``noise``
    holds standard normals for optional additive process noise ``sigma``.
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
    status = 0
    for kk in range(n_grid - 1):
        c = m + kk  # index of the current time t_k = kk h
        t = kk * h
        for i in range(d):
            z[i] = X[c, i]
            z[d + i] = X[c - m, i]
        k1 = f(t, z.copy(), p)
        for i in range(d):
            F[c, i] = k1[i]
            a, b = X[c - m, i], X[c - m + 1, i]
            fa, fb = F[c - m, i], F[c - m + 1, i]
            z[d + i] = 0.5 * (a + b) + h * (fa - fb) / 8.0
            z[i] = X[c, i] + 0.5 * h * k1[i]
        k2 = f(t + 0.5 * h, z.copy(), p)
        for i in range(d):
            z[i] = X[c, i] + 0.5 * h * k2[i]
        k3 = f(t + 0.5 * h, z.copy(), p)
        for i in range(d):
            z[i] = X[c, i] + h * k3[i]
            z[d + i] = X[c - m + 1, i]
        k4 = f(t + h, z.copy(), p)
        for i in range(d):
            X[c + 1, i] = X[c, i] + h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6.0
            if sigma > 0:
                X[c + 1, i] += sigma * np.sqrt(h) * noise[kk % noise.shape[0], i]
            if not np.isfinite(X[c + 1, i]):
                status = 2
        if status:
            break
    # derivative at the last grid point, for interpolation
    last = m + n_grid - 1
    for i in range(d):
        z[i] = X[last, i]
        z[d + i] = X[last - m, i]
    fl = f((n_grid - 1) * h, z.copy(), p)
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


EULER_MARUYAMA_SIG = types.Tuple((_m, _i8))(RHS_T, _i8, _v, _v, _v, _i8, _v, _m)


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
