"""Expectation-maximization for linear-Gaussian state-space models (Shumway-Stoffer).

The E-step runs the Kalman filter and RTS smoother; the M-step solves the
resulting regressions in closed form. Missing observation components are
treated as latent: their conditional moments given the smoothed state and the
observed components enter the sufficient statistics, so the algorithm is exact
EM under partial missingness with a full ``R``. Any subset of the parameters can
be held fixed (conditional maximization keeps the likelihood monotone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from .._validation import check_positive_int
from ..errors import ValidationError
from ._kalman import _as_sequences, _check_params, _filter_lists, rts_smoother
from ._params import LGSSMParams

__all__ = ["EMResult", "fit_em", "PARAM_NAMES"]

#: parameters EM can estimate (or hold fixed)
PARAM_NAMES = ("A", "B", "C", "D", "Q", "R", "m0", "P0")


@dataclass(frozen=True, eq=False)
class EMResult:
    """Output of :func:`fit_em`.

    Attributes
    ----------
    params : LGSSMParams
        The final parameters.
    log_likelihoods : ndarray
        Log-likelihood at each iteration's parameters (non-decreasing).
    converged : bool
        Whether the relative improvement fell below ``tol``.
    n_iter : int
        Number of iterations run.
    """

    params: LGSSMParams
    log_likelihoods: np.ndarray
    converged: bool
    n_iter: int


#: smallest noise variance EM allows, relative to the signal's second moment
_VAR_FLOOR = 1e-9


def _sym_floor(M: np.ndarray, floor: float) -> np.ndarray:
    M = 0.5 * (M + M.T)
    w, V = np.linalg.eigh(M)
    if w.min() >= floor:
        return M
    w = np.maximum(w, floor)
    return (V * w) @ V.T


def _solve_right(S_yz: np.ndarray, S_zz: np.ndarray) -> np.ndarray:
    """W = S_yz S_zz^{-1} by a Cholesky solve (least-squares fallback if singular)."""
    if S_zz.size == 0:
        return np.zeros((S_yz.shape[0], 0))
    try:
        c = cho_factor(S_zz, lower=True)
        return cho_solve(c, S_yz.T).T
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(S_zz, S_yz.T, rcond=None)[0].T


def _completed_obs(params: LGSSMParams, y, u, ms, Ps):
    """E[y_k], E[y_k y_k^T] - E[y]E[y]^T and E[y_k x_k^T] - E[y]E[x]^T with y_mis latent."""
    T, p = y.shape
    C, D, R = params.C, params.D, params.R
    yhat = y.copy()
    Vyy = np.zeros((T, p, p))
    Vyx = np.zeros((T, p, params.state_dim))
    miss = np.isnan(y)
    rows = np.flatnonzero(miss.any(axis=1))
    if rows.size == 0:
        return yhat, Vyy, Vyx
    patterns, inverse = np.unique(miss[rows], axis=0, return_inverse=True)
    for j, pat in enumerate(patterns):
        ks = rows[inverse.ravel() == j]
        mi, ob = np.flatnonzero(pat), np.flatnonzero(~pat)
        if ob.size:
            J = np.linalg.solve(R[np.ix_(ob, ob)], R[np.ix_(ob, mi)]).T
        else:
            J = np.zeros((mi.size, 0))
        H = C[mi] - J @ C[ob]
        h = u[ks] @ D[mi].T + (y[np.ix_(ks, ob)] - u[ks] @ D[ob].T) @ J.T
        Se = R[np.ix_(mi, mi)] - J @ R[np.ix_(ob, mi)]
        yhat[np.ix_(ks, mi)] = ms[ks] @ H.T + h
        HP = np.einsum("ij,kjl->kil", H, Ps[ks])
        Vyy[np.ix_(ks, mi, mi)] = np.einsum("kil,jl->kij", HP, H) + Se
        Vyx[np.ix_(ks, mi, np.arange(params.state_dim))] = HP
    return yhat, Vyy, Vyx


def _regress(S_yz: np.ndarray, S_zz: np.ndarray, W0: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Maximize over the free columns of W in y = W z, the other columns held at W0."""
    W = W0.copy()
    if free.any():
        fx = ~free
        W[:, free] = _solve_right(S_yz[:, free] - W0[:, fx] @ S_zz[np.ix_(fx, free)],
                                  S_zz[np.ix_(free, free)])
    return W


