"""Estimator classes: linear-Gaussian state-space models learned by EM, ML or N4SID."""

from __future__ import annotations

import numpy as np

from .._validation import check_positive_int, check_rng
from ..base import Estimator
from ..errors import ValidationError
from ._em import PARAM_NAMES, em
from ._forecast import forecast
from ._kalman import kalman_filter
from ._mle import fit_mle
from ._params import LGSSMParams
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
        x = context.x
        u_ctx = self._with_const(context.u, x.shape[0])
        filt = kalman_filter(self.params_, x - self.mean_, u_ctx)
        fc = forecast(self.params_, filt, horizon, u=self._with_const(u_future, horizon))
        return self._forecast_result(context, fc.obs_means + self.mean_, cov=fc.obs_covariances,
                                     u_future=u_future)

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

    Parameters
    ----------
    state_dim : int, optional
        Model order; by default the largest gap in the singular values.
    horizon : int, default 10
        Block rows of the Hankel matrices (the order is at most ``horizon * d``).
    weighting : {"n4sid", "moesp", "cva"}, default "n4sid"
        SVD weighting (see :func:`lindy.ssm.n4sid`).

    Attributes
    ----------
    params_ : LGSSMParams
        Identified model of the centered outputs.
    mean_ : ndarray (d,)
        Output mean removed before identification.
    singular_values_ : ndarray
    order_ : int

    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.testing.conformance_data()
    >>> model = ld.ssm.SubspaceID(state_dim=2, horizon=5).fit(data)
    >>> model.order_, model.forecast(data[0].x, horizon=3).x.shape
    (2, (3, 2))
    """

    _allow_nan = False

    def __init__(self, state_dim=None, horizon=10, weighting="n4sid"):
        self.state_dim = state_dim
        self.horizon = horizon
        self.weighting = weighting

    def _fit(self, data) -> None:
        if self.state_dim is not None:
            check_positive_int(self.state_dim, "state_dim")
        self.mean_ = data.concatenate().mean(axis=0)
        ys, us = self._sequences(data)
        res = n4sid(ys, us, order=self.state_dim, horizon=self.horizon, weighting=self.weighting)
        self.params_ = res.params
        self.singular_values_ = res.singular_values
        self.order_ = res.order


class LinearGaussianSSM(_KalmanForecaster):
    """Linear-Gaussian state-space model ``x' = A x + B u + w, y = C x + v`` learned from data.

    Missing values (NaN) are allowed anywhere, component by component. The
    model is initialized by N4SID on gap-filled data and refined by EM
    (``method="em"``) or direct maximum likelihood (``method="mle"``).

    By default the observations get an offset ``y = C x + d + v`` that is
    learned jointly with the dynamics (``offset="estimate"``): on stationary
    data ``d`` is the mean, on decaying or transient data it is not, and
    subtracting the sample mean there (``offset="mean"``, what :class:`SubspaceID`
    does) biases the dynamics. ``offset="none"`` models the raw data with a
    zero-mean state (as statsmodels and pykalman do).

    Parameters
    ----------
    state_dim : int, default 2
    method : {"em", "mle", "subspace"}, default "em"
    n_iter : int, default 50
        Maximum EM iterations (or optimizer iterations for ``"mle"``).
    tol : float, default 1e-6
        Relative log-likelihood tolerance of EM.
    fixed : tuple of str, default ()
        Parameters held at their initial values (names as in :class:`LGSSMParams`).
    init : {"subspace", "random"}, default "subspace"
    horizon : int, default 10
        N4SID block rows for the initialization.
    random_state : None or int
        Seed of the random initialization.
    offset : {"estimate", "mean", "none"}, default "estimate"
        How the observation offset is handled (see above).

    Attributes
    ----------
    params_ : LGSSMParams
        Fitted model of ``X - mean_``; ``D`` is held at 0 for the inputs. With
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
    >>> ssm = ld.ssm.LinearGaussianSSM(state_dim=2, n_iter=10).fit(data)
    >>> fc = ssm.forecast(data[0].x, horizon=5)
    >>> fc.mean.shape, fc.cov.shape
    ((5, 2), (5, 2, 2))
    """

    def __init__(self, state_dim=2, method="em", n_iter=50, tol=1e-6, fixed=(), init="subspace",
                 horizon=10, random_state=None, offset="estimate"):
        self.state_dim = state_dim
        self.method = method
        self.n_iter = n_iter
        self.tol = tol
        self.fixed = fixed
        self.init = init
        self.horizon = horizon
        self.random_state = random_state
        self.offset = offset

    def _initial(self, ys, us, level) -> LGSSMParams:
        """Start values for a model of ``ys - level`` (``level``: the initial offset or None)."""
        params = self._initial_centered([y - level for y in ys] if level is not None else ys, us)
        if level is None:
            return params
        n, m = params.state_dim, params.input_dim
        p = params.obs_dim
        return params.replace(B=np.hstack([params.B, np.zeros((n, 1))]),
                              D=np.hstack([np.zeros((p, m)), level[:, None]]))

    def _initial_centered(self, ys, us) -> LGSSMParams:
        n = self.state_dim
        p = ys[0].shape[1]
        m = 0 if us is None else us[0].shape[1]
        if self.init == "subspace":
            filled = [_fill_gaps(y) for y in ys]
            i = max(int(self.horizon), n // p + 1)
            i = min(i, max(n // p + 1, min(y.shape[0] for y in ys) // 4))
            try:
                return n4sid(filled, us, order=n, horizon=i).params.replace(
                    D=np.zeros((p, m)) if m else None)
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
        check_positive_int(self.state_dim, "state_dim")
        n_iter = check_positive_int(self.n_iter, "n_iter")
        if self.method not in ("em", "mle", "subspace"):
            raise ValidationError(f"method must be 'em', 'mle' or 'subspace'; got {self.method!r}.")
        if self.init not in ("subspace", "random"):
            raise ValidationError(f"init must be 'subspace' or 'random'; got {self.init!r}.")
        fixed = tuple(self.fixed or ())
        bad = [f for f in fixed if f not in PARAM_NAMES]
        if bad:
            raise ValidationError(f"fixed names must be among {PARAM_NAMES}; got {bad}.")
        if self.offset not in ("estimate", "mean", "none"):
            raise ValidationError(
                f"offset must be 'estimate', 'mean' or 'none'; got {self.offset!r}.")
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
        if self._n_const:
            masks = {"B": np.append(np.full(m, "B" not in fixed), False),
                     "D": np.append(np.zeros(m, bool), "D" not in fixed)}
        fixed = tuple(f for f in fixed if f != "D") if self._n_const else fixed + ("D",)
        if self.method == "em":
            res = em(params, ys, us, n_iter=n_iter, tol=self.tol, fixed=fixed, _masks=masks)
            params, lls = res.params, res.log_likelihoods
        elif self.method == "mle":
            res = fit_mle(params, ys, us, fixed=fixed, maxiter=n_iter, _masks=masks)
            params, lls = res.params, np.array([res.log_likelihood])
        else:
            lls = np.array([])
        self.params_ = params
        self.offset_ = params.D[:, -1].copy() if self._n_const else self.mean_.copy()
        self.log_likelihoods_ = lls
