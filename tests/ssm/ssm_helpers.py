"""Shared fixtures: random stable linear-Gaussian models."""

from __future__ import annotations

import numpy as np

from lindy.ssm import LGSSMParams


def random_params(n=3, p=2, m=0, seed=0, time_varying_T=None) -> LGSSMParams:
    """A random stable model with full-rank covariances."""
    rng = np.random.default_rng(seed)

    def spd(k, scale=1.0):
        M = rng.standard_normal((k, k))
        return scale * (M @ M.T / k + 0.3 * np.eye(k))

    A = rng.standard_normal((n, n))
    A *= 0.95 / max(abs(np.linalg.eigvals(A)))
    kw = dict(A=A, C=rng.standard_normal((p, n)), Q=spd(n, 0.5), R=spd(p, 0.3),
              m0=rng.standard_normal(n), P0=spd(n))
    if m:
        kw["B"] = rng.standard_normal((n, m))
        kw["D"] = rng.standard_normal((p, m))
    if time_varying_T:
        T = time_varying_T
        kw["A"] = np.stack([A * (0.8 + 0.2 * np.cos(k)) for k in range(T)])
        kw["R"] = np.stack([kw["R"] * (1.0 + 0.5 * np.sin(k) ** 2) for k in range(T)])
        kw["time_varying"] = True
    return LGSSMParams(**kw)




def joint_gaussian(params: LGSSMParams, T: int, u=None):
    """Brute-force joint mean and covariance of (x_0..x_{T-1}, y_0..y_{T-1})."""
    n, p = params.state_dim, params.obs_dim
    m = params.input_dim
    u = np.zeros((T, m)) if u is None else u

    def at(name, k):
        M = params.stacked(name)
        return M[k] if M.shape[0] > 1 else M[0]

    mx = np.zeros((T, n))
    Sx = np.zeros((T * n, T * n))
    mx[0] = params.m0
    Sx[:n, :n] = params.P0
    for k in range(T - 1):
        A = at("A", k)
        mx[k + 1] = A @ mx[k] + at("B", k) @ u[k]
        rows = slice((k + 1) * n, (k + 2) * n)
        for j in range(k + 1):
            cj = slice(j * n, (j + 1) * n)
            Sx[rows, cj] = A @ Sx[k * n:(k + 1) * n, cj]
            Sx[cj, rows] = Sx[rows, cj].T
        Sx[rows, rows] = A @ Sx[k * n:(k + 1) * n, k * n:(k + 1) * n] @ A.T + at("Q", k)
    Cb = np.zeros((T * p, T * n))
    Rb = np.zeros((T * p, T * p))
    my = np.zeros(T * p)
    for k in range(T):
        Cb[k * p:(k + 1) * p, k * n:(k + 1) * n] = at("C", k)
        Rb[k * p:(k + 1) * p, k * p:(k + 1) * p] = at("R", k)
        my[k * p:(k + 1) * p] = at("C", k) @ mx[k] + at("D", k) @ u[k]
    Sxy = Sx @ Cb.T
    Syy = Cb @ Sx @ Cb.T + Rb
    return mx.ravel(), my, Sx, Sxy, Syy


def condition(params, y, upto, u=None):
    """E[x | observed y_0..y_upto] and its covariance, plus log p(observed y)."""
    T, p = y.shape
    n = params.state_dim
    mx, my, Sx, Sxy, Syy = joint_gaussian(params, T, u)
    obs = ~np.isnan(y.ravel())
    obs[(upto + 1) * p:] = False
    yo = y.ravel()[obs]
    S = Syy[np.ix_(obs, obs)]
    K = np.linalg.solve(S, Sxy[:, obs].T).T
    mean = mx + K @ (yo - my[obs])
    cov = Sx - K @ Sxy[:, obs].T
    r = yo - my[obs]
    ll = -0.5 * (len(yo) * np.log(2 * np.pi) + np.linalg.slogdet(S)[1] + r @ np.linalg.solve(S, r))
    return mean.reshape(T, n), cov, ll
