"""Dynamic mode decomposition (exact or projected, TLS, Gram route) through the common API."""

from __future__ import annotations

import numpy as np

from .._constraints import BOOL
from ..data import lag_pairs
from ._dmd_core import dmd_fit
from ._estimator import OperatorEstimator
from ._linalg import eig_sorted
from ._model import LinearLift, operator_model
from ._params import DMD_SOLVER, POS_INT, RANK

__all__ = ["DMD"]


class _DMDFamily(OperatorEstimator):
    """Abstract: a DMD of snapshot pairs under some lifting (identity, delay windows)."""

    _allow_complex = True
    _parameter_constraints = {"rank": RANK, "exact": [BOOL], "tls_rank": [None, *POS_INT],
                              "solver": DMD_SOLVER}

    def _fit_pairs(self, X, Y, lift, d_out: int) -> None:
        """DMD of ``Y ≈ X A^T``; ``lift(B)`` is the encoder ``z = lifting(x) B``."""
        res = dmd_fit(X, Y, self.rank, exact=bool(self.exact), solver=self.solver,
                      tls_rank=self.tls_rank)
        U, At = res.basis, res.reduced_operator
        self.basis_, self.reduced_operator_ = U, At
        self.singular_values_, self.rank_ = res.singular_values, U.shape[1]
        # row convention: z = x conj(U), z' = z At^T, x' = z At^T U^T; the right
        # eigenvectors of At (sorted as in dmd_fit) give those of At^T by W^{-T}
        M = At.T
        lam, W_At = eig_sorted(At)
        W_M = np.linalg.solve(W_At.T, np.eye(W_At.shape[0], dtype=W_At.dtype))
        Uc = U.conj()
        self.model_ = operator_model(
            lift(Uc), M, (M @ U.T)[:, -d_out:], X @ Uc, Y @ Uc, Y[:, -d_out:],
            dt=self._forecast_step(), real=np.isrealobj(X), eigenvalues=lam, W=W_M,
            modes=res.modes)

    @property
    def operator_(self) -> np.ndarray:
        """The linear map ``A = U A_tilde U^*`` on the (lifted) state, shape (D, D)."""
        self._check_is_fitted()
        A = self.basis_ @ self.reduced_operator_ @ self.basis_.conj().T
        return A.real if self.model_.real else A


class DMD(_DMDFamily):
    """Dynamic mode decomposition: a best-fit linear map ``x_{k+1} ≈ A x_k`` of rank ``rank``.

    Snapshot pairs come from every trajectory and never cross two.

    Parameters
    ----------
    rank : None, int or float, default None
        Truncation: ``None`` keeps the numerical rank, an int exactly that many
        POD modes (capped at the numerical rank with a
        :class:`~lindy.errors.RankWarning`), a float in (0, 1) the fraction of
        energy to keep.
    exact : bool, default True
        Exact DMD modes (Tu et al. 2014); ``False`` gives projected modes
        ``U_r W``. Eigenvalues and forecasts are the same either way.
    tls_rank : int, optional
        Total-least-squares DMD (Hemati et al. 2017): project the data on this
        many leading time directions of ``[X, Y]`` first, which removes the
        eigenvalue bias caused by measurement noise.
    solver : {"auto", "svd", "gram"}, default "auto"
        ``"gram"`` forms the ``d x d`` Gram matrices (fast for many samples);
        ``"svd"`` factors the snapshot matrix; ``"auto"`` picks the Gram route
        for tall data unless it would lose accuracy.

    Attributes
    ----------
    eigenvalues_ : ndarray, shape (r,)
        Discrete-time DMD eigenvalues, by decreasing modulus.
    continuous_eigenvalues_ : ndarray, shape (r,)
        ``log(eigenvalues_) / dt_``.
    modes_ : ndarray, shape (d, r)
        DMD modes (exact or projected).
    basis_ : ndarray, shape (d, r)
        POD basis of the snapshot matrix.
    reduced_operator_ : ndarray, shape (r, r)
        The operator in POD coordinates.
    singular_values_ : ndarray
        Singular values of the snapshot matrix.
    rank_ : int
        The rank kept.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> A = np.array([[0.9, -0.2], [0.2, 0.9]])
    >>> x = np.empty((50, 2)); x[0] = [1.0, 0.0]
    >>> for k in range(49): x[k + 1] = A @ x[k]
    >>> model = ld.operators.DMD().fit(x)
    >>> np.sort_complex(model.eigenvalues_).round(8)
    array([0.9-0.2j, 0.9+0.2j])
    >>> model.forecast(x[:1], horizon=3).x.round(6)[0]
    array([0.9, 0.2])
    >>> model.stability().stable
    True
    """

    def __init__(self, rank=None, *, exact=True, tls_rank=None, solver="auto"):
        self.rank = rank
        self.exact = exact
        self.tls_rank = tls_rank
        self.solver = solver

    def _fit(self, data) -> None:
        X, Y = lag_pairs(data)
        self._fit_pairs(X, Y, LinearLift, X.shape[1])
