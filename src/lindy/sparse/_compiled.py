"""The vector field of a sparse model as one numba-compilable function of (t, x, p).

The model travels in the parameter vector ``p`` (see :func:`pack`), so a
single compiled function (cached on disk by numba) serves every learned model:
lindy's integrators call it through :func:`lindy.systems.integrators.compiled_rhs`.

Layout of ``p``: ``[d, m, n_terms, n_factors, term_start (n_terms + 1),
kind (n_factors), var (n_factors), param (n_factors), coef (d * n_terms), u (m)]``.
"""

from __future__ import annotations

import math

import numpy as np

from ._libraries import POWER, SIN

__all__ = ["sparse_rhs", "pack", "HEADER"]

#: entries of ``p`` before the term table
HEADER = 4


def pack(terms, coef: np.ndarray, n_inputs: int, u=None) -> tuple[np.ndarray, list[str]]:
    """Encode factor terms and coefficients (d, n_terms) as ``p``; keep only used terms.

    Returns the vector and one name per entry.

    Examples
    --------
    >>> import numpy as np
    >>> p, names = pack([(), ((0, 0, 1.0),)], np.array([[0.0, -2.0]]), 0)
    >>> p.tolist()
    [1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, -2.0]
    """
    d = coef.shape[0]
    used = [j for j in range(coef.shape[1]) if np.any(coef[:, j] != 0)]
    starts, kinds, vars_, pars = [0], [], [], []
    for j in used:
        for kind, var, par in terms[j]:
            kinds.append(kind)
            vars_.append(var)
            pars.append(par)
        starts.append(len(kinds))
    u = np.zeros(n_inputs) if u is None else np.asarray(u, dtype=float).reshape(n_inputs)
    parts = [[d, n_inputs, len(used), len(kinds)], starts, kinds, vars_, pars,
             coef[:, used].ravel(), u]
    names = (["n_state", "n_inputs", "n_terms", "n_factors"]
             + [f"start{k}" for k in range(len(starts))] + [f"kind{k}" for k in range(len(kinds))]
             + [f"var{k}" for k in range(len(kinds))] + [f"param{k}" for k in range(len(kinds))]
             + [f"coef{i}_{j}" for i in range(d) for j in used] + [f"u{k}" for k in range(n_inputs)])
    return np.concatenate([np.asarray(v, dtype=float).ravel() for v in parts]), names


def sparse_rhs(t, x, p):
    """``dx = Xi theta(x, u)`` with the terms and coefficients encoded in ``p``.

    Examples
    --------
    >>> import numpy as np
    >>> p, _ = pack([((0, 0, 2.0),)], np.array([[3.0]]), 0)
    >>> sparse_rhs(0.0, np.array([2.0]), p)
    array([12.])
    """
    d = int(p[0])
    nt = int(p[2])
    nf = int(p[3])
    o_start = HEADER
    o_kind = o_start + nt + 1
    o_var = o_kind + nf
    o_par = o_var + nf
    o_coef = o_par + nf
    o_u = o_coef + d * nt
    out = np.zeros(d)
    for j in range(nt):
        val = 1.0
        for f in range(int(p[o_start + j]), int(p[o_start + j + 1])):
            kind = int(p[o_kind + f])
            v = int(p[o_var + f])
            a = p[o_par + f]
            z = x[v] if v < d else p[o_u + v - d]
            if kind == POWER:
                n = int(a)
                if n == a:
                    w = 1.0
                    for _ in range(n):
                        w *= z
                    val *= w
                else:
                    val *= z ** a
            elif kind == SIN:
                val *= math.sin(a * z)
            else:
                val *= math.cos(a * z)
        for i in range(d):
            out[i] += p[o_coef + i * nt + j] * val
    return out
