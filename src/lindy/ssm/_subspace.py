"""Subspace identification (N4SID) of linear state-space models from input-output data.

Combined deterministic-stochastic N4SID after Van Overschee & De Moor (1996):
oblique projections of future outputs onto past data along future inputs give
the extended observability matrix (state dimension chosen from its singular values) and
two shifted Kalman-filter state sequences; one least-squares regression then
yields ``A, B, C, D`` and the residual covariances ``Q, R``. The SVD can be
weighted as in the unifying theorem of Van Overschee & De Moor (1995):
N4SID (no weights), MOESP (``W2`` projects out the future inputs) or CVA
(additionally ``W1 = (Yf/Uf_perp Yf/Uf_perp^T)^{-1/2}``, i.e. canonical
correlations between past and future).

With ``offset=True`` the model gets an output offset, ``y = C x + D u + d + v``:
every block row of the Hankel matrices is centred, which removes ``d`` (and
keeps every linear relation between the rows, so ``A, B, C, D`` are those of
the uncentred data), and ``d`` is then the generalized least-squares fit of the
Kalman filter's whitened innovations, which are affine in ``d``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_triangular

from .._validation import check_positive_int
from ..errors import NumericalError, ValidationError
from ._kalman import _filter_lists
from ._params import LGSSMParams
from ._sequences import as_sequences

__all__ = ["SubspaceResult", "n4sid", "select_state_dim"]

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
        Singular values of the oblique projection (their gap reveals the state
        dimension).
    state_dim : int
        The state dimension used.
    offset : ndarray (p,) or None
        Output offset ``d`` of ``y = C x + D u + d + v`` (``offset=True`` only).
    """

    params: LGSSMParams
    singular_values: np.ndarray
    state_dim: int
    offset: np.ndarray | None = None


def select_state_dim(singular_values, max_state_dim: int | None = None) -> int:
    """State dimension at the largest gap ``log s_k - log s_{k+1}`` of the singular values.

    Examples
    --------
    >>> select_state_dim([10.0, 5.0, 4.0, 1e-6, 1e-7])
    3
    """
    s = np.asarray(singular_values, dtype=float)
    s = s[s > 0]
    if s.size < 2:
        return 1
    k = s.size - 1 if max_state_dim is None else min(max_state_dim, s.size - 1)
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


