"""Three-dimensional chaotic flows: Lorenz, Rossler, Chen, Aizawa and the other
classic polynomial systems, plus a few with transcendental terms (Thomas,
WINDMI, Yu-Wang, San-Um-Srisuchinwong) and the quasi-periodic Torus.

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


def aizawa(t, s, p):
    x, y, z = s
    a, b, c, d, e, f = p
    return np.array([
        x * z - b * x - d * y,
        d * x + y * z - b * y,
        c + a * z - z ** 3 / 3.0 - x ** 2 - y ** 2 - e * z * x ** 2 - e * z * y ** 2
        + f * z * x ** 3,
    ])


def arneodo(t, s, p):
    x, y, z = s
    a, b, c, d = p
    return np.array([y, z, -a * x - b * y - c * z + d * x ** 3])


def atmospheric_regime(t, s, p):
    x, y, z = s
    alpha, beta, mu1, mu2, omega, sigma = p
    return np.array([
        mu1 * x + sigma * x * y,
        mu2 * y + omega * z + alpha * y * z + beta * z ** 2 - sigma * x ** 2,
        mu2 * z - omega * y - alpha * y ** 2 - beta * y * z,
    ])


def bouali(t, s, p):
    x, y, z = s
    a, b, bb, c, g, m, y0 = p
    return np.array([
        a * y0 * x - a * x * y - b * z,
        -g * y + g * y * x ** 2,
        -1.5 * m * x + m * bb * x * z - c * z,
    ])


def burke_shaw(t, s, p):
    x, y, z = s
    e, n = p
    return np.array([-n * x - n * y, y - n * x * z, n * x * y + e])


def chen(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([a * (y - x), (c - a) * x - x * z + c * y, x * y - b * z])


def chen_lee(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([a * x - y * z, b * y + x * z, c * z + x * y / 3.0])


def dadras(t, s, p):
    x, y, z = s
    c, e, o, pp, r = p
    return np.array([y - pp * x + o * y * z, r * y - x * z + z, c * x * y - e * z])


def dequan_li(t, s, p):
    x, y, z = s
    a, c, d, eps, f, k = p
    return np.array([
        a * (y - x) + d * x * z,
        k * x + f * y - x * z,
        c * z + x * y - eps * x ** 2,
    ])


def finance(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([(1.0 / b - a) * x + z + x * y, -b * y - x ** 2, -x - c * z])


def genesio_tesi(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([y, z, -c * x - b * y - a * z + x ** 2])


def guckenheimer_holmes(t, s, p):
    x, y, z = s
    a, b, c, d, e, f = p
    return np.array([
        a * x - b * y + c * z * x + d * z * (x ** 2 + y ** 2),
        a * y + b * x + c * z * y,
        e - z ** 2 - f * (x ** 2 + y ** 2) - a * z ** 3,
    ])


def hadley(t, s, p):
    x, y, z = s
    a, b, f, g = p
    return np.array([
        -(y ** 2) - z ** 2 - a * x + a * f,
        x * y - b * x * z - y + g,
        b * x * y + x * z - z,
    ])


def halvorsen(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([
        -a * x - b * (y + z) - y ** 2,
        -a * y - b * (z + x) - z ** 2,
        -a * z - b * (x + y) - x ** 2,
    ])


def hindmarsh_rose(t, s, p):
    x, y, z = s
    a, b, c, d, ss, tx, tz = p
    return np.array([
        -x + (y - a * x ** 3 + b * x ** 2 + z) / tx,
        -a * x ** 3 - (d - b) * x ** 2 + z,
        (-ss * x - z + c) / tz,
    ])


def kawczynski_strizhak(t, s, p):
    x, y, z = s
    beta, gamma, kappa, mu = p
    return np.array([
        gamma * (y - x ** 3 + 3.0 * mu * x),
        -2.0 * mu * x - y - z + beta,
        kappa * (x - z),
    ])


def laser(t, s, p):
    x, y, z = s
    a, b, c, d, h, k = p
    return np.array([
        a * (y - x) + b * y * z ** 2,
        c * x + d * x * z ** 2,
        h * z + k * x ** 2,
    ])


def lorenz(t, s, p):
    x, y, z = s
    beta, rho, sigma = p
    return np.array([sigma * (y - x), x * (rho - z) - y, x * y - beta * z])


def lorenz_bounded(t, s, p):
    x, y, z = s
    beta, r, rho, sigma = p
    g = 1.0 - (x ** 2 + y ** 2 + z ** 2) / r ** 2
    return np.array([sigma * (y - x) * g, (x * (rho - z) - y) * g, (x * y - beta * z) * g])


def lorenz84(t, s, p):
    x, y, z = s
    a, b, f, g = p
    return np.array([
        -a * x - y ** 2 - z ** 2 + a * f,
        -y + x * y - b * x * z + g,
        -z + b * x * y + x * z,
    ])


def lu_chen(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([a * (y - x), -x * z + c * y, x * y - b * z])


def lu_chen_cheng(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([-(a * b) / (a + b) * x - y * z + c, a * y + x * z, b * z + x * y])


def moore_spiegel(t, s, p):
    x, y, z = s
    a, b, eps = p
    return np.array([y, a * z, -z + eps * y - y * x ** 2 - b * x])


def newton_liepnik(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([-a * x + y + 10.0 * y * z, -x - 0.4 * y + 5.0 * x * z, b * z - 5.0 * x * y])


def nose_hoover(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([y, -x + y * z, a - y ** 2])


def pehlivan_wei(t, s, p):
    x, y, z = s
    return np.array([y - y * z, y + y * z - 2.0 * x, 2.0 - x * y - y ** 2])


def qi_chen(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([a * (y - x) + y * z, c * x + y - x * z, x * y - b * z])


def rabinovich_fabrikant(t, s, p):
    x, y, z = s
    a, g = p
    return np.array([
        y * (z - 1.0 + x ** 2) + g * x,
        x * (3.0 * z + 1.0 - x ** 2) + g * y,
        -2.0 * z * (a + x * y),
    ])


def rayleigh_benard(t, s, p):
    x, y, z = s
    a, b, r = p
    return np.array([a * (y - x), r * y - x * z, x * y - b * z])


def rikitake_dynamo(t, s, p):
    x, y, z = s
    a, mu = p
    return np.array([-mu * x + y * z, -mu * y - a * x + x * z, 1.0 - x * y])


def rossler(t, s, p):
    x, y, z = s
    a, b, c = p
    return np.array([-y - z, x + a * y, b + z * (x - c)])


def rucklidge(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([-a * x + b * y - y * z, x, -z + y ** 2])


def sakarya(t, s, p):
    x, y, z = s
    a, b, c, h, pp, q, r, ss = p
    return np.array([a * x + h * y + ss * y * z, -b * y - pp * x + q * x * z, c * z - r * x * y])


def shimizu_morioka(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([y, x - a * y - x * z, -b * z + x ** 2])


def vallis_el_nino(t, s, p):
    x, y, z = s
    b, c, pp = p
    return np.array([b * y - c * x - c * pp, -y + x * z, -z - x * y + 1.0])


def wang_sun(t, s, p):
    x, y, z = s
    a, b, d, e, f, q = p
    return np.array([a * x + q * y * z, b * x + d * y - x * z, e * z + f * x * y])


def zhou_chen(t, s, p):
    x, y, z = s
    a, b, c, d, e = p
    return np.array([a * x + b * y + y * z, c * y - x * z + d * y * z, e * z - x * y])


def thomas(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([-a * x + b * np.sin(y), -a * y + b * np.sin(z), -a * z + b * np.sin(x)])


def windmi_reduced(t, s, p):
    i, v, pp = s
    a1, b1, b2, b3, d1, vsw = p
    return np.array([
        a1 * (vsw - v),
        b1 * i - b2 * pp / 2.0 - b3 * v,
        vsw ** 2 - pp ** 1.25 * vsw ** 0.5 * (1.0 + np.tanh(d1 * (i - 1.0))) / 2.0,
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


def torus(t, s, p):
    a, n, r = p
    return np.array([
        -a * n * np.sin(n * t) * np.cos(t) - (r + a * np.cos(n * t)) * np.sin(t),
        -a * n * np.sin(n * t) * np.sin(t) + (r + a * np.cos(n * t)) * np.cos(t),
        a * n * np.cos(n * t),
    ])


#: published-collection name -> right-hand side
RHS = {
    "Aizawa": aizawa,
    "Arneodo": arneodo,
    "AtmosphericRegime": atmospheric_regime,
    "Bouali": bouali,
    "Bouali2": bouali,
    "BurkeShaw": burke_shaw,
    "Chen": chen,
    "ChenLee": chen_lee,
    "Coullet": arneodo,
    "Dadras": dadras,
    "DequanLi": dequan_li,
    "Finance": finance,
    "GenesioTesi": genesio_tesi,
    "GuckenheimerHolmes": guckenheimer_holmes,
    "Hadley": hadley,
    "Halvorsen": halvorsen,
    "HindmarshRose": hindmarsh_rose,
    "KawczynskiStrizhak": kawczynski_strizhak,
    "Laser": laser,
    "Lorenz": lorenz,
    "LorenzBounded": lorenz_bounded,
    "Lorenz84": lorenz84,
    "LuChen": lu_chen,
    "LuChenCheng": lu_chen_cheng,
    "PanXuZhou": dequan_li,
    "Tsucs2": dequan_li,
    "MooreSpiegel": moore_spiegel,
    "NewtonLiepnik": newton_liepnik,
    "NoseHoover": nose_hoover,
    "PehlivanWei": pehlivan_wei,
    "QiChen": qi_chen,
    "RabinovichFabrikant": rabinovich_fabrikant,
    "RayleighBenard": rayleigh_benard,
    "RikitakeDynamo": rikitake_dynamo,
    "Rossler": rossler,
    "Rucklidge": rucklidge,
    "Sakarya": sakarya,
    "LiuChen": sakarya,
    "ShimizuMorioka": shimizu_morioka,
    "VallisElNino": vallis_el_nino,
    "WangSun": wang_sun,
    "ZhouChen": zhou_chen,
    "Thomas": thomas,
    "ThomasLabyrinth": thomas,
    "WindmiReduced": windmi_reduced,
    "Torus": torus,
    "YuWang": yu_wang,
    "YuWang2": yu_wang2,
    "SanUmSrisuchinwong": san_um_srisuchinwong,
}
