"""Koopman MPC: linear MPC on the lifted predictor of an EDMDc model (Korda and Mezić 2018).

The nonlinear plant is replaced by ``z[k+1] = A z[k] + B u[k]`` in lifted
coordinates ``z = lift(x)``, with the linear decoder ``x ≈ C z``. Costs and
constraints on the original state become linear in ``z`` through ``C``, so the
MPC problem stays a QP of the same size as for a linear model, whatever the
nonlinearity; only the current state is lifted at each step.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_psd
from ..errors import ShapeError, ValidationError
from ._models import lifted_predictor
from ._mpc import MPC, MPCPlan

__all__ = ["KoopmanMPC"]


class KoopmanMPC:
    """MPC on a fitted :class:`~lindy.operators.EDMDc` model, constraints on the original state.

    Parameters
    ----------
    model : lindy.operators.EDMDc
        Fitted with inputs, dictionary without delays.
    horizon : int
        Prediction steps.
    Q : array_like (d, d), optional
        Weight on the decoded state's error ``C z - r`` (default identity).
    R : array_like (m, m), optional
        Input weight (default identity).
    P : array_like (r, r), optional
        Terminal weight on the lifted state; default ``C' Q C`` (the stage
        weight on the decoded state).
    u_bounds, x_bounds, du_bounds : (lower, upper), optional
        Bounds on inputs, on the original (decoded) state and on input moves.
    soft_penalty : float, optional
        Soften ``x_bounds`` (see :class:`MPC`); advisable, since a lifted
        predictor is only approximate.
    reference : array_like (d,), optional
        Default state reference.
    integral_gain : float, optional
        Offset-free tracking: the reference given to the lifted MPC is shifted
        by ``integral_gain`` times the running sum of the tracking error
        ``r - x`` on the weighted coordinates (those with a nonzero row in
        ``Q``). A learned predictor's steady state is slightly off the plant's,
        which leaves a constant offset; the integral removes it whenever the
        loop settles (at rest the summed error stops changing only if ``x = r``).
        The sum pauses while an input sits at its bound (anti-windup). The gain
        is per sample and must stay small: on the forced Van der Pol oscillator
        sampled at 0.05, gains 0.05 and 0.1 removed a 2% offset (to 1e-7 and
        1e-4 in 300 steps) while 0.2 left the loop oscillating. ``None``
        (default) disables it.
    tol, max_iter
        OSQP settings, see :class:`MPC`.

    Attributes
    ----------
    mpc : MPC
        The linear MPC on the lifted model.
    predictor : LiftedPredictor

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> data = ld.testing.conformance_data(n_inputs=1)
    >>> model = ld.operators.EDMDc(ld.operators.Polynomial(2)).fit(data)
    >>> kmpc = ld.control.KoopmanMPC(model, horizon=10, R=np.eye(1), u_bounds=(-1, 1))
    >>> kmpc.control(data[0].x[0]).shape
    (1,)
    """

    def __init__(self, model, horizon, Q=None, R=None, P=None, *, u_bounds=None, x_bounds=None,
                 du_bounds=None, soft_penalty=None, reference=None, integral_gain=None, tol=1e-9,
                 max_iter=20000):
        self.predictor = pred = lifted_predictor(model)
        d = pred.C.shape[0]
        Qd = np.eye(d) if Q is None else check_psd(Q, "Q", n=d)
        P = pred.C.T @ Qd @ pred.C if P is None else P
        self.mpc = MPC((pred.A, pred.B, pred.C), horizon, Qd, R, P, u_bounds=u_bounds,
                       x_bounds=x_bounds, du_bounds=du_bounds, soft_penalty=soft_penalty,
                       reference=reference, tol=tol,
                       max_iter=max_iter)
        self.horizon = self.mpc.horizon
        if integral_gain is not None and not (np.isfinite(integral_gain) and integral_gain > 0):
            raise ValidationError(f"integral_gain must be a positive number or None; got {integral_gain!r}.")
        self.integral_gain = integral_gain
        self._weighted = np.any(Qd != 0, axis=1).astype(float)
        self.offset_ = np.zeros(d)

    def lift(self, x) -> np.ndarray:
        """Lifted state ``z (r,)`` of an original state ``x (d,)``."""
        x = check_array(x, "x", ndim=1)
        d = self.predictor.C.shape[0]
        if x.shape[0] != d:
            raise ShapeError(f"x must have {d} entries (the original state); got {x.shape[0]}.")
        return np.asarray(self.predictor.lift(x[None, :]))[-1]

    def reset(self) -> None:
        """Forget the previous input, the warm start and the integrated tracking error."""
        self.mpc.reset()
        self.offset_ = np.zeros_like(self.offset_)

    def plan(self, x, reference=None) -> MPCPlan:
        """The lifted MPC plan from the original state ``x``; ``plan.x`` are lifted states."""
        return self.mpc.plan(self.lift(x), reference)

    def control(self, x, reference=None) -> np.ndarray:
        """The input to apply at the original state ``x (d,)``.

        With ``integral_gain``, the reference (one row, or the ``(H, d)``
        preview window) is shifted by ``offset_``, which then integrates the
        error to the current reference row (the window's first).
        """
        z = self.lift(x)
        if self.integral_gain is None:
            return self.mpc.control(z, reference)
        r = self.mpc.reference if reference is None else np.asarray(reference, dtype=float)
        u = self.mpc.control(z, r + self.offset_)
        now = r if r.ndim == 1 else r[0]
        if not self._saturated(u):  # anti-windup: no integration while an input is at its bound
            self.offset_ = self.offset_ + self.integral_gain * self._weighted * (now - np.asarray(x, float))
        return u

    def _saturated(self, u) -> bool:
        if self.mpc.u_bounds is None:
            return False
        lo, hi = (np.broadcast_to(np.asarray(b, dtype=float), u.shape) for b in self.mpc.u_bounds)
        return bool(np.any(u <= lo + 1e-6) or np.any(u >= hi - 1e-6))

    def stage_cost(self, x, u, reference=None) -> float:
        """``|x - r|_Q^2 + |u - u_s|_R^2`` on the original state (``u_s`` from the lifted model)."""
        r = self.mpc.reference if reference is None else np.atleast_1d(np.asarray(reference, float))
        _, u_s = self.mpc._target(r)
        e, du = np.asarray(x, float) - r, np.asarray(u, float) - u_s
        return float(e @ self.mpc.Q @ e + du @ self.mpc.R @ du)
