"""Dominant period of a signal from its power spectrum."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive_int
from ..errors import ValidationError

__all__ = ["dominant_period"]


def dominant_period(x, dt: float, *, n_segments: int = 8) -> float:
    """The period of the highest peak of the averaged power spectrum.

    Each coordinate is detrended and standardized; the periodograms of
    ``n_segments`` Hann-windowed half-overlapping segments are averaged over
    segments and coordinates (Welch's method); the zero frequency is excluded.

    Parameters
    ----------
    x : array_like, shape (T,) or (T, d)
        Regularly sampled signal, time first.
    dt : float
        Sampling interval.
    n_segments : int, default 8
        Number of segments averaged (more: smoother spectrum, coarser frequencies).

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(4000) * 0.05
    >>> round(dominant_period(np.sin(2 * np.pi * t / 3.0), 0.05), 1)
    3.0
    """
    x = check_array(x, "x", ndim=(1, 2), min_rows=16)
    x = x[:, None] if x.ndim == 1 else x
    n_segments = check_positive_int(n_segments, "n_segments")
    if not np.isfinite(dt) or dt <= 0:
        raise ValidationError(f"dt must be a positive number; got {dt!r}.")
    T = x.shape[0]
    tt = np.arange(T)
    raw = x.std(axis=0)
    coef = np.polyfit(tt, x, 1)
    x = x - (np.outer(tt, coef[0]) + coef[1])
    std = x.std(axis=0)
    keep = std > 1e-8 * (raw + np.abs(coef[1]) + 1e-300)  # drop phase-like (linear) states
    if not np.any(keep):
        raise ValidationError("The signal is constant (after detrending); it has no period.")
    x = x[:, keep] / std[keep]
    seg = max(16, 2 * T // (n_segments + 1))
    step = max(1, seg // 2)
    win = np.hanning(seg)
    power = np.zeros(seg // 2 + 1)
    for start in range(0, T - seg + 1, step):
        chunk = x[start:start + seg] * win[:, None]
        power += (np.abs(np.fft.rfft(chunk, axis=0)) ** 2).sum(axis=1)
    freqs = np.fft.rfftfreq(seg, dt)
    k = 1 + int(np.argmax(power[1:]))
    # refine the peak by a parabola through the three neighbouring bins
    if 1 < k < power.size - 1:
        a, b, c = np.log(power[k - 1:k + 2] + 1e-300)
        denom = a - 2 * b + c
        shift = 0.5 * (a - c) / denom if denom != 0 else 0.0
        f = freqs[k] + np.clip(shift, -0.5, 0.5) * (freqs[1] - freqs[0])
    else:
        f = freqs[k]
    return float(1.0 / f)