def _column_masks(params: LGSSMParams, fixed, masks) -> tuple[np.ndarray, np.ndarray]:
    """Free columns of [A B] and [C D]; ``masks`` may free/fix single input columns."""
    n, m = params.state_dim, params.input_dim
    masks = masks or {}
    b = np.asarray(masks.get("B", np.full(m, "B" not in fixed)), dtype=bool)
    d = np.asarray(masks.get("D", np.full(m, "D" not in fixed)), dtype=bool)
    return (np.concatenate([np.full(n, "A" not in fixed), b]),
            np.concatenate([np.full(n, "C" not in fixed), d]))


def _m_step(params: LGSSMParams, stats, fixed, masks=None) -> LGSSMParams:
    n, m = params.state_dim, params.input_dim
    new = {}
    free_t, free_o = _column_masks(params, fixed, masks)
    # transition: x_{k+1} = [A B] z_k,  z = [x; u]
    Szz, Sx1z, Sx1x1, Nt = stats["Szz0"], stats["Sx1z"], stats["Sx1x1"], stats["Nt"]
    A, B = params.A, params.B
    if Nt > 0:
        W = _regress(Sx1z, Szz, np.hstack([A, B]), free_t)
        A, B = W[:, :n], W[:, n:]
    if "Q" not in fixed:
            W = np.hstack([A, B])
            Q = (Sx1x1 - W @ Sx1z.T - Sx1z @ W.T + W @ Szz @ W.T) / Nt
            # floor relative to the state's second moment: noise-free data must not
            # drive Q to a singular matrix
            new["Q"] = _sym_floor(Q, _VAR_FLOOR * max(np.trace(Sx1x1) / (Nt * n), 1e-300))
    new["A"], new["B"] = A, B
    # observation: y_k = [C D] z_k
    Szz, Syz, Syy, No = stats["Szz"], stats["Syz"], stats["Syy"], stats["No"]
    W = _regress(Syz, Szz, np.hstack([params.C, params.D]), free_o)
    C, D = W[:, :n], W[:, n:]
    new["C"], new["D"] = C, D
    if "R" not in fixed:
        W = np.hstack([C, D])
        R = (Syy - W @ Syz.T - Syz @ W.T + W @ Szz @ W.T) / No
        # floor relative to the observations' second moment (noise-free data would
        # otherwise drive R to zero and the next filter pass to a singular covariance)
        new["R"] = _sym_floor(R, _VAR_FLOOR * max(np.trace(Syy) / (No * R.shape[0]), 1e-300))
    if "m0" not in fixed:
        new["m0"] = stats["m0s"].mean(axis=0)
    if "P0" not in fixed:
        d = stats["m0s"] - new.get("m0", params.m0)
        P0 = stats["P0s"].mean(axis=0) + d.T @ d / d.shape[0]
        new["P0"] = _sym_floor(P0, 1e-10 * max(np.trace(P0) / n, 1e-300))
    if m == 0:
        new["B"], new["D"] = None, None
    return params.replace(**new)


