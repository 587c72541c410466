"""Sprott's minimal chaotic flows (cases A to S, the jerk, torus and 'more' flows).

Pure right-hand sides ``rhs(t, s, p)`` of the state ``s`` and the parameter
values ``p`` in the order of ``System.params`` (alphabetical for the published
collection; array-valued parameters flattened row-major), written so that numba
can compile them. ``RHS`` maps published-collection names to them.

Sprott, J. C. (1994). Some simple chaotic flows. Phys. Rev. E 50, R647;
Sprott, J. C. (2010). Elegant Chaos, World Scientific.
"""

import numpy as np

__all__ = ["RHS"]


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


def sprott_more(t, s, p):
    x, y, z = s
    return np.array([y, -x - np.sign(z) * y, y ** 2 - np.exp(-(x ** 2))])


#: published-collection name -> right-hand side
RHS = {
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
    "SprottMore": sprott_more,
}
