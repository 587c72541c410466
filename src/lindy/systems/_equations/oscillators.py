"""Mechanical oscillators: the catalog's Van der Pol oscillator, linear chains of
masses (with Jacobians), the driven pendulum, the Bouc-Wen hysteretic and
Silverbox (Duffing) benchmarks, and the published forced Duffing, Van der Pol,
FitzHugh-Nagumo, stick-slip and fluid-trampoline oscillators.

Pure right-hand sides ``rhs(t, s, p)`` of the state ``s`` and the parameter
values ``p`` in the order of ``System.params`` (alphabetical for the published
collection; array-valued parameters flattened row-major), written so that numba
can compile them. ``RHS`` maps published-collection names to them.
Periodically forced systems carry the forcing phase as their last state
(``d phase / dt = omega``), so they are autonomous.
"""

import numpy as np

__all__ = ["RHS"]


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


def duffing(t, s, p):
    x, y, z = s
    alpha, beta, delta, gamma, omega = p
    return np.array([y, -delta * y - beta * x - alpha * x ** 3 + gamma * np.cos(z), omega])


def forced_van_der_pol(t, s, p):
    x, y, z = s
    a, mu, w = p
    return np.array([y, mu * (1.0 - x ** 2) * y - x + a * np.sin(z), w])


def forced_fitzhugh_nagumo(t, s, p):
    v, w, z = s
    a, b, curr, f, gamma, omega = p
    return np.array([v - v ** 3 / 3.0 - w + curr + f * np.sin(z), gamma * (v + a - b * w), omega])


def stick_slip_oscillator(t, s, p):
    x, v, th = s
    a, alpha, b, beta, eps, gamma, t0, vs, w = p
    tq = t0 * np.sign(v - vs) - alpha * v + beta * (v - vs) ** 3
    return np.array([v, eps * (gamma * np.cos(th) - tq) + a * x - b * x ** 3, w])


def fluid_trampoline(t, s, p):
    x, y, th = s
    gamma, psi, w = p
    contact = 1.0 if x < 0 else 0.0
    return np.array([y, -1.0 - contact * (x + psi * y * abs(y)) + gamma * np.cos(th), w])


#: published-collection name -> right-hand side
RHS = {
    "Duffing": duffing,
    "ForcedVanDerPol": forced_van_der_pol,
    "ForcedFitzHughNagumo": forced_fitzhugh_nagumo,
    "FluidTrampoline": fluid_trampoline,
    "StickSlipOscillator": stick_slip_oscillator,
}
