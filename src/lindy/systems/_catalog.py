"""The first systems of the database: classic chaotic flows, oscillators and maps.

Right-hand sides are pure functions ``rhs(t, x, p)`` that numba compiles on
first use. Parameter values, initial conditions and reference invariants are
published facts (citations in each system's ``meta``).
"""

from __future__ import annotations

import numpy as np

from ._system import System

__all__ = ["CATALOG", "oscillator_chain"]


def lorenz_rhs(t, x, p):
    sigma, rho, beta = p[0], p[1], p[2]
    out = np.empty(3)
    out[0] = sigma * (x[1] - x[0])
    out[1] = x[0] * (rho - x[2]) - x[1]
    out[2] = x[0] * x[1] - beta * x[2]
    return out


def lorenz_jac(t, x, p):
    sigma, rho, beta = p[0], p[1], p[2]
    return np.array([[-sigma, sigma, 0.0], [rho - x[2], -1.0, -x[0]], [x[1], x[0], -beta]])


def rossler_rhs(t, x, p):
    a, b, c = p[0], p[1], p[2]
    out = np.empty(3)
    out[0] = -x[1] - x[2]
    out[1] = x[0] + a * x[1]
    out[2] = b + x[2] * (x[0] - c)
    return out


def rossler_jac(t, x, p):
    a, c = p[0], p[2]
    return np.array([[0.0, -1.0, -1.0], [1.0, a, 0.0], [x[2], 0.0, x[0] - c]])


def vanderpol_rhs(t, x, p):
    mu = p[0]
    out = np.empty(2)
    out[0] = x[1]
    out[1] = mu * (1.0 - x[0] * x[0]) * x[1] - x[0]
    return out


def vanderpol_jac(t, x, p):
    mu = p[0]
    return np.array([[0.0, 1.0], [-2.0 * mu * x[0] * x[1] - 1.0, mu * (1.0 - x[0] ** 2)]])


def duffing_rhs(t, x, p):
    # forced Duffing oscillator, autonomous form with the phase as third state
    alpha, beta, delta, gamma, omega = p[0], p[1], p[2], p[3], p[4]
    out = np.empty(3)
    out[0] = x[1]
    out[1] = -delta * x[1] - alpha * x[0] - beta * x[0] ** 3 + gamma * np.cos(x[2])
    out[2] = omega
    return out


def duffing_jac(t, x, p):
    alpha, beta, delta, gamma = p[0], p[1], p[2], p[3]
    return np.array([[0.0, 1.0, 0.0],
                     [-alpha - 3.0 * beta * x[0] ** 2, -delta, -gamma * np.sin(x[2])],
                     [0.0, 0.0, 0.0]])


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


def henon_rhs(t, x, p):
    a, b = p[0], p[1]
    out = np.empty(2)
    out[0] = 1.0 - a * x[0] * x[0] + x[1]
    out[1] = b * x[0]
    return out


def henon_jac(t, x, p):
    a, b = p[0], p[1]
    return np.array([[-2.0 * a * x[0], 1.0], [b, 0.0]])


def logistic_rhs(t, x, p):
    out = np.empty(1)
    out[0] = p[0] * x[0] * (1.0 - x[0])
    return out


def logistic_jac(t, x, p):
    return np.array([[p[0] * (1.0 - 2.0 * x[0])]])


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
    System("Lorenz", 3, {"sigma": 10.0, "rho": 28.0, "beta": 8.0 / 3.0},
           [-9.7869288, -15.03852, 20.533978], 0.01, lorenz_rhs, lorenz_jac,
           meta={"period": 0.7599, "max_lyapunov": 0.9056,
                 "lyapunov_spectrum": [0.9056, 0.0, -14.5723], "chaotic": True,
                 "citation": "Lorenz, E. N. (1963). Deterministic nonperiodic flow. "
                             "J. Atmos. Sci. 20, 130-141.",
                 "description": "convection model; the butterfly attractor"}),
    System("Rossler", 3, {"a": 0.2, "b": 0.2, "c": 5.7}, [6.5134412, 0.4772013, 0.3560494],
           0.05, rossler_rhs, rossler_jac,
           meta={"period": 5.9, "max_lyapunov": 0.0714,
                 "lyapunov_spectrum": [0.0714, 0.0, -5.3943], "chaotic": True,
                 "citation": "Rossler, O. E. (1976). An equation for continuous chaos. "
                             "Phys. Lett. A 57, 397-398.",
                 "description": "spiral-type chaotic attractor"}),
    System("VanDerPol", 2, {"mu": 1.0}, [2.0, 0.0], 0.05, vanderpol_rhs, vanderpol_jac,
           meta={"period": 6.6633, "max_lyapunov": 0.0, "chaotic": False,
                 "citation": "van der Pol, B. (1926). On relaxation-oscillations. "
                             "Phil. Mag. 2, 978-992.",
                 "description": "relaxation oscillator with a stable limit cycle"}),
    System("Duffing", 3, {"alpha": -1.0, "beta": 1.0, "delta": 0.3, "gamma": 0.5,
                          "omega": 1.2}, [1.0, 0.0, 0.0], 0.05, duffing_rhs, duffing_jac,
           meta={"period": 2 * np.pi / 1.2, "chaotic": True,
                 "citation": "Guckenheimer, J. and Holmes, P. (1983). Nonlinear "
                             "Oscillations, Dynamical Systems, and Bifurcations of "
                             "Vector Fields, Sec. 2.2.",
                 "description": "forced double-well Duffing oscillator; third state is "
                                "the forcing phase"}),
    oscillator_chain(),
    System("Henon", 2, {"a": 1.4, "b": 0.3}, [0.1, 0.1], 1.0, henon_rhs, henon_jac, kind="map",
           meta={"max_lyapunov": 0.4192, "lyapunov_spectrum": [0.4192, -1.6232],
                 "chaotic": True,
                 "citation": "Henon, M. (1976). A two-dimensional mapping with a strange "
                             "attractor. Commun. Math. Phys. 50, 69-77.",
                 "description": "quadratic map of the plane"}),
    System("Logistic", 1, {"r": 3.9}, [0.4], 1.0, logistic_rhs, logistic_jac, kind="map",
           meta={"max_lyapunov": 0.4945, "chaotic": True,
                 "citation": "May, R. M. (1976). Simple mathematical models with very "
                             "complicated dynamics. Nature 261, 459-467.",
                 "description": "logistic map x -> r x (1 - x)"}),
)
