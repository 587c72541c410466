"""Flows of dimension four and more: hyperchaotic systems, Hamiltonian systems,
networks and ecological/biochemical models.

Pure right-hand sides ``rhs(t, s, p)``; parameters in alphabetical order of their
names; array-valued parameters are flattened row-major (``w[0,1]`` ...).
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
    "HenonHeiles": henon_heiles,
    "NuclearQuadrupole": nuclear_quadrupole,
    "DoublePendulum": double_pendulum,
    "SwingingAtwood": swinging_atwood,
    "ArnoldWeb": arnold_web,
    "CellCycle": cell_cycle,
    "CircadianRhythm": circadian_rhythm,
    "Hopfield": hopfield,
    "MacArthur": mac_arthur,
    "BeerRNN": beer_rnn,
}
