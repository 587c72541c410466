"""Delay-embedded DMD: HankelDMD and HAVOK (Brunton et al. 2017)."""

from __future__ import annotations

import numpy as np

from .._constraints import Interval
from .._validation import check_positive_int
from ..base import Estimator
from ..data import delay_embed
from ..errors import ValidationError
from ._dmd import DMD
from ._dmd_core import warn_rank_capped
from ._params import POS_INT, REENCODE
from ._rollout import rollout
from ._spectral import SpectralMixin

__all__ = ["HankelDMD", "HAVOK"]


def _windows(data, n_delays, stride):
    """Delay windows per trajectory (oldest sample first), pairs never crossing two."""
    X, Y = [], []
    for tr in data:
        H = delay_embed(tr.x, n_delays, stride)
        if H.shape[0] >= 2:
            X.append(H[:-1])
            Y.append(H[1:])
    if not X:
        raise ValidationError(
            f"No trajectory is long enough for {n_delays} delays with stride {stride} plus "
            "one step; pass longer trajectories or fewer delays.")
    return np.concatenate(X), np.concatenate(Y)


def _padded(x, n_delays, stride, B):
    H = delay_embed(x, n_delays, stride) @ B
    pad = x.shape[0] - H.shape[0]
    if pad:
        H = np.vstack([np.full((pad, B.shape[1]), np.nan, dtype=H.dtype), H])
    return H


class _DelayWindow:
    """Length rules shared by delay-embedding models (``n_delays``, ``stride``)."""

    def _span(self):
        return (check_positive_int(self.n_delays, "n_delays") - 1) * check_positive_int(
            self.stride, "stride")

    def _min_fit_length(self) -> int:
        return self._span() + 2

    def _min_context(self) -> int:
        return self._span() + 1


class HankelDMD(_DelayWindow, DMD):
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

    _parameter_constraints = {**DMD._parameter_constraints, "n_delays": POS_INT,
                              "stride": POS_INT, "reencode_every": REENCODE}

    def __init__(self, n_delays=10, stride=1, rank=None, *, exact=True, tls_rank=None,
                 solver="auto", reencode_every=1):
        super().__init__(rank=rank, exact=exact, tls_rank=tls_rank, solver=solver)
        self.n_delays = n_delays
        self.stride = stride
        self.reencode_every = reencode_every

    def _fit(self, data) -> None:
        X, Y = _windows(data, int(self.n_delays), int(self.stride))
        self._fit_pairs(X, Y)
        d = data.dim
        self._C = self._C[:, -d:]  # decode the newest sample of the next window
        self._train_next_ = Y[:, -d:]

    def _lift(self, x):
        return _padded(x, int(self.n_delays), int(self.stride), self.basis_.conj())

    @property
    def operator_(self):
        """The linear map on windows, shape (q d, q d)."""
        return super().operator_


class HAVOK(_DelayWindow, SpectralMixin, Estimator):
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
        X, Y = _windows(data, q, s)
        H = np.vstack([X, Y[-1:]])
        _, sv, Vt = np.linalg.svd(H, full_matrices=False)
        r = min(r, int((sv > 0).sum()))
        warn_rank_capped(self.rank, r, "the Hankel matrix has no more nonzero singular values")
        if r < 2:
            raise ValidationError("The Hankel matrix has rank 1; HAVOK needs at least 2.")
        self.rank_ = r
        self._P = Vt[:r].T / sv[:r]  # window -> delay coordinates v
        self._D = (Vt[:r].T * sv[:r]).T  # v -> window
        VX, VY = X @ self._P, Y @ self._P
        coef = np.linalg.lstsq(VX, VY[:, : r - 1], rcond=None)[0]  # (r, r - 1)
        self.A_ = coef[: r - 1].T
        self.B_ = coef[r - 1]
        d = data.dim
        self._dec = self._D[:, -d:]  # v -> newest sample
        M = coef[: r - 1]
        self._set_spectrum(M, M @ self._dec[: r - 1])
        self._set_training_pairs(VX[:, : r - 1], VY[:, : r - 1] - np.outer(VX[:, -1], self.B_),
                                 Y[:, -d:])

    def _v(self, x):
        return _padded(x, int(self.n_delays), int(self.stride), self._P)

    def _lift(self, x):
        return self._v(x)[:, : self.rank_ - 1]

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
        return self._v(self._check_x(X, "X"))[:, -1]

    def _predict_next(self, x, u):
        v = self._v(x)
        z = v[:, :-1] @ self._M + np.outer(v[:, -1], self.B_)
        return z @ self._dec[:-1]

    def _forecast(self, context, horizon, u_future):
        # the code is the full delay coordinate v, forcing last; the forcing drives
        # the step out of an encoded window and is held at zero afterwards
        M, B, dec = self._M, self.B_, self._dec[:-1]
        r1 = M.shape[0]

        def step(v, u):
            z = v[:r1] @ M + v[r1] * B
            return z @ dec, np.append(z, 0.0)

        x = context.x
        out = rollout(step, self._v(x)[-1], horizon, reencode_every=self.reencode_every,
                      encode=lambda h: self._v(h)[-1], history=x, window=self._min_context())
        return self._forecast_result(context, out)
