"""The integrate functions: validate, call the compiled entry points, raise on failure.

Flows use an adaptive Dormand-Prince 8(5,3) method (DOP853, ``_dop853``) whose
steps are clipped to the output times, or the Rosenbrock method RODAS4
(``_rodas4``) when stiff; maps are iterated (``_map_iteration``); delay
equations use the method of steps (RK4 with Hermite history, ``_delay``); SDEs
use Euler-Maruyama (``_sde``). Each compiled loop compiles on first use
(``_compiled.compiled``) and each right-hand side once (``compiled_rhs``).
"""

from __future__ import annotations

import numpy as np

from ..._validation import check_rng
from ...errors import NumericalError
from ._compiled import compiled, compiled_jac, compiled_rhs

__all__ = ["integrate_flow", "integrate_stiff", "iterate_map", "integrate_delay",
           "integrate_sde"]


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
    """Integrate a flow with DOP853 from each row of ``X0`` and sample at ``t_out``.

    Parameters
    ----------
    system : System
        A flow.
    X0 : ndarray, shape (B, d) or (d,)
        Initial states.
    t_out : ndarray, shape (T,)
        Increasing output times; ``t_out[0]`` is the initial time.
    rtol, atol : float
        Tolerances of the adaptive step-size control.
    max_steps : int
        Step cap per trajectory (NumericalError beyond).
    detect_stiff : bool, default False
        Stop a trajectory when Hairer's stiffness test fires.

    Returns
    -------
    out : ndarray, shape (B, T, d)
    stiff : ndarray of bool, shape (B,)
        Only with ``detect_stiff``: the rows stopped as stiff (their samples are
        NaN from there on).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.systems import get_system
    >>> integrate_flow(get_system("Lorenz"), get_system("Lorenz").x0, np.arange(3.0)).shape
    (1, 3, 3)
    """
    X0 = np.array(np.atleast_2d(X0), dtype=float, order="C")
    t_out = np.ascontiguousarray(t_out, dtype=float)
    out, status, reached = compiled("dop853_batch")(
        compiled_rhs(system.rhs), X0, system.param_array, t_out, float(rtol), float(atol),
        int(max_steps), int(detect_stiff))
    stiff = status == 4
    status[stiff] = 0
    out = _check(out, status, reached, system.name, t_out.shape[0])
    return (out, stiff) if detect_stiff else out


def integrate_stiff(system, X0: np.ndarray, t_out: np.ndarray, rtol: float = 1e-10,
                    atol: float = 1e-12, max_steps: int = 20_000_000):
    """Integrate a flow with the Rosenbrock method RODAS4 (see ``_rodas4``).

    Uses the analytic Jacobian when the system has one, finite differences
    otherwise.

    Parameters
    ----------
    system : System
        A flow.
    X0 : ndarray, shape (B, d) or (d,)
    t_out : ndarray, shape (T,)
    rtol, atol : float
    max_steps : int

    Returns
    -------
    out : ndarray, shape (B, T, d)
    stats : ndarray, shape (B, 2)
        Steps (accepted and rejected) and right-hand-side evaluations.
    """
    X0 = np.array(np.atleast_2d(X0), dtype=float, order="C")
    t_out = np.array(t_out, dtype=float, order="C")
    use_jac = int(system.jac is not None)
    jac = compiled_jac(system.jac) if use_jac else compiled("no_jacobian")
    out, status, reached, stats = compiled("rodas4_batch")(
        compiled_rhs(system.rhs), jac, use_jac, X0, system.param_array, t_out, float(rtol),
        float(atol), int(max_steps))
    return _check(out, status, reached, system.name, t_out.shape[0]), stats


def iterate_map(system, X0: np.ndarray, n_out: int, every: int = 1) -> np.ndarray:
    """Iterate a map from each row of ``X0``; keep every ``every``-th state.

    Parameters
    ----------
    system : System
        A map.
    X0 : ndarray, shape (B, d) or (d,)
    n_out : int
        Number of states kept (the first is ``X0``).
    every : int, default 1

    Returns
    -------
    ndarray, shape (B, n_out, d)
    """
    X0 = np.array(np.atleast_2d(X0), dtype=float, order="C")
    out, status, reached = compiled("map_batch")(compiled_rhs(system.rhs), X0, system.param_array,
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
                    step: float | None = None, sigma: float = 0.0,
                    random_state=None) -> np.ndarray:
    """Integrate a delay equation (delay ``params["tau"]``) by the method of steps.

    Parameters
    ----------
    system : System
        A delay equation.
    x0 : ndarray, shape (d,)
        State at time 0 (and the constant history unless ``history`` is given).
    t_out : ndarray, shape (T,)
        Output times.
    history : callable, optional
        ``history(t)`` for ``t`` in ``[-tau, 0]``.
    step : float, optional
        RK4 step (rounded to ``tau / m``); default from the output spacing.
    sigma : float, default 0
        Additive process-noise intensity.
    random_state : int, Generator or None
        Randomness of the process noise.

    Returns
    -------
    ndarray, shape (T, d)
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
        noise = np.ascontiguousarray(check_rng(random_state).standard_normal((n_grid,
                                                                            system.dim)))
    else:
        noise = np.zeros((1, system.dim))
    out, status = compiled("delay_batch")(compiled_rhs(system.rhs), hx, hf, system.param_array, h, m,
                            t_out - t_out[0], float(sigma), noise)
    _raise(int(status), system.name, 0, t_out.shape[0])
    return out


def integrate_sde(system, x0: np.ndarray, t_out: np.ndarray, sigma, random_state=None,
                  substeps: int = 10) -> np.ndarray:
    """Euler-Maruyama (flows) or noisy iteration (maps) with additive noise.

    Parameters
    ----------
    system : System
    x0 : ndarray, shape (d,)
    t_out : ndarray, shape (T,)
    sigma : float or ndarray, shape (d,)
        Noise intensity per coordinate.
    random_state : int, Generator or None
    substeps : int, default 10
        Euler-Maruyama steps between output times (flows).

    Returns
    -------
    ndarray, shape (T, d)
    """
    t_out = np.ascontiguousarray(t_out, dtype=float)
    sig = np.broadcast_to(np.asarray(sigma, dtype=float), (system.dim,)).copy()
    is_map = int(system.kind == "map" or system.meta.get("discrete", False))
    if is_map:
        substeps = max(int(round(t_out[1] - t_out[0])), 1) if t_out.size > 1 else 1
    noise = np.ascontiguousarray(check_rng(random_state).standard_normal(((t_out.size - 1) * substeps + 1,
                                                      system.dim)))
    out, status = compiled("euler_maruyama")(compiled_rhs(system.rhs), is_map,
                                   np.ascontiguousarray(x0, dtype=float), system.param_array,
                                   t_out, int(substeps), sig, noise)
    _raise(int(status), system.name, out.shape[0], t_out.shape[0])
    return out
