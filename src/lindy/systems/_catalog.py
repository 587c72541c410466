"""Engineering and classic systems: oscillators, hysteresis, population models,
map-based neuron networks, coupled map lattices.

Right-hand sides are pure functions ``rhs(t, x, p)`` that numba compiles on
first use; parameters in the order of ``System.params``. Periodically forced
systems carry the forcing phase as their last state. Factories build systems of
any size; ``CATALOG`` holds the default instances registered by name.
"""

from __future__ import annotations

import numpy as np

from ._system import System

__all__ = ["CATALOG", "oscillator_chain", "chialvo_ring_star", "chialvo_rulkov_chain",
           "coupled_logistic"]


def vanderpol_rhs(t, x, p):
    mu = p[0]
    return np.array([x[1], mu * (1.0 - x[0] * x[0]) * x[1] - x[0]])


def vanderpol_jac(t, x, p):
    mu = p[0]
    return np.array([[0.0, 1.0], [-2.0 * mu * x[0] * x[1] - 1.0, mu * (1.0 - x[0] ** 2)]])


def chain_rhs(t, x, p):
    # n unit masses in a line, springs k between neighbours and to the walls,
    # dampers c on each mass, force f cos(phase) on the first mass;
    # state = (positions, velocities[, phase])
    c, f, k, omega = p[0], p[1], p[2], p[3]
    n = x.shape[0] // 2
    out = np.empty(x.shape[0])
    for i in range(n):
        left = x[i - 1] if i > 0 else 0.0
        right = x[i + 1] if i < n - 1 else 0.0
        out[i] = x[n + i]
        out[n + i] = k * (left - 2.0 * x[i] + right) - c * x[n + i]
    if x.shape[0] > 2 * n:
        out[n] += f * np.cos(x[2 * n])
        out[2 * n] = omega
    return out


def chain_jac(t, x, p):
    c, f, k = p[0], p[1], p[2]
    n = x.shape[0] // 2
    J = np.zeros((x.shape[0], x.shape[0]))
    for i in range(n):
        J[i, n + i] = 1.0
        J[n + i, i] = -2.0 * k
        if i > 0:
            J[n + i, i - 1] = k
        if i < n - 1:
            J[n + i, i + 1] = k
        J[n + i, n + i] = -c
    if x.shape[0] > 2 * n:
        J[n, 2 * n] = -f * np.sin(x[2 * n])
    return J


def chain_matrix(n: int, k: float, c: float) -> np.ndarray:
    """The (2n, 2n) system matrix of the unforced :func:`oscillator_chain`."""
    K = k * (2.0 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1))
    return np.block([[np.zeros((n, n)), np.eye(n)], [-K, -c * np.eye(n)]])


def oscillator_chain(n: int = 3, k: float = 1.0, c: float = 0.1, force: float = 0.0,
                     omega: float = 1.0) -> System:
    """A damped linear chain of ``n`` unit masses, optionally forced.

    State: positions, velocities (dimension ``2n``), plus the forcing phase when
    ``force`` is nonzero (the first mass feels ``force * cos(omega t)``).

    Examples
    --------
    >>> oscillator_chain(4).dim, oscillator_chain(4, force=0.5).dim
    (8, 9)
    """
    A = chain_matrix(n, k, c)
    eig = np.linalg.eigvals(A)
    forced = force != 0.0
    x0 = np.zeros(2 * n + int(forced))
    x0[0] = 1.0
    slowest = np.abs(eig.imag).min()
    meta = {"description": f"damped linear chain of {n} masses" + (", forced" if forced else ""),
            "linear": not forced, "period": float(2 * np.pi / (omega if forced else slowest)),
            "eigenvalues": eig.tolist(), "citation": "textbook (e.g. Meirovitch, Fundamentals "
                                                     "of Vibrations, 2001)", "fixed_dt": True}
    if not forced:
        meta["max_lyapunov"] = float(eig.real.max())
        meta["lyapunov_spectrum"] = np.sort(eig.real)[::-1].tolist()
    return System(name="OscillatorChain" if not forced else "ForcedOscillatorChain",
                  dim=x0.size, params={"c": c, "f": force, "k": k, "omega": omega}, x0=x0,
                  dt=float(2 * np.pi / np.abs(eig.imag).max() / 10), rhs=chain_rhs,
                  jac=chain_jac, kind="flow", meta=meta)


def pendulum_rhs(t, x, p):
    # damped, driven pendulum: theta'' = -theta'/q - sin(theta) + g cos(phase)
    g, omega, q = p
    return np.array([x[1], -x[1] / q - np.sin(x[0]) + g * np.cos(x[2]), omega])


def bouc_wen_rhs(t, x, p):
    # m y'' + c y' + k y + z = u, z' = alpha y' - beta (gamma |y'| |z|^(nu-1) z + delta y' |z|^nu)
    # with force input u = amp sin(phase)
    y, v, z, ph = x[0], x[1], x[2], x[3]
    alpha, amp, beta, c, delta, gamma, k, m, nu, omega = p
    u = amp * np.sin(ph)
    az = abs(z)
    zdot = alpha * v - beta * (gamma * abs(v) * az ** (nu - 1.0) * z + delta * v * az ** nu)
    return np.array([v, (u - c * v - k * y - z) / m, zdot, omega])


