"""Nonlinear Gaussian filters and smoothers: EKF, UKF / cubature, and their RTS smoothers.

A :class:`NonlinearSSM` holds ``x_{k+1} = f(x_k) + w_k``, ``y_k = h(x_k) + v_k``
with Gaussian noises. Jacobians come from the model (e.g. a
:class:`lindy.systems.System` through :func:`from_system`) or from central
finite differences. NaN entries of ``y`` are missing components.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from .._validation import check_array
from ..errors import NumericalError, ShapeError, ValidationError
from ._kalman import FilterResult, SmootherResult
from ._params import _check_cov

__all__ = [
    "NonlinearSSM",
    "GaussianFilterResult",
    "extended_kalman_filter",
    "unscented_kalman_filter",
    "gaussian_smoother",
    "numerical_jacobian",
]

LOG2PI = np.log(2.0 * np.pi)


def numerical_jacobian(func: Callable, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central finite-difference Jacobian of ``func`` at ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> numerical_jacobian(lambda x: np.array([x[0] * x[1], np.sin(x[0])]), np.array([1.0, 2.0])).round(6)
    array([[2.      , 1.      ],
           [0.540302, 0.      ]])
    """
    x = np.asarray(x, dtype=float)
    f0 = np.asarray(func(x), dtype=float)
    J = np.empty((f0.shape[0], x.shape[0]))
    for j in range(x.shape[0]):
        h = eps * max(1.0, abs(x[j]))
        xp, xm = x.copy(), x.copy()
        xp[j] += h
        xm[j] -= h
        J[:, j] = (np.asarray(func(xp)) - np.asarray(func(xm))) / (2.0 * h)
    return J


@dataclass(frozen=True, eq=False)
class NonlinearSSM:
    """A nonlinear state-space model with additive Gaussian noise (immutable).

    Parameters
    ----------
    f : callable
        Transition ``f(x (n,)) -> (n,)``.
    h : callable
        Observation ``h(x (n,)) -> (p,)``.
    Q : array_like, shape (n, n)
    R : array_like, shape (p, p)
    m0 : array_like, shape (n,)
    P0 : array_like, shape (n, n)
    f_jac, h_jac : callable, optional
        Jacobians ``(n,) -> (n, n)`` and ``(n,) -> (p, n)``; finite differences if omitted.

    Examples
    --------
    >>> import numpy as np
    >>> model = NonlinearSSM(f=lambda x: 0.9 * x, h=lambda x: x ** 2, Q=[[0.1]], R=[[0.1]],
    ...                      m0=[1.0], P0=[[0.1]])
    >>> model.state_dim, model.obs_dim
    (1, 1)
    """

    f: Callable
    h: Callable
    Q: np.ndarray
    R: np.ndarray
    m0: np.ndarray
    P0: np.ndarray
    f_jac: Callable | None = None
    h_jac: Callable | None = None

    def __post_init__(self) -> None:
        m0 = check_array(self.m0, "m0", ndim=1)
        n = m0.shape[0]
        mats = {}
        for name in ("Q", "R", "P0"):
            M = check_array(getattr(self, name), name, ndim=2)
            if M.shape[0] != M.shape[1]:
                raise ShapeError(f"{name} must be square; got {M.shape}.")
            mats[name] = _check_cov(M, name)
        for name in ("Q", "P0"):
            if mats[name].shape != (n, n):
                raise ShapeError(f"{name} must have shape ({n}, {n}); got {mats[name].shape}.")
        fx = np.asarray(self.f(m0.copy()), dtype=float)
        hx = np.asarray(self.h(m0.copy()), dtype=float)
        if fx.shape != (n,):
            raise ShapeError(f"f must map shape ({n},) to ({n},); it returned {fx.shape}.")
        if hx.shape != (mats["R"].shape[0],):
            raise ShapeError(f"h must return shape ({mats['R'].shape[0]},) to match R; got {hx.shape}.")
        object.__setattr__(self, "m0", m0)
        for k, v in mats.items():
            object.__setattr__(self, k, v)

    @property
    def state_dim(self) -> int:
        """Number of states ``n``."""
        return int(self.m0.shape[0])

    @property
    def obs_dim(self) -> int:
        """Number of outputs ``p``."""
        return int(self.R.shape[0])

    def F(self, x: np.ndarray) -> np.ndarray:
        """Jacobian of ``f`` at ``x``."""
        return np.asarray(self.f_jac(x)) if self.f_jac is not None else numerical_jacobian(self.f, x)

    def H(self, x: np.ndarray) -> np.ndarray:
        """Jacobian of ``h`` at ``x``."""
        return np.asarray(self.h_jac(x)) if self.h_jac is not None else numerical_jacobian(self.h, x)


