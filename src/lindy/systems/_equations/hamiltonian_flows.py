"""Hamiltonian (conservative) flows: Henon-Heiles, the nuclear quadrupole, double
pendulum, swinging Atwood machine and Arnold's web.

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


def henon_heiles(t, s, p):
    x, y, px, py = s
    lam = p[0]
    return np.array([px, py, -x - 2.0 * lam * x * y, -y - lam * x ** 2 + lam * y ** 2])


def nuclear_quadrupole(t, s, p):
    q1, q2, p1, p2 = s
    a, b, d = p
    r2 = np.sqrt(2.0)
    return np.array([
        a * p1,
        a * p2,
        -a * q1 + 3.0 / r2 * b * (q1 ** 2 - q2 ** 2) - d * q1 * (q1 ** 2 + q2 ** 2),
        -a * q2 - 3.0 * r2 * b * q1 * q2 - d * q2 * (q1 ** 2 + q2 ** 2),
    ])


def double_pendulum(t, s, p):
    th1, th2, p1, p2 = s
    g, l1, l2, m1, m2 = p
    cd = np.cos(th1 - th2)
    sd = np.sin(th1 - th2)
    den = l1 * l2 * (m1 + m2 * sd ** 2)
    th1dot = (l2 * p1 - l1 * p2 * cd) / (l1 * den)
    th2dot = ((m1 + m2) * l1 * p2 - m2 * l2 * p1 * cd) / (m2 * l2 * den)
    h1 = p1 * p2 * sd / den
    h2 = (m2 * l2 * p1 ** 2) / (2.0 * l1 * den ** 2) + 0.5 * m2 * p2 * l2 * l1 * th2dot / den
    h2 *= np.sin(2.0 * (th1 - th2))
    return np.array([
        th1dot,
        th2dot,
        -(m1 + m2) * g * l1 * np.sin(th1) - h1 + h2,
        -m2 * g * l2 * np.sin(th2) + h1 - h2,
    ])


def swinging_atwood(t, s, p):
    r, th, pr, pth = s
    m1, m2 = p
    g = 9.82
    return np.array([
        pr / (m1 + m2),
        pth / (m1 * r ** 2),
        pth ** 2 / (m1 * r ** 3) - m2 * g + m1 * g * np.cos(th),
        -m1 * g * r * np.sin(th),
    ])


def arnold_web(t, s, p):
    p1, p2, x1, x2, z = s
    mu, w = p
    den = (4.0 + np.cos(z) + np.cos(x1) + np.cos(x2)) ** 2
    return np.array([-mu * np.sin(x1) / den, -mu * np.sin(x2) / den, p1, p2, w])


#: published-collection name -> right-hand side
RHS = {
    "HenonHeiles": henon_heiles,
    "NuclearQuadrupole": nuclear_quadrupole,
    "DoublePendulum": double_pendulum,
    "SwingingAtwood": swinging_atwood,
    "ArnoldWeb": arnold_web,
}
