"""Pointwise forecast metrics: RMSE, NRMSE, sMAPE and valid prediction time."""

from __future__ import annotations

import numpy as np

from .._validation import check_array
from ..errors import ShapeError, ValidationError

__all__ = ["rmse", "nrmse", "smape", "smape_per_step", "valid_prediction_time"]


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    yt = check_array(getattr(y_true, "x", y_true), "y_true", ndim=(1, 2))
    yp = check_array(getattr(y_pred, "x", y_pred), "y_pred", ndim=(1, 2))
    yt = yt[:, None] if yt.ndim == 1 else yt
    yp = yp[:, None] if yp.ndim == 1 else yp
    if yt.shape != yp.shape:
        raise ShapeError(
            f"y_true and y_pred must have the same shape; got {yt.shape} and {yp.shape}. "
            "Slice the truth to the forecast horizon."
        )
    return yt, yp


def rmse(y_true, y_pred) -> float:
    """Root-mean-square error over all time steps and dimensions.

    Examples
    --------
    >>> rmse([[0.0], [0.0]], [[3.0], [4.0]])
    3.5355339059327378
    """
    yt, yp = _pair(y_true, y_pred)
    return float(np.sqrt(np.mean((yt - yp) ** 2)))


def nrmse(y_true, y_pred, scale=None) -> float:
    """RMSE normalized per dimension by the standard deviation of the truth.

    ``sqrt(mean_{k,i} (y_ki - yhat_ki)^2 / s_i^2)`` with ``s_i`` the standard
    deviation of ``y_true[:, i]`` (or ``scale`` if given, e.g. the attractor's
    standard deviation for short horizons).

    Examples
    --------
    >>> nrmse([[1.0], [-1.0]], [[0.0], [0.0]])
    1.0
    """
    yt, yp = _pair(y_true, y_pred)
    s = yt.std(axis=0) if scale is None else np.broadcast_to(np.asarray(scale, float), yt.shape[1:])
    if np.any(s <= 0):
        raise ValidationError(
            "nrmse needs a positive scale for every dimension; y_true is constant in "
            "some dimension. Pass scale= (e.g. the attractor's standard deviation)."
        )
    return float(np.sqrt(np.mean(((yt - yp) / s) ** 2)))


def smape_per_step(y_true, y_pred) -> np.ndarray:
    """Symmetric MAPE of each time step over the dimensions, 0-200 scale, shape (T,).

    ``200 / d * sum_i |y_i - yhat_i| / (|y_i| + |yhat_i|)``; a term with both
    values zero counts as 0.

    Examples
    --------
    >>> smape_per_step([[1.0], [1.0]], [[1.0], [-1.0]])
    array([  0., 200.])
    """
    yt, yp = _pair(y_true, y_pred)
    num = np.abs(yt - yp)
    den = np.abs(yt) + np.abs(yp)
    ratio = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return 200.0 * ratio.mean(axis=1)


def smape(y_true, y_pred) -> float:
    """Symmetric mean absolute percentage error on the 0-200 scale (Makridakis 1993).

    The convention of the chaos-forecasting literature (Gilpin 2021):
    ``200 / (T d) * sum |y - yhat| / (|y| + |yhat|)``.

    Examples
    --------
    >>> smape([[1.0, 2.0]], [[1.0, 2.0]])
    0.0
    >>> round(smape([[1.0]], [[3.0]]), 6)
    100.0
    """
    return float(np.mean(smape_per_step(y_true, y_pred)))


def valid_prediction_time(y_true, y_pred, dt: float = 1.0, threshold: float = 30.0,
                          lyapunov_exponent: float | None = None) -> float:
    """Time until the forecast first departs from the truth.

    The first step ``k`` at which the sMAPE of that step (over dimensions, 0-200
    scale) exceeds ``threshold``; the result is ``k * dt`` (the forecast stays
    valid through steps ``0..k-1``), or ``T * dt`` if it never does. With
    ``lyapunov_exponent`` the time is expressed in Lyapunov times
    (multiplied by the exponent).

    Parameters
    ----------
    y_true, y_pred : array_like, shape (T, d)
        Truth and forecast over the same horizon.
    dt : float
        Sampling interval.
    threshold : float, default 30
        sMAPE threshold (Gilpin 2021 uses 30).
    lyapunov_exponent : float, optional
        Maximum Lyapunov exponent for the result in Lyapunov times.

    Examples
    --------
    >>> truth = np.ones((5, 1)); pred = np.array([[1.0], [1.0], [1.1], [3.0], [1.0]])
    >>> valid_prediction_time(truth, pred, dt=0.5)
    1.5
    """
    s = smape_per_step(y_true, y_pred)
    if not (np.isfinite(dt) and dt > 0):
        raise ValidationError(f"dt must be a positive number; got {dt!r}.")
    bad = np.flatnonzero(~(s <= threshold))  # NaN counts as a failure
    steps = int(bad[0]) if bad.size else s.shape[0]
    time = steps * float(dt)
    if lyapunov_exponent is not None:
        if not (np.isfinite(lyapunov_exponent) and lyapunov_exponent > 0):
            raise ValidationError(
                f"lyapunov_exponent must be positive to measure Lyapunov times; got {lyapunov_exponent!r}."
            )
        time *= float(lyapunov_exponent)
    return time
