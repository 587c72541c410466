"""Exact diffuse initialization: filter, smoother and log-likelihood (Durbin & Koopman 2012).

The prior of the first state is ``N(m0, P_* + kappa P_inf)`` with ``kappa -> infinity``;
``P_inf`` is the diagonal of the ``diffuse`` mask and ``P_*`` is ``P0`` with the
diffuse rows and columns set to zero. During the diffuse period the filter
propagates ``P_*`` and ``P_inf`` separately, one observed component at a time
(the univariate treatment of Koopman & Durbin 2000, the one statsmodels and
KFAS use; a non-diagonal ``R`` is diagonalized by its unit-lower LDL factor).
Once ``P_inf`` has vanished the ordinary (compiled) filter takes over.

Log-likelihood convention (Durbin & Koopman 2012, sec. 7.2.2, statsmodels): a
component with ``F_inf > 0`` contributes ``-(log 2 pi + log F_inf) / 2``, the
others their ordinary Gaussian term.

The smoother is the exact initial state smoother in its ``r_t, N_t`` form
(Durbin & Koopman 2012, sec. 5.3, univariate), which never solves with a
predicted covariance.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular

from ..errors import NumericalError, ValidationError
from ._params import LGSSMParams

__all__ = ["diffuse_filter_lists", "diffuse_smooth", "diffuse_smoother"]

LOG2PI = float(np.log(2.0 * np.pi))
#: ``F_inf`` (relative to ``|z|^2``) and ``P_inf`` entries below this count as zero
DIFFUSE_TOL = 1e-10


def _at(params: LGSSMParams, name: str, k: int) -> np.ndarray:
    a = getattr(params, name)
    return a[k] if a.ndim == 3 else a


def initial_moments(params: LGSSMParams):
    """``(m0, P_*, P_inf)`` of an exact diffuse prior."""
    d = params.diffuse
    Pstar = np.array(params.P0)
    Pstar[d, :] = 0.0
    Pstar[:, d] = 0.0
    return np.array(params.m0), Pstar, np.diag(d.astype(float))


def _elements(params: LGSSMParams, k: int, yv: np.ndarray, idx: np.ndarray):
    """Observed rows as independent scalar observations: ``(Z, y*, h)``.

    ``R_obs = L diag(h) L^T`` with unit-lower ``L``; ``Z = L^{-1} C_obs``, ``y* = L^{-1} yv``.
    """
    C = _at(params, "C", k)[idx]
    H = _at(params, "R", k)[np.ix_(idx, idx)]
    if not np.any(H - np.diag(np.diag(H))):
        return C, yv, np.diag(H).copy()
    try:
        Lc = np.linalg.cholesky(H)
    except np.linalg.LinAlgError:
        raise ValidationError(
            "Exact diffuse filtering processes the outputs one at a time and needs R "
            "(on the observed outputs) diagonal or positive definite; got a singular "
            "non-diagonal R. Make R positive definite or give the model a proper prior "
            "(diffuse=None with a large P0)."
        ) from None
    dg = np.diag(Lc)
    L = Lc / dg
    return (solve_triangular(L, C, lower=True, unit_diagonal=True),
            solve_triangular(L, yv, lower=True, unit_diagonal=True), dg * dg)


def _update(m, Pstar, Pinf, z, v, h, record=None):
    """One scalar observation; returns its log-likelihood term (0 if uninformative).

    ``record`` gets ``(kind, z, v, F_inf, F_*, K_inf, K_*)`` with kind 1 (diffuse
    update), 0 (ordinary update) or -1 (uninformative: ``F_inf = F_* = 0``).
    """
    zz = max(float(z @ z), 1.0)
    Kinf, Kstar = Pinf @ z, Pstar @ z
    Finf, Fstar = float(z @ Kinf), float(z @ Kstar) + h
    if Finf > DIFFUSE_TOL * zz:
        m += Kinf * (v / Finf)
        Pstar += (np.outer(Kinf, Kinf) * (Fstar / Finf) - np.outer(Kstar, Kinf)
                  - np.outer(Kinf, Kstar)) / Finf
        Pinf -= np.outer(Kinf, Kinf) / Finf
        kind, ll = 1, -0.5 * (LOG2PI + np.log(Finf))
    elif Fstar > DIFFUSE_TOL * zz:
        m += Kstar * (v / Fstar)
        Pstar -= np.outer(Kstar, Kstar) / Fstar
        kind, ll = 0, -0.5 * (LOG2PI + np.log(Fstar) + v * v / Fstar)
    else:
        kind, ll = -1, 0.0
    if record is not None:
        record.append((kind, z, v, Finf, Fstar, Kinf, Kstar))
    return ll


def _measurement(params, k, m, Pstar, Pinf, yv, idx, record=None):
    """Condition on the observed components ``idx`` (values ``yv = y - D u``) in place."""
    Z, ys, h = _elements(params, k, yv, idx)
    ll = 0.0
    for i in range(Z.shape[0]):
        ll += _update(m, Pstar, Pinf, Z[i], float(ys[i] - Z[i] @ m), h[i], record)
    Pstar[:] = 0.5 * (Pstar + Pstar.T)
    Pinf[:] = 0.5 * (Pinf + Pinf.T)
    if np.abs(Pinf).max() <= DIFFUSE_TOL:
        Pinf[:] = 0.0
    return ll


def _diffuse_period(params: LGSSMParams, y: np.ndarray, u: np.ndarray):
    """Run the exact diffuse filter until ``P_inf`` vanishes; per-step arrays and the handover."""
    T, n = y.shape[0], params.state_dim
    m, Pstar, Pinf = initial_moments(params)
    mp, Pp, Pip, mf, Pf = [], [], [], [], []
    ll, innov = [], []
    for k in range(T):
        mp.append(m.copy())
        Pp.append(Pstar.copy())
        Pip.append(Pinf.copy())
        idx = np.flatnonzero(~np.isnan(y[k]))
        yv = y[k, idx] - _at(params, "D", k)[idx] @ u[k]
        e = np.full(params.obs_dim, np.nan)
        e[idx] = yv - _at(params, "C", k)[idx] @ m
        innov.append(e)
        ll.append(_measurement(params, k, m, Pstar, Pinf, yv, idx) if idx.size else 0.0)
        mf.append(m.copy())
        Pf.append(Pstar.copy())
        A = _at(params, "A", k)
        m = A @ m + _at(params, "B", k) @ u[k]
        Pstar = A @ Pstar @ A.T + _at(params, "Q", k)
        Pstar = 0.5 * (Pstar + Pstar.T)
        Pinf = A @ Pinf @ A.T
        if np.abs(Pinf).max() <= DIFFUSE_TOL:
            Pinf = np.zeros((n, n))
            break
    return dict(mp=np.array(mp), Pp=np.array(Pp), Pip=np.array(Pip), mf=np.array(mf),
                Pf=np.array(Pf), ll=np.array(ll), innov=np.array(innov)), m, Pstar, Pinf


def _shifted(params: LGSSMParams, d: int, m, P) -> LGSSMParams:
    """The proper model of steps ``d..`` starting from ``N(m, P)``."""
    changes = {name: getattr(params, name)[d:] for name in ("A", "B", "C", "D", "Q", "R")
               if getattr(params, name).ndim == 3}
    tv = params.time_varying and bool(changes)
    for name in list(changes):
        if changes[name].shape[0] == 1 and not tv:
            changes[name] = changes[name][0]
    return params.replace(m0=m, P0=0.5 * (P + P.T), diffuse=None, time_varying=tv, **changes)


def _filter_one(params, y, u, form, steady_tol, store):
    """One sequence: the diffuse period here, the rest by the compiled filter."""
    from ._kalman import FilterResult, _filter_lists, _psd_factor

    pre, m, P, _ = _diffuse_period(params, y, u)
    d = pre["mp"].shape[0]
    T, n, p = y.shape[0], params.state_dim, params.obs_dim
    rest = None
    if d < T:
        rest = _filter_lists(_shifted(params, d, m, P), [y[d:]], [u[d:]], form=form,
                             steady_tol=steady_tol, store=store)[0]
    if not store:
        return float(pre["ll"].sum()) + (float(rest) if rest is not None else 0.0)

    def cat(head, name):
        return head if rest is None else np.concatenate([head, getattr(rest, name)])

    Pip = np.zeros((T, n, n))
    Pip[:d] = pre["Pip"]
    ll_terms = cat(pre["ll"], "log_likelihood_terms")
    return FilterResult(
        predicted_means=cat(pre["mp"], "predicted_means"),
        predicted_covariances=cat(pre["Pp"], "predicted_covariances"),
        filtered_means=cat(pre["mf"], "filtered_means"),
        filtered_covariances=cat(pre["Pf"], "filtered_covariances"),
        log_likelihood=float(ll_terms.sum()), log_likelihood_terms=ll_terms,
        innovations=cat(pre["innov"], "innovations"),
        whitened_innovations=cat(np.full((d, p), np.nan), "whitened_innovations"),
        nis=cat(np.full(d, np.nan), "nis"), steady=cat(np.zeros(d, bool), "steady"),
        next_mean=m if rest is None else rest.next_mean,
        next_covariance=P if rest is None else rest.next_covariance,
        filtered_factors=cat(_psd_factor(pre["Pf"]), "filtered_factors") if form == "sqrt"
        else None,
        predicted_diffuse_covariances=Pip, diffuse_steps=d)


def diffuse_filter_lists(params, ys, us, *, form="standard", steady_tol=1e-12, store=True):
    """:func:`~lindy.ssm._kalman._filter_lists` for a model with diffuse states."""
    out = [_filter_one(params, y, u, form, steady_tol, store) for y, u in zip(ys, us)]
    return out if store else np.array(out)


def _backward_element(rec, r0, r1, N0, N1, N2):
    """One scalar observation of the exact initial smoother (Durbin & Koopman 2012, 5.3)."""
    kind, z, v, Finf, Fstar, Kinf, Kstar = rec
    if kind == -1:  # uninformative component
        return r0, r1, N0, N1, N2
    zz = np.outer(z, z)
    if kind == 1:
        L0 = np.eye(z.size) - np.outer(Kinf, z) / Finf
        L1 = np.outer(Kinf * (Fstar / Finf) - Kstar, z) / Finf
        r1 = z * (v / Finf) + L0.T @ r1 + L1.T @ r0
        r0 = L0.T @ r0
        N2 = (-zz * (Fstar / Finf ** 2) + L0.T @ N2 @ L0 + L0.T @ N1 @ L1
              + L1.T @ N1.T @ L0 + L1.T @ N0 @ L1)
        N1 = zz / Finf + L0.T @ N1 @ L0 + L1.T @ N0 @ L0
        N0 = L0.T @ N0 @ L0
    else:
        L0 = np.eye(z.size) - np.outer(Kstar, z) / Fstar
        r0 = z * (v / Fstar) + L0.T @ r0
        N0 = zz / Fstar + L0.T @ N0 @ L0
        N1 = N1 @ L0
    return r0, r1, N0, N1, N2


def _proper_part(params: LGSSMParams, filt, d: int, ms, Ps):
    """Smooth steps ``d..T-1`` (compiled); return ``r, N`` after step ``d``."""
    from ._compiled_smoothers import rn_loop

    T, n = filt.predicted_means.shape
    sh = _shifted(params, d, filt.predicted_means[d], filt.predicted_covariances[d])
    innov = np.ascontiguousarray(filt.innovations[d:])
    r, N = np.empty((1, n)), np.empty((1, n, n))
    out_m, out_P = np.empty((T - d, n)), np.empty((T - d, n, n))
    status = rn_loop(np.array([0, T - d], dtype=np.int64),
                     *(np.ascontiguousarray(sh.stacked(k)) for k in ("A", "C", "R")), innov, innov,
                     np.ascontiguousarray(filt.predicted_means[d:]),
                     np.ascontiguousarray(filt.predicted_covariances[d:]), out_m, out_P, r, N)
    if status:
        raise NumericalError(
            f"The exact diffuse smoother met a singular innovation covariance at step "
            f"{d + status - 1}; make R positive definite.")
    ms[d:], Ps[d:] = out_m, out_P
    return r[0], N[0]


def diffuse_smooth(params: LGSSMParams, filt):
    """Exact initial smoother of one :func:`kalman_filter` result of a diffuse model.

    Returns smoothed means (T, n), covariances (T, n, n) and RTS gains (T, n, n)
    (NaN during the diffuse period, where no finite gain exists).
    """
    mp, Pp, Pip = filt.predicted_means, filt.predicted_covariances, \
        filt.predicted_diffuse_covariances
    T, n = mp.shape
    ms, Ps, G = np.empty((T, n)), np.empty((T, n, n)), np.full((T, n, n), np.nan)
    r0, r1 = np.zeros(n), np.zeros(n)
    N0, N1, N2 = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n))
    d = filt.diffuse_steps
    if d < T:  # the proper part by the compiled r_t, N_t recursions
        r0, N0 = _proper_part(params, filt, d, ms, Ps)
    for k in range(min(d, T) - 1, -1, -1):
        if k < T - 1:
            A = _at(params, "A", k)
            r0, r1 = A.T @ r0, A.T @ r1
            N0, N1, N2 = A.T @ N0 @ A, A.T @ N1 @ A, A.T @ N2 @ A
        idx = np.flatnonzero(~np.isnan(filt.innovations[k]))
        record = []
        if idx.size:
            yv = filt.innovations[k, idx] + _at(params, "C", k)[idx] @ mp[k]
            _measurement(params, k, mp[k].copy(), Pp[k].copy(), Pip[k].copy(), yv, idx, record)
        for rec in reversed(record):
            r0, r1, N0, N1, N2 = _backward_element(rec, r0, r1, N0, N1, N2)
        Ps_, Pi = Pp[k], Pip[k]
        ms[k] = mp[k] + Ps_ @ r0 + Pi @ r1
        PNP = Pi @ N1 @ Ps_
        V = Ps_ - Ps_ @ N0 @ Ps_ - PNP - PNP.T - Pi @ N2 @ Pi
        Ps[k] = 0.5 * (V + V.T)
    G[T - 1] = 0.0
    ks = np.arange(d, T - 1)  # RTS gains where P_{k|k} and P_{k+1|k} are proper
    if ks.size:
        A = params.stacked("A")
        AP = (A[ks] if A.shape[0] > 1 else A[0]) @ filt.filtered_covariances[ks]
        Pinv = np.linalg.pinv(Pp[ks + 1], rcond=1e-10, hermitian=True)
        G[ks] = np.swapaxes(Pinv @ AP, -1, -2)
    return ms, Ps, G


def diffuse_smoother(params, filts, single):
    """:func:`~lindy.ssm.rts_smoother` for a model with diffuse states."""
    from ._kalman import SmootherResult

    res = []
    for f in filts:
        if f.predicted_diffuse_covariances is None:
            raise ValidationError(
                "params declares diffuse states but filt came from a filter run without "
                "them; filter with the same params before smoothing.")
        if f.innovation_variances is not None:
            raise ValidationError(
                "The exact diffuse smoother needs the joint innovations; filter with "
                "kalman_filter(..., sequential=False) before smoothing a diffuse model.")
        ms, Ps, G = diffuse_smooth(params, f)
        res.append(SmootherResult(means=ms, covariances=Ps, gains=G,
                                  log_likelihood=f.log_likelihood))
    return res[0] if single else res