@dataclass(frozen=True, eq=False)
class GaussianFilterResult(FilterResult):
    """A :class:`FilterResult` plus the one-step cross covariances the smoother needs.

    Attributes
    ----------
    cross_covariances : ndarray, shape (T, n, n)
        ``Cov(x_k, x_{k+1} | y_0..y_k)``.
    """

    cross_covariances: np.ndarray | None = None


def _check_y(model, y) -> np.ndarray:
    y = check_array(y, "y", ndim=(1, 2), allow_nan=True)
    if y.ndim == 1:
        y = y[:, None]
    if y.shape[1] != model.obs_dim:
        raise ShapeError(f"y must have {model.obs_dim} columns; got shape {y.shape}.")
    return y


def _update(m, P, y, yhat, Pxy, S):
    """Condition N(m, P) on the observed components of y given E[y], Cov(x, y), Cov(y)."""
    p = y.shape[0]
    obs = ~np.isnan(y)
    v = np.full(p, np.nan)
    e = np.full(p, np.nan)
    if not obs.any():
        return m, P, 0.0, v, e
    So = S[np.ix_(obs, obs)]
    try:
        c = cho_factor(So, lower=True)
    except np.linalg.LinAlgError:
        raise NumericalError("The innovation covariance is not positive definite; make R "
                             "positive definite.") from None
    vo = y[obs] - yhat[obs]
    Kt = cho_solve(c, Pxy[:, obs].T)
    m = m + Kt.T @ vo
    P = P - Pxy[:, obs] @ Kt
    P = 0.5 * (P + P.T)
    L = np.tril(c[0])
    eo = np.linalg.solve(L, vo) if L.shape[0] > 1 else vo / L[0, 0]
    v[obs], e[obs] = vo, eo
    ll = -0.5 * (obs.sum() * LOG2PI + eo @ eo) - np.log(np.diag(L)).sum()
    return m, P, float(ll), v, e


def _result(mp, Pp, mf, Pf, ll, v, e, cross, mnext, Pnext) -> GaussianFilterResult:
    nis = np.where(np.isnan(e).all(axis=1), np.nan, np.nansum(e * e, axis=1))
    return GaussianFilterResult(
        predicted_means=mp, predicted_covariances=Pp, filtered_means=mf, filtered_covariances=Pf,
        log_likelihood=float(ll.sum()), log_likelihood_terms=ll, innovations=v,
        whitened_innovations=e, nis=nis, steady=np.zeros(len(ll), dtype=bool),
        next_mean=mnext, next_covariance=Pnext, cross_covariances=cross)


def _alloc(T, n, p):
    return (np.empty((T, n)), np.empty((T, n, n)), np.empty((T, n)), np.empty((T, n, n)),
            np.empty(T), np.empty((T, p)), np.empty((T, p)), np.empty((T, n, n)))


def extended_kalman_filter(model: NonlinearSSM, y) -> GaussianFilterResult:
    """Extended Kalman filter (first-order linearization at the current mean).

    Parameters
    ----------
    model : NonlinearSSM
    y : array_like, shape (T, p)
        Observations, NaN = missing component.

    Returns
    -------
    GaussianFilterResult

    Examples
    --------
    >>> import numpy as np
    >>> model = NonlinearSSM(f=lambda x: 0.9 * x, h=lambda x: x, Q=[[0.1]], R=[[1.0]],
    ...                      m0=[0.0], P0=[[1.0]])
    >>> extended_kalman_filter(model, [[1.0], [np.nan]]).filtered_means.ravel()
    array([0.5 , 0.45])
    """
    if not isinstance(model, NonlinearSSM):
        raise ValidationError(f"model must be a NonlinearSSM; got {type(model).__name__}.")
    y = _check_y(model, y)
    T, p = y.shape
    n = model.state_dim
    mp, Pp, mf, Pf, ll, v, e, cross = _alloc(T, n, p)
    m, P = model.m0.copy(), model.P0.copy()
    for k in range(T):
        mp[k], Pp[k] = m, P
        H = model.H(m)
        S = H @ P @ H.T + model.R
        m, P, ll[k], v[k], e[k] = _update(m, P, y[k], np.asarray(model.h(m)), P @ H.T, S)
        mf[k], Pf[k] = m, P
        F = model.F(m)
        cross[k] = P @ F.T
        m = np.asarray(model.f(m), dtype=float)
        P = F @ P @ F.T + model.Q
        P = 0.5 * (P + P.T)
        if not np.all(np.isfinite(m)):
            raise NumericalError(f"The EKF diverged at step {k} (non-finite state).")
    return _result(mp, Pp, mf, Pf, ll, v, e, cross, m, P)


def _sigma(m, P, lam):
    n = m.shape[0]
    try:
        L = np.linalg.cholesky((n + lam) * P)
    except np.linalg.LinAlgError:
        w, V = np.linalg.eigh((n + lam) * 0.5 * (P + P.T))
        L = V * np.sqrt(np.clip(w, 0.0, None))
    return np.vstack([m, m + L.T, m - L.T])


