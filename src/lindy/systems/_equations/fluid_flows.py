"""Tracer (passive particle) flows of fluid mechanics: the double gyre, Bickley jet,
blinking rotlet, lid-driven cavity, squirmer, oscillating flow and the
Arnold-Beltrami-Childress flow; time-periodic ones carry the phase as a state.

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


def double_gyre(t, s, p):
    x, y, z = s
    alpha, eps, omega = p
    a = eps * np.sin(z)
    b = 1.0 - 2.0 * eps * np.sin(z)
    f = a * x ** 2 + b * x
    return np.array([
        -alpha * np.pi * np.sin(np.pi * f) * np.cos(np.pi * y),
        alpha * np.pi * np.cos(np.pi * f) * np.sin(np.pi * y) * (2.0 * a * x + b),
        omega,
    ])


def blinking_rotlet(t, s, p):
    # Stokes flow in a disk stirred by two alternating rotlets at +-b
    r, th, tt = s
    a, b0, bc, sigma, tau = p
    w = 0.5 + 0.5 * np.tanh(tau * 20.0 * np.sin(2.0 * np.pi * tt / tau))
    dr = 0.0
    dth = 0.0
    for k in range(2):
        b = b0 if k == 0 else -b0
        wk = w if k == 0 else 1.0 - w
        kappa = a ** 2 + (b ** 2 * r ** 2) / a ** 2 - 2.0 * b * r * np.cos(th)
        gamma = (1.0 - r ** 2 / a ** 2) * (a ** 2 - (b ** 2 * r ** 2) / a ** 2)
        iota = (b ** 2 * r) / a ** 2 - b * np.cos(th)
        zeta = b ** 2 + r ** 2 - 2.0 * b * r * np.cos(th)
        nu = a ** 2 + b ** 2 - (2.0 * b ** 2 * r ** 2) / a ** 2
        vr = b * np.sin(th) * (-bc * (gamma / kappa ** 2) - 1.0 / kappa + 1.0 / zeta)
        vth = (bc * (gamma * iota) / kappa ** 2 + bc * r * nu / (a ** 2 * kappa) + iota / kappa
               - (r - b * np.cos(th)) / zeta)
        dr += wk * vr
        dth += wk * vth
    return np.array([sigma * dr, sigma * dth / r, 1.0])


def lid_driven_cavity(t, s, p):
    x, y, tt = s
    a, b, tau, u1_, u2 = p
    w = 0.5 + 0.5 * np.tanh(tau * 20.0 * np.sin(2.0 * np.pi * tt / tau))
    pi = np.pi
    dx = 0.0
    dy = 0.0
    for k in range(2):
        u1 = u1_ if k == 0 else -u1_
        wk = w if k == 0 else 1.0 - w
        q1 = 2.0 * u1 * np.sin(pi * x / a) / (2.0 * b * pi + a * np.sinh(2.0 * pi * b / a))
        q2 = 2.0 * u2 * np.sin(2.0 * pi * x / a) / (4.0 * b * pi + a * np.sinh(4.0 * pi * b / a))
        vx1 = (-b * pi * np.sinh(pi * b / a) * np.sinh(pi * y / a)
               + np.cosh(pi * b / a) * (pi * y * np.cosh(pi * y / a) + a * np.sinh(pi * y / a)))
        vx2 = (-2.0 * b * pi * np.sinh(2.0 * pi * b / a) * np.sinh(2.0 * pi * y / a)
               + np.cosh(2.0 * pi * b / a) * (2.0 * pi * y * np.cosh(2.0 * pi * y / a)
                                              + a * np.sinh(2.0 * pi * y / a)))
        r1 = 2.0 * pi * u1 * np.cos(pi * x / a) / (2.0 * b * pi + a * np.sinh(2.0 * pi * b / a))
        r2 = (4.0 * pi * u2 * np.cos(2.0 * pi * x / a)
              / (4.0 * b * pi + a * np.sinh(4.0 * pi * b / a)))
        vy1 = (b * np.sinh(pi * b / a) * np.cosh(pi * y / a)
               - np.cosh(pi * b / a) * y * np.sinh(pi * y / a))
        vy2 = (b * np.sinh(2.0 * pi * b / a) * np.cosh(2.0 * pi * y / a)
               - np.cosh(2.0 * pi * b / a) * y * np.sinh(2.0 * pi * y / a))
        dx += wk * (q1 * vx1 + q2 * vx2)
        dy += wk * (r1 * vy1 + r2 * vy2)
    return np.array([dx, dy, 1.0])


def interior_squirmer(t, s, p):
    # parameters a (5), g (5), tau; squirming modes switched by a smooth protocol
    r, th, tt = s
    tau = p[10]
    ph = 0.5 + 0.5 * np.tanh(tau * 20.0 * np.sin(2.0 * np.pi * tt / tau))
    vr = 0.0
    vth = 0.0
    for i in range(5):
        n = i + 1.0
        an = p[i] * ph
        gn = p[5 + i] * (1.0 - ph)
        rn = r ** n
        sn, cn = np.sin(th * n), np.cos(th * n)
        vr += (gn * cn + an * sn) * n * rn * (r ** 2 - 1.0) / r
        vth += (2.0 * r + (r ** 2 - 1.0) * n / r) * (an * cn - gn * sn) * rn
    return np.array([vr, vth / r, 1.0])


def oscillating_flow(t, s, p):
    x, y, z = s
    b, k, omega, u = p
    f = x + b * np.sin(z)
    return np.array([u * np.cos(k * y) * np.sin(k * f), -u * np.sin(k * y) * np.cos(k * f), omega])


def bickley_jet(t, s, p):
    # state (y, x, phase); parameters ell, eps (3), k (3), omega, sigma (3), u
    y, x, z = s
    ell, omega, u = p[0], p[7], p[11]
    sech2 = 1.0 / np.cosh(y / ell) ** 2
    c = 0.0
    sn = 0.0
    for i in range(3):
        un = p[4 + i] * (x - z * p[8 + i])
        c += np.cos(un) * p[1 + i]
        sn += p[1 + i] * p[4 + i] * np.sin(un)
    return np.array([ell * u * sech2 * sn, u * sech2 * (-1.0 - 2.0 * c * np.tanh(y / ell)), omega])


def arnold_beltrami_childress(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([
        a * np.sin(z) + c * np.cos(y),
        b * np.sin(x) + a * np.cos(z),
        c * np.sin(y) + b * np.cos(x),
    ])


#: published-collection name -> right-hand side
RHS = {
    "DoubleGyre": double_gyre,
    "BlinkingRotlet": blinking_rotlet,
    "BlinkingVortex": blinking_rotlet,
    "LidDrivenCavityFlow": lid_driven_cavity,
    "InteriorSquirmer": interior_squirmer,
    "OscillatingFlow": oscillating_flow,
    "BickleyJet": bickley_jet,
    "ArnoldBeltramiChildress": arnold_beltrami_childress,
}
