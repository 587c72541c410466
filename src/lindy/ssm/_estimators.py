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


class _KalmanForecaster(Estimator):
    """Shared predict/forecast of estimators whose fitted model is an LGSSM ``params_``.

    Observations are modelled as deviations from the training mean ``mean_``.
    """

    _allow_nan = True
    _inputs = "optional"

    def _sequences(self, data):
        ys = [tr.x - self.mean_ for tr in data]
        us = [tr.u for tr in data] if data.input_dim else None
        return ys, us

    def _predict_next(self, x, u):
        filt = kalman_filter(self.params_, x - self.mean_, u)
        states = np.vstack([filt.predicted_means[1:], filt.next_mean[None]])
        return states @ self.params_.C.T + self.mean_

    def _forecast(self, x, horizon, u_context, u_future):
        if self.n_inputs_ and u_context is None:
            raise ValidationError(
                f"{type(self).__name__} was fitted with inputs: pass the context as a "
                "Trajectory with its inputs u so the filter can use them."
            )
        filt = kalman_filter(self.params_, x - self.mean_, u_context if self.n_inputs_ else None)
        fc = forecast(self.params_, filt, horizon, u=u_future)
        return fc.obs_means + self.mean_, fc.obs_covariances

    def log_likelihood(self, X, u=None) -> float:
        """Log-likelihood of observations ``X`` (T, d) under the fitted model (NaN = missing).

        Returns
        -------
        float
        """
        self._check_is_fitted()
        x = self._check_x(X, "X")
        return float(kalman_filter(self.params_, x - self.mean_, self._check_u(u, x.shape[0], "u"))
                     .log_likelihood)


class SubspaceID(_KalmanForecaster):
    """Linear state-space model identified by N4SID subspace identification.

    Parameters
    ----------
    state_dim : int, optional
        Model order; by default the largest gap in the singular values.
    horizon : int, default 10
        Block rows of the Hankel matrices (the order is at most ``horizon * d``).

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

    def __init__(self, state_dim=None, horizon=10):
        self.state_dim = state_dim
        self.horizon = horizon

    def _fit(self, data) -> None:
        if self.state_dim is not None:
            check_positive_int(self.state_dim, "state_dim")
        self.mean_ = data.concatenate().mean(axis=0)
        ys, us = self._sequences(data)
        res = n4sid(ys, us, order=self.state_dim, horizon=self.horizon)
        self.params_ = res.params
        self.singular_values_ = res.singular_values
        self.order_ = res.order


class LinearGaussianSSM(_KalmanForecaster):
    """Linear-Gaussian state-space model ``x' = A x + B u + w, y = C x + v`` learned from data.

    Missing values (NaN) are allowed anywhere, component by component. The
    model is initialized by N4SID on gap-filled data and refined by EM
    (``method="em"``) or direct maximum likelihood (``method="mle"``).

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

    Attributes
    ----------
    params_ : LGSSMParams
        Fitted model of the centered observations (``D`` is held at 0).
    mean_ : ndarray (d,)
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
                 horizon=10, random_state=None):
        self.state_dim = state_dim
        self.method = method
        self.n_iter = n_iter
        self.tol = tol
        self.fixed = fixed
        self.init = init
        self.horizon = horizon
        self.random_state = random_state

    def _initial(self, ys, us) -> LGSSMParams:
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
        self.mean_ = np.nanmean(data.concatenate(), axis=0)
        if np.isnan(self.mean_).any():
            raise ValidationError("An output column is entirely missing (NaN); drop it first.")
        ys, us = self._sequences(data)
        params = self._initial(ys, us)
        fixed = fixed + ("D",)
        if self.method == "em":
            res = em(params, ys, us, n_iter=n_iter, tol=self.tol, fixed=fixed)
            params, lls = res.params, res.log_likelihoods
        elif self.method == "mle":
            res = fit_mle(params, ys, us, fixed=fixed, maxiter=n_iter)
            params, lls = res.params, np.array([res.log_likelihood])
        else:
            lls = np.array([])
        self.params_ = params
        self.log_likelihoods_ = lls
