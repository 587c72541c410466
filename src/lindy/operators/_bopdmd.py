"""Optimized DMD with bagging (BOP-DMD): irregular times, eigenvalue and forecast uncertainty."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from .._constraints import RANDOM_STATE, Interval, Options
from ..data import stack
from ..errors import ValidationError
from ._analysis import as_real
from ._bopdmd_core import trapezoid_eigs, varpro_fit
from ._dmd_core import truncation_rank
from ._estimator import OperatorEstimator
from ._model import ModalLift, operator_model
from ._params import NONNEG_INT, POS_INT, RANK
from ._rollout import forecast_states

__all__ = ["BOPDMD"]


def _projector(constraint):
    if constraint is None:
        return None
    if constraint == "stable":
        return lambda a: np.minimum(a.real, 0.0) + 1j * a.imag
    return lambda a: 1j * a.imag


def _modes(Bs, Ur):
    """Unit mode per exponential: the dominant direction of its amplitude rows."""
    r = Bs[0].shape[0]
    W = np.empty((Ur.shape[0], r), dtype=complex)
    for j in range(r):
        rows = np.stack([B[j] for B in Bs])  # (n_traj, q)
        _, _, vh = np.linalg.svd(rows, full_matrices=False)
        w = Ur @ vh[0]
        W[:, j] = w / np.linalg.norm(w)
    return W


class BOPDMD(OperatorEstimator):
    """Optimized DMD by variable projection, with optional bagging (BOP-DMD).

    Fits ``x(t) ≈ sum_j w_j b_j exp(alpha_j t)`` to every trajectory at its own
    (possibly irregular) sample times, with continuous-time eigenvalues
    ``alpha`` shared by all trajectories (Askham and Kutz 2018). With
    ``n_bags > 0`` the fit is repeated on random subsets of the samples
    (Sashidhar and Kutz 2022), giving spreads of the eigenvalues and
    forecast covariances.

    Parameters
    ----------
    rank : None, int or float, default None
        Number of exponentials (a POD truncation rule, see :class:`DMD`).
    n_bags : int, default 0
        Number of bagged fits (0: no uncertainty).
    bag_fraction : float, default 0.6
        Fraction of each trajectory's samples used by a bag.
    constraint : {None, "stable", "imaginary"}
        Keep ``Re(alpha) <= 0`` or ``Re(alpha) = 0`` during the optimization.
    max_iter : int, default 100
    tol : float, default 1e-12
    random_state : int, default 0

    Attributes
    ----------
    continuous_eigenvalues_ : ndarray, shape (r,)
        The optimized ``alpha`` (rates, 1/time).
    eigenvalues_ : ndarray, shape (r,)
        ``exp(alpha dt_)``; ``dt_`` is the median sampling interval for
        irregular data.
    modes_ : ndarray, shape (d, r)
        Unit modes ``w_j``.
    amplitudes_ : list of ndarray, shape (r,)
        ``b_j`` of each training trajectory at its first sample.
    continuous_eigenvalues_std_ : ndarray, shape (r,), complex
        Bagging spread (real and imaginary parts separately).
    bag_eigenvalues_ : ndarray, shape (n_bags, r)
        Continuous-time eigenvalues of each bag, matched to ``alpha``.
    fit_residual_ : float
        Relative residual of the variable-projection fit (``residuals()``
        gives the ResDMD residual of each eigenpair).

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> t = np.sort(np.random.default_rng(0).uniform(0, 20, 400))   # irregular times
    >>> x = np.column_stack([np.cos(t), np.sin(t)]) * np.exp(-0.05 * t)[:, None]
    >>> model = ld.operators.BOPDMD().fit(x, t=t)
    >>> np.sort_complex(model.continuous_eigenvalues_).round(8)
    array([-0.05-1.j, -0.05+1.j])
    """

    _allow_irregular = True
    _allow_complex = True
    _parameter_constraints = {
        "rank": RANK, "n_bags": NONNEG_INT, "bag_fraction": [Interval(float, 0, 1, closed="right")],
        "constraint": [None, Options("stable", "imaginary")], "max_iter": POS_INT,
        "tol": [Interval(float, 0, None)], "random_state": [RANDOM_STATE]}

    def __init__(self, rank=None, *, n_bags=0, bag_fraction=0.6, constraint=None,
                 max_iter=100, tol=1e-12, random_state=0):
        self.rank = rank
        self.n_bags = n_bags
        self.bag_fraction = bag_fraction
        self.constraint = constraint
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _fit(self, data) -> None:
        ts = [tr.t - tr.t[0] for tr in data]
        S = np.concatenate([tr.x for tr in data])
        _, s, Vt = np.linalg.svd(S, full_matrices=False)
        r = truncation_rank(s, self.rank)
        Ur = Vt[:r].T  # POD basis (d, r): S^T = Vt^T diag(s) U^T
        Xs = [tr.x @ Ur.conj() for tr in data]
        self.basis_ = Ur
        alpha0 = trapezoid_eigs(ts, Xs, r)
        project = _projector(self.constraint)
        res = varpro_fit(ts, Xs, alpha0, max_iter=int(self.max_iter), tol=float(self.tol),
                         project=project)
        self.fit_residual_, self.n_iter_ = res.residual, res.n_iter
        alpha = res.alpha
        W = _modes(res.amplitudes, Ur)
        self.amplitudes_ = [np.linalg.lstsq(W, tr.x[0].astype(complex), rcond=None)[0] for tr in data]
        self._bag(data, ts, Xs, Ur, alpha, project)
        # one step of the forecast grid: dt_, or the median interval of irregular data
        lam = np.exp(alpha * self._forecast_step())
        lift = ModalLift(W)
        s = stack(data)
        Z = lift.encode(s.x)
        ix, iy = s.pairs()
        r = alpha.shape[0]
        self.model_ = operator_model(lift, np.diag(lam), lam[:, None] * W.T, Z[ix], Z[iy], s.x[iy],
                                     dt=self._forecast_step(), real=np.isrealobj(S),
                                     eigenvalues=lam, W=np.eye(r, dtype=complex), rates=alpha,
                                     modes=W)
        self._irregular = data.dt is None

    def _bag(self, data, ts, Xs, Ur, alpha, project):
        n_bags = int(self.n_bags)
        self.bag_eigenvalues_ = np.zeros((n_bags, alpha.shape[0]), dtype=complex)
        self._bag_models = []
        rng = np.random.default_rng(self.random_state)
        r = alpha.shape[0]
        for b in range(n_bags):
            bt, bx = [], []
            for t, X in zip(ts, Xs):
                m = min(X.shape[0], max(r + 2, int(round(self.bag_fraction * X.shape[0]))))
                idx = np.sort(rng.choice(X.shape[0], m, replace=False))
                bt.append(t[idx])
                bx.append(X[idx])
            res = varpro_fit(bt, bx, alpha, max_iter=int(self.max_iter), tol=float(self.tol),
                             project=project)
            _, col = linear_sum_assignment(np.abs(alpha[:, None] - res.alpha[None, :]))
            a_b = res.alpha[col]
            W_b = _modes([B[col] for B in res.amplitudes], Ur)
            self.bag_eigenvalues_[b] = a_b
            self._bag_models.append((a_b, W_b))
        if n_bags:
            bag = self.bag_eigenvalues_
            self.continuous_eigenvalues_std_ = bag.real.std(0) + 1j * bag.imag.std(0)
        else:
            self.continuous_eigenvalues_std_ = np.full(alpha.shape, np.nan + 1j * np.nan)

    def _forecast(self, context, horizon, u_future):
        x = context.x
        mean = forecast_states(self.model_, x, horizon)
        if not self._bag_models:
            return self._forecast_result(context, mean)
        k = self._forecast_step() * np.arange(1, horizon + 1)
        paths = []
        for a_b, W_b in self._bag_models:
            z = np.linalg.lstsq(W_b, x[-1].astype(complex), rcond=None)[0]
            paths.append(as_real(self.model_, (np.exp(np.outer(k, a_b)) * z) @ W_b.T))
        P = np.stack(paths)  # (n_bags, horizon, d)
        D = P - P.mean(0)
        cov = np.einsum("bti,btj->tij", D, D) / max(len(paths) - 1, 1)
        return self._forecast_result(context, mean, cov=np.real(cov))

    def residuals(self, X=None):
        """ResDMD residuals (uniformly sampled data only; see :meth:`OperatorEstimator.residuals`)."""
        self._check_is_fitted()
        if X is None and self._irregular:
            raise ValidationError(
                "residuals need uniformly sampled pairs; the training times are irregular. "
                "Pass uniformly sampled data as X.")
        return super().residuals(X)
