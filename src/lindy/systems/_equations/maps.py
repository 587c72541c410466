"""Maps: ``rhs(t, s, p)`` returns the next state.

The published chaotic maps (``RHS``; Henon, logistic, Ikeda, ...; equations
as cited in ``published.json``, parameters in alphabetical order), the
catalog's maps (the Leslie-Gower predator-prey map, Chialvo/Rulkov neuron
networks, coupled logistic lattices), and hand-derived Jacobians (``JAC``) of
right-hand sides that the sympy generator of ``jacobians`` cannot
differentiate (an iterative solve).
"""

import numpy as np

__all__ = ["RHS", "JAC"]


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


def blinking_vortex_map(t, s, p):
    # Aref (1984), blinking vortex in a circular container of radius a: a point vortex
    # of circulation gamma at (+b, 0), then one at (-b, 0), each on for period / 2.
    # With the image vortex (-gamma at c = a^2 / v) a tracer keeps lam = |zeta|,
    # zeta = (z - v) / (z - c) (streamlines are circles), and moves along its circle
    # like a Kepler orbit of eccentricity e = 2 lam / (1 + lam^2) with true anomaly
    # arg(zeta) - pi, whose mean anomaly grows by
    # gamma (period / 2) v^2 (1 - lam^2)^3 / (2 pi (a^2 - v^2)^2 lam^2 (1 + lam^2)).
    # The disc |z| < a is invariant (0 < |b| < a); as a -> oo each half period becomes
    # the rotation about the vortex by gamma (period / 2) / (2 pi |z - v|^2).
    a, b, gamma, period = p
    z = complex(s[0], s[1])
    for k in range(2):
        v = b if k == 0 else -b
        c = a * a / v
        zeta = (z - v) / (z - c)
        lam2 = zeta.real ** 2 + zeta.imag ** 2
        lam = np.sqrt(lam2)
        e = 2.0 * lam / (1.0 + lam2)
        se = (1.0 - lam2) / (1.0 + lam2)  # sqrt(1 - e^2)
        ea = np.arctan2(-se * zeta.imag, e * lam - zeta.real)  # eccentric anomaly
        dm = (0.5 * gamma * period * v * v * (1.0 - lam2) ** 3
              / (2.0 * np.pi * (a * a - v * v) ** 2 * lam2 * (1.0 + lam2)))
        m = ea - e * np.sin(ea) + dm
        m -= 2.0 * np.pi * np.floor((m + np.pi) / (2.0 * np.pi))
        ea = m + (0.85 * e if np.sin(m) >= 0.0 else -0.85 * e)
        for _ in range(60):  # Kepler's equation ea - e sin(ea) = m by Newton
            d = (ea - e * np.sin(ea) - m) / (1.0 - e * np.cos(ea))
            ea -= d
            if abs(d) < 1e-14:
                break
        den = 1.0 - e * np.cos(ea)
        zeta = -lam * complex((np.cos(ea) - e) / den, se * np.sin(ea) / den)
        z = v - (c - v) * zeta / (1.0 - zeta)
    return np.array([z.real, z.imag])


