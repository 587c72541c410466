"""Context parroting: copy the continuation of the best match in the context."""

from __future__ import annotations

import numpy as np

from .._constraints import Interval
from ..base import DelayWindow, Estimator
from ..errors import ValidationError
from ._embedding import embed

__all__ = ["ContextParroting"]


def parrot(x: np.ndarray, n_delays: int, stride: int, horizon: int,
           min_separation: int | None = None) -> np.ndarray:
    """Continue ``x`` (T, d) by repeating what followed the window closest to its last one.

    The last delay window of ``x`` is compared with every earlier complete window
    ending at least ``min_separation`` samples before it (default: the window
    length, so the match does not overlap the final window: on finely sampled
    flows the window one step back is always closest and would only repeat the
    last sample); with ``j`` the index of the best match, the forecast repeats
    ``x[j + 1:]`` (cyclically when the horizon is longer: the last sample of
    ``x`` resembles ``x[j]``, so ``x[j + 1]`` follows again).

    Returns
    -------
    ndarray, shape (horizon, d)
    """
    V = embed(x, n_delays, stride)
    T = x.shape[0]
    span = (n_delays - 1) * stride
    sep = span + 1 if min_separation is None else int(min_separation)
    if T < span + 1 + sep:
        raise ValidationError(
            f"Context parroting needs at least {span + 1 + sep} context samples for "
            f"{n_delays} delays with stride {stride} and a match {sep} samples back; got {T}. "
            "Pass a longer context.")
    candidates = V[span: T - sep]
    dist = np.linalg.norm(candidates - V[-1], axis=1)
    j = span + int(np.argmin(dist))
    segment = x[j + 1:]
    reps = -(-horizon // segment.shape[0])
    return np.tile(segment, (reps, 1))[:horizon]


class ContextParroting(DelayWindow, Estimator):
    """Context parroting: forecast by copying the continuation of the nearest match in the context.

    The final delay window of the context (``n_delays`` samples ``stride``
    apart) is matched against every earlier window of the same context that
    does not overlap it (``min_separation`` samples back at least); the
    forecast repeats what followed the best match. No parameters are learned:
    ``fit`` only checks the data (the method is zero-shot); it is the baseline
    that Zhang and Gilpin (2025) found hard to beat for pretrained forecasting
    models on low-dimensional chaotic systems, so every forecasting
    leaderboard should include it.

    Parameters
    ----------
    n_delays : int, default 10
        Samples in the matched window.
    stride : int, default 1
    min_separation : int, optional
        How far back a match must end; default the window length
        ``(n_delays - 1) stride + 1``.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.sin(0.1 * np.arange(300))[:, None]
    >>> model = ld.edm.ContextParroting(n_delays=5).fit(x)
    >>> fc = model.forecast(x[:250], horizon=50)
    >>> bool(np.abs(fc.x - x[250:300]).max() < 0.05)
    True
    """

    _parameter_constraints = {"n_delays": [Interval(int, 1, None)], "stride": [Interval(int, 1, None)],
                              "min_separation": [None, Interval(int, 1, None)]}

    def __init__(self, n_delays=10, stride=1, min_separation=None):
        self.n_delays = n_delays
        self.stride = stride
        self.min_separation = min_separation

    def _separation(self) -> int:
        return self._span() + 1 if self.min_separation is None else self.min_separation

    def _min_fit_length(self) -> int:
        return self._span() + 1 + self._separation()

    def _min_context(self) -> int:
        return self._span() + 1 + self._separation()

    def _fit(self, data) -> None:
        self.n_training_samples_ = int(sum(data.lengths))

    def _predict_next(self, x, u):
        out = np.full(x.shape, np.nan)
        for k in range(self._span() + self._separation(), x.shape[0]):
            out[k] = parrot(x[: k + 1], self.n_delays, self.stride, 1, self._separation())[0]
        return out

    def _forecast(self, context, horizon, u_future):
        fc = parrot(context.x, self.n_delays, self.stride, horizon, self._separation())
        return self._forecast_result(context, fc)
