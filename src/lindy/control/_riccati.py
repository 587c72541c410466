"""Linear-quadratic regulators: continuous ``lqr`` and discrete ``dlqr`` (Riccati equations).

Both minimise ``sum x'Qx + u'Ru + 2 x'Nu`` (an integral for ``lqr``) under
``x+ = Ax + Bu`` (``dx/dt = Ax + Bu``) and return ``(K, S, E)`` like
python-control: the gain of ``u = -K x``, the Riccati solution and the
closed-loop eigenvalues. The Riccati equations are solved by scipy's
``solve_discrete_are`` / ``solve_continuous_are``; the gain by a Cholesky solve.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from .._validation import check_array, check_psd
from ..errors import NumericalError, ShapeError, ValidationError
from ._models import as_state_space

__all__ = ["lqr", "dlqr"]


def _check_pair(A, B) -> tuple[np.ndarray, np.ndarray]:
    A = check_array(A, "A", ndim=2)
    B = check_array(B, "B", ndim=(1, 2))
    if B.ndim == 1:
        B = B[:, None]
    n = A.shape[0]
    if A.shape != (n, n):
        raise ShapeError(f"A must be square; got shape {A.shape}.")
    if B.shape[0] != n:
        raise ShapeError(f"B must have {n} rows (one per state of A); got shape {B.shape}.")
    return A, B


def check_weights(Q, R, N, n: int, m: int):
    """Validated ``(Q, R, N)``: Q PSD (n, n), R positive definite (m, m), the joint weight PSD."""
    Q = check_psd(Q, "Q", n=n)
    R = check_array(R, "R", ndim=(0, 1, 2))
    R = np.atleast_2d(R) if R.ndim < 2 else R
    if R.shape != (m, m):
        raise ShapeError(f"R must have shape ({m}, {m}) (one row per input); got {R.shape}.")
    try:
        R = check_psd(R, "R", strict=True)
    except ValidationError as err:
        raise ValidationError(
            f"R must be symmetric positive definite (every input needs a positive cost): {err}"
        ) from None
    if N is None:
        return Q, R, np.zeros((n, m))
    N = check_array(N, "N", ndim=2)
    if N.shape != (n, m):
        raise ShapeError(f"N must have shape ({n}, {m}); got {N.shape}.")
    w = np.linalg.eigvalsh(np.block([[Q, N], [N.T, R]]))
    if w.min() < -1e-10 * max(1.0, abs(w).max()):
        raise ValidationError(
            f"The joint weight [[Q, N], [N', R]] must be positive semi-definite; its smallest "
            f"eigenvalue is {w.min():.3g}. Reduce the cross term N.")
    return Q, R, N


def unstabilizable_modes(A, B, discrete: bool, tol: float = 1e-9) -> np.ndarray:
    """Eigenvalues of ``A`` that are not stable and that ``B`` cannot reach (PBH test).

    Examples
    --------
    >>> import numpy as np
    >>> unstabilizable_modes(np.diag([2.0, 0.5]), np.array([[0.0], [1.0]]), discrete=True)
    array([2.+0.j])
    """
    A, B = _check_pair(A, B)
    n = A.shape[0]
    lam = np.linalg.eigvals(A)
    bad = []
    for ev in lam:
        unstable = abs(ev) >= 1 - tol if discrete else ev.real >= -tol
        if not unstable:
            continue
        s = np.linalg.svd(np.hstack([A - ev * np.eye(n), B]), compute_uv=False)
        if s[-1] <= tol * max(1.0, s[0]):
            bad.append(ev)
    return np.array(bad, dtype=complex)


def _gain_error(A, B, discrete: bool, err: Exception) -> NumericalError:
    bad = unstabilizable_modes(A, B, discrete)
    if bad.size:
        return NumericalError(
            f"(A, B) is not stabilizable: the mode(s) {np.round(bad, 6).tolist()} are unstable "
            "and B cannot reach them, so no stabilizing LQR gain exists. Add an actuator that "
            "reaches them or model a smaller state.")
    return NumericalError(
        f"The Riccati equation has no stabilizing solution ({err}). Check that every unstable "
        "mode is penalized by Q (detectability of (A, Q)) and that R is well conditioned.")


def _solve(A, B, Q, R, N, discrete):
    A, B = _check_pair(A, B)
    n, m = B.shape
    Q, R, N = check_weights(Q, R, N, n, m)
    are = linalg.solve_discrete_are if discrete else linalg.solve_continuous_are
    try:
        S = are(A, B, Q, R, s=N)
    except (np.linalg.LinAlgError, ValueError) as err:
        raise _gain_error(A, B, discrete, err) from None
    if not np.all(np.isfinite(S)):
        raise _gain_error(A, B, discrete, ValueError("non-finite solution"))
    S = 0.5 * (S + S.T)
    if discrete:
        G, rhs = R + B.T @ S @ B, B.T @ S @ A + N.T
    else:
        G, rhs = R, B.T @ S + N.T
    K = linalg.cho_solve(linalg.cho_factor(G), rhs)
    E = np.linalg.eigvals(A - B @ K)
    return K, S, E


def dlqr(A, B, Q, R, N=None):
    """Discrete-time linear-quadratic regulator ``u[k] = -K x[k]``.

    Minimises ``sum_k x'Qx + u'Ru + 2 x'Nu`` under ``x[k+1] = A x[k] + B u[k]``.

    Parameters
    ----------
    A : array_like (n, n), or a model
        State matrix, or a learned linear model (DMDc, EDMDc, LGSSMParams,
        LTISystem; see :func:`lindy.control.as_state_space`), in which case ``B``
        must be None.
    B : array_like (n, m) or None
    Q : array_like (n, n)
        State weight, symmetric positive semi-definite.
    R : array_like (m, m)
        Input weight, symmetric positive definite.
    N : array_like (n, m), optional
        Cross weight.

    Returns
    -------
    K : ndarray (m, n)
        State-feedback gain.
    S : ndarray (n, n)
        Solution of the discrete algebraic Riccati equation.
    E : ndarray (n,)
        Closed-loop eigenvalues (of ``A - B K``).

    Raises
    ------
    lindy.errors.NumericalError
        If ``(A, B)`` is not stabilizable (the message names the modes) or the
        Riccati equation has no stabilizing solution.
    lindy.errors.ValidationError
        If ``Q`` is not PSD or ``R`` not positive definite.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> K, S, E = ld.control.dlqr([[1.0, 1.0], [0.0, 1.0]], [[0.0], [1.0]], np.eye(2), [[1.0]])
    >>> K.round(4)
    array([[0.4221, 1.2439]])
    >>> bool(np.all(np.abs(E) < 1))
    True
    """
    A, B = _model_or_pair(A, B)
    return _solve(A, B, Q, R, N, discrete=True)


def lqr(A, B, Q, R, N=None):
    """Continuous-time linear-quadratic regulator ``u = -K x``.

    Minimises ``int x'Qx + u'Ru + 2 x'Nu dt`` under ``dx/dt = A x + B u``.

    Parameters
    ----------
    A : array_like (n, n)
    B : array_like (n, m)
    Q : array_like (n, n)
        Symmetric positive semi-definite.
    R : array_like (m, m)
        Symmetric positive definite.
    N : array_like (n, m), optional

    Returns
    -------
    K : ndarray (m, n)
    S : ndarray (n, n)
        Solution of the continuous algebraic Riccati equation.
    E : ndarray (n,)
        Closed-loop eigenvalues (of ``A - B K``).

    Raises
    ------
    lindy.errors.NumericalError
        If ``(A, B)`` is not stabilizable.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> K, S, E = ld.control.lqr([[0.0, 1.0], [0.0, 0.0]], [[0.0], [1.0]], np.eye(2), [[1.0]])
    >>> K.round(4)
    array([[1.    , 1.7321]])
    """
    A, B = _check_pair(A, B)
    return _solve(A, B, Q, R, N, discrete=False)


def _model_or_pair(A, B):
    if B is None:
        A, B, _ = as_state_space(A)
    return _check_pair(A, B)
