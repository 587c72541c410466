"""Univariate (sequential) processing of multivariate observations (Durbin & Koopman 2012, 6.4).

Each time step conditions on its observed outputs one at a time; a non-diagonal
``R`` is first diagonalized by its unit-lower LDL factor ``R = L diag(h) L^T``
(outputs and rows of ``C`` multiplied by ``L^{-1}``). The states' moments and the
log-likelihood equal the joint filter's; the innovations and their variances are
the scalar ones KFAS and statsmodels' univariate filter report. Models with
diffuse states use the exact diffuse update for every component (see
:mod:`lindy.ssm._diffuse`).
"""

from __future__ import annotations

import numpy as np

from ._diffuse import _at, _elements, _update, initial_moments
from ._params import LGSSMParams

__all__ = ["sequential_filter_lists"]


def _start(params: LGSSMParams):
    if params.diffuse is not None:
        return initial_moments(params)
    n = params.state_dim
    return np.array(params.m0), np.array(params.P0), np.zeros((n, n))


def _filter_one(params: LGSSMParams, y: np.ndarray, u: np.ndarray):
    from ._kalman import FilterResult

    T, n, p = y.shape[0], params.state_dim, params.obs_dim
    m, P, Pinf = _start(params)
    out = {k: np.empty((T, n)) for k in ("mp", "mf")}
    out.update({k: np.empty((T, n, n)) for k in ("Pp", "Pf", "Pip")})
    ll = np.zeros(T)
    v, F = np.full((T, p), np.nan), np.full((T, p), np.nan)
    d = 0
    for k in range(T):
        out["mp"][k], out["Pp"][k], out["Pip"][k] = m, P, Pinf
        if Pinf.any():
            d = k + 1
        idx = np.flatnonzero(~np.isnan(y[k]))
        if idx.size:
            Z, ys, h = _elements(params, k, y[k, idx] - _at(params, "D", k)[idx] @ u[k], idx)
            for i in range(idx.size):
                record = []
                vi = float(ys[i] - Z[i] @ m)
                ll[k] += _update(m, P, Pinf, Z[i], vi, h[i], record)
                kind, _, _, Finf, Fstar = record[0][:5]
                v[k, idx[i]] = vi
                F[k, idx[i]] = Fstar if kind == 0 else (Finf if kind == 1 else np.nan)
            P = 0.5 * (P + P.T)
            if np.abs(Pinf).max() <= 1e-10:
                Pinf = np.zeros((n, n))
        out["mf"][k], out["Pf"][k] = m, P
        A = _at(params, "A", k)
        m = A @ m + _at(params, "B", k) @ u[k]
        P = A @ P @ A.T + _at(params, "Q", k)
        P = 0.5 * (P + P.T)
        Pinf = A @ Pinf @ A.T
    proper = np.arange(T)[:, None] >= d
    white = np.where(proper, v / np.sqrt(F), np.nan)
    nis = np.where(proper[:, 0] & ~np.isnan(y).all(axis=1), np.nansum(white ** 2, axis=1), np.nan)
    return FilterResult(
        predicted_means=out["mp"], predicted_covariances=out["Pp"], filtered_means=out["mf"],
        filtered_covariances=out["Pf"], log_likelihood=float(ll.sum()), log_likelihood_terms=ll,
        innovations=v, whitened_innovations=white, nis=nis, steady=np.zeros(T, bool),
        next_mean=m, next_covariance=P, innovation_variances=F,
        predicted_diffuse_covariances=out["Pip"] if params.diffuse is not None else None,
        diffuse_steps=d)


def sequential_filter_lists(params: LGSSMParams, ys, us) -> list:
    """Filter checked sequences one output at a time (one result per sequence)."""
    return [_filter_one(params, y, u) for y, u in zip(ys, us)]
