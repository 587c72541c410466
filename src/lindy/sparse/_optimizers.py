"""Sparse regression of ``Y ~ Theta Xi^T``: STLSQ, SR3 (L0/L1) and constrained least squares.

Every function takes the library matrix ``Theta`` (n_samples, n_features) and
the targets ``Y`` (n_samples, n_targets) and returns the coefficients
``Xi`` (n_targets, n_features), one row per equation. Equality constraints
``C @ Xi.ravel() = d`` (``Xi`` flattened row by row) are optional everywhere.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> Theta = rng.standard_normal((200, 5))
>>> Y = Theta @ np.array([[2.0, 0, 0, -1.0, 0]]).T
>>> stlsq(Theta, Y, threshold=0.1).round(6)
array([[ 2.,  0.,  0., -1.,  0.]])
"""

from __future__ import annotations

import numpy as np

from ..errors import ShapeError

__all__ = ["stlsq", "sr3", "constrained_lstsq"]


def _check_constraints(constraints, n_targets: int, n_features: int):
    if constraints is None:
        return None
    C, d = constraints
    C = np.atleast_2d(np.asarray(C, dtype=float))
    d = np.atleast_1d(np.asarray(d, dtype=float))
    if C.shape[1] != n_targets * n_features or d.shape != (C.shape[0],):
        raise ShapeError(
            f"constraints (C, d) must have C of shape (n_constraints, {n_targets * n_features}) "
            f"(coefficients flattened equation by equation: {n_targets} equations x "
            f"{n_features} library terms) and d of shape (n_constraints,); got C {C.shape}, "
            f"d {d.shape}.")
    return C, d


def _solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(A, b)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(A, b, rcond=None)[0]


def _kkt(G, B, active, shift, constraints, extra=None):
    """Minimise sum_i 0.5 xi_i'(G + shift I)xi_i - (B_i + extra_i)'xi_i on ``active`` s.t. C xi = d."""
    n_targets, n_features = active.shape
    rhs = B.T.copy() if extra is None else B.T + extra
    idx = np.flatnonzero(active.ravel())
    H = np.zeros((idx.size, idx.size))
    pos = 0
    for i in range(n_targets):
        cols = np.flatnonzero(active[i])
        k = cols.size
        H[pos:pos + k, pos:pos + k] = G[np.ix_(cols, cols)] + shift * np.eye(k)
        pos += k
    g = rhs.ravel()[idx]
    C, d = constraints
    Ca = C[:, idx]
    keep = np.any(Ca != 0, axis=1) | (d != 0)
    Ca, da = Ca[keep], d[keep]
    K = np.block([[H, Ca.T], [Ca, np.zeros((Ca.shape[0], Ca.shape[0]))]])
    sol = np.linalg.lstsq(K, np.concatenate([g, da]), rcond=None)[0]
    out = np.zeros(n_targets * n_features)
    out[idx] = sol[:idx.size]
    return out.reshape(n_targets, n_features)


def _ridge_active(G, B, active, alpha, constraints):
    """Ridge coefficients restricted to the ``active`` entries (zeros elsewhere)."""
    if constraints is not None:
        return _kkt(G, B, active, alpha, constraints)
    out = np.zeros(active.shape)
    for i in range(active.shape[0]):
        cols = np.flatnonzero(active[i])
        if cols.size:
            out[i, cols] = _solve(G[np.ix_(cols, cols)] + alpha * np.eye(cols.size), B[cols, i])
    return out


def _unbias(Theta, Y, G, B, active, constraints):
    """Least squares on the selected support (no ridge)."""
    if constraints is not None:
        return _kkt(G, B, active, 0.0, constraints)
    out = np.zeros(active.shape)
    for i in range(active.shape[0]):
        cols = np.flatnonzero(active[i])
        if cols.size:
            out[i, cols] = _lstsq(Theta, Y[:, i], G, B[:, i], cols)
    return out


def _lstsq(Theta, y, G, b, cols) -> np.ndarray:
    """Least squares on the columns ``cols``: Cholesky of the Gram block plus one step of
    iterative refinement on the exact residual (corrected semi-normal equations); the
    SVD solver when the block is too ill-conditioned for that."""
    try:
        L = np.linalg.cholesky(G[np.ix_(cols, cols)])
    except np.linalg.LinAlgError:
        L = None
    diag = np.abs(np.diag(L)) if L is not None else None
    A = Theta[:, cols]
    if L is None or diag.min() < 1e-6 * diag.max():
        return np.linalg.lstsq(A, y, rcond=None)[0]
    x = _cho_solve(L, b[cols])
    return x + _cho_solve(L, A.T @ (y - A @ x))


def _cho_solve(L, b):
    from scipy.linalg import solve_triangular

    return solve_triangular(L.T, solve_triangular(L, b, lower=True), lower=False)


def constrained_lstsq(Theta, Y, constraints=None, support=None) -> np.ndarray:
    """Least squares, optionally on a given ``support`` and under equality constraints.

    Parameters
    ----------
    Theta : ndarray, shape (n_samples, n_features)
    Y : ndarray, shape (n_samples, n_targets)
    constraints : (C, d), optional
        ``C`` (n_constraints, n_targets * n_features), ``d`` (n_constraints,):
        ``C @ Xi.ravel() = d``.
    support : ndarray of bool, shape (n_targets, n_features), optional
        Entries allowed to be nonzero (default all).

    Returns
    -------
    ndarray, shape (n_targets, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> Theta = np.c_[np.ones(4), np.arange(4.0)]
    >>> Y = np.c_[1 + 2 * np.arange(4.0)]
    >>> constrained_lstsq(Theta, Y, constraints=([[1.0, 0.0]], [0.5])).round(6)
    array([[0.5     , 2.214286]])
    """
    Theta, Y = np.asarray(Theta, float), np.asarray(Y, float)
    cons = _check_constraints(constraints, Y.shape[1], Theta.shape[1])
    active = np.ones((Y.shape[1], Theta.shape[1]), bool) if support is None else np.asarray(support)
    G, B = Theta.T @ Theta, Theta.T @ Y
    return _unbias(Theta, Y, G, B, active, cons)


