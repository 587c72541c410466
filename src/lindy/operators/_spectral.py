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
import scipy.linalg

from ..base import Estimator
from ..errors import NumericalError, ValidationError
from ._linalg import eig_sorted
from ._rollout import rollout

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

    Subclasses of :class:`lindy.base.Estimator` implement ``_lift(x) -> (T, r)``
    (the encoder; rows that lack history are NaN) and call
    :meth:`_set_spectrum` and :meth:`_set_training_pairs` in ``_fit``.
    """

    _T = None  # set when spurious eigenpairs are dropped: encoder becomes E(x) W[:, keep]
    _Tl = None  # and the left eigenvectors of the kept pairs

    # -------------------------------------------------------------- internals
    def _set_spectrum(self, M: np.ndarray, C: np.ndarray, lam=None, W=None) -> None:
        self._M, self._C = M, C
        if lam is None:
            lam, W = eig_sorted(M)
        self.eigenvalues_ = lam
        self._W = W

    def _lift(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _encode(self, x: np.ndarray) -> np.ndarray:
        z = self._lift(x)
        return z if self._T is None else z @ self._T

    def _set_training_pairs(self, ZX: np.ndarray, ZY: np.ndarray, Y: np.ndarray) -> None:
        """Encoded training pairs (for residuals and observable decoders) and successors."""
        self._train_Z_, self._train_ZY_, self._train_next_ = ZX, ZY, Y

    def _apply_residual_tol(self, tol) -> None:
        """Drop eigenpairs whose in-sample residual exceeds ``tol`` (ResDMD)."""
        self._T = self._Tl = None
        if tol is None:
            return
        res = self.residuals()
        self.all_eigenvalues_, self.all_residuals_ = self.eigenvalues_, res
        tol = float(tol)
        if not tol > 0:
            raise ValidationError(f"residual_tol must be a positive float or None; got {tol!r}.")
        keep = res <= tol
        if not keep.any():
            raise ValidationError(
                f"No eigenpair has a residual below residual_tol={tol:g} (smallest "
                f"{res.min():.3g}); raise the tolerance or enrich the dictionary.")
        W, lam = self._W[:, keep], self.eigenvalues_[keep]
        coef = np.linalg.solve(self._W, self._C.astype(np.result_type(self._C, self._W)))[keep]
        self._T = W
        self._Tl = np.linalg.solve(self._W, np.eye(self._W.shape[0])).T[:, keep]
        self._train_Z_, self._train_ZY_ = self._train_Z_ @ W, self._train_ZY_ @ W
        self._set_spectrum(np.diag(lam), coef, lam=lam, W=np.eye(lam.shape[0], dtype=W.dtype))
        self.residuals_ = res[keep]

    _real_data = True  # subclasses set False when fitted on complex data

    def _cast(self, a: np.ndarray) -> np.ndarray:
        return a.real if self._real_data and np.iscomplexobj(a) else a
    def _predict_next(self, x, u):
        return self._cast(self._encode(x) @ self._C)

    def _rollout(self, x, horizon, step=None, drive=None, z0=None):
        """Forecast states from the context ``x`` (re-encoded every ``reencode_every`` steps)."""
        C, M = self._C, self._M
        if step is None:
            def step(z, u):
                return z @ C, z @ M
        return rollout(step, self._encode(x)[-1] if z0 is None else z0, horizon, drive=drive,
                       reencode_every=getattr(self, "reencode_every", None),
                       encode=lambda h: self._encode(h)[-1], history=x,
                       window=self._min_context(), cast=self._cast)

    def _forecast(self, context, horizon, u_future):
        return self._forecast_result(context, self._rollout(context.x, horizon))

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
            Values of the left eigenfunctions ``Psi(x) eta_i``, where ``eta_i``
            are left eigenvectors of the learned operator (``eta_i^T K = lambda_i
            eta_i^T``), biorthogonal to the right eigenvectors ``xi_j`` of
            :meth:`eigenfunctions`: ``eta_i^T xi_j = 0`` for ``i != j``.
        """
        self._check_is_fitted()
        x = self._check_x(X, "X")
        if self._Tl is not None:
            return self._left_lift(x) @ self._Tl
        return self._left_lift(x) @ np.linalg.solve(self._W, np.eye(self._W.shape[0])).T

    def _left_lift(self, x: np.ndarray) -> np.ndarray:
        return self._lift(x)

    def residuals(self, X=None) -> np.ndarray:
        """ResDMD residual of every eigenpair (Colbrook and Townsend 2023).

        For the eigenpair ``(lambda, phi)`` the residual is
        ``||phi(Y) - lambda phi(X)|| / ||phi(X)||`` over the snapshot pairs,
        i.e. ``sqrt(g^*(L - lambda A^* - conj(lambda) A + |lambda|^2 G) g / g^* G g)``
        with the Gram matrices ``G = Psi_X^* Psi_X``, ``A = Psi_X^* Psi_Y``,
        ``L = Psi_Y^* Psi_Y``; it is evaluated from the data directly (no
        cancellation), so residuals of exact eigenpairs reach machine precision.
        Large residuals flag spurious eigenvalues.

        Parameters
        ----------
        X : array_like or TrajectorySet, optional
            Fresh trajectories to evaluate on (recommended to avoid overfitting);
            default: the training pairs.

        Returns
        -------
        ndarray, shape (r,)
            In the order of ``eigenvalues_``.
        """
        self._check_is_fitted()
        ZX, ZY = self._pairs(X)
        W, lam = self._W, self.eigenvalues_
        PX, PY = ZX @ W, ZY @ W
        num = np.linalg.norm(PY - PX * lam, axis=0)
        den = np.linalg.norm(PX, axis=0)
        return num / np.where(den > 0, den, np.inf)

    def _pairs(self, X):
        if X is None:
            return self._train_Z_, self._train_ZY_
        from ..data import as_trajectories

        data = as_trajectories(X, min_length=2)
        zx, zy = [], []
        for tr in data:
            Z = self._encode(self._check_x(tr.x, "X"))
            ok = np.all(np.isfinite(Z), axis=1)
            pair = ok[:-1] & ok[1:]
            zx.append(Z[:-1][pair])
            zy.append(Z[1:][pair])
        return np.concatenate(zx), np.concatenate(zy)

    def pseudospectrum(self, grid, eps=None, X=None) -> np.ndarray:
        """ResDMD pseudospectrum: the smallest residual of any observable at each ``z``.

        ``res(z) = min_g ||g(Y) - z g(X)|| / ||g(X)||`` over the model's
        observable space; the ``eps``-pseudospectrum is ``{z : res(z) < eps}``.

        Parameters
        ----------
        grid : array_like of complex
            Points of the complex plane, any shape.
        eps : float or array_like, optional
            If given, return boolean masks ``res(z) < eps`` (last axis over
            ``eps`` when it is an array).
        X : array_like or TrajectorySet, optional
            Fresh data to evaluate on; default: the training pairs.

        Returns
        -------
        ndarray
            ``res(z)`` with the shape of ``grid``, or the masks.
        """
        self._check_is_fitted()
        z = np.asarray(grid, dtype=complex)
        ZX, ZY = self._pairs(X)
        r = ZX.shape[1]
        R = np.linalg.qr(np.hstack([ZX, ZY]), mode="r")
        R1, R2 = R[:, :r], R[:, r:]
        Q1, T = np.linalg.qr(R1)
        if np.abs(np.diag(T)).min() <= np.abs(T).max() * r * np.finfo(float).eps:
            raise NumericalError("The encoded training data are rank deficient; lower the rank.")
        S = scipy.linalg.solve_triangular(T, R2.T, trans="T", lower=False).T  # R2 T^{-1}
        out = np.empty(z.size)
        for i, zi in enumerate(z.ravel()):
            out[i] = np.linalg.svd(S - zi * Q1, compute_uv=False)[-1]
        out = out.reshape(z.shape)
        if eps is None:
            return out
        e = np.asarray(eps, dtype=float)
        return out[..., None] < e if e.ndim else out < e

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
