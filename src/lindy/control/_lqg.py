"""LQG: an LQR gain on the estimate of a steady-state Kalman filter, with optional integral action.

The filter is the steady-state limit of :func:`lindy.ssm.kalman_filter` (the
same recursion with its covariance frozen at the Riccati solution): predict
``x- = A x + B u_prev``, update ``x = x- + L (y - C x-)``. With
``integral_weight`` an integrator ``xi+ = xi + (y - r)`` is appended to the
state and the LQR gain is computed for the augmented system, which removes the
steady-state offset a learned model's errors or a constant disturbance leave.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from .._validation import check_array, check_psd
from ..errors import NumericalError, ShapeError
from ._models import as_state_space
from ._riccati import dlqr

__all__ = ["LQG", "kalman_gain"]


def kalman_gain(A, C, W, V):
    """Steady-state Kalman filter gain ``L`` and predicted covariance ``P``.

    ``P = A P A' - A P C' (C P C' + V)^{-1} C P A' + W`` (the filter's Riccati
    equation) and ``L = P C' (C P C' + V)^{-1}`` (the measurement-update gain;
    python-control's ``dlqe`` returns the predictor gain ``A L``).

    Parameters
    ----------
    A : array_like (n, n)
    C : array_like (p, n)
    W : array_like (n, n)
        Process-noise covariance.
    V : array_like (p, p)
        Measurement-noise covariance (positive definite).

    Returns
    -------
    L : ndarray (n, p)
    P : ndarray (n, n)

    Examples
    --------
    >>> import numpy as np
    >>> L, P = kalman_gain([[1.0]], [[1.0]], [[1.0]], [[1.0]])
    >>> float(P[0, 0]).__round__(4), float(L[0, 0]).__round__(4)
    (1.618, 0.618)
    """
    A, C = np.atleast_2d(np.asarray(A, float)), np.atleast_2d(np.asarray(C, float))
    n, p = A.shape[0], C.shape[0]
    W, V = check_psd(W, "W", n=n), check_psd(np.atleast_2d(V), "V", n=p, strict=True)
    try:
        P = linalg.solve_discrete_are(A.T, C.T, W, V)
    except (np.linalg.LinAlgError, ValueError) as err:
        raise NumericalError(
            f"The Kalman filter's Riccati equation has no stabilizing solution ({err}): (A, C) "
            "must be detectable. Measure the unobserved unstable modes or reduce the model.") from None
    P = 0.5 * (P + P.T)
    S = C @ P @ C.T + V
    L = linalg.cho_solve(linalg.cho_factor(S), C @ P).T
    return L, P


class LQG:
    """Output-feedback LQG controller (LQR + steady-state Kalman filter), optional integral action.

    Parameters
    ----------
    model : DMDc, EDMDc, LGSSMParams, LTISystem or tuple (A, B, C)
        The model; for LGSSMParams the noise covariances default to its ``Q, R``.
    Q : array_like (n, n)
        State weight of the LQR.
    R : array_like (m, m)
        Input weight.
    W : array_like (n, n), optional
        Process-noise covariance (default: the LGSSMParams' ``Q``, else identity).
    V : array_like (p, p), optional
        Measurement-noise covariance (default: the LGSSMParams' ``R``, else identity).
    integral_weight : array_like (p, p), optional
        Weight on the integrated output error; enables integral action.
    reference : array_like (p,), optional
        Output set point (default zero).
    m0 : array_like (n,), optional
        Initial state estimate (default zeros).

    Attributes
    ----------
    K : ndarray (m, n) or (m, n + p)
        LQR gain (on ``[x, xi]`` with integral action).
    L : ndarray (n, p)
        Kalman gain.
    measures : str
        ``"output"``: :func:`closed_loop` feeds it ``y = C x``.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> sys = ld.systems.random_lti(3, 1, 1, random_state=0)
    >>> lqg = ld.control.LQG(sys, Q=np.eye(3), R=np.eye(1))
    >>> traj = ld.control.closed_loop(sys, lqg, 50, np.ones(3), obs_noise_std=0.01, random_state=0)
    >>> bool(np.abs(traj.x[-1]).max() < 0.1)
    True
    """

    measures = "output"

    def __init__(self, model, Q, R, W=None, V=None, *, integral_weight=None, reference=None, m0=None):
        A, B, C = as_state_space(model)
        n, m, p = A.shape[0], B.shape[1], C.shape[0]
        W = getattr(model, "Q", None) if W is None and hasattr(model, "m0") else W
        V = getattr(model, "R", None) if V is None and hasattr(model, "m0") else V
        self.A, self.B, self.C = A, B, C
        self.L, self.P = kalman_gain(A, C, np.eye(n) if W is None else W, np.eye(p) if V is None else V)
        self.reference = np.zeros(p) if reference is None else check_array(
            np.atleast_1d(reference), "reference", ndim=1)
        if self.reference.shape != (p,):
            raise ShapeError(f"reference must have {p} entries; got {self.reference.shape}.")
        self.integral = integral_weight is not None
        Q = check_psd(Q, "Q", n=n)
        if self.integral:
            Qi = check_psd(np.atleast_2d(integral_weight), "integral_weight", n=p)
            Aa = np.block([[A, np.zeros((n, p))], [C, np.eye(p)]])
            Ba = np.vstack([B, np.zeros((p, m))])
            self.K = dlqr(Aa, Ba, linalg.block_diag(Q, Qi), R)[0]
        else:
            self.K = dlqr(A, B, Q, R)[0]
        self._m0 = np.zeros(n) if m0 is None else check_array(m0, "m0", ndim=1)
        self.reset()

    def reset(self) -> None:
        """Restart the filter at ``m0`` with zero integrator and previous input."""
        self._x_pred = self._m0.copy()
        self._xi = np.zeros(self.C.shape[0])
        self._u = np.zeros(self.B.shape[1])
        self.estimate_ = self._m0.copy()
        self._started = False

    def step(self, y, u_prev=None, reference=None) -> np.ndarray:
        """Filter the measurement ``y (p,)`` and return the next input ``u (m,)``.

        Parameters
        ----------
        y : array_like (p,)
            Measurement at the current sample.
        u_prev : array_like (m,), optional
            Input actually applied since the previous sample (default: the one
            this controller returned, which is right unless it was saturated).
        reference : array_like (p,), optional
            Output set point (default ``self.reference``).

        Returns
        -------
        ndarray (m,)
        """
        y = check_array(np.atleast_1d(y), "y", ndim=1)
        if y.shape[0] != self.C.shape[0]:
            raise ShapeError(f"y must have {self.C.shape[0]} entries; got {y.shape[0]}.")
        if u_prev is not None:
            self._u = np.atleast_1d(np.asarray(u_prev, float))
        if self._started:
            self._x_pred = self.A @ self.estimate_ + self.B @ self._u
        self._started = True
        x = self._x_pred + self.L @ (y - self.C @ self._x_pred)
        self.estimate_ = x
        r = self.reference if reference is None else np.atleast_1d(np.asarray(reference, float))
        if self.integral:
            # steady-state offset of the regulator is removed by the integrator
            u = -self.K @ np.concatenate([x, self._xi])
            self._xi = self._xi + (y - r)
        else:
            u = -self.K @ x
        self._u = u
        return u

    def control(self, y, reference=None) -> np.ndarray:
        """The input for measurement ``y``: :meth:`step` with the previously returned input."""
        return self.step(y, None, reference)

    def stage_cost(self, x, u, reference=None) -> float:
        """``|C x - r|^2 + |u|^2`` (unit weights; pass ``cost=`` to closed_loop for others)."""
        r = self.reference if reference is None else np.asarray(reference, float)
        e = self.C @ np.asarray(x, float) - r
        return float(e @ e + np.asarray(u, float) @ np.asarray(u, float))
