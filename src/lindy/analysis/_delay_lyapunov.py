"""Lyapunov exponents of delay equations ``x'(t) = f(x(t), x(t - tau))`` from the
equations (not from data).

The state of a delay equation is the segment ``x`` on ``[t - tau, t]``. The
linearized equation ``v'(t) = A(t) v(t) + B(t) v(t - tau)`` (directional central
differences of ``f``) is integrated together with ``x`` by the method of steps,
RK4 with step ``h = tau / m`` and cubic Hermite values at the half steps; every
``interval`` the ``k`` tangent segments are re-orthonormalized by a QR
factorization in the L2 inner product on ``[t - tau, t]`` (trapezoidal weights)
and the exponents are the time averages of ``log |R_jj|`` (Farmer 1982; the
Benettin QR method on the discretized delay equation).

References
----------
Farmer, J. D. (1982). Chaotic attractors of an infinite-dimensional dynamical
system. Physica D 4, 366-393.
"""

from __future__ import annotations

import functools

import numpy as np

from .._validation import check_positive_int
from ..errors import NumericalError, ValidationError

__all__ = ["delay_lyapunov_spectrum"]


def _tangent(f, t, z, w, p, d):  # pragma: no cover - compiled
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


def _dde_lyapunov(f, x0, p, tau, m, k, steps_per_renorm, n_renorm, n_skip,
                  seed):  # pragma: no cover - compiled
    """Ring buffers of ``m + 1`` grid values (and derivatives) of the state and of the
    ``k`` tangent segments. Returns (exponents, status)."""
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
    xs = np.empty(d)
    xm = np.empty(d)
    vm = np.empty((d, k))
    k1 = np.empty(d)
    k2 = np.empty(d)
    k3 = np.empty(d)
    l1 = np.empty((d, k))
    l2 = np.empty((d, k))
    l3 = np.empty((d, k))
    sums = np.zeros(k)
    n = m  # the current grid index; slot n % N holds x(t_n), t_n = (n - m) h
    total = (n_renorm + n_skip) * steps_per_renorm
    for step in range(total):
        cur = n % N
        old = (n + 1) % N  # = (n - m) % N, overwritten by the new point
        old1 = (n + 2) % N
        t = (n - m) * h
        # stage 1 (also the derivative at the current grid point, for the Hermite values)
        for i in range(d):
            z[i] = X[cur, i]
            z[d + i] = X[old, i]
        fx = f(t, z, p)
        for i in range(d):
            FX[cur, i] = fx[i]
            k1[i] = fx[i]
        for j in range(k):
            for i in range(d):
                u[i] = V[cur, i, j]
                u[d + i] = V[old, i, j]
            g = _tangent(f, t, z, u, p, d)
            for i in range(d):
                FV[cur, i, j] = g[i]
                l1[i, j] = g[i]
        # delayed values half a step later
        for i in range(d):
            xm[i] = 0.5 * (X[old, i] + X[old1, i]) + h * (FX[old, i] - FX[old1, i]) / 8.0
            for j in range(k):
                vm[i, j] = (0.5 * (V[old, i, j] + V[old1, i, j])
                            + h * (FV[old, i, j] - FV[old1, i, j]) / 8.0)
        # stages 2 and 3
        for stage in range(2):
            kp = k1 if stage == 0 else k2
            lp = l1 if stage == 0 else l2
            for i in range(d):
                z[i] = X[cur, i] + 0.5 * h * kp[i]
                z[d + i] = xm[i]
            fx = f(t + 0.5 * h, z, p)
            kn = k2 if stage == 0 else k3
            ln = l2 if stage == 0 else l3
            for i in range(d):
                kn[i] = fx[i]
            for j in range(k):
                for i in range(d):
                    u[i] = V[cur, i, j] + 0.5 * h * lp[i, j]
                    u[d + i] = vm[i, j]
                g = _tangent(f, t + 0.5 * h, z, u, p, d)
                for i in range(d):
                    ln[i, j] = g[i]
        # stage 4 and the update (written into the slot of the oldest point)
        for i in range(d):
            z[i] = X[cur, i] + h * k3[i]
            z[d + i] = X[old1, i]
        fx = f(t + h, z, p)
        for i in range(d):
            xs[i] = X[cur, i] + h * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + fx[i]) / 6.0
            if not np.isfinite(xs[i]):
                return sums / max(n - m, 1) / h, 2
        for j in range(k):
            for i in range(d):
                u[i] = V[cur, i, j] + h * l3[i, j]
                u[d + i] = V[old1, i, j]
            g = _tangent(f, t + h, z, u, p, d)
            for i in range(d):
                V[old, i, j] = V[cur, i, j] + h * (l1[i, j] + 2.0 * l2[i, j] + 2.0 * l3[i, j]
                                                   + g[i]) / 6.0
        for i in range(d):
            X[old, i] = xs[i]
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
        for s in range(N):
            for i in range(d):
                for j in range(k):
                    a = 0.0
                    b = 0.0
                    for q in range(j + 1):
                        a += V[s, i, q] * Rinv[q, j]
                        b += FV[s, i, q] * Rinv[q, j]
                    vm[i, j] = a
                    l1[i, j] = b
                for j in range(k):
                    V[s, i, j] = vm[i, j]
                    FV[s, i, j] = l1[i, j]
    return sums / (n_renorm * steps_per_renorm * h), 0


