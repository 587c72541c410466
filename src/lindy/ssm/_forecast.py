"""Forecasts, sampling and the steady-state covariance of LG-SSMs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_array, check_positive_int, check_rng
from ..errors import NumericalError, ShapeError, ValidationError
from ._kalman import FilterResult, _check_params, _psd_factor
from ._params import LGSSMParams

__all__ = ["ForecastResult", "forecast", "sample", "steady_state_covariance"]


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """Output of :func:`forecast`: predictive moments of states and observations.

    Attributes
    ----------
    state_means : ndarray, shape (H, n)
    state_covariances : ndarray, shape (H, n, n)
    obs_means : ndarray, shape (H, p)
    obs_covariances : ndarray, shape (H, p, p)
    """

    state_means: np.ndarray
    state_covariances: np.ndarray
    obs_means: np.ndarray
    obs_covariances: np.ndarray


def forecast(params: LGSSMParams, filt: FilterResult, horizon: int, u=None) -> ForecastResult:
    """Predictive means and covariances of states and observations after the data.

    Parameters
    ----------
    params : LGSSMParams
    filt : FilterResult
        Result of :func:`kalman_filter` on one sequence of length ``T``.
    horizon : int
        Number of steps ``H``; step ``j`` predicts time ``T + j``.
    u : array_like, shape (H, m), optional
        Inputs at the forecast times (models with inputs).

    Returns
    -------
    ForecastResult

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, kalman_filter, forecast
    >>> params = LGSSMParams(A=[[0.5]], C=[[1.0]], Q=[[1.0]], R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> fc = forecast(params, kalman_filter(params, [[2.0]]), horizon=2)
    >>> fc.obs_means.ravel(), fc.obs_covariances.ravel()
    (array([0.5 , 0.25]), array([2.125  , 2.28125]))
    """
    params = _check_params(params)
    horizon = check_positive_int(horizon, "horizon")
    if not isinstance(filt, FilterResult) or filt.filtered_means.ndim != 2:
        raise ValidationError("forecast needs the FilterResult of a single sequence.")
    n, p, m = params.state_dim, params.obs_dim, params.input_dim
    T = filt.n_steps
    K = params.n_steps
    if K is not None and T + horizon > K:
        raise ShapeError(f"Time-varying parameters cover {K} steps; forecasting to step "
                         f"{T + horizon} needs more.")
    if m:
        if u is None:
            raise ValidationError(f"The model has m={m} inputs; pass u with shape ({horizon}, {m}).")
        uu = check_array(u, "u", ndim=(1, 2))
        uu = uu.reshape(horizon, -1) if uu.ndim == 1 else uu
        if uu.shape != (horizon, m):
            raise ShapeError(f"u must have shape ({horizon}, {m}); got {uu.shape}.")
    else:
        uu = np.zeros((horizon, 0))
    A, B, C, D, Q, R = (params.stacked(k) for k in ("A", "B", "C", "D", "Q", "R"))

    def at(M, k):
        return M[k] if M.shape[0] > 1 else M[0]

    xm = np.empty((horizon, n))
    xP = np.empty((horizon, n, n))
    ym = np.empty((horizon, p))
    yP = np.empty((horizon, p, p))
    mcur, Pcur = filt.next_mean.copy(), filt.next_covariance.copy()
    for j in range(horizon):
        k = T + j
        xm[j], xP[j] = mcur, Pcur
        Ck = at(C, k)
        ym[j] = Ck @ mcur + at(D, k) @ uu[j]
        S = Ck @ Pcur @ Ck.T + at(R, k)
        yP[j] = 0.5 * (S + S.T)
        Ak = at(A, k)
        mcur = Ak @ mcur + at(B, k) @ uu[j]
        Pcur = Ak @ Pcur @ Ak.T + at(Q, k)
        Pcur = 0.5 * (Pcur + Pcur.T)
    return ForecastResult(state_means=xm, state_covariances=xP, obs_means=ym, obs_covariances=yP)


def sample(params: LGSSMParams, n_steps: int, u=None, *, n_samples: int | None = None,
           random_state=None):
    """Draw states and observations from the model.

    Parameters
    ----------
    params : LGSSMParams
    n_steps : int
    u : array_like, shape (n_steps, m), optional
    n_samples : int, optional
        Number of independent sequences (adds a leading axis).
    random_state : None, int or Generator

    Returns
    -------
    x : ndarray, shape ([S,] T, n)
    y : ndarray, shape ([S,] T, p)

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, sample
    >>> params = LGSSMParams(A=[[0.9]], C=[[1.0]], Q=[[1.0]], R=[[0.5]], m0=[0.0], P0=[[1.0]])
    >>> x, y = sample(params, 100, n_samples=3, random_state=0)
    >>> x.shape, y.shape
    ((3, 100, 1), (3, 100, 1))
    """
    params = _check_params(params)
    if params.diffuse is not None:
        raise ValidationError(
            "Cannot sample from a diffuse (improper) prior on states "
            f"{np.flatnonzero(params.diffuse).tolist()}; give the first state a proper "
            "prior: params.replace(diffuse=None, m0=..., P0=...).")
    T = check_positive_int(n_steps, "n_steps")
    S = 1 if n_samples is None else check_positive_int(n_samples, "n_samples")
    rng = check_rng(random_state)
    n, p, m = params.state_dim, params.obs_dim, params.input_dim
    if params.n_steps is not None and T > params.n_steps:
        raise ShapeError(f"Time-varying parameters cover {params.n_steps} steps; asked for {T}.")
    if m:
        if u is None:
            raise ValidationError(f"The model has m={m} inputs; pass u with shape ({T}, {m}).")
        uu = check_array(u, "u", ndim=2)
        if uu.shape != (T, m):
            raise ShapeError(f"u must have shape ({T}, {m}); got {uu.shape}.")
    else:
        uu = np.zeros((T, 0))
    A, B, C, D = (params.stacked(k) for k in ("A", "B", "C", "D"))
    FQ, FR = _psd_factor(params.stacked("Q")), _psd_factor(params.stacked("R"))
    F0 = _psd_factor(params.P0)

    def at(M, k):
        return M[k] if M.shape[0] > 1 else M[0]

    x = np.empty((S, T, n))
    y = np.empty((S, T, p))
    xk = params.m0 + rng.standard_normal((S, n)) @ F0.T
    for k in range(T):
        x[:, k] = xk
        y[:, k] = xk @ at(C, k).T + at(D, k) @ uu[k] + rng.standard_normal((S, p)) @ at(FR, k).T
        xk = xk @ at(A, k).T + at(B, k) @ uu[k] + rng.standard_normal((S, n)) @ at(FQ, k).T
    if n_samples is None:
        return x[0], y[0]
    return x, y


def steady_state_covariance(params: LGSSMParams) -> np.ndarray:
    """Limit of the predicted covariance: the stabilizing solution of the DARE.

    Parameters
    ----------
    params : LGSSMParams
        Time-invariant parameters (detectable, with ``R`` positive definite).

    Returns
    -------
    ndarray, shape (n, n)

    Examples
    --------
    >>> from lindy.ssm import LGSSMParams, steady_state_covariance
    >>> params = LGSSMParams(A=[[1.0]], C=[[1.0]], Q=[[1.0]], R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> steady_state_covariance(params).round(6)   # golden ratio
    array([[1.618034]])
    """
    from scipy.linalg import solve_discrete_are

    params = _check_params(params)
    if params.time_varying:
        raise ValidationError("steady_state_covariance needs time-invariant parameters.")
    try:
        P = solve_discrete_are(params.A.T, params.C.T, params.Q, params.R)
    except (np.linalg.LinAlgError, ValueError) as err:
        raise NumericalError(f"The discrete algebraic Riccati equation has no stabilizing "
                             f"solution for these parameters ({err}).") from None
    return 0.5 * (P + P.T)
