"""Chaotic maps: ``rhs(t, s, p)`` returns the next state.

Equations follow the publications cited in ``published.json``; parameters in
alphabetical order of their names.
"""

import numpy as np

__all__ = ["RHS"]


def logistic(t, s, p):
    return np.array([p[0] * s[0] * (1.0 - s[0])])


def ricker(t, s, p):
    return np.array([s[0] * np.exp(p[0] - s[0])])


def tent(t, s, p):
    return np.array([p[0] * (1.0 - 2.0 * abs(s[0] - 0.5))])


def gauss(t, s, p):
    a, b = p
    return np.array([np.exp(-a * s[0] ** 2) + b])


def chebyshev(t, s, p):
    return np.array([np.cos(p[0] * np.arccos(s[0]))])


def circle(t, s, p):
    k, omega = p
    th = s[0]
    return np.array([th + omega + k / (2.0 * np.pi) * np.sin(2.0 * np.pi * th)])


def bogdanov(t, s, p):
    x, y = s
    eps, k, mu = p
    yp = (1.0 + eps) * y + k * x * (x - 1.0) + mu * x * y
    return np.array([x + yp, yp])


def baker(t, s, p):
    x, y = s
    a = p[0]
    e2 = 2.0 - 1e-10
    fl = np.floor(e2 * x)
    return np.array([e2 * x - fl, (a * y + fl) / 2.0])


def de_jong(t, s, p):
    x, y = s
    a, b, c, d = p
    return np.array([np.sin(a * y) - np.cos(b * x), np.sin(c * x) - np.cos(d * y)])


def svensson(t, s, p):
    x, y = s
    a, b, c, d = p
    return np.array([d * np.sin(a * x) - np.sin(b * y), c * np.cos(a * x) + np.cos(b * y)])


def bedhead(t, s, p):
    x, y = s
    a, b = p
    return np.array([np.sin(x * y / b) * y + np.cos(a * x - y), x + np.sin(y) / b])


def gumowski_mira(t, s, p):
    x, y = s
    a, b = p
    xp = b * y + a * x + 2.0 * (1.0 - a) * x ** 2 / (1.0 + x ** 2)
    yp = a * xp + 2.0 * (1.0 - a) * xp ** 2 / (1.0 + xp ** 2) - x
    return np.array([xp, yp])


def hopalong(t, s, p):
    x, y = s
    a, b, c = p
    return np.array([y - 1.0 - np.sqrt(abs(b * x - 1.0 - c)) * np.sign(x - 1.0), a - x - 1.0])


def ikeda(t, s, p):
    x, y = s
    u = p[0]
    th = 0.4 - 6.0 / (1.0 + x ** 2 + y ** 2)
    return np.array([1.0 + u * (x * np.cos(th) - y * np.sin(th)),
                     u * (x * np.sin(th) + y * np.cos(th))])


def tinkerbell(t, s, p):
    x, y = s
    a, b, c, d = p
    return np.array([x ** 2 - y ** 2 + a * x + b * y, 2.0 * x * y + c * x + d * y])


def pickover(t, s, p):
    x, y = s
    a, b, c, d = p
    return np.array([np.sin(a * y) + c * np.cos(a * x), np.sin(b * x) + d * np.cos(b * y)])


def maynard_smith(t, s, p):
    x, y = s
    a, b = p
    return np.array([y, a * y + b - x ** 2])


def kaplan_yorke(t, s, p):
    x, y = s
    alpha = p[0]
    return np.array([(2.0 * x) % 0.99999995, alpha * y + np.cos(4.0 * np.pi * x)])


def gingerbreadman(t, s, p):
    x, y = s
    return np.array([1.0 - y + abs(x), x])


def duffing_map(t, s, p):
    x, y = s
    a, b = p
    return np.array([y, -b * x + a * y - y ** 3])


def chirikov(t, s, p):
    q, x = s
    k = p[0]
    qn = q + k * np.sin(x)
    return np.array([qn, x + qn])


def henon(t, s, p):
    x, y = s
    a, b = p
    return np.array([1.0 - a * x ** 2 + y, b * x])


def zaslavskii(t, s, p):
    x, y = s
    eps, nu, r = p
    mu = (1.0 - np.exp(-r)) / r
    xp = (x + nu * (1.0 + mu * y) + eps * nu * mu * np.cos(2.0 * np.pi * x)) % 0.99999995
    return np.array([xp, np.exp(-r) * (y + eps * np.cos(2.0 * np.pi * x))])


RHS = {
    "Logistic": logistic,
    "Ricker": ricker,
    "Tent": tent,
    "Gauss": gauss,
    "Chebyshev": chebyshev,
    "Circle": circle,
    "Bogdanov": bogdanov,
    "Baker": baker,
    "DeJong": de_jong,
    "Svensson": svensson,
    "Bedhead": bedhead,
    "GumowskiMira": gumowski_mira,
    "Hopalong": hopalong,
    "Ikeda": ikeda,
    "Tinkerbell": tinkerbell,
    "Pickover": pickover,
    "MaynardSmith": maynard_smith,
    "KaplanYorke": kaplan_yorke,
    "Gingerbreadman": gingerbreadman,
    "DuffingMap": duffing_map,
    "Chirikov": chirikov,
    "Henon": henon,
    "Zaslavskii": zaslavskii,
}
