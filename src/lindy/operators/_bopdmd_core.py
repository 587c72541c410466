"""Optimized DMD by variable projection (Askham and Kutz 2018), pure functions.

Model: ``X_i(t) ≈ Phi(alpha, t) B_i`` for every trajectory ``i``, with
``Phi(alpha, t)[k, j] = exp(alpha_j t_k)`` and continuous-time eigenvalues
``alpha`` shared by all trajectories. For fixed ``alpha`` the amplitudes
``B_i`` are a linear least-squares solution, so only ``alpha`` is optimized
(Golub and Pereyra's variable projection), here by Levenberg-Marquardt with
Kaufman's Jacobian. Times may be irregular.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import ConvergenceError, ValidationError

__all__ = ["VarproResult", "varpro_fit", "trapezoid_eigs"]


class VarproResult(NamedTuple):
    """Result of :func:`varpro_fit`.

    Attributes
    ----------
    alpha : ndarray, shape (r,)
        Continuous-time eigenvalues.
    amplitudes : list of ndarray, shape (r, q)
        ``B_i`` per trajectory (rows: exponentials, columns: data coordinates).
    residual : float
        Relative residual ``||X - Phi B|| / ||X||`` over all trajectories.
    n_iter : int
    converged : bool
    """

    alpha: np.ndarray
    amplitudes: list
    residual: float
    n_iter: int
    converged: bool


def trapezoid_eigs(ts, Xs, r: int) -> np.ndarray:
    """Initial continuous-time eigenvalues from a trapezoidal-rule linear fit.

    Fits ``(x_{k+1} - x_k) / (t_{k+1} - t_k) ≈ A (x_{k+1} + x_k) / 2`` by least
    squares over all trajectories (irregular times allowed) and returns the
    ``r`` eigenvalues of ``A`` (Askham and Kutz's suggested initial guess).

    Examples
    --------
    >>> t = np.linspace(0, 5, 200)
    >>> X = np.column_stack([np.cos(t), np.sin(t)])
    >>> np.sort_complex(trapezoid_eigs([t], [X], 2)).round(3)
    array([0.-1.j, 0.+1.j])
    """
    D, S = [], []
    for t, X in zip(ts, Xs):
        h = np.diff(t)[:, None]
        D.append((X[1:] - X[:-1]) / h)
        S.append(0.5 * (X[1:] + X[:-1]))
    D, S = np.concatenate(D), np.concatenate(S)
    At = np.linalg.lstsq(S, D, rcond=None)[0]  # D ≈ S A^T
    lam = np.linalg.eigvals(At)
    return lam[np.argsort(-np.abs(lam))][:r]


def _basis(alpha, t):
    return np.exp(np.outer(t, alpha))


def _solve(alpha, ts, Xs):
    """Amplitudes, residual blocks and the QR factors per trajectory."""
    out = []
    for t, X in zip(ts, Xs):
        Phi = _basis(alpha, t)
        Q, R = np.linalg.qr(Phi)
        B = np.linalg.lstsq(R, Q.conj().T @ X, rcond=None)[0]
        out.append((Phi, Q, B, X - Phi @ B))
    return out


def _cost(blocks) -> float:
    return float(sum(np.vdot(Rs, Rs).real for _, _, _, Rs in blocks))


def _jacobian(alpha, ts, blocks):
    """Kaufman's variable-projection Jacobian of the stacked residual, shape (sum T q, r)."""
    parts = []
    for t, (Phi, Q, B, _) in zip(ts, blocks):
        D = t[:, None] * Phi  # d Phi / d alpha_j, column j
        Dp = D - Q @ (Q.conj().T @ D)  # (I - P) dPhi_j
        parts.append(-(Dp[:, None, :] * B.T[None, :, :]).reshape(-1, alpha.shape[0]))
    return np.concatenate(parts)


def varpro_fit(ts, Xs, alpha0, *, max_iter: int = 100, tol: float = 1e-12,
               lam0: float = 1.0, raise_on_failure: bool = False, project=None) -> VarproResult:
    """Optimized DMD: minimize ``sum_i ||X_i - Phi(alpha, t_i) B_i||^2`` over ``alpha``.

    Parameters
    ----------
    ts : list of ndarray (T_i,)
        Sample times (any spacing).
    Xs : list of ndarray (T_i, q)
        Data (usually projected on a few POD modes).
    alpha0 : ndarray, shape (r,)
        Initial continuous-time eigenvalues.
    max_iter : int
    tol : float
        Stop when the relative decrease of the cost or the step falls below ``tol``.
    lam0 : float
        Initial Levenberg-Marquardt damping (relative to the Jacobian scale).
    raise_on_failure : bool
        Raise :class:`~lindy.errors.ConvergenceError` if ``max_iter`` is reached.
    project : callable, optional
        ``project(alpha) -> alpha`` applied after every step (eigenvalue
        constraints such as stability).

    Returns
    -------
    VarproResult

    Examples
    --------
    >>> t = np.sort(np.random.default_rng(0).uniform(0, 10, 300))
    >>> X = np.column_stack([np.exp(-0.1 * t) * np.cos(2 * t), np.exp(-0.1 * t) * np.sin(2 * t)])
    >>> res = varpro_fit([t], [X], np.array([-0.2 + 1.9j, -0.2 - 1.9j]))
    >>> np.sort_complex(res.alpha).round(8)
    array([-0.1-2.j, -0.1+2.j])
    """
    alpha = np.asarray(alpha0, dtype=complex).copy()
    project = project or (lambda a: a)
    alpha = project(alpha)
    if alpha.ndim != 1 or alpha.size == 0:
        raise ValidationError(f"alpha0 must be a non-empty 1-D array; got shape {alpha.shape}.")
    Xs = [np.asarray(X, dtype=complex) for X in Xs]
    total = sum(np.vdot(X, X).real for X in Xs) or 1.0
    blocks = _solve(alpha, ts, Xs)
    cost = _cost(blocks)
    lam = None
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - it is reported after the loop
        J = _jacobian(alpha, ts, blocks)
        rvec = np.concatenate([Rs.ravel() for _, _, _, Rs in blocks])
        JhJ = J.conj().T @ J
        g = J.conj().T @ rvec
        scale = np.real(np.diag(JhJ)).max() or 1.0
        lam = lam0 * scale if lam is None else lam
        improved = False
        for _ in range(30):
            step = np.linalg.solve(JhJ + lam * np.diag(np.maximum(np.real(np.diag(JhJ)), 1e-12 * scale)),
                                   -g)
            trial = project(alpha + step)
            tblocks = _solve(trial, ts, Xs)
            tcost = _cost(tblocks)
            if np.isfinite(tcost) and tcost < cost:
                improved = True
                break
            lam *= 10.0
        if not improved:
            converged = True  # no descent direction left: at a (local) minimum
            break
        rel = (cost - tcost) / max(cost, 1e-300)
        small_step = np.linalg.norm(step) <= tol * max(np.linalg.norm(alpha), 1.0)
        alpha, blocks, cost = trial, tblocks, tcost
        lam = max(lam / 3.0, 1e-15 * scale)
        if rel < tol or small_step or cost / total < 1e-28:
            converged = True
            break
    if raise_on_failure and not converged:
        raise ConvergenceError(
            f"Optimized DMD did not converge in {max_iter} iterations (relative residual "
            f"{np.sqrt(cost / total):.3g}); raise max_iter or lower the rank.")
    return VarproResult(alpha, [B for _, _, B, _ in blocks], float(np.sqrt(cost / total)), it,
                        converged)
