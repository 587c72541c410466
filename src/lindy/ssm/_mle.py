"""Maximum-likelihood fitting of LG-SSM parameters by numerical optimization.

The Kalman-filter log-likelihood is maximized over an unconstrained vector:
free matrices entry by entry and covariances through Cholesky factors with
log-diagonals (so they stay positive definite).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .._validation import check_positive_int
from ..errors import LindyError, ValidationError
from ._kalman import _as_sequences, _check_params, log_likelihood
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


def fit_mle(params: LGSSMParams, y, u=None, *, fixed=(), maxiter: int = 200) -> MLEResult:
    """Maximize the Kalman-filter log-likelihood with L-BFGS-B.

    Parameters
    ----------
    params : LGSSMParams
        Starting point (time-invariant).
    y : array_like, shape (T, p), (N, T, p) or list of (T_i, p)
        Observations, NaN = missing.
    u : array_like, optional
    fixed : iterable of str
        Names among ``A, B, C, D, Q, R, m0, P0`` held at their starting values.
    maxiter : int, default 200

    Returns
    -------
    MLEResult

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, fit_mle, sample
    >>> true = LGSSMParams(A=[[0.8]], C=[[1.0]], Q=[[0.5]], R=[[0.3]], m0=[0.0], P0=[[1.0]])
    >>> _, y = sample(true, 3000, seed=1)
    >>> res = fit_mle(true.replace(A=[[0.3]]), y, fixed=("C", "m0", "P0"))
    >>> round(float(res.params.A[0, 0]), 1)
    0.8
    """
    params = _check_params(params)
    if params.time_varying:
        raise ValidationError("fit_mle estimates time-invariant parameters.")
    maxiter = check_positive_int(maxiter, "maxiter")
    fixed = set(fixed)
    bad = fixed - set(_ORDER)
    if bad:
        raise ValidationError(f"fixed names must be among {_ORDER}; got {sorted(bad)}.")
    ys, us, _ = _as_sequences(params, y, u)
    us_arg = us if params.input_dim else None
    layout = _layout(params, [nm for nm in _ORDER if nm not in fixed])
    n_obs = max(1, sum(int(np.sum(~np.isnan(yi))) for yi in ys))

    def objective(theta):
        try:
            ll = log_likelihood(_unpack(theta, params, layout), ys, us_arg)
        except (LindyError, np.linalg.LinAlgError):
            return 1e10
        total = float(np.sum(ll))
        return -total / n_obs if np.isfinite(total) else 1e10

    theta0 = _pack(params, layout)
    if theta0.size == 0:
        return MLEResult(params, float(np.sum(log_likelihood(params, ys, us_arg))), True, 0)
    opt = minimize(objective, theta0, method="L-BFGS-B", options={"maxiter": maxiter})
    best = _unpack(opt.x, params, layout)
    return MLEResult(best, -float(opt.fun) * n_obs, bool(opt.success), int(opt.nit))
