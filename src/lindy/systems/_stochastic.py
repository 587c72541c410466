"""Stochastic systems (kind ``"sde"``): additive noise of intensity ``sigma``.

``simulate`` integrates them by Euler-Maruyama (flows) or adds noise after each
iteration (maps, ``meta["discrete"]``). The drift is the right-hand side; the
noise acts on the coordinates in ``meta["noise_dims"]`` (default: all).
"""

from __future__ import annotations

import numpy as np

from ._system import System

__all__ = ["STOCHASTIC"]


def ou_rhs(t, x, p):
    mu, sigma, theta = p
    return theta * (mu - x)


def double_well_rhs(t, x, p):
    # overdamped Langevin dynamics in the potential V(x) = x^4/4 - x^2/2
    return np.array([x[0] - x[0] ** 3])


def noisy_logistic_rhs(t, x, p):
    r, sigma = p
    y = min(max(x[0], 0.0), 1.0)  # keep the noisy state in the unit interval
    return np.array([r * y * (1.0 - y)])


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
