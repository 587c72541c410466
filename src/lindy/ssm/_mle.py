"""Maximum-likelihood fitting of LG-SSM parameters by numerical optimization.

The Kalman-filter log-likelihood is maximized over an unconstrained vector:
free matrices entry by entry and covariances through Cholesky factors with
log-diagonals (so they stay positive definite). The gradient is exact, by
Fisher's identity: the score of ``log p(y | theta)`` equals the gradient of
EM's expected complete-data log-likelihood ``E[log p(x, y | theta') | y, theta]``
at ``theta' = theta``, which is a closed form of the smoother's sufficient
statistics (one filter and smoother pass per gradient).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.optimize import minimize

from .._validation import check_positive_int
from ..errors import LindyError, ValidationError
from ._em import _e_step
from ._kalman import _as_sequences, _check_params, _filter_lists
from ._params import LGSSMParams

__all__ = ["MLEResult", "fit_mle"]

_COVS = ("Q", "R", "P0")
_ORDER = ("A", "B", "C", "D", "Q", "R", "m0", "P0")


@dataclass(frozen=True, eq=False)
class MLEResult:
    """Output of :func:`fit_mle`.

    Attributes
    ----------
    params : LGSSMParams
    log_likelihood : float
    success : bool
        The optimizer's own convergence flag.
    n_iter : int
        Number of optimizer iterations run.
    """

    params: LGSSMParams
    log_likelihood: float
    success: bool
    n_iter: int


def _chol_vec(M: np.ndarray) -> np.ndarray:
    L = np.linalg.cholesky(M + 1e-12 * np.trace(M) * np.eye(M.shape[0]) / M.shape[0])
    L[np.diag_indices_from(L)] = np.log(np.diag(L))
    return L[np.tril_indices_from(L)]


def _vec_chol(v: np.ndarray, k: int) -> np.ndarray:
    L = np.zeros((k, k))
    L[np.tril_indices(k)] = v
    L[np.diag_indices(k)] = np.exp(np.clip(np.diag(L), -30.0, 30.0))
    return L @ L.T


def _layout(params: LGSSMParams, free):
    out = []
    for name in _ORDER:
        if name not in free:
            continue
        a = getattr(params, name)
        if a.size == 0:
            continue
        size = a.shape[0] * (a.shape[0] + 1) // 2 if name in _COVS else a.size
        out.append((name, a.shape, size))
    return out


def _pack(params, layout) -> np.ndarray:
    parts = [(_chol_vec(getattr(params, nm)) if nm in _COVS else getattr(params, nm).ravel())
             for nm, _, _ in layout]
    return np.concatenate(parts) if parts else np.zeros(0)


def _unpack(theta, params, layout) -> LGSSMParams:
    changes, i = {}, 0
    for name, shape, size in layout:
        v = theta[i:i + size]
        i += size
        changes[name] = _vec_chol(v, shape[0]) if name in _COVS else v.reshape(shape)
    return params.replace(**changes)


def _cov_grad(M: np.ndarray, count: float, S: np.ndarray) -> np.ndarray:
    """d/dM of ``-(count log|M| + tr(M^{-1} S)) / 2``: ``-M^{-1} (count M - S) M^{-1} / 2``."""
    c = cho_factor(M, lower=True)
    X = cho_solve(c, count * M - S)
    G = -0.5 * cho_solve(c, X.T)
    return 0.5 * (G + G.T)


def _matrix_grads(params: LGSSMParams, st, names) -> dict:
    """Gradients of the expected complete-data log-likelihood w.r.t. the matrices ``names``.

    Needs ``Q`` (for A, B, Q), ``R`` (for C, D, R) and ``P0`` (for m0, P0) to be
    positive definite; raises ``LinAlgError`` otherwise.
    """
    n = params.state_dim
    g = {}
    if names & {"A", "B", "Q"}:
        W = np.hstack([params.A, params.B])
        if st["Nt"] > 0:
            gW = cho_solve(cho_factor(params.Q, lower=True), st["Sx1z"] - W @ st["Szz0"])
            SQ = st["Sx1x1"] - W @ st["Sx1z"].T - st["Sx1z"] @ W.T + W @ st["Szz0"] @ W.T
            g["Q"] = _cov_grad(params.Q, st["Nt"], SQ)
        else:
            gW, g["Q"] = np.zeros_like(W), np.zeros_like(params.Q)
        g["A"], g["B"] = gW[:, :n], gW[:, n:]
    if names & {"C", "D", "R"}:
        V = np.hstack([params.C, params.D])
        gV = cho_solve(cho_factor(params.R, lower=True), st["Syz"] - V @ st["Szz"])
        g["C"], g["D"] = gV[:, :n], gV[:, n:]
        SR = st["Syy"] - V @ st["Syz"].T - st["Syz"] @ V.T + V @ st["Szz"] @ V.T
        g["R"] = _cov_grad(params.R, st["No"], SR)
    if names & {"m0", "P0"}:
        d = st["m0s"] - params.m0
        g["m0"] = cho_solve(cho_factor(params.P0, lower=True), d.sum(axis=0))
        g["P0"] = _cov_grad(params.P0, d.shape[0], st["P0s"].sum(axis=0) + d.T @ d)
    return g


def _theta_grad(params: LGSSMParams, grads: dict, layout) -> np.ndarray:
    """Chain rule from matrix gradients to the packed vector (Cholesky, log-diagonal)."""
    parts = []
    for name, _, _ in layout:
        G = grads[name]
        if name in _COVS:
            L = np.linalg.cholesky(getattr(params, name))
            GL = np.tril(2.0 * G @ L)
            GL[np.diag_indices_from(GL)] *= np.diag(L)
            parts.append(GL[np.tril_indices_from(GL)])
        else:
            parts.append(G.ravel())
    return np.concatenate(parts) if parts else np.zeros(0)


def _loglik_and_grad(params: LGSSMParams, ys, us, layout):
    """Log-likelihood and its exact gradient w.r.t. the packed vector (Fisher identity)."""
    stats, ll = _e_step(params, ys, us)
    grads = _matrix_grads(params, stats, {name for name, _, _ in layout})
    return float(ll), _theta_grad(params, grads, layout)


def _has_exact_gradient(params: LGSSMParams, layout) -> bool:
    """Whether the covariances the free matrices' scores divide by are positive definite."""
    free = {name for name, _, _ in layout}
    for cov, deps in (("Q", {"A", "B"}), ("R", {"C", "D"}), ("P0", {"m0"})):
        if cov not in free and deps & free:
            try:
                np.linalg.cholesky(getattr(params, cov))
            except np.linalg.LinAlgError:
                return False
    return True