def stlsq(Theta, Y, threshold: float = 0.1, alpha: float = 0.05, max_iter: int = 20,
          constraints=None) -> np.ndarray:
    """Sequentially thresholded ridge least squares (Brunton, Proctor and Kutz 2016).

    Start from least squares; repeatedly fit ridge regression (strength
    ``alpha``) on the surviving terms and drop coefficients smaller than
    ``threshold`` in magnitude, until the support stops changing (at most
    ``max_iter`` rounds); finish with unregularized least squares on the support.

    Parameters
    ----------
    Theta : ndarray, shape (n_samples, n_features)
    Y : ndarray, shape (n_samples, n_targets)
    threshold : float, default 0.1
    alpha : float, default 0.05
    max_iter : int, default 20
    constraints : (C, d), optional
        Equality constraints ``C @ Xi.ravel() = d`` imposed in every solve.

    Returns
    -------
    ndarray, shape (n_targets, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> Theta = np.c_[np.ones(50), np.linspace(0, 1, 50)]
    >>> stlsq(Theta, 3 * Theta[:, 1:], threshold=0.5).round(6)
    array([[0., 3.]])
    """
    Theta, Y = np.asarray(Theta, float), np.asarray(Y, float)
    n_targets, n_features = Y.shape[1], Theta.shape[1]
    cons = _check_constraints(constraints, n_targets, n_features)
    G, B = Theta.T @ Theta, Theta.T @ Y
    active = np.ones((n_targets, n_features), bool)
    coef = np.zeros((n_targets, n_features))
    for _ in range(max_iter):
        coef = _ridge_active(G, B, active, alpha, cons)
        new = active & (np.abs(coef) >= threshold)
        coef[~new] = 0.0
        changed = not np.array_equal(new, active)
        active = new
        if not changed or not active.any():
            break
    return _unbias(Theta, Y, G, B, np.abs(coef) > 1e-14, cons)


def sr3(Theta, Y, threshold: float = 0.1, nu: float = 1.0, penalty: str = "l0",
        max_iter: int = 1000, tol: float = 1e-8, constraints=None) -> np.ndarray:
    """Sparse relaxed regularized regression (Zheng et al. 2019; Champion et al. 2020).

    Minimises ``0.5 |Y - Theta Xi^T|^2 + lam R(W) + |Xi - W|^2 / (2 nu)`` by
    alternating a least-squares step in ``Xi`` (with the equality constraints)
    and the proximal step of ``R`` in ``W``. With ``penalty="l0"``
    (``lam = threshold^2 / (2 nu)``) the prox keeps entries larger than
    ``threshold``; with ``"l1"`` (``lam = threshold / nu``) it shrinks every
    entry by ``threshold``. The result is least squares on the support of ``W``.

    Parameters
    ----------
    Theta : ndarray, shape (n_samples, n_features)
    Y : ndarray, shape (n_samples, n_targets)
    threshold : float, default 0.1
    nu : float, default 1.0
        Relaxation: smaller ``nu`` ties ``Xi`` closer to the sparse ``W``.
    penalty : {"l0", "l1"}, default "l0"
    max_iter : int, default 1000
    tol : float, default 1e-8
        Stop when ``W`` changes by less than ``tol`` (max norm, relative).
    constraints : (C, d), optional

    Returns
    -------
    ndarray, shape (n_targets, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> Theta = rng.standard_normal((100, 4))
    >>> Y = Theta[:, [1]] * 1.5
    >>> sr3(Theta, Y, threshold=0.3, penalty="l1").round(6)
    array([[0. , 1.5, 0. , 0. ]])
    """
    Theta, Y = np.asarray(Theta, float), np.asarray(Y, float)
    n_targets, n_features = Y.shape[1], Theta.shape[1]
    cons = _check_constraints(constraints, n_targets, n_features)
    G, B = Theta.T @ Theta, Theta.T @ Y
    full = np.ones((n_targets, n_features), bool)
    H = G + np.eye(n_features) / nu
    if cons is None:
        L = np.linalg.cholesky(H)
    W = np.linalg.lstsq(Theta, Y, rcond=None)[0].T
    for _ in range(max_iter):
        if cons is None:
            Xi = np.linalg.solve(L.T, np.linalg.solve(L, B + W.T / nu)).T
        else:
            Xi = _kkt(G, B, full, 1.0 / nu, cons, extra=W / nu)
        if penalty == "l0":
            W_new = np.where(np.abs(Xi) >= threshold, Xi, 0.0)
        else:
            W_new = np.sign(Xi) * np.maximum(np.abs(Xi) - threshold, 0.0)
        step = np.abs(W_new - W).max()
        W = W_new
        if step <= tol * max(np.abs(W).max(), 1.0):
            break
    return _unbias(Theta, Y, G, B, np.abs(W) > 1e-14, cons)
