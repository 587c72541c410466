"""More pointwise, horizon and probabilistic metrics (each docstring cites its definition)."""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, pearsonr, spearmanr

from .._validation import check_array
from ..errors import ShapeError, ValidationError
from ._pointwise import _pair

__all__ = ["mse", "mae", "nrmse_total", "mase", "pearson", "spearman", "horizoned",
           "valid_prediction_time_nrmse", "crps_samples", "crps_gaussian", "coverage"]


def mse(y_true, y_pred) -> float:
    """Mean squared error over all steps and dimensions.

    Examples
    --------
    >>> mse([[0.0], [0.0]], [[1.0], [3.0]])
    5.0
    """
    yt, yp = _pair(y_true, y_pred)
    return float(np.mean((yt - yp) ** 2))


def mae(y_true, y_pred) -> float:
    """Mean absolute error over all steps and dimensions.

    Examples
    --------
    >>> mae([[0.0], [0.0]], [[1.0], [-3.0]])
    2.0
    """
    yt, yp = _pair(y_true, y_pred)
    return float(np.mean(np.abs(yt - yp)))


def nrmse_total(y_true, y_pred, scale=None) -> float:
    """RMSE normalized by the total variance of the truth (Gauthier et al. 2021).

    ``sqrt(sum_{k,i} (y_ki - yhat_ki)^2 / (T sum_i s_i^2))``: one normalization
    for all coordinates (next-generation reservoir computing's NRMSE), where
    :func:`nrmse` normalizes each coordinate by its own variance. ``scale``
    gives ``sqrt(sum_i s_i^2)`` (e.g. from a long run) instead of the truth's.

    Examples
    --------
    >>> nrmse_total([[1.0, 0.0], [-1.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]])
    1.0
    """
    yt, yp = _pair(y_true, y_pred)
    total = float(np.sqrt(np.sum(yt.var(axis=0)))) if scale is None else float(scale)
    if not total > 0:
        raise ValidationError("nrmse_total needs a positive scale; the truth is constant. Pass scale=.")
    return float(np.sqrt(np.mean(np.sum((yt - yp) ** 2, axis=1))) / total)


def mase(y_true, y_pred, y_train, season: int = 1) -> float:
    """Mean absolute scaled error (Hyndman and Koehler 2006).

    ``mean |y - yhat| / mean |y_train[k] - y_train[k - season]|``: the error
    relative to the in-sample seasonal-naive forecast.

    Examples
    --------
    >>> mase([[2.0]], [[3.0]], y_train=[[0.0], [2.0], [4.0]])
    0.5
    """
    yt, yp = _pair(y_true, y_pred)
    tr = check_array(getattr(y_train, "x", y_train), "y_train", ndim=(1, 2), min_rows=season + 1)
    tr = tr[:, None] if tr.ndim == 1 else tr
    scale = float(np.mean(np.abs(tr[season:] - tr[:-season])))
    if not scale > 0:
        raise ValidationError("mase needs a training series that changes; its naive error is 0.")
    return float(np.mean(np.abs(yt - yp)) / scale)


def _per_dim(fn, y_true, y_pred) -> float:
    yt, yp = _pair(y_true, y_pred)
    return float(np.mean([fn(yt[:, i], yp[:, i])[0] for i in range(yt.shape[1])]))


def pearson(y_true, y_pred) -> float:
    """Pearson correlation of truth and forecast, averaged over dimensions.

    Examples
    --------
    >>> pearson([[1.0], [2.0], [3.0]], [[2.0], [4.0], [6.5]]) > 0.99
    True
    """
    return _per_dim(pearsonr, y_true, y_pred)


def spearman(y_true, y_pred) -> float:
    """Spearman rank correlation of truth and forecast, averaged over dimensions.

    Examples
    --------
    >>> spearman([[1.0], [2.0], [3.0]], [[1.0], [5.0], [9.0]])
    1.0
    """
    return _per_dim(spearmanr, y_true, y_pred)


def horizoned(metric, y_true, y_pred) -> np.ndarray:
    """``metric(y_true[:k], y_pred[:k])`` for every horizon ``k = 1..T`` (dysts' horizoned metric).

    Examples
    --------
    >>> horizoned(mae, [[0.0], [0.0]], [[1.0], [3.0]]).tolist()
    [1.0, 2.0]
    """
    yt, yp = _pair(y_true, y_pred)
    return np.array([metric(yt[: k + 1], yp[: k + 1]) for k in range(yt.shape[0])])