def _bounds(theta0, layout, masks):
    """L-BFGS-B bounds that pin the input columns of B/D that ``masks`` marks as fixed."""
    if not masks:
        return None
    bounds = [(None, None)] * theta0.size
    i = 0
    for name, shape, size in layout:
        if name in masks:
            keep = np.broadcast_to(np.asarray(masks[name], dtype=bool), shape).ravel()
            for j in np.flatnonzero(~keep):
                bounds[i + j] = (theta0[i + j], theta0[i + j])
        i += size
    return bounds


def fit_mle(params: LGSSMParams, y, u=None, *, fixed=(), max_iter: int = 200,
            gradient: str = "exact", _masks=None) -> MLEResult:
    """Maximize the Kalman-filter log-likelihood with L-BFGS-B.

    Parameters
    ----------
    params : LGSSMParams
        Starting point (time-invariant).
    y : array_like, shape (T, p), or TrajectorySet
        Observations, NaN = missing; several sequences (with their inputs) as a
        :class:`~lindy.data.TrajectorySet`.
    u : array_like, shape (T, m), optional
        Inputs of a single sequence.
    fixed : iterable of str
        Names among ``A, B, C, D, Q, R, m0, P0`` held at their starting values.
    max_iter : int, default 200
        Iteration cap of L-BFGS-B.
    gradient : {"exact", "numerical"}, default "exact"
        ``"exact"``: the score from one filter/smoother pass (Fisher identity);
        ``"numerical"``: finite differences of the log-likelihood (one filter
        pass per free parameter; slow, kept as a reference). The exact gradient
        needs the covariances it differentiates through (``Q`` for ``A, B``,
        ``R`` for ``C, D``, ``P0`` for ``m0``) to be positive definite; if a
        fixed one is singular, finite differences are used instead; so are they
        for models with diffuse states (``params.diffuse``), whose exact
        diffuse log-likelihood is maximized with central differences and
        tight tolerances (``ftol=1e-13``, ``gtol=1e-9``).

    Returns
    -------
    MLEResult

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, fit_mle, sample
    >>> true = LGSSMParams(A=[[0.8]], C=[[1.0]], Q=[[0.5]], R=[[0.3]], m0=[0.0], P0=[[1.0]])
    >>> _, y = sample(true, 3000, random_state=1)
    >>> res = fit_mle(true.replace(A=[[0.3]]), y, fixed=("C", "m0", "P0"))
    >>> round(float(res.params.A[0, 0]), 1)
    0.8
    """
    params = _check_params(params)
    if params.time_varying:
        raise ValidationError("fit_mle estimates time-invariant parameters.")
    max_iter = check_positive_int(max_iter, "max_iter")
    fixed = set(fixed)
    bad = fixed - set(_ORDER)
    if bad:
        raise ValidationError(f"fixed names must be among {_ORDER}; got {sorted(bad)}.")
    if gradient not in ("exact", "numerical"):
        raise ValidationError(f"gradient must be 'exact' or 'numerical'; got {gradient!r}.")
    ys, us, _ = _as_sequences(params, y, u)
    layout = _layout(params, [nm for nm in _ORDER if nm not in fixed])
    n_obs = max(1, sum(int(np.sum(~np.isnan(yi))) for yi in ys))

    def objective(theta):
        try:
            ll = _filter_lists(_unpack(theta, params, layout), ys, us, store=False)
        except (LindyError, np.linalg.LinAlgError):
            return 1e10
        total = float(np.sum(ll))
        return -total / n_obs if np.isfinite(total) else 1e10

    def objective_grad(theta):
        try:
            ll, g = _loglik_and_grad(_unpack(theta, params, layout), ys, us, layout)
        except (LindyError, np.linalg.LinAlgError):
            return 1e10, np.zeros_like(theta)
        if not (np.isfinite(ll) and np.all(np.isfinite(g))):
            return 1e10, np.zeros_like(theta)
        return -ll / n_obs, -g / n_obs

    theta0 = _pack(params, layout)
    if theta0.size == 0:
        return MLEResult(params, float(np.sum(_filter_lists(params, ys, us, store=False))), True, 0)
    bounds = _bounds(theta0, layout, _masks)
    if gradient == "exact" and (params.diffuse is not None
                                or not _has_exact_gradient(params, layout)):
        # a fixed covariance is singular (no complete-data score), or the prior is
        # diffuse (the score's x_0 term and cross-covariances have no finite form)
        gradient = "numerical"
    if gradient == "exact":
        opt = minimize(objective_grad, theta0, jac=True, method="L-BFGS-B", bounds=bounds,
                       options={"maxiter": max_iter})
    elif params.diffuse is not None:
        # no exact gradient: central differences and tight tolerances (forward
        # differences stall ~1e-4 relative short of the optimum, e.g. on Nile)
        opt = minimize(objective, theta0, method="L-BFGS-B", jac="3-point", bounds=bounds,
                       options={"maxiter": max_iter, "ftol": 1e-13, "gtol": 1e-9})
    else:
        opt = minimize(objective, theta0, method="L-BFGS-B", bounds=bounds,
                       options={"maxiter": max_iter})
    best = _unpack(opt.x, params, layout)
    return MLEResult(best, -float(opt.fun) * n_obs, bool(opt.success), int(getattr(opt, "nit", 0)))
