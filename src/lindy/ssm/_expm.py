"""Matrix exponential of a stack of small matrices (scaling and squaring, Padé 8/8).

``scipy.linalg.expm`` costs milliseconds per small matrix on some builds;
state-space GPs on irregular grids need one exponential per time step, so this
vectorized version works on the whole stack at once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["expm_stack"]

_Q = 8
_C = [1.0]
for _j in range(1, _Q + 1):
    _C.append(_C[-1] * (_Q - _j + 1) / (_j * (2 * _Q - _j + 1)))


def expm_stack(M: np.ndarray) -> np.ndarray:
    """``exp(M[k])`` for every matrix of a stack ``M (K, n, n)``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.linalg import expm
    >>> M = np.array([[[0.0, 1.0], [-4.0, -0.5]], [[-30.0, 2.0], [0.0, 1e-3]]])
    >>> bool(np.allclose(expm_stack(M), np.stack([expm(m) for m in M]), rtol=1e-13, atol=1e-15))
    True
    """
    M = np.asarray(M, dtype=float)
    K, n, _ = M.shape
    norm = np.abs(M).sum(axis=1).max(axis=1)
    s = np.maximum(0, np.ceil(np.log2(np.maximum(norm, 1e-300) / 0.5))).astype(int)
    A = M / (2.0 ** s)[:, None, None]
    eye = np.broadcast_to(np.eye(n), (K, n, n))
    N = _C[0] * eye.copy()
    D = _C[0] * eye.copy()
    P = eye.copy()
    for j in range(1, _Q + 1):
        P = P @ A
        N = N + _C[j] * P
        D = D + ((-1) ** j) * _C[j] * P
    E = np.linalg.solve(D, N)
    for k in range(int(s.max()) if K else 0):
        sq = s > k
        E[sq] = E[sq] @ E[sq]
    return E
