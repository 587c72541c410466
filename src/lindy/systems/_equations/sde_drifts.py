"""Drifts of the stochastic systems (kind ``"sde"``); the noise of intensity
``sigma`` is added by the integrator (``lindy.systems.integrators``).
"""

import numpy as np

__all__ = ["ou_rhs", "double_well_rhs", "noisy_logistic_rhs"]


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
