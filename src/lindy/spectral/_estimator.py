"""The spectral-filtering predictor as a lindy estimator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._constraints import BOOL, Interval, Options
from ..base import Estimator
from ._filters import filter_bank, filtered_history, fit_lstsq, fit_online

__all__ = ["SpectralFilter", "SpectralFilterModel"]


@dataclass(frozen=True, eq=False)
class SpectralFilterModel:
    """A fitted spectral-filtering predictor (a value).

    ``x[k+1] = x[k] + [1, x[k], d[k], (bank * d)[k]] W``, where the driver ``d``
    is the input ``u`` (input models) or the output itself (autonomous series)
    and ``(bank * d)[k] = sum_{i>=1} bank[i-1] d[k-i]``.
    """

    bank: np.ndarray
    weights: np.ndarray
    uses_inputs: bool

    def features(self, x: np.ndarray, u: np.ndarray | None) -> np.ndarray:
        """Regressors of every row of one history, shape (T, n_features)."""
        drive = u if self.uses_inputs else x
        parts = [np.ones((x.shape[0], 1)), x]
        if self.uses_inputs:
            parts.append(u)
        parts.append(filtered_history(drive, self.bank))
        return np.hstack(parts)

    def step_features(self, x_now, u_now, drive_past: np.ndarray) -> np.ndarray:
        """Regressors of one step; ``drive_past`` is the driver history, newest last."""
        L = self.bank.shape[0]
        window = np.zeros((L, drive_past.shape[1]))
        recent = drive_past[-L:][::-1]
        window[: recent.shape[0]] = recent
        filt = (self.bank.T @ window).ravel()
        parts = [np.ones(1), x_now] + ([u_now] if self.uses_inputs else []) + [filt]
        return np.concatenate(parts)


class SpectralFilter(Estimator):
    """Spectral filtering for linear dynamical systems (Hazan, Singh and Zhang 2017).

    The predictor regresses the increment ``x[k+1] - x[k]`` on the current
    state and input and on the input history convolved with the top
    ``n_filters`` eigenvectors of the Hankel matrix ``Z_ij = 2 / ((i+j)^3 -
    (i+j))``, scaled by ``sigma^(1/4)``. These filters are fixed (not learned),
    so the fit is a convex regression whose error does not depend on the
    system's condition number or hidden dimension, even for marginally stable
    systems (eigenvalues near 1). ``negative_filters`` adds the ``(-1)^i``
    copies of the filters, which capture eigenvalues near -1 as spectral
    state-space models do. Offsets: the constant regressor estimates the
    affine term that output offsets and inputs around a nonzero operating
    point produce. Without inputs the output's own history drives the
    filters (an autoregression with a fixed, long-memory structure).

    Parameters
    ----------
    n_filters : int, default 16
        Number of eigenfilters ``k``.
    filter_length : int, optional
        Length ``L`` of each filter (how far back the history reaches); default
        the longest training trajectory, as in the theory (the filters cover the
        whole horizon, which marginally stable modes need).
    negative_filters : bool, default True
        Also use the sign-alternating filters (eigenvalues near -1).
    alpha : float, default 1e-8
        Ridge strength of the least-squares fit (relative to the sample count).
    solver : {"lstsq", "online"}, default "lstsq"
        Batch ridge least squares, or online projected gradient descent.
    learning_rate : float, optional
        Online step size; default ``1 / max ||f||^2`` over the regressors.
    radius : float, default 1e3
        Online: the weights are projected on the Frobenius ball of this radius.
    max_iter : int, default 1
        Online: passes over the data.

    Attributes
    ----------
    model_ : SpectralFilterModel
    n_parameters_ : int
        Number of learned weights.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> rng = np.random.default_rng(0)
    >>> u = rng.standard_normal((2000, 1)); x = np.zeros((2000, 1))
    >>> for k in range(1999): x[k + 1] = 0.999 * x[k] + 0.1 * u[k]
    >>> model = ld.spectral.SpectralFilter(n_filters=8).fit(x, u=u)
    >>> err = model.predict(x, u=u)[:-1] - x[1:]
    >>> bool(np.sqrt(np.mean(err[300:] ** 2)) < 1e-3)
    True
    """

    _inputs = "optional"
    _parameter_constraints = {
        "n_filters": [Interval(int, 1, None)],
        "filter_length": [None, Interval(int, 2, None)],
        "negative_filters": [BOOL],
        "alpha": [Interval(float, 0, None)],
        "solver": [Options("lstsq", "online")],
        "learning_rate": [None, Interval(float, 0, None, closed="neither")],
        "radius": [Interval(float, 0, None, closed="neither")],
        "max_iter": [Interval(int, 1, None)],
    }

    def __init__(self, n_filters=16, filter_length=None, *, negative_filters=True, alpha=1e-8,
                 solver="lstsq", learning_rate=None, radius=1e3, max_iter=1):
        self.n_filters = n_filters
        self.filter_length = filter_length
        self.negative_filters = negative_filters
        self.alpha = alpha
        self.solver = solver
        self.learning_rate = learning_rate
        self.radius = radius
        self.max_iter = max_iter

    def _fit(self, data) -> None:
        length = self.filter_length or max(data.lengths)
        length = max(length, 2)
        k = min(self.n_filters, length - 1)
        bank = filter_bank(length, k, bool(self.negative_filters))
        shell = SpectralFilterModel(bank=bank, weights=np.zeros((0, 0)),
                                    uses_inputs=bool(data.input_dim))
        F = np.concatenate([shell.features(tr.x, tr.u)[:-1] for tr in data])
        Y = np.concatenate([np.diff(tr.x, axis=0) for tr in data])
        if self.solver == "lstsq":
            W = fit_lstsq(F, Y, float(self.alpha))
        else:
            rate = self.learning_rate or 1.0 / float(np.max(np.sum(F ** 2, axis=1)))
            W = fit_online(F, Y, float(rate), float(self.radius), int(self.max_iter))
        self.model_ = SpectralFilterModel(bank=bank, weights=W, uses_inputs=bool(data.input_dim))
        self.n_parameters_ = int(W.size)

    def _predict_next(self, x, u):
        return x + self.model_.features(x, u) @ self.model_.weights

    def _forecast(self, context, horizon, u_future):
        m = self.model_
        x = context.x
        if m.uses_inputs:
            drive_all = np.vstack([context.u, u_future])
            inputs = self._step_inputs(context, u_future)
        T0 = x.shape[0]
        hist = np.vstack([x, np.empty((horizon, x.shape[1]))])
        for j in range(horizon):
            k = T0 - 1 + j  # the step from sample k to k + 1
            if m.uses_inputs:
                f = m.step_features(hist[k], inputs[j], drive_all[:k])
            else:
                f = m.step_features(hist[k], None, hist[:k])
            hist[k + 1] = hist[k] + f @ m.weights
        return self._forecast_result(context, hist[T0:], u_future=u_future)