def blinking_vortex_map_jac(t, s, p):
    # each half period is the shear (lam, m) -> (lam, m + dm(lam)) in the coordinates
    # lam and mean anomaly m of blinking_vortex_map: D = P(lam, m1) S P(lam, m0)^-1,
    # P = d(x, y) / d(lam, m), S = [[1, 0], [dm'(lam), 1]]
    a, b, gamma, period = p
    z = complex(s[0], s[1])
    j11, j12, j21, j22 = 1.0, 0.0, 0.0, 1.0
    for k in range(2):
        v = b if k == 0 else -b
        c = a * a / v
        zeta = (z - v) / (z - c)
        lam2 = zeta.real ** 2 + zeta.imag ** 2
        lam = np.sqrt(lam2)
        e = 2.0 * lam / (1.0 + lam2)
        se = (1.0 - lam2) / (1.0 + lam2)
        de = 2.0 * (1.0 - lam2) / (1.0 + lam2) ** 2  # de / dlam
        kk = 0.5 * gamma * period * v * v / (2.0 * np.pi * (a * a - v * v) ** 2)
        dm = kk * (1.0 - lam2) ** 3 / (lam2 * (1.0 + lam2))
        ddm = dm * (-6.0 * lam / (1.0 - lam2) - 2.0 * lam / (1.0 + lam2) - 2.0 / lam)
        ea = np.arctan2(-se * zeta.imag, e * lam - zeta.real)
        m = ea - e * np.sin(ea) + dm
        m -= 2.0 * np.pi * np.floor((m + np.pi) / (2.0 * np.pi))
        ea1 = m + (0.85 * e if np.sin(m) >= 0.0 else -0.85 * e)
        for _ in range(60):
            d = (ea1 - e * np.sin(ea1) - m) / (1.0 - e * np.cos(ea1))
            ea1 -= d
            if abs(d) < 1e-14:
                break
        pm = np.zeros((2, 2, 2))  # P at the start (0) and the end (1) of the half period
        for i in range(2):
            E = ea if i == 0 else ea1
            den = 1.0 - e * np.cos(E)
            snu = se * np.sin(E) / den
            zeta = -lam * complex((np.cos(E) - e) / den, snu)
            dz = -(c - v) / (1.0 - zeta) ** 2  # dz / dzeta
            nu_ea = se / den  # dnu / dE
            dnu_dlam = (nu_ea * np.sin(E) / den + snu / (se * se)) * de
            dz_dlam = dz * (zeta / lam + 1j * zeta * dnu_dlam)
            dz_dm = dz * 1j * zeta * nu_ea / den
            pm[i, 0, 0], pm[i, 0, 1] = dz_dlam.real, dz_dm.real
            pm[i, 1, 0], pm[i, 1, 1] = dz_dlam.imag, dz_dm.imag
            if i == 1:
                z = v - (c - v) * zeta / (1.0 - zeta)
        det0 = pm[0, 0, 0] * pm[0, 1, 1] - pm[0, 0, 1] * pm[0, 1, 0]
        # Q = S P0^-1
        q11, q12 = pm[0, 1, 1] / det0, -pm[0, 0, 1] / det0
        q21, q22 = -pm[0, 1, 0] / det0, pm[0, 0, 0] / det0
        q21, q22 = q21 + ddm * q11, q22 + ddm * q12
        h11 = pm[1, 0, 0] * q11 + pm[1, 0, 1] * q21
        h12 = pm[1, 0, 0] * q12 + pm[1, 0, 1] * q22
        h21 = pm[1, 1, 0] * q11 + pm[1, 1, 1] * q21
        h22 = pm[1, 1, 0] * q12 + pm[1, 1, 1] * q22
        j11, j12, j21, j22 = (h11 * j11 + h12 * j21, h11 * j12 + h12 * j22,
                              h21 * j11 + h22 * j21, h21 * j12 + h22 * j22)
    return np.array([[j11, j12], [j21, j22]])


def leslie_gower_rhs(t, x, p):
    # prey with Ricker growth and predation; predator with prey-proportional capacity
    a, r, s = p
    return np.array([x[0] * np.exp(r * (1.0 - x[0]) - a * x[1]),
                     x[1] * np.exp(s * (1.0 - x[1] / x[0]))])


def chialvo_ring_star_rhs(t, x, p):
    # node 0 is the hub; nodes 1..n-1 form a ring; state (x_0..x_{n-1}, y_0..y_{n-1})
    a, b, c, k0, mu, radius, sigma = p
    n = x.shape[0] // 2
    R = int(radius)
    out = np.empty(2 * n)
    fx = np.empty(n)
    for i in range(n):
        fx[i] = x[i] ** 2 * np.exp(x[n + i] - x[i]) + k0
        out[n + i] = a * x[n + i] - b * x[i] + c
    m = n - 1
    hub = 0.0
    for i in range(1, n):
        hub += x[i] - x[0]
    out[0] = fx[0] + mu * hub / m
    for i in range(1, n):
        ring = 0.0
        for j in range(-R, R + 1):
            ring += x[1 + (i - 1 + j) % m] - x[i]
        out[i] = fx[i] + mu * (x[0] - x[i]) + sigma / (2.0 * R) * ring
    return out


def chialvo_rulkov_rhs(t, x, p):
    # chain alternating Chialvo (even) and Rulkov (odd) map neurons, coupled in x
    a, alpha, b, c, eps, k0, mu, sig = p
    n = x.shape[0] // 2
    out = np.empty(2 * n)
    for i in range(n):
        u, w = x[i], x[n + i]
        if i % 2 == 0:
            out[i] = u ** 2 * np.exp(w - u) + k0
            out[n + i] = a * w - b * u + c
        else:
            out[i] = alpha / (1.0 + u ** 2) + w
            out[n + i] = w - mu * (u - sig)
        left = x[i - 1] if i > 0 else u
        right = x[i + 1] if i < n - 1 else u
        out[i] += eps * (left + right - 2.0 * u)
    return out


def coupled_logistic_rhs(t, x, p):
    # coupled map lattice of logistic maps with periodic boundary
    eps, r = p
    n = x.shape[0]
    f = r * x * (1.0 - x)
    out = np.empty(n)
    for i in range(n):
        out[i] = (1.0 - eps) * f[i] + 0.5 * eps * (f[i - 1] + f[(i + 1) % n])
    return out


#: published-collection name -> right-hand side
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
    "BlinkingVortexMap": blinking_vortex_map,
}

#: right-hand-side name -> hand-derived Jacobian
JAC = {
    "blinking_vortex_map": blinking_vortex_map_jac,
}
