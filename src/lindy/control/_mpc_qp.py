"""The condensed quadratic program of linear MPC, as pure functions of arrays.

Model ``x[k+1] = A x[k] + B u[k]``, regulated output ``y = C x``. Over a
horizon ``H`` with decision ``U = [u_0; ...; u_{H-1}]`` the predicted states are
``X = [x_1; ...; x_H] = Phi x_0 + Gamma U`` and the cost is::

    sum_{k=1}^{H-1} (C x_k - r_k)' Q (C x_k - r_k) + (x_H - x_s)' P (x_H - x_s)
        + sum_{k=0}^{H-1} (u_k - u_s)' R (u_k - u_s)

where ``(x_s, u_s)`` is the steady state with ``C x_s = r_H``. As a QP in
``U``: ``min 1/2 U' H U + q' U`` subject to ``l <= G U <= h``. Everything that
depends on the current state, the reference or the previous input enters only
``q``, ``l`` and ``h`` (affine maps stored in :class:`CondensedQP`), so the
matrices are built once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg

#: OSQP's infinity: larger bounds are treated as absent
BIG = 1e30


@dataclass(frozen=True, eq=False)
class CondensedQP:
    """Matrices of the condensed MPC problem and the affine maps to its vectors.

    ``q = q_x @ x0 - q_w @ w + q_u @ u_s`` with ``w`` the stacked weighted
    references; ``l = l0 + L_x @ x0 + L_u @ u_prev`` and the same for ``h``.
    """

    H: np.ndarray          # (Hm, Hm) Hessian
    G: np.ndarray          # (n_con, Hm) constraint matrix
    q_x: np.ndarray        # (Hm, n)
    q_w: np.ndarray        # (Hm, Hn)  Gamma'
    q_u: np.ndarray        # (Hm, m)   -stacked R
    q0: np.ndarray         # constant part of q (the slack's linear penalty)
    l0: np.ndarray
    h0: np.ndarray
    L_x: np.ndarray        # (n_con, n)
    L_u: np.ndarray        # (n_con, m)
    Phi: np.ndarray        # (Hn, n)
    Gamma: np.ndarray      # (Hn, Hm)
    horizon: int
    n_slack: int = 0


def prediction_matrices(A: np.ndarray, B: np.ndarray, horizon: int):
    """``Phi (Hn, n)``, ``Gamma (Hn, Hm)`` with ``[x_1..x_H] = Phi x_0 + Gamma [u_0..u_{H-1}]``.

    Examples
    --------
    >>> import numpy as np
    >>> Phi, Gamma = prediction_matrices(np.array([[2.0]]), np.array([[1.0]]), 3)
    >>> Phi.ravel(), Gamma
    (array([2., 4., 8.]), array([[1., 0., 0.],
           [2., 1., 0.],
           [4., 2., 1.]]))
    """
    n, m = B.shape
    Phi = np.empty((horizon * n, n))
    AkB = np.empty((horizon, n, m))  # A^k B
    P, AB = A.copy(), B.copy()
    for k in range(horizon):
        Phi[k * n:(k + 1) * n] = P
        AkB[k] = AB
        P, AB = A @ P, A @ AB
    Gamma = np.zeros((horizon * n, horizon * m))
    for i in range(horizon):
        for j in range(i + 1):
            Gamma[i * n:(i + 1) * n, j * m:(j + 1) * m] = AkB[i - j]
    return Phi, Gamma


def _bounds(bounds, size: int, name: str):
    if bounds is None:
        return np.full(size, -np.inf), np.full(size, np.inf)
    lo, hi = bounds
    lo = np.broadcast_to(np.asarray(lo, dtype=float), (size,)).copy()
    hi = np.broadcast_to(np.asarray(hi, dtype=float), (size,)).copy()
    if np.any(np.isnan(lo)) or np.any(np.isnan(hi)) or np.any(lo > hi):
        from ..errors import ValidationError

        raise ValidationError(f"{name} must be (lower, upper) with lower <= upper; got {bounds!r}.")
    return lo, hi


def condensed_qp(A, B, C, Q, R, P, horizon: int, *, u_bounds=None, x_bounds=None,
                 du_bounds=None, constraints=None, soft_penalty=None) -> CondensedQP:
    """Build the condensed MPC problem (see the module docstring).

    Parameters
    ----------
    A, B, C : ndarray
        Model ``x+ = A x + B u``, regulated output ``y = C x`` (p rows).
    Q (p, p), R (m, m), P (n, n) : ndarray
        Stage output weight, input weight, terminal state weight.
    horizon : int
    u_bounds, x_bounds, du_bounds : (lower, upper), optional
        Bounds on every ``u_k``, every ``y_k = C x_k`` (``k = 1..H``) and every
        input move ``u_k - u_{k-1}`` (``u_{-1}`` the previously applied input).
    constraints : (F, E, lower, upper), optional
        Mixed constraints ``lower <= F x_k + E u_k <= upper``, ``k = 0..H-1``.
    soft_penalty : float, optional
        Soften ``x_bounds`` with one slack ``s >= 0`` (``lower - s <= y_k <= upper + s``)
        costing ``soft_penalty * (s + s^2)``; a large penalty is exact when the
        hard problem is feasible and keeps the problem feasible when the model is wrong.

    Returns
    -------
    CondensedQP

    Examples
    --------
    >>> import numpy as np
    >>> qp = condensed_qp(np.eye(1), np.eye(1), np.eye(1), np.eye(1), np.eye(1), np.eye(1), 4,
    ...                   u_bounds=(-1, 1))
    >>> qp.H.shape, qp.G.shape
    ((4, 4), (4, 4))
    """
    n, m = B.shape
    p = C.shape[0]
    Hm = horizon * m
    Phi, Gamma = prediction_matrices(A, B, horizon)
    W = C.T @ Q @ C
    Wbar = linalg.block_diag(*([W] * (horizon - 1) + [P]))
    Rbar = linalg.block_diag(*([R] * horizon))
    GW = Gamma.T @ Wbar
    H = GW @ Gamma + Rbar
    H = 0.5 * (H + H.T)
    rows, lo, hi, Lx, Lu = [], [], [], [], []

    slacked = []

    def add(G, l0, h0, Lx_, Lu_, slack=False):
        keep = np.isfinite(l0) | np.isfinite(h0)
        if keep.any():
            slacked.append(slack)
            rows.append(G[keep])
            lo.append(np.clip(l0[keep], -BIG, BIG))
            hi.append(np.clip(h0[keep], -BIG, BIG))
            Lx.append(Lx_[keep])
            Lu.append(Lu_[keep])

    ul, uh = _bounds(u_bounds, m, "u_bounds")
    add(np.eye(Hm), np.tile(ul, horizon), np.tile(uh, horizon), np.zeros((Hm, n)), np.zeros((Hm, m)))
    if du_bounds is not None:
        dl, dh = _bounds(du_bounds, m, "du_bounds")
        D = np.eye(Hm) - np.eye(Hm, k=-m)
        Lu_ = np.zeros((Hm, m))
        Lu_[:m] = np.eye(m)
        add(D, np.tile(dl, horizon), np.tile(dh, horizon), np.zeros((Hm, n)), Lu_)
    soft = x_bounds is not None and soft_penalty is not None
    if x_bounds is not None:
        yl, yh = _bounds(x_bounds, p, "x_bounds")
        Cbar = linalg.block_diag(*([C] * horizon))
        CG, CP, zu = Cbar @ Gamma, -Cbar @ Phi, np.zeros((horizon * p, m))
        if soft:  # the slack is the last decision variable: two one-sided row groups
            one = np.ones((horizon * p, 1))
            inf = np.full(horizon * p, np.inf)
            add(np.hstack([CG, -one]), -inf, np.tile(yh, horizon), CP, zu, slack=True)
            add(np.hstack([CG, one]), np.tile(yl, horizon), inf, CP, zu, slack=True)
        else:
            add(CG, np.tile(yl, horizon), np.tile(yh, horizon), CP, zu)
    if constraints is not None:
        F, E, cl, ch = constraints
        F, E = np.atleast_2d(np.asarray(F, float)), np.atleast_2d(np.asarray(E, float))
        c = F.shape[0]
        cl, ch = _bounds((cl, ch), c, "constraints bounds")
        # x_k for k = 0..H-1: x_0, then rows 0..H-2 of the prediction
        Phi0 = np.vstack([np.eye(n), Phi[:-n]])
        Gam0 = np.vstack([np.zeros((n, Hm)), Gamma[:-n]])
        Fbar, Ebar = linalg.block_diag(*([F] * horizon)), linalg.block_diag(*([E] * horizon))
        add(Fbar @ Gam0 + Ebar, np.tile(cl, horizon), np.tile(ch, horizon), -Fbar @ Phi0,
            np.zeros((horizon * c, m)))
    n_slack = int(soft)
    if soft:  # widen the other rows with a zero column and add s >= 0
        rows = [g if sl else np.hstack([g, np.zeros((g.shape[0], 1))]) for g, sl in zip(rows, slacked)]
        e = np.zeros((1, Hm + 1))
        e[0, -1] = 1.0
        rows.append(e)
        lo.append(np.zeros(1))
        hi.append(np.full(1, BIG))
        Lx.append(np.zeros((1, n)))
        Lu.append(np.zeros((1, m)))
    if rows:
        G, l0, h0 = np.vstack(rows), np.concatenate(lo), np.concatenate(hi)
        L_x, L_u = np.vstack(Lx), np.vstack(Lu)
    else:
        G, l0, h0 = np.zeros((0, Hm)), np.zeros(0), np.zeros(0)
        L_x, L_u = np.zeros((0, n)), np.zeros((0, m))
    q_x, q_w, q_u = GW @ Phi, Gamma.T, -np.tile(R, (horizon, 1))
    q0 = np.zeros(Hm + n_slack)
    if soft:
        rho = float(soft_penalty)
        H = linalg.block_diag(H, [[rho]])
        q0[-1] = 0.5 * rho  # the QP objective is half the cost
        q_x, q_w, q_u = (np.vstack([M, np.zeros((1, M.shape[1]))]) for M in (q_x, q_w, q_u))
    return CondensedQP(H=H, G=G, q_x=q_x, q_w=q_w, q_u=q_u, q0=q0, l0=l0, h0=h0, L_x=L_x,
                       L_u=L_u, Phi=Phi, Gamma=Gamma, horizon=horizon, n_slack=n_slack)


def steady_target(A, B, C, r):
    """A steady state ``(x_s, u_s)`` with ``x_s = A x_s + B u_s`` and ``C x_s = r`` (least squares).

    Examples
    --------
    >>> import numpy as np
    >>> xs, us = steady_target(np.array([[0.5]]), np.array([[1.0]]), np.eye(1), np.array([2.0]))
    >>> xs, us
    (array([2.]), array([1.]))
    """
    n, m = B.shape
    M = np.block([[A - np.eye(n), B], [C, np.zeros((C.shape[0], m))]])
    rhs = np.concatenate([np.zeros(n), r])
    sol = np.linalg.lstsq(M, rhs, rcond=None)[0]
    return sol[:n], sol[n:]


def qp_vectors(qp: CondensedQP, C, Q, P, x0, refs, x_s, u_s, u_prev):
    """``(q, l, h)`` for the current state, references ``refs (H, p)``, target and last input."""
    horizon = qp.horizon
    w = np.concatenate([(refs[:horizon - 1] @ (Q @ C)).ravel(), P @ x_s])
    q = qp.q0 + qp.q_x @ x0 - qp.q_w @ w + qp.q_u @ u_s
    shift = qp.L_x @ x0 + qp.L_u @ u_prev
    return q, np.clip(qp.l0 + shift, -BIG, BIG), np.clip(qp.h0 + shift, -BIG, BIG)


def polish(H, q, G, lo, hi, x, y, tol=1e-7):
    """Refine an approximate QP solution by solving the KKT system of its active set.

    ``y`` are the constraint multipliers (negative: lower bound active, positive:
    upper). The refined point is returned only if it is feasible and its
    multipliers have the right signs; otherwise ``x`` is returned unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> polish(np.eye(1), np.array([-2.0]), np.eye(1), np.array([-1.0]), np.array([1.0]),
    ...        np.array([0.999]), np.array([0.9]))
    array([1.])
    """
    scale = max(1.0, float(np.abs(y).max()) if y.size else 1.0)
    up, low = y > tol * scale, y < -tol * scale
    act = up | low
    b = np.where(up, hi, lo)[act]
    Ga = G[act]
    k = Ga.shape[0]
    if k >= H.shape[0] + 1:
        return x
    K = np.block([[H, Ga.T], [Ga, np.zeros((k, k))]])
    try:
        sol = np.linalg.solve(K, np.concatenate([-q, b]))
    except np.linalg.LinAlgError:
        return x
    xp, lam = sol[:H.shape[0]], sol[H.shape[0]:]
    r = G @ xp
    feas = np.all(r >= lo - 1e-9 * (1 + np.abs(lo))) and np.all(r <= hi + 1e-9 * (1 + np.abs(hi)))
    signs = np.all(lam[up[act]] >= -1e-9) and np.all(lam[low[act]] <= 1e-9)
    return xp if feas and signs and np.all(np.isfinite(xp)) else x
