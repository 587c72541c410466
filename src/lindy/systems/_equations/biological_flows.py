"""Chemical, ecological, physiological and neural-network flows: predator-prey and
food-chain models, tumour growth, glycolysis and Belousov-Zhabotinsky kinetics,
cell-cycle, circadian and calcium oscillators, excitable cells, Hopfield and
continuous-time recurrent networks; also the catalog's Lotka-Volterra system
(with its Jacobian).

Pure right-hand sides ``rhs(t, s, p)`` of the state ``s`` and the parameter
values ``p`` in the order of ``System.params`` (alphabetical for the published
collection; array-valued parameters flattened row-major), written so that numba
can compile them. ``RHS`` maps published-collection names to them.
Periodically forced systems carry the forcing phase as a state.
"""

import numpy as np

__all__ = ["RHS"]


def lotka_volterra_rhs(t, x, p):
    alpha, beta, delta, gamma = p
    return np.array([alpha * x[0] - beta * x[0] * x[1], delta * x[0] * x[1] - gamma * x[1]])


def lotka_volterra_jac(t, x, p):
    alpha, beta, delta, gamma = p
    return np.array([[alpha - beta * x[1], -beta * x[0]], [delta * x[1], delta * x[0] - gamma]])


def isothermal_chemical(t, s, p):
    al, be, ga = s
    delta, kappa, mu, sigma = p
    return np.array([
        mu * (kappa + ga) - al * be ** 2 - al,
        (al * be ** 2 + al - be) / sigma,
        (be - ga) / delta,
    ])


def hastings_powell(t, s, p):
    x, y, z = s
    a1, a2, b1, b2, d1, d2 = p
    fx = a1 * x / (1.0 + b1 * x)
    fy = a2 * y / (1.0 + b2 * y)
    return np.array([x * (1.0 - x) - fx * y, fx * y - fy * z - d1 * y, fy * z - d2 * z])


def itik_banks_tumor(t, s, p):
    x, y, z = s
    a12, a13, a21, a31, d3, k3, r2, r3 = p
    return np.array([
        x * (1.0 - x) - a12 * x * y - a13 * x * z,
        r2 * y * (1.0 - y) - a21 * x * y,
        r3 * x * z / (x + k3) - a31 * x * z - d3 * z,
    ])


def blasius(t, s, p):
    x, y, z = s
    a, alpha1, alpha2, b, c, k1, k2, zs = p
    fx = alpha1 * x * y / (1.0 + k1 * x)
    fy = alpha2 * y * z / (1.0 + k2 * y)
    return np.array([a * x - fx, -b * y + fx - fy, -c * (z - zs) + fy])


def salton_sea(t, s, p):
    x, y, z = s
    a, d, k, lam, m, mu, r, th = p
    return np.array([
        r * x * (1.0 - (x + y) / k) - lam * x * y,
        lam * x * y - m * y * z / (y + a) - mu * y,
        th * y * z / (y + a) - d * z,
    ])


def glycolytic_oscillation(t, s, p):
    a, b, c = s
    d, k, l1, l2, nu, q1, q2, s1, s2 = p
    phi = a * (1.0 + a) * (1.0 + b) ** 2 / (l1 + (1.0 + a) ** 2 * (1.0 + b) ** 2)
    eta = b * (1.0 + d * b) * (1.0 + c) ** 2 / (l2 + (1.0 + d * b) ** 2 * (1.0 + c) ** 2)
    return np.array([nu - s1 * phi, q1 * s1 * phi - s2 * eta, q2 * s2 * eta - k * c])


def forced_brusselator(t, s, p):
    x, y, z = s
    a, b, f, w = p
    return np.array([a + x ** 2 * y - (b + 1.0) * x + f * np.cos(z), b * x - x ** 2 * y, w])


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


def turchin_hanski(t, s, p):
    n, pp, z = s
    a, d, e, g, h, lamb, r, ss = p
    season = 1.0 - e * np.sin(z)
    return np.array([
        r * season * n - r * n ** 2 - g * n ** 2 / (n ** 2 + h ** 2) - a * n * pp / (n + d),
        ss * season * pp - ss * pp ** 2 / n,
        2.0 * np.pi * lamb,
    ])


