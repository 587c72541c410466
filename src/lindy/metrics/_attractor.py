"""Long-term (attractor) statistics: state-space divergence and power-spectrum distances.

These compare the *distribution* of a generated trajectory with the truth, not
the pointwise error, and are the measures of dynamical-systems reconstruction
(Koppe et al. 2019; Mikhaeil et al. 2022; Hess et al. 2023).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.special import logsumexp

from .._validation import check_array, check_positive_int, check_rng
from ..errors import ShapeError, ValidationError

__all__ = ["dstsp", "dstsp_binned", "dstsp_gmm", "hellinger_spectrum", "average_hellinger",
           "power_spectrum", "hellinger"]

#: Laplace smoothing of the binned state-space divergence (Hess et al. 2023 code: 10e-6)
SMOOTHING = 1e-5
#: above this dimension ``dstsp`` switches from bins to a Gaussian mixture
MAX_BINNED_DIM = 5


def _series(x, name: str) -> np.ndarray:
    a = check_array(getattr(x, "x", x), name, ndim=(1, 2), min_rows=2)
    return a[:, None] if a.ndim == 1 else a


def _pair_dims(true, generated):
    t, g = _series(true, "true"), _series(generated, "generated")
    if t.shape[1] != g.shape[1]:
        raise ShapeError(f"true and generated must have the same dimension; got {t.shape[1]} "
                         f"and {g.shape[1]}.")
    return t, g


def _histogram(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, n_bins: int) -> np.ndarray:
    """Counts on an ``n_bins^d`` grid over ``[lo, hi)``; points outside are dropped."""
    idx = np.floor(n_bins * (x - lo) / (hi - lo)).astype(np.int64)
    inside = np.all((idx >= 0) & (idx < n_bins), axis=1)
    flat = np.ravel_multi_index(tuple(idx[inside].T), (n_bins,) * x.shape[1])
    return np.bincount(flat, minlength=n_bins ** x.shape[1]).astype(float)


def _smoothed_pdf(counts: np.ndarray, alpha: float) -> np.ndarray | None:
    total = counts.sum()
    if total == 0:
        return None
    return (counts + alpha) / (total + alpha * counts.size)


def dstsp_binned(true, generated, n_bins: int = 30, alpha: float = SMOOTHING) -> float:
    """Binned state-space divergence ``KL(p_true || p_generated)`` (Koppe et al. 2019).

    Both trajectories are histogrammed on ``n_bins`` bins per dimension over the
    true data's range, ``[min - 0.1 std, max + 0.1 std]`` per coordinate;
    counts are smoothed by Laplace's rule, ``p = (c + alpha) / (N + alpha B)``
    with ``B = n_bins^d`` bins (Hess et al. 2023 use ``alpha = 1e-5``), and the
    divergence is ``sum p_true log(p_true / p_generated)``. Generated points
    outside the range are not counted. Meant for low dimensions (``B`` grows
    as ``n_bins^d``); see :func:`dstsp_gmm` above five.

    Parameters
    ----------
    true, generated : array_like, shape (T, d)
    n_bins : int, default 30
    alpha : float, default 1e-5

    Returns
    -------
    float
        0 for identical distributions; NaN when no generated point falls in
        the range (the divergence is then undefined).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((5000, 2))
    >>> dstsp_binned(x, x)
    0.0
    >>> bool(dstsp_binned(x, 0.2 * rng.standard_normal((5000, 2))) > 1.0)
    True
    """
    t, g = _pair_dims(true, generated)
    n_bins = check_positive_int(n_bins, "n_bins")
    if t.shape[1] > 8:
        raise ValidationError(f"dstsp_binned on {t.shape[1]} dimensions needs {n_bins}^{t.shape[1]} "
                              "bins; use dstsp_gmm (or dstsp, which switches) for high dimensions.")
    std = t.std(axis=0)
    lo, hi = t.min(axis=0) - 0.1 * std, t.max(axis=0) + 0.1 * std
    hi = np.where(hi > lo, hi, lo + 1.0)
    p = _smoothed_pdf(_histogram(t, lo, hi, n_bins), alpha)
    q = _smoothed_pdf(_histogram(g, lo, hi, n_bins), alpha)
    if q is None:
        return float("nan")
    return float(np.sum(p * np.log(p / q)))


def _gmm_logpdf(points: np.ndarray, centres: np.ndarray, variance: float) -> np.ndarray:
    """Log density of an equal-weight isotropic Gaussian mixture at each point."""
    d = points.shape[1]
    sq = (np.sum(points ** 2, axis=1)[:, None] - 2.0 * points @ centres.T
          + np.sum(centres ** 2, axis=1)[None, :])
    logk = -0.5 * np.maximum(sq, 0.0) / variance - 0.5 * d * np.log(2 * np.pi * variance)
    return logsumexp(logk, axis=1) - np.log(centres.shape[0])


def dstsp_gmm(true, generated, variance: float = 1.0, n_samples: int = 1000, random_state=0,
              max_centres: int = 5000) -> float:
    """State-space divergence from Gaussian mixtures, for high dimensions (Hess et al. 2023).

    ``p`` and ``q`` put an isotropic Gaussian of ``variance`` on every point of
    the true and generated trajectories (standardize the data first: the
    convention is ``variance = 1`` on standardized data); ``KL(p || q)`` is
    estimated by Monte Carlo with ``n_samples`` draws from ``p``:
    ``mean log p(s) / q(s)``. Trajectories longer than ``max_centres`` are
    thinned evenly.

    Parameters
    ----------
    true, generated : array_like, shape (T, d)
    variance : float, default 1.0
    n_samples : int, default 1000
    random_state : int, Generator or None, default 0
    max_centres : int, default 5000

    Returns
    -------
    float

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x = rng.standard_normal((500, 6))
    >>> abs(dstsp_gmm(x, x)) < 1e-12
    True
    """
    t, g = _pair_dims(true, generated)
    if not variance > 0:
        raise ValidationError(f"variance must be positive; got {variance!r}.")
    rng = check_rng(random_state)
    t = t[:: max(1, -(-t.shape[0] // max_centres))]
    g = g[:: max(1, -(-g.shape[0] // max_centres))]
    n = check_positive_int(n_samples, "n_samples")
    centres = t[rng.integers(0, t.shape[0], size=n)]
    samples = centres + np.sqrt(variance) * rng.standard_normal(centres.shape)
    return float(np.mean(_gmm_logpdf(samples, t, variance) - _gmm_logpdf(samples, g, variance)))


def dstsp(true, generated, n_bins: int = 30, **gmm_options) -> float:
    """State-space divergence D_stsp: binned up to five dimensions, Gaussian mixture above.

    See :func:`dstsp_binned` (30 bins per dimension, Laplace smoothing 1e-5)
    and :func:`dstsp_gmm` (unit variance on standardized data).

    Examples
    --------
    >>> import lindy as ld
    >>> x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=20000)[0].x
    >>> dstsp(x, x)
    0.0
    >>> bool(dstsp(x, np.repeat(x[-1:], 20000, axis=0)) > 10)     # a fixed point
    True
    """
    t, _ = _pair_dims(true, generated)
    if t.shape[1] <= MAX_BINNED_DIM:
        return dstsp_binned(true, generated, n_bins=n_bins)
    return dstsp_gmm(true, generated, **gmm_options)


def power_spectrum(x: np.ndarray, smoothing: float = 20.0) -> np.ndarray:
    """Normalized, Gaussian-smoothed power spectrum of each z-scored column, shape (F, d).

    ``|rfft(z)|^2`` of ``z = (x - mean) / std``, smoothed with a Gaussian kernel
    of ``smoothing`` frequency bins (``scipy.ndimage.gaussian_filter1d``,
    reflecting edges) and normalized to sum 1 per column.

    Parameters
    ----------
    x : array_like, shape (T, d)
    smoothing : float, default 20
        Standard deviation of the Gaussian kernel, in frequency bins (0: none).

    Returns
    -------
    ndarray, shape (T // 2 + 1, d)
    """
    x = _series(x, "x")
    std = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(std > 0, std, 1.0)
    ps = np.abs(np.fft.rfft(z, axis=0)) ** 2
    if smoothing > 0:
        ps = gaussian_filter1d(ps, smoothing, axis=0)
    total = ps.sum(axis=0)
    return ps / np.where(total > 0, total, 1.0)


def hellinger(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Hellinger distance of normalized distributions along axis 0.

    ``sqrt(1/2 sum (sqrt p - sqrt q)^2)``, which equals ``sqrt(1 - sum sqrt(p q))``
    but is exactly 0 for equal distributions (no cancellation).
    """
    return np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2, axis=0))


