"""Fractal dimensions: Kaplan-Yorke (from a Lyapunov spectrum) and correlation
dimension (Grassberger-Procaccia, from data)."""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive_int, check_rng
from ..errors import ValidationError

__all__ = ["kaplan_yorke_dimension", "correlation_dimension"]


def kaplan_yorke_dimension(spectrum) -> float:
    """Kaplan-Yorke (Lyapunov) dimension of a Lyapunov spectrum.

    ``D = j + (lambda_1 + ... + lambda_j) / |lambda_{j+1}|`` with ``j`` the largest
    index whose partial sum is nonnegative (0 if ``lambda_1 < 0``; the full
    dimension if all partial sums are nonnegative).

    Examples
    --------
    >>> round(kaplan_yorke_dimension([0.9056, 0.0, -14.5723]), 4)
    2.0621
    >>> kaplan_yorke_dimension([-1.0, -2.0])
    0.0
    """
    lam = np.sort(check_array(spectrum, "spectrum", ndim=1))[::-1]
    sums = np.cumsum(lam)
    nonneg = np.nonzero(sums >= 0)[0]
    if nonneg.size == 0:
        return 0.0
    j = int(nonneg[-1]) + 1
    if j == lam.size:
        return float(lam.size)
    return float(j + sums[j - 1] / abs(lam[j]))


def correlation_dimension(x, *, n_points: int = 2000, r_quantiles=(0.005, 0.05),
                          min_tsep: int = 10, random_state=0) -> float:
    """Correlation dimension (Grassberger-Procaccia) of a sampled attractor.

    The correlation sum ``C(r)`` (fraction of pairs closer than ``r``, pairs at
    least ``min_tsep`` samples apart) is fitted by a line in log-log coordinates
    between the radii at the given quantiles of the pairwise distances.

    Parameters
    ----------
    x : array_like, shape (T, d)
        Points on the attractor (time first).
    n_points : int, default 2000
        Points drawn at random from ``x`` (cost grows as the square).
    r_quantiles : (float, float)
        Distance quantiles bounding the scaling range.
    min_tsep : int, default 10
        Exclude pairs closer than this in time (Theiler window).
    random_state : int, Generator or None, default 0
        Randomness of the choice of points.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.linspace(0, 200 * np.pi, 20000)
    >>> circle = np.column_stack([np.cos(t), np.sin(t)])
    >>> round(correlation_dimension(circle), 1)
    1.0
    """
    from scipy.spatial.distance import pdist

    x = check_array(x, "x", ndim=2, min_rows=10)
    n_points = check_positive_int(n_points, "n_points", minimum=10)
    lo, hi = r_quantiles
    if not 0 < lo < hi < 1:
        raise ValidationError(f"r_quantiles must satisfy 0 < lo < hi < 1; got {r_quantiles!r}.")
    rng = check_rng(random_state)
    idx = np.sort(rng.choice(x.shape[0], size=min(n_points, x.shape[0]), replace=False))
    pts = x[idx]
    scale = pts.std(axis=0)
    pts = pts / np.where(scale > 0, scale, 1.0)
    dist = pdist(pts)
    ii, jj = np.triu_indices(idx.size, k=1)
    dist = dist[np.abs(idx[ii] - idx[jj]) >= min_tsep]
    dist = dist[dist > 0]
    if dist.size < 100:
        raise ValidationError("Too few distinct point pairs to estimate a correlation dimension.")
    r = np.geomspace(np.quantile(dist, lo), np.quantile(dist, hi), 12)
    dist.sort()
    C = np.searchsorted(dist, r) / dist.size
    ok = C > 0
    if ok.sum() < 3 or np.ptp(np.log(r[ok])) == 0:
        raise ValidationError("The point set has no scaling range (periodic or degenerate); "
                              "no correlation dimension.")
    slope = np.polyfit(np.log(r[ok]), np.log(C[ok]), 1)[0]
    return float(slope)
