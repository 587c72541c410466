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
import scipy.sparse.linalg
from scipy.signal import savgol_filter

from .._validation import check_positive_int
from ..errors import ValidationError

__all__ = ["finite_difference", "savitzky_golay", "smoothed_finite_difference",
           "total_variation_derivative", "weak_form_matrices"]


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


def total_variation_derivative(x: np.ndarray, t: np.ndarray, alpha: float | None = None, *,
                               max_iter: int = 20, eps: float = 1e-6, return_states: bool = False):
    """Total-variation regularized derivative (Chartrand 2011), small-scale form, uniform sampling.

    Each column ``f`` gets the derivative ``u`` (at the samples) minimizing
    ``1/2 |A u + c - f|^2 + alpha sum_k h sqrt((u_{k+1} - u_k)^2 / h^2 + eps')``,
    where ``A`` is the trapezoid antiderivative from the first sample and ``c``
    a fitted constant (Chartrand takes ``c = f_0``; fitting it keeps the noise
    of the first sample out). As in Chartrand's TVRegDiff "small" variant, the
    non-smooth penalty is handled by the lagged-diffusivity iteration (Vogel and
    Oman 1996): each of ``max_iter`` steps freezes the weights
    ``1 / sqrt((D u)^2 + eps')`` and takes the Newton-like step of the
    linearized Euler-Lagrange equation, solved by preconditioned conjugate
    gradients with matrix-free ``A`` and ``A^T`` (cumulative sums). The result
    is piecewise smooth with sharp kinks kept: suited to noisy, nonsmooth data.

    Parameters
    ----------
    x : ndarray, shape (T, d)
    t : ndarray, shape (T,)
        Uniform sample times.
    alpha : float, optional
        Regularization strength (units of ``x`` times time). Default, per
        column: ``sigma * tau``, with ``sigma`` the noise level estimated from
        the third differences (median absolute deviation) and ``tau = std(f) /
        std(f')`` the signal's time scale (``std(f')`` from the first
        differences, noise variance removed).
    max_iter : int, default 20
        Lagged-diffusivity iterations.
    eps : float, default 1e-6
        Smoothing of the absolute value, relative to the mean square of the
        initial ``D u`` (``eps'`` above).
    return_states : bool, default False
        Also return ``A u + c``, the denoised states consistent with ``u``.

    Returns
    -------
    dx : ndarray, shape (T, d)
    states : ndarray, shape (T, d)
        Only with ``return_states=True``.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.linspace(0, 2 * np.pi, 400)
    >>> x = np.sin(t)[:, None] + 0.01 * np.random.default_rng(0).standard_normal((400, 1))
    >>> err_tv = np.abs(total_variation_derivative(x, t)[40:-40, 0] - np.cos(t[40:-40])).mean()
    >>> err_fd = np.abs(finite_difference(x, t)[40:-40, 0] - np.cos(t[40:-40])).mean()
    >>> bool(err_tv < 0.2 * err_fd)
    True
    """
    x = np.asarray(x, dtype=float)
    if x.shape[0] < 5:
        raise ValidationError(f"derivative='tv' needs at least 5 samples per trajectory; got "
                              f"{x.shape[0]}. Use derivative='finite_difference' for short ones.")
    h = _uniform_step(t, "tv")
    if alpha is not None and not alpha >= 0:
        raise ValidationError(f"alpha must be a non-negative number; got {alpha!r}.")
    max_iter = check_positive_int(max_iter, "max_iter")
    if not eps > 0:
        raise ValidationError(f"eps must be a positive number (it keeps the TV weights finite); got {eps!r}.")
    cols = [_tv_column(x[:, j], h, alpha, max_iter, float(eps)) for j in range(x.shape[1])]
    dx = np.stack([c[0] for c in cols], axis=1)
    if return_states:
        return dx, np.stack([c[1] for c in cols], axis=1)
    return dx