def hellinger_spectrum(true, generated, smoothing: float = 20.0) -> float:
    """Power-spectrum Hellinger distance D_H, averaged over dimensions (Mikhaeil et al. 2022).

    Each coordinate is z-scored; its power spectrum ``|rfft|^2`` is smoothed
    by a Gaussian of ``smoothing`` bins (sigma = 20 in the DSR literature) and
    normalized; D_H is the mean over coordinates of the Hellinger distance of
    the true and generated spectra (0: identical, 1: disjoint). Both series
    must have the same length (the same frequency grid).

    Examples
    --------
    >>> t = np.arange(4000) * 0.05
    >>> x = np.sin(t)[:, None]
    >>> hellinger_spectrum(x, x)
    0.0
    >>> bool(hellinger_spectrum(x, np.sin(3 * t)[:, None]) > 0.5)
    True
    """
    t, g = _pair_dims(true, generated)
    if t.shape[0] != g.shape[0]:
        raise ShapeError(f"hellinger_spectrum needs series of equal length (one frequency grid); "
                         f"got {t.shape[0]} and {g.shape[0]}. Trim the longer one.")
    return float(np.mean(hellinger(power_spectrum(t, smoothing), power_spectrum(g, smoothing))))


def average_hellinger(true, generated, n_bins: int = 100) -> float:
    """The dysts papers' "average Hellinger distance": unsmoothed spectra, first ``n_bins`` bins.

    ``|fft|^2`` of each raw coordinate (no z-scoring, no smoothing), the first
    ``n_bins`` frequencies normalized to sum 1, Hellinger distance averaged
    over coordinates (as ``dysts.metrics.average_hellinger_distance``).

    Examples
    --------
    >>> x = np.sin(0.1 * np.arange(1000))[:, None]
    >>> average_hellinger(x, x)
    0.0
    """
    t, g = _pair_dims(true, generated)
    n_bins = check_positive_int(n_bins, "n_bins")
    ft = (np.abs(np.fft.fft(t, axis=0)) ** 2)[:n_bins]
    fg = (np.abs(np.fft.fft(g, axis=0)) ** 2)[:n_bins]
    return float(np.mean(hellinger(ft / ft.sum(axis=0), fg / fg.sum(axis=0))))
