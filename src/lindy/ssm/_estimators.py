"""Estimator classes: linear-Gaussian state-space models learned by EM, ML or N4SID."""

from __future__ import annotations

import warnings

import numpy as np

from .._constraints import BOOL, RANDOM_STATE, Interval, Options, _Predicate
from .._validation import check_array, check_rng
from ..base import Estimator
from ..data import Trajectory, as_trajectories
from ..errors import ShapeError, StabilityWarning, ValidationError
from ._em import PARAM_NAMES, fit_em
from ._forecast import forecast
from ._free_run import free_response, initial_state
from ._kalman import _filter_lists, kalman_filter
from ._mle import fit_mle
from ._params import LGSSMParams
from ._stability import UNIT_TOL, refit_input_maps, reflect_unstable, spectral_radius
from ._subspace import n4sid

__all__ = ["LinearGaussianSSM", "SubspaceID"]


def _fill_gaps(x: np.ndarray) -> np.ndarray:
    """Linear interpolation over NaN entries, column by column (for initialization only)."""
    x = x.copy()
    t = np.arange(x.shape[0])
    for j in range(x.shape[1]):
        bad = np.isnan(x[:, j])
        if bad.all():
            x[:, j] = 0.0
        elif bad.any():
            x[bad, j] = np.interp(t[bad], t[~bad], x[~bad, j])
    return x


def _equilibrium(ys, us, fallback: np.ndarray) -> np.ndarray:
    """Fixed point of a VAR(1) with intercept fitted to the (gap-filled) outputs.

    On stationary data it is close to the sample mean; on decaying or transient
    data it is the level the outputs settle to. Falls back to ``fallback`` when
    the fit has (nearly) a unit root or the level lies far outside the data.
    """
    us = [np.zeros((y.shape[0], 0)) for y in ys] if us is None else us
    pairs = [(np.hstack([y[:-1], u[:-1]]), y[1:])
             for y, u in zip((_fill_gaps(y) for y in ys), us) if y.shape[0] > 1]
    if not pairs:
        return fallback
    X = np.concatenate([a for a, _ in pairs])
    Y = np.concatenate([b for _, b in pairs])
    p = Y.shape[1]
    Z = np.hstack([X, np.ones((X.shape[0], 1))])
    if Z.shape[0] <= p + 1:
        return fallback
    W = np.linalg.lstsq(Z, Y, rcond=None)[0]
    M = np.eye(p) - W[:p].T
    if np.linalg.cond(M) > 1e6:
        return fallback
    level = np.linalg.solve(M, W[-1])
    spread = np.ptp(Y, axis=0) + np.abs(fallback) + 1e-12
    return level if np.all(np.abs(level - fallback) <= 2.0 * spread) else fallback


def _ml_scale(params: LGSSMParams, ys, us) -> LGSSMParams:
    """``Q, R, P0`` times the ML scale factor: the mean squared whitened innovation.

    Scaling all three by ``c`` keeps the Kalman gain and scales the innovation
    covariances by ``c``, so this is the exact likelihood maximum along that line.
    """
    w = np.concatenate([f.whitened_innovations for f in _filter_lists(params, ys, us)])
    c = float(np.nanmean(w ** 2))
    if not np.isfinite(c) or c <= 0:
        return params
    return params.replace(Q=c * params.Q, R=c * params.R, P0=c * params.P0)


