"""Scalar delay differential equations ``x'(t) = f(x(t), x(t - tau))``.

The right-hand side receives ``s = [x(t), x(t - tau)]``; the delay is the
parameter ``tau``. Integrated by the method of steps
(``lindy.systems.integrators``, entry point ``delay_batch``).
"""

import numpy as np

__all__ = ["RHS"]


def mackey_glass(t, s, p):
    x, xt = s
    beta, gamma, n, tau = p
    return np.array([beta * xt / (1.0 + xt ** n) - gamma * x])


def ikeda_delay(t, s, p):
    x, xt = s
    c, mu, tau, x0 = p
    return np.array([mu * np.sin(xt - x0) - c * x])


def voss_delay(t, s, p):
    x, xt = s
    alpha, tau = p
    return np.array([-alpha * x - 10.44 * xt ** 3 - 13.95 * xt ** 2 - 3.63 * xt + 0.85])


def scroll_delay(t, s, p):
    x, xt = s
    alpha, beta, tau = p
    return np.array([-alpha * xt + beta * np.tanh(10.0 * xt)])


def piecewise_circuit(t, s, p):
    x, xt = s
    alpha, beta, c, tau = p
    return np.array([-alpha * xt + beta * (-((xt / c) ** 3) + 3.0 * xt / c)])


#: published-collection name -> right-hand side
RHS = {
    "MackeyGlass": mackey_glass,
    "IkedaDelay": ikeda_delay,
    "SprottDelay": ikeda_delay,
    "VossDelay": voss_delay,
    "ScrollDelay": scroll_delay,
    "PiecewiseCircuit": piecewise_circuit,
}
