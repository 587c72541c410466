"""The analysis API shared by every linear-operator model.

A fitted model is described by three small matrices, in the row convention
(samples are rows):

* an encoder ``z = E(x)``, shape ``(r,)`` per sample (POD coordinates for DMD,
  ``Psi(x) U`` for EDMD, ``k(x, X) a`` for kernel models);
* the reduced operator ``M`` (r, r) with ``z_{t+1} ≈ z_t M``;
* a next-step decoder ``C`` (r, d) with ``x_{t+1} ≈ z_t C``.

Then ``x_{t+k} ≈ z_t M^{k-1} C``. With ``M = W diag(lam) W^{-1}`` the (right)
eigenfunctions are ``phi(x) = E(x) W`` and the modes are the rows of
``diag(1/lam) W^{-1} C``, so ``x_{t+k} ≈ sum_i phi_i(x_t) lam_i^k mode_i``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..base import Estimator
from ..errors import ValidationError
from ._linalg import eig_sorted

__all__ = ["SpectralMixin", "StabilityReport"]


class StabilityReport(NamedTuple):
    """Summary of a discrete-time spectrum (see :meth:`SpectralMixin.stability`).

    Attributes
    ----------
    spectral_radius : float
        ``max |lambda|``.
    n_unstable : int
        Eigenvalues with ``|lambda| > 1 + tol``.
    n_marginal : int
        Eigenvalues with ``| |lambda| - 1 | <= tol``.
    max_growth_rate : float
        ``max Re(log(lambda)) / dt``, the fastest continuous-time growth rate.
    stable : bool
        True if no eigenvalue is unstable.
    """

    spectral_radius: float
    n_unstable: int
    n_marginal: int
    max_growth_rate: float
    stable: bool


class SpectralMixin:
    """Eigenvalues, eigenfunctions, modes, forecasts and stability from ``(E, M, C)``.

    Subclasses of :class:`lindy.base.Estimator` set ``_M`` (r, r) and ``_C``
    (r, d) in ``_fit`` and implement ``_encode(x) -> (T, r)`` (rows that lack
    history are NaN) and ``_lift_rows()`` for the number of leading rows that
    the encoder drops (delay windows).
    """

    # -------------------------------------------------------------- internals
    def _set_spectrum(self, M: np.ndarray, C: np.ndarray, lam=None, W=None) -> None:
        self._M, self._C = M, C
        if lam is None:
            lam, W = eig_sorted(M)
        self.eigenvalues_ = lam
        self._W = W
        self._real = np.isrealobj(C) and np.isrealobj(M)

    def _encode(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _cast(self, a: np.ndarray) -> np.ndarray:
        return a.real if self._real else a

    def _predict_next(self, x, u):
        return self._cast(self._encode(x) @ self._C)

    def _forecast(self, x, horizon, u_context, u_future):
        z = self._encode(x)[-1]
        out = np.empty((horizon, self._C.shape[1]), dtype=np.result_type(z, self._C, self._M))
        for k in range(horizon):
            out[k] = z @ self._C
            z = z @ self._M
        return self._cast(out)

    # ------------------------------------------------------------- public API
    @property
    def continuous_eigenvalues_(self) -> np.ndarray:
        """Continuous-time eigenvalues ``log(lambda) / dt_`` (rates, 1/time)."""
        self._check_is_fitted()
        with np.errstate(divide="ignore"):
            return np.log(self.eigenvalues_.astype(complex)) / self.dt_

    @property
    def modes_(self) -> np.ndarray:
        """Modes, shape (d, r): ``x_{t+k} ≈ sum_i phi_i(x_t) lambda_i^k modes_[:, i]``."""
        self._check_is_fitted()
        return self._modes_from(self._C).T

    def _modes_from(self, C: np.ndarray) -> np.ndarray:
        coef = np.linalg.solve(self._W, C.astype(np.result_type(C, self._W)))
        lam = self.eigenvalues_
        safe = np.where(np.abs(lam) > 0, lam, 1.0)
        return coef / safe[:, None]

    def eigenfunctions(self, X) -> np.ndarray:
        """Right eigenfunctions evaluated at new points.

        Parameters
        ----------
        X : array_like, shape (T, d)
            States (a time-ordered series for delay models).

        Returns
        -------
        ndarray, shape (T, r)
            ``phi_i(X[k])``; rows without enough history are NaN.
        """
        self._check_is_fitted()
        x = self._check_x(X, "X")
        return self._encode(x) @ self._W

    def left_eigenfunctions(self, X) -> np.ndarray:
        """Left eigenfunctions (biorthogonal to the right ones) evaluated at new points.

        Returns
        -------
        ndarray, shape (T, r)
            Values of the left eigenfunctions: ``eta_i(x)`` with
            ``eta_i(x) = lambda_i^{-1} eta_i(F(x))`` approximately, biorthogonal
            to :meth:`eigenfunctions` over the training data.
        """
        self._check_is_fitted()
        x = self._check_x(X, "X")
        Wl = np.linalg.solve(self._W, np.eye(self._W.shape[0])).T
        return self._left_encode(x) @ Wl

    def _left_encode(self, x: np.ndarray) -> np.ndarray:
        return self._encode(x)

    def stability(self, tol: float = 1e-6) -> StabilityReport:
        """Stability report of the learned discrete-time spectrum.

        Parameters
        ----------
        tol : float
            Tolerance on ``|lambda| - 1`` for marginal eigenvalues.

        Returns
        -------
        StabilityReport
        """
        self._check_is_fitted()
        mod = np.abs(self.eigenvalues_)
        rates = self.continuous_eigenvalues_.real
        return StabilityReport(
            spectral_radius=float(mod.max()),
            n_unstable=int((mod > 1 + tol).sum()),
            n_marginal=int((np.abs(mod - 1) <= tol).sum()),
            max_growth_rate=float(np.max(rates[np.isfinite(rates)], initial=-np.inf)),
            stable=bool((mod <= 1 + tol).all()),
        )

    def forecast_observable(self, context, horizon: int, observable) -> np.ndarray:
        """Forecast a user observable ``g(x)`` without forecasting the state first.

        The decoder of ``g`` is fitted on the training successors, the way the
        state decoder is, so ``g`` need not be in the span of the model.

        Parameters
        ----------
        context : array_like, shape (Tc, d)
            Observed history (its last state or window is used).
        horizon : int
        observable : callable
            ``g(X (n, d)) -> (n,) or (n, q)``.

        Returns
        -------
        ndarray, shape (horizon, q)
        """
        self._check_is_fitted()
        if not callable(observable):
            raise ValidationError(f"observable must be a callable g(X) -> (n, q); got {observable!r}.")
        gY = np.asarray(observable(self._train_next_), dtype=float)
        gY = gY.reshape(gY.shape[0], -1)
        Cg = self._decoder_for(gY)
        x = self._check_x(context, "context", min_rows=self._min_context())
        z = self._encode(x)[-1]
        out = np.empty((int(horizon), Cg.shape[1]), dtype=np.result_type(z, Cg, self._M))
        for k in range(out.shape[0]):
            out[k] = z @ Cg
            z = z @ self._M
        return self._cast(out)

    def _decoder_for(self, gY: np.ndarray) -> np.ndarray:
        """Next-step decoder of an observable from its values on training successors."""
        Z = self._train_Z_
        return np.linalg.lstsq(Z, gY.astype(np.result_type(Z, gY)), rcond=None)[0]


class SpectralEstimator(SpectralMixin, Estimator):
    """An :class:`~lindy.base.Estimator` with the shared operator-analysis API."""
