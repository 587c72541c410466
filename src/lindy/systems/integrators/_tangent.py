"""Compiled loops for tangent dynamics: QR (Benettin) Lyapunov spectra of flows,
maps and delay equations (status codes as in ``_dop853``).

Flows integrate the variational equations ``[x' = f(x), Q' = J(x) Q]`` with the
DOP853 stepping code of ``_dop853``, compiled a second time (``specialize``)
with ``_eval`` below. Delay equations advance the state and the tangent
segments with the method-of-steps stepper of ``_delay`` (the one simulation
uses). Entry points compile on first use (``_compiled.compiled``).
"""

from __future__ import annotations

import numba as nb
import numpy as np
from numba import types

from ._delay import STAGE_TIMES, rk4_step, stage_state
from ._dop853 import _advance as _advance_flow
from ._dop853 import _initial_step as _initial_step_flow
from ._numba_types import F8 as _f8
from ._numba_types import I8 as _i8
from ._numba_types import JAC_T, RHS_T, specialize
from ._numba_types import VEC as _v

__all__ = ["flow_lyapunov", "map_lyapunov", "delay_lyapunov", "FLOW_LYAPUNOV_SIG",
           "MAP_LYAPUNOV_SIG", "DELAY_LYAPUNOV_SIG"]


@nb.njit(cache=True, error_model="numpy")
def _eval(f, jac, mode, d, t, y, p):  # pragma: no cover - compiled
    """Derivative of ``[x, vec(Q)]``: ``[f, J Q]``, analytic (mode 1) or by central
    differences of ``f`` along each column of ``Q`` (mode 2)."""
    n = y.shape[0]
    k = (n - d) // d
    x = np.empty(d)
    for i in range(d):
        x[i] = y[i]
    fx = f(t, x, p)
    out = np.empty(n)
    for i in range(d):
        out[i] = fx[i]
    if mode == 1:
        J = jac(t, x, p)
        for i in range(d):
            for j in range(k):
                s = 0.0
                for m in range(d):
                    s += J[i, m] * y[d + m * k + j]
                out[d + i * k + j] = s
        return out
    xn = 0.0
    for i in range(d):
        xn += x[i] * x[i]
    xp = np.empty(d)
    xm = np.empty(d)
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
        for m in range(d):
            xp[m] = x[m] + eps * y[d + m * k + j]
            xm[m] = x[m] - eps * y[d + m * k + j]
        fp = f(t, xp, p)
        fm = f(t, xm, p)
        for i in range(d):
            out[d + i * k + j] = (fp[i] - fm[i]) / (2.0 * eps)
    return out


_initial_step = specialize(_initial_step_flow, "_initial_step_tangent", _eval=_eval)
_advance = specialize(_advance_flow, "_advance_tangent", _eval=_eval)

FLOW_LYAPUNOV_SIG = types.Tuple((_v, _f8, _i8))(
    RHS_T, JAC_T, _i8, _v, _v, _i8, _f8, _i8, _i8, _f8, _f8, _i8)


def flow_lyapunov(f, jac, mode, x0, p, k, tau, n_renorm, n_skip, rtol, atol,
                  max_steps):  # pragma: no cover
    """Benettin/QR: the ``k`` leading exponents of a flow, renormalizing every ``tau``.

    The first ``n_skip`` renormalizations are not averaged (alignment transient).
    Returns (exponents, elapsed averaging time, status).
    """
    d = x0.shape[0]
    n = d + d * k
    y = np.zeros(n)
    for i in range(d):
        y[i] = x0[i]
    for j in range(k):
        y[d + j * k + j] = 1.0
    K = np.empty((13, n))
    stiff = np.full(3, -1, dtype=np.int64)
    t = 0.0
    fy = _eval(f, jac, mode, d, t, y, p)
    h = _initial_step(f, jac, mode, d, t, y, fy, p, rtol, atol, tau)
    sums = np.zeros(k)
    left = max_steps
    Q = np.empty((d, k))
    for r in range(n_renorm + n_skip):
        y, fy, h, st, used = _advance(f, jac, mode, d, y, fy, t, t + tau, h, p, rtol, atol,
                                      left, K, stiff)
        left -= used
        t += tau
        if st != 0:
            return sums / max(t, 1e-300), t, st
        for i in range(d):
            for j in range(k):
                Q[i, j] = y[d + i * k + j]
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


MAP_LYAPUNOV_SIG = types.Tuple((_v, _i8))(RHS_T, JAC_T, _i8, _v, _v, _i8, _i8, _i8)


def map_lyapunov(f, jac, has_jac, x0, p, k, n_renorm, n_skip):  # pragma: no cover
    """QR method for maps: the ``k`` leading exponents over ``n_renorm`` iterations
    (after ``n_skip``)."""
    d = x0.shape[0]
    x = x0.copy()
    Q = np.eye(d)[:, :k].copy()
    sums = np.zeros(k)
    for it in range(n_renorm + n_skip):
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
    return sums / n_renorm, 0


@nb.njit(error_model="numpy", inline="always")
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


