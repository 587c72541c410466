"""State-space Gaussian processes: Matérn and periodic kernels as linear SDEs.

A stationary GP with a Matérn (or quasi-periodic) kernel is the output of a
linear SDE (Hartikainen & Särkkä 2010; Solin & Särkkä 2014), so GP regression,
its marginal likelihood and hyperparameter fitting run in O(T) through the
Kalman filter and RTS smoother, on any (irregular) time grid.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.linalg import block_diag
from scipy.special import ive

from ..errors import ValidationError
from ._expm import expm_stack
from ._params import LGSSMParams

__all__ = ["Matern12", "Matern32", "Matern52", "Periodic", "SumKernel", "SDE"]


@dataclass(frozen=True)
class SDE:
    """A linear time-invariant SDE ``dx = F x dt + L dβ``, output ``f = H x``.

    Attributes
    ----------
    F, L, Qc, H : ndarray
    Pinf : ndarray
        Stationary covariance of the state.
    """

    F: np.ndarray
    L: np.ndarray
    Qc: np.ndarray
    H: np.ndarray
    Pinf: np.ndarray

    def transition(self, dt: np.ndarray):
        """``A = exp(F dt)`` and ``Q = Pinf - A Pinf A^T`` for an array of steps."""
        dt = np.asarray(dt, dtype=float)
        uniq, inv = np.unique(dt, return_inverse=True)
        A = expm_stack(uniq[:, None, None] * self.F[None])
        Q = self.Pinf[None] - A @ self.Pinf[None] @ np.swapaxes(A, 1, 2)
        Q = 0.5 * (Q + np.swapaxes(Q, 1, 2))
        return A[inv.ravel()], Q[inv.ravel()]


class _Kernel:
    """Common helpers: positive hyperparameters in log space, sums with ``+``."""

    _names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in self._names:
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise ValidationError(f"{type(self).__name__}.{name} must be > 0; got {v!r}.")

    @property
    def log_params(self) -> np.ndarray:
        """Hyperparameters in log space (the order of ``_names``)."""
        return np.log([getattr(self, n) for n in self._names])

    def with_log_params(self, theta):
        """A copy with hyperparameters ``exp(theta)``."""
        return replace(self, **{n: float(np.exp(v)) for n, v in zip(self._names, theta)})

    def __add__(self, other):
        return SumKernel((self, other))

    def transition(self, dt):
        """Discrete ``A = exp(F dt)``, ``Q = Pinf - A Pinf A^T`` for an array of steps ``dt``."""
        return self.sde().transition(dt)

    def __call__(self, t1, t2=None) -> np.ndarray:
        """Dense covariance matrix ``k(t1_i, t2_j)``."""
        t1 = np.asarray(t1, dtype=float).ravel()
        t2 = t1 if t2 is None else np.asarray(t2, dtype=float).ravel()
        return self._k(np.abs(t1[:, None] - t2[None, :]))


@dataclass(frozen=True)
class Matern12(_Kernel):
    """Matérn-1/2 (exponential, Ornstein-Uhlenbeck) kernel ``s^2 exp(-r / l)``.

    Examples
    --------
    >>> import numpy as np
    >>> k = Matern12(lengthscale=2.0, variance=3.0)
    >>> bool(np.isclose(k([0.0], [2.0])[0, 0], 3.0 * np.exp(-1.0)))
    True
    """

    lengthscale: float = 1.0
    variance: float = 1.0
    _names = ("lengthscale", "variance")

    def _k(self, r):
        return self.variance * np.exp(-r / self.lengthscale)

    def sde(self) -> SDE:
        """The equivalent SDE."""
        lam = 1.0 / self.lengthscale
        return SDE(F=np.array([[-lam]]), L=np.ones((1, 1)), Qc=np.array([[2 * self.variance * lam]]),
                   H=np.ones((1, 1)), Pinf=np.array([[self.variance]]))


@dataclass(frozen=True)
class Matern32(_Kernel):
    """Matérn-3/2 kernel ``s^2 (1 + sqrt(3) r / l) exp(-sqrt(3) r / l)``.

    Examples
    --------
    >>> Matern32(lengthscale=1.0).sde().F
    array([[ 0.        ,  1.        ],
           [-3.        , -3.46410162]])
    """

    lengthscale: float = 1.0
    variance: float = 1.0
    _names = ("lengthscale", "variance")

    def _k(self, r):
        a = np.sqrt(3.0) * r / self.lengthscale
        return self.variance * (1.0 + a) * np.exp(-a)

    def sde(self) -> SDE:
        """The equivalent SDE."""
        lam, s2 = np.sqrt(3.0) / self.lengthscale, self.variance
        return SDE(F=np.array([[0.0, 1.0], [-lam ** 2, -2 * lam]]), L=np.array([[0.0], [1.0]]),
                   Qc=np.array([[4 * lam ** 3 * s2]]), H=np.array([[1.0, 0.0]]),
                   Pinf=np.diag([s2, lam ** 2 * s2]))


@dataclass(frozen=True)
class Matern52(_Kernel):
    """Matérn-5/2 kernel ``s^2 (1 + a + a^2 / 3) exp(-a)``, ``a = sqrt(5) r / l``.

    Examples
    --------
    >>> Matern52().sde().Pinf.shape
    (3, 3)
    """

    lengthscale: float = 1.0
    variance: float = 1.0
    _names = ("lengthscale", "variance")

    def _k(self, r):
        a = np.sqrt(5.0) * r / self.lengthscale
        return self.variance * (1.0 + a + a * a / 3.0) * np.exp(-a)

    def sde(self) -> SDE:
        """The equivalent SDE."""
        lam, s2 = np.sqrt(5.0) / self.lengthscale, self.variance
        kap = s2 * lam ** 2 / 3.0
        F = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [-lam ** 3, -3 * lam ** 2, -3 * lam]])
        Pinf = np.array([[s2, 0.0, -kap], [0.0, kap, 0.0], [-kap, 0.0, s2 * lam ** 4]])
        return SDE(F=F, L=np.array([[0.0], [0.0], [1.0]]), Qc=np.array([[16.0 / 3.0 * s2 * lam ** 5]]),
                   H=np.array([[1.0, 0.0, 0.0]]), Pinf=Pinf)


@dataclass(frozen=True)
class Periodic(_Kernel):
    """Periodic kernel ``s^2 exp(-2 sin^2(pi r / period) / l^2)``, as ``n_harmonics + 1`` resonators.

    The state-space form uses the cosine series of Solin & Särkkä (2014) truncated
    after ``n_harmonics`` harmonics; ``__call__`` gives the exact kernel and
    :meth:`truncated` the series the SDE represents.

    Examples
    --------
    >>> import numpy as np
    >>> k = Periodic(period=1.0, lengthscale=1.0, n_harmonics=8)
    >>> bool(np.allclose(k.truncated([0.0, 0.3]), k([0.0, 0.3]), atol=1e-6))
    True
    """

    period: float = 1.0
    lengthscale: float = 1.0
    variance: float = 1.0
    n_harmonics: int = 6
    _names = ("period", "lengthscale", "variance")

    def _k(self, r):
        return self.variance * np.exp(-2.0 * np.sin(np.pi * r / self.period) ** 2 / self.lengthscale ** 2)

    def _coefficients(self) -> np.ndarray:
        j = np.arange(self.n_harmonics + 1)
        q2 = 2.0 * self.variance * ive(j, self.lengthscale ** -2)
        q2[0] *= 0.5
        return q2

    def truncated(self, t1, t2=None) -> np.ndarray:
        """The truncated cosine series that the SDE represents exactly."""
        t1 = np.asarray(t1, dtype=float).ravel()
        t2 = t1 if t2 is None else np.asarray(t2, dtype=float).ravel()
        r = t1[:, None] - t2[None, :]
        w0 = 2 * np.pi / self.period
        q2 = self._coefficients()
        return sum(q2[j] * np.cos(j * w0 * r) for j in range(self.n_harmonics + 1))

    def transition(self, dt):
        """Closed form: a rotation by ``j w0 dt`` per harmonic, no process noise."""
        dt = np.asarray(dt, dtype=float)
        w0 = 2 * np.pi / self.period
        k = 2 * (self.n_harmonics + 1)
        A = np.zeros((dt.shape[0], k, k))
        for j in range(self.n_harmonics + 1):
            c, s = np.cos(j * w0 * dt), np.sin(j * w0 * dt)
            A[:, 2 * j, 2 * j], A[:, 2 * j, 2 * j + 1] = c, -s
            A[:, 2 * j + 1, 2 * j], A[:, 2 * j + 1, 2 * j + 1] = s, c
        return A, np.zeros_like(A)

    def sde(self) -> SDE:
        """The equivalent SDE (noise-free resonators with random initial state)."""
        w0 = 2 * np.pi / self.period
        q2 = self._coefficients()
        Fs = [np.array([[0.0, -j * w0], [j * w0, 0.0]]) for j in range(self.n_harmonics + 1)]
        k = 2 * (self.n_harmonics + 1)
        return SDE(F=block_diag(*Fs), L=np.zeros((k, 1)), Qc=np.zeros((1, 1)),
                   H=np.tile([1.0, 0.0], self.n_harmonics + 1)[None],
                   Pinf=np.diag(np.repeat(q2, 2)))


@dataclass(frozen=True)
class SumKernel(_Kernel):
    """Sum of kernels: independent SDEs stacked, outputs added.

    Examples
    --------
    >>> k = Matern12() + Matern32()
    >>> k.sde().F.shape, k.log_params.shape
    ((3, 3), (4,))
    """

    kernels: tuple = ()

    def __post_init__(self) -> None:
        flat = []
        for k in self.kernels:
            flat.extend(k.kernels if isinstance(k, SumKernel) else [k])
        object.__setattr__(self, "kernels", tuple(flat))

    @property
    def log_params(self) -> np.ndarray:
        """Concatenated log hyperparameters of the parts."""
        return np.concatenate([k.log_params for k in self.kernels])

    def with_log_params(self, theta):
        """A copy with the parts' hyperparameters ``exp(theta)``."""
        out, i = [], 0
        for k in self.kernels:
            m = k.log_params.size
            out.append(k.with_log_params(theta[i:i + m]))
            i += m
        return SumKernel(tuple(out))

    def _k(self, r):
        return sum(k._k(r) for k in self.kernels)

    def transition(self, dt):
        """Block-diagonal assembly of the parts' transitions."""
        parts = [k.transition(dt) for k in self.kernels]
        sizes = [a.shape[1] for a, _ in parts]
        K, n = parts[0][0].shape[0], sum(sizes)
        A, Q = np.zeros((K, n, n)), np.zeros((K, n, n))
        i = 0
        for (a, q), m in zip(parts, sizes):
            A[:, i:i + m, i:i + m], Q[:, i:i + m, i:i + m] = a, q
            i += m
        return A, Q

    def sde(self) -> SDE:
        """Block-diagonal stack of the parts' SDEs."""
        parts = [k.sde() for k in self.kernels]
        return SDE(F=block_diag(*[p.F for p in parts]), L=block_diag(*[p.L for p in parts]),
                   Qc=block_diag(*[p.Qc for p in parts]), H=np.hstack([p.H for p in parts]),
                   Pinf=block_diag(*[p.Pinf for p in parts]))


def gp_params(kernel, t: np.ndarray, noise_variance: float) -> LGSSMParams:
    """Time-varying LG-SSM of ``y(t_k) = f(t_k) + e_k`` for a GP ``f`` on sorted times ``t``.

    ``e_k`` has variance ``noise_variance``.
    """
    sde = kernel.sde()
    n = sde.F.shape[0]
    T = t.shape[0]
    A = np.broadcast_to(np.eye(n), (T, n, n)).copy()
    Q = np.zeros((T, n, n))
    if T > 1:
        A[:-1], Q[:-1] = kernel.transition(np.diff(t))
    return LGSSMParams(A=A, C=sde.H, Q=Q, R=[[noise_variance]], m0=np.zeros(n), P0=sde.Pinf,
                       time_varying=True)