class _KalmanForecaster(Estimator):
    """Shared predict/forecast of estimators whose fitted model is an LGSSM ``params_``.

    Observations are modelled as deviations from ``mean_`` (the training mean,
    or zeros); an estimated observation offset enters ``params_`` as the ``D``
    column of an extra constant input (``_n_const = 1``).
    """

    _allow_nan = True
    _inputs = "optional"
    _n_const = 0

    def _with_const(self, u, T):
        if not self._n_const:
            return u
        one = np.ones((T, 1))
        return one if u is None else np.hstack([u, one])

    def _sequences(self, data):
        ys = [tr.x - self.mean_ for tr in data]
        if not (data.input_dim or self._n_const):
            return ys, None
        return ys, [self._with_const(tr.u, tr.x.shape[0]) for tr in data]

    def _predict_next(self, x, u):
        filt = kalman_filter(self.params_, x - self.mean_, self._with_const(u, x.shape[0]))
        states = np.vstack([filt.predicted_means[1:], filt.next_mean[None]])
        pred = states @ self.params_.C.T + self.mean_
        return pred + self.params_.D[:, -1] if self._n_const else pred

    def _forecast(self, context, horizon, u_future):
        return self._forecast_from(self.params_, context, horizon, u_future)

    def _forecast_from(self, params, context, horizon, u_future):
        x = context.x
        u_ctx = self._with_const(context.u, x.shape[0])
        filt = kalman_filter(params, x - self.mean_, u_ctx)
        fc = forecast(params, filt, horizon, u=self._with_const(u_future, horizon))
        return self._forecast_result(context, fc.obs_means + self.mean_, cov=fc.obs_covariances,
                                     u_future=u_future)

    # free run (simulate): the state at the context's first time is exact (P0 = 0) and
    # the context holds the model's own noise-free outputs, so every innovation is zero
    def _initial_context(self, u, t, x0, y):
        n = self.params_.state_dim
        if x0 is not None:
            state = check_array(x0, "x0", ndim=1)
            if state.shape != (n,):
                raise ShapeError(f"x0 is the state of {type(self).__name__}: shape ({n},); "
                                 f"got {state.shape}.")
        elif y is not None:
            ua = self._with_const(u[:y.shape[0]], y.shape[0])
            state = initial_state(self.params_, y - self.mean_, ua)
        else:
            state = np.zeros(n)
        w = 1 if y is None or x0 is not None else y.shape[0]
        out = free_response(self.params_, state, self._with_const(u[:w], w)) + self.mean_
        return Trajectory(t=t[:w], x=out, u=u[:w]), state

    def _free_run(self, context, state, horizon, u_future):
        n = self.params_.state_dim
        params = self.params_.replace(m0=state, P0=np.zeros((n, n)))
        return self._forecast_from(params, context, horizon, u_future)

    def log_likelihood(self, X, u=None) -> float:
        """Log-likelihood of observations ``X`` (T, d) under the fitted model (NaN = missing).

        Returns
        -------
        float
        """
        self._check_is_fitted()
        x = self._check_x(X, "X")
        uu = self._with_const(self._check_u(u, x.shape[0], "u"), x.shape[0])
        return float(kalman_filter(self.params_, x - self.mean_, uu).log_likelihood)


