"""Electronic circuits: Chua's circuit and its multi-scroll variant, the jerk,
Anishchenko-Astakhov and Colpitts oscillators, and a cellular neural network.

Pure right-hand sides ``rhs(t, s, p)`` of the state ``s`` and the parameter
values ``p`` in the order of ``System.params`` (alphabetical for the published
collection; array-valued parameters flattened row-major), written so that numba
can compile them. ``RHS`` maps published-collection names to them.
Equations follow the publications cited in ``published.json`` (as collected by
Gilpin, 2021, "Chaos as an interpretable benchmark for forecasting and
data-driven modelling", NeurIPS Datasets and Benchmarks).
"""

import numpy as np

__all__ = ["RHS"]


def chua(t, s, p):
    x, y, z = s
    alpha, beta, m0, m1 = p
    g = m1 * x + 0.5 * (m0 - m1) * (abs(x + 1.0) - abs(x - 1.0))
    return np.array([alpha * (y - x - g), x - y + z, -beta * y])


def multi_chua(t, s, p):
    x, y, z = s
    a, b = p[0], p[1]
    g = p[13] * x
    for i in range(1, 6):
        g += 0.5 * (p[8 + i - 1] - p[8 + i]) * (abs(x + p[2 + i]) - abs(x - p[2 + i]))
    return np.array([a * (y - g), x - y + z, -b * y])


def jerk_circuit(t, s, p):
    x, y, z = s
    eps, y0 = p
    return np.array([y, z, -z - x - eps * (np.exp(y / y0) - 1.0)])


def anishchenko_astakhov(t, s, p):
    x, y, z = s
    eta, mu = p
    return np.array([mu * x + y - x * z, -x, -eta * z + (eta * x ** 2 if x > 0 else 0.0)])


def colpitts(t, s, p):
    x, y, z = s
    a, b, c, d, e = p
    fz = max(-(z - (e - 1.0)), 0.0)
    return np.array([y - a * fz, c - x - b * y - z, y - d * z])


def cellular_neural_network(t, s, p):
    x, y, z = s
    a, b, c, d = p
    fx = 0.5 * (abs(x + 1.0) - abs(x - 1.0))
    fy = 0.5 * (abs(y + 1.0) - abs(y - 1.0))
    fz = 0.5 * (abs(z + 1.0) - abs(z - 1.0))
    return np.array([
        -x + d * fx - b * fy - b * fz,
        -y - b * fx + c * fy - a * fz,
        -z - b * fx + a * fy + fz,
    ])


#: published-collection name -> right-hand side
RHS = {
    "Chua": chua,
    "MultiChua": multi_chua,
    "JerkCircuit": jerk_circuit,
    "AnishchenkoAstakhov": anishchenko_astakhov,
    "Colpitts": colpitts,
    "CellularNeuralNetwork": cellular_neural_network,
}
