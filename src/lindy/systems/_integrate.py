"""Python front end of the compiled integrators (see ``_kernels``).

Flows use an adaptive Dormand-Prince 8(5,3) method (DOP853) whose steps are
clipped to the output times, or the Rosenbrock method RODAS4 when stiff; maps
are iterated; delay equations use the method of steps (RK4 with Hermite
history); SDEs use Euler-Maruyama. The right-hand side is passed as a
first-class numba function of a fixed signature, so each kernel compiles once
(cached on disk) for all systems and each right-hand side compiles once on
first use.

Compile time is what a fresh install pays first (measured cold): the DOP853
kernel about 2 s, the delay kernel about 1 s, each right-hand side 0.06-0.09 s
(see benchmarks/RESULTS.md). Hence kernels compile one entry point at a time (``kernel``),
right-hand sides without a CPython wrapper (only kernels call them), and the
kernels use element loops rather than array expressions.
"""

from __future__ import annotations

import functools

import numpy as np

from ..errors import NumericalError

__all__ = [
    "compiled_rhs", "compiled_jac", "integrate_flow", "integrate_stiff", "iterate_map",
    "integrate_delay", "integrate_sde", "kernel",
]


#: compiled entry points: name -> module defining ``name`` and ``NAME_SIG``
_KERNEL_MODULES = {
    "flow_batch": "_kernels",
    "rosenbrock_batch": "_rosenbrock",
    "no_jacobian": "_kernels",
    "flow_lyapunov": "_kernels_tangent",
    "map_lyapunov": "_kernels_tangent",
    "map_batch": "_kernels_other",
    "dde_rk4": "_kernels_other",
    "euler_maruyama": "_kernels_other",
}


@functools.cache
def kernel(name: str):
    """The compiled kernel ``name``: compiled (or loaded from numba's disk cache) on first use.

    Each entry point compiles alone, with its explicit signature, so that e.g.
    simulating a flow compiles DOP853 only; first-class function arguments keep
    one compiled kernel for every right-hand side.
    """
    import importlib

    import numba as nb

    module = importlib.import_module(f".{_KERNEL_MODULES[name]}", __package__)
    signature = getattr(module, f"{name.upper()}_SIG")
    return nb.njit(signature, cache=True, error_model="numpy")(getattr(module, name))


@functools.cache
def _signatures():
    """(rhs, jac) numba signatures, built without compiling any kernel."""
    from numba import types

    args = (types.float64, types.float64[::1], types.float64[::1])
    return types.float64[::1](*args), types.float64[:, ::1](*args)


@functools.cache
def compiled_rhs(func):
    """The numba-compiled version of a pure right-hand side ``func(t, x, p)``."""
    import numba as nb

    return nb.njit(_signatures()[0], cache=True, error_model="numpy", no_cpython_wrapper=True)(func)


@functools.cache
def compiled_jac(func):
    """The numba-compiled version of a pure Jacobian ``func(t, x, p) -> (d, d)``."""
    import numba as nb

    return nb.njit(_signatures()[1], cache=True, error_model="numpy")(func)


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
    if status == 3:
        raise NumericalError(
            f"{name}: the step size underflowed at sample {reached} of {total}; the "
            "solution is probably singular (finite-time blow-up) from this initial condition."
        )


def _check(out, status, reached, name, total):
    for s, r in zip(status, reached):
        _raise(int(s), name, int(r), total)
    return out


def integrate_flow(system, X0: np.ndarray, t_out: np.ndarray, rtol: float = 1e-10,
                   atol: float = 1e-12, max_steps: int = 20_000_000,
                   detect_stiff: bool = False):
    """Integrate a flow from each row of ``X0`` (B, d) and sample at ``t_out``: (B, T, d).

    With ``detect_stiff`` returns ``(out, stiff)`` where ``stiff`` (B,) marks the
    rows stopped by DOP853's stiffness test (their samples are NaN from there on).
    """
    X0 = np.array(np.atleast_2d(X0), dtype=float, order="C")
    t_out = np.ascontiguousarray(t_out, dtype=float)
    out, status, reached = kernel("flow_batch")(
        compiled_rhs(system.rhs), X0, system.param_array, t_out, float(rtol), float(atol),
        int(max_steps), int(detect_stiff))
    stiff = status == 4
    status[stiff] = 0
    out = _check(out, status, reached, system.name, t_out.shape[0])
    return (out, stiff) if detect_stiff else out