@functools.cache
def _kernel():
    import numba as nb
    from numba import types

    from ..systems._kernels import RHS_T

    v, i8, f8 = types.float64[::1], types.int64, types.float64
    tangent = nb.njit(types.float64[::1](RHS_T, f8, v, v, v, i8), cache=True,
                      error_model="numpy")(_tangent)
    glb = dict(_dde_lyapunov.__globals__, _tangent=tangent)
    func = type(_dde_lyapunov)(_dde_lyapunov.__code__, glb, "_dde_lyapunov_kernel")
    func.__qualname__ = "_dde_lyapunov_kernel"
    sig = types.Tuple((v, i8))(RHS_T, v, v, f8, i8, i8, i8, i8, i8, i8)
    return nb.njit(sig, cache=True, error_model="numpy")(func)


def delay_lyapunov_spectrum(system, n_exponents: int = 1, *, x0=None, m: int = 200,
                            interval: float | None = None, t_average: float | None = None,
                            t_transient: float | None = None, seed: int = 0) -> np.ndarray:
    """The leading Lyapunov exponents of a delay equation, from its right-hand side.

    Parameters
    ----------
    system : System
        A ``"delay"`` system (delay ``params["tau"]``).
    n_exponents : int, default 1
        How many exponents (a delay equation has infinitely many).
    x0 : array_like, shape (dim,), optional
        Constant history on ``[-tau, 0]`` (default ``system.x0``).
    m : int, default 200
        Steps per delay: the RK4 step is ``tau / m``.
    interval : float, optional
        Time between re-orthonormalizations (default ``tau``), rounded to whole steps.
    t_average : float, optional
        Averaging time (default ``5000 tau``).
    t_transient : float, optional
        Time discarded first: the approach to the attractor and the alignment of the
        tangent segments (default ``200 tau``).
    seed : int, default 0
        Seed of the random initial tangent segments.

    Returns
    -------
    ndarray, shape (n_exponents,)
        Exponents per unit time, largest first.

    Examples
    --------
    >>> from lindy.systems import get_system
    >>> lam = delay_lyapunov_spectrum(get_system("IkedaDelay"), t_average=2000.0)
    >>> bool(0.40 < lam[0] < 0.50)
    True
    """
    from ..systems import System
    from ..systems._integrate import compiled_rhs

    if not isinstance(system, System) or system.kind != "delay":
        raise ValidationError("delay_lyapunov_spectrum needs a lindy System of kind 'delay'; "
                              f"got {getattr(system, 'kind', type(system).__name__)!r}.")
    k = check_positive_int(n_exponents, "n_exponents")
    m = check_positive_int(m, "m", minimum=2)
    tau = float(system.params["tau"])
    h = tau / m
    interval = tau if interval is None else float(interval)
    t_average = 5000.0 * tau if t_average is None else float(t_average)
    t_transient = 200.0 * tau if t_transient is None else float(t_transient)
    for name, value in (("interval", interval), ("t_average", t_average)):
        if not np.isfinite(value) or value <= 0:
            raise ValidationError(f"{name} must be a positive time; got {value!r}.")
    if not np.isfinite(t_transient) or t_transient < 0:
        raise ValidationError(f"t_transient must be a time >= 0; got {t_transient!r}.")
    if k > (m + 1) * system.dim:
        raise ValidationError(f"n_exponents={k} exceeds the {(m + 1) * system.dim} grid values "
                              "of the discretized delay segment; raise m.")
    x = np.array(system.x0 if x0 is None else x0, dtype=float).reshape(-1)
    if x.shape != (system.dim,):
        raise ValidationError(f"x0 must have {system.dim} entries; got {x.shape[0]}.")
    spr = max(int(round(interval / h)), 1)
    n_renorm = max(int(round(t_average / (spr * h))), 1)
    n_skip = int(round(t_transient / (spr * h)))
    lam, status = _kernel()(compiled_rhs(system.rhs), x, system.param_array, tau, m, k, spr,
                            n_renorm, n_skip, int(seed))
    if status != 0:
        raise NumericalError(f"{system.name}: the delay equation became non-finite; the "
                             "history or parameters lead to blow-up.")
    return np.sort(lam)[::-1]
