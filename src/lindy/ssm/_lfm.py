"""Gaussian-process latent force models: joint input-state estimation (GPLFM).

A linear single-degree-of-freedom oscillator ``m x'' + c x' + k x = f(t)`` is
driven by an unknown force modelled as a GP with a state-space kernel. The
force's SDE is appended to the mechanical state, the augmented continuous
model is discretized exactly at the sample times, and the Kalman filter / RTS
smoother estimate displacement, velocity and force jointly in O(T). Force
hyperparameters and the noise are fitted by marginal likelihood. Unmodelled
restoring forces (e.g. a Duffing cubic term) are absorbed into the estimated
force, which is how GPLFMs are used on nonlinear structures.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from .._validation import check_array, check_nonnegative_float
from ..errors import LindyError, NotFittedError, ShapeError, ValidationError
from ._continuous import _check_times, discretize
from ._gp import Matern32, _Kernel
from ._kalman import kalman_filter, log_likelihood, rts_smoother
from ._params import LGSSMParams

__all__ = ["LatentForceModel"]

_OBS = ("displacement", "velocity", "acceleration")


class LatentForceModel:
    """Latent force model of a linear oscillator driven by an unknown GP force.

    Parameters
    ----------
    mass, damping, stiffness : float
        Known mechanical parameters ``m > 0, c >= 0, k >= 0``.
    kernel : kernel, default Matern32(lengthscale=1, variance=1)
        State-space kernel of the force (starting point of the fit).
    noise : float or sequence of float, default 1e-2
        Measurement-noise variance per observed channel.
    observe : str or tuple of str, default "displacement"
        Measured channels among ``"displacement"``, ``"velocity"``, ``"acceleration"``.
    optimize : bool, default True
        Fit the force hyperparameters and noise variances by marginal likelihood.
    state_var : float, default 1.0
        Prior variance of the initial displacement and velocity.

    Attributes
    ----------
    kernel_, noise_ : fitted force kernel and noise variances (ndarray (p,))
    states_ : ndarray (T, 2)
        Smoothed displacement and velocity.
    states_std_ : ndarray (T, 2)
    force_ : ndarray (T,)
        Smoothed force estimate.
    force_std_ : ndarray (T,)
    log_marginal_likelihood_ : float

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LatentForceModel
    >>> t = np.linspace(0, 20, 401)
    >>> lfm = LatentForceModel(mass=1.0, damping=0.2, stiffness=4.0, optimize=False)
    >>> lfm.fit(t, np.sin(t)[:, None] * 0.1).force_.shape
    (401,)
    """

    def __init__(self, mass=1.0, damping=0.1, stiffness=1.0, kernel=None, noise=1e-2,
                 observe="displacement", optimize=True, state_var=1.0):
        self.mass = mass
        self.damping = damping
        self.stiffness = stiffness
        self.kernel = kernel
        self.noise = noise
        self.observe = observe
        self.optimize = optimize
        self.state_var = state_var

    # ----------------------------------------------------------------- model
    def _channels(self) -> tuple[str, ...]:
        obs = (self.observe,) if isinstance(self.observe, str) else tuple(self.observe)
        bad = [o for o in obs if o not in _OBS]
        if bad or not obs:
            raise ValidationError(f"observe must be among {_OBS}; got {self.observe!r}.")
        return obs

    def _params(self, kernel, noise, t) -> LGSSMParams:
        m = self.mass
        c = check_nonnegative_float(self.damping, "damping")
        k = check_nonnegative_float(self.stiffness, "stiffness")
        sde = kernel.sde()
        nf = sde.F.shape[0]
        n = 2 + nf
        F = np.zeros((n, n))
        F[0, 1] = 1.0
        F[1, 0], F[1, 1] = -k / m, -c / m
        F[1, 2:] = sde.H[0] / m
        F[2:, 2:] = sde.F
        L = np.zeros((n, sde.L.shape[1]))
        L[2:] = sde.L
        rows = {"displacement": np.eye(n)[0], "velocity": np.eye(n)[1], "acceleration": F[1]}
        H = np.array([rows[o] for o in self._channels()])
        P0 = np.zeros((n, n))
        P0[:2, :2] = self.state_var * np.eye(2)
        P0[2:, 2:] = sde.Pinf
        T = t.shape[0]
        A = np.broadcast_to(np.eye(n), (T, n, n)).copy()
        Q = np.zeros((T, n, n))
        if T > 1:
            A[:-1], Q[:-1] = discretize(F, L, sde.Qc, np.diff(t))
        return LGSSMParams(A=A, C=H, Q=Q, R=np.diag(noise), m0=np.zeros(n), P0=P0,
                           time_varying=True)

    # ------------------------------------------------------------------- fit
    def fit(self, t, y):
        """Estimate force hyperparameters (optional), states and force.

        Parameters
        ----------
        t : array_like (T,)
            Strictly increasing sample times (irregular sampling allowed).
        y : array_like (T, p)
            Measurements of the ``observe`` channels (NaN = missing).

        Returns
        -------
        self
        """
        if not (np.isfinite(self.mass) and self.mass > 0):
            raise ValidationError(f"mass must be > 0; got {self.mass!r}.")
        chans = self._channels()
        t = _check_times(t)
        y = check_array(y, "y", ndim=(1, 2), allow_nan=True)
        y = y[:, None] if y.ndim == 1 else y
        if y.shape != (t.shape[0], len(chans)):
            raise ShapeError(f"y must have shape ({t.shape[0]}, {len(chans)}) for observe="
                             f"{chans}; got {y.shape}.")
        kernel = Matern32() if self.kernel is None else self.kernel
        if not isinstance(kernel, _Kernel):
            raise ValidationError(f"kernel must be a lindy.ssm kernel; got {kernel!r}.")
        noise = np.broadcast_to(np.asarray(self.noise, dtype=float), (len(chans),)).copy()
        if np.any(noise <= 0):
            raise ValidationError(f"noise variances must be > 0; got {self.noise!r}.")
        if self.optimize:
            theta0 = np.concatenate([kernel.log_params, np.log(noise)])
            nk = kernel.log_params.size

            def objective(theta):
                try:
                    with np.errstate(over="raise", invalid="raise", divide="raise"):
                        p = self._params(kernel.with_log_params(theta[:nk]), np.exp(theta[nk:]), t)
                        return -float(log_likelihood(p, y))
                except (LindyError, np.linalg.LinAlgError, FloatingPointError):
                    return 1e10

            opt = minimize(objective, theta0, method="L-BFGS-B", bounds=[(-15.0, 15.0)] * theta0.size)
            kernel, noise = kernel.with_log_params(opt.x[:nk]), np.exp(opt.x[nk:])
        params = self._params(kernel, noise, t)
        filt = kalman_filter(params, y)
        sm = rts_smoother(params, filt)
        hf = np.zeros(params.state_dim)
        hf[2:] = kernel.sde().H[0]
        self.kernel_, self.noise_ = kernel, noise
        self.log_marginal_likelihood_ = float(filt.log_likelihood)
        self.states_ = sm.means[:, :2]
        self.states_std_ = np.sqrt(np.maximum(np.diagonal(sm.covariances, axis1=1, axis2=2)[:, :2], 0))
        self.force_ = sm.means @ hf
        self.force_std_ = np.sqrt(np.maximum(np.einsum("i,kij,j->k", hf, sm.covariances, hf), 0))
        self.t_ = t
        return self

    def force_interval(self, z: float = 1.96):
        """Pointwise credible band ``force_ -/+ z * force_std_`` of the fitted force."""
        if not hasattr(self, "force_"):
            raise NotFittedError("This LatentForceModel is not fitted yet; call fit(t, y) first.")
        return self.force_ - z * self.force_std_, self.force_ + z * self.force_std_