def valid_prediction_time_nrmse(y_true, y_pred, dt: float = 1.0, threshold: float = 0.5,
                                scale=None, lyapunov_exponent: float | None = None) -> float:
    """Time until the running NRMSE first exceeds ``threshold`` (Pathak et al. 2018).

    The error of step ``k`` is ``sqrt(mean_i ((y_ki - yhat_ki) / s_i)^2)`` with
    ``s_i`` the truth's standard deviation (or ``scale``); the forecast is valid
    through the last step before it exceeds ``threshold``.

    Examples
    --------
    >>> truth = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    >>> valid_prediction_time_nrmse(truth, [[1.0], [-1.0], [0.0], [0.0]], dt=0.5)
    1.0
    """
    yt, yp = _pair(y_true, y_pred)
    s = yt.std(axis=0) if scale is None else np.broadcast_to(np.asarray(scale, float), yt.shape[1:])
    if np.any(s <= 0):
        raise ValidationError("valid_prediction_time_nrmse needs a positive scale per dimension; "
                              "pass scale=.")
    err = np.sqrt(np.mean(((yt - yp) / s) ** 2, axis=1))
    bad = np.flatnonzero(~(err <= threshold))
    time = (int(bad[0]) if bad.size else err.size) * float(dt)
    return time * float(lyapunov_exponent) if lyapunov_exponent is not None else time


def crps_samples(y_true, samples) -> float:
    """Continuous ranked probability score from forecast samples (Gneiting and Raftery 2007).

    ``CRPS = E|X - y| - 1/2 E|X - X'|`` with ``X, X'`` independent draws of the
    forecast, averaged over steps and dimensions (the exact sample formula).

    Parameters
    ----------
    y_true : array_like, shape (T, d)
    samples : array_like, shape (S, T, d)

    Examples
    --------
    >>> crps_samples([[0.0]], [[[0.0]], [[0.0]]])
    0.0
    >>> crps_samples([[0.0]], [[[1.0]], [[-1.0]]])
    0.5
    """
    yt = check_array(getattr(y_true, "x", y_true), "y_true", ndim=(1, 2))
    yt = yt[:, None] if yt.ndim == 1 else yt
    S = np.asarray(getattr(samples, "samples", samples), dtype=float)
    if S.ndim == 2:
        S = S[..., None]
    if S.shape[1:] != yt.shape:
        raise ShapeError(f"samples must have shape (S, {yt.shape[0]}, {yt.shape[1]}); got {S.shape}.")
    term1 = np.mean(np.abs(S - yt[None]), axis=0)
    Ss = np.sort(S, axis=0)
    n = S.shape[0]
    weights = (2 * np.arange(1, n + 1) - n - 1)[:, None, None]
    term2 = np.sum(weights * Ss, axis=0) / n ** 2  # = 1/2 E|X - X'| (sorted-sample identity)
    return float(np.mean(term1 - term2))


def crps_gaussian(y_true, mean, std) -> float:
    """CRPS of Gaussian forecasts in closed form (Gneiting et al. 2005).

    ``sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)]`` with ``z = (y - mu) / sigma``.

    Examples
    --------
    >>> round(crps_gaussian([[0.0]], [[0.0]], [[1.0]]), 6)
    0.233695
    """
    yt, mu = _pair(y_true, mean)
    try:
        sd = np.broadcast_to(np.asarray(getattr(std, "std", std), dtype=float), yt.shape)
    except ValueError:
        raise ShapeError(f"std must broadcast to {yt.shape}; got shape {np.shape(std)}.") from None
    if not np.all(sd > 0):
        raise ValidationError("crps_gaussian needs positive standard deviations.")
    z = (yt - mu) / sd
    return float(np.mean(sd * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / np.sqrt(np.pi))))


def coverage(y_true, lower, upper) -> float:
    """Fraction of true values inside the prediction interval ``[lower, upper]``.

    Examples
    --------
    >>> coverage([[0.0], [2.0]], [[-1.0], [-1.0]], [[1.0], [1.0]])
    0.5
    """
    yt, lo = _pair(y_true, lower)
    _, hi = _pair(y_true, upper)
    return float(np.mean((yt >= lo) & (yt <= hi)))


