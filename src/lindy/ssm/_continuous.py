"""Continuous-discrete linear models: exact discretization for (irregular) sample times.

A continuous model ``dx = F x dt + L dβ`` with white-noise spectral density
``Qc`` is discretized exactly between consecutive sample times by the matrix
exponential (Van Loan's method), giving time-varying :class:`LGSSMParams` that
the Kalman filter runs on however irregular the sampling is.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_array
from ..errors import ShapeError, ValidationError
from ._expm import expm_stack
from ._params import LGSSMParams

__all__ = ["discretize", "continuous_discrete_params"]


def _check_times(t) -> np.ndarray:
    t = check_array(t, "t", ndim=1)
    if t.shape[0] > 1 and not np.all(np.diff(t) > 0):
        i = int(np.argmax(np.diff(t) <= 0))
        raise ValidationError(
            f"t must be strictly increasing; t[{i + 1}]={t[i + 1]!r} does not exceed "
            f"t[{i}]={t[i]!r}. Sort the samples by time and drop duplicates."
        )
    return t


def discretize(F, L, Qc, dt):
    """Exact discretization ``A = exp(F dt)``, ``Q = int_0^dt e^{Fs} L Qc L^T e^{F^T s} ds``.

    Parameters
    ----------
    F : array_like, shape (n, n)
        Drift matrix.
    L : array_like, shape (n, s)
        Noise gain.
    Qc : array_like, shape (s, s)
        Spectral density of the white noise.
    dt : float or array_like of shape (K,)
        Time step(s), > 0.

    Returns
    -------
    A : ndarray, shape (n, n) or (K, n, n)
    Q : ndarray, shape (n, n) or (K, n, n)

    Examples
    --------
    >>> A, Q = discretize([[-1.0]], [[1.0]], [[2.0]], 0.5)   # Ornstein-Uhlenbeck
    >>> round(float(A[0, 0]), 12), round(float(Q[0, 0]), 12)
    (0.606530659713, 0.632120558829)
    """
    F = check_array(F, "F", ndim=2)
    n = F.shape[0]
    if F.shape != (n, n):
        raise ShapeError(f"F must be square; got {F.shape}.")
    L = check_array(L, "L", ndim=2)
    Qc = check_array(Qc, "Qc", ndim=2)
    if L.shape[0] != n or Qc.shape != (L.shape[1], L.shape[1]):
        raise ShapeError(f"L must be ({n}, s) and Qc (s, s); got L {L.shape} and Qc {Qc.shape}.")
    scalar = np.ndim(dt) == 0
    dts = check_array(np.atleast_1d(dt), "dt", ndim=1)
    if np.any(dts <= 0):
        raise ValidationError(f"dt must be > 0; got min {dts.min()!r}.")
    W = L @ Qc @ L.T
    M = np.zeros((2 * n, 2 * n))
    M[:n, :n] = -F
    M[:n, n:] = W
    M[n:, n:] = F.T
    uniq, inv = np.unique(dts, return_inverse=True)
    E = expm_stack(uniq[:, None, None] * M[None])
    A = np.swapaxes(E[:, n:, n:], 1, 2)
    Q = A @ E[:, :n, n:]
    Q = 0.5 * (Q + np.swapaxes(Q, 1, 2))
    A, Q = A[inv.ravel()], Q[inv.ravel()]
    return (A[0], Q[0]) if scalar else (A, Q)


def continuous_discrete_params(F, L, Qc, H, R, m0, P0, t) -> LGSSMParams:
    """Time-varying :class:`LGSSMParams` of a continuous model observed at times ``t``.

    ``A[k], Q[k]`` propagate from ``t[k]`` to ``t[k+1]`` (the last pair is the
    identity and zero; it is never used by filtering).

    Parameters
    ----------
    F, L, Qc : array_like
        Continuous model (see :func:`discretize`).
    H : array_like, shape (p, n)
        Observation matrix.
    R : array_like, shape (p, p)
        Measurement-noise covariance.
    m0, P0 : array_like
        Prior of the state at ``t[0]``.
    t : array_like, shape (T,)
        Strictly increasing sample times (any spacing).

    Returns
    -------
    LGSSMParams

    Examples
    --------
    >>> p = continuous_discrete_params([[-1.0]], [[1.0]], [[2.0]], [[1.0]], [[0.1]], [0.0],
    ...                                [[1.0]], [0.0, 0.1, 0.5, 2.0])
    >>> p.n_steps, p.A[:, 0, 0].round(4)
    (4, array([0.9048, 0.6703, 0.2231, 1.    ]))
    """
    t = _check_times(t)
    F = check_array(F, "F", ndim=2)
    n = F.shape[0]
    T = t.shape[0]
    A = np.broadcast_to(np.eye(n), (T, n, n)).copy()
    Q = np.zeros((T, n, n))
    if T > 1:
        A[:-1], Q[:-1] = discretize(F, L, Qc, np.diff(t))
    return LGSSMParams(A=A, C=H, Q=Q, R=R, m0=m0, P0=P0, time_varying=True)