def _antiderivative(u: np.ndarray, h: float) -> np.ndarray:
    """Trapezoid integral of ``u`` from the first sample to each sample."""
    out = np.empty_like(u)
    out[0] = 0.0
    np.cumsum(0.5 * h * (u[:-1] + u[1:]), out=out[1:])
    return out


def _antiderivative_adjoint(w: np.ndarray, h: float) -> np.ndarray:
    """``A^T w`` for the trapezoid antiderivative ``A``."""
    tail = np.empty_like(w)
    tail[-1] = 0.0
    tail[:-1] = np.cumsum(w[:0:-1])[::-1]  # sum over k > j of w_k
    out = h * (tail + 0.5 * w)
    out[0] = 0.5 * h * tail[0]
    return out


def _default_alpha(f: np.ndarray, h: float) -> float:
    """``sigma * tau``: noise level (third differences) times the signal's time scale."""
    d3 = np.diff(f, 3)
    sigma = np.median(np.abs(d3 - np.median(d3))) / (0.6745 * np.sqrt(20.0))
    var_slope = max(np.var(np.diff(f)) - 2.0 * sigma ** 2, 0.0) / h ** 2
    span = h * (f.size - 1)
    tau = min(np.std(f) / np.sqrt(var_slope), span) if var_slope > 0 else span
    if sigma == 0.0:  # noise-free: a token of regularization keeps the steps well posed
        sigma = 1e-8 * max(np.std(f), np.finfo(float).tiny)
    return float(sigma * tau)


def _tv_column(f: np.ndarray, h: float, alpha: float | None, max_iter: int, eps: float):
    """Lagged-diffusivity iteration for one column: (derivative, denoised states)."""
    n = f.size
    alpha = _default_alpha(f, h) if alpha is None else float(alpha)
    fc = f - f.mean()

    def projected(v):  # P A v, P removing the mean (the fitted constant c)
        r = _antiderivative(v, h)
        return r - r.mean()

    def misfit(u):  # P (A u - f)
        return projected(u) - fc

    def tv_operator(q):  # L v = h D^T diag(q) D v with D = diff / h
        def apply(v):
            w = q * np.diff(v) / h
            out = np.zeros(v.shape)
            out[:-1] -= w
            out[1:] += w
            return out
        return apply

    def energy(u):
        du = np.diff(u) / h
        return 0.5 * np.sum(misfit(u) ** 2) + alpha * h * np.sum(np.sqrt(du * du + eps_abs))

    u = np.gradient(f, h)
    eps_abs = eps * max(float(np.mean((np.diff(u) / h) ** 2)), np.finfo(float).tiny)
    j = np.arange(n, dtype=float)
    diag_data = h * h * np.maximum(n - 1 - j + 0.25, 0.0)
    diag_data[0] = 0.25 * h * h * (n - 1)
    e = energy(u)
    for _ in range(max_iter):
        du = np.diff(u) / h
        q = 1.0 / np.sqrt(du * du + eps_abs)
        L = tv_operator(q)
        g = _antiderivative_adjoint(misfit(u), h) + alpha * L(u)
        diag = diag_data + alpha * np.concatenate([q, [0.0]]) / h + alpha * np.concatenate([[0.0], q]) / h
        H = scipy.sparse.linalg.LinearOperator(
            (n, n), dtype=float,
            matvec=lambda v, L=L: _antiderivative_adjoint(projected(v), h) + alpha * L(v))
        M = scipy.sparse.linalg.LinearOperator((n, n), dtype=float, matvec=lambda v, d=diag: v / d)
        step = scipy.sparse.linalg.cg(H, g, rtol=1e-4, maxiter=100, M=M)[0]
        for _ in range(8):  # keep the energy decreasing (halve a step that overshoots)
            trial = u - step
            e_trial = energy(trial)
            if e_trial <= e:
                u, e = trial, e_trial
                break
            step = 0.5 * step
        else:
            break
    r = _antiderivative(u, h)
    return u, r + np.mean(f - r)


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
