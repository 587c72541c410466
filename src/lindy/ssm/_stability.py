"""Stable projection of an identified linear state-space model.

Subspace identification on measured data can return an ``A`` with eigenvalues
outside the unit circle (noise, nonlinearity, a state dimension the data do
not support), and its free run then diverges. :func:`stabilize` reflects each
such eigenvalue into the unit circle, ``lambda -> 1 / conj(lambda)`` (the
reflection that keeps the modulus of every mode's frequency response up to a
constant, as in Ljung's stabilization of predictors), and then refits ``B``
and ``D`` (with the output offset and the initial states) by linear least
squares on the free-run output error for the new ``A`` and the identified
``C``: for fixed ``(A, C)`` the simulated output is linear in ``(B, D, x0)``,
so this is the simulation-error optimum over those parameters (the
output-error step of MOESP-type methods; Verhaegen and Verdult 2007, ch. 9).

Eigenvalues within ``UNIT_TOL`` of the unit circle count as marginally stable
(an integrator identified from noisy data: a DC motor's came out at
``1 + 1.8e-6`` and ``1 - 6e-6`` over three noise seeds); they are neither
reflected nor reported as unstable.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from ._params import LGSSMParams

__all__ = ["reflect_unstable", "refit_input_maps", "spectral_radius", "UNIT_TOL"]

#: eigenvalue moduli up to ``1 + UNIT_TOL`` are marginally stable (unit roots)
UNIT_TOL = 1e-5

def spectral_radius(A) -> float:
    """Largest eigenvalue modulus of ``A``.

    Examples
    --------
    >>> spectral_radius([[0.5, 1.0], [0.0, -1.2]])
    1.2
    """
    return float(np.abs(np.linalg.eigvals(np.asarray(A, dtype=float))).max())


def reflect_unstable(A) -> np.ndarray:
    """``A`` with every eigenvalue of modulus > ``1 + UNIT_TOL`` reflected to ``1 / conj(lambda)``.

    Eigenvectors are kept; the result is real for a real ``A`` (conjugate pairs
    stay paired) and has spectral radius at most ``1 + UNIT_TOL``.

    Examples
    --------
    >>> import numpy as np
    >>> np.sort(np.linalg.eigvals(reflect_unstable([[2.0, 1.0], [0.0, 0.5]])))
    array([0.5, 0.5])
    """
    A = np.asarray(A, dtype=float)
    lam, V = np.linalg.eig(A)
    r = np.abs(lam)
    bad = r > 1.0 + UNIT_TOL
    if not bad.any():
        return A.copy()
    new = lam.copy()
    new[bad] = lam[bad] / r[bad] ** 2
    return np.real(V @ np.diag(new) @ np.linalg.inv(V))


def _modal(A):
    lam, V = np.linalg.eig(A)
    return lam, V, np.linalg.inv(V)


def refit_input_maps(params: LGSSMParams, ys, us, free_inputs: int, *,
                     feedthrough: bool = True) -> LGSSMParams:
    """Least-squares ``B[:, :free_inputs]`` and ``D`` for the free-run output error.

    ``ys`` are output sequences ``(T, p)`` and ``us`` their inputs ``(T, m)``
    (``m = params.input_dim``); each sequence gets its own initial state. The
    input columns from ``free_inputs`` on (a constant offset input) keep ``B``
    at zero, so their ``D`` columns are output offsets. With
    ``feedthrough=False`` the first ``free_inputs`` columns of ``D`` are held
    at zero.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams
    >>> from lindy.ssm._free_run import free_response
    >>> true = LGSSMParams(A=[[0.8]], B=[[2.0]], C=[[1.0]], D=[[0.5]], Q=[[1.0]],
    ...                    R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> u = np.random.default_rng(0).standard_normal((50, 1))
    >>> y = free_response(true, [3.0], u)
    >>> start = true.replace(B=[[0.0]], D=[[0.0]])
    >>> fit = refit_input_maps(start, [y], [u], free_inputs=1)
    >>> float(fit.B[0, 0]).__round__(10), float(fit.D[0, 0]).__round__(10)
    (2.0, 0.5)
    """
    n, p, m = params.state_dim, params.obs_dim, params.input_dim
    lam, V, Vinv = _modal(params.A)
    CV = params.C @ V
    rows, targets = [], []
    n_x0 = n * len(ys)
    for s, (y, u) in enumerate(zip(ys, us)):
        T = y.shape[0]
        cols = []
        for j in range(free_inputs):  # B[i, j]: the modal responses to input j
            F = np.stack([lfilter([0.0, 1.0], [1.0, -lr], u[:, j]) for lr in lam], axis=1)
            cols += [np.real((F * Vinv[:, i]) @ CV.T) for i in range(n)]
        for j in range(0 if feedthrough else free_inputs, m):  # D[:, j]
            cols += [np.outer(u[:, j], np.eye(p)[q]) for q in range(p)]
        powers = lam[None, :] ** np.arange(T)[:, None]
        x0_cols = [np.real((powers * Vinv[:, i]) @ CV.T) for i in range(n)]
        zero = np.zeros((T, p))
        cols += [x0_cols[i - s * n] if s * n <= i < (s + 1) * n else zero for i in range(n_x0)]
        rows.append(np.stack([c.ravel() for c in cols], axis=1))
        targets.append(y.ravel())
    theta = np.linalg.lstsq(np.vstack(rows), np.concatenate(targets), rcond=None)[0]
    nb = n * free_inputs
    B = params.B.copy()
    B[:, :free_inputs] = theta[:nb].reshape(free_inputs, n).T
    d_from = 0 if feedthrough else free_inputs
    D = np.zeros((p, m))
    D[:, d_from:] = theta[nb:nb + p * (m - d_from)].reshape(m - d_from, p).T
    return params.replace(B=B, D=D)
