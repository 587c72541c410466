"""numba kernels for tangent dynamics: QR Lyapunov spectra of flows and maps
(see ``_kernels`` for conventions and status codes)."""

from __future__ import annotations

import numba as nb
import numpy as np
from numba import types

from ._kernels import (  # noqa: F401
    JAC_T,
    RHS_T,
    _a3,
    _advance,
    _eval,
    _f8,
    _i8,
    _initial_step,
    _m,
    _v,
)


@nb.njit(types.Tuple((_v, _f8, _i8))(
    RHS_T, JAC_T, _i8, _v, _v, _i8, _f8, _i8, _i8, _f8, _f8, _i8), cache=True,
    error_model="numpy")
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
