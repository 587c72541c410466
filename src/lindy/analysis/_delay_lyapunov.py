"""Lyapunov exponents of delay equations ``x'(t) = f(x(t), x(t - tau))`` from the
equations (not from data).

The state of a delay equation is the segment ``x`` on ``[t - tau, t]``. The
linearized equation ``v'(t) = A(t) v(t) + B(t) v(t - tau)`` (directional central
differences of ``f``) is integrated together with ``x`` by the method of steps,
RK4 with step ``h = tau / m`` and cubic Hermite values at the half steps (the
stepper that simulates delay equations, in ``lindy.systems.integrators``); every
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

import numbers

import numpy as np

from .._validation import check_positive_int, check_rng
from ..errors import NumericalError, ValidationError

__all__ = ["delay_lyapunov_spectrum"]


def delay_lyapunov_spectrum(system, n_exponents: int = 1, *, x0=None, m: int = 200,
                            interval: float | None = None, t_average: float | None = None,
                            t_transient: float | None = None, random_state=0) -> np.ndarray:
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
    random_state : int, Generator or None, default 0
        Randomness of the initial tangent segments (an int seeds them directly).

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
    from ..systems.integrators import compiled, compiled_rhs

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
    seed = (int(random_state) if isinstance(random_state, numbers.Integral)
            else int(check_rng(random_state).integers(2 ** 31)))
    spr = max(int(round(interval / h)), 1)
    n_renorm = max(int(round(t_average / (spr * h))), 1)
    n_skip = int(round(t_transient / (spr * h)))
    lam, status = compiled("delay_lyapunov")(compiled_rhs(system.rhs), x, system.param_array,
                                              tau, m, k, spr, n_renorm, n_skip, seed)
    if status != 0:
        raise NumericalError(f"{system.name}: the delay equation became non-finite; the "
                             "history or parameters lead to blow-up.")
    return np.sort(lam)[::-1]