class SubspaceID(_KalmanForecaster):
    """Linear state-space model identified by N4SID subspace identification.

    The output offset is handled as in :class:`LinearGaussianSSM`: by default it
    is identified with the dynamics (``offset="estimate"``, see
    :func:`lindy.ssm.n4sid`), so data without an offset are modelled exactly.
    ``offset="mean"`` subtracts the sample mean first: on data driven by inputs
    whose sample mean is not zero, or on transient data, that adds an offset the
    linear model cannot represent and biases it (a noise-free 2-state system
    with one input was continued 2e-2 off, against 1e-13 with ``"estimate"``).
    Input offsets (inputs around a nonzero operating point) need no term of
    their own: with ``y = C x + D (u - ū) + d`` and ``x' = A x + B (u - ū)`` the
    constant shifts the state's equilibrium, and the output offset absorbs it.

    ``simulate(u, x0=None, y=None)`` runs the model from the inputs alone:
    ``x0`` is a state of ``params_``, ``y`` a window the initial state is fitted
    to by least squares, and by default the model starts at rest (state zero).

    Parameters
    ----------
    state_dim : int, optional
        State dimension; by default the largest gap in the singular values.
    n_block_rows : int, default 10
        Block rows of the Hankel matrices (the state dimension is at most
        ``n_block_rows * d - 1``).
    weighting : {"n4sid", "moesp", "cva"}, optional
        SVD weighting (see :func:`lindy.ssm.n4sid`); by default ``"n4sid"``, and
        ``"moesp"`` with ``focus="simulation"`` (the MOESP algorithm).
    offset : {"estimate", "mean", "none"}, default "estimate"
        Output offset: identified, the training mean, or none.
    stability : {"warn", "project"}, default "warn"
        What to do when the identified ``A`` has an eigenvalue of modulus above
        ``1 + 1e-5`` (its free run diverges; closer to 1 is a unit root, e.g.
        an integrator): return it with a
        :class:`~lindy.errors.StabilityWarning`, or project it onto the stable
        set: reflect those eigenvalues, ``lambda -> 1 / conj(lambda)``, and
        refit ``B``, ``D`` and the offset by least squares on the free-run
        output error (see :mod:`lindy.ssm._stability`). A stable model is
        returned unchanged either way.
    focus : {"prediction", "simulation"}, default "prediction"
        ``"simulation"`` tunes the model for free runs (as MATLAB's ``n4sid``
        option of that name intends): MOESP, ``A`` and ``C`` from the shift
        invariance of the observability matrix (``n4sid(shift_invariance=True)``),
        then ``B``, the offset and no direct feedthrough (``D = 0`` for the
        inputs) by least squares on the free-run output error. On the cascaded
        tanks, whose low-pass input makes the state sequence noise-dominated, 2
        states give 30 % free-run NRMSE against thousands of percent for
        ``"prediction"``; on the Silverbox multisine 13.0 % against 19.0 %.

    Attributes
    ----------
    params_ : LGSSMParams
        Identified model of ``X - mean_``. With ``offset="estimate"`` its last
        input is the constant 1: ``B[:, -1] = 0`` and ``D[:, -1] = offset_``.
    offset_ : ndarray (d,)
        Output offset (the training mean for ``offset="mean"``).
    mean_ : ndarray (d,)
        Subtracted before identification (non-zero only for ``offset="mean"``).
    singular_values_ : ndarray
    state_dim_ : int
    spectral_radius_ : float
        Largest eigenvalue modulus of the returned ``A``.
    projected_ : bool
        Whether the stable projection changed the model.

    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.testing.conformance_data()
    >>> model = ld.ssm.SubspaceID(state_dim=2, n_block_rows=5).fit(data)
    >>> model.state_dim_, model.forecast(data[0].x, horizon=3).x.shape
    (2, (3, 2))

    Input-output identification and a free run from the inputs alone (the
    initial state fitted to the first two measured outputs):

    >>> import numpy as np
    >>> io = ld.testing.linear_input_data()
    >>> sid = ld.ssm.SubspaceID(state_dim=2, n_block_rows=5).fit(io)
    >>> sim = sid.simulate(io[0].u, y=io[0].x[:2])
    >>> bool(np.allclose(sim.x, io[0].x)), sid.spectral_radius_ < 1
    (True, True)
    """

    _allow_nan = False
    _parameter_constraints = {
        "state_dim": [None, Interval(int, 1, None)],
        "n_block_rows": [Interval(int, 1, None)],
        "weighting": [None, Options("n4sid", "moesp", "cva")],
        "offset": [Options("estimate", "mean", "none")],
        "stability": [Options("warn", "project")],
        "focus": [Options("prediction", "simulation")],
    }

    def __init__(self, state_dim=None, n_block_rows=10, weighting=None, offset="estimate",
                 stability="warn", focus="prediction"):
        self.state_dim = state_dim
        self.n_block_rows = n_block_rows
        self.weighting = weighting
        self.offset = offset
        self.stability = stability
        self.focus = focus

    def _fit(self, data) -> None:
        X = data.concatenate()
        self.mean_ = X.mean(axis=0) if self.offset == "mean" else np.zeros(X.shape[1])
        self._n_const = 0
        ys, us = self._sequences(data)
        res = n4sid(as_trajectories(ys, u=us), state_dim=self.state_dim,
                    n_block_rows=self.n_block_rows, weighting=self._weighting(),
                    offset=self.offset == "estimate",
                    shift_invariance=self.focus == "simulation")
        params = res.params
        if res.offset is not None:
            n, p, m = params.state_dim, params.obs_dim, params.input_dim
            params = params.replace(B=np.hstack([params.B, np.zeros((n, 1))]),
                                    D=np.hstack([params.D if m else np.zeros((p, 0)),
                                                 res.offset[:, None]]))
            self._n_const = 1
        params = self._stable(params, data)
        if self.focus == "simulation" and not self.projected_ \
                and not self.spectral_radius_ > 1.0 + UNIT_TOL:
            params = self._refit(params, data, feedthrough=False)
        self.params_ = params
        self.offset_ = params.D[:, -1].copy() if self._n_const else self.mean_.copy()
        self.singular_values_ = res.singular_values
        self.state_dim_ = res.state_dim

    def _weighting(self) -> str:
        if self.weighting is not None:
            return self.weighting
        return "moesp" if self.focus == "simulation" else "n4sid"

    def _stable(self, params, data):
        """The model, projected onto the stable set when asked (else a warning if unstable)."""
        rho = spectral_radius(params.A)
        unstable = rho > 1.0 + UNIT_TOL
        self.projected_ = unstable and self.stability == "project"
        if not self.projected_:
            if unstable:
                warnings.warn(StabilityWarning(
                    f"SubspaceID identified an unstable model: A has spectral radius {rho:.4g} "
                    "> 1, so its free run (simulate) diverges. Pass stability='project' to "
                    "reflect the unstable eigenvalues and refit B and D, or try another "
                    "state_dim or n_block_rows."), stacklevel=4)
            self.spectral_radius_ = rho
            return params
        params = params.replace(A=reflect_unstable(params.A))
        self.spectral_radius_ = spectral_radius(params.A)
        return self._refit(params, data, feedthrough=self.focus != "simulation")

    def _refit(self, params, data, *, feedthrough: bool = True):
        """``B``, ``D`` and the offset refit by least squares on the free-run output error."""
        if not params.input_dim:
            return params
        ys = [tr.x - self.mean_ for tr in data]
        us = [self._with_const(tr.u, tr.n_steps) for tr in data]
        return refit_input_maps(params, ys, us, free_inputs=data.input_dim,
                                feedthrough=feedthrough)


