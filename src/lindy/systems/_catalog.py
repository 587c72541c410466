"""The first systems of the database: classic chaotic flows, oscillators and maps.

Right-hand sides are pure functions ``rhs(t, x, p)`` that numba compiles on
first use. Parameter values, initial conditions and reference invariants are
published facts (citations in each system's ``meta``).
"""

from __future__ import annotations

import numpy as np

from ._system import System

__all__ = ["CATALOG", "oscillator_chain"]


def vanderpol_rhs(t, x, p):
    mu = p[0]
    out = np.empty(2)
    out[0] = x[1]
    out[1] = mu * (1.0 - x[0] * x[0]) * x[1] - x[0]
    return out


def vanderpol_jac(t, x, p):
    mu = p[0]
    return np.array([[0.0, 1.0], [-2.0 * mu * x[0] * x[1] - 1.0, mu * (1.0 - x[0] ** 2)]])


def chain_rhs(t, x, p):
    # n unit masses in a line, springs k between neighbours and to the walls,
    # dampers c on each mass; state = (positions, velocities)
    k, c = p[0], p[1]
    n = x.shape[0] // 2
    out = np.empty(2 * n)
    for i in range(n):
        left = x[i - 1] if i > 0 else 0.0
        right = x[i + 1] if i < n - 1 else 0.0
        out[i] = x[n + i]
        out[n + i] = k * (left - 2.0 * x[i] + right) - c * x[n + i]
    return out


def chain_matrix(n: int, k: float, c: float) -> np.ndarray:
    """The (2n, 2n) system matrix of :func:`oscillator_chain`."""
    K = k * (2.0 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1))
    return np.block([[np.zeros((n, n)), np.eye(n)], [-K, -c * np.eye(n)]])


def oscillator_chain(n: int = 3, k: float = 1.0, c: float = 0.1) -> System:
    """A damped linear chain of ``n`` unit masses (state dimension ``2n``).

    Examples
    --------
    >>> oscillator_chain(4).dim
    8
    """
    A = chain_matrix(n, k, c)
    eig = np.linalg.eigvals(A)
    x0 = np.zeros(2 * n)
    x0[0] = 1.0
    slowest = np.abs(eig.imag).min()
    return System(
        name="OscillatorChain", dim=2 * n, params={"k": k, "c": c}, x0=x0,
        dt=float(2 * np.pi / np.abs(eig.imag).max() / 10), rhs=chain_rhs,
        jac=lambda t, x, p: chain_matrix(n, p[0], p[1]), kind="flow",
        meta={"description": f"damped linear chain of {n} masses", "linear": True,
              "period": float(2 * np.pi / slowest), "eigenvalues": eig,
              "max_lyapunov": float(eig.real.max()), "citation": "textbook"},
    )


CATALOG: tuple[System, ...] = (
    System("VanDerPol", 2, {"mu": 1.0}, [2.0, 0.0], 0.05, vanderpol_rhs, vanderpol_jac,
           meta={"citation": "van der Pol, B. (1926). On relaxation-oscillations. "
                             "Phil. Mag. 2, 978-992.",
                 "description": "relaxation oscillator with a stable limit cycle"}),
    oscillator_chain(),
)