def n4sid(y, u=None, *, state_dim: int | None = None, n_block_rows: int = 10,
          max_state_dim: int | None = None, weighting: str = "n4sid",
          offset: bool = False, shift_invariance: bool = False) -> SubspaceResult:
    """Identify ``x_{k+1} = A x_k + B u_k + w_k, y_k = C x_k + D u_k + v_k`` by N4SID.

    Parameters
    ----------
    y : array_like (T, p) or TrajectorySet
        Outputs (complete data); several sequences, as a
        :class:`~lindy.data.TrajectorySet` with their inputs, are stacked, never joined.
    u : array_like (T, m), optional
        Inputs of a single sequence; without inputs a purely stochastic model
        is identified.
    state_dim : int, optional
        State dimension; by default the largest singular-value gap.
    n_block_rows : int, default 10
        Number of block rows ``i`` of the past and future Hankel matrices (the
        state dimension can be at most ``i * p - 1``).
    max_state_dim : int, optional
        Upper bound for the automatic state dimension.
    weighting : {"n4sid", "moesp", "cva"}, default "n4sid"
        Weights of the SVD that fixes the state basis (and the singular values
        used for the state dimension): none, ``W2 = Pi_{Uf perp}``, or
        canonical-variate analysis (singular values become ``sqrt(N)`` times
        the canonical correlations of past and future). Without inputs MOESP
        equals N4SID.
    offset : bool, default False
        Identify an output offset ``d`` as well (``y = C x + D u + d + v``; see
        the module docstring); it is returned as ``SubspaceResult.offset``.
    shift_invariance : bool, default False
        Take ``A`` and ``C`` from the extended observability matrix ``Gamma``
        (``C`` its first block row, ``A`` the least-squares solution of
        ``Gamma_up A = Gamma_down``, as MOESP does; Verhaegen 1994) instead of
        regressing the estimated state sequence; ``B`` and ``D`` are then
        regressed with ``A`` and ``C`` held. With weakly exciting inputs (the
        input Hankel matrix close to rank-deficient, e.g. a low-pass input) the
        state sequence is noise-dominated and the default can return a wrong
        ``A``; the observability matrix is more robust there.

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
    >>> res = n4sid(y, u, n_block_rows=5)
    >>> res.state_dim, np.sort_complex(np.linalg.eigvals(res.params.A)).round(6)
    (2, array([0.9-0.2j, 0.9+0.2j]))
    >>> res = n4sid(y + 3.0, u, n_block_rows=5, offset=True)
    >>> res.state_dim, res.offset.round(6)
    (2, array([3.]))
    """
    ys, us, _ = as_sequences(y, u, allow_nan=False)
    p = ys[0].shape[1]
    if us is None:
        us = [np.zeros((yi.shape[0], 0)) for yi in ys]
    m = us[0].shape[1]
    i = check_positive_int(n_block_rows, "n_block_rows")
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
            f"Every sequence is too short for n_block_rows={i}: N4SID needs at least {2 * i} "
            "samples per sequence. Pass longer sequences or fewer block rows."
        )
    Yh, Uh = np.hstack(blocks["Y"]), np.hstack(blocks["U"])
    N = Yh.shape[1]
    if N < 2 * i * (m + p):
        raise ValidationError(
            f"Too little data for n_block_rows={i}: {N} Hankel columns but at least "
            f"{2 * i * (m + p)} are needed. Pass more samples or fewer block rows."
        )
    if offset:
        Yh = Yh - Yh.mean(axis=1, keepdims=True)
        Uh = Uh - Uh.mean(axis=1, keepdims=True)
    Up, Uf = Uh[:i * m], Uh[i * m:]
    Yp, Yf = Yh[:i * p], Yh[i * p:]
    Wp = np.vstack([Up, Yp])
    Wp1 = np.vstack([Uh[:(i + 1) * m], Yh[:(i + 1) * p]])
    O = _project(Yf, Wp, Uf)
    O1 = _project(Yf[p:], Wp1, Uf[m:])
    U_, s = _weighted_basis(O, Yf, Uf, weighting)
    if state_dim is None:
        n = select_state_dim(s, max_state_dim if max_state_dim is not None else i * p - 1)
    else:
        n = check_positive_int(state_dim, "state_dim")
        if n >= i * p:
            raise ValidationError(
                f"state_dim={n} needs n_block_rows * p > state_dim; got n_block_rows={i}, "
                f"p={p}. Increase n_block_rows."
            )
    if s[n - 1] <= 1e-12 * s[0]:
        raise NumericalError(
            f"The data support at most {int(np.sum(s > 1e-12 * s[0]))} states; state_dim={n} "
            "is not identifiable. Lower state_dim or excite the system more."
        )
    Gam = U_[:, :n] * np.sqrt(s[:n])
    X = np.linalg.lstsq(Gam, O, rcond=None)[0]
    X1 = np.linalg.lstsq(Gam[:-p], O1, rcond=None)[0]
    lhs = np.vstack([X1, Yf[:p]])
    rhs = np.vstack([X, Uf[:m]])
    if shift_invariance:
        AC = np.vstack([np.linalg.lstsq(Gam[:-p], Gam[p:], rcond=None)[0], Gam[:p]])
        BD = np.linalg.lstsq(Uf[:m].T, (lhs - AC @ X).T, rcond=None)[0].T if m else \
            np.zeros((n + p, 0))
        Theta = np.hstack([AC, BD])
    else:
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
    d = _output_offset(params, ys, us) if offset else None
    return SubspaceResult(params=params, singular_values=s, state_dim=n, offset=d)


def _output_offset(params: LGSSMParams, ys, us) -> np.ndarray:
    """GLS output offset ``d``: the filter's whitened innovations are affine in ``d``."""
    p = params.obs_dim
    us_f = us if params.input_dim else [np.zeros((yi.shape[0], 0)) for yi in ys]
    w0 = np.concatenate([f.whitened_innovations for f in _filter_lists(params, ys, us_f)])
    zero = params.replace(m0=np.zeros(params.state_dim))
    cols = []
    for j in range(p):  # response of the whitened innovations to a unit offset of output j
        unit = [np.broadcast_to(np.eye(p)[j], yi.shape).copy() for yi in ys]
        zero_u = [np.zeros_like(ui) for ui in us_f]
        cols.append(np.concatenate([f.whitened_innovations
                                    for f in _filter_lists(zero, unit, zero_u)]).ravel())
    W = np.stack(cols, axis=1)
    return np.linalg.lstsq(W, w0.ravel(), rcond=None)[0]


def _floor(M: np.ndarray, ref: float | None = None, rel: float = 1e-8) -> np.ndarray:
    """Symmetrize and lift eigenvalues to at least ``rel`` times a reference scale."""
    M = np.atleast_2d(0.5 * (M + M.T))
    w, V = np.linalg.eigh(M)
    scale = ref if ref is not None and ref > 0 else max(float(np.abs(w).max()), 1e-12)
    return (V * np.maximum(w, rel * scale)) @ V.T
