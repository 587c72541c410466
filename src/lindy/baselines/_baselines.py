"""Reference forecasters every method must beat: persistence and linear autoregression."""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .._constraints import Interval
from ..base import Estimator
from ..data import delay_embed

__all__ = ["Persistence", "LinearAR"]


class Persistence(Estimator):
    """Predict that the future equals the last observation.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> model = ld.baselines.Persistence().fit(np.arange(10.0))
    >>> model.forecast(np.array([[1.0], [2.0]]), horizon=2).x.ravel()
    array([2., 2.])
    """

    def __init__(self):
        pass

    def _fit(self, data) -> None:
        self.last_fit_value_ = data[-1].x[-1].copy()

    def _predict_next(self, x, u):
        return x.copy()

    def _forecast(self, context, horizon, u_future):
        return self._forecast_result(context, np.repeat(context.x[-1:], horizon, axis=0))


def ridge_solve(F: np.ndarray, Y: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Ridge regression ``Y ≈ F W + b`` with an unpenalized intercept.

    Solves the normal equations by Cholesky (no explicit inverse); falls back to
    least squares if the Gram matrix is singular and ``alpha`` is 0.

    Returns
    -------
    W : ndarray, shape (p, q)
    b : ndarray, shape (q,)

    Examples
    --------
    >>> F = np.arange(6.0).reshape(3, 2); Y = F @ np.array([[1.0], [2.0]]) + 3.0
    >>> W, b = ridge_solve(F, Y, 0.0)
    >>> np.allclose(F @ W + b, Y)
    True
    """
    fm, ym = F.mean(axis=0), Y.mean(axis=0)
    Fc, Yc = F - fm, Y - ym
    G = Fc.T @ Fc
    G[np.diag_indices_from(G)] += alpha
    try:
        W = scipy.linalg.solve(G, Fc.T @ Yc, assume_a="pos")
    except (np.linalg.LinAlgError, scipy.linalg.LinAlgError):
        W = np.linalg.lstsq(Fc, Yc, rcond=None)[0]
    except scipy.linalg.LinAlgWarning:  # pragma: no cover - ill-conditioned
        W = np.linalg.lstsq(Fc, Yc, rcond=None)[0]
    return W, ym - fm @ W


class LinearAR(Estimator):
    """Vector autoregression with ``n_lags`` lags fitted by ridge regression.

    ``x_{k+1} = c + sum_{j=0}^{n_lags-1} A_j x_{k-j}``; windows never cross
    trajectories.

    Parameters
    ----------
    n_lags : int, default 1
        Number of past samples used.
    alpha : float, default 1e-8
        Ridge penalty (intercept not penalized).

    Attributes
    ----------
    coef_ : ndarray, shape (n_lags * d, d)
        Stacked coefficients acting on the window ``[x_{k-n_lags+1}, ..., x_k]``
        (oldest first).
    intercept_ : ndarray, shape (d,)

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.sin(0.3 * np.arange(200))[:, None]
    >>> model = ld.baselines.LinearAR(n_lags=2).fit(x)
    >>> bool(np.abs(model.forecast(x[:50], horizon=20).x[:, 0] - x[50:70, 0]).max() < 1e-4)
    True
    """

    _parameter_constraints = {"n_lags": [Interval(int, 1, None)],
                              "alpha": [Interval(float, 0, None)]}

    def __init__(self, n_lags: int = 1, alpha: float = 1e-8):
        self.n_lags = n_lags
        self.alpha = alpha

    def _min_fit_length(self) -> int:
        return self.n_lags + 1

    def _min_context(self) -> int:
        return self.n_lags

    def _fit(self, data) -> None:
        p = self.n_lags
        F = np.concatenate([delay_embed(tr.x[:-1], p) for tr in data])
        Y = np.concatenate([tr.x[p:] for tr in data])
        self.coef_, self.intercept_ = ridge_solve(F, Y, float(self.alpha))

    def _predict_next(self, x, u):
        p = self.n_lags
        out = np.full_like(x, np.nan)
        windows = delay_embed(x, p)
        if windows.shape[0]:
            out[p - 1:] = windows @ self.coef_ + self.intercept_
        return out

    def _forecast(self, context, horizon, u_future):
        p, d = self.n_lags, context.dim
        window = context.x[-p:].ravel().copy()
        out = np.empty((horizon, d))
        for k in range(horizon):
            nxt = window @ self.coef_ + self.intercept_
            out[k] = nxt
            window = np.concatenate([window[d:], nxt])
        return self._forecast_result(context, out)
