"""Polynomial NARX: a nonlinear autoregression with exogenous inputs, fitted by least squares.

The model is a special case of NVAR's feature map (constant, linear delay taps,
monomials), so the fitted map is an :class:`~lindy.reservoir.NVARModel` whose
weights are zero on the taps the NARX leaves out; prediction and free-run
simulation reuse NVAR's compiled loop.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .._constraints import BOOL, Interval, Options
from ..base import Estimator
from ..errors import ValidationError
from ._features import linear_taps, monomial_indices, nvar_features
from ._nvar import NVARModel, nvar_forecast, nvar_one_step

__all__ = ["NARX", "fit_narx", "narx_terms"]


def narx_terms(d: int, m: int, n_lags: int, n_input_lags: int, degree: int,
               nonlinear_terms: str = "outputs"):
    """Which delay taps a NARX uses, in NVAR's layout.

    NVAR's linear taps of a window of ``n = max(n_lags, n_input_lags)`` samples
    are ``[z_k, z_{k-1}, ..., z_{k-n+1}]`` with ``z = [x, u]`` (``c = d + m``
    columns, tap ``q`` column ``a`` at position ``q c + a``).

    Returns
    -------
    n_delays : int
        Window length ``n``.
    linear : ndarray of int
        Positions of the taps the NARX uses: outputs at lags ``0..n_lags-1``,
        inputs at lags ``0..n_input_lags-1``.
    monomials : ndarray of int, shape (n_monomials, degree)
        Monomials of degrees 2..``degree`` of the output taps
        (``nonlinear_terms="outputs"``) or of all used taps (``"all"``), padded
        with ``n c`` (see :func:`monomial_indices`).

    Examples
    --------
    >>> n, lin, mono = narx_terms(1, 1, n_lags=2, n_input_lags=3, degree=3)
    >>> n, lin.tolist(), mono.shape
    (3, [0, 2, 1, 3, 5], (7, 3))
    """
    c = d + m
    n_delays = max(int(n_lags), int(n_input_lags) if m else 1)
    outputs = [q * c + a for q in range(n_lags) for a in range(d)]
    inputs = [q * c + d + a for q in range(n_input_lags) for a in range(m)] if m else []
    chosen = outputs if nonlinear_terms == "outputs" else outputs + inputs
    mono = monomial_indices(n_delays * c, degree, variables=chosen)
    return n_delays, np.array(outputs + inputs, dtype=np.intp), mono


def _scaled_lstsq(F: np.ndarray, Y: np.ndarray, alpha: float) -> np.ndarray:
    """``argmin |F W - Y|^2 + alpha |W|^2``, solved by SVD on unit-RMS columns.

    Monomials of raw data span many orders of magnitude; scaling the columns
    (and the penalty with them) keeps the solve accurate without changing its
    solution.
    """
    s = np.sqrt(np.mean(F ** 2, axis=0))
    s[s == 0] = 1.0
    A = F / s
    if alpha > 0:
        A = np.vstack([A, np.diag(np.sqrt(alpha) / s)])
        Y = np.vstack([Y, np.zeros((F.shape[1], Y.shape[1]))])
    return scipy.linalg.lstsq(A, Y, check_finite=False, lapack_driver="gelsd")[0] / s[:, None]


def _shifted(u: np.ndarray, last: np.ndarray) -> np.ndarray:
    """``u[k + 1]`` at row ``k``; ``last`` fills the final row."""
    return np.vstack([u[1:], last])


def fit_narx(trajs, n_lags: int, n_input_lags: int, degree: int, alpha: float = 0.0,
             nonlinear_terms: str = "outputs", feedthrough: bool = False) -> NVARModel:
    """Least-squares fit of a polynomial NARX on one-step prediction (equation error).

    Feature/target pairs of every trajectory (none across two) are stacked;
    the map from ``[1, used taps, monomials]`` to ``x_{k+1}`` is the solution of
    the (ridge-)least-squares problem. With ``feedthrough`` the input taps are
    shifted one step ahead: ``u_{k+1}, ..., u_{k+2-n_input_lags}``.

    Returns
    -------
    NVARModel
        Weights zero on the taps the NARX does not use; ``predict_increment`` False.
    """
    d = trajs[0].x.shape[1]
    m = trajs[0].u.shape[1] if trajs[0].u is not None else 0
    n_delays, used, mono = narx_terms(d, m, n_lags, n_input_lags, degree, nonlinear_terms)
    L = n_delays * (d + m)
    keep = np.concatenate([[0], 1 + used, 1 + L + np.arange(mono.shape[0])])
    span = n_delays - 1
    F, Y = [], []
    for tr in trajs:
        if m and feedthrough:
            z = np.concatenate([tr.x[:-1], tr.u[1:]], axis=1)
            lin = linear_taps(z, n_delays, 1)
        else:
            z = tr.x if not m else np.concatenate([tr.x, tr.u], axis=1)
            lin = linear_taps(z, n_delays, 1)[:-1]
        if lin.shape[0] == 0:
            continue
        F.append(nvar_features(lin, mono)[:, keep])
        Y.append(tr.x[span + 1:])
    if not F:
        raise ValidationError(f"NARX with {n_delays} lags needs trajectories of at least "
                              f"{span + 2} samples; got lengths {trajs.lengths}.")
    W = np.zeros((1 + L + mono.shape[0], d))
    W[keep] = _scaled_lstsq(np.concatenate(F), np.concatenate(Y), alpha)
    return NVARModel(W=W, monomials=mono, n_delays=n_delays, stride=1, n_states=d,
                     predict_increment=False)


class NARX(Estimator):
    """Polynomial NARX: ``x_{k+1} = c + sum_i A_i x_{k-i} + sum_j B_j u_{k-j} + monomials``.

    The output at the next sample is a constant, ``n_lags`` output lags
    ``x_k, ..., x_{k-n_lags+1}``, ``n_input_lags`` input lags ``u_k, ...,
    u_{k-n_input_lags+1}`` and every monomial of degrees 2 to ``degree`` of the
    output lags (``nonlinear_terms="outputs"``, a polynomial feedback
    nonlinearity such as the cubic spring of a Duffing oscillator) or of all
    lags (``"all"``). The weights solve the least-squares problem of
    one-step prediction (equation error) over every trajectory, with a ridge
    ``alpha |W|^2`` (0: plain least squares, solved by SVD on scaled columns);
    ``forecast`` then runs the model on its own outputs (free run, or
    simulation, when the context is short and the inputs are given).

    Input and output offsets are absorbed by the constant term (a static offset
    of ``u`` or ``x`` is a constant in the linear part), so data need no
    centring. Inputs follow lindy's convention (``u_k`` acts at ``t_k``;
    ``x_{k+1}`` depends on ``u`` up to ``k``). With ``feedthrough=True`` the
    input taps move one step ahead, ``u_{k+1}, ..., u_{k+2-n_input_lags}``:
    the input at the predicted time enters, as the ``D u`` term of a
    state-space output ``y = C x + D u``. It suits sampled data whose input is
    smooth between samples (a band-limited multisine) rather than held; the
    forecast then uses ``u[j]`` for forecast step ``j`` and the last row of
    ``predict`` is NaN (the next input is not known). Without inputs the model
    is a polynomial nonlinear autoregression.

    On the Silverbox benchmark (``n_lags=2, n_input_lags=5, degree=3``) free
    run from inputs alone has NRMSE 0.7 % with ``feedthrough`` and about 3 %
    without (see benchmarks/RESULTS.md).

    Parameters
    ----------
    n_lags : int, default 2
        Output lags.
    n_input_lags : int, default 2
        Input lags (ignored without inputs).
    degree : int, default 3
        Highest monomial degree (1: a linear ARX model with a constant).
    nonlinear_terms : {"outputs", "all"}, default "outputs"
        Which lags enter the monomials.
    feedthrough : bool, default False
        Use the input at the predicted time (see above).
    alpha : float, default 0.0
        Ridge strength (relative to the raw scale of the features).

    Attributes
    ----------
    model_ : lindy.reservoir.NVARModel
        The fitted map in NVAR's feature layout (zero weights on unused taps).
    n_features_ : int
        Number of features the NARX uses (constant, taps, monomials).

    Examples
    --------
    A Duffing-like NARX recovered exactly from noise-free data, then simulated:

    >>> import numpy as np, lindy as ld
    >>> rng = np.random.default_rng(0)
    >>> u = rng.standard_normal(400)
    >>> y = np.zeros(400)
    >>> for k in range(1, 399):
    ...     y[k + 1] = 1.5 * y[k] - 0.7 * y[k - 1] - 0.2 * y[k] ** 3 + 0.1 * u[k] + 0.05
    >>> narx = ld.reservoir.NARX(n_lags=2, n_input_lags=1, degree=3).fit(y, u=u)
    >>> ctx = ld.data.Trajectory(t=np.arange(2.0), x=y[:2, None], u=u[:2, None])
    >>> sim = narx.forecast(ctx, horizon=398, u=u[2:, None])
    >>> bool(np.abs(sim.x[:, 0] - y[2:]).max() < 1e-9)
    True
    """

    _parameter_constraints = {
        "n_lags": [Interval(int, 1, None)],
        "n_input_lags": [Interval(int, 1, None)],
        "degree": [Interval(int, 1, None)],
        "nonlinear_terms": [Options("outputs", "all")],
        "feedthrough": [BOOL],
        "alpha": [Interval(float, 0, None)],
    }
    _inputs = "optional"

    def __init__(self, n_lags=2, n_input_lags=2, degree=3, nonlinear_terms="outputs",
                 feedthrough=False, alpha=0.0):
        self.n_lags = n_lags
        self.n_input_lags = n_input_lags
        self.degree = degree
        self.nonlinear_terms = nonlinear_terms
        self.feedthrough = feedthrough
        self.alpha = alpha

    def _window(self) -> int:
        return max(int(self.n_lags), int(self.n_input_lags))

    def _min_fit_length(self) -> int:
        return self._window() + 1

    def _min_context(self) -> int:
        if hasattr(self, "model_"):
            return self.model_.n_delays
        return self._window()

    def _fit(self, data) -> None:
        self.model_ = fit_narx(data, int(self.n_lags), int(self.n_input_lags), int(self.degree),
                               float(self.alpha), self.nonlinear_terms, bool(self.feedthrough))
        m = self.n_inputs_
        _, used, mono = narx_terms(self.n_features_in_, m, int(self.n_lags), int(self.n_input_lags),
                                   int(self.degree), self.nonlinear_terms)
        self.n_features_ = 1 + used.shape[0] + mono.shape[0]

    def _lead(self) -> bool:
        return bool(self.feedthrough) and bool(self.n_inputs_)

    def _predict_next(self, x, u):
        if self._lead():
            u = _shifted(u, np.full((1, u.shape[1]), np.nan))
        return nvar_one_step(self.model_, x, u)

    def _forecast(self, context, horizon, u_future):
        if u_future is None:
            out = nvar_forecast(self.model_, context.x, None, None, horizon)
        elif self._lead():
            u = _shifted(context.u, u_future[:1])
            out = nvar_forecast(self.model_, context.x, u, u_future, horizon)
        else:
            out = nvar_forecast(self.model_, context.x, context.u,
                                self._step_inputs(context, u_future), horizon)
        return self._forecast_result(context, out, u_future=u_future)
