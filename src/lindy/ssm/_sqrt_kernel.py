"""Compiled square-root Kalman filter (Cholesky factors by Householder triangularization).

Imported lazily like :mod:`lindy.ssm._kernels`; compiled on first call, cached on disk.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._kernels import LOG2PI, _ix, tria


@njit(cache=True)
def sqrt_kernel(y, u, offsets, A, B, C, D, Qf, Rf, m0, P0f,
                mp, Pp, mf, Pf, ll, innov, white, nis, mnext, Pnext, Sfo):  # pragma: no cover
    """Square-root (Cholesky-factor) Kalman filter by Householder triangularization."""
    n = A.shape[1]
    p = C.shape[1]
    mdim = B.shape[2]
    m = np.empty(n)
    Sp = np.empty((n, n))
    Sf = np.empty((n, n))
    mfk = np.empty(n)
    M = np.empty((p + n, p + n))
    Mp = np.empty((n, 2 * n))
    w = np.empty(2 * n + p)
    idx = np.empty(p, np.int64)
    v = np.empty(p)
    e = np.empty(p)
    for s in range(offsets.shape[0] - 1):
        t0 = offsets[s]
        T = offsets[s + 1] - t0
        for i in range(n):
            m[i] = m0[i]
            for j in range(n):
                Sp[i, j] = P0f[i, j]
        for k in range(T):
            t = t0 + k
            ka = _ix(k, A)
            kb = _ix(k, B)
            kc = _ix(k, C)
            kd = _ix(k, D)
            kq = _ix(k, Qf)
            kr = _ix(k, Rf)
            for i in range(n):
                mp[t, i] = m[i]
                for j in range(i + 1):
                    acc = 0.0
                    for q in range(n):
                        acc += Sp[i, q] * Sp[j, q]
                    Pp[t, i, j] = acc
                    Pp[t, j, i] = acc
            no = 0
            for i in range(p):
                innov[t, i] = np.nan
                white[t, i] = np.nan
                if not np.isnan(y[t, i]):
                    idx[no] = i
                    no += 1
            if no == 0:
                for i in range(n):
                    mfk[i] = m[i]
                    for j in range(n):
                        Sf[i, j] = Sp[i, j]
                ll[t] = 0.0
                nis[t] = np.nan
            else:
                r = no + n
                c = p + n
                for a in range(no):
                    i = idx[a]
                    acc = y[t, i]
                    for j in range(n):
                        acc -= C[kc, i, j] * m[j]
                    for q in range(mdim):
                        acc -= D[kd, i, q] * u[t, q]
                    v[a] = acc
                    for q in range(p):
                        M[a, q] = Rf[kr, i, q]
                    for j in range(n):
                        acc = 0.0
                        for q in range(n):
                            acc += C[kc, i, q] * Sp[q, j]
                        M[a, p + j] = acc
                for i in range(n):
                    for q in range(p):
                        M[no + i, q] = 0.0
                    for j in range(n):
                        M[no + i, p + j] = Sp[i, j]
                tria(M, r, c, w)
                quad = 0.0
                logdet = 0.0
                for a in range(no):
                    if not M[a, a] > 0.0:
                        return t + 1
                    acc = v[a]
                    for b in range(a):
                        acc -= M[a, b] * e[b]
                    e[a] = acc / M[a, a]
                    quad += e[a] * e[a]
                    logdet += np.log(M[a, a])
                for i in range(n):
                    acc = m[i]
                    for a in range(no):
                        acc += M[no + i, a] * e[a]
                    mfk[i] = acc
                    for j in range(n):
                        Sf[i, j] = M[no + i, no + j]
                ll[t] = -0.5 * (no * LOG2PI + quad) - logdet
                for a in range(no):
                    innov[t, idx[a]] = v[a]
                    white[t, idx[a]] = e[a]
                nis[t] = quad
            for i in range(n):
                mf[t, i] = mfk[i]
                for j in range(n):
                    Sfo[t, i, j] = Sf[i, j]
                for j in range(i + 1):
                    acc = 0.0
                    for q in range(n):
                        acc += Sf[i, q] * Sf[j, q]
                    Pf[t, i, j] = acc
                    Pf[t, j, i] = acc
            # predict: [A Sf, Qf] -> Sp
            for i in range(n):
                acc = 0.0
                for j in range(n):
                    acc += A[ka, i, j] * mfk[j]
                for q in range(mdim):
                    acc += B[kb, i, q] * u[t, q]
                m[i] = acc
                for j in range(n):
                    acc = 0.0
                    for q in range(n):
                        acc += A[ka, i, q] * Sf[q, j]
                    Mp[i, j] = acc
                    Mp[i, n + j] = Qf[kq, i, j]
            tria(Mp, n, 2 * n, w)
            for i in range(n):
                for j in range(n):
                    Sp[i, j] = Mp[i, j]
        for i in range(n):
            mnext[s, i] = m[i]
            for j in range(n):
                acc = 0.0
                for q in range(n):
                    acc += Sp[i, q] * Sp[j, q]
                Pnext[s, i, j] = acc
    return 0


@njit(cache=True)
def sqrt_rts_kernel(offsets, A, Qf, mp, mf, Sf, ms, Ps, G, Ss):  # pragma: no cover
    """Square-root RTS smoother; returns 0, or 1 + the flat index of a failed step.

    Per step one Householder triangularization of ``[[A Sf, Qf], [Sf, 0]]`` gives
    ``[[Y11, 0], [Y21, Y22]]`` with ``Y11 Y11^T = P_{k+1|k}``, gain
    ``G = Y21 Y11^{-1}`` (triangular solve) and ``Y22 Y22^T = P_{k|k} - G P_{k+1|k} G^T``;
    a second one gives the smoothed factor ``tria([Y22, G S_{k+1}])``.
    """
    n = A.shape[1]
    M = np.empty((2 * n, 2 * n))
    N2 = np.empty((n, 2 * n))
    w = np.empty(2 * n)
    g = np.empty((n, n))
    dm = np.empty(n)
    for s in range(offsets.shape[0] - 1):
        t0 = offsets[s]
        T = offsets[s + 1] - t0
        last = t0 + T - 1
        for i in range(n):
            ms[last, i] = mf[last, i]
            for j in range(n):
                Ss[last, i, j] = Sf[last, i, j]
                G[last, i, j] = 0.0
        for k in range(T - 2, -1, -1):
            t = t0 + k
            ka = _ix(k, A)
            kq = _ix(k, Qf)
            for i in range(n):
                for j in range(n):
                    acc = 0.0
                    for q in range(n):
                        acc += A[ka, i, q] * Sf[t, q, j]
                    M[i, j] = acc
                    M[i, n + j] = Qf[kq, i, j]
                    M[n + i, j] = Sf[t, i, j]
                    M[n + i, n + j] = 0.0
            tria(M, 2 * n, 2 * n, w)
            # G Y11 = Y21, Y11 lower triangular: back substitution row by row
            for i in range(n):
                for a in range(n - 1, -1, -1):
                    if not M[a, a] > 0.0:
                        return t + 1
                    acc = M[n + i, a]
                    for b in range(a + 1, n):
                        acc -= M[b, a] * g[i, b]
                    g[i, a] = acc / M[a, a]
            for i in range(n):
                dm[i] = ms[t + 1, i] - mp[t + 1, i]
            for i in range(n):
                acc = mf[t, i]
                for j in range(n):
                    acc += g[i, j] * dm[j]
                    G[t, i, j] = g[i, j]
                ms[t, i] = acc
                for j in range(n):
                    N2[i, j] = M[n + i, n + j]
                    acc = 0.0
                    for q in range(n):
                        acc += g[i, q] * Ss[t + 1, q, j]
                    N2[i, n + j] = acc
            tria(N2, n, 2 * n, w)
            for i in range(n):
                for j in range(n):
                    Ss[t, i, j] = N2[i, j] if j <= i else 0.0
        for t in range(t0, last + 1):
            for i in range(n):
                for j in range(i + 1):
                    acc = 0.0
                    for q in range(n):
                        acc += Ss[t, i, q] * Ss[t, j, q]
                    Ps[t, i, j] = acc
                    Ps[t, j, i] = acc
    return 0
