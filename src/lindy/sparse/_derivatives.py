"""Time derivatives of one sampled trajectory, and the weak (integral) form.

Every function works on one trajectory: derivatives are never taken across
the boundary between two trajectories.

Examples
--------
>>> import numpy as np
>>> t = np.linspace(0, 1, 11)
>>> finite_difference(t[:, None] ** 2, t)[:, 0].round(6)
array([0. , 0.2, 0.4, 0.6, 0.8, 1. , 1.2, 1.4, 1.6, 1.8, 2. ])
"""

from __future__ import annotations

import numpy as np
from scipy.signal import savgol_filter

from ..errors import ValidationError

__all__ = ["finite_difference", "savitzky_golay", "smoothed_finite_difference",
           "weak_form_matrices"]


def finite_difference(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Second-order centred differences, one-sided second-order at both ends.

    Parameters
    ----------
    x : ndarray, shape (T, d)
    t : ndarray, shape (T,)
        Sample times (need not be uniform).

    Returns
    -------
    ndarray, shape (T, d)

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(5.0)
    >>> finite_difference(np.c_[t ** 2], t).ravel()
    array([0., 2., 4., 6., 8.])
    """
    if x.shape[0] < 3:
        return np.gradient(x, t, axis=0, edge_order=1)
    return np.gradient(x, t, axis=0, edge_order=2)


def _uniform_step(t: np.ndarray, what: str) -> float:
    d = np.diff(t)
    if not np.allclose(d, d[0], rtol=1e-6, atol=0.0):
        raise ValidationError(f"derivative={what!r} needs uniformly sampled trajectories; use "
                              "derivative='finite_difference' for irregular times.")
    return float(d[0])


def _window(window: int, T: int, polyorder: int) -> int:
    w = min(window, T if T % 2 else T - 1)
    if w <= polyorder:
        raise ValidationError(f"A trajectory of {T} samples is too short for a Savitzky-Golay "
                              f"window with polynomial order {polyorder}; use longer trajectories "
                              "or derivative='finite_difference'.")
    return w


def savitzky_golay(x: np.ndarray, t: np.ndarray, window: int = 11, polyorder: int = 3) -> np.ndarray:
    """Derivative of a local least-squares polynomial (Savitzky-Golay), uniform sampling.

    Parameters
    ----------
    x : ndarray, shape (T, d)
    t : ndarray, shape (T,)
    window : int, default 11
        Odd number of samples of each local fit (shortened for short trajectories).
    polyorder : int, default 3

    Returns
    -------
    ndarray, shape (T, d)

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(20.0)
    >>> savitzky_golay(np.c_[t ** 3], t)[10, 0].round(6)
    np.float64(300.0)
    """
    h = _uniform_step(t, "savgol")
    w = _window(window, x.shape[0], polyorder)
    return savgol_filter(x, w, polyorder, deriv=1, delta=h, axis=0, mode="interp")


def smoothed_finite_difference(x: np.ndarray, t: np.ndarray, window: int = 11,
                               polyorder: int = 3) -> np.ndarray:
    """Savitzky-Golay smoothing of the states, then :func:`finite_difference`.

    SINDy with ``derivative="smoothed"`` also evaluates the library on the
    smoothed states.

    Parameters
    ----------
    x : ndarray, shape (T, d)
    t : ndarray, shape (T,)
    window : int, default 11
    polyorder : int, default 3

    Returns
    -------
    ndarray, shape (T, d)

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(20.0)
    >>> smoothed_finite_difference(np.c_[2 * t], t)[5, 0].round(6)
    np.float64(2.0)
    """
    return finite_difference(savgol_smooth(x, t, window, polyorder), t)


def savgol_smooth(x: np.ndarray, t: np.ndarray, window: int = 11, polyorder: int = 3) -> np.ndarray:
    """Savitzky-Golay smoothing of the states (uniform sampling): (T, d)."""
    _uniform_step(t, "smoothed")
    w = _window(window, x.shape[0], polyorder)
    return savgol_filter(x, w, polyorder, axis=0, mode="interp")


def weak_form_matrices(t: np.ndarray, n_windows: int, window: int,
                       power: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Quadrature matrices of the weak form on ``n_windows`` sub-domains of one trajectory.

    The test function of sub-domain ``k`` is ``phi_k(t) = (1 - s^2)^power`` with
    ``s`` mapping the sub-domain onto ``[-1, 1]``; it vanishes at both ends, so
    ``int phi_k x' dt = -int phi_k' x dt``. With trapezoid weights, ``V @ f``
    approximates ``int phi_k f dt`` and ``-Vd @ x`` approximates ``int phi_k x' dt``;
    each ``phi_k`` is scaled to unit integral, so the rows are local weighted
    averages on the scale of the pointwise problem (thresholds mean the same).

    Parameters
    ----------
    t : ndarray, shape (T,)
    n_windows : int
        Number of sub-domains (evenly spread, overlapping when needed).
    window : int
        Samples per sub-domain (at most ``T``).
    power : int, default 4

    Returns
    -------
    V, Vd : ndarray, shape (n_windows, T)

    Examples
    --------
    >>> import numpy as np
    >>> t = np.linspace(0, 2 * np.pi, 401)
    >>> V, Vd = weak_form_matrices(t, 5, 101)
    >>> bool(np.allclose(-Vd @ np.sin(t), V @ np.cos(t), atol=1e-6))
    True
    """
    T = t.shape[0]
    L = min(int(window), T)
    if L < 5:
        raise ValidationError(f"A trajectory of {T} samples is too short for the weak form (a "
                              "sub-domain needs at least 5 samples); use longer trajectories or "
                              "derivative='finite_difference'.")
    starts = np.unique(np.linspace(0, T - L, n_windows).round().astype(int))
    V = np.zeros((starts.size, T))
    Vd = np.zeros((starts.size, T))
    for k, a in enumerate(starts):
        tt = t[a:a + L]
        half = 0.5 * (tt[-1] - tt[0])
        s = (tt - tt[0]) / half - 1.0
        phi = (1.0 - s ** 2) ** power
        dphi = -2.0 * power * s * (1.0 - s ** 2) ** (power - 1) / half
        w = np.zeros(L)
        dtt = np.diff(tt)
        w[:-1] += 0.5 * dtt
        w[1:] += 0.5 * dtt
        scale = np.sum(w * phi)
        V[k, a:a + L] = w * phi / scale
        Vd[k, a:a + L] = w * dphi / scale
    return V, Vd
