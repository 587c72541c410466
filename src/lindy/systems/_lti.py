"""Random stable linear time-invariant systems with a chosen spectrum."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import check_array, check_positive_int, check_rng
from ..data import Trajectory
from ..errors import ValidationError
from ._system import System

__all__ = ["LTISystem", "random_lti"]


def _lti_map(t, x, p):
    # x_{k+1} = A x_k with A stored row-major in p
    n = x.shape[0]
    out = np.empty(n)
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += p[i * n + j] * x[j]
        out[i] = acc
    return out


def _lti_jac(t, x, p):
    n = x.shape[0]
    return p[: n * n].copy().reshape((n, n))


@dataclass(frozen=True, eq=False)
class LTISystem:
    """A discrete-time LTI system ``x+ = A x + B u``, ``y = C x + D u``.

    Attributes
    ----------
    A : ndarray, shape (n, n)
    B : ndarray, shape (n, m)
    C : ndarray, shape (p, n)
    D : ndarray, shape (p, m)
    eigenvalues : ndarray, shape (n,)
        The spectrum of ``A`` it was built from.
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    D: np.ndarray
    eigenvalues: np.ndarray
    meta: dict = field(default_factory=dict)

    @property
    def state_dim(self) -> int:
        """State dimension ``n``."""
        return int(self.A.shape[0])

    def simulate(self, u, x0=None, *, obs_noise_std: float = 0.0,
                 random_state=None) -> Trajectory:
        """Drive the system with inputs ``u`` (T, m); return outputs ``y`` (T, p) with ``u``.

        ``obs_noise_std`` adds Gaussian measurement noise of that (absolute) standard
        deviation, drawn with ``random_state`` (int, Generator or None).

        Examples
        --------
        >>> sys = random_lti(3, 1, 2, spectral_radius=0.9, random_state=0)
        >>> sys.simulate(np.ones((10, 1))).x.shape
        (10, 2)
        """
        u = check_array(u, "u", ndim=2)
        if u.shape[1] != self.B.shape[1]:
            raise ValidationError(f"u must have {self.B.shape[1]} columns; got {u.shape[1]}.")
        x = np.zeros(self.state_dim) if x0 is None else check_array(x0, "x0", ndim=1)
        if x.shape[0] != self.state_dim:
            raise ValidationError(f"x0 must have {self.state_dim} entries; got {x.shape[0]}.")
        ys = np.empty((u.shape[0], self.C.shape[0]))
        for k in range(u.shape[0]):
            ys[k] = self.C @ x + self.D @ u[k]
            x = self.A @ x + self.B @ u[k]
        if obs_noise_std > 0:
            ys = ys + obs_noise_std * check_rng(random_state).standard_normal(ys.shape)
        return Trajectory(t=np.arange(u.shape[0], dtype=float), x=ys, u=u,
                          meta={"system": "random_lti", "obs_noise_std": obs_noise_std})

    def as_system(self) -> System:
        """The autonomous map ``x+ = A x`` as a :class:`System` (kind ``"map"``, linear)."""
        n = self.state_dim
        params = {f"A[{i},{j}]": float(self.A[i, j]) for i in range(n) for j in range(n)}
        x0 = np.ones(n) / np.sqrt(n)
        lam = np.sort(np.log(np.abs(self.eigenvalues)))[::-1]
        return System("RandomLTI", n, params, x0, 1.0, _lti_map, _lti_jac, kind="map",
                      meta={"linear": True, "eigenvalues": self.eigenvalues.tolist(),
                            "lyapunov_spectrum": lam.tolist(), "max_lyapunov": float(lam[0]),
                            "period": 1.0, "description": "random stable LTI system"})


def _random_spectrum(n: int, radius: float, rng) -> np.ndarray:
    n_pairs = n // 2 if n > 1 else 0
    n_pairs = int(rng.integers(0, n_pairs + 1))
    mod = radius * np.sqrt(rng.uniform(0.05, 1.0, n_pairs))
    ang = rng.uniform(0.05, np.pi - 0.05, n_pairs)
    pairs = mod * np.exp(1j * ang)
    reals = radius * rng.uniform(-1.0, 1.0, n - 2 * n_pairs)
    eig = np.concatenate([pairs, pairs.conj(), reals.astype(complex)])
    return eig * (radius / np.abs(eig).max())  # attain the radius exactly


def random_lti(n: int, m: int = 1, p: int = 1, spectral_radius: float = 0.9,
               random_state=None, *, eigenvalues=None) -> LTISystem:
    """A random stable discrete-time LTI system with a chosen spectrum.

    ``A = S diag-blocks(eigenvalues) S^{-1}`` with ``S = Q D`` (``Q`` random
    orthogonal, ``D`` random positive diagonal), so ``A`` is non-normal but well
    conditioned and its eigenvalues are exactly the requested ones.

    Parameters
    ----------
    n, m, p : int
        Numbers of states, inputs and outputs.
    spectral_radius : float, default 0.9
        Largest eigenvalue modulus (random spectra); must be positive.
    random_state : int, Generator or None
        Randomness of the spectrum (unless given) and of the matrices.
    eigenvalues : array_like, shape (n,), optional
        The spectrum to use (closed under conjugation); overrides the random one.

    Examples
    --------
    >>> sys = random_lti(4, 2, 1, spectral_radius=0.8, random_state=1)
    >>> sys.A.shape, sys.B.shape, sys.C.shape
    ((4, 4), (4, 2), (1, 4))
    >>> bool(np.isclose(np.abs(np.linalg.eigvals(sys.A)).max(), 0.8))
    True
    """
    n = check_positive_int(n, "n")
    m = check_positive_int(m, "m", minimum=0)
    p = check_positive_int(p, "p")
    rng = check_rng(random_state)
    if eigenvalues is None:
        if not np.isfinite(spectral_radius) or spectral_radius <= 0:
            raise ValidationError(f"spectral_radius must be positive; got {spectral_radius!r}.")
        eig = _random_spectrum(n, float(spectral_radius), rng)
    else:
        eig = np.asarray(eigenvalues, dtype=complex).ravel()
        if eig.size != n:
            raise ValidationError(f"eigenvalues must have n={n} entries; got {eig.size}.")
        if not np.allclose(np.sort_complex(eig), np.sort_complex(eig.conj())):
            raise ValidationError("eigenvalues must be closed under complex conjugation.")
    blocks = np.zeros((n, n))
    i = 0
    ordered = sorted(eig, key=lambda z: (abs(z.imag) < 1e-14, -z.imag))
    used = np.zeros(len(ordered), bool)
    for k, z in enumerate(ordered):
        if used[k]:
            continue
        if abs(z.imag) < 1e-14:
            blocks[i, i] = z.real
            i += 1
        else:
            blocks[i:i + 2, i:i + 2] = [[z.real, z.imag], [-z.imag, z.real]]
            j = next(j for j in range(k + 1, len(ordered))
                     if not used[j] and np.isclose(ordered[j], np.conj(z)))
            used[j] = True
            i += 2
        used[k] = True
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    d = np.exp(rng.uniform(-0.5, 0.5, n))
    A = (Q * d) @ blocks @ (Q / d).T  # S M S^{-1} with S = Q diag(d): S^{-1} = diag(1/d) Q^T
    B = rng.standard_normal((n, m))
    C = rng.standard_normal((p, n))
    D = np.zeros((p, m))
    return LTISystem(A=A, B=B, C=C, D=D, eigenvalues=np.asarray(eig),
                     meta={"spectral_radius": float(np.abs(eig).max())})
