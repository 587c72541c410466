"""The abstract base of the operator estimators: a thin layer over a fitted ``model_``.

Concrete estimators implement ``_fit`` and set ``model_`` (a frozen
:class:`~lindy.operators._model.OperatorModel`); this base delegates the
shared analysis API to the pure functions of :mod:`._analysis` and the
forecasts to :func:`._rollout.forecast_states`.
"""

from __future__ import annotations

import numpy as np

from ..base import Estimator
from ..data import as_trajectories
from ..errors import ValidationError
from . import _analysis as an
from ._rollout import forecast_states, rollout

__all__: list[str] = []  # an abstract base, not a public estimator


class OperatorEstimator(Estimator):
    """Abstract: eigenvalues, modes, eigenfunctions, residuals, forecasts from ``model_``."""

    def _min_context(self) -> int:
        return self.model_.encoder.window if hasattr(self, "model_") else 1

    def _model(self):
        self._check_is_fitted()
        return self.model_

    # ------------------------------------------------------------ contract
    def _predict_next(self, x, u):
        return an.predict_next(self.model_, x, u)

    def _forecast(self, context, horizon, u_future):
        model = self.model_
        drive = None if model.input_map is None else self._step_inputs(context, u_future)
        out = forecast_states(model, context.x, horizon, drive=drive,
                              reencode_every=getattr(self, "reencode_every", None))
        return self._forecast_result(context, out, u_future=u_future)

    # ------------------------------------------------------------ analysis
    @property
    def eigenvalues_(self) -> np.ndarray:
        """Discrete-time eigenvalues, by decreasing modulus."""
        return self._model().eigenvalues

    @property
    def continuous_eigenvalues_(self) -> np.ndarray:
        """Continuous-time eigenvalues ``log(lambda) / dt`` (rates, 1/time)."""
        return an.continuous_eigenvalues(self._model())

    @property
    def modes_(self) -> np.ndarray:
        """Modes, shape (d, r): ``x_{t+k} ≈ sum_i phi_i(x_t) lambda_i^k modes_[:, i]``."""
        return an.modes(self._model())

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
        return an.eigenfunctions(self._model(), self._check_x(X, "X"))

    def left_eigenfunctions(self, X) -> np.ndarray:
        """Left eigenfunctions (biorthogonal to the right ones) evaluated at new points.

        Returns
        -------
        ndarray, shape (T, r)
            Values of ``Psi(x) eta_i``, where ``eta_i`` are left eigenvectors of
            the learned operator (``eta_i^T K = lambda_i eta_i^T``), biorthogonal
            to the right eigenvectors ``xi_j`` of :meth:`eigenfunctions`.
        """
        return an.left_eigenfunctions(self._model(), self._check_x(X, "X"))

    def _pairs(self, X):
        model = self._model()
        if X is None:
            return model.ZX, model.ZY
        data = as_trajectories(X, min_length=2, allow_complex=self._allow_complex)
        for tr in data:
            self._check_x(tr.x, "X")
        return an.encoded_pairs(model, data)

    def residuals(self, X=None) -> np.ndarray:
        """ResDMD residual of every eigenpair (Colbrook and Townsend 2023).

        For the eigenpair ``(lambda, phi)`` the residual is
        ``||phi(Y) - lambda phi(X)|| / ||phi(X)||`` over the snapshot pairs,
        evaluated from the data directly (no cancellation), so residuals of
        exact eigenpairs reach machine precision. Large residuals flag
        spurious eigenvalues.

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
        return an.residuals(self._model(), *self._pairs(X))

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
        return an.pseudospectrum(*self._pairs(X), grid, eps)

    def stability(self, tol: float = 1e-6) -> an.StabilityReport:
        """Stability report of the learned discrete-time spectrum.

        Parameters
        ----------
        tol : float
            Tolerance on ``|lambda| - 1`` for marginal eigenvalues.

        Returns
        -------
        StabilityReport
        """
        return an.stability(self._model(), tol)

    def forecast_observable(self, context, horizon: int, observable) -> np.ndarray:
        """Forecast a user observable ``g(x)`` without forecasting the state first.

        The decoder of ``g`` is fitted on the training successors, the way the
        state decoder is, so ``g`` need not be in the span of the model. The
        rollout is the pure linear one in feature space.

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
        model = self._model()
        if model.input_map is not None:
            raise ValidationError(
                f"{type(self).__name__} is driven by inputs, so an observable's forecast needs "
                "the future inputs: call forecast(context, horizon, u=u_future) and apply the "
                "observable to its states.")
        if not callable(observable):
            raise ValidationError(f"observable must be a callable g(X) -> (n, q); got {observable!r}.")
        gY = np.asarray(observable(model.Y), dtype=float)
        Cg = an.observable_decoder(model, gY.reshape(gY.shape[0], -1))
        x = self._check_x(context, "context", min_rows=self._min_context())
        M = model.M
        return rollout(lambda z, u: (z @ Cg, z @ M), model.encoder.encode(x)[-1], int(horizon),
                       cast=lambda a: an.as_real(model, a))