def mac_arthur(t, s, p):
    # 5 species N and 5 resources R; parameters c (5x5), d, k (5x5), m, r, s (5)
    n = 5
    d, k0, m, r = p[25], 26, p[51], p[52]
    out = np.empty(2 * n)
    mu = np.empty(n)
    for i in range(n):
        best = np.inf
        for j in range(n):
            rj = s[n + j]
            best = min(best, r * rj / (p[k0 + j * n + i] + rj))
        mu[i] = best
        out[i] = s[i] * (mu[i] - m)
    for j in range(n):
        acc = 0.0
        for i in range(n):
            acc += p[j * n + i] * mu[i] * s[i]
        out[n + j] = d * (p[53 + j] - s[n + j]) - acc
    return out


def cell_cycle(t, s, p):
    c1, m1, x1, c2, m2, x2 = s
    K, Kc, Kd1, Kim, V2, V4, Vm1, Vm3, kd1, vd, vi = p
    v1 = Vm1 * c1 / (Kc + c1)
    u1 = Vm1 * c2 / (Kc + c2)
    v3 = m1 * Vm3
    u3 = m2 * Vm3
    return np.array([
        vi * Kim / (Kim + m2) - vd * x1 * c1 / (Kd1 + c1) - kd1 * c1,
        v1 * (1.0 - m1) / (K + 1.0 - m1) - V2 * m1 / (K + m1),
        v3 * (1.0 - x1) / (K + 1.0 - x1) - V4 * x1 / (K + x1),
        vi * Kim / (Kim + m1) - vd * x2 * c2 / (Kd1 + c2) - kd1 * c2,
        u1 * (1.0 - m2) / (K + 1.0 - m2) - V2 * m2 / (K + m2),
        u3 * (1.0 - x2) / (K + 1.0 - x2) - V4 * x2 / (K + x2),
    ])


def circadian_rhythm(t, s, p):
    m, fc, fs, fn, th = s
    Ki, k, k1, k2, kd, kdn, km, ks, n, ps, vc, vd, vdn, vm, vmax, vmin = p
    vs = vc * ((0.5 + 0.5 * np.cos(th)) + vmin) * (vmax - vmin)
    return np.array([
        vs * Ki ** n / (Ki ** n + fn ** n) - vm * m / (km + m),
        ks * m - k1 * fc + k2 * fn - k * fc,
        k * fc - vd * fs / (kd + fs),
        k1 * fc - k2 * fn - vdn * fn / (kdn + fn),
        2.0 * np.pi / ps,
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


def hopfield(t, s, p):
    n = s.shape[0]
    beta, eps = p[0], p[1]
    tau = p[2 + n * n]
    out = np.empty(n)
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += p[2 + i * n + j] * s[j]
        out[i] = -s[i] / tau + 0.5 * (1.0 + np.tanh(eps * acc)) - beta
    return out


def beer_rnn(t, s, p):
    # parameters tau (3), theta (3), w (3x3)
    n = s.shape[0]
    out = np.empty(n)
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += p[2 * n + i * n + j] / (1.0 + np.exp(-(s[j] + p[n + j])))
        out[i] = (-s[i] + acc) / p[i]
    return out


#: published-collection name -> right-hand side
RHS = {
    "IsothermalChemical": isothermal_chemical,
    "HastingsPowell": hastings_powell,
    "ItikBanksTumor": itik_banks_tumor,
    "Blasius": blasius,
    "SaltonSea": salton_sea,
    "GlycolyticOscillation": glycolytic_oscillation,
    "CellCycle": cell_cycle,
    "CircadianRhythm": circadian_rhythm,
    "Hopfield": hopfield,
    "MacArthur": mac_arthur,
    "BeerRNN": beer_rnn,
    "ForcedBrusselator": forced_brusselator,
    "CoevolvingPredatorPrey": coevolving_predator_prey,
    "BelousovZhabotinsky": belousov_zhabotinsky,
    "ExcitableCell": excitable_cell,
    "CaTwoPlus": ca_two_plus,
    "CaTwoPlusQuasiperiodic": ca_two_plus,
    "TurchinHanski": turchin_hanski,
}
