"""Results of the Kalman filter and the RTS smoother (one sequence each)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["FilterResult", "SmootherResult"]


@dataclass(frozen=True, eq=False)
class FilterResult:
    """Output of :func:`kalman_filter` for one sequence.

    Attributes
    ----------
    predicted_means : ndarray, shape (T, n)
        ``E[x_k | y_0..y_{k-1}]``.
    predicted_covariances : ndarray, shape (T, n, n)
    filtered_means : ndarray, shape (T, n)
        ``E[x_k | y_0..y_k]``.
    filtered_covariances : ndarray, shape (T, n, n)
    log_likelihood : float
        ``log p(y_0..y_{T-1})`` (observed components only).
    log_likelihood_terms : ndarray, shape (T,)
        Per-step contributions ``log p(y_k | y_0..y_{k-1})``.
    innovations : ndarray, shape (T, p)
        ``y_k - E[y_k | past]``; NaN where ``y`` is missing.
    whitened_innovations : ndarray, shape (T, p)
        Innovations times the inverse Cholesky factor of their covariance
        (standard normal under the model), NaN where missing.
    nis : ndarray, shape (T,)
        Normalized innovation squared (chi-square with ``p_k`` degrees of freedom).
    steady : ndarray of bool, shape (T,)
        Steps whose covariances came from the converged (steady-state) recursion.
    next_mean : ndarray, shape (n,)
        Prediction of the state one step after the data.
    next_covariance : ndarray, shape (n, n)
    filtered_factors : ndarray, shape (T, n, n), or None
        Square factors ``S_k`` with ``S_k S_k^T = P_{k|k}`` (square-root filter
        only); the square-root smoother starts from them.
    predicted_diffuse_covariances : ndarray, shape (T, n, n), or None
        Models with diffuse states: the diffuse part ``P_inf`` of the predicted
        covariance (``predicted_covariances`` holds ``P_*``); zero after the
        diffuse period. None for a proper prior.
    diffuse_steps : int
        Length ``d`` of the diffuse period (0 for a proper prior). Its
        ``whitened_innovations`` and ``nis`` are NaN. If the data end within
        it (``d = T``), ``next_covariance`` is only the ``P_*`` part.
    innovation_variances : ndarray, shape (T, p), or None
        ``sequential=True`` only: the variance ``F`` of each scalar innovation
        (``F_inf`` for components that met a diffuse state); ``innovations``
        then hold the scalar innovations of the one-at-a-time updates.
    """

    predicted_means: np.ndarray
    predicted_covariances: np.ndarray
    filtered_means: np.ndarray
    filtered_covariances: np.ndarray
    log_likelihood: float | np.ndarray
    log_likelihood_terms: np.ndarray
    innovations: np.ndarray
    whitened_innovations: np.ndarray
    nis: np.ndarray
    steady: np.ndarray
    next_mean: np.ndarray
    next_covariance: np.ndarray
    filtered_factors: np.ndarray | None = field(default=None, kw_only=True)
    predicted_diffuse_covariances: np.ndarray | None = field(default=None, kw_only=True)
    diffuse_steps: int = field(default=0, kw_only=True)
    innovation_variances: np.ndarray | None = field(default=None, kw_only=True)

    @property
    def n_steps(self) -> int:
        """Number of time steps ``T``."""
        return int(self.filtered_means.shape[-2])


@dataclass(frozen=True, eq=False)
class SmootherResult:
    """Output of :func:`rts_smoother`.

    Attributes
    ----------
    means : ndarray, shape (T, n)
        ``E[x_k | y_0..y_{T-1}]``.
    covariances : ndarray, shape (T, n, n)
    gains : ndarray, shape (T, n, n)
        Smoother gains ``G_k = P_{k|k} A_k^T P_{k+1|k}^{-1}`` (last one zero).
    log_likelihood : float or ndarray
        Copied from the filter.
    """

    means: np.ndarray
    covariances: np.ndarray
    gains: np.ndarray
    log_likelihood: float | np.ndarray

    @property
    def cross_covariances(self) -> np.ndarray:
        """Lag-one covariances ``Cov(x_{k+1}, x_k | all y)``, shape (T-1, n, n)."""
        return np.einsum("...kij,...klj->...kil", self.covariances[..., 1:, :, :],
                         self.gains[..., :-1, :, :])
