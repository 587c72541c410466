"""Bootstrap particle filter and a bridge from :mod:`lindy.systems` to nonlinear SSMs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_positive_int, check_rng
from ..errors import NumericalError, ValidationError
from ._nonlinear import NonlinearSSM, _check_y

__all__ = ["ParticleFilterResult", "particle_filter", "from_system"]


@dataclass(frozen=True, eq=False)
class ParticleFilterResult:
    """Output of :func:`particle_filter`.

    Attributes
    ----------
    filtered_means : ndarray, shape (T, n)
    filtered_covariances : ndarray, shape (T, n, n)
    log_likelihood : float
        Unbiased (in ``exp``) estimate of ``log p(y)``.
    ess : ndarray, shape (T,)
        Effective sample size after weighting at each step.
    """

    filtered_means: np.ndarray
    filtered_covariances: np.ndarray
    log_likelihood: float
    ess: np.ndarray


def _systematic(w: np.ndarray, rng) -> np.ndarray:
    N = w.shape[0]
    pos = (rng.random() + np.arange(N)) / N
    idx = np.searchsorted(np.cumsum(w), pos)
    return np.minimum(idx, N - 1)


def particle_filter(model: NonlinearSSM, y, *, n_particles: int = 1000,
                    resample_threshold: float = 0.5, vectorized: bool = False,
                    random_state=None) -> ParticleFilterResult:
    """Bootstrap particle filter with systematic resampling.

    Parameters
    ----------
    model : NonlinearSSM
    y : array_like, shape (T, p)
        Observations, NaN = missing component.
    n_particles : int, default 1000
    resample_threshold : float, default 0.5
        Resample when the effective sample size drops below this fraction.
    vectorized : bool, default False
        Whether ``model.f`` and ``model.h`` accept a stack of states ``(N, n)``.
    random_state : None, int or Generator

    Returns
    -------
    ParticleFilterResult

    Examples
    --------
    >>> import numpy as np
    >>> model = NonlinearSSM(f=lambda x: 0.9 * x, h=lambda x: x, Q=[[0.1]], R=[[1.0]],
    ...                      m0=[0.0], P0=[[1.0]])
    >>> pf = particle_filter(model, [[1.0], [0.5]], n_particles=20000, vectorized=True, random_state=0)
    >>> round(float(pf.filtered_means[0, 0]), 1)
    0.5
    """
    if not isinstance(model, NonlinearSSM):
        raise ValidationError(f"model must be a NonlinearSSM; got {type(model).__name__}.")
    y = _check_y(model, y)
    N = check_positive_int(n_particles, "n_particles", minimum=2)
    rng = check_rng(random_state)
    T, p = y.shape
    n = model.state_dim

    def fmap(func, X):
        if vectorized:
            return np.asarray(func(X), dtype=float).reshape(X.shape[0], -1)
        return np.array([func(x) for x in X], dtype=float)

    wq, Vq = np.linalg.eigh(model.Q)
    LQ = Vq * np.sqrt(np.clip(wq, 0.0, None))
    w0, V0 = np.linalg.eigh(model.P0)
    X = model.m0 + rng.standard_normal((N, n)) @ (V0 * np.sqrt(np.clip(w0, 0, None))).T
    logw = np.full(N, -np.log(N))
    means, covs, ess = np.empty((T, n)), np.empty((T, n, n)), np.empty(T)
    ll = 0.0
    for k in range(T):
        if k > 0:
            X = fmap(model.f, X) + rng.standard_normal((N, n)) @ LQ.T
        obs = ~np.isnan(y[k])
        if obs.any():
            Ro = model.R[np.ix_(obs, obs)]
            Lr = np.linalg.cholesky(Ro)
            r = y[k, obs] - fmap(model.h, X)[:, obs]
            z = np.linalg.solve(Lr, r.T).T
            loglik = (-0.5 * (z * z).sum(axis=1) - np.log(np.diag(Lr)).sum()
                      - 0.5 * obs.sum() * np.log(2 * np.pi))
            a = logw + loglik
            amax = a.max()
            if not np.isfinite(amax):
                raise NumericalError(f"All particle weights vanished at step {k}; use more particles.")
            s = np.exp(a - amax).sum()
            ll += amax + np.log(s)
            logw = a - amax - np.log(s)
        w = np.exp(logw)
        means[k] = w @ X
        d = X - means[k]
        covs[k] = (d * w[:, None]).T @ d
        ess[k] = 1.0 / np.sum(w * w)
        if ess[k] < resample_threshold * N:
            X = X[_systematic(w, rng)]
            logw = np.full(N, -np.log(N))
    return ParticleFilterResult(filtered_means=means, filtered_covariances=covs,
                                log_likelihood=float(ll), ess=ess)


def from_system(system, dt: float, *, Q, R, m0, P0, H=None, substeps: int = 1) -> NonlinearSSM:
    """A :class:`NonlinearSSM` for a :class:`lindy.systems.System` sampled every ``dt``.

    Flows are integrated with ``substeps`` classical Runge-Kutta steps per
    sample; the transition Jacobian comes from the variational equation with the
    system's analytic Jacobian (finite differences if it has none). Maps are used
    as they are.

    Parameters
    ----------
    system : lindy.systems.System
    dt : float
        Sampling interval.
    Q, R, m0, P0 : array_like
        Noise covariances and prior.
    H : array_like, shape (p, n), optional
        Linear observation matrix (default: the full state).
    substeps : int, default 1

    Returns
    -------
    NonlinearSSM

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> lorenz = ld.systems.get_system("Lorenz")
    >>> model = from_system(lorenz, 0.01, Q=1e-4 * np.eye(3), R=np.eye(3), m0=np.ones(3), P0=np.eye(3))
    >>> model.F(np.ones(3)).shape
    (3, 3)
    """
    substeps = check_positive_int(substeps, "substeps")
    n = system.dim
    pars = system.param_array
    Hm = np.eye(n) if H is None else np.asarray(H, dtype=float)
    jac = system.jac

    def rhs(x):
        return np.asarray(system.rhs(0.0, x, pars), dtype=float)

    if system.kind == "map":
        def f(x):
            return rhs(x)

        f_jac = (lambda x: np.asarray(jac(0.0, x, pars), dtype=float)) if jac is not None else None
    else:
        h_step = float(dt) / substeps

        def f(x):
            x = np.array(x, dtype=float)
            for _ in range(substeps):
                k1 = rhs(x)
                k2 = rhs(x + 0.5 * h_step * k1)
                k3 = rhs(x + 0.5 * h_step * k2)
                k4 = rhs(x + h_step * k3)
                x = x + h_step / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
            return x

        f_jac = None
        if jac is not None:
            def J(x):
                return np.asarray(jac(0.0, x, pars), dtype=float)

            def f_jac(x):
                x = np.array(x, dtype=float)
                Phi = np.eye(n)
                for _ in range(substeps):
                    k1, K1 = rhs(x), J(x) @ Phi
                    x2 = x + 0.5 * h_step * k1
                    k2, K2 = rhs(x2), J(x2) @ (Phi + 0.5 * h_step * K1)
                    x3 = x + 0.5 * h_step * k2
                    k3, K3 = rhs(x3), J(x3) @ (Phi + 0.5 * h_step * K2)
                    x4 = x + h_step * k3
                    K4 = J(x4) @ (Phi + h_step * K3)
                    x = x + h_step / 6.0 * (k1 + 2 * k2 + 2 * k3 + rhs(x4))
                    Phi = Phi + h_step / 6.0 * (K1 + 2 * K2 + 2 * K3 + K4)
                return Phi

    return NonlinearSSM(f=f, h=lambda x: Hm @ x, Q=Q, R=R, m0=m0, P0=P0, f_jac=f_jac,
                        h_jac=lambda x: Hm)
