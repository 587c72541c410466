"""Compiled loops: the adaptive Dormand-Prince 8(5,3) method (DOP853) for flows.

Right-hand sides are passed as first-class numba functions of one fixed
signature (``_numba_types``), so the loop compiles once (and is cached on disk)
for every system. Nothing in ``import lindy`` imports this module, and importing
it compiles nothing: ``_compiled.compiled`` compiles (or loads from the cache)
each entry point on first use, so simulating a flow compiles only this loop.

The stepping code (``_initial_step``, ``_advance``) evaluates derivatives
through ``_eval(f, jac, mode, d, t, y, p)``; here that is just ``f(t, y, p)``.
``_tangent`` compiles the same stepping code a second time with an
``_eval`` for the variational equations (see ``specialize``), so DOP853 is
written once and a plain simulation never compiles tangent dynamics.

Loops are written out element by element: numba types and lowers them much
faster than array expressions and slice assignments, which matters because
the compile time is paid on a fresh machine.

Stiffness detection (Hairer, Norsett & Wanner, Solving ODEs I, Sec. II.10,
code DOP853): after an accepted step, ``h |f(y_new) - f(y_12)| / |y_new - y_12|``
(the last stage and the new point share the time ``t + h``) estimates ``h``
times the largest eigenvalue along the step. When it exceeds 6.1 in 15
successive tests (tested every 1000 accepted steps, then every step once a
test fails) the step size is limited by stability, not accuracy, and the
integration stops with status 4 so that the caller can switch to an implicit
method.

Status codes: 0 success, 1 too many steps, 2 non-finite state, 3 step size
underflow, 4 stiffness detected.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from ._dop853_tableau import E3 as _E3
from ._dop853_tableau import E5 as _E5
from ._dop853_tableau import A as _A
from ._dop853_tableau import B as _B
from ._dop853_tableau import C as _C
from ._numba_types import ARR3, F8, I8, IVEC, MAT, RHS_T, VEC

__all__ = ["dop853_batch", "DOP853_BATCH_SIG"]

#: accepted steps between stiffness tests, failed tests that declare stiffness, h*lambda bound
STIFF_EVERY = 1000
STIFF_COUNT = 15
STIFF_HLAMBDA = 6.1


@nb.njit(cache=True, error_model="numpy")
def _eval(f, jac, mode, d, t, y, p):  # pragma: no cover - compiled
    return f(t, y, p)


@nb.njit(cache=True, error_model="numpy")
def _initial_step(f, jac, mode, d, t, y, fy, p, rtol, atol, span):  # pragma: no cover
    """Hairer's starting step size: first- and second-derivative estimates."""
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
    y1 = np.empty(n)
    for i in range(n):
        y1[i] = y[i] + h0 * fy[i]
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
def _stiff_test(K, ys, ynew, h, stiff):  # pragma: no cover - compiled
    """One stiffness test; ``stiff`` = [accepted steps, failed tests, passed tests].

    Returns True once the problem is declared stiff.
    """
    stiff[0] += 1
    if stiff[0] % STIFF_EVERY != 0 and stiff[1] == 0:
        return False
    num = 0.0
    den = 0.0
    for i in range(ys.shape[0]):
        num += (K[12, i] - K[11, i]) ** 2
        den += (ynew[i] - ys[i]) ** 2
    if den > 0.0 and h * np.sqrt(num / den) > STIFF_HLAMBDA:
        stiff[2] = 0
        stiff[1] += 1
        return stiff[1] >= STIFF_COUNT
    stiff[2] += 1
    if stiff[2] == 6:
        stiff[1] = 0
    return False


@nb.njit(cache=True, error_model="numpy")
def _advance(f, jac, mode, d, y, fy, t, t_end, h, p, rtol, atol, max_steps, K,
             stiff):  # pragma: no cover
    """Integrate from ``t`` to ``t_end`` with DOP853; clip the last step to ``t_end``.

    ``stiff`` holds the stiffness-test counters (see ``_stiff_test``); a
    negative first entry switches the test off. Returns (y, fy, h, status, steps).
    """
    n = y.shape[0]
    steps = 0
    rejected = False
    ys = np.empty(n)
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
            if stiff[0] >= 0 and _stiff_test(K, ys, ynew, h_try, stiff):
                return y, fy, h, 4, steps
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


DOP853_BATCH_SIG = nb.types.Tuple((ARR3, IVEC, IVEC))(RHS_T, MAT, VEC, VEC, F8, F8, I8, I8)


def dop853_batch(f, Y0, p, t_out, rtol, atol, max_steps, detect_stiff):  # pragma: no cover
    """Integrate each row of ``Y0`` and sample at ``t_out``: (B, T, n), status, reached.

    ``detect_stiff`` (0/1) stops a row with status 4 when it turns out stiff.
    Compiled on first use with ``DOP853_BATCH_SIG`` (see ``_compiled.compiled``).
    """
    nb_ = Y0.shape[0]
    n = Y0.shape[1]
    T = t_out.shape[0]
    out = np.empty((nb_, T, n))
    status = np.zeros(nb_, dtype=np.int64)
    reached = np.zeros(nb_, dtype=np.int64)
    K = np.empty((13, n))
    stiff = np.zeros(3, dtype=np.int64)
    for b in range(nb_):
        y = np.empty(n)
        for i in range(n):
            y[i] = Y0[b, i]
        for j in range(T):
            for i in range(n):
                out[b, j, i] = y[i] if j == 0 else np.nan
        t = t_out[0]
        fy = _eval(f, f, 0, n, t, y, p)
        span = (t_out[T - 1] - t_out[0]) if T > 1 else 1.0
        h = _initial_step(f, f, 0, n, t, y, fy, p, rtol, atol, max(span, 1e-12))
        left = max_steps
        reached[b] = 1
        stiff[0] = 0 if detect_stiff else -1
        stiff[1] = 0
        stiff[2] = 0
        for j in range(1, T):
            y, fy, h, st, used = _advance(f, f, 0, n, y, fy, t, t_out[j], h, p, rtol, atol,
                                          left, K, stiff)
            left -= used
            if st == 0:
                for i in range(n):
                    if not np.isfinite(y[i]):
                        st = 2
            if st != 0:
                status[b] = st
                break
            t = t_out[j]
            for i in range(n):
                out[b, j, i] = y[i]
            reached[b] = j + 1
    return out, status, reached