def silverbox_rhs(t, x, p):
    # electronic Duffing oscillator: m y'' + d y' + a y + b y^3 = u, u = amp sin(phase)
    a, amp, b, d, m, omega = p
    return np.array([x[1], (amp * np.sin(x[2]) - d * x[1] - a * x[0] - b * x[0] ** 3) / m, omega])


def lotka_volterra_rhs(t, x, p):
    alpha, beta, delta, gamma = p
    return np.array([alpha * x[0] - beta * x[0] * x[1], delta * x[0] * x[1] - gamma * x[1]])


def lotka_volterra_jac(t, x, p):
    alpha, beta, delta, gamma = p
    return np.array([[alpha - beta * x[1], -beta * x[0]], [delta * x[1], delta * x[0] - gamma]])


def leslie_gower_rhs(t, x, p):
    # prey with Ricker growth and predation; predator with prey-proportional capacity
    a, r, s = p
    return np.array([x[0] * np.exp(r * (1.0 - x[0]) - a * x[1]),
                     x[1] * np.exp(s * (1.0 - x[1] / x[0]))])


def chialvo_ring_star_rhs(t, x, p):
    # node 0 is the hub; nodes 1..n-1 form a ring; state (x_0..x_{n-1}, y_0..y_{n-1})
    a, b, c, k0, mu, radius, sigma = p
    n = x.shape[0] // 2
    R = int(radius)
    out = np.empty(2 * n)
    fx = np.empty(n)
    for i in range(n):
        fx[i] = x[i] ** 2 * np.exp(x[n + i] - x[i]) + k0
        out[n + i] = a * x[n + i] - b * x[i] + c
    m = n - 1
    hub = 0.0
    for i in range(1, n):
        hub += x[i] - x[0]
    out[0] = fx[0] + mu * hub / m
    for i in range(1, n):
        ring = 0.0
        for j in range(-R, R + 1):
            ring += x[1 + (i - 1 + j) % m] - x[i]
        out[i] = fx[i] + mu * (x[0] - x[i]) + sigma / (2.0 * R) * ring
    return out


def chialvo_rulkov_rhs(t, x, p):
    # chain alternating Chialvo (even) and Rulkov (odd) map neurons, coupled in x
    a, alpha, b, c, eps, k0, mu, sig = p
    n = x.shape[0] // 2
    out = np.empty(2 * n)
    for i in range(n):
        u, w = x[i], x[n + i]
        if i % 2 == 0:
            out[i] = u ** 2 * np.exp(w - u) + k0
            out[n + i] = a * w - b * u + c
        else:
            out[i] = alpha / (1.0 + u ** 2) + w
            out[n + i] = w - mu * (u - sig)
        left = x[i - 1] if i > 0 else u
        right = x[i + 1] if i < n - 1 else u
        out[i] += eps * (left + right - 2.0 * u)
    return out


def coupled_logistic_rhs(t, x, p):
    # coupled map lattice of logistic maps with periodic boundary
    eps, r = p
    n = x.shape[0]
    f = r * x * (1.0 - x)
    out = np.empty(n)
    for i in range(n):
        out[i] = (1.0 - eps) * f[i] + 0.5 * eps * (f[i - 1] + f[(i + 1) % n])
    return out


def chialvo_ring_star(n: int = 10, mu: float = 0.1, sigma: float = 0.05,
                      radius: int = 2) -> System:
    """Chialvo map neurons in a ring-star network (hub plus ring of ``n - 1``).

    Examples
    --------
    >>> chialvo_ring_star(6).dim
    12
    """
    rng = np.random.default_rng(0)
    x0 = np.concatenate([rng.uniform(0.5, 1.5, n), rng.uniform(1.5, 2.5, n)])
    return System("ChialvoRingStar", 2 * n, {"a": 0.89, "b": 0.6, "c": 0.28, "k0": 0.04,
                                             "mu": mu, "radius": radius, "sigma": sigma},
                  x0, 1.0, chialvo_ring_star_rhs, kind="map",
                  meta={"citation": "Chialvo, D. R. (1995). Generic excitable dynamics on a "
                                    "two-dimensional map. Chaos Solitons Fractals 5, 461-479; "
                                    "ring-star coupling as in Muni, S. S. and Provata, A. "
                                    "(2020). Chimera states in ring-star network of Chialvo "
                                    "neuron models. Nonlinear Dyn. 101, 2509-2521.",
                        "description": f"ring-star network of {n} Chialvo neurons"})


