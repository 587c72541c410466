"""Default initial conditions of a free run (:meth:`lindy.base.Estimator.simulate`).

For models of the observed variables (Markov or delay models) the initial
condition is a history: ``x0`` (their minimal history), a measured output
window, or the model at rest, i.e. a constant history at its equilibrium
under zero input. The equilibrium solves ``f(x, ..., x; u = 0) = x`` for the
model's own one-step map (its ``_forecast``), so it includes any offset the
model learned (an affine term, a constant feature or bias).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import root

from ._validation import check_array
from .data import Trajectory
from .errors import NumericalError, ShapeError, ValidationError

__all__ = ["history_context", "rest_output"]


def history_context(est, u: np.ndarray, t: np.ndarray, x0, y) -> Trajectory:
    """The context a free run of ``est`` continues (at rest: just before ``t[0]``)."""
    need, d, name = est._min_context(), est.n_features_in_, type(est).__name__
    if x0 is not None:
        x = check_array(x0, "x0", ndim=(1, 2))
        x = x[None, :] if x.ndim == 1 else x
        if x.shape != (need, d):
            shape = f"({d},)" if need == 1 else f"({need}, {d})"
            raise ShapeError(f"x0 must have shape {shape} for {name} (its minimal history); "
                             f"got {np.shape(x0)}.")
    elif y is not None:
        x = y
        if x.shape[0] < need:
            raise ValidationError(f"The output window y has {x.shape[0]} rows; {name} needs at "
                                  f"least {need} (its minimal history). Pass a longer window.")
    else:
        back = t[0] - est._forecast_step() * np.arange(need, 0, -1)
        rest = np.tile(est._rest_output(), (need, 1))
        return Trajectory(t=back, x=rest, u=np.zeros((need, est.n_inputs_)))
    w = x.shape[0]
    if w > u.shape[0]:
        raise ShapeError(f"x0 has {w} rows but u only {u.shape[0]}.")
    return Trajectory(t=t[:w], x=x, u=u[:w])


def rest_output(est) -> np.ndarray:
    """Equilibrium ``x`` of ``est`` under zero input: one step from a constant history is ``x``.

    Raises a NumericalError when no equilibrium is found (e.g. an integrator, or
    a diverging nonlinear model); then pass ``x0`` or a measured window ``y``.
    """
    need, d, m = est._min_context(), est.n_features_in_, est.n_inputs_
    t = est._forecast_step() * np.arange(need)
    zeros_m = np.zeros((need, m))

    def residual(x):
        ctx = Trajectory(t=t, x=np.tile(x, (need, 1)), u=zeros_m)
        return est._forecast(ctx, 1, np.zeros((1, m))).x[0] - x

    sol = root(residual, np.zeros(d), method="hybr", options={"xtol": 1e-13})
    # judged by the residual: hybr reports "no progress" when it starts at the root
    if not np.all(np.isfinite(sol.x)) \
            or np.abs(residual(sol.x)).max() > 1e-8 * max(1.0, np.abs(sol.x).max()):
        raise NumericalError(
            f"{type(est).__name__} has no equilibrium under zero input that could be found "
            f"({sol.message}), so there is no state of rest to start from. Pass x0 or a "
            "measured output window y to simulate.")
    return sol.x