def unscented_kalman_filter(model: NonlinearSSM, y, *, alpha: float = 1.0, beta: float = 0.0,
                            kappa: float = 0.0) -> GaussianFilterResult:
    """Unscented Kalman filter; the defaults give the cubature Kalman filter.

    Parameters
    ----------
    model : NonlinearSSM
    y : array_like, shape (T, p)
        Observations, NaN = missing component.
    alpha, beta, kappa : float
        Sigma-point spread and weights (Wan & van der Merwe). ``alpha=1,
        beta=0, kappa=0`` is the third-order spherical-radial cubature rule;
        ``alpha=1e-3, beta=2`` the classic UKF.

    Returns
    -------
    GaussianFilterResult

    Examples
    --------
    >>> import numpy as np
    >>> model = NonlinearSSM(f=lambda x: 0.9 * x, h=lambda x: x, Q=[[0.1]], R=[[1.0]],
    ...                      m0=[0.0], P0=[[1.0]])
    >>> unscented_kalman_filter(model, [[1.0], [np.nan]]).filtered_means.ravel().round(12)
    array([0.5 , 0.45])
    """
    if not isinstance(model, NonlinearSSM):
        raise ValidationError(f"model must be a NonlinearSSM; got {type(model).__name__}.")
    y = _check_y(model, y)
    T, p = y.shape
    n = model.state_dim
    lam = alpha ** 2 * (n + kappa) - n
    wm = np.full(2 * n + 1, 0.5 / (n + lam))
    wc = wm.copy()
    wm[0] = lam / (n + lam)
    wc[0] = wm[0] + (1.0 - alpha ** 2 + beta)
    mp, Pp, mf, Pf, ll, v, e, cross = _alloc(T, n, p)
    m, P = model.m0.copy(), model.P0.copy()
    for k in range(T):
        mp[k], Pp[k] = m, P
        X = _sigma(m, P, lam)
        Y = np.array([model.h(x) for x in X], dtype=float)
        yhat = wm @ Y
        dY, dX = Y - yhat, X - m
        S = (dY * wc[:, None]).T @ dY + model.R
        Pxy = (dX * wc[:, None]).T @ dY
        m, P, ll[k], v[k], e[k] = _update(m, P, y[k], yhat, Pxy, 0.5 * (S + S.T))
        mf[k], Pf[k] = m, P
        X = _sigma(m, P, lam)
        FX = np.array([model.f(x) for x in X], dtype=float)
        m_new = wm @ FX
        dF, dX = FX - m_new, X - m
        cross[k] = (dX * wc[:, None]).T @ dF
        P = (dF * wc[:, None]).T @ dF + model.Q
        m, P = m_new, 0.5 * (P + P.T)
        if not np.all(np.isfinite(m)):
            raise NumericalError(f"The UKF diverged at step {k} (non-finite state).")
    return _result(mp, Pp, mf, Pf, ll, v, e, cross, m, P)


def gaussian_smoother(filt: GaussianFilterResult) -> SmootherResult:
    """RTS-type smoother for EKF/UKF results (extended / unscented RTS smoother).

    Uses ``G_k = Cov(x_k, x_{k+1} | y_0..y_k) P_{k+1|k}^{-1}`` with the cross
    covariances stored by the filter.

    Parameters
    ----------
    filt : GaussianFilterResult

    Returns
    -------
    SmootherResult

    Examples
    --------
    >>> import numpy as np
    >>> model = NonlinearSSM(f=lambda x: 0.9 * x, h=lambda x: x, Q=[[0.1]], R=[[1.0]],
    ...                      m0=[0.0], P0=[[1.0]])
    >>> gaussian_smoother(extended_kalman_filter(model, [[1.0], [2.0]])).means.shape
    (2, 1)
    """
    if not isinstance(filt, GaussianFilterResult) or filt.cross_covariances is None:
        raise ValidationError("gaussian_smoother needs the result of extended_kalman_filter or "
                              "unscented_kalman_filter.")
    mf, Pf = filt.filtered_means, filt.filtered_covariances
    mp, Pp, Cr = filt.predicted_means, filt.predicted_covariances, filt.cross_covariances
    T, n = mf.shape
    ms, Ps, G = mf.copy(), Pf.copy(), np.zeros((T, n, n))
    for k in range(T - 2, -1, -1):
        try:
            c = cho_factor(Pp[k + 1], lower=True)
        except np.linalg.LinAlgError:
            raise NumericalError(f"Predicted covariance at step {k + 1} is singular.") from None
        G[k] = cho_solve(c, Cr[k].T).T
        ms[k] = mf[k] + G[k] @ (ms[k + 1] - mp[k + 1])
        Pk = Pf[k] + G[k] @ (Ps[k + 1] - Pp[k + 1]) @ G[k].T
        Ps[k] = 0.5 * (Pk + Pk.T)
    return SmootherResult(means=ms, covariances=Ps, gains=G, log_likelihood=filt.log_likelihood)
