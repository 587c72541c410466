"""Chaotic flows of dimension four and more: hyperchaotic extensions of the 3D
flows (HyperLorenz, HyperRossler, ...), coupled Lorenz systems and Lorenz-96.

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


def hyper_rossler(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([-y - z, x + a * y + w, b + x * z, -c * z + d * w])


def hyper_lorenz(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([a * (y - x) + w, -x * z + c * x - y, -b * z + x * y, d * w - x * z])


def hyper_cai(t, s, p):
    x, y, z, w = s
    a, b, c, d, e = p
    return np.array([a * (y - x), b * x + c * y - x * z + w, -d * z + y ** 2, -e * x])


def hyper_bao(t, s, p):
    x, y, z, w = s
    a, b, c, d, e = p
    return np.array([a * (y - x) + w, c * y - x * z, x * y - b * z, e * x + d * y * z])


def hyper_jha(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([a * (y - x) + w, -x * z + b * x - y, x * y - c * z, -x * z + d * w])


def hyper_qi(t, s, p):
    x, y, z, w = s
    a, b, c, d, e, f = p
    return np.array([
        a * (y - x) + y * z,
        b * (x + y) - x * z,
        -c * z - e * w + x * y,
        -d * w + f * z + x * y,
    ])


def qi(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([
        a * (y - x) + y * z * w,
        b * (x + y) - x * z * w,
        -c * z + x * y * w,
        -d * w + x * y * z,
    ])


def lorenz_stenflo(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([a * (y - x) + d * w, c * x - x * z - y, x * y - b * z, -x - a * w])


def hyper_yang_chen(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([a * (y - x), c * x - x * z + w, -b * z + x * y, -d * x])


def hyper_yan(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([
        a * (y - x),
        (c - a) * x - x * z + c * y,
        -b * z + x * y - y * z + x * z - w,
        -d * w + y * z - x * z,
    ])


def hyper_xu(t, s, p):
    x, y, z, w = s
    a, b, c, d, e = p
    return np.array([a * (y - x) + w, b * x + e * x * z, -c * z - x * y, x * z - d * y])


def hyper_wang(t, s, p):
    x, y, z, w = s
    a, b, c, d, e = p
    return np.array([a * (y - x), -x * z + b * x + w, -c * z + e * x ** 2, -d * x])


def hyper_pang(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([a * (y - x), -x * z + c * y + w, x * y - b * z, -d * (x + y)])


def hyper_lu(t, s, p):
    x, y, z, w = s
    a, b, c, d = p
    return np.array([a * (y - x) + w, -x * z + c * y, x * y - b * z, d * w + x * z])


def lorenz_coupled(t, s, p):
    x1, y1, z1, x2, y2, z2 = s
    beta, eps, rho, rho1, rho2, sigma = p
    return np.array([
        sigma * (y1 - x1),
        rho1 * x1 - x1 * z1 - y1,
        x1 * y1 - beta * z1,
        sigma * (y2 - x2) + eps * (x1 - x2),
        rho2 * x2 - x2 * z2 - y2,
        x2 * y2 - beta * z2,
    ])


def lorenz96(t, s, p):
    f = p[0]
    n = s.shape[0]
    out = np.empty(n)
    for i in range(n):
        out[i] = (s[(i + 1) % n] - s[i - 2]) * s[i - 1] - s[i] + f
    return out


#: published-collection name -> right-hand side
RHS = {
    "HyperRossler": hyper_rossler,
    "HyperLorenz": hyper_lorenz,
    "HyperCai": hyper_cai,
    "HyperBao": hyper_bao,
    "HyperJha": hyper_jha,
    "HyperQi": hyper_qi,
    "Qi": qi,
    "LorenzStenflo": lorenz_stenflo,
    "HyperYangChen": hyper_yang_chen,
    "HyperYan": hyper_yan,
    "HyperXu": hyper_xu,
    "HyperWang": hyper_wang,
    "HyperPang": hyper_pang,
    "HyperLu": hyper_lu,
    "LorenzCoupled": lorenz_coupled,
    "Lorenz96": lorenz96,
}
