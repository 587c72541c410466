"""numba kernels: DOP853 for flows (and their tangent dynamics), maps, delays, SDEs.

Right-hand sides are passed as first-class numba functions of one fixed
signature, so each kernel here compiles once (and is cached on disk) for every
system. This module is imported lazily (it compiles or loads its kernels on
import); nothing in ``import lindy`` touches it.

Evaluation modes of the flow kernel:

* ``0``: the state is ``x`` (``d`` entries) and the derivative is ``f(t, x)``;
* ``1``: the state is ``[x, vec(Q)]`` with ``Q`` a ``(d, k)`` matrix of tangent
  vectors (row-major) and the derivative is ``[f(t, x), J(t, x) Q]`` with the
  analytic Jacobian;
* ``2``: as ``1`` with ``J Q`` from central finite differences of ``f``.

Status codes: 0 success, 1 too many steps, 2 non-finite state, 3 step size
underflow.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numba import types

from ._tableau import E3 as _E3
from ._tableau import E5 as _E5
from ._tableau import A as _A
from ._tableau import B as _B
from ._tableau import C as _C

RHS_SIG = types.float64[::1](types.float64, types.float64[::1], types.float64[::1])
JAC_SIG = types.float64[:, ::1](types.float64, types.float64[::1], types.float64[::1])
RHS_T = types.FunctionType(RHS_SIG)
JAC_T = types.FunctionType(JAC_SIG)
_f8 = types.float64
_i8 = types.int64
_v = types.float64[::1]
_m = types.float64[:, ::1]
_a3 = types.float64[:, :, ::1]


@nb.njit(JAC_SIG, cache=True, error_model="numpy")
def no_jacobian(t, x, p):  # pragma: no cover - compiled
    """Placeholder Jacobian for systems without one (never called in mode 0/2)."""
    return np.zeros((x.shape[0], x.shape[0]))


@nb.njit(cache=True, error_model="numpy")
def _eval(f, jac, mode, d, t, y, p):  # pragma: no cover - compiled
    if mode == 0:
        return f(t, y, p)
    n = y.shape[0]
    k = (n - d) // d
    x = y[:d].copy()
    fx = f(t, x, p)
    out = np.empty(n)
    out[:d] = fx
    if mode == 1:
        J = jac(t, x, p)
        for i in range(d):
            for j in range(k):
                s = 0.0
                for m in range(d):
                    s += J[i, m] * y[d + m * k + j]
                out[d + i * k + j] = s
    else:
        xn = 0.0
        for i in range(d):
            xn += x[i] * x[i]
        for j in range(k):
            qn = 0.0
            for m in range(d):
                qn += y[d + m * k + j] ** 2
            qn = np.sqrt(qn)
            if qn == 0.0:
                for i in range(d):
                    out[d + i * k + j] = 0.0
                continue
            eps = 1e-6 * (1.0 + np.sqrt(xn)) / qn
            xp = x.copy()
            xm = x.copy()
            for m in range(d):
                xp[m] += eps * y[d + m * k + j]
                xm[m] -= eps * y[d + m * k + j]
            fp = f(t, xp, p)
            fm = f(t, xm, p)
            for i in range(d):
                out[d + i * k + j] = (fp[i] - fm[i]) / (2.0 * eps)
    return out


@nb.njit(cache=True, error_model="numpy")
def _initial_step(f, jac, mode, d, t, y, fy, p, rtol, atol, span):  # pragma: no cover
    n = y.shape[0]
    d0 = 0.0
    d1 = 0.0
    for i in range(n):
        sc = atol + rtol * abs(y[i])
        d0 += (y[i] / sc) ** 2
        d1 += (fy[i] / sc) ** 2
    d0 = np.sqrt(d0 / n)
    d1 = np.sqrt(d1 / n)
    h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    h0 = min(h0, span)
    y1 = y + h0 * fy
    f1 = _eval(f, jac, mode, d, t + h0, y1, p)
    d2 = 0.0
    for i in range(n):
        sc = atol + rtol * abs(y[i])
        d2 += ((f1[i] - fy[i]) / sc) ** 2
    d2 = np.sqrt(d2 / n) / h0
    if not np.isfinite(d2):
        return h0 * 1e-3
    big = max(d1, d2)
    h1 = max(1e-6, h0 * 1e-3) if big <= 1e-15 else (0.01 / big) ** (1.0 / 8.0)
    return min(100.0 * h0, h1, span)


@nb.njit(cache=True, error_model="numpy")
def _advance(f, jac, mode, d, y, fy, t, t_end, h, p, rtol, atol, max_steps, K):  # pragma: no cover
    """Integrate from ``t`` to ``t_end`` with DOP853; clip the last step to ``t_end``.

    Returns (y, fy, h, status, steps).
    """
    n = y.shape[0]
    steps = 0
    rejected = False
    while t < t_end:
        if steps >= max_steps:
            return y, fy, h, 1, steps
        span = t_end - t
        if span <= 1e-13 * max(1.0, abs(t_end)):  # round-off leftover: snap to t_end
            break
        last = h >= span * (1.0 - 1e-9)
        h_try = span if last else h
        if h_try < 1e-14 * max(1.0, abs(t)):
            return y, fy, h, 3, steps
        for i in range(n):
            K[0, i] = fy[i]
        ys = np.empty(n)
        for s in range(1, 12):
            for i in range(n):
                acc = 0.0
                for j in range(s):
                    acc += _A[s, j] * K[j, i]
                ys[i] = y[i] + h_try * acc
            ks = _eval(f, jac, mode, d, t + _C[s] * h_try, ys, p)
            for i in range(n):
                K[s, i] = ks[i]
        ynew = np.empty(n)
        for i in range(n):
            acc = 0.0
            for j in range(12):
                acc += _B[j] * K[j, i]
            ynew[i] = y[i] + h_try * acc
        fnew = _eval(f, jac, mode, d, t + h_try, ynew, p)
        for i in range(n):
            K[12, i] = fnew[i]
        e5 = 0.0
        e3 = 0.0
        for i in range(n):
            sc = atol + rtol * max(abs(y[i]), abs(ynew[i]))
            a5 = 0.0
            a3 = 0.0
            for j in range(13):
                a5 += _E5[j] * K[j, i]
                a3 += _E3[j] * K[j, i]
            e5 += (a5 / sc) ** 2
            e3 += (a3 / sc) ** 2
        steps += 1
        if e5 == 0.0 and e3 == 0.0:
            err = 0.0
        else:
            err = h_try * e5 / np.sqrt((e5 + 0.01 * e3) * n)
        if not np.isfinite(err):
            h = 0.2 * h_try
            rejected = True
            continue
        if err <= 1.0:
            fac = 10.0 if err == 0.0 else min(10.0, 0.9 * err ** (-1.0 / 8.0))
            if rejected:
                fac = min(1.0, fac)
            rejected = False
            t = t_end if last else t + h_try
            y = ynew
            fy = fnew
            if not last or h_try * fac < h:
                h = h_try * max(fac, 0.2)
        else:
            h = h_try * max(0.2, 0.9 * err ** (-1.0 / 8.0))
            rejected = True
    return y, fy, h, 0, steps


@nb.njit(types.Tuple((_a3, types.int64[::1], types.int64[::1]))(
    RHS_T, JAC_T, _i8, _i8, _m, _v, _v, _f8, _f8, _i8), cache=True, error_model="numpy")
def flow_batch(f, jac, mode, d, Y0, p, t_out, rtol, atol, max_steps):  # pragma: no cover
    """Integrate each row of ``Y0`` and sample at ``t_out``: (B, T, n), status, reached."""
    nb_, n = Y0.shape
    T = t_out.shape[0]
    out = np.full((nb_, T, n), np.nan)
    status = np.zeros(nb_, dtype=np.int64)
    reached = np.zeros(nb_, dtype=np.int64)
    K = np.empty((13, n))
    for b in range(nb_):
        y = Y0[b].copy()
        t = t_out[0]
        out[b, 0] = y
        fy = _eval(f, jac, mode, d, t, y, p)
        span = (t_out[-1] - t_out[0]) if T > 1 else 1.0
        h = _initial_step(f, jac, mode, d, t, y, fy, p, rtol, atol, max(span, 1e-12))
        left = max_steps
        reached[b] = 1
        for j in range(1, T):
            y, fy, h, st, used = _advance(f, jac, mode, d, y, fy, t, t_out[j], h, p,
                                          rtol, atol, left, K)
            left -= used
            if st == 0:
                for i in range(n):
                    if not np.isfinite(y[i]):
                        st = 2
            if st != 0:
                status[b] = st
                break
            t = t_out[j]
            out[b, j] = y
            reached[b] = j + 1
    return out, status, reached


@nb.njit(types.Tuple((_v, _f8, _i8))(
    RHS_T, JAC_T, _i8, _v, _v, _i8, _f8, _i8, _i8, _f8, _f8, _i8), cache=True, error_model="numpy")
def flow_lyapunov(f, jac, mode, x0, p, k, tau, n_renorm, n_skip, rtol, atol,
                  max_steps):  # pragma: no cover
    """Benettin/QR: the ``k`` leading exponents of a flow, renormalizing every ``tau``.

    The first ``n_skip`` renormalizations are not averaged (alignment transient).
    Returns (exponents, elapsed averaging time, status).
    """
    d = x0.shape[0]
    n = d + d * k
    y = np.zeros(n)
    y[:d] = x0
    for j in range(k):
        y[d + j * k + j] = 1.0
    K = np.empty((13, n))
    t = 0.0
    fy = _eval(f, jac, mode, d, t, y, p)
    h = _initial_step(f, jac, mode, d, t, y, fy, p, rtol, atol, tau)
    sums = np.zeros(k)
    left = max_steps
    for r in range(n_renorm + n_skip):
        y, fy, h, st, used = _advance(f, jac, mode, d, y, fy, t, t + tau, h, p, rtol, atol,
                                      left, K)
        left -= used
        t += tau
        if st != 0:
            return sums / max(t, 1e-300), t, st
        Q = y[d:].copy().reshape((d, k))
        if not np.all(np.isfinite(Q)):
            return sums / max(t, 1e-300), t, 2
        q, R = np.linalg.qr(Q)
        for j in range(k):
            sgn = 1.0 if R[j, j] >= 0 else -1.0
            if r >= n_skip:
                sums[j] += np.log(abs(R[j, j]) + 1e-300)
            for i in range(d):
                y[d + i * k + j] = q[i, j] * sgn
        fy = _eval(f, jac, mode, d, t, y, p)
    return sums / (n_renorm * tau), n_renorm * tau, 0


@nb.njit(types.Tuple((_a3, types.int64[::1], types.int64[::1]))(
    RHS_T, _m, _v, _i8, _i8), cache=True, error_model="numpy")
def map_batch(f, X0, p, n_out, every):  # pragma: no cover
    """Iterate a map from each row of ``X0``; keep every ``every``-th state."""
    nb_, d = X0.shape
    out = np.full((nb_, n_out, d), np.nan)
    status = np.zeros(nb_, dtype=np.int64)
    reached = np.zeros(nb_, dtype=np.int64)
    for b in range(nb_):
        x = X0[b].copy()
        out[b, 0] = x
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
            out[b, j] = x
            reached[b] = j + 1
    return out, status, reached


@nb.njit(types.Tuple((_v, _i8))(RHS_T, JAC_T, _i8, _v, _v, _i8, _i8, _i8), cache=True,
         error_model="numpy")
def map_lyapunov(f, jac, has_jac, x0, p, k, n_iter, n_skip):  # pragma: no cover
    """QR method for maps: the ``k`` leading exponents over ``n_iter`` iterations."""
    d = x0.shape[0]
    x = x0.copy()
    Q = np.eye(d)[:, :k].copy()
    sums = np.zeros(k)
    for it in range(n_iter + n_skip):
        if has_jac:
            J = jac(float(it), x, p)
        else:
            J = np.empty((d, d))
            for m in range(d):
                e = 1e-7 * max(1.0, abs(x[m]))
                xp = x.copy()
                xm = x.copy()
                xp[m] += e
                xm[m] -= e
                fp = f(float(it), xp, p)
                fm = f(float(it), xm, p)
                for i in range(d):
                    J[i, m] = (fp[i] - fm[i]) / (2 * e)
        x = f(float(it), x, p)
        if not np.all(np.isfinite(x)):
            return sums / max(it - n_skip, 1), 2
        q, R = np.linalg.qr(J @ Q)
        for j in range(k):
            if it >= n_skip:
                sums[j] += np.log(abs(R[j, j]) + 1e-300)
            sgn = 1.0 if R[j, j] >= 0 else -1.0
            for i in range(d):
                Q[i, j] = q[i, j] * sgn
    return sums / n_iter, 0


@nb.njit(types.Tuple((_m, _i8))(RHS_T, _v, _v, _v, _f8, _i8, _v, _f8, _m), cache=True,
         error_model="numpy")
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


@nb.njit(types.Tuple((_m, _i8))(RHS_T, _i8, _v, _v, _v, _i8, _v, _m), cache=True,
         error_model="numpy")
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
    out[0] = x0
    x = x0.copy()
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
        out[j] = x
    return out, 0
