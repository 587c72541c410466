"""Subspace identification (N4SID) of linear state-space models from input-output data.

Combined deterministic-stochastic N4SID after Van Overschee & De Moor (1996):
oblique projections of future outputs onto past data along future inputs give
the extended observability matrix (order chosen from its singular values) and
two shifted Kalman-filter state sequences; one least-squares regression then
yields ``A, B, C, D`` and the residual covariances ``Q, R``. The SVD can be
weighted as in the unifying theorem of Van Overschee & De Moor (1995):
N4SID (no weights), MOESP (``W2`` projects out the future inputs) or CVA
(additionally ``W1 = (Yf/Uf_perp Yf/Uf_perp^T)^{-1/2}``, i.e. canonical
correlations between past and future).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_triangular

from .._validation import check_array, check_positive_int
from ..errors import NumericalError, ShapeError, ValidationError
from ._params import LGSSMParams

__all__ = ["SubspaceResult", "n4sid", "select_order"]

_WEIGHTINGS = ("n4sid", "moesp", "cva")


@dataclass(frozen=True, eq=False)
class SubspaceResult:
    """Output of :func:`n4sid`.

    Attributes
    ----------
    params : LGSSMParams
        Identified model; ``Q, R`` are residual covariances (floored to be
        positive definite), ``m0, P0`` the mean and covariance of the estimated
        states.
    singular_values : ndarray
        Singular values of the oblique projection (their gap reveals the order).
    order : int
        The state dimension used.
    """

    params: LGSSMParams
    singular_values: np.ndarray
    order: int


def select_order(singular_values, max_order: int | None = None) -> int:
    """Order at the largest gap ``log s_k - log s_{k+1}`` of the singular values.

    Examples
    --------
    >>> select_order([10.0, 5.0, 4.0, 1e-6, 1e-7])
    3
    """
    s = np.asarray(singular_values, dtype=float)
    s = s[s > 0]
    if s.size < 2:
        return 1
    k = s.size - 1 if max_order is None else min(max_order, s.size - 1)
    gaps = np.log(s[:k]) - np.log(s[1:k + 1])
    return int(np.argmax(gaps)) + 1


def _hankel(a: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Block Hankel matrix: block row r holds a[r : r + cols].T."""
    d = a.shape[1]
    H = np.empty((rows * d, cols))
    for r in range(rows):
        H[r * d:(r + 1) * d] = a[r:r + cols].T
    return H


def _project(Y: np.ndarray, W: np.ndarray, U: np.ndarray) -> np.ndarray:
    """Oblique projection of the rows of Y onto the row space of W along that of U."""
    Z = np.vstack([W, U])
    coef = np.linalg.lstsq(Z.T, Y.T, rcond=None)[0].T
    return coef[:, :W.shape[0]] @ W


def _weighted_basis(O: np.ndarray, Yf: np.ndarray, Uf: np.ndarray, weighting: str):
    """SVD of ``W1 O W2``; returns (left vectors mapped back by ``W1^{-1}``, singular values)."""
    if weighting == "n4sid":
        U_, s, _ = np.linalg.svd(O, full_matrices=False)
        return U_, s

    def perp(M):  # M projected onto the orthogonal complement of the rows of Uf
        if Uf.shape[0] == 0:
            return M
        return M - np.linalg.lstsq(Uf.T, M.T, rcond=None)[0].T @ Uf

    OW = perp(O)
    if weighting == "moesp":
        U_, s, _ = np.linalg.svd(OW, full_matrices=False)
        return U_, s
    Yp = perp(Yf)
    S = Yp @ Yp.T / Yf.shape[1]
    S += 1e-10 * max(np.trace(S) / S.shape[0], 1e-300) * np.eye(S.shape[0])
    L = np.linalg.cholesky(S)
    U_, s, _ = np.linalg.svd(solve_triangular(L, OW, lower=True), full_matrices=False)
    return L @ U_, s


