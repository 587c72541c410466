"""The estimator contract shared by every lindy model.

Constructors store hyperparameters; ``fit(X, t=None, u=None)`` validates and
learns, setting attributes that end in ``_``; ``predict(X)`` gives one-step-ahead
predictions; ``forecast(context, horizon, u=None)`` continues an observed history.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

import numpy as np
from sklearn.base import BaseEstimator

from ._validation import check_array, check_positive_int
from .data import Forecast, Trajectory, TrajectorySet, as_trajectories
from .errors import NotFittedError, ShapeError, ValidationError

__all__ = ["Estimator", "Forecaster"]


class Estimator(BaseEstimator):
    """Base class of lindy's time-ordered estimators (a scikit-learn ``BaseEstimator``).

    Subclasses implement

    * ``_fit(data: TrajectorySet) -> None``
    * ``_predict_next(x (T, d), u (T, m) or None) -> (T, d)``: row ``k`` predicts
      ``x[k + 1]`` from the history up to ``k`` (NaN where not enough history);
    * ``_forecast(x (Tc, d), horizon, u_context, u_future) -> ndarray (horizon, d)``
      or a tuple ``(mean, cov)``;

    and may set the class attributes below.

    Attributes
    ----------
    n_features_in_ : int
        State dimension seen in ``fit``.
    n_inputs_ : int
        Input dimension seen in ``fit`` (0 without inputs).
    dt_ : float
        Sampling interval seen in ``fit``.
    """

    #: whether NaN entries (missing values) are accepted in X
    _allow_nan: ClassVar[bool] = False
    #: "never", "optional" or "required": how the model uses inputs u
    _inputs: ClassVar[str] = "never"
    #: whether the model needs uniform sampling with one dt for all trajectories
    _requires_regular: ClassVar[bool] = True

    # ----------------------------------------------------------------- hooks
    def _min_fit_length(self) -> int:
        """Minimum number of samples a training trajectory needs."""
        return 2

    def _min_context(self) -> int:
        """Number of most recent samples that ``forecast`` needs."""
        return 1

    def _fit(self, data: TrajectorySet) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _predict_next(self, x: np.ndarray, u: np.ndarray | None) -> np.ndarray:
        raise NotImplementedError  # pragma: no cover - abstract

    def _forecast(self, x, horizon, u_context, u_future):  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------ validation
    def _validate_data(self, X, t=None, u=None) -> TrajectorySet:
        data = as_trajectories(X, t=t, u=u, allow_nan=self._allow_nan,
                               min_length=self._min_fit_length())
        if self._inputs == "never" and data.input_dim:
            raise ValidationError(
                f"{type(self).__name__} does not use inputs; got u with "
                f"{data.input_dim} column(s). Drop u or use an input-aware model."
            )
        if self._inputs == "required" and not data.input_dim:
            raise ValidationError(
                f"{type(self).__name__} needs inputs: pass u=(T, m) array(s) to fit."
            )
        if self._requires_regular and data.dt is None:
            raise ValidationError(
                f"{type(self).__name__} needs uniformly sampled trajectories with one "
                "common dt; the times given are irregular or differ between "
                "trajectories. Resample the data or use a continuous-time model."
            )
        return data

    def _check_is_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet; call "
                "fit(X) before using it."
            )

    def _check_x(self, X, name: str, min_rows: int = 1) -> np.ndarray:
        x = check_array(X, name, ndim=(1, 2), allow_nan=self._allow_nan, min_rows=min_rows)
        if x.ndim == 1:
            x = x[:, None] if self.n_features_in_ == 1 else x[None, :]
        if x.shape[1] != self.n_features_in_:
            raise ShapeError(
                f"{name} has {x.shape[1]} columns but the model was fitted on "
                f"{self.n_features_in_} features."
            )
        return x

    def _check_u(self, u, rows: int, name: str) -> np.ndarray | None:
        if self._inputs == "never":
            if u is not None:
                raise ValidationError(f"{type(self).__name__} does not use inputs; got {name}.")
            return None
        if u is None:
            if self.n_inputs_:
                raise ValidationError(
                    f"The model was fitted with {self.n_inputs_} input(s); pass {name} "
                    f"with shape ({rows}, {self.n_inputs_})."
                )
            return None
        uu = check_array(u, name, ndim=(1, 2))
        if uu.ndim == 1:
            uu = uu[:, None]
        if uu.shape != (rows, self.n_inputs_):
            raise ShapeError(f"{name} must have shape ({rows}, {self.n_inputs_}); got {uu.shape}.")
        return uu

    # ------------------------------------------------------------ public API
    def fit(self, X, t=None, u=None):
        """Learn the model from one or several trajectories.

        Parameters
        ----------
        X : array_like (T, d), (N, T, d), list of arrays, DataFrame or TrajectorySet
            Training data, time on the first axis (see
            :func:`lindy.data.as_trajectories`).
        t : array_like, optional
            Sample times.
        u : array_like, optional
            Inputs, structured like ``X``.

        Returns
        -------
        self
        """
        data = self._validate_data(X, t, u)
        self.n_features_in_ = data.dim
        self.n_inputs_ = data.input_dim
        self.dt_ = data.dt if data.dt is not None else float("nan")
        try:
            self._fit(data)
        except BaseException:
            del self.n_features_in_
            raise
        return self

    def predict(self, X, u=None):
        """One-step-ahead predictions.

        Parameters
        ----------
        X : array_like, shape (T, d), or a list / TrajectorySet
            Observed history.
        u : array_like, shape (T, m), optional
            Inputs at the same times (input models only).

        Returns
        -------
        ndarray, shape (T, d), or a list of them for several trajectories
            Row ``k`` predicts ``X[k + 1]`` from ``X[: k + 1]``; rows with too
            little history for the model are NaN.
        """
        self._check_is_fitted()
        if isinstance(X, (TrajectorySet, list, tuple)) and not _is_table(X):
            data = as_trajectories(X, u=u, allow_nan=self._allow_nan)
            return [self._predict_one(tr.x, tr.u) for tr in data]
        if isinstance(X, Trajectory):
            return self._predict_one(X.x, X.u)
        return self._predict_one(X, u)

    def _predict_one(self, X, u) -> np.ndarray:
        x = self._check_x(X, "X")
        uu = self._check_u(u, x.shape[0], "u")
        return self._predict_next(x, uu)

    def forecast(self, context, horizon: int, u=None) -> Trajectory:
        """Continue an observed history for ``horizon`` steps.

        Parameters
        ----------
        context : array_like, shape (Tc, d), or Trajectory
            Observed history; Markov models use its last state, delay models its
            last window. An array's times are taken as ``0, dt, ..., (Tc-1) dt``.
        horizon : int
            Number of future steps.
        u : array_like, shape (horizon, m), optional
            Future inputs (input models only).

        Returns
        -------
        Trajectory or Forecast
            ``horizon`` samples at times following the context.
        """
        self._check_is_fitted()
        horizon = check_positive_int(horizon, "horizon")
        t0 = None
        u_ctx = None
        if isinstance(context, Trajectory):
            t0, u_ctx = float(context.t[-1]), context.u
            context = context.x
        x = self._check_x(context, "context", min_rows=self._min_context())
        if u_ctx is not None and self._inputs == "never":
            u_ctx = None
        u_future = self._check_u(u, horizon, "u")
        dt = self.dt_ if np.isfinite(self.dt_) else 1.0
        if t0 is None:
            t0 = (x.shape[0] - 1) * dt
        out = self._forecast(x, horizon, u_ctx, u_future)
        t = t0 + dt * np.arange(1, horizon + 1)
        if isinstance(out, tuple):
            mean, cov = out
            return Forecast(t=t, x=mean, u=u_future, cov=cov)
        return Trajectory(t=t, x=np.asarray(out), u=u_future)

    def score(self, X, u=None) -> float:
        """Coefficient of determination R^2 of the one-step-ahead predictions.

        Parameters
        ----------
        X : array_like or TrajectorySet
        u : array_like, optional

        Returns
        -------
        float
        """
        preds = self.predict(X, u=u)
        data = as_trajectories(X, u=u, allow_nan=self._allow_nan)
        preds = preds if isinstance(preds, list) else [preds]
        pairs = [(p[:-1], tr.x[1:]) for p, tr in zip(preds, data)]
        P = np.concatenate([p for p, _ in pairs])
        Y = np.concatenate([y for _, y in pairs])
        ok = np.all(np.isfinite(P), axis=1) & np.all(np.isfinite(Y), axis=1)
        resid = ((Y[ok] - P[ok]) ** 2).sum()
        total = ((Y[ok] - Y[ok].mean(axis=0)) ** 2).sum()
        return float(1.0 - resid / total) if total > 0 else float("nan")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self._allow_nan
        return tags


def _is_table(X) -> bool:
    """A list of lists of numbers (one 2-D table), as opposed to a list of series."""
    if isinstance(X, TrajectorySet):
        return False
    return bool(X) and not any(
        isinstance(el, (np.ndarray, Trajectory)) or hasattr(el, "to_numpy") for el in X
    )


@runtime_checkable
class Forecaster(Protocol):
    """Protocol of a forecaster: anything with ``fit``, ``predict`` and ``forecast``.

    Examples
    --------
    >>> import lindy as ld
    >>> isinstance(ld.baselines.Persistence(), Forecaster)
    True
    """

    def fit(self, X, t=None, u=None): ...  # noqa: D102

    def predict(self, X, u=None): ...  # noqa: D102

    def forecast(self, context, horizon, u=None): ...  # noqa: D102
