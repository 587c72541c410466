"""``LGSSMParams``: the immutable, validated parameters of a linear-Gaussian SSM.

The model is::

    x_0     ~ N(m0, P0)
    x_{k+1} = A_k x_k + B_k u_k + w_k,   w_k ~ N(0, Q_k)
    y_k     = C_k x_k + D_k u_k + v_k,   v_k ~ N(0, R_k)

``m0, P0`` are the prior of the first state, before ``y_0`` is seen (the same
convention as statsmodels' ``initialize_known``). States marked ``diffuse`` have
an infinitely wide prior instead (exact diffuse initialization, Durbin & Koopman
2012, ch. 5): ``x_0 = m0 + delta + eta`` with ``delta ~ N(0, kappa I)`` on the
diffuse states, ``kappa -> infinity``, and ``eta ~ N(0, P0)`` on the others.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .._validation import check_array
from ..errors import ShapeError, ValidationError

__all__ = ["LGSSMParams"]

_MATRICES = ("A", "B", "C", "D", "Q", "R")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=float)
    a.flags.writeable = False
    return a


def _check_cov(M: np.ndarray, name: str, tol: float = 1e-9) -> np.ndarray:
    """Check symmetric PSD matrices (stacked on a leading axis); return them symmetrized."""
    asym = np.abs(M - np.swapaxes(M, -1, -2)).max() if M.size else 0.0
    scale = max(float(np.abs(M).max()) if M.size else 0.0, 1.0)
    if asym > tol * scale:
        raise ValidationError(
            f"{name} is not symmetric (max |M - M.T| = {asym:.3g}). Pass (M + M.T) / 2 "
            "if the asymmetry is rounding."
        )
    M = 0.5 * (M + np.swapaxes(M, -1, -2))
    if M.size:
        w = np.linalg.eigvalsh(M)
        if w.min() < -tol * scale:
            raise ValidationError(
                f"{name} must be positive semi-definite; its smallest eigenvalue is "
                f"{w.min():.3g}. Add a small multiple of the identity or check how it was built."
            )
    return M


def _check_diffuse(diffuse, n: int) -> np.ndarray | None:
    """The diffuse mask as a read-only bool array (n,), or None if no state is diffuse."""
    if diffuse is None:
        return None
    d = np.asarray(diffuse)
    if d.shape != (n,) or d.dtype.kind not in "bi" or not np.isin(d, (0, 1)).all():
        raise ShapeError(f"diffuse must be a boolean mask of shape ({n},), one flag per "
                         f"state; got {d!r}.")
    d = d.astype(bool)
    if not d.any():
        return None
    d.flags.writeable = False
    return d


@dataclass(frozen=True, eq=False)
class LGSSMParams:
    """Parameters of a linear-Gaussian state-space model (immutable, validated).

    Parameters
    ----------
    A : array_like, shape (n, n) or (K, n, n)
        State transition; ``A[k]`` maps ``x_k`` to ``x_{k+1}``.
    C : array_like, shape (p, n) or (K, p, n)
        Observation matrix.
    Q : array_like, shape (n, n) or (K, n, n)
        Process-noise covariance (symmetric PSD).
    R : array_like, shape (p, p) or (K, p, p)
        Measurement-noise covariance (symmetric PSD).
    m0 : array_like, shape (n,)
        Prior mean of the first state.
    P0 : array_like, shape (n, n)
        Prior covariance of the first state (symmetric PSD).
    B : array_like, shape (n, m) or (K, n, m), optional
        Input matrix (default: no inputs, ``m = 0``).
    D : array_like, shape (p, m) or (K, p, m), optional
        Feed-through matrix (default zeros).
    time_varying : bool, default False
        Declare that some matrices carry a leading time axis of length ``K``
        (a sequence filtered with them has at most ``K`` steps). 2-D matrices
        are then shared by all steps. Without this flag every matrix must be 2-D.
    diffuse : array_like of bool, shape (n,), optional
        States with an exact diffuse prior (statsmodels'
        ``initialization="diffuse"``, KFAS' ``P1inf``). Their entries of ``m0`` and
        their rows and columns of ``P0`` are ignored. Filter, smoother and
        log-likelihood then use the exact diffuse recursions until the diffuse
        part of the covariance has vanished. None or all False: a proper prior.

    Attributes
    ----------
    state_dim, obs_dim, input_dim : int
    n_steps : int or None
        ``K`` for time-varying parameters, else None.

    Examples
    --------
    >>> import numpy as np
    >>> p = LGSSMParams(A=0.9 * np.eye(2), C=np.ones((1, 2)), Q=np.eye(2),
    ...                 R=np.eye(1), m0=np.zeros(2), P0=np.eye(2))
    >>> p.state_dim, p.obs_dim, p.input_dim
    (2, 1, 0)
    >>> p.replace(R=2 * np.eye(1)).R
    array([[2.]])
    >>> p.replace(diffuse=[True, False]).diffuse
    array([ True, False])
    """

    A: np.ndarray
    C: np.ndarray
    Q: np.ndarray
    R: np.ndarray
    m0: np.ndarray
    P0: np.ndarray
    B: np.ndarray | None = None
    D: np.ndarray | None = None
    time_varying: bool = False
    diffuse: np.ndarray | None = None

    def __post_init__(self) -> None:
        tv = bool(self.time_varying)
        nd = (2, 3) if tv else (2,)
        arr = {}
        for name in ("A", "C", "Q", "R"):
            a = check_array(getattr(self, name), name, ndim=nd)
            arr[name] = a
        n = arr["A"].shape[-1]
        p = arr["C"].shape[-2]
        B = self.B
        D = self.D
        m = 0
        if B is not None:
            arr["B"] = check_array(B, "B", ndim=nd)
            m = arr["B"].shape[-1]
        else:
            arr["B"] = np.zeros((n, 0))
        if D is not None:
            arr["D"] = check_array(D, "D", ndim=nd)
            if B is None:
                m = arr["D"].shape[-1]
                arr["B"] = np.zeros((n, m))
        else:
            arr["D"] = np.zeros((p, m))
        want = {"A": (n, n), "B": (n, m), "C": (p, n), "D": (p, m), "Q": (n, n), "R": (p, p)}
        K = None
        for name in _MATRICES:
            a = arr[name]
            if a.shape[-2:] != want[name]:
                raise ShapeError(
                    f"{name} must have shape {want[name]} (n={n} states, p={p} outputs, "
                    f"m={m} inputs); got {a.shape}."
                )
            if a.ndim == 3:
                if K is None:
                    K = a.shape[0]
                elif a.shape[0] != K:
                    raise ShapeError(
                        f"Time-varying matrices must share the time axis length; {name} has "
                        f"{a.shape[0]} steps but another matrix has {K}."
                    )
        if tv and K is None:
            raise ValidationError(
                "time_varying=True but every matrix is 2-D; give at least one matrix a "
                "leading time axis (K, ., .) or drop time_varying."
            )
        if K is not None and K < 1:
            raise ShapeError("Time-varying matrices need at least one step.")
        m0 = check_array(self.m0, "m0", ndim=1)
        if m0.shape != (n,):
            raise ShapeError(f"m0 must have shape ({n},); got {m0.shape}.")
        P0 = check_array(self.P0, "P0", ndim=2)
        if P0.shape != (n, n):
            raise ShapeError(f"P0 must have shape ({n}, {n}); got {P0.shape}.")
        arr["Q"] = _check_cov(arr["Q"], "Q")
        arr["R"] = _check_cov(arr["R"], "R")
        P0 = _check_cov(P0, "P0")
        for name in _MATRICES:
            object.__setattr__(self, name, _readonly(arr[name]))
        object.__setattr__(self, "m0", _readonly(m0))
        object.__setattr__(self, "P0", _readonly(P0))
        object.__setattr__(self, "time_varying", tv)
        object.__setattr__(self, "diffuse", _check_diffuse(self.diffuse, n))

    # ----------------------------------------------------------------- shape
    @property
    def state_dim(self) -> int:
        """Number of states ``n``."""
        return int(self.A.shape[-1])

    @property
    def obs_dim(self) -> int:
        """Number of outputs ``p``."""
        return int(self.C.shape[-2])

    @property
    def input_dim(self) -> int:
        """Number of inputs ``m`` (0 without inputs)."""
        return int(self.B.shape[-1])

    @property
    def n_steps(self) -> int | None:
        """Length ``K`` of the time axis of time-varying parameters (None if invariant)."""
        for name in _MATRICES:
            a = getattr(self, name)
            if a.ndim == 3:
                return int(a.shape[0])
        return None

    def replace(self, **changes) -> LGSSMParams:
        """A copy with some fields replaced (validated again).

        Examples
        --------
        >>> import numpy as np
        >>> p = LGSSMParams(A=np.eye(1), C=np.eye(1), Q=np.eye(1), R=np.eye(1),
        ...                 m0=np.zeros(1), P0=np.eye(1))
        >>> float(p.replace(A=0.5 * np.eye(1)).A[0, 0])
        0.5
        """
        if "B" in changes and "D" not in changes and changes["B"] is not None:
            mb = np.shape(changes["B"])[-1]
            if mb != self.input_dim:
                changes["D"] = None
        return replace(self, **changes)

    def stacked(self, name: str) -> np.ndarray:
        """Matrix ``name`` with a leading time axis (length 1 if time-invariant)."""
        a = getattr(self, name)
        return a if a.ndim == 3 else a[None]

    def __repr__(self) -> str:
        tv = f", time-varying K={self.n_steps}" if self.time_varying else ""
        dif = f", diffuse={int(self.diffuse.sum())}" if self.diffuse is not None else ""
        return (f"LGSSMParams(n={self.state_dim}, p={self.obs_dim}, "
                f"m={self.input_dim}{tv}{dif})")
