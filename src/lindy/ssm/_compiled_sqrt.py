"""Compiled square-root Kalman filter and RTS smoother (Householder triangularization).

Cholesky-type factors are propagated instead of covariances, so every covariance
is positive semi-definite by construction. Built from the helpers of
:mod:`lindy.ssm._compiled` (same :class:`~lindy.ssm._compiled.Model` with square
factors of ``Q``, ``R``, ``P0``, same outputs); imported lazily, compiled on
first call and cached on disk.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._compiled import (
    _ix,
    copy,
    copy2,
    innovation,
    observed,
    outer,
    predict_mean,
    put,
    put2,
    store_innovations,
    tria,
    whiten,
)
from ._compiled_smoothers import SINGULAR_RTOL, pinv_solve


@njit(cache=True, inline="always")
def _measurement(Sp, C, Rf, kc, kr, idx, no, M, w):  # pragma: no cover - compiled
    """Triangularize ``[[Rf_o, C_o Sp], [0, Sp]]`` in M; False if the innovation factor is singular.

    Afterwards ``M[:no, :no]`` is the innovation factor, ``M[no:, :no]`` the gain
    times it and ``M[no:, no:no + n]`` the filtered factor.
    """
    n, p = Sp.shape[0], C.shape[1]
    for a in range(no):
        i = idx[a]
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
    tria(M, no + n, p + n, w)
    for a in range(no):
        if not M[a, a] > 0.0:
            return False
    return True


@njit(cache=True, inline="always")
def _time_update(A, Qf, ka, kq, Sf, Mp, w, Sp):  # pragma: no cover - compiled
    """Sp = tria([A Sf, Qf])."""
    n = Sf.shape[0]
    for i in range(n):
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


@njit(cache=True, nogil=True)
def sqrt_loop(y, u, offsets, model, out, s_lo, s_hi):  # pragma: no cover - compiled
    """Square-root Kalman filter; returns 0, or 1 + the flat index of a failed step.

    Runs sequences ``s_lo..s_hi-1`` and holds no GIL (disjoint ranges may run in
    parallel threads).

    ``model`` holds square factors of ``Q``, ``R`` and ``P0``; the filtered factors
    go to ``out.factors``.
    """
    A, B, C, D, Qf, Rf, m0, P0f = model
    # fields are read once: a tuple field read inside the loop costs a reference count
    mp, Pp, mf, Pf, ll = out.mp, out.Pp, out.mf, out.Pf, out.ll
    innov, white, nis, factors = out.innov, out.white, out.nis, out.factors
    mnext, Pnext = out.mnext, out.Pnext
    n = A.shape[1]
    p = C.shape[1]
    m, mfk = np.empty(n), np.empty(n)
    Sp, Sf = np.empty((n, n)), np.empty((n, n))
    M, Mp = np.empty((p + n, p + n)), np.empty((n, 2 * n))
    w = np.empty(2 * n + p)
    idx = np.empty(p, np.int64)
    v, e = np.empty(p), np.empty(p)
    for s in range(s_lo, s_hi):
        t0 = offsets[s]
        copy(m0, m)
        copy2(P0f, Sp)
        for k in range(offsets[s + 1] - t0):
            t = t0 + k
            kc = _ix(k, C)
            put(mp, t, m)
            outer(Sp, Pp[t])
            no = observed(y, t, idx)
            if no == 0:
                copy(m, mfk)
                copy2(Sp, Sf)
                ll[t] = 0.0
            else:
                innovation(y, u, t, C, D, kc, _ix(k, D), m, idx, no, v)
                if not _measurement(Sp, C, Rf, kc, _ix(k, Rf), idx, no, M, w):
                    return t + 1
                ll[t] = whiten(M, v, e, no)
                for i in range(n):
                    acc = m[i]
                    for a in range(no):
                        acc += M[no + i, a] * e[a]
                    mfk[i] = acc
                for i in range(n):
                    for j in range(n):
                        Sf[i, j] = M[no + i, no + j]
            store_innovations(innov, white, nis, t, idx, no, v, e)
            put(mf, t, mfk)
            put2(factors, t, Sf)
            outer(Sf, Pf[t])
            predict_mean(A, B, u, t, _ix(k, A), _ix(k, B), mfk, m)
            _time_update(A, Qf, _ix(k, A), _ix(k, Qf), Sf, Mp, w, Sp)
        put(mnext, s, m)
        outer(Sp, Pnext[s])
    return 0


@njit(cache=True)
def _pinv_gain(M, n, Pp, YT, gt):  # pragma: no cover - compiled
    """gt = G^T = (Y11 Y11^T)^+ Y11 Y21^T for a singular Y11 (the RTS gain on its range)."""
    for i in range(n):
        for j in range(n):
            a = 0.0
            b = 0.0
            for q in range(n):
                a += M[i, q] * M[j, q]
                b += M[i, q] * M[n + j, q]
            Pp[i, j] = a
            YT[i, j] = b
    pinv_solve(Pp, YT, gt, n)


@njit(cache=True, nogil=True)
def sqrt_rts_loop(offsets, A, Qf, mp, mf, Sf, ms, Ps, G, Ss, s_lo,
                  s_hi):  # pragma: no cover - compiled
    """Square-root RTS smoother; returns 0, or 1 + the flat index of a failed step.

    Over sequences ``s_lo..s_hi-1``; holds no GIL.

    Per step one Householder triangularization of ``[[A Sf, Qf], [Sf, 0]]`` gives
    ``[[Y11, 0], [Y21, Y22]]`` with ``Y11 Y11^T = P_{k+1|k}``, gain
    ``G = Y21 Y11^{-1}`` (triangular solve) and ``Y22 Y22^T = P_{k|k} - G P_{k+1|k} G^T``;
    a second one gives the smoothed factor ``tria([Y22, G S_{k+1}])``. A singular
    ``Y11`` (to ``SINGULAR_RTOL``) gets ``G`` from a pseudo-inverse solve and the
    smoothed factor ``tria([Y22, Y21 - G Y11, G S_{k+1}])``.
    """
    n = A.shape[1]
    M, N2 = np.empty((2 * n, 2 * n)), np.empty((n, 3 * n))
    w, g, dm = np.empty(3 * n), np.empty((n, n)), np.empty(n)
    Pp, YT, gt = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    for s in range(s_lo, s_hi):
        t0 = offsets[s]
        last = offsets[s + 1] - 1
        ms[last, :] = mf[last]
        Ss[last, :, :] = Sf[last]
        G[last, :, :] = 0.0
        for k in range(last - t0 - 1, -1, -1):
            t = t0 + k
            ka, kq = _ix(k, A), _ix(k, Qf)
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
            big = 0.0
            for a in range(n):
                big = max(big, M[a, a] * M[a, a])
            singular = False
            for a in range(n):
                if not M[a, a] * M[a, a] > SINGULAR_RTOL * big:
                    singular = True
            if singular:
                _pinv_gain(M, n, Pp, YT, gt)
                for i in range(n):
                    for j in range(n):
                        g[i, j] = gt[j, i]
            else:
                for i in range(n):  # G Y11 = Y21, Y11 lower triangular: back substitution
                    for a in range(n - 1, -1, -1):
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
                    # Y21 - G Y11: zero unless Y11 is singular (its part outside Y11's rows)
                    acc = M[n + i, j]
                    for q in range(n):
                        acc -= g[i, q] * M[q, j]
                    N2[i, 2 * n + j] = acc if singular else 0.0
            tria(N2, n, 3 * n if singular else 2 * n, w)
            for i in range(n):
                for j in range(n):
                    Ss[t, i, j] = N2[i, j] if j <= i else 0.0
        for t in range(t0, last + 1):
            outer(Ss[t], Ps[t])
    return 0