def n4sid(y, u=None, *, order: int | None = None, horizon: int = 10,
          max_order: int | None = None, weighting: str = "n4sid") -> SubspaceResult:
    """Identify ``x_{k+1} = A x_k + B u_k + w_k, y_k = C x_k + D u_k + v_k`` by N4SID.

    Parameters
    ----------
    y : array_like (T, p) or list of (T_i, p)
        Outputs (complete data; several sequences are stacked, never joined).
    u : array_like (T, m) or list of (T_i, m), optional
        Inputs; without them a purely stochastic model is identified.
    order : int, optional
        State dimension; by default the largest singular-value gap.
    horizon : int, default 10
        Number of block rows ``i`` of the past and future Hankel matrices
        (the order can be at most ``i * p``).
    max_order : int, optional
        Upper bound for the automatic order.
    weighting : {"n4sid", "moesp", "cva"}, default "n4sid"
        Weights of the SVD that fixes the state basis (and the singular values
        used for the order): none, ``W2 = Pi_{Uf perp}``, or canonical-variate
        analysis (singular values become ``sqrt(N)`` times the canonical
        correlations of past and future). Without inputs MOESP equals N4SID.

    Returns
    -------
    SubspaceResult

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import n4sid
    >>> rng = np.random.default_rng(0)
    >>> u = rng.standard_normal((500, 1)); x = np.zeros(2); y = np.empty((500, 1))
    >>> A = np.array([[0.9, 0.2], [-0.2, 0.9]])
    >>> for k in range(500):
    ...     y[k] = x[0]; x = A @ x + np.array([1.0, 0.5]) * u[k, 0]
    >>> res = n4sid(y, u, horizon=5)
    >>> res.order, np.sort_complex(np.linalg.eigvals(res.params.A)).round(6)
    (2, array([0.9-0.2j, 0.9+0.2j]))
    """
    ys = [check_array(yi, "y", ndim=2) for yi in (y if isinstance(y, (list, tuple)) and
                                                    isinstance(y[0], np.ndarray) else [y])]
    p = ys[0].shape[1]
    if u is None:
        us = [np.zeros((yi.shape[0], 0)) for yi in ys]
    else:
        us = [check_array(ui, "u", ndim=(1, 2)) for ui in (u if isinstance(u, (list, tuple)) and
                                                            isinstance(u[0], np.ndarray) else [u])]
        us = [ui[:, None] if ui.ndim == 1 else ui for ui in us]
        if len(us) != len(ys) or any(ui.shape[0] != yi.shape[0] for ui, yi in zip(us, ys)):
            raise ShapeError("u must have one row per row of y (and one array per sequence).")
    m = us[0].shape[1]
    i = check_positive_int(horizon, "horizon")
    if weighting not in _WEIGHTINGS:
        raise ValidationError(f"weighting must be one of {_WEIGHTINGS}; got {weighting!r}.")
    blocks = {k: [] for k in ("U", "Y")}
    for yi, ui in zip(ys, us):
        cols = yi.shape[0] - 2 * i + 1
        if cols < 1:
            continue
        blocks["Y"].append(_hankel(yi, 2 * i, cols))
        blocks["U"].append(_hankel(ui, 2 * i, cols))
    if not blocks["Y"]:
        raise ValidationError(
            f"Every sequence is too short for horizon={i}: N4SID needs at least {2 * i} "
            "samples per sequence. Pass longer sequences or a smaller horizon."
        )
    Yh, Uh = np.hstack(blocks["Y"]), np.hstack(blocks["U"])
    N = Yh.shape[1]
    if N < 2 * i * (m + p):
        raise ValidationError(
            f"Too little data for horizon={i}: {N} Hankel columns but at least "
            f"{2 * i * (m + p)} are needed. Pass more samples or a smaller horizon."
        )
    Up, Uf = Uh[:i * m], Uh[i * m:]
    Yp, Yf = Yh[:i * p], Yh[i * p:]
    Wp = np.vstack([Up, Yp])
    Wp1 = np.vstack([Uh[:(i + 1) * m], Yh[:(i + 1) * p]])
    O = _project(Yf, Wp, Uf)
    O1 = _project(Yf[p:], Wp1, Uf[m:])
    U_, s = _weighted_basis(O, Yf, Uf, weighting)
    if order is None:
        n = select_order(s, max_order if max_order is not None else i * p - 1)
    else:
        n = check_positive_int(order, "order")
        if n >= i * p:
            raise ValidationError(
                f"order={n} needs horizon * p > order; got horizon={i}, p={p}. Increase horizon."
            )
    if s[n - 1] <= 1e-12 * s[0]:
        raise NumericalError(
            f"The data support at most {int(np.sum(s > 1e-12 * s[0]))} states; order={n} "
            "is not identifiable. Lower the order or excite the system more."
        )
    Gam = U_[:, :n] * np.sqrt(s[:n])
    X = np.linalg.lstsq(Gam, O, rcond=None)[0]
    X1 = np.linalg.lstsq(Gam[:-p], O1, rcond=None)[0]
    lhs = np.vstack([X1, Yf[:p]])
    rhs = np.vstack([X, Uf[:m]])
    Theta = np.linalg.lstsq(rhs.T, lhs.T, rcond=None)[0].T
    res = lhs - Theta @ rhs
    cov = res @ res.T / N
    A, B = Theta[:n, :n], Theta[:n, n:]
    C, D = Theta[n:, :n], Theta[n:, n:]
    Q = _floor(cov[:n, :n])
    R = _floor(cov[n:, n:], ref=np.var(Yf[:p], axis=1).mean())
    P0 = _floor(np.cov(X) if N > 1 else np.eye(n))
    params = LGSSMParams(A=A, C=C, Q=Q, R=R, m0=X[:, 0] * 0.0, P0=P0,
                         B=B if m else None, D=D if m else None)
    return SubspaceResult(params=params, singular_values=s, order=n)


def _floor(M: np.ndarray, ref: float | None = None, rel: float = 1e-8) -> np.ndarray:
    """Symmetrize and lift eigenvalues to at least ``rel`` times a reference scale."""
    M = np.atleast_2d(0.5 * (M + M.T))
    w, V = np.linalg.eigh(M)
    scale = ref if ref is not None and ref > 0 else max(float(np.abs(w).max()), 1e-12)
    return (V * np.maximum(w, rel * scale)) @ V.T
