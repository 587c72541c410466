"""Kernel EDMD: PCR and reduced-rank kernel operator estimators with several solvers."""

from __future__ import annotations

from functools import partial

import numpy as np
import scipy.linalg

from .._constraints import BOOL, CALLABLE, RANDOM_STATE, Options
from ..data import stack
from ..errors import NumericalError
from ._analysis import verified
from ._dmd_core import warn_rank_capped
from ._edmd_core import pair_gram, pcr_basis, rrr_basis
from ._estimator import OperatorEstimator
from ._kernel_core import KERNELS, PairKernel, kernel_matrix, median_length_scale, pcr_dual, rrr_dual
from ._model import KernelLift, operator_model
from ._params import ALPHA, INT_RANK, NONNEG_INT, POS_FLOAT_OR_NONE, POS_INT, REENCODE

__all__ = ["KernelEDMD"]

_SOLVERS = ("auto", "dense", "arpack", "randomized", "nystrom")


class KernelEDMD(OperatorEstimator):
    """Kernel EDMD: Koopman / transfer operator in a reproducing-kernel Hilbert space.

    The estimator is found in the dual (one coefficient per training pair) or,
    with ``solver="nystrom"``, on ``n_centers`` Nyström features (Meanti et al.
    2023), which costs ``O(n m^2)`` instead of ``O(n^2 r)`` or ``O(n^3)``.
    Lag pairs come from every trajectory and never cross two; the kernel matrix
    of the distinct samples is computed once and ``K_X``, ``K_Y``, ``K_YX`` are
    its sub-blocks.

    Parameters
    ----------
    kernel : {"rbf", "laplacian", "matern32", "matern52"} or callable, default "rbf"
        A callable is called as ``kernel(X, Y) -> (n, m)``.
    length_scale : float, optional
        Default: the median pairwise distance of the training states.
    rank : int, default 10
    reduced_rank : bool, default True
        Reduced-rank regression (Kostic et al. 2022) if True, principal
        components if False.
    alpha : float, default 1e-6
        Tikhonov regularization (must be positive for reduced-rank regression).
    solver : {"auto", "dense", "arpack", "randomized", "nystrom"}, default "auto"
        ``"dense"``, ``"arpack"`` and ``"randomized"`` compute the exact
        estimator in the dual (cost ``O(n^3)`` or ``O(n^2 r)`` per iteration);
        ``"nystrom"`` restricts it to ``n_centers`` random centres (cost
        ``O(n m^2)``), with the same statistical rate when ``m`` grows like
        ``sqrt(n)`` (Meanti et al. 2023). ``"auto"`` is ``"dense"`` up to 500
        pairs and ``"nystrom"`` above. No solver calls a dense generalized
        eigensolver.
    n_centers : int, optional
        Nyström centres (default ``max(20 * rank, 500)``, at most the sample count).
    n_oversamples, n_power_iter : int
        Randomized solver: extra sketch columns and power (subspace) iterations.
    residual_tol : float, optional
        Drop eigenpairs whose ResDMD residual exceeds this tolerance.
    random_state : int, default 0
    reencode_every : int or None, default 1
        ``forecast`` decodes the state and lifts it again every this many
        steps; ``None`` runs the pure linear recursion in feature space. The
        default re-encodes every step: measured on the quick benchmark (2 x
        2000 samples), EDMD(Polynomial(3)) goes from 0.17 to 3.8 Lyapunov times
        on Lorenz-63 and EDMD(Polynomial(2)) from 0.84 to 30 on Hénon, at about
        10 µs per step; every 5 or 25 steps keeps little of the gain (see
        :mod:`lindy.operators._rollout`).

    Attributes
    ----------
    eigenvalues_ : ndarray, shape (r,)
    length_scale_ : float
    dual_coef_ : ndarray, shape (n, r)
        ``a`` in ``E(x) = k(x, X) a`` (dual solvers).
    centers_ : ndarray, shape (m, d)
        Nyström centres (``solver="nystrom"``).
    rank_ : int

    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.testing.conformance_data()
    >>> model = ld.operators.KernelEDMD(rank=5).fit(data)
    >>> model.eigenvalues_.shape, model.forecast(data[0].x[:1], horizon=3).x.shape
    ((5,), (3, 2))
    """

    _parameter_constraints = {
        "kernel": [Options(*KERNELS), CALLABLE], "length_scale": POS_FLOAT_OR_NONE,
        "rank": INT_RANK, "reduced_rank": [BOOL], "alpha": ALPHA, "solver": [Options(*_SOLVERS)],
        "n_centers": [None, *POS_INT], "n_oversamples": NONNEG_INT, "n_power_iter": NONNEG_INT,
        "residual_tol": POS_FLOAT_OR_NONE, "random_state": [RANDOM_STATE],
        "reencode_every": REENCODE}

    def __init__(self, kernel="rbf", length_scale=None, rank=10, *, reduced_rank=True,
                 alpha=1e-6, solver="auto", n_centers=None, n_oversamples=10, n_power_iter=4,
                 residual_tol=None, random_state=0, reencode_every=1):
        self.kernel = kernel
        self.length_scale = length_scale
        self.rank = rank
        self.reduced_rank = reduced_rank
        self.alpha = alpha
        self.solver = solver
        self.n_centers = n_centers
        self.n_oversamples = n_oversamples
        self.n_power_iter = n_power_iter
        self.residual_tol = residual_tol
        self.random_state = random_state
        self.reencode_every = reencode_every

    def _fit(self, data) -> None:
        alpha = float(self.alpha)
        s = stack(data)
        S, (ix, iy) = s.x, s.pairs()
        self.length_scale_ = float(self.length_scale) if self.length_scale is not None \
            else median_length_scale(S, self.random_state)
        n = ix.shape[0]
        solver = self.solver
        if solver == "auto":
            solver = "dense" if n <= 500 else "nystrom"
        self.solver_ = solver
        lift = partial(KernelLift, kernel=self.kernel, length_scale=self.length_scale_)
        if solver == "nystrom":
            ZX, ZY, enc, left = self._fit_nystrom(S, ix, iy, alpha, lift)
        else:
            pk = PairKernel(kernel_matrix(S, S, self.kernel, self.length_scale_), ix, iy)
            dual = rrr_dual if self.reduced_rank else pcr_dual
            a = dual(pk, self.rank, alpha, solver, rng=self.random_state,
                     n_oversamples=int(self.n_oversamples), n_power_iter=int(self.n_power_iter))
            if a.shape[1] == 0:
                raise NumericalError("No usable direction found; lower rank or raise alpha.")
            self.dual_coef_ = a
            ZX, ZY = pk.matmul("x", "x", a), pk.matmul("y", "x", a)
            # E(x) = k(x, X) a; left eigenfunctions k(x, Y) K_X a y / n
            enc, left = lift(points=S[ix], B=a), lift(points=S[iy], B=ZX / n)
        self.rank_ = ZX.shape[1]
        warn_rank_capped(self.rank, self.rank_, f"{n} training pairs and the {self.solver_!r} "
                         "solver support no more directions")
        Y = S[iy]
        model = operator_model(enc, ZX.T @ ZY / n, ZX.T @ Y / n, ZX, ZY, Y, dt=self.dt_,
                               real=True, left_encoder=left)
        if self.residual_tol is None:
            self.model_ = model
        else:
            self.model_, self.residuals_, self.all_residuals_ = verified(model, self.residual_tol)
            self.all_eigenvalues_ = model.eigenvalues

    def _fit_nystrom(self, S, ix, iy, alpha, lift):
        rng = np.random.default_rng(self.random_state)
        m = self.n_centers if self.n_centers is not None else max(20 * int(self.rank), 500)
        m = min(int(m), S.shape[0])
        self.centers_ = S[np.sort(rng.choice(S.shape[0], m, replace=False))]
        Kcc = kernel_matrix(self.centers_, self.centers_, self.kernel, self.length_scale_)
        Kcc[np.diag_indices_from(Kcc)] += 1e-10 * max(np.trace(Kcc) / m, 1e-300)
        try:
            R = scipy.linalg.cholesky(Kcc, lower=False)
        except np.linalg.LinAlgError:
            raise NumericalError("The Nyström centre kernel matrix is singular.") from None
        KSC = kernel_matrix(S, self.centers_, self.kernel, self.length_scale_)
        F = scipy.linalg.solve_triangular(R, KSC.T, trans="T").T  # k R^{-1}
        PX, PY = F[ix], F[iy]
        n = PX.shape[0]
        G = pair_gram(F, ix)  # a symmetric rank-k update: half the flops of PX^T PX
        r = min(int(self.rank), m)
        U = rrr_basis(G, PX.T @ PY / n, r, alpha) if self.reduced_rank else pcr_basis(G, r, alpha)
        ZX = PX @ U
        # E(x) = k(x, C) R^{-1} U; left eigenvectors of K = U U^T A are A^T U y = PY^T ZX y / n
        enc = lift(points=self.centers_, B=scipy.linalg.solve_triangular(R, U))
        left = lift(points=self.centers_, B=scipy.linalg.solve_triangular(R, PY.T @ ZX / n))
        return ZX, PY @ U, enc, left
