"""Compiled integrators: adaptive Dormand-Prince 5(4) for flows, iteration for maps.

The right-hand side is passed as a first-class numba function of a fixed
signature, so each integrator compiles once (and is cached on disk) for all
systems; each right-hand side compiles once on first use.
"""

from __future__ import annotations

import functools

import numpy as np

from ..errors import NumericalError

__all__ = ["integrate_flow", "iterate_map", "compiled_rhs"]


@functools.lru_cache(maxsize=None)
def _nb():
    import numba as nb
    from numba import types

    sig = types.float64[::1](types.float64, types.float64[::1], types.float64[::1])
    return nb, types, sig


@functools.lru_cache(maxsize=None)
def compiled_rhs(func):
    """The numba-compiled version of a pure right-hand side ``func(t, x, p)``."""
    nb, _, sig = _nb()
    return nb.njit(sig, cache=True)(func)


@functools.lru_cache(maxsize=None)
def _dopri5_kernel():
    nb, types, sig = _nb()
    FT = types.FunctionType(sig)

    @nb.njit(types.Tuple((types.float64[:, ::1], types.int64))(
        FT, types.float64[::1], types.float64[::1], types.float64[::1],
        types.float64, types.float64, types.int64), cache=True)
    def dopri5(f, x0, p, t_out, rtol, atol, max_steps):  # pragma: no cover - compiled
        n_out, d = t_out.shape[0], x0.shape[0]
        out = np.empty((n_out, d))
        out[0] = x0
        x = x0.copy()
        t = t_out[0]
        k1 = f(t, x, p)
        h = min((t_out[1] - t_out[0]) if n_out > 1 else 1.0, 1e-2)
        steps = 0
        for j in range(1, n_out):
            t_end = t_out[j]
            while t < t_end:
                if steps >= max_steps:
                    return out[:j], 1
                last = False
                if t + h >= t_end:
                    h_try = t_end - t
                    last = True
                else:
                    h_try = h
                k2 = f(t + h_try / 5, x + h_try * (k1 / 5), p)
                k3 = f(t + 3 * h_try / 10, x + h_try * (3 * k1 / 40 + 9 * k2 / 40), p)
                k4 = f(t + 4 * h_try / 5, x + h_try * (44 * k1 / 45 - 56 * k2 / 15 + 32 * k3 / 9), p)
                k5 = f(t + 8 * h_try / 9, x + h_try * (19372 * k1 / 6561 - 25360 * k2 / 2187
                                                       + 64448 * k3 / 6561 - 212 * k4 / 729), p)
                k6 = f(t + h_try, x + h_try * (9017 * k1 / 3168 - 355 * k2 / 33 + 46732 * k3 / 5247
                                               + 49 * k4 / 176 - 5103 * k5 / 18656), p)
                xn = x + h_try * (35 * k1 / 384 + 500 * k3 / 1113 + 125 * k4 / 192
                                  - 2187 * k5 / 6784 + 11 * k6 / 84)
                k7 = f(t + h_try, xn, p)
                err_vec = h_try * (71 * k1 / 57600 - 71 * k3 / 16695 + 71 * k4 / 1920
                                   - 17253 * k5 / 339200 + 22 * k6 / 525 - k7 / 40)
                err = 0.0
                for i in range(d):
                    sc = atol + rtol * max(abs(x[i]), abs(xn[i]))
                    err += (err_vec[i] / sc) ** 2
                err = np.sqrt(err / d)
                steps += 1
                if not np.isfinite(err):
                    return out[:j], 2
                if err <= 1.0:
                    t = t_end if last else t + h_try
                    x = xn
                    k1 = k7
                    fac = 10.0 if err == 0.0 else min(10.0, max(0.2, 0.9 * err ** -0.2))
                    if not last:
                        h = h_try * fac
                else:
                    h = h_try * max(0.2, 0.9 * err ** -0.2)
            out[j] = x
        return out, 0

    return dopri5


@functools.lru_cache(maxsize=None)
def _map_kernel():
    nb, types, sig = _nb()
    FT = types.FunctionType(sig)

    @nb.njit(types.Tuple((types.float64[:, ::1], types.int64))(
        FT, types.float64[::1], types.float64[::1], types.int64, types.int64), cache=True)
    def iterate(f, x0, p, n_out, every):  # pragma: no cover - compiled
        d = x0.shape[0]
        out = np.empty((n_out, d))
        out[0] = x0
        x = x0.copy()
        k = 0
        for j in range(1, n_out):
            for _ in range(every):
                x = f(float(k), x, p)
                k += 1
            for i in range(d):
                if not np.isfinite(x[i]):
                    return out[:j], 2
            out[j] = x
        return out, 0

    return iterate


def _raise(status: int, name: str, reached: int, total: int) -> None:
    if status == 1:
        raise NumericalError(
            f"{name}: integration stopped after the maximum number of steps at sample "
            f"{reached} of {total}; the system may be stiff. Loosen rtol or shorten the run."
        )
    if status == 2:
        raise NumericalError(
            f"{name}: the trajectory became non-finite at sample {reached} of {total}; "
            "the initial condition or parameters lead to blow-up."
        )


def integrate_flow(system, x0: np.ndarray, t_out: np.ndarray, rtol: float = 1e-10,
                   atol: float = 1e-12, max_steps: int = 10_000_000) -> np.ndarray:
    """Integrate a flow from ``x0`` and return the states at ``t_out``, shape (T, d)."""
    f = compiled_rhs(system.rhs)
    out, status = _dopri5_kernel()(f, np.ascontiguousarray(x0, dtype=float), system.param_array,
                                   np.ascontiguousarray(t_out, dtype=float), rtol, atol, max_steps)
    _raise(int(status), system.name, out.shape[0], t_out.shape[0])
    return out


def iterate_map(system, x0: np.ndarray, n_out: int, every: int = 1) -> np.ndarray:
    """Iterate a map from ``x0``; keep every ``every``-th state; shape (n_out, d)."""
    f = compiled_rhs(system.rhs)
    out, status = _map_kernel()(f, np.ascontiguousarray(x0, dtype=float), system.param_array,
                                int(n_out), int(every))
    _raise(int(status), system.name, out.shape[0], n_out)
    return out
