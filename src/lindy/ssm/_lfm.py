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

from dataclasses import dataclass

import numpy as np

from .._validation import check_array, check_nonnegative_float
from ..errors import ShapeError, ValidationError
from ._continuous import _check_times, discretize
from ._gp import Matern32
from ._hyperparameters import check_kernel, maximize_marginal_likelihood
from ._kalman import kalman_filter, log_likelihood, rts_smoother
from ._params import LGSSMParams

__all__ = ["LatentForceResult", "fit_latent_force"]

_OBS = ("displacement", "velocity", "acceleration")


@dataclass(frozen=True, eq=False)
class LatentForceResult:
    """Output of :func:`fit_latent_force`: fitted hyperparameters and smoothed estimates.

    Attributes
    ----------
    kernel : kernel
        Fitted force kernel.
    noise_variance : ndarray (p,)
        Fitted measurement-noise variance per channel.
    t : ndarray (T,)
    states : ndarray (T, 2)
        Smoothed displacement and velocity.
    states_std : ndarray (T, 2)
    force : ndarray (T,)
        Smoothed force.
    force_std : ndarray (T,)
    log_marginal_likelihood : float
    """

    kernel: object
    noise_variance: np.ndarray
    t: np.ndarray
    states: np.ndarray
    states_std: np.ndarray
    force: np.ndarray
    force_std: np.ndarray
    log_marginal_likelihood: float

    def force_interval(self, z: float = 1.96):
        """Pointwise credible band ``force -/+ z * force_std``."""
        return self.force - z * self.force_std, self.force + z * self.force_std


def _channels(observe) -> tuple[str, ...]:
    obs = (observe,) if isinstance(observe, str) else tuple(observe)
    bad = [o for o in obs if o not in _OBS]
    if bad or not obs:
        raise ValidationError(f"observe must be among {_OBS}; got {observe!r}.")
    return obs


def _lfm_params(mech, chans, state_var, kernel, noise_variance, t) -> LGSSMParams:
    """Time-varying LG-SSM of the oscillator augmented with the force's SDE."""
    m, c, k = mech
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
    H = np.array([rows[o] for o in chans])
    P0 = np.zeros((n, n))
    P0[:2, :2] = state_var * np.eye(2)
    P0[2:, 2:] = sde.Pinf
    T = t.shape[0]
    A = np.broadcast_to(np.eye(n), (T, n, n)).copy()
    Q = np.zeros((T, n, n))
    if T > 1:
        A[:-1], Q[:-1] = discretize(F, L, sde.Qc, np.diff(t))
    return LGSSMParams(A=A, C=H, Q=Q, R=np.diag(noise_variance), m0=np.zeros(n), P0=P0,
                       time_varying=True)


def fit_latent_force(t, y, *, mass: float = 1.0, damping: float = 0.1, stiffness: float = 1.0,
                     kernel=None, noise_variance=1e-2, observe="displacement",
                     optimize: bool = True, state_var: float = 1.0) -> LatentForceResult:
    """Latent force model of a linear oscillator driven by an unknown GP force.

    Fits the force hyperparameters and noise variances by marginal likelihood
    (optional) and returns the smoothed displacement, velocity and force. This
    is a function, not an estimator: it answers a smoothing question about one
    measured record (which force acted, with what uncertainty), and the
    oscillator's parameters are known, not learned; :class:`GPForecaster` is
    the GP estimator for forecasting.

    Parameters
    ----------
    t : array_like (T,)
        Strictly increasing sample times (irregular sampling allowed).
    y : array_like (T, p)
        Measurements of the ``observe`` channels (NaN = missing).
    mass, damping, stiffness : float
        Known mechanical parameters ``m > 0, c >= 0, k >= 0``.
    kernel : kernel, default Matern32(lengthscale=1, variance=1)
        State-space kernel of the force (starting point of the fit).
    noise_variance : float or sequence of float, default 1e-2
        Measurement-noise variance per observed channel (starting point).
    observe : str or tuple of str, default "displacement"
        Measured channels among ``"displacement"``, ``"velocity"``, ``"acceleration"``.
    optimize : bool, default True
        Fit the force hyperparameters and noise variances by marginal likelihood.
    state_var : float, default 1.0
        Prior variance of the initial displacement and velocity.

    Returns
    -------
    LatentForceResult

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import fit_latent_force
    >>> t = np.linspace(0, 20, 401)
    >>> res = fit_latent_force(t, np.sin(t)[:, None] * 0.1, mass=1.0, damping=0.2,
    ...                        stiffness=4.0, optimize=False)
    >>> res.force.shape, res.states.shape
    ((401,), (401, 2))
    """
    if not (np.isfinite(mass) and mass > 0):
        raise ValidationError(f"mass must be > 0; got {mass!r}.")
    mech = (float(mass), check_nonnegative_float(damping, "damping"),
            check_nonnegative_float(stiffness, "stiffness"))
    state_var = check_nonnegative_float(state_var, "state_var")
    chans = _channels(observe)
    t = _check_times(t)
    y = check_array(y, "y", ndim=(1, 2), allow_nan=True)
    y = y[:, None] if y.ndim == 1 else y
    if y.shape != (t.shape[0], len(chans)):
        raise ShapeError(f"y must have shape ({t.shape[0]}, {len(chans)}) for observe="
                         f"{chans}; got {y.shape}.")
    kernel = check_kernel(Matern32() if kernel is None else kernel)
    noise = np.broadcast_to(np.asarray(noise_variance, dtype=float), (len(chans),)).copy()
    if np.any(noise <= 0):
        raise ValidationError(f"noise variances must be > 0; got {noise_variance!r}.")

    def lml(kern, nv):
        return log_likelihood(_lfm_params(mech, chans, state_var, kern, nv, t), y)

    hyp = maximize_marginal_likelihood(lml, kernel, noise, optimize=optimize)
    params = _lfm_params(mech, chans, state_var, hyp.kernel, hyp.noise_variance, t)
    sm = rts_smoother(params, kalman_filter(params, y))
    hf = np.zeros(params.state_dim)
    hf[2:] = hyp.kernel.sde().H[0]
    var = np.diagonal(sm.covariances, axis1=1, axis2=2)[:, :2]
    return LatentForceResult(
        kernel=hyp.kernel, noise_variance=np.asarray(hyp.noise_variance), t=t,
        states=sm.means[:, :2], states_std=np.sqrt(np.maximum(var, 0)),
        force=sm.means @ hf,
        force_std=np.sqrt(np.maximum(np.einsum("i,kij,j->k", hf, sm.covariances, hf), 0)),
        log_marginal_likelihood=hyp.log_marginal_likelihood)
