"""Lyapunov spectra by the QR (Benettin) method, using the system's Jacobian.

The tangent dynamics ``Q' = J(x) Q`` (flows, integrated with DOP853 together
with the state) or ``Q <- J(x) Q`` (maps) is re-orthonormalized by QR every
``tau``; the exponents are the time averages of ``log |R_ii|``. Without an
analytic Jacobian, ``J Q`` comes from central finite differences of the
right-hand side.

References
----------
Benettin, G., Galgani, L., Giorgilli, A. and Strelcyn, J.-M. (1980). Lyapunov
characteristic exponents for smooth dynamical systems and for Hamiltonian
systems; a method for computing all of them. Meccanica 15, 9-30.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive_int
from ..errors import NumericalError, ValidationError

__all__ = ["lyapunov_spectrum"]


def _system_check(system):
    from ..systems import System

    if not isinstance(system, System):
        raise ValidationError(
            f"lyapunov_spectrum needs a lindy System; got {type(system).__name__}.")
    if system.kind not in ("flow", "map"):
        raise ValidationError(
            f"{system.name} is a {system.kind} system: the QR method needs a finite-dimensional "
            "deterministic flow or map. Use lindy.analysis.delay_lyapunov_spectrum for delay "
            "equations, lindy.analysis.max_lyapunov_rosenstein on data.")


def lyapunov_spectrum(system, n_exponents: int | None = None, *, x0=None,
                      n_renorm: int = 2000, tau: float | None = None,
                      n_transient: int = 100, rtol: float = 1e-9, atol: float = 1e-12,
                      use_jacobian: bool = True) -> np.ndarray:
    """The leading Lyapunov exponents of a flow or map, largest first.

    Parameters
    ----------
    system : System
        A ``"flow"`` or ``"map"`` system.
    n_exponents : int, optional
        How many exponents (default: all ``system.dim``).
    x0 : array_like, shape (dim,), optional
        Starting state (default ``system.x0``); it should lie on (or near) the
        attractor. The first ``n_transient`` renormalization intervals are
        discarded.
    n_renorm : int, default 2000
        Number of averaged renormalizations (maps: iterations).
    tau : float, optional
        Time between renormalizations for flows. Default: the interval the
        regenerate script found for the default parameters
        (``meta["lyapunov_interval"]``: short enough that the exponents spread by
        at most 1.5 e-foldings per interval, else strongly contracting flows
        report too-small negative exponents), or a quarter of ``meta["period"]``,
        or ``10 * system.dt``.
    n_transient : int, default 100
        Renormalizations discarded before averaging.
    rtol, atol : float
        Integrator tolerances (flows).
    use_jacobian : bool, default True
        Use the analytic Jacobian when the system has one (else finite differences).

    Returns
    -------
    ndarray, shape (n_exponents,)
        Exponents per unit time (flows) or per iteration (maps).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.systems import get_system
    >>> lam = lyapunov_spectrum(get_system("Henon"), n_renorm=5000)
    >>> bool(abs(lam[0] - 0.42) < 0.02), bool(abs(lam.sum() - np.log(0.3)) < 1e-9)
    (True, True)
    """
    from ..systems.integrators import compiled, compiled_jac, compiled_rhs

    _system_check(system)
    k = system.dim if n_exponents is None else check_positive_int(n_exponents, "n_exponents")
    if k > system.dim:
        raise ValidationError(f"n_exponents={k} exceeds the dimension {system.dim} of {system.name}.")
    n_renorm = check_positive_int(n_renorm, "n_renorm")
    n_transient = check_positive_int(n_transient, "n_transient", minimum=0)
    x = system.x0 if x0 is None else check_array(x0, "x0", ndim=1)
    if x.shape != (system.dim,):
        raise ValidationError(f"x0 must have {system.dim} entries; got {x.shape[0]}.")
    x = np.array(x, dtype=float)
    f = compiled_rhs(system.rhs)
    has_jac = use_jacobian and system.jac is not None
    jac = compiled_jac(system.jac) if has_jac else compiled("no_jacobian")
    if system.kind == "map":
        lam, status = compiled("map_lyapunov")(f, jac, int(has_jac), x, system.param_array, k,
                                               n_renorm, n_transient)
    else:
        if tau is None:
            period = system.meta.get("period")
            tau = system.meta.get("lyapunov_interval") or (
                0.25 * float(period) if period else 10.0 * system.dt)
        if not np.isfinite(tau) or tau <= 0:
            raise ValidationError(f"tau must be a positive time; got {tau!r}.")
        lam, _, status = compiled("flow_lyapunov")(
            f, jac, 1 if has_jac else 2, x, system.param_array, k, float(tau), n_renorm,
            n_transient, float(rtol), float(atol), 200_000_000)
    if status != 0:
        raise NumericalError(
            f"{system.name}: the tangent integration failed (status {int(status)}); the "
            "trajectory left the attractor or the system is too stiff for these tolerances.")
    return np.sort(lam)[::-1]
