"""Systems defined in code: classic and engineering systems, factories, SDEs.

``CATALOG`` holds oscillators, hysteresis and population models, map-based
neuron networks and coupled map lattices (default instances, registered by
name); the factories build them at any size. ``STOCHASTIC`` holds the
stochastic systems (kind ``"sde"``): additive noise of intensity ``sigma``,
integrated by Euler-Maruyama (flows) or added after each iteration (maps,
``meta["discrete"]``), on the coordinates in ``meta["noise_dims"]`` (default:
all). Their right-hand sides are in ``_equations``.
"""

from __future__ import annotations

import numpy as np

from ._equations.biological_flows import lotka_volterra_jac, lotka_volterra_rhs
from ._equations.maps import (
    chialvo_ring_star_rhs,
    chialvo_rulkov_rhs,
    coupled_logistic_rhs,
    leslie_gower_rhs,
)
from ._equations.oscillators import (
    bouc_wen_rhs,
    chain_jac,
    chain_rhs,
    pendulum_rhs,
    silverbox_rhs,
    vanderpol_jac,
    vanderpol_rhs,
)
from ._equations.sde_drifts import double_well_rhs, noisy_logistic_rhs, ou_rhs
from ._system import System

__all__ = ["CATALOG", "STOCHASTIC", "oscillator_chain", "chialvo_ring_star",
           "chialvo_rulkov_chain", "coupled_logistic"]


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


STOCHASTIC: tuple[System, ...] = (
    System("OrnsteinUhlenbeck", 1, {"mu": 0.0, "sigma": 0.5, "theta": 1.0}, [1.0], 0.01, ou_rhs,
           kind="sde",
           meta={"citation": "Uhlenbeck, G. E. and Ornstein, L. S. (1930). On the theory of the "
                             "Brownian motion. Phys. Rev. 36, 823-841.",
                 "description": "mean-reverting Gaussian process dx = theta (mu - x) dt + "
                                "sigma dW", "period": 2 * np.pi, "fixed_dt": True}),
    System("DoubleWellLangevin", 1, {"sigma": 0.5}, [1.0], 0.01, double_well_rhs, kind="sde",
           meta={"citation": "Kramers, H. A. (1940). Brownian motion in a field of force and "
                             "the diffusion model of chemical reactions. Physica 7, 284-304.",
                 "description": "overdamped Langevin dynamics in a double-well potential",
                 "period": 2 * np.pi, "fixed_dt": True}),
    System("NoisyLogistic", 1, {"r": 3.8, "sigma": 0.01}, [0.4], 1.0, noisy_logistic_rhs,
           kind="sde",
           meta={"citation": "May (1976), Nature 261, 459-467, with additive dynamical noise",
                 "description": "logistic map with additive dynamical noise", "discrete": True,
                 "period": 1.0, "fixed_dt": True}),
)