class LinearGaussianSSM(_KalmanForecaster):
    """Linear-Gaussian state-space model ``x' = A x + B u + w, y = C x + v`` learned from data.

    Missing values (NaN) are allowed anywhere, component by component. The
    model is initialized by N4SID on gap-filled data and refined by EM
    (``solver="em"``) or direct maximum likelihood (``solver="mle"``).

    By default the observations get an offset ``y = C x + d + v`` that is
    learned jointly with the dynamics (``offset="estimate"``): on stationary
    data ``d`` is the mean, on decaying or transient data it is not, and
    subtracting the sample mean there (``offset="mean"``, what :class:`SubspaceID`
    does) biases the dynamics. ``offset="none"`` models the raw data with a
    zero-mean state (as statsmodels and pykalman do). An input offset is
    absorbed by the output offset (see :class:`SubspaceID`), and so is
    :meth:`simulate` as in :class:`SubspaceID`.

    Parameters
    ----------
    state_dim : int, default 2
    solver : {"em", "mle", "subspace"}, default "em"
        How the fit is computed: EM, direct maximum likelihood (L-BFGS-B), or
        the N4SID initialization alone.
    max_iter : int, default 50
        Maximum EM iterations (or optimizer iterations for ``"mle"``).
    tol : float, default 1e-6
        Relative log-likelihood tolerance of EM.
    fixed : tuple of str, default ()
        Parameters held at their initial values (names as in :class:`LGSSMParams`).
    init : {"subspace", "random"}, default "subspace"
    n_block_rows : int, default 10
        N4SID block rows for the initialization.
    random_state : None or int
        Seed of the random initialization.
    offset : {"estimate", "mean", "none"}, default "estimate"
        How the observation offset is handled (see above).
    feedthrough : bool, default False
        Learn the direct input-to-output term ``D`` of ``y = C x + D u + v``
        (input-output identification of sampled systems usually needs it);
        by default ``D = 0`` for the inputs.

    With inputs, the N4SID start is made stable (unstable eigenvalues of ``A``
    reflected into the unit circle) and its ``B``, ``D`` and offset are refit by
    least squares on the free-run output error (see :class:`SubspaceID`;
    unless ``B`` or ``D`` is in ``fixed``), so
    the prediction-error refinement (``"mle"``: the Kalman-filter likelihood,
    i.e. the one-step prediction error weighted by its covariance) starts from
    a model whose free run does not diverge.

    Attributes
    ----------
    params_ : LGSSMParams
        Fitted model of ``X - mean_``; ``D`` is held at 0 for the inputs unless
        ``feedthrough``. With
        ``offset="estimate"`` the last input of ``params_`` is the constant 1:
        ``B[:, -1] = 0`` and ``D[:, -1] = offset_``.
    offset_ : ndarray (d,)
        Observation offset (the training mean for ``offset="mean"``, zeros for
        ``"none"``).
    mean_ : ndarray (d,)
        Subtracted before filtering (non-zero only for ``offset="mean"``).
    log_likelihoods_ : ndarray
        Training log-likelihood per iteration.

    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.testing.conformance_data()
    >>> ssm = ld.ssm.LinearGaussianSSM(state_dim=2, max_iter=10).fit(data)
    >>> fc = ssm.forecast(data[0].x, horizon=5)
    >>> fc.mean.shape, fc.cov.shape
    ((5, 2), (5, 2, 2))
    """

    _parameter_constraints = {
        "state_dim": [Interval(int, 1, None)],
        "solver": [Options("em", "mle", "subspace")],
        "max_iter": [Interval(int, 1, None)],
        "tol": [Interval(float, 0, None)],
        "fixed": [_Predicate(
            lambda v: isinstance(v, (tuple, list)) and all(f in PARAM_NAMES for f in v),
            f"a tuple of names among {PARAM_NAMES}")],
        "init": [Options("subspace", "random")],
        "n_block_rows": [Interval(int, 1, None)],
        "random_state": [RANDOM_STATE],
        "offset": [Options("estimate", "mean", "none")],
        "feedthrough": [BOOL],
    }

    def __init__(self, state_dim=2, solver="em", max_iter=50, tol=1e-6, fixed=(),
                 init="subspace", n_block_rows=10, random_state=None, offset="estimate",
                 feedthrough=False):
        self.state_dim = state_dim
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.fixed = fixed
        self.init = init
        self.n_block_rows = n_block_rows
        self.random_state = random_state
        self.offset = offset
        self.feedthrough = feedthrough

    def _initial(self, ys, us, level) -> LGSSMParams:
        """Start values for a model of ``ys - level`` (``level``: the initial offset or None)."""
        params = self._initial_centered([y - level for y in ys] if level is not None else ys, us)
        n, m, p = params.state_dim, params.input_dim, params.obs_dim
        if level is not None:
            params = params.replace(B=np.hstack([params.B, np.zeros((n, 1))]),
                                    D=np.hstack([params.D if m else np.zeros((p, 0)),
                                                 level[:, None]]))
        refit = m and self._from_subspace and not {"B", "D"} & set(self.fixed)
        if refit:  # output-error B, D and offset for N4SID's (A, C)
            ua = [self._with_const(ui, ui.shape[0]) for ui in us]
            params = refit_input_maps(params, [_fill_gaps(y) for y in ys], ua, free_inputs=m,
                                      feedthrough=bool(self.feedthrough))
            params = _ml_scale(params, ys, ua)
        return params

    def _initial_centered(self, ys, us) -> LGSSMParams:
        n = self.state_dim
        p = ys[0].shape[1]
        m = 0 if us is None else us[0].shape[1]
        self._from_subspace = False
        if self.init == "subspace":
            filled = [_fill_gaps(y) for y in ys]
            i = max(int(self.n_block_rows), n // p + 1)
            i = min(i, max(n // p + 1, min(y.shape[0] for y in ys) // 4))
            try:
                start = n4sid(as_trajectories(filled, u=us), state_dim=n, n_block_rows=i).params
                self._from_subspace = True
                if not m:
                    return start
                return start.replace(A=reflect_unstable(start.A),
                                     D=start.D if self.feedthrough else np.zeros((p, m)))
            except (ValidationError, ArithmeticError):
                pass  # too little data or too few excited states: random start
        rng = check_rng(self.random_state)
        Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        var = float(np.nanmean(np.concatenate([np.nanvar(y, axis=0) for y in ys])))
        var = var if np.isfinite(var) and var > 0 else 1.0
        kw = dict(A=0.9 * Q, C=rng.standard_normal((p, n)) * np.sqrt(var / n),
                  Q=0.1 * np.eye(n), R=0.5 * var * np.eye(p), m0=np.zeros(n), P0=np.eye(n))
        if m:
            kw.update(B=0.1 * rng.standard_normal((n, m)), D=np.zeros((p, m)))
        return LGSSMParams(**kw)

    def _fit(self, data) -> None:
        fixed = tuple(self.fixed)
        level = np.nanmean(data.concatenate(), axis=0)
        if np.isnan(level).any():
            raise ValidationError("An output column is entirely missing (NaN); drop it first.")
        m = data.input_dim
        self.mean_ = level if self.offset == "mean" else np.zeros_like(level)
        self._n_const = int(self.offset == "estimate")
        ys, us = self._sequences(data)
        us_user = None if us is None or not m else [ui[:, :m] for ui in us]
        self._initial_level_ = _equilibrium(ys, us_user, level) if self._n_const else None
        params = self._initial(ys, us_user, self._initial_level_)
        masks = None
        free_d = bool(self.feedthrough) and "D" not in fixed
        if self._n_const:
            masks = {"B": np.append(np.full(m, "B" not in fixed), False),
                     "D": np.append(np.full(m, free_d), "D" not in fixed)}
        if self._n_const:
            fixed = tuple(f for f in fixed if f != "D")
        elif not (free_d and m):
            fixed = fixed + ("D",)
        seqs = as_trajectories(ys, u=us, allow_nan=True)
        if self.solver == "em":
            res = fit_em(params, seqs, max_iter=self.max_iter, tol=self.tol, fixed=fixed,
                         _masks=masks)
            params, lls = res.params, res.log_likelihoods
        elif self.solver == "mle":
            res = fit_mle(params, seqs, fixed=fixed, max_iter=self.max_iter, _masks=masks)
            params, lls = res.params, np.array([res.log_likelihood])
        else:
            lls = np.array([])
        self.params_ = params
        self.offset_ = params.D[:, -1].copy() if self._n_const else self.mean_.copy()
        self.log_likelihoods_ = lls
