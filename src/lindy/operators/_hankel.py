"""Delay-embedded DMD: HankelDMD and HAVOK (Brunton et al. 2017), as DMD under a delay lifting."""

from __future__ import annotations

import numpy as np

from .._constraints import Interval
from ..data import stack
from ..errors import ValidationError
from ._dmd import _DMDFamily
from ._dmd_core import warn_rank_capped
from ._estimator import OperatorEstimator
from ._model import DelayLift, operator_model
from ._params import POS_INT, REENCODE
from ._rollout import rollout

__all__ = ["HankelDMD", "HAVOK", "delay_pairs"]


def delay_pairs(data, n_delays: int, stride: int):
    """Consecutive delay windows ``(X, Y)`` of every trajectory, never across two.

    Row ``k`` of ``X`` is ``[x_{j-(q-1)s}, ..., x_j]`` (oldest first, flattened)
    and ``Y[k]`` the window one step later.

    Examples
    --------
    >>> from lindy.data import as_trajectories
    >>> X, Y = delay_pairs(as_trajectories([np.arange(4.0), 10 + np.arange(3.0)]), 2, 1)
    >>> X.tolist(), Y[:, -1].tolist()
    ([[0.0, 1.0], [1.0, 2.0], [10.0, 11.0]], [2.0, 3.0, 12.0])
    """
    s = stack(data)
    span = (n_delays - 1) * stride
    ix, iy = s.pairs(1, history=span)
    if not ix.size:
        raise ValidationError(
            f"No trajectory is long enough for {n_delays} delays with stride {stride} plus "
            "one step; pass longer trajectories or fewer delays.")
    offsets = stride * np.arange(n_delays) - span
    return (s.x[ix[:, None] + offsets].reshape(ix.size, -1),
            s.x[iy[:, None] + offsets].reshape(iy.size, -1))


class _DelayWindow:
    """Length rule shared by delay-embedding models (``n_delays``, ``stride``)."""

    def _min_fit_length(self) -> int:
        return (int(self.n_delays) - 1) * int(self.stride) + 2


class HankelDMD(_DelayWindow, _DMDFamily):
    """DMD on delay-embedded states (Hankel DMD, Arbabi and Mezić 2017).

    Each state is replaced by the window ``[x_{k-(q-1)s}, ..., x_k]`` of
    ``q = n_delays`` samples; windows never span two trajectories. Forecasts
    need a context of at least ``(q - 1) s + 1`` samples.

    Parameters
    ----------
    n_delays : int, default 10
    stride : int, default 1
    rank, exact, tls_rank, solver
        As in :class:`DMD`.
    reencode_every : int or None, default 1
        ``forecast`` rebuilds the delay window from the decoded samples every
        this many steps (``None``: the pure linear recursion). For a linear
        delay model both agree to rounding (measured: identical valid
        prediction times on the quick benchmark); the default matches the
        other lifted models.

    Attributes
    ----------
    modes_ : ndarray, shape (q d, r)
        Modes of the whole window (oldest sample first).

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> t = 0.1 * np.arange(200)
    >>> x = np.sin(t)[:, None]                      # a scalar signal
    >>> model = ld.operators.HankelDMD(n_delays=2).fit(x, t=t)
    >>> np.sort(model.continuous_eigenvalues_.imag).round(6)
    array([-1.,  1.])
    """

    _parameter_constraints = {**_DMDFamily._parameter_constraints, "n_delays": POS_INT,
                              "stride": POS_INT, "reencode_every": REENCODE}

    def __init__(self, n_delays=10, stride=1, rank=None, *, exact=True, tls_rank=None,
                 solver="auto", reencode_every=1):
        self.rank = rank
        self.exact = exact
        self.tls_rank = tls_rank
        self.solver = solver
        self.n_delays = n_delays
        self.stride = stride
        self.reencode_every = reencode_every

    def _fit(self, data) -> None:
        q, st = int(self.n_delays), int(self.stride)
        X, Y = delay_pairs(data, q, st)
        # the model decodes the newest sample of the next window
        self._fit_pairs(X, Y, lambda B: DelayLift(q, st, B), data.dim)


