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
