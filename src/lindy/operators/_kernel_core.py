"""Pure functions behind kernel EDMD: kernels and dual PCR / RRR solvers.

In the dual, a rank-``r`` estimator is a coefficient matrix ``a (n, r)``: the
feature-space basis is ``U = Phi_X^T a`` and the encoder is ``E(x) = k(x, X) a``.
With ``K_X = k(X, X)``, ``K_Y = k(Y, Y)`` and ``K_YX = k(Y, X)``:

* PCR: ``a = Q_r diag(d (d / n + alpha))^{-1/2}`` from the top eigenpairs
  ``(d, Q)`` of ``K_X``;
* RRR (Kostic et al. 2022): ``K_Y K_X a / n = sigma^2 (K_X + n alpha) a``,
  normalized by ``a^T K_X (K_X / n + alpha) a = I``.

Solvers: ``"dense"`` (symmetric eigendecompositions, no generalized dense
eigensolver), ``"arpack"`` (Lanczos / Arnoldi on implicit operators),
``"randomized"`` (subspace iteration and a small Rayleigh-Ritz problem,
Turri et al. 2023). Kernel matrices of the training pairs are sub-blocks of one
kernel matrix of the distinct samples, so only one is ever computed.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg
import scipy.sparse.linalg as spla

from ..errors import NumericalError, ValidationError
from ._linalg import eigh_desc, randomized_eigh

__all__ = ["KERNELS", "kernel_matrix", "median_length_scale", "pcr_dual", "rrr_dual",
           "PairKernel"]

KERNELS = ("rbf", "laplacian", "matern32", "matern52")


def median_length_scale(X: np.ndarray, rng=0, n_max: int = 1000) -> float:
    """Median pairwise distance of (a subsample of) ``X``.

    Examples
    --------
    >>> median_length_scale(np.array([[0.0], [1.0], [3.0]]))
    2.0
    """
    rng = np.random.default_rng(rng)
    if X.shape[0] > n_max:
        X = X[rng.choice(X.shape[0], n_max, replace=False)]
    D = np.sqrt(_sqdist(X, X))
    med = float(np.median(D[np.triu_indices_from(D, 1)])) if X.shape[0] > 1 else 1.0
    return med if med > 0 else 1.0


def _sqdist(X, Y):
    D2 = (X**2).sum(1)[:, None] + (Y**2).sum(1)[None, :] - 2.0 * (X @ Y.T)
    return np.maximum(D2, 0.0, out=D2)


def kernel_matrix(X: np.ndarray, Y: np.ndarray, kernel="rbf", length_scale: float = 1.0):
    """Kernel matrix ``k(X[i], Y[j])``.

    Parameters
    ----------
    X : ndarray, shape (n, d)
    Y : ndarray, shape (m, d)
    kernel : {"rbf", "laplacian", "matern32", "matern52"} or callable
        A callable is called as ``kernel(X, Y) -> (n, m)``.
    length_scale : float

    Returns
    -------
    ndarray, shape (n, m)

    Examples
    --------
    >>> kernel_matrix(np.zeros((1, 2)), np.array([[0.0, 1.0]]), "rbf", 1.0).round(4)
    array([[0.6065]])
    """
    if callable(kernel):
        K = np.asarray(kernel(X, Y), dtype=float)
        if K.shape != (X.shape[0], Y.shape[0]):
            raise ValidationError(
                f"The kernel callable must return shape {(X.shape[0], Y.shape[0])}; got {K.shape}.")
        return K
    D2 = _sqdist(X, Y)
    if kernel == "rbf":
        D2 *= -0.5 / length_scale**2
        return np.exp(D2, out=D2)
    r = np.sqrt(D2, out=D2) / length_scale
    if kernel == "laplacian":
        return np.exp(-r)
    if kernel == "matern32":
        s = np.sqrt(3.0) * r
        return (1.0 + s) * np.exp(-s)
    if kernel == "matern52":
        s = np.sqrt(5.0) * r
        return (1.0 + s + s**2 / 3.0) * np.exp(-s)
    raise ValidationError(f"kernel must be one of {KERNELS} or a callable; got {kernel!r}.")


class PairKernel:
    """Products with ``K_X``, ``K_Y``, ``K_YX`` from one kernel matrix of the distinct samples.

    Parameters
    ----------
    K : ndarray, shape (N, N)
        Kernel matrix of every sample of every trajectory.
    ix, iy : ndarray of int, shape (n,)
        Positions of ``x_k`` and ``x_{k+1}`` in the sample list.
    """

    def __init__(self, K: np.ndarray, ix: np.ndarray, iy: np.ndarray):
        self.K, self.ix, self.iy = K, ix, iy
        self.n, self.N = ix.shape[0], K.shape[0]
        self._contig = (self.N == self.n + 1 and np.array_equal(ix, np.arange(self.n))
                        and np.array_equal(iy, np.arange(1, self.n + 1)))

    def _scatter(self, idx, V):
        full = np.zeros((self.N, V.shape[1]), dtype=V.dtype)
        full[idx] = V
        return full

    def block(self, rows, cols) -> np.ndarray:
        """Materialize a block (``"x"`` or ``"y"`` for rows and columns)."""
        r = self.ix if rows == "x" else self.iy
        c = self.ix if cols == "x" else self.iy
        if self._contig:
            rs = slice(0, self.n) if rows == "x" else slice(1, self.n + 1)
            cs = slice(0, self.n) if cols == "x" else slice(1, self.n + 1)
            return self.K[rs, cs]
        return self.K[np.ix_(r, c)]

    def matmul(self, rows, cols, V) -> np.ndarray:
        """``K_{rows, cols} @ V`` without materializing the block."""
        if self._contig:
            return self.block(rows, cols) @ V
        c = self.ix if cols == "x" else self.iy
        r = self.ix if rows == "x" else self.iy
        return (self.K @ self._scatter(c, V))[r]


def _check_rank(rank, n) -> int:
    if not (isinstance(rank, (int, np.integer)) and not isinstance(rank, bool) and rank >= 1):
        raise ValidationError(f"rank must be a positive int for kernel models; got {rank!r}.")
    return int(min(rank, n - 1)) if n > 1 else 1


def pcr_dual(pk: PairKernel, rank: int, alpha: float, solver: str, rng=None,
             n_oversamples: int = 10, n_power_iter: int = 4) -> np.ndarray:
    """Dual coefficients ``a (n, r)`` of the kernel PCR estimator.

    Examples
    --------
    >>> X = np.linspace(0, 1, 6)[:, None]
    >>> pk = PairKernel(kernel_matrix(X, X, "rbf", 0.5), np.arange(5), np.arange(1, 6))
    >>> pcr_dual(pk, 2, 1e-6, "dense").shape
    (5, 2)
    """
    n = pk.n
    r = _check_rank(rank, n)
    if solver == "dense":
        d, Q = eigh_desc(pk.block("x", "x"), r)
    elif solver == "arpack":
        op = spla.LinearOperator((n, n), matvec=lambda v: pk.matmul("x", "x", v[:, None])[:, 0],
                                 dtype=float)
        v0 = np.random.default_rng(rng).uniform(-1, 1, n)
        d, Q = spla.eigsh(op, k=r, which="LA", v0=v0)
        d, Q = d[::-1], Q[:, ::-1]
    elif solver == "randomized":
        d, Q = randomized_eigh(lambda V: pk.matmul("x", "x", V), n, r, rng=rng,
                               n_oversamples=n_oversamples, n_power_iter=n_power_iter)
    else:
        raise ValidationError(f"Unknown solver {solver!r}.")
    keep = d > d[0] * n * np.finfo(float).eps
    if not keep.any():
        raise NumericalError("The kernel matrix is numerically zero.")
    d, Q = d[keep], Q[:, keep]
    return Q / np.sqrt(d * (d / n + alpha))


def _normalize(a, ZX, pk, alpha):
    """Scale columns so that ``a^T K_X (K_X / n + alpha) a = I`` on the diagonal."""
    n = pk.n
    nrm = (ZX * ZX).sum(0) / n + alpha * (a * ZX).sum(0)
    ok = nrm > np.finfo(float).eps * max(nrm.max(), 0.0) * 1e3
    return a[:, ok] / np.sqrt(nrm[ok])


def rrr_dual(pk: PairKernel, rank: int, alpha: float, solver: str, rng=None,
             n_oversamples: int = 10, n_power_iter: int = 4) -> np.ndarray:
    """Dual coefficients ``a (n, r)`` of the kernel reduced-rank estimator.

    Examples
    --------
    >>> X = np.linspace(0, 1, 8)[:, None]
    >>> pk = PairKernel(kernel_matrix(X, X, "rbf", 0.5), np.arange(7), np.arange(1, 8))
    >>> rrr_dual(pk, 2, 1e-3, "dense").shape
    (7, 2)
    """
    n = pk.n
    r = _check_rank(rank, n)
    if alpha <= 0:
        raise ValidationError("The kernel reduced-rank estimator needs alpha > 0.")
    if solver == "dense":
        d, Q = eigh_desc(pk.block("x", "x"))
        keep = d > d[0] * n * np.finfo(float).eps
        d, Q = d[keep], Q[:, keep]
        s = np.sqrt(d / (d + n * alpha))
        QtKyQ = Q.T @ pk.matmul("y", "y", Q)
        H = (s[:, None] * QtKyQ * s[None, :]) / n
        _, F = eigh_desc(0.5 * (H + H.T), r)
        a = Q @ (F / np.sqrt(d * (d + n * alpha))[:, None])
    else:
        KXr = pk.block("x", "x").copy()
        KXr[np.diag_indices_from(KXr)] += n * alpha
        try:
            cho = scipy.linalg.cho_factor(KXr, overwrite_a=True, check_finite=False)
        except np.linalg.LinAlgError as err:
            raise NumericalError(f"Cholesky of K_X + n alpha I failed ({err}); raise alpha.") from None

        def T(V):
            return scipy.linalg.cho_solve(cho, pk.matmul("y", "y", pk.matmul("x", "x", V))) / n

        if solver == "arpack":
            op = spla.LinearOperator((n, n), matvec=lambda v: T(v[:, None])[:, 0], dtype=float)
            v0 = np.random.default_rng(rng).uniform(-1, 1, n)
            _, V = spla.eigs(op, k=min(r + 2, n - 2), which="LR", v0=v0)
            im = V.imag[:, np.linalg.norm(V.imag, axis=0) > 1e-8]
            P, sv, _ = np.linalg.svd(np.hstack([V.real, im]), full_matrices=False)
            V = P[:, sv > 1e-10 * sv[0]]  # an orthonormal basis of the invariant subspace
        elif solver == "randomized":
            g = np.random.default_rng(rng)
            V = np.linalg.qr(T(g.standard_normal((n, min(n, r + n_oversamples)))))[0]
            for _ in range(n_power_iter):
                V = np.linalg.qr(T(V))[0]
        else:
            raise ValidationError(f"Unknown solver {solver!r}.")
        a = _ritz(pk, V, alpha, r)
    ZX = pk.matmul("x", "x", a)
    return _normalize(a, ZX, pk, alpha)


def _ritz(pk: PairKernel, V: np.ndarray, alpha: float, r: int) -> np.ndarray:
    """Rayleigh-Ritz for the RRR pencil in the subspace spanned by ``V``."""
    n = pk.n
    B = pk.matmul("x", "x", V)  # K_X V
    lhs = B.T @ pk.matmul("y", "y", B) / n
    rhs = B.T @ B + n * alpha * (V.T @ B)
    lhs, rhs = 0.5 * (lhs + lhs.T), 0.5 * (rhs + rhs.T)
    w, R = scipy.linalg.eigh(rhs)
    keep = w > w.max() * rhs.shape[0] * np.finfo(float).eps
    P = R[:, keep] / np.sqrt(w[keep])  # rhs^{-1/2} on its range
    _, F = eigh_desc(P.T @ lhs @ P, min(r, P.shape[1]))
    return V @ (P @ F)
