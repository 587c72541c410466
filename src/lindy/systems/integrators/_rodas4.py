"""Compiled loops: the linearly implicit Rosenbrock method RODAS4 for stiff flows.

RODAS4 (Hairer & Wanner, *Solving Ordinary Differential Equations II*, 2nd ed.,
Springer 1996, section IV.7; coefficients of their code ``rodas.f``) is a
six-stage, stiffly accurate, L-stable Rosenbrock method of order 4 with an
embedded method of order 3. In the transformed formulation each step solves,
for the stages ``K_i``,

    (I / (h gamma) - J) K_i = f(t + alpha_i h, y + sum_j a_ij K_j)
                              + sum_j (c_ij / h) K_j + gamma_i h df/dt,

with one LU factorization of the iteration matrix per step; ``y + sum m_i K_i``
is the new state and ``K_6`` the error estimate. ``J`` is the analytic Jacobian
(a first-class numba function, like the right-hand side) or forward finite
differences; ``df/dt`` is a forward difference (zero for autonomous flows). The
step-size control mirrors DOP853 (``_dop853``) (RMS error norm, steps clipped to
the output times, no growth right after a rejection).

Entry points compile on first use (``_compiled.compiled``); status codes as in
``_dop853``: 0 success, 1 too many steps, 2 non-finite state, 3 step size
underflow.
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numba import types

from ._numba_types import ARR3, F8, I8, IMAT, IVEC, JAC_T, MAT, RHS_T, VEC

__all__ = ["rodas4_batch", "RODAS4_BATCH_SIG"]

#: RODAS4 coefficients (Hairer & Wanner 1996, ``rodas.f``), transformed formulation
GAMMA = 0.25
ALPHA = np.array([0.0, 0.386, 0.21, 0.63, 1.0, 1.0])
GAMMAS = np.array([0.25, -0.1043, 0.1035, -0.0362, 0.0, 0.0])
_a = (1.544, 0.9466785280815826, 0.2557011698983284, 3.314825187068521,
      2.896124015972201, 0.9986419139977817, 1.221224509226641, 6.019134481288629,
      12.53708332932087, -0.687886036105895)
_c = (-5.6688, -2.430093356833875, -0.2063599157091915, -0.1073529058151375,
      -9.594562251023355, -20.47028614809616, 7.496443313967647, -10.24680431464352,
      -33.99990352819905, 11.7089089320616, 8.083246795921522, -7.981132988064893,
      -31.52159432874371, 16.31930543123136, -6.058818238834054)
A = np.zeros((6, 6))
C = np.zeros((6, 6))
_k = 0
for _i in range(1, 6):
    for _j in range(_i):
        A[_i, _j] = (_a + _a[6:] + (1.0,))[_k]
        C[_i, _j] = _c[_k]
        _k += 1
M = np.array([*_a[6:], 1.0, 1.0])
E = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 1.0])
ORDER_EST = 4.0  # local order of the error estimate (embedded order + 1)


@nb.njit(cache=True, error_model="numpy")
def _jacobian(f, jac, use_jac, t, y, fy, p):  # pragma: no cover - compiled
    if use_jac:
        return jac(t, y, p), 0
    n = y.shape[0]
    J = np.empty((n, n))
    for j in range(n):
        dy = 1.4901161193847656e-08 * max(1.0, abs(y[j]))
        yp = y.copy()
        yp[j] += dy
        fp = f(t, yp, p)
        for i in range(n):
            J[i, j] = (fp[i] - fy[i]) / dy
    return J, n


@nb.njit(cache=True, error_model="numpy")
def _lu(G, piv):  # pragma: no cover - compiled
    """In-place LU with partial pivoting; False if singular."""
    n = G.shape[0]
    for k in range(n):
        m = k
        big = abs(G[k, k])
        for i in range(k + 1, n):
            if abs(G[i, k]) > big:
                big = abs(G[i, k])
                m = i
        if big == 0.0 or not np.isfinite(big):
            return False
        piv[k] = m
        if m != k:
            for j in range(n):
                G[k, j], G[m, j] = G[m, j], G[k, j]
        for i in range(k + 1, n):
            G[i, k] /= G[k, k]
            for j in range(k + 1, n):
                G[i, j] -= G[i, k] * G[k, j]
    return True


@nb.njit(cache=True, error_model="numpy")
def _solve(LU, piv, b):  # pragma: no cover - compiled
    n = b.shape[0]
    x = b.copy()
    for k in range(n):
        m = piv[k]
        if m != k:
            x[k], x[m] = x[m], x[k]
    for i in range(n):
        for j in range(i):
            x[i] -= LU[i, j] * x[j]
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            x[i] -= LU[i, j] * x[j]
        x[i] /= LU[i, i]
    return x


@nb.njit(cache=True, error_model="numpy")
def _step(f, jac, use_jac, t, y, fy, h, p, rtol, atol, K, G, piv):  # pragma: no cover
    """One RODAS4 step: (ynew, err, nfev); err = inf if the step failed."""
    n = y.shape[0]
    J, nfev = _jacobian(f, jac, use_jac, t, y, fy, p)
    dt = 1.4901161193847656e-08 * max(1.0, abs(t))
    ft = f(t + dt, y, p)
    nfev += 1
    for i in range(n):
        for j in range(n):
            G[i, j] = -J[i, j]
        G[i, i] += 1.0 / (h * GAMMA)
    if not _lu(G, piv):
        return y, np.inf, nfev
    rhs = np.empty(n)
    ys = np.empty(n)
    for s in range(6):
        if s == 0:
            fs = fy
        else:
            for i in range(n):
                acc = 0.0
                for j in range(s):
                    acc += A[s, j] * K[j, i]
                ys[i] = y[i] + acc
            fs = f(t + ALPHA[s] * h, ys, p)
            nfev += 1
        for i in range(n):
            acc = 0.0
            for j in range(s):
                acc += C[s, j] * K[j, i]
            rhs[i] = fs[i] + acc / h + GAMMAS[s] * h * (ft[i] - fy[i]) / dt
        ks = _solve(G, piv, rhs)
        for i in range(n):
            K[s, i] = ks[i]
    ynew = np.empty(n)
    err = 0.0
    for i in range(n):
        acc = 0.0
        for j in range(6):
            acc += M[j] * K[j, i]
        ynew[i] = y[i] + acc
        sc = atol + rtol * max(abs(y[i]), abs(ynew[i]))
        e = 0.0
        for j in range(6):
            e += E[j] * K[j, i]
        err += (e / sc) ** 2
    err = np.sqrt(err / n)
    return ynew, err, nfev


@nb.njit(cache=True, error_model="numpy")
def _advance(f, jac, use_jac, y, fy, t, t_end, h, p, rtol, atol, max_steps, K, G,
             piv):  # pragma: no cover - compiled
    """Integrate from ``t`` to ``t_end``; clip the last step to ``t_end``.

    Returns (y, fy, h, status, steps, nfev).
    """
    steps = 0
    nfev = 0
    rejected = False
    while t < t_end:
        if steps >= max_steps:
            return y, fy, h, 1, steps, nfev
        span = t_end - t
        if span <= 1e-13 * max(1.0, abs(t_end)):
            break
        last = h >= span * (1.0 - 1e-9)
        h_try = span if last else h
        if h_try < 1e-14 * max(1.0, abs(t)):
            return y, fy, h, 3, steps, nfev
        ynew, err, used = _step(f, jac, use_jac, t, y, fy, h_try, p, rtol, atol, K, G, piv)
        nfev += used
        steps += 1
        if not np.isfinite(err):
            h = 0.2 * h_try
            rejected = True
            continue
        fac = 6.0 if err == 0.0 else min(6.0, 0.9 * err ** (-1.0 / ORDER_EST))
        if err <= 1.0:
            if rejected:
                fac = min(1.0, fac)
            rejected = False
            t = t_end if last else t + h_try
            y = ynew
            fy = f(t, y, p)
            nfev += 1
            if not last or h_try * fac < h:
                h = h_try * max(fac, 0.2)
        else:
            h = h_try * max(0.2, fac)
            rejected = True
    return y, fy, h, 0, steps, nfev


RODAS4_BATCH_SIG = types.Tuple((ARR3, IVEC, IVEC, IMAT))(
    RHS_T, JAC_T, I8, MAT, VEC, VEC, F8, F8, I8)


def rodas4_batch(f, jac, use_jac, Y0, p, t_out, rtol, atol, max_steps):  # pragma: no cover
    """Integrate each row of ``Y0`` with RODAS4 and sample at ``t_out``.

    Returns (B, T, d) states, status, samples reached, and (B, 2) counts of
    steps (accepted and rejected) and right-hand-side evaluations.
    """
    nb_ = Y0.shape[0]
    n = Y0.shape[1]
    T = t_out.shape[0]
    out = np.empty((nb_, T, n))
    status = np.zeros(nb_, dtype=np.int64)
    reached = np.zeros(nb_, dtype=np.int64)
    stats = np.zeros((nb_, 2), dtype=np.int64)
    K = np.empty((6, n))
    G = np.empty((n, n))
    piv = np.zeros(n, dtype=np.int64)
    for b in range(nb_):
        y = np.empty(n)
        for i in range(n):
            y[i] = Y0[b, i]
        for j in range(T):
            for i in range(n):
                out[b, j, i] = y[i] if j == 0 else np.nan
        t = t_out[0]
        fy = f(t, y, p)
        span = (t_out[-1] - t_out[0]) if T > 1 else 1.0
        d0 = 0.0
        d1 = 0.0
        for i in range(n):
            sc = atol + rtol * abs(y[i])
            d0 += (y[i] / sc) ** 2
            d1 += (fy[i] / sc) ** 2
        d0 = np.sqrt(d0 / n)
        d1 = np.sqrt(d1 / n)
        h = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
        h = min(h, max(span, 1e-12))
        left = max_steps
        reached[b] = 1
        stats[b, 1] = 1
        for j in range(1, T):
            y, fy, h, st, used, fev = _advance(f, jac, use_jac, y, fy, t, t_out[j], h, p,
                                               rtol, atol, left, K, G, piv)
            left -= used
            stats[b, 0] += used
            stats[b, 1] += fev
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
    return out, status, reached, stats
