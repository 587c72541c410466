"""Iterative LQR (Li and Todorov 2004; Tassa, Erez and Todorov 2012) with finite-difference derivatives.

Each iteration linearizes the dynamics and takes a quadratic model of the cost
along the current trajectory, solves the resulting time-varying LQR backwards
(Levenberg-Marquardt regularization of ``Q_uu``) and rolls the new feedback
policy forward with a backtracking line search on the feed-forward term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg

from .._validation import check_array, check_positive_int

__all__ = ["ilqr", "ILQRResult"]


@dataclass(frozen=True, eq=False)
class ILQRResult:
    """The locally optimal trajectory found by :func:`ilqr`.

    Attributes
    ----------
    x : ndarray (horizon + 1, n)
        States, ``x[0] = x0``.
    u : ndarray (horizon, m)
        Inputs.
    K : ndarray (horizon, m, n)
        Feedback gains of the last backward pass (``u = u[k] + K[k] (x - x[k])``).
    cost : float
    cost_history : ndarray
        Cost after each accepted iteration (starting with the initial guess).
    n_iter : int
    converged : bool

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> res = ld.control.ilqr(lambda x, u: x + u, lambda x, u: float(x @ x + u @ u), [1.0], np.zeros((3, 1)))
    >>> res.x.shape, res.u.shape, res.K.shape
    ((4, 1), (3, 1), (3, 1, 1))
    """

    x: np.ndarray
    u: np.ndarray
    K: np.ndarray
    cost: float
    cost_history: np.ndarray
    n_iter: int
    converged: bool


def _jacobians(f, x, u, eps):
    n, m = x.shape[0], u.shape[0]
    fx, fu = np.empty((n, n)), np.empty((n, m))
    for j in range(n):
        e = np.zeros(n)
        e[j] = eps * max(1.0, abs(x[j]))
        fx[:, j] = (f(x + e, u) - f(x - e, u)) / (2 * e[j])
    for j in range(m):
        e = np.zeros(m)
        e[j] = eps * max(1.0, abs(u[j]))
        fu[:, j] = (f(x, u + e) - f(x, u - e)) / (2 * e[j])
    return fx, fu


def _grad_hess(g, z, eps):
    """Central-difference gradient and Hessian of a scalar function."""
    k = z.shape[0]
    grad, hess = np.empty(k), np.empty((k, k))
    g0 = g(z)
    h = eps * np.maximum(1.0, np.abs(z))
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        gp, gm = g(z + ei), g(z - ei)
        grad[i] = (gp - gm) / (2 * h[i])
        hess[i, i] = (gp - 2 * g0 + gm) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = h[j]
            hess[i, j] = hess[j, i] = (g(z + ei + ej) - g(z + ei - ej) - g(z - ei + ej)
                                       + g(z - ei - ej)) / (4 * h[i] * h[j])
    return grad, hess


def _rollout(f, cost, terminal, x0, u):
    x = np.empty((u.shape[0] + 1, x0.shape[0]))
    x[0] = x0
    total = 0.0
    for k in range(u.shape[0]):
        total += float(cost(x[k], u[k]))
        x[k + 1] = f(x[k], u[k])
    return x, total + float(terminal(x[-1]))


def ilqr(dynamics, cost, x0, u_init, *, terminal_cost=None, jacobians=None, max_iter=100,
         tol=1e-8, eps=1e-5) -> ILQRResult:
    """Locally optimal control of ``x[k+1] = dynamics(x[k], u[k])`` by iterative LQR.

    Minimises ``sum_k cost(x[k], u[k]) + terminal_cost(x[H])`` from ``x0``.

    Parameters
    ----------
    dynamics : callable
        ``dynamics(x (n,), u (m,)) -> x_next (n,)`` (e.g. ``lambda x, u:
        lindy.control.plant_step(plant, x, u, ...)`` or a learned model).
    cost : callable
        Stage cost ``cost(x, u) -> float`` (twice differentiable).
    x0 : array_like (n,)
    u_init : array_like (horizon, m)
        Initial input sequence.
    terminal_cost : callable, optional
        ``terminal_cost(x) -> float`` (default zero).
    jacobians : callable, optional
        ``jacobians(x, u) -> (A (n, n), B (n, m))``; default central differences.
    max_iter : int, default 100
    tol : float, default 1e-8
        Stop when the relative cost decrease falls below ``tol``.
    eps : float, default 1e-5
        Relative finite-difference step.

    Returns
    -------
    ILQRResult

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> f = lambda x, u: np.array([x[0] + 0.1 * x[1], x[1] + 0.1 * (np.sin(x[0]) + u[0])])
    >>> cost = lambda x, u: float(x @ x + 0.1 * u @ u)
    >>> res = ld.control.ilqr(f, cost, [1.0, 0.0], np.zeros((30, 1)))
    >>> bool(res.converged and res.cost < res.cost_history[0])
    True
    """
    x0 = check_array(x0, "x0", ndim=1)
    u = check_array(u_init, "u_init", ndim=(1, 2)).copy()
    u = u[:, None] if u.ndim == 1 else u
    max_iter = check_positive_int(max_iter, "max_iter")
    terminal = terminal_cost if terminal_cost is not None else (lambda x: 0.0)

    def f(x, uu):
        return np.asarray(dynamics(x, uu), dtype=float)

    jac = jacobians if jacobians is not None else (lambda x, uu: _jacobians(f, x, uu, eps))
    H, m = u.shape
    n = x0.shape[0]
    x, J = _rollout(f, cost, terminal, x0, u)
    history, mu, converged = [J], 1e-6, False
    K = np.zeros((H, m, n))
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - it is reported
        Vx, Vxx = _grad_hess(lambda z: float(terminal(z)), x[-1], eps * 10)
        kff = np.zeros((H, m))
        ok = True
        for k in range(H - 1, -1, -1):
            A, B = jac(x[k], u[k])
            g, Hs = _grad_hess(lambda z, k=k: float(cost(z[:n], z[n:])), np.concatenate([x[k], u[k]]),
                               eps * 10)
            Qx, Qu = g[:n] + A.T @ Vx, g[n:] + B.T @ Vx
            Qxx = Hs[:n, :n] + A.T @ Vxx @ A
            Quu = Hs[n:, n:] + B.T @ Vxx @ B + mu * np.eye(m)
            Qux = Hs[n:, :n] + B.T @ Vxx @ A
            try:
                cf = linalg.cho_factor(0.5 * (Quu + Quu.T))
            except np.linalg.LinAlgError:
                ok = False
                break
            kff[k] = -linalg.cho_solve(cf, Qu)
            K[k] = -linalg.cho_solve(cf, Qux)
            Vx = Qx + K[k].T @ Quu @ kff[k] + K[k].T @ Qu + Qux.T @ kff[k]
            Vxx = Qxx + K[k].T @ Quu @ K[k] + K[k].T @ Qux + Qux.T @ K[k]
            Vxx = 0.5 * (Vxx + Vxx.T)
        if not ok:
            mu = max(mu * 10, 1e-6)
            continue
        accepted = False
        for alpha in 0.5 ** np.arange(10):
            xn, un = np.empty_like(x), np.empty_like(u)
            xn[0], Jn = x0, 0.0
            for k in range(H):
                un[k] = u[k] + alpha * kff[k] + K[k] @ (xn[k] - x[k])
                Jn += float(cost(xn[k], un[k]))
                xn[k + 1] = f(xn[k], un[k])
            Jn += float(terminal(xn[-1]))
            if np.isfinite(Jn) and Jn < J:
                accepted = True
                break
        if not accepted:
            mu *= 10
            if mu > 1e10:
                converged = True  # no descent direction left: a local minimum to numerical precision
                break
            continue
        decrease = (J - Jn) / max(abs(J), 1e-300)
        x, u, J = xn, un, Jn
        history.append(J)
        mu = max(mu / 10, 1e-9)
        if decrease < tol:
            converged = True
            break
    return ILQRResult(x=x, u=u, K=K, cost=float(J), cost_history=np.array(history), n_iter=it,
                      converged=converged)
