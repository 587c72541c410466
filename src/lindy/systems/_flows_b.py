"""Three-dimensional polynomial chaotic flows (part 2: Moore-Spiegel to Zhou-Chen,
and Sprott's minimal chaotic flows).

Pure right-hand sides ``rhs(t, s, p)``; parameters in alphabetical order of their
names. Sprott's systems: Sprott, J. C. (1994). Some simple chaotic flows. Phys.
Rev. E 50, R647; Sprott, J. C. (2010). Elegant Chaos, World Scientific.
"""

import numpy as np

__all__ = ["RHS"]


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


def sprott_torus(t, s, p):
    x, y, z = s
    return np.array([y + 2.0 * x * y + x * z, 1.0 - 2.0 * x ** 2 + y * z, x - x ** 2 - y ** 2])


def sprott_jerk(t, s, p):
    x, y, z = s
    mu = p[0]
    return np.array([y, z, -x + y ** 2 - mu * z])


def sprott_a(t, s, p):
    x, y, z = s
    return np.array([y, -x + y * z, 1.0 - y ** 2])


def sprott_b(t, s, p):
    x, y, z = s
    return np.array([y * z, x - y, 1.0 - x * y])


def sprott_c(t, s, p):
    x, y, z = s
    return np.array([y * z, x - y, 1.0 - x ** 2])


def sprott_d(t, s, p):
    x, y, z = s
    return np.array([-y, x + z, x * z + 3.0 * y ** 2])


def sprott_e(t, s, p):
    x, y, z = s
    return np.array([y * z, x ** 2 - y, 1.0 - 4.0 * x])


def sprott_f(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([y + z, -x + a * y, x ** 2 - z])


def sprott_g(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([a * x + z, x * z - y, -x + y])


def sprott_h(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([-y + z ** 2, x + a * y, x - z])


def sprott_i(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([-a * y, x + z, x + y ** 2 - z])


def sprott_j(t, s, p):
    x, y, z = s
    return np.array([2.0 * z, -2.0 * y + z, -x + y + y ** 2])


def sprott_k(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([x * y - z, x - y, x + a * z])


def sprott_l(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([y + b * z, a * x ** 2 - y, 1.0 - x])


def sprott_m(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([-z, -(x ** 2) - y, a + a * x + y])


def sprott_n(t, s, p):
    x, y, z = s
    return np.array([-2.0 * y, x + z ** 2, 1.0 + y - 2.0 * z])


def sprott_o(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([y, x - z, x + x * z + a * y])


def sprott_p(t, s, p):
    x, y, z = s
    a = p[0]
    return np.array([a * y + z, -x + y ** 2, x + y])


def sprott_q(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([-z, x - y, a * x + y ** 2 + b * z])


def sprott_r(t, s, p):
    x, y, z = s
    a, b = p
    return np.array([a - y, b + z, x * y - z])


def sprott_s(t, s, p):
    x, y, z = s
    return np.array([-x - 4.0 * y, x + z ** 2, 1.0 + x])


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


RHS = {
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
    "SprottTorus": sprott_torus,
    "SprottJerk": sprott_jerk,
    "SprottA": sprott_a,
    "SprottB": sprott_b,
    "SprottC": sprott_c,
    "SprottD": sprott_d,
    "SprottE": sprott_e,
    "SprottF": sprott_f,
    "SprottG": sprott_g,
    "SprottH": sprott_h,
    "SprottI": sprott_i,
    "SprottJ": sprott_j,
    "SprottK": sprott_k,
    "SprottL": sprott_l,
    "SprottM": sprott_m,
    "SprottN": sprott_n,
    "SprottO": sprott_o,
    "SprottP": sprott_p,
    "SprottQ": sprott_q,
    "SprottR": sprott_r,
    "SprottS": sprott_s,
    "VallisElNino": vallis_el_nino,
    "WangSun": wang_sun,
    "ZhouChen": zhou_chen,
    "IsothermalChemical": isothermal_chemical,
    "HastingsPowell": hastings_powell,
    "ItikBanksTumor": itik_banks_tumor,
    "Blasius": blasius,
    "SaltonSea": salton_sea,
    "GlycolyticOscillation": glycolytic_oscillation,
}