def integrate_stiff(system, X0: np.ndarray, t_out: np.ndarray, rtol: float = 1e-10,
                    atol: float = 1e-12, max_steps: int = 20_000_000):
    """Integrate a flow with the Rosenbrock method RODAS4 (see ``_rosenbrock``).

    Uses the analytic Jacobian when the system has one, finite differences
    otherwise. Returns the states (B, T, d) and the counts (B, 2) of steps
    (accepted and rejected) and right-hand-side evaluations.
    """
    X0 = np.array(np.atleast_2d(X0), dtype=float, order="C")
    t_out = np.array(t_out, dtype=float, order="C")
    use_jac = int(system.jac is not None)
    jac = compiled_jac(system.jac) if use_jac else kernel("no_jacobian")
    out, status, reached, stats = kernel("rosenbrock_batch")(
        compiled_rhs(system.rhs), jac, use_jac, X0, system.param_array, t_out, float(rtol),
        float(atol), int(max_steps))
    return _check(out, status, reached, system.name, t_out.shape[0]), stats


def iterate_map(system, X0: np.ndarray, n_out: int, every: int = 1) -> np.ndarray:
    """Iterate a map from each row of ``X0``; keep every ``every``-th state: (B, n_out, d)."""
    X0 = np.array(np.atleast_2d(X0), dtype=float, order="C")
    out, status, reached = kernel("map_batch")(compiled_rhs(system.rhs), X0, system.param_array,
                                       int(n_out), int(every))
    return _check(out, status, reached, system.name, n_out)


def _history(system, x0, history, tau, h, m):
    """History and its derivative on the grid ``-tau, ..., 0``, flattened."""
    s = -tau + h * np.arange(m + 1)
    if history is None:
        hx = np.tile(np.asarray(x0, dtype=float), (m + 1, 1))
    else:
        hx = np.array([np.asarray(history(float(si)), dtype=float).reshape(system.dim)
                       for si in s])
        if not np.all(np.isfinite(hx)):
            raise NumericalError(f"{system.name}: the history function returned non-finite values.")
    hf = np.gradient(hx, h, axis=0) if m > 1 else np.zeros_like(hx)
    return np.ascontiguousarray(hx.ravel()), np.ascontiguousarray(hf.ravel())


def integrate_delay(system, x0: np.ndarray, t_out: np.ndarray, history=None,
                    step: float | None = None, sigma: float = 0.0, rng=None) -> np.ndarray:
    """Integrate a delay equation (delay ``params["tau"]``) and sample at ``t_out``: (T, d).

    The history on ``[-tau, 0]`` is ``history(t)`` or, by default, constant ``x0``.
    """
    tau = float(system.params["tau"])
    t_out = np.ascontiguousarray(t_out, dtype=float)
    if step is None:
        dt_out = float(np.min(np.diff(t_out))) if t_out.size > 1 else system.dt
        step = min(dt_out / 4.0, tau / 50.0, system.dt / 4.0)
    m = max(int(np.ceil(tau / step)), 1)
    h = tau / m
    hx, hf = _history(system, x0, history, tau, h, m)
    n_grid = int(np.ceil(t_out[-1] / h)) + 2
    if sigma > 0:
        noise = np.ascontiguousarray(rng.standard_normal((n_grid, system.dim)))
    else:
        noise = np.zeros((1, system.dim))
    out, status = kernel("dde_rk4")(compiled_rhs(system.rhs), hx, hf, system.param_array, h, m,
                            t_out - t_out[0], float(sigma), noise)
    _raise(int(status), system.name, 0, t_out.shape[0])
    return out


def integrate_sde(system, x0: np.ndarray, t_out: np.ndarray, sigma, rng,
                  substeps: int = 10) -> np.ndarray:
    """Euler-Maruyama (flows) or noisy iteration (maps) with additive noise: (T, d)."""
    t_out = np.ascontiguousarray(t_out, dtype=float)
    sig = np.broadcast_to(np.asarray(sigma, dtype=float), (system.dim,)).copy()
    is_map = int(system.kind == "map" or system.meta.get("discrete", False))
    if is_map:
        substeps = max(int(round(t_out[1] - t_out[0])), 1) if t_out.size > 1 else 1
    noise = np.ascontiguousarray(rng.standard_normal(((t_out.size - 1) * substeps + 1,
                                                      system.dim)))
    out, status = kernel("euler_maruyama")(compiled_rhs(system.rhs), is_map,
                                   np.ascontiguousarray(x0, dtype=float), system.param_array,
                                   t_out, int(substeps), sig, noise)
    _raise(int(status), system.name, out.shape[0], t_out.shape[0])
    return out