def _e_step(params: LGSSMParams, ys, us):
    n, p, m = params.state_dim, params.obs_dim, params.input_dim
    filts = _filter_lists(params, ys, us)
    smooths = rts_smoother(params, filts)
    z = n + m
    st = dict(Szz0=np.zeros((z, z)), Sx1z=np.zeros((n, z)), Sx1x1=np.zeros((n, n)), Nt=0,
              Szz=np.zeros((z, z)), Syz=np.zeros((p, z)), Syy=np.zeros((p, p)), No=0)
    m0s, P0s, ll = [], [], 0.0
    for y, u, f, s in zip(ys, us, filts, smooths):
        ms, Ps, T = s.means, s.covariances, y.shape[0]
        ll += f.log_likelihood
        Exx = Ps + np.einsum("ki,kj->kij", ms, ms)
        Ezz = np.zeros((T, z, z))
        Ezz[:, :n, :n] = Exx
        Ezz[:, :n, n:] = np.einsum("ki,kj->kij", ms, u)
        Ezz[:, n:, :n] = np.swapaxes(Ezz[:, :n, n:], 1, 2)
        Ezz[:, n:, n:] = np.einsum("ki,kj->kij", u, u)
        st["Szz"] += Ezz.sum(axis=0)
        st["No"] += T
        if T > 1:
            st["Szz0"] += Ezz[:-1].sum(axis=0)
            V1 = s.cross_covariances
            st["Sx1z"][:, :n] += (V1 + np.einsum("ki,kj->kij", ms[1:], ms[:-1])).sum(axis=0)
            st["Sx1z"][:, n:] += ms[1:].T @ u[:-1]
            st["Sx1x1"] += Exx[1:].sum(axis=0)
            st["Nt"] += T - 1
        yhat, Vyy, Vyx = _completed_obs(params, y, u, ms, Ps)
        st["Syy"] += Vyy.sum(axis=0) + yhat.T @ yhat
        st["Syz"][:, :n] += Vyx.sum(axis=0) + yhat.T @ ms
        st["Syz"][:, n:] += yhat.T @ u
        m0s.append(ms[0])
        P0s.append(Ps[0])
    st["m0s"], st["P0s"] = np.array(m0s), np.array(P0s)
    return st, ll


def fit_em(params: LGSSMParams, y, u=None, *, max_iter: int = 100, tol: float = 1e-6,
           fixed=(), _masks=None) -> EMResult:
    """Maximum-likelihood parameters by expectation-maximization.

    Parameters
    ----------
    params : LGSSMParams
        Initial parameters (time-invariant); they fix the state dimension.
    y : array_like, shape (T, p), or TrajectorySet
        Observations, NaN = missing component; several sequences (with their
        inputs) as a :class:`~lindy.data.TrajectorySet`.
    u : array_like, shape (T, m), optional
        Inputs of a single sequence.
    max_iter : int, default 100
        Maximum number of iterations.
    tol : float, default 1e-6
        Stop when the log-likelihood improves by less than ``tol * (1 + |ll|)``.
    fixed : iterable of str
        Names from ``("A", "B", "C", "D", "Q", "R", "m0", "P0")`` to hold fixed.

    Returns
    -------
    EMResult

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, fit_em, sample
    >>> true = LGSSMParams(A=[[0.9]], C=[[1.0]], Q=[[0.5]], R=[[0.2]], m0=[0.0], P0=[[1.0]])
    >>> _, y = sample(true, 2000, random_state=0)
    >>> start = true.replace(A=[[0.5]], Q=[[1.0]])
    >>> res = fit_em(start, y, fixed=("C", "m0", "P0"))
    >>> bool(np.all(np.diff(res.log_likelihoods) > -1e-8)), round(float(res.params.A[0, 0]), 1)
    (True, 0.9)
    """
    params = _check_params(params)
    if params.time_varying:
        raise ValidationError("fit_em estimates time-invariant parameters; got time-varying ones.")
    if params.diffuse is not None:
        raise ValidationError(
            "fit_em needs a proper prior on the first state, but params declares diffuse "
            f"states {np.flatnonzero(params.diffuse).tolist()}. Use fit_mle (which maximizes "
            "the exact diffuse log-likelihood) or replace(diffuse=None) with a large P0.")
    max_iter = check_positive_int(max_iter, "max_iter")
    fixed = tuple(fixed)
    bad = [f for f in fixed if f not in PARAM_NAMES]
    if bad:
        raise ValidationError(f"fixed names must be among {PARAM_NAMES}; got {bad}.")
    ys, us, _ = _as_sequences(params, y, u)
    lls = []
    converged = False
    for _ in range(max_iter):
        stats, ll = _e_step(params, ys, us)
        lls.append(ll)
        if len(lls) > 1 and lls[-1] - lls[-2] < tol * (1.0 + abs(lls[-1])):
            converged = True
            break
        params = _m_step(params, stats, fixed, _masks)
    return EMResult(params=params, log_likelihoods=np.array(lls), converged=converged,
                    n_iter=len(lls))