class HAVOK(_DelayWindow, OperatorEstimator):
    """Hankel alternative view of Koopman: a linear model forced by the last delay coordinate.

    The Hankel matrix of delay windows is factored as ``H = U S V^T``; the
    first ``rank`` columns of ``V`` (the delay coordinates) give
    ``v_{k+1}[:r-1] = v_k[:r-1] A^T + v_k[r-1] B^T`` (discrete time), where the
    last coordinate ``v_{r}`` acts as an intermittent forcing (Brunton et al.
    2017). Forecasts re-estimate the forcing from the decoded window (see
    ``reencode_every``); :meth:`forcing` returns the forcing signal of new data.

    Parameters
    ----------
    n_delays : int, default 20
    stride : int, default 1
    rank : int, default 5
        Number of delay coordinates, forcing included (at least 2).
    reencode_every : int or None, default 1
        ``forecast`` rebuilds the delay coordinates (forcing included) from the
        decoded samples every this many steps; ``None`` holds the forcing at
        zero after the context (the unforced linear part). Measured on
        Lorenz-63 (2 x 4000 samples) both stay below 0.03 Lyapunov times: HAVOK
        is a tool for the forcing statistics, not a forecaster; the default
        matches the other lifted models.

    Attributes
    ----------
    eigenvalues_ : ndarray, shape (rank - 1,)
        Eigenvalues of the unforced part ``A``.
    A_ : ndarray, shape (r - 1, r - 1)
    B_ : ndarray, shape (r - 1,)
        Forcing vector.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=3000, dt=0.01)[0].x[:, :1]
    >>> model = ld.operators.HAVOK(n_delays=30, rank=6).fit(x)
    >>> model.A_.shape, model.forcing(x).shape
    ((5, 5), (3000,))
    """

    _parameter_constraints = {"n_delays": POS_INT, "stride": POS_INT,
                              "rank": [Interval(int, 2, None)], "reencode_every": REENCODE}

    def __init__(self, n_delays=20, stride=1, rank=5, *, reencode_every=1):
        self.n_delays = n_delays
        self.stride = stride
        self.rank = rank
        self.reencode_every = reencode_every

    def _fit(self, data) -> None:
        r = int(self.rank)
        q, s = int(self.n_delays), int(self.stride)
        X, Y = delay_pairs(data, q, s)
        H = np.vstack([X, Y[-1:]])
        _, sv, Vt = np.linalg.svd(H, full_matrices=False)
        r = min(r, int((sv > 0).sum()))
        warn_rank_capped(self.rank, r, "the Hankel matrix has no more nonzero singular values")
        if r < 2:
            raise ValidationError("The Hankel matrix has rank 1; HAVOK needs at least 2.")
        self.rank_ = r
        P = Vt[:r].T / sv[:r]  # window -> delay coordinates v
        D = (Vt[:r].T * sv[:r]).T  # v -> window
        VX, VY = X @ P, Y @ P
        coef = np.linalg.lstsq(VX, VY[:, : r - 1], rcond=None)[0]  # (r, r - 1)
        self.A_ = coef[: r - 1].T
        self.B_ = coef[r - 1]
        d = data.dim
        self._coordinates = DelayLift(q, s, P)  # window -> v, forcing last
        self._decoder = D[: r - 1, -d:]  # v[:r-1] -> newest sample
        M = coef[: r - 1]
        self.model_ = operator_model(
            DelayLift(q, s, P[:, : r - 1]), M, M @ self._decoder, VX[:, : r - 1],
            VY[:, : r - 1] - np.outer(VX[:, -1], self.B_), Y[:, -d:], dt=self.dt_, real=True)

    def forcing(self, X) -> np.ndarray:
        """The forcing coordinate ``v_r`` of a series (NaN where the window is incomplete).

        Parameters
        ----------
        X : array_like, shape (T, d)

        Returns
        -------
        ndarray, shape (T,)
        """
        self._check_is_fitted()
        return self._coordinates.encode(self._check_x(X, "X"))[:, -1]

    def _step(self):
        """One step from the delay coordinates ``v`` (forcing last), then zero forcing."""
        M, B, dec = self.model_.M, self.B_, self._decoder
        r1 = M.shape[0]

        def step(v, u):
            z = v[..., :r1] @ M + v[..., r1:] * B
            return z @ dec, np.append(z, 0.0)

        return step

    def _predict_next(self, x, u):
        return self._step()(self._coordinates.encode(x), None)[0]

    def _forecast(self, context, horizon, u_future):
        # the forcing drives the step out of an encoded window and is zero afterwards
        x, lift = context.x, self._coordinates
        out = rollout(self._step(), lift.encode(x)[-1], horizon,
                      reencode_every=self.reencode_every, encode=lambda h: lift.encode(h)[-1],
                      history=x, window=lift.window)
        return self._forecast_result(context, out)