@nb.njit(error_model="numpy", inline="always")
def _delay_tangent_step(f, p, t, h, X, FX, V, FV, cur, old, old1, new, K, z, u, vm,
                        L):  # pragma: no cover - compiled
    """Advance the ``k`` tangent segments ``V`` (rows, d, k) along the RK4 step that
    ``rk4_step`` has just taken (its slopes in ``K``): the linearized equation at
    the same stage states, by directional central differences of ``f``. Writes the
    derivatives at ``t`` into ``FV[cur]`` and the new values into ``V[new]``."""
    d = X.shape[1]
    k = V.shape[2]
    for i in range(d):
        for j in range(k):
            vm[i, j] = (0.5 * (V[old, i, j] + V[old1, i, j])
                        + h * (FV[old, i, j] - FV[old1, i, j]) / 8.0)
    for s in range(4):
        stage_state(X, FX, K, cur, old, old1, h, s, z)
        for j in range(k):
            for i in range(d):
                if s == 0:
                    u[i] = V[cur, i, j]
                    u[d + i] = V[old, i, j]
                elif s == 3:
                    u[i] = V[cur, i, j] + h * L[2, i, j]
                    u[d + i] = V[old1, i, j]
                else:
                    u[i] = V[cur, i, j] + 0.5 * h * L[s - 1, i, j]
                    u[d + i] = vm[i, j]
            g = _directional_derivative(f, t + STAGE_TIMES[s] * h, z, u, p, d)
            for i in range(d):
                if s == 0:
                    FV[cur, i, j] = g[i]
                if s < 3:
                    L[s, i, j] = g[i]
                else:
                    V[new, i, j] = V[cur, i, j] + h * (L[0, i, j] + 2.0 * L[1, i, j]
                                                       + 2.0 * L[2, i, j] + g[i]) / 6.0


DELAY_LYAPUNOV_SIG = types.Tuple((_v, _i8))(RHS_T, _v, _v, _f8, _i8, _i8, _i8, _i8, _i8, _i8)


def delay_lyapunov(f, x0, p, tau, m, k, steps_per_renorm, n_renorm, n_skip,
                   seed):  # pragma: no cover - compiled
    """QR method for a delay equation: the ``k`` leading exponents.

    The state and ``k`` tangent segments live in ring buffers of ``m + 1`` grid
    values (and derivatives). The state advances by ``_delay.rk4_step`` (step
    ``tau / m``, the stepper of simulation) from a constant history ``x0``, the
    segments along its stages from random values (``seed``). Every
    ``steps_per_renorm`` steps the segments are re-orthonormalized by a QR
    factorization in the L2 inner product on ``[t - tau, t]`` (trapezoidal
    weights); the first ``n_skip`` renormalizations are not averaged.
    Returns (exponents, status).
    """
    d = x0.shape[0]
    h = tau / m
    N = m + 1
    X = np.empty((N, d))
    FX = np.zeros((N, d))
    V = np.empty((N, d, k))
    FV = np.zeros((N, d, k))
    np.random.seed(seed)
    for s in range(N):
        for i in range(d):
            X[s, i] = x0[i]
            for j in range(k):
                V[s, i, j] = np.random.standard_normal()
    # trapezoidal weights of the L2 inner product on the segment, oldest point first
    w = np.full(N, np.sqrt(h))
    w[0] = np.sqrt(0.5 * h)
    w[N - 1] = np.sqrt(0.5 * h)
    A = np.empty((N * d, k))
    z = np.empty(2 * d)
    u = np.empty(2 * d)
    vm = np.empty((d, k))
    K = np.empty((4, d))
    L = np.empty((3, d, k))
    sums = np.zeros(k)
    n = m  # the current grid index; slot n % N holds x(t_n), t_n = (n - m) h
    total = (n_renorm + n_skip) * steps_per_renorm
    for step in range(total):
        cur = n % N
        old = (n + 1) % N  # = (n - m) % N, overwritten by the new point
        old1 = (n + 2) % N
        t = (n - m) * h
        if not rk4_step(f, p, t, h, X, FX, cur, old, old1, z, K):
            return sums / max(n - m, 1) / h, 2
        _delay_tangent_step(f, p, t, h, X, FX, V, FV, cur, old, old1, old, K, z, u, vm, L)
        for i in range(d):
            X[old, i] = K[3, i]
        n += 1
        if (step + 1) % steps_per_renorm != 0:
            continue
        # QR of the weighted segments (rows: grid points n - m .. n, oldest first)
        for r in range(N):
            s = (n - m + r) % N
            for i in range(d):
                for j in range(k):
                    A[r * d + i, j] = w[r] * V[s, i, j]
        if not np.all(np.isfinite(A)):
            return sums / max(n - m, 1) / h, 2
        _, R = np.linalg.qr(A)
        Rinv = np.linalg.inv(R)
        if (step + 1) // steps_per_renorm > n_skip:
            for j in range(k):
                sums[j] += np.log(abs(R[j, j]) + 1e-300)
        # V <- V R^-1 and FV <- FV R^-1 (upper triangular), row by row in place
        for s in range(N):
            for i in range(d):
                for j in range(k):
                    a = 0.0
                    b = 0.0
                    for q in range(j + 1):
                        a += V[s, i, q] * Rinv[q, j]
                        b += FV[s, i, q] * Rinv[q, j]
                    vm[i, j] = a
                    L[0, i, j] = b
                for j in range(k):
                    V[s, i, j] = vm[i, j]
                    FV[s, i, j] = L[0, i, j]
    return sums / (n_renorm * steps_per_renorm * h), 0
