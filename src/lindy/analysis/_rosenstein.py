"""Maximum Lyapunov exponent from a time series (Rosenstein's method).

Rosenstein, M. T., Collins, J. J. and De Luca, C. J. (1993). A practical method
for calculating largest Lyapunov exponents from small data sets. Physica D 65,
117-134.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array, check_positive_int
from ..data import delay_embed
from ..errors import ValidationError

__all__ = ["max_lyapunov_rosenstein"]


def max_lyapunov_rosenstein(x, dt: float, *, n_delays: int = 1, stride: int = 1,
                            min_tsep: int | None = None, horizon: int | None = None,
                            fit: tuple[int, int] | None = None) -> float:
    """Largest Lyapunov exponent from data: slope of the mean log divergence of
    initially nearest neighbours.

    Parameters
    ----------
    x : array_like, shape (T,) or (T, d)
        Regularly sampled trajectory (a full state, or a scalar to embed).
    dt : float
        Sampling interval; the result is per unit time.
    n_delays, stride : int, default 1
        Delay embedding: rows ``[x_t, x_{t+stride}, ..., x_{t+(n_delays-1) stride}]``
        (:func:`lindy.data.delay_embed`; the default uses the states as given).
    min_tsep : int, optional
        Temporal separation of neighbours (default: ``horizon``).
    horizon : int, optional
        Number of steps the divergence is followed (default ``T // 20``).
    fit : (int, int), optional
        Range of steps fitted by a line (default: the first third of the horizon).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.systems import get_system, simulate
    >>> x = simulate(get_system("Henon"), n_steps=4000, transient=100)[0].x
    >>> bool(abs(max_lyapunov_rosenstein(x, 1.0, horizon=30, fit=(0, 8)) - 0.42) < 0.1)
    True
    """
    from scipy.spatial import cKDTree

    x = check_array(x, "x", ndim=(1, 2))
    n_delays = check_positive_int(n_delays, "n_delays")
    stride = check_positive_int(stride, "stride")
    Y = delay_embed(x[:, None] if x.ndim == 1 else x, n_delays, stride)
    n = Y.shape[0]
    if n < 2:
        raise ValidationError(f"The series is too short for n_delays={n_delays}, stride={stride}.")
    horizon = max(n // 20, 2) if horizon is None else check_positive_int(horizon, "horizon", minimum=2)
    min_tsep = horizon if min_tsep is None else check_positive_int(min_tsep, "min_tsep", minimum=0)
    m = n - horizon
    if m < 10:
        raise ValidationError(f"The series (length {n}) is too short for horizon={horizon}.")
    tree = cKDTree(Y[:m])
    k = min(m, 2 * min_tsep + 5)
    dist, nbr = tree.query(Y[:m], k=k)
    idx = np.arange(m)[:, None]
    ok = (np.abs(nbr - idx) > min_tsep) & (dist > 0)
    first = np.argmax(ok, axis=1)
    has = ok[np.arange(m), first]
    if has.sum() < 10:
        raise ValidationError("Too few valid neighbour pairs; lengthen the series or lower min_tsep.")
    i = np.arange(m)[has]
    j = nbr[i, first[has]]
    steps = np.arange(horizon)
    d = np.linalg.norm(Y[i[:, None] + steps] - Y[j[:, None] + steps], axis=2)
    with np.errstate(divide="ignore"):
        logd = np.log(d)
    logd[~np.isfinite(logd)] = np.nan
    curve = np.nanmean(logd, axis=0)
    a, b = (0, max(2, horizon // 3)) if fit is None else fit
    if not 0 <= a < b <= horizon:
        raise ValidationError(f"fit must satisfy 0 <= start < stop <= horizon; got {fit!r}.")
    slope = np.polyfit(steps[a:b] * dt, curve[a:b], 1)[0]
    return float(slope)
