"""Windowed (piecewise) DMD for non-stationary data."""

from __future__ import annotations

import numpy as np

from .._constraints import Interval
from ..data import stack
from ._dmd import _DMDFamily
from ._dmd_core import dmd_fit
from ._model import LinearLift
from ._params import POS_INT

__all__ = ["WindowedDMD"]


class WindowedDMD(_DMDFamily):
    """DMD on sliding windows of time: eigenvalues that drift, forecasts from the latest window.

    Window ``j`` holds the samples with index ``j * step <= k < j * step +
    window`` of every trajectory (pairs inside the window only). The fitted
    model (``eigenvalues_``, ``modes_``, ``forecast``) is the one of the last
    window; ``window_eigenvalues_`` traces the spectrum through time.

    Parameters
    ----------
    window : int, default 50
        Samples per window.
    step : int, optional
        Shift between windows (default ``window // 2``).
    rank, exact, tls_rank, solver
        As in :class:`DMD`, applied in every window.

    Attributes
    ----------
    window_starts_ : ndarray of int, shape (n_windows,)
        First sample index of each window.
    window_times_ : ndarray, shape (n_windows,)
        Centre time of each window (first trajectory's clock).
    window_eigenvalues_ : list of ndarray
        Discrete-time eigenvalues of each window.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> t = 0.1 * np.arange(400)
    >>> freq = np.where(t < 20, 1.0, 2.0)                 # the frequency jumps at t = 20
    >>> phase = np.cumsum(freq) * 0.1
    >>> x = np.column_stack([np.cos(phase), np.sin(phase)])
    >>> model = ld.operators.WindowedDMD(window=40, step=40).fit(x, t=t)
    >>> w = [np.abs(np.angle(lam)).max() / 0.1 for lam in model.window_eigenvalues_]
    >>> np.round([w[0], w[-1]], 6)
    array([1., 2.])
    """

    _parameter_constraints = {**_DMDFamily._parameter_constraints, "window": [Interval(int, 2, None)],
                              "step": [None, *POS_INT]}

    def __init__(self, window=50, step=None, rank=None, *, exact=True, tls_rank=None,
                 solver="auto"):
        self.rank = rank
        self.exact = exact
        self.tls_rank = tls_rank
        self.solver = solver
        self.window = window
        self.step = step

    def _min_fit_length(self) -> int:
        return 2

    def _fit(self, data) -> None:
        win = int(self.window)
        step = int(self.step) if self.step is not None else max(win // 2, 1)
        T = max(data.lengths)
        starts = list(range(0, max(T - win, 0) + 1, step))
        if starts[-1] + win < T:
            starts.append(T - win)  # the last window ends at the last sample
        s = stack(data)
        ix, iy = s.pairs()
        local = ix - np.repeat(s.offsets[:-1], s.lengths - 1)  # time index inside a trajectory
        eigs, kept, last = [], [], None
        for start in starts:
            sel = (local >= start) & (local + 1 < start + win)
            if not sel.any():
                continue
            X, Y = s.x[ix[sel]], s.x[iy[sel]]
            eigs.append(dmd_fit(X, Y, self.rank, solver=self.solver,
                                tls_rank=self.tls_rank).eigenvalues)
            kept.append(start)
            last = (X, Y)
        self.window_starts_ = np.array(kept)
        t0 = data[0].t
        self.window_times_ = np.array([t0[min(k + win // 2, t0.size - 1)] for k in kept])
        self.window_eigenvalues_ = eigs
        self._fit_pairs(*last, LinearLift, data.dim)
