"""Free-run simulation of linear state-space models and their initial state from a window.

Pure functions of :class:`LGSSMParams`: the noise-free response
``x_{k+1} = A x_k + B u_k``, ``y_k = C x_k + D u_k`` from a given state, and
the least-squares initial state that best explains a short output window,
``min_x0 sum_k |y_k - C A^k x0 - (forced response)_k|^2`` (the observability
matrix of the window times ``x0``).
"""

from __future__ import annotations

import numpy as np

from ..errors import ValidationError
from ._params import LGSSMParams

__all__ = ["free_response", "initial_state"]


def free_response(params: LGSSMParams, x0, u) -> np.ndarray:
    """Noise-free outputs ``(T, p)`` of the model from state ``x0`` under inputs ``u (T, m)``.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams
    >>> params = LGSSMParams(A=[[0.5]], B=[[1.0]], C=[[2.0]], D=[[0.0]], Q=[[1.0]],
    ...                      R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> free_response(params, [1.0], np.ones((3, 1))).ravel()
    array([2. , 3. , 3.5])
    """
    A, C = params.A, params.C
    x = np.asarray(x0, dtype=float).copy()
    u = np.asarray(u, dtype=float)
    drive = u @ params.B.T if params.input_dim else np.zeros((u.shape[0], params.state_dim))
    feed = u @ params.D.T if params.input_dim else 0.0
    states = np.empty((u.shape[0], params.state_dim))
    for k in range(u.shape[0]):
        states[k] = x
        x = A @ x + drive[k]
    return states @ C.T + feed


def initial_state(params: LGSSMParams, y, u) -> np.ndarray:
    """Least-squares state at the first sample of an output window ``y (w, p)`` under ``u (w, m)``.

    Raises a ValidationError when the window has fewer than ``state_dim``
    scalar outputs (``w * p < n``): the state is then not determined.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams
    >>> params = LGSSMParams(A=[[0.9, 0.2], [0.0, 0.5]], B=[[0.0], [1.0]], C=[[1.0, 0.0]],
    ...                      D=[[0.0]], Q=np.eye(2), R=[[1.0]], m0=[0.0, 0.0], P0=np.eye(2))
    >>> u = np.ones((4, 1)); y = free_response(params, [1.0, -2.0], u)
    >>> initial_state(params, y, u).round(12)
    array([ 1., -2.])
    """
    y = np.asarray(y, dtype=float)
    n, p = params.state_dim, params.obs_dim
    w = y.shape[0]
    if w * p < n:
        raise ValidationError(
            f"The output window y has {w} samples of {p} output(s), fewer than the "
            f"{n} states to determine; pass at least {-(-n // p)} samples.")
    forced = free_response(params, np.zeros(n), u)
    O = np.empty((w, p, n))
    CA = params.C.copy()
    for k in range(w):
        O[k] = CA
        CA = CA @ params.A
    return np.linalg.lstsq(O.reshape(w * p, n), (y - forced).ravel(), rcond=None)[0]