def chialvo_rulkov_chain(n: int = 6, eps: float = 0.05) -> System:
    """A chain alternating Chialvo and Rulkov map neurons, diffusively coupled.

    Examples
    --------
    >>> chialvo_rulkov_chain(4).dim
    8
    """
    x0 = np.concatenate([np.where(np.arange(n) % 2 == 0, 1.0, -1.0),
                         np.where(np.arange(n) % 2 == 0, 2.0, -3.0)])
    return System("ChialvoRulkovChain", 2 * n,
                  {"a": 0.89, "alpha": 4.5, "b": 0.6, "c": 0.28, "eps": eps, "k0": 0.04,
                   "mu": 0.001, "sig": 0.14}, x0, 1.0, chialvo_rulkov_rhs, kind="map",
                  meta={"citation": "Chialvo (1995), Chaos Solitons Fractals 5, 461-479; "
                                    "Rulkov, N. F. (2002). Modeling of spiking-bursting neural "
                                    "behavior using two-dimensional map. Phys. Rev. E 65, 041922.",
                        "description": f"chain of {n} alternating Chialvo/Rulkov neurons"})


def coupled_logistic(n: int = 8, r: float = 3.9, eps: float = 0.1) -> System:
    """A ring of ``n`` diffusively coupled logistic (unimodal) maps.

    Examples
    --------
    >>> coupled_logistic(5).dim
    5
    """
    x0 = 0.2 + 0.6 * np.random.default_rng(0).random(n)
    return System("CoupledLogistic", n, {"eps": eps, "r": r}, x0, 1.0, coupled_logistic_rhs,
                  kind="map",
                  meta={"citation": "Kaneko, K. (1989). Pattern dynamics in spatiotemporal "
                                    "chaos. Physica D 34, 1-41.",
                        "description": f"coupled map lattice of {n} logistic maps"})


CATALOG: tuple[System, ...] = (
    System("VanDerPol", 2, {"mu": 1.0}, [2.0, 0.0], 0.05, vanderpol_rhs, vanderpol_jac,
           meta={"citation": "van der Pol, B. (1926). On relaxation-oscillations. "
                             "Phil. Mag. 2, 978-992.", "fixed_dt": True,
                 "description": "relaxation oscillator with a stable limit cycle"}),
    oscillator_chain(),
    oscillator_chain(3, force=0.5, omega=0.8),
    System("Pendulum", 3, {"g": 1.5, "omega": 2.0 / 3.0, "q": 2.0}, [0.2, 0.0, 0.0], 0.05,
           pendulum_rhs,
           meta={"citation": "Baker, G. L. and Gollub, J. P. (1996). Chaotic Dynamics: An "
                             "Introduction, 2nd ed., Cambridge University Press.",
                 "description": "damped driven pendulum; third state is the forcing phase"}),
    System("BoucWen", 4, {"alpha": 5e4, "amp": 50.0, "beta": 1e3, "c": 10.0, "delta": -1.1,
                          "gamma": 0.8, "k": 5e4, "m": 2.0, "nu": 1.0,
                          "omega": 2 * np.pi * 20.0}, [0.0, 0.0, 0.0, 0.0], 1e-3,
           bouc_wen_rhs,
           meta={"citation": "Noel, J. P. and Schoukens, M. (2016). Hysteretic benchmark with "
                             "a dynamic nonlinearity. Workshop on Nonlinear System "
                             "Identification Benchmarks.",
                 "description": "Bouc-Wen hysteretic oscillator driven by a sinusoidal force "
                                "input amp sin(phase); last state is the phase"}),
    System("Silverbox", 3, {"a": 1.0, "amp": 0.5, "b": 1.0, "d": 0.1, "m": 1.0, "omega": 1.2},
           [0.0, 0.0, 0.0], 0.05, silverbox_rhs,
           meta={"citation": "Wigren, T. and Schoukens, J. (2013). Three free data sets for "
                             "development and benchmarking in nonlinear system "
                             "identification. European Control Conference, 2933-2938.",
                 "description": "Silverbox-like electronic Duffing oscillator (hardening "
                                "spring) with sinusoidal input; last state is the phase"}),
    System("LotkaVolterra", 2, {"alpha": 2.0 / 3.0, "beta": 4.0 / 3.0, "delta": 1.0,
                                "gamma": 1.0}, [1.0, 1.0], 0.1, lotka_volterra_rhs,
           lotka_volterra_jac,
           meta={"citation": "Lotka, A. J. (1925). Elements of Physical Biology; Volterra, V. "
                             "(1926). Mem. R. Accad. Naz. dei Lincei 2, 31-113.",
                 "description": "predator-prey cycles (conservative)"}),
    System("LesliePredatorPrey", 2, {"a": 2.0, "r": 2.5, "s": 1.5}, [0.6, 0.3], 1.0,
           leslie_gower_rhs, kind="map",
           meta={"citation": "Leslie, P. H. and Gower, J. C. (1960). The properties of a "
                             "stochastic model for the predator-prey type of interaction "
                             "between two species. Biometrika 47, 219-234.",
                 "description": "discrete Leslie-Gower predator-prey map"}),
    chialvo_ring_star(),
    chialvo_rulkov_chain(),
    coupled_logistic(),
)
