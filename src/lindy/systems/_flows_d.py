"""Non-polynomial flows: forced oscillators, circuits, fluid tracer flows,
neuron and chemical kinetics models.

Pure right-hand sides ``rhs(t, s, p)``; parameters in alphabetical order of their
names; array-valued parameters flattened row-major. Periodically forced systems
carry the forcing phase as a state (``dz/dt = omega``), so they are autonomous.
"""

import numpy as np

__all__ = ["RHS"]


def thomas(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([-a * x + b * np.sin(y), -a * y + b * np.sin(z), -a * z + b * np.sin(x)])


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


def forced_brusselator(t, s, p):
    x, y, z = s
    a, b, f, w = p
    return np.array([a + x ** 2 * y - (b + 1.0) * x + f * np.cos(z), b * x - x ** 2 * y, w])


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


def jerk_circuit(t, s, p):
    x, y, z = s
    eps, y0 = p
    return np.array([y, z, -z - x - eps * (np.exp(y / y0) - 1.0)])


def windmi_reduced(t, s, p):
    i, v, pp = s
    a1, b1, b2, b3, d1, vsw = p
    return np.array([
        a1 * (vsw - v),
        b1 * i - b2 * pp / 2.0 - b3 * v,
        vsw ** 2 - pp ** 1.25 * vsw ** 0.5 * (1.0 + np.tanh(d1 * (i - 1.0))) / 2.0,
    ])


def coevolving_predator_prey(t, s, p):
    x, y, al = s
    a1, a2, a3, b1, b2, d1, d2, delta, k1, k2, k4, vv = p
    ad = al * delta
    return np.array([
        x * (-(a3 * y) / (1.0 + b2 * x)
             + a1 * al * (1.0 - k1 * x * (-al + ad)) / (1.0 + b1 * al)
             - d1 * (1.0 - k2 * (-(al ** 2) + ad ** 2) + k4 * (-(al ** 4) + ad ** 4))),
        (-d2 + a2 * x / (1.0 + b2 * x)) * y,
        vv * (-(a1 * k1 * x * al * delta) / (1.0 + b1 * al)
              - d1 * (-2.0 * k2 * al * delta ** 2 + 4.0 * k4 * al ** 3 * delta ** 4)),
    ])


def belousov_zhabotinsky(t, s, p):
    x, z, v = s
    (c1, c10, c11, c12, c13, c2, c3, c4, c5, c6, c7, c8, c9, ci, kf, t0, y0, yb1, yb2, yb3,
     z0) = p
    ybar = yb1 * z * v / (y0 * (yb2 * x + yb3 + kf))
    x = max(0.0, x)
    rf = (ci - z0 * z) * np.sqrt(x)
    return t0 * np.array([
        c1 * x * ybar + c2 * ybar + c3 * x ** 2 + c4 * rf + c5 * x * z - kf * x,
        (c6 / z0) * rf + c7 * x * z + c8 * z * v + c9 * z - kf * z,
        c10 * x * ybar + c11 * ybar + c12 * x ** 2 + c13 * z * v - kf * v,
    ])


def excitable_cell(t, s, p):
    v, n, c = s
    (aho, ahr, ahs, ams, amvb, amvo, ans, anvb, anvo, ar, bho, bhr, bmo, bmr, bms, bno, bnr,
     bns, gi, gkc, gkv, gl, kc, rho, tscl, vc, vi, vk, vl, vm, vn) = p
    alpham = ams * (amvb + v) / (1.0 - np.exp(-ar * v - amvo))
    betam = bms * np.exp(-bmr * v - bmo)
    minf = alpham / (alpham + betam)
    alphah = ahs * np.exp(-ahr * v - aho)
    betah = 1.0 / (1.0 + np.exp(-bhr * v - bho))
    hinf = alphah / (alphah + betah)
    alphan = ans * (anvb + v) / (1.0 - np.exp(-ar * v - anvo))
    betan = bns * np.exp(-bnr * v - bno)
    ninf = alphan / (alphan + betan)
    tau = 1.0 / (tscl * (alphan + betan))
    ca = c / (1.0 + c)
    return np.array([
        gi * minf ** 3 * hinf * (vi - v) + gkv * n ** 4 * (vk - v) + gkc * ca * (vk - v)
        + gl * (vl - v),
        (ninf - n) / tau,
        rho * (minf ** 3 * hinf * (vc - v) - kc * c),
    ])


def ca_two_plus(t, s, p):
    z, y, a = s
    K2, K5, Ka, Kd, Ky, Kz, V0, V1, V4, Vm2, Vm3, Vm5, beta, eps, k, kf, m, n, pp = p
    vin = V0 + V1 * beta
    v2 = Vm2 * z ** 2 / (K2 ** 2 + z ** 2)
    v3 = (Vm3 * z ** m / (Kz ** m + z ** m)) * (y ** 2 / (Ky ** 2 + y ** 2)) * (
        a ** 4 / (Ka ** 4 + a ** 4))
    v5 = Vm5 * (a ** pp / (K5 ** pp + a ** pp)) * (z ** n / (Kd ** n + z ** n))
    return np.array([vin - v2 + v3 + kf * y - k * z, v2 - v3 - kf * y, beta * V4 - v5 - eps * a])


def fluid_trampoline(t, s, p):
    x, y, th = s
    gamma, psi, w = p
    contact = 1.0 if x < 0 else 0.0
    return np.array([y, -1.0 - contact * (x + psi * y * abs(y)) + gamma * np.cos(th), w])


def anishchenko_astakhov(t, s, p):
    x, y, z = s
    eta, mu = p
    return np.array([mu * x + y - x * z, -x, -eta * z + (eta * x ** 2 if x > 0 else 0.0)])


def colpitts(t, s, p):
    x, y, z = s
    a, b, c, d, e = p
    fz = max(-(z - (e - 1.0)), 0.0)
    return np.array([y - a * fz, c - x - b * y - z, y - d * z])


def turchin_hanski(t, s, p):
    n, pp, z = s
    a, d, e, g, h, lamb, r, ss = p
    season = 1.0 - e * np.sin(z)
    return np.array([
        r * season * n - r * n ** 2 - g * n ** 2 / (n ** 2 + h ** 2) - a * n * pp / (n + d),
        ss * season * pp - ss * pp ** 2 / n,
        2.0 * np.pi * lamb,
    ])


def stick_slip_oscillator(t, s, p):
    x, v, th = s
    a, alpha, b, beta, eps, gamma, t0, vs, w = p
    tq = t0 * np.sign(v - vs) - alpha * v + beta * (v - vs) ** 3
    return np.array([v, eps * (gamma * np.cos(th) - tq) + a * x - b * x ** 3, w])


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


def torus(t, s, p):
    a, n, r = p
    return np.array([
        -a * n * np.sin(n * t) * np.cos(t) - (r + a * np.cos(n * t)) * np.sin(t),
        -a * n * np.sin(n * t) * np.sin(t) + (r + a * np.cos(n * t)) * np.cos(t),
        a * n * np.cos(n * t),
    ])


def yu_wang(t, s, p):
    x, y, z = s
    a, b, c, d = p
    return np.array([a * (y - x), b * x - c * x * z, np.exp(x * y) - d * z])


def yu_wang2(t, s, p):
    x, y, z = s
    a, b, c, d = p
    return np.array([a * (y - x), b * x - c * x * z, np.cosh(x * y) - d * z])


def san_um_srisuchinwong(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([y - x, -z * np.tanh(x), -a + x * y + abs(y)])


def sprott_more(t, s, p):
    x, y, z = s
    return np.array([y, -x - np.sign(z) * y, y ** 2 - np.exp(-(x ** 2))])


RHS = {
    "Thomas": thomas,
    "ThomasLabyrinth": thomas,
    "Chua": chua,
    "MultiChua": multi_chua,
    "Duffing": duffing,
    "ForcedVanDerPol": forced_van_der_pol,
    "ForcedFitzHughNagumo": forced_fitzhugh_nagumo,
    "ForcedBrusselator": forced_brusselator,
    "DoubleGyre": double_gyre,
    "BlinkingRotlet": blinking_rotlet,
    "BlinkingVortex": blinking_rotlet,
    "LidDrivenCavityFlow": lid_driven_cavity,
    "InteriorSquirmer": interior_squirmer,
    "OscillatingFlow": oscillating_flow,
    "BickleyJet": bickley_jet,
    "ArnoldBeltramiChildress": arnold_beltrami_childress,
    "JerkCircuit": jerk_circuit,
    "WindmiReduced": windmi_reduced,
    "CoevolvingPredatorPrey": coevolving_predator_prey,
    "BelousovZhabotinsky": belousov_zhabotinsky,
    "ExcitableCell": excitable_cell,
    "CaTwoPlus": ca_two_plus,
    "CaTwoPlusQuasiperiodic": ca_two_plus,
    "FluidTrampoline": fluid_trampoline,
    "AnishchenkoAstakhov": anishchenko_astakhov,
    "Colpitts": colpitts,
    "TurchinHanski": turchin_hanski,
    "StickSlipOscillator": stick_slip_oscillator,
    "CellularNeuralNetwork": cellular_neural_network,
    "Torus": torus,
    "YuWang": yu_wang,
    "YuWang2": yu_wang2,
    "SanUmSrisuchinwong": san_um_srisuchinwong,
    "SprottMore": sprott_more,
}
