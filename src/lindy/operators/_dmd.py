"""Exact dynamic mode decomposition (Tu et al. 2014) through the common API."""

from __future__ import annotations

import numpy as np

from ..base import Estimator
from ..data import lag_pairs
from ._dmd_core import dmd_fit, truncation_rank

__all__ = ["DMD"]


class DMD(Estimator):
    """Exact DMD: a best-fit linear map ``x_{k+1} ≈ A x_k`` of rank ``rank``.

    Snapshot pairs come from every trajectory and never cross two.

    Parameters
    ----------
    rank : None, int or float, default None
        Truncation: ``None`` keeps the numerical rank, an int that many POD
        modes, a float in (0, 1) the fraction of energy to keep.

    Attributes
    ----------
    eigenvalues_ : ndarray, shape (r,)
        Discrete-time DMD eigenvalues.
    continuous_eigenvalues_ : ndarray, shape (r,)
        ``log(eigenvalues_) / dt_``.
    modes_ : ndarray, shape (d, r)
        Exact DMD modes.
    basis_ : ndarray, shape (d, r)
        POD basis of the snapshot matrix.
    reduced_operator_ : ndarray, shape (r, r)
        The operator in POD coordinates.
    singular_values_ : ndarray
        Singular values of the snapshot matrix.
    rank_ : int
        The rank kept.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> A = np.array([[0.9, -0.2], [0.2, 0.9]])
    >>> x = np.empty((50, 2)); x[0] = [1.0, 0.0]
    >>> for k in range(49): x[k + 1] = A @ x[k]
    >>> model = ld.operators.DMD().fit(x)
    >>> np.sort_complex(model.eigenvalues_).round(8)
    array([0.9-0.2j, 0.9+0.2j])
    >>> model.forecast(x[:1], horizon=3).x.round(6)[0]
    array([0.9, 0.2])
    """

    def __init__(self, rank=None):
        self.rank = rank

    def _fit(self, data) -> None:
        if self.rank is not None:
            truncation_rank(np.ones(1), self.rank)  # validate the rule early
        X, Y = lag_pairs(data)
        res = dmd_fit(X, Y, self.rank)
        self.basis_ = res.basis
        self.reduced_operator_ = res.reduced_operator
        self.eigenvalues_ = res.eigenvalues
        self.modes_ = res.modes
        self.singular_values_ = res.singular_values
        self.rank_ = res.basis.shape[1]
        self._real = np.isrealobj(X)

    @property
    def continuous_eigenvalues_(self) -> np.ndarray:
        """Continuous-time eigenvalues ``log(lambda) / dt_`` (rates, 1/time)."""
        self._check_is_fitted()
        return np.log(self.eigenvalues_.astype(complex)) / self.dt_

    @property
    def operator_(self) -> np.ndarray:
        """The full-state linear map ``A = U A_tilde U^*``, shape (d, d)."""
        self._check_is_fitted()
        A = self.basis_ @ self.reduced_operator_ @ self.basis_.conj().T
        return A.real if self._real else A

    def _predict_next(self, x, u):
        return x @ self.operator_.T

    def _forecast(self, x, horizon, u_context, u_future):
        U, At = self.basis_, self.reduced_operator_
        z = U.conj().T @ x[-1]
        out = np.empty((horizon, U.shape[0]), dtype=np.result_type(U, At, x))
        for k in range(horizon):
            z = At @ z
            out[k] = U @ z
        return out.real if self._real else out
