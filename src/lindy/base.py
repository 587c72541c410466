"""The estimator contract (v2) shared by every lindy model.

Users see four verbs: ``fit(X, t=None, u=None)`` validates and learns, setting
attributes that end in ``_``; ``predict(X, u=None)`` gives one-step-ahead
predictions; ``forecast(context, horizon, u=None)`` continues an observed
history and always returns a :class:`~lindy.data.Forecast`; ``save(path)`` writes
a portable file that :func:`lindy.load` reads back.

A model implements three hooks and declares what it accepts as class data:

* ``_fit(data: TrajectorySet) -> None``;
* ``_predict_next(x (T, d), u (T, m) or None) -> (T, d)``: row ``k`` predicts
  ``x[k + 1]`` from the history up to ``k`` (NaN where not enough history);
* ``_forecast(context: Trajectory, horizon: int, u_future) -> Forecast``; the
  context is validated (width, NaN, inputs present when the model uses them)
  and :meth:`Estimator._forecast_result` builds the Forecast with its times.

Class data: ``_parameter_constraints`` (checked by ``fit`` with one message
format, see :mod:`lindy._constraints`), ``_inputs`` (``"never"``,
``"optional"`` or ``"required"``), ``_allow_nan``, ``_allow_irregular``
(irregular sampling accepted; then ``dt_`` is None) and ``_allow_complex``
(complex snapshots accepted; every other model raises a ValidationError on
complex data instead of casting it).

Sampling: with regular sampling ``dt_`` is the common interval; a forecast's
times continue the context's by ``dt_`` (by the median training interval for
models that accept irregular times). A context given as a bare array is taken
to be sampled at ``0, dt_, 2 dt_, ...``.

Inputs (one convention for every input-aware model): ``u[k]`` is the input
applied at time ``t[k]``; ``x[k + 1]`` depends on ``x[..k]`` and ``u[..k]``.
``forecast(context, horizon, u)`` takes the inputs at the ``horizon`` forecast
times, shape ``(horizon, m)``; the step out of the last context state uses the
context's last input, so an input model needs a context :class:`Trajectory`
that carries ``u``. :meth:`Estimator._step_inputs` gives the input that drives
each forecast step.

Free runs: ``simulate(u, x0=None, *, y=None, t=None)`` drives an input model
from the inputs alone, through ``_forecast`` (so with the same input timing).
Hooks: ``_initial_context`` (the history or state to start from: ``x0``, a
measured output window ``y``, or rest), ``_rest_output`` (the equilibrium
under zero input) and ``_free_run``; the defaults, for models of the observed
variables, live in :mod:`lindy._free_run`, and state-space models override them.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

import numpy as np
from sklearn.base import BaseEstimator

from ._constraints import check_params
from ._validation import check_array, check_positive_int
from .data import Forecast, Trajectory, TrajectorySet, as_trajectories
from .errors import NotFittedError, ShapeError, ValidationError

__all__ = ["Estimator", "Forecaster", "DelayWindow"]


class Estimator(BaseEstimator):
    """Base class of lindy's time-ordered estimators (a scikit-learn ``BaseEstimator``).

    See the module docstring for the hooks a subclass implements and the class
    data it declares.

    Attributes
    ----------
    n_features_in_ : int
        State dimension seen in ``fit``.
    n_inputs_ : int
        Input dimension seen in ``fit`` (0 without inputs).
    dt_ : float or None
        Sampling interval seen in ``fit``; None for irregular sampling (only
        models that declare ``_allow_irregular``).
    """

    #: constructor argument -> list of accepted constraints (see lindy._constraints)
    _parameter_constraints: ClassVar[dict] = {}
    #: whether NaN entries (missing values) are accepted in X
    _allow_nan: ClassVar[bool] = False
    #: "never", "optional" or "required": how the model uses inputs u
    _inputs: ClassVar[str] = "never"
    #: whether irregular sampling (or different dt per trajectory) is accepted
    _allow_irregular: ClassVar[bool] = False
    #: whether complex-valued snapshots are accepted (the DMD family)
    _allow_complex: ClassVar[bool] = False

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

    def _forecast(self, context: Trajectory, horizon: int, u_future) -> Forecast:
        raise NotImplementedError  # pragma: no cover - abstract

    # ------------------------------------------------------------ validation
    def _check_params(self) -> None:
        check_params(type(self).__name__, self.get_params(deep=False),
                     self._parameter_constraints)

    def _validate_data(self, X, t=None, u=None) -> TrajectorySet:
        data = as_trajectories(X, t=t, u=u, allow_nan=self._allow_nan,
                               min_length=self._min_fit_length(),
                               allow_complex=self._allow_complex)
        name = type(self).__name__
        if self._inputs == "never" and data.input_dim:
            raise ValidationError(
                f"{name} does not use inputs; got u with {data.input_dim} column(s). "
                "Drop u or use an input-aware model.")
        if self._inputs == "required" and not data.input_dim:
            raise ValidationError(f"{name} needs inputs: pass u=(T, m) array(s) to fit.")
        if not self._allow_irregular and data.dt is None:
            raise ValidationError(
                f"{name} needs uniformly sampled trajectories with one common dt; the "
                "times given are irregular or differ between trajectories. Resample the "
                "data or use a model that accepts irregular times (BOPDMD, GPForecaster).")
        return data

    def _check_is_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet; call fit(X) "
                "before using it.")

    def _check_x(self, X, name: str, min_rows: int = 1) -> np.ndarray:
        x = check_array(X, name, ndim=(1, 2), allow_nan=self._allow_nan, min_rows=min_rows,
                        allow_complex=self._allow_complex)
        if x.ndim == 1:
            x = x[:, None] if self.n_features_in_ == 1 else x[None, :]
        if x.shape[1] != self.n_features_in_:
            raise ShapeError(
                f"{name} has {x.shape[1]} columns but the model was fitted on "
                f"{self.n_features_in_} features.")
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
                    f"with shape ({rows}, {self.n_inputs_}).")
            return None
        uu = check_array(u, name, ndim=(1, 2))
        if uu.ndim == 1:
            uu = uu[:, None]
        if uu.shape != (rows, self.n_inputs_):
            raise ShapeError(f"{name} must have shape ({rows}, {self.n_inputs_}); got {uu.shape}.")
        return uu

    def _check_context(self, context) -> Trajectory:
        """The validated forecast context as a Trajectory (times from ``dt_`` for arrays)."""
        need = self._min_context()
        if isinstance(context, Trajectory):
            x = self._check_x(context.x, "context", min_rows=need)
            t, u = context.t, context.u
            self._check_context_sampling(t)
        else:
            x = self._check_x(context, "context", min_rows=need)
            t, u = self._forecast_step() * np.arange(x.shape[0]), None
        if self._inputs == "never" or not self.n_inputs_:
            u = None
        elif u is None:
            raise ValidationError(
                f"{type(self).__name__} is driven by inputs: the step out of the last context "
                "state uses the context's last input, so pass the context as a Trajectory with "
                "u, e.g. Trajectory(t=t, x=x, u=u).")
        else:
            u = self._check_u(u, x.shape[0], "context.u")
        return Trajectory(t=t, x=x, u=u)

    def _check_context_sampling(self, t: np.ndarray) -> None:
        if self._allow_irregular or self.dt_ is None or t.shape[0] < 2:
            return
        d = np.diff(t)
        if not np.allclose(d, self.dt_, rtol=1e-6, atol=0.0):
            raise ValidationError(
                f"{type(self).__name__} was fitted on samples dt_={self.dt_:g} apart, but the "
                f"context's times are spaced {d.min():g} to {d.max():g}. Resample the context to "
                "the training interval.")

    # --------------------------------------------------------- forecast help
    def _forecast_step(self) -> float:
        """Time between forecast samples: ``dt_``, or the median training interval."""
        return self.dt_ if self.dt_ is not None else self.median_dt_

    def _forecast_result(self, context: Trajectory, mean, *, cov=None, samples=None,
                         u_future=None) -> Forecast:
        """A Forecast of ``mean`` (horizon, d) at the times following ``context``."""
        mean = np.asarray(mean)
        t = float(context.t[-1]) + self._forecast_step() * np.arange(1, mean.shape[0] + 1)
        return Forecast(t=t, x=mean, u=u_future, cov=cov, samples=samples)

    @staticmethod
    def _step_inputs(context: Trajectory, u_future: np.ndarray) -> np.ndarray:
        """Input driving each forecast step, shape (horizon, m).

        Step ``j`` goes from forecast time ``j - 1`` (the last context sample for
        ``j = 0``) to forecast time ``j``: it is driven by the context's last input
        and then by ``u_future[:-1]``.
        """
        return np.vstack([context.u[-1:], u_future[:-1]])

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
            Inputs, structured like ``X``: ``u[k]`` is applied at ``t[k]``.

        Returns
        -------
        self
        """
        self._check_params()
        data = self._validate_data(X, t, u)
        self.n_features_in_ = data.dim
        self.n_inputs_ = data.input_dim
        self.dt_ = data.dt
        steps = np.concatenate([np.diff(tr.t) for tr in data])
        self.median_dt_ = float(np.median(steps)) if steps.size else 1.0
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
        X : array_like, shape (T, d), Trajectory, or a list / TrajectorySet
            Observed history.
        u : array_like, shape (T, m), optional
            Inputs at the same times (input models only).

        Returns
        -------
        ndarray, shape (T, d), or a list of them for several trajectories
            Row ``k`` predicts ``X[k + 1]`` from ``X[: k + 1]`` (and ``u[: k + 1]``);
            rows with too little history for the model are NaN.
        """
        self._check_is_fitted()
        if isinstance(X, (TrajectorySet, list, tuple)) and not _is_table(X):
            data = as_trajectories(X, u=u, allow_nan=self._allow_nan,
                                   allow_complex=self._allow_complex)
            return [self._predict_one(tr.x, tr.u) for tr in data]
        if isinstance(X, Trajectory):
            return self._predict_one(X.x, X.u)
        return self._predict_one(X, u)

    def _predict_one(self, X, u) -> np.ndarray:
        x = self._check_x(X, "X")
        uu = self._check_u(u, x.shape[0], "u")
        return self._predict_next(x, uu)

    def forecast(self, context, horizon: int, u=None) -> Forecast:
        """Continue an observed history for ``horizon`` steps.

        Parameters
        ----------
        context : Trajectory or array_like, shape (Tc, d)
            Observed history; Markov models use its last state, delay models its
            last window. An array's times are taken as ``0, dt_, ..., (Tc-1) dt_``.
            Input models need a Trajectory with ``u`` (its last input drives the
            first forecast step).
        horizon : int
            Number of future steps.
        u : array_like, shape (horizon, m), optional
            Inputs at the forecast times (input models only); row ``j`` is applied
            at the time of forecast sample ``j``.

        Returns
        -------
        Forecast
            ``horizon`` samples (mean, optional ``cov``/``samples``) at the times
            following the context.
        """
        self._check_is_fitted()
        horizon = check_positive_int(horizon, "horizon")
        ctx = self._check_context(context)
        u_future = self._check_u(u, horizon, "u")
        out = self._forecast(ctx, horizon, u_future)
        if not isinstance(out, Forecast):  # pragma: no cover - a contract violation
            raise TypeError(f"{type(self).__name__}._forecast must return a Forecast.")
        return out

    def simulate(self, u, x0=None, *, y=None, t=None) -> Trajectory:
        """Free run from the inputs alone (simulation, as in system identification).

        The model is driven by ``u`` from an initial condition and never sees a
        measured output after it. The initial condition is, in order of
        precedence: ``x0``; else estimated from ``y``, a short measured output
        window at the first input times; else the model at rest (the
        equilibrium it settles to under zero input). The run goes through
        ``forecast``'s step, so it uses lindy's one input convention (``u[k]``
        drives the step from ``t[k]`` to ``t[k + 1]``).

        Parameters
        ----------
        u : array_like (T, m) or Trajectory with inputs
            Inputs at the ``T`` simulation times; a Trajectory's ``t`` is used
            (its ``x`` is not: pass measured outputs as ``y``).
        x0 : array_like, optional
            Initial state in the model's own coordinates: for state-space models
            the state ``(state_dim_,)`` at ``t[0]``; for models of the observed
            variables the first sample ``(d,)``, or for delay models the first
            ``(n, d)`` samples (their minimal history, ``n`` rows).
        y : array_like (w, d), optional
            Measured outputs at the first ``w`` input times. State-space models
            fit the initial state to them by least squares (``w * d`` at least
            the state dimension); models of the observed variables take the
            window as their initial history (at least their minimal history).
        t : array_like (T,), optional
            Times of the inputs (default ``0, dt_, 2 dt_, ...``).

        Returns
        -------
        Trajectory
            Outputs at all ``T`` input times, with ``u`` attached. Samples given
            as history (``x0``, or ``y`` for models of the observed variables)
            are returned as given; state-space models return their own outputs.

        Examples
        --------
        >>> import numpy as np, lindy as ld
        >>> data = ld.testing.linear_input_data()
        >>> model = ld.operators.DMDc().fit(data)
        >>> sim = model.simulate(data[0].u, y=data[0].x[:1])
        >>> bool(np.allclose(sim.x, data[0].x))
        True
        """
        self._check_is_fitted()
        name = type(self).__name__
        if self._inputs == "never" or not self.n_inputs_:
            raise ValidationError(
                f"{name} was fitted without inputs, so it has nothing to simulate from; use "
                "forecast(context, horizon) to continue an observed history.")
        if isinstance(u, Trajectory):
            if u.u is None:
                raise ValidationError("simulate got a Trajectory without inputs; pass u=(T, m).")
            t, u = u.t if t is None else t, u.u
        uu = check_array(u, "u", ndim=(1, 2))
        uu = uu[:, None] if uu.ndim == 1 and self.n_inputs_ == 1 else uu
        if uu.ndim == 1 or uu.shape[1] != self.n_inputs_:
            raise ShapeError(f"u must have shape (T, {self.n_inputs_}); got {uu.shape}.")
        T = uu.shape[0]
        tt = self._forecast_step() * np.arange(T) if t is None else check_array(t, "t", ndim=1)
        if tt.shape[0] != T:
            raise ShapeError(f"t has {tt.shape[0]} times but u has {T} rows.")
        self._check_context_sampling(tt)
        yy = None if y is None or x0 is not None else self._check_x(y, "y")
        if yy is not None and yy.shape[0] > T:
            raise ShapeError(f"The output window y has {yy.shape[0]} rows, more than the {T} inputs.")
        context, state = self._initial_context(uu, tt, x0, yy)
        w = context.n_steps if context.t[0] >= tt[0] else 0  # at rest the context precedes t[0]
        x = context.x[:w]
        if w < T:
            x = np.vstack([x, self._free_run(context, state, T - w, uu[w:]).x])
        return Trajectory(t=tt, x=x, u=uu)

    def _initial_context(self, u, t, x0, y):
        """``(context, state)`` a free run continues; see :func:`lindy._free_run.history_context`."""
        from ._free_run import history_context

        return history_context(self, u, t, x0, y), None

    def _rest_output(self) -> np.ndarray:
        """Output at rest under zero input; see :func:`lindy._free_run.rest_output`."""
        from ._free_run import rest_output

        return rest_output(self)

    def _free_run(self, context: Trajectory, state, horizon: int, u_future) -> Forecast:
        """Continue ``context`` under ``u_future``; ``state`` is from :meth:`_initial_context`."""
        return self._forecast(context, horizon, u_future)

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
        data = as_trajectories(X, u=u, allow_nan=self._allow_nan, allow_complex=self._allow_complex)
        preds = preds if isinstance(preds, list) else [preds]
        pairs = [(p[:-1], tr.x[1:]) for p, tr in zip(preds, data)]
        P = np.concatenate([p for p, _ in pairs])
        Y = np.concatenate([y for _, y in pairs])
        ok = np.all(np.isfinite(P), axis=1) & np.all(np.isfinite(Y), axis=1)
        resid = (np.abs(Y[ok] - P[ok]) ** 2).sum()
        total = (np.abs(Y[ok] - Y[ok].mean(axis=0)) ** 2).sum()
        return float(1.0 - resid / total) if total > 0 else float("nan")

    def save(self, path) -> None:
        """Write the fitted (or unfitted) model to a portable file (arrays + JSON, no pickle).

        Parameters
        ----------
        path : str or os.PathLike
            Destination; read it back with :func:`lindy.load`.
        """
        from ._io import save

        save(self, path)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self._allow_nan
        return tags


class DelayWindow:
    """Length rules of models that read delay windows of ``n_delays`` samples ``stride`` apart.

    A window spans ``(n_delays - 1) stride`` steps: fitting needs one more sample
    for a successor, forecasting needs one full window. Mixed in before
    :class:`Estimator` (it overrides its ``_min_fit_length`` and ``_min_context``).
    """

    def _span(self) -> int:
        return (int(self.n_delays) - 1) * int(self.stride)

    def _min_fit_length(self) -> int:
        return self._span() + 2

    def _min_context(self) -> int:
        return self._span() + 1


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
