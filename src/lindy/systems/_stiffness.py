"""Stiffness of a flow, measured along a trajectory: which integrator ``"auto"`` picks.

The stiffness index is ``S = P * max_t max_i (-Re lambda_i(J(x(t))))``: the
period ``P`` times the fastest decay rate of the linearized flow seen along the
trajectory. An explicit method of stability interval ``beta`` on the negative
real axis (DOP853: about 6) needs at least ``S / beta`` steps per period for
stability alone, whatever the tolerance; a system is marked stiff when
``S > STIFF_THRESHOLD``.

The threshold is measured (10 periods, 1001 samples, default rtol 1e-10): Van
der Pol with mu = 100 (S = 4.9e4) still runs faster with DOP853 (82k steps,
53 ms) than with RODAS4 (176k steps, 135 ms), while mu = 1000 (S = 4.8e6) takes
DOP853 3.0 s and RODAS4 0.16 s (202k steps). The flows of the published
collection have S <= 1.3e3 at their default parameters (largest:
BelousovZhabotinsky, CoevolvingPredatorPrey, Bouali2) and DOP853 is 3-60 times
faster on all of them, so none is marked stiff.

The index describes the default parameters. For other parameters (``with_params``
drops the flag) ``simulate(integrator="auto")`` relies on DOP853's own stiffness
test (see ``integrators._dop853``), which hands a trajectory over to RODAS4: it fires for
Van der Pol at mu = 1000 (0.17 s instead of 2.9 s) but not at mu = 100, nor on
any flow of the collection at its default parameters.
"""

from __future__ import annotations

import numpy as np

__all__ = ["stiffness_index", "STIFF_THRESHOLD"]

#: stiffness index above which ``simulate(integrator="auto")`` uses RODAS4
STIFF_THRESHOLD = 1.0e5


def _jacobian(system, t: float, x: np.ndarray, p: np.ndarray) -> np.ndarray:
    if system.jac is not None:
        return np.asarray(system.jac(t, x, p), dtype=float)
    f0 = np.asarray(system.rhs(t, x, p), dtype=float)
    J = np.empty((x.size, x.size))
    for j in range(x.size):
        dx = 1.4901161193847656e-08 * max(1.0, abs(x[j]))
        xp = x.copy()
        xp[j] += dx
        J[:, j] = (np.asarray(system.rhs(t, xp, p), dtype=float) - f0) / dx
    return J


def stiffness_index(system, X: np.ndarray, period: float, t=None) -> float:
    """Period times the fastest decay rate of the Jacobian along a trajectory.

    Parameters
    ----------
    system : System
        A flow.
    X : ndarray, shape (T, dim)
        States along a trajectory.
    period : float
        The dominant period of the flow.
    t : ndarray, shape (T,), optional
        Times of the states (default zeros; only non-autonomous flows use them).

    Returns
    -------
    float
        ``period * max over samples of max(-Re(eigenvalues))`` (0 if nothing decays).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.systems import get_system
    >>> vdp = get_system("VanDerPol")
    >>> s = stiffness_index(vdp, np.array([[0.0, 1.0]]), 1.0)
    >>> bool(np.isclose(s, -min(0.0, np.linalg.eigvals(vdp.jac(0.0, np.array([0.0, 1.0]),
    ...      vdp.param_array)).real.min())))
    True
    """
    p = system.param_array
    X = np.atleast_2d(np.asarray(X, dtype=float))
    t = np.zeros(X.shape[0]) if t is None else np.asarray(t, dtype=float)
    rate = 0.0
    for ti, x in zip(t, X):
        lam = np.linalg.eigvals(_jacobian(system, float(ti), x, p))
        if np.all(np.isfinite(lam)):
            rate = max(rate, float(-lam.real.min()))
    return float(period) * rate
