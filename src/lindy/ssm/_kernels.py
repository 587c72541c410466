"""Compiled Kalman recursions on small dense matrices.

The kernels are hand-written loops over preallocated work arrays: nothing is
allocated inside the time loop, which is what makes them fast for small state
dimensions. They run over a batch of sequences stored end to end (``offsets``
delimits them), so one compiled kernel serves single, batched and ragged data.
Parameter arrays always carry a leading time axis of length 1 (time-invariant)
or at least the longest sequence (time-varying). This module imports numba, so
it is imported lazily by :mod:`lindy.ssm._kalman`; kernels compile on first
call and are cached on disk.
"""

from __future__ import annotations

import numpy as np
from numba import njit

LOG2PI = float(np.log(2.0 * np.pi))


@njit(cache=True, inline="always")
def _ix(k, arr):  # pragma: no cover - compiled
    return k if arr.shape[0] > 1 else 0


@njit(cache=True)
def chol_lower(S, L, k):  # pragma: no cover - compiled
    """Cholesky factor of S[:k, :k] into L[:k, :k]; False if not positive definite."""
    for j in range(k):
        s = S[j, j]
        for q in range(j):
            s -= L[j, q] * L[j, q]
        if not s > 0.0:
            return False
        d = np.sqrt(s)
        L[j, j] = d
        for i in range(j + 1, k):
            s = S[i, j]
            for q in range(j):
                s -= L[i, q] * L[j, q]
            L[i, j] = s / d
        for i in range(j):
            L[i, j] = 0.0
    return True


@njit(cache=True)
def tria(M, r, c, w):  # pragma: no cover - compiled
    """In place: M[:r, :r] becomes lower-triangular L with L L^T = M M^T (Householder LQ)."""
    for i in range(r):
        s = 0.0
        for q in range(i, c):
            s += M[i, q] * M[i, q]
        nrm = np.sqrt(s)
        if nrm == 0.0:
            continue
        alpha = -nrm if M[i, i] > 0.0 else nrm
        for q in range(i, c):
            w[q] = M[i, q]
        w[i] -= alpha
        vv = 0.0
        for q in range(i, c):
            vv += w[q] * w[q]
        if vv == 0.0:
            continue
        for j in range(i, r):
            d = 0.0
            for q in range(i, c):
                d += M[j, q] * w[q]
            f = 2.0 * d / vv
            for q in range(i, c):
                M[j, q] -= f * w[q]
    for i in range(r):
        if M[i, i] < 0.0:
            for j in range(i, r):
                M[j, i] = -M[j, i]
        for j in range(i + 1, r):
            M[i, j] = 0.0


@njit(cache=True)
def _predict(A, B, Q, u, t, ka, kb, kq, mfk, Pfk, mnew, Pnew, AP):  # pragma: no cover
    n = mfk.shape[0]
    mdim = B.shape[2]
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += A[ka, i, j] * mfk[j]
        for q in range(mdim):
            acc += B[kb, i, q] * u[t, q]
        mnew[i] = acc
    for i in range(n):
        for j in range(n):
            acc = 0.0
            for q in range(n):
                acc += A[ka, i, q] * Pfk[q, j]
            AP[i, j] = acc
    for i in range(n):
        for j in range(i + 1):
            acc = Q[kq, i, j]
            for q in range(n):
                acc += AP[i, q] * A[ka, j, q]
            Pnew[i, j] = acc
            Pnew[j, i] = acc


@njit(cache=True)
def kalman_kernel(y, u, offsets, A, B, C, D, Q, R, m0, P0, joseph, steady_tol, store,
                  mp, Pp, mf, Pf, ll, innov, white, nis, steady, mnext, Pnext):  # pragma: no cover
    """Covariance-form Kalman filter; returns 0, or 1 + the flat index of a failed step."""
    n = A.shape[1]
    p = C.shape[1]
    mdim = B.shape[2]
    tv = A.shape[0] > 1 or B.shape[0] > 1 or C.shape[0] > 1 or D.shape[0] > 1 \
        or Q.shape[0] > 1 or R.shape[0] > 1
    m = np.empty(n)
    P = np.empty((n, n))
    mnew = np.empty(n)
    Pnew = np.empty((n, n))
    mfk = np.empty(n)
    Pfk = np.empty((n, n))
    AP = np.empty((n, n))
    IKC = np.empty((n, n))
    T1 = np.empty((n, n))
    KR = np.empty((n, p))
    idx = np.empty(p, np.int64)
    CP = np.empty((p, n))
    S = np.empty((p, p))
    L = np.empty((p, p))
    Kt = np.empty((p, n))
    v = np.empty(p)
    e = np.empty(p)
    Kt_ss = np.empty((p, n))
    L_ss = np.empty((p, p))
    Pf_ss = np.empty((n, n))
    Pp_ss = np.empty((n, n))
    for s in range(offsets.shape[0] - 1):
        t0 = offsets[s]
        T = offsets[s + 1] - t0
        for i in range(n):
            m[i] = m0[i]
            for j in range(n):
                P[i, j] = P0[i, j]
        conv = False
        prev_full = False
        for k in range(T):
            t = t0 + k
            ka = _ix(k, A)
            kb = _ix(k, B)
            kc = _ix(k, C)
            kd = _ix(k, D)
            kq = _ix(k, Q)
            kr = _ix(k, R)
            if store:
                for i in range(n):
                    mp[t, i] = m[i]
                    for j in range(n):
                        Pp[t, i, j] = P[i, j]
            no = 0
            for i in range(p):
                if not np.isnan(y[t, i]):
                    idx[no] = i
                    no += 1
            full = no == p
            use_ss = conv and full
            if not full:
                conv = False
            for a in range(no):
                i = idx[a]
                acc = y[t, i]
                for j in range(n):
                    acc -= C[kc, i, j] * m[j]
                for q in range(mdim):
                    acc -= D[kd, i, q] * u[t, q]
                v[a] = acc
            if no == 0:
                for i in range(n):
                    mfk[i] = m[i]
                    for j in range(n):
                        Pfk[i, j] = P[i, j]
                ll[t] = 0.0
            else:
                if use_ss:
                    Ku = Kt_ss
                    Lu = L_ss
                    for i in range(n):
                        for j in range(n):
                            Pfk[i, j] = Pf_ss[i, j]
                else:
                    Ku = Kt
                    Lu = L
                    for a in range(no):
                        i = idx[a]
                        for j in range(n):
                            acc = 0.0
                            for q in range(n):
                                acc += C[kc, i, q] * P[q, j]
                            CP[a, j] = acc
                    for a in range(no):
                        for b in range(a + 1):
                            acc = R[kr, idx[a], idx[b]]
                            for j in range(n):
                                acc += CP[a, j] * C[kc, idx[b], j]
                            S[a, b] = acc
                            S[b, a] = acc
                    if not chol_lower(S, L, no):
                        return t + 1
                    for j in range(n):
                        for a in range(no):
                            acc = CP[a, j]
                            for b in range(a):
                                acc -= L[a, b] * Kt[b, j]
                            Kt[a, j] = acc / L[a, a]
                        for a in range(no - 1, -1, -1):
                            acc = Kt[a, j]
                            for b in range(a + 1, no):
                                acc -= L[b, a] * Kt[b, j]
                            Kt[a, j] = acc / L[a, a]
                    if joseph:
                        for i in range(n):
                            for j in range(n):
                                acc = 1.0 if i == j else 0.0
                                for a in range(no):
                                    acc -= Kt[a, i] * C[kc, idx[a], j]
                                IKC[i, j] = acc
                        for i in range(n):
                            for j in range(n):
                                acc = 0.0
                                for q in range(n):
                                    acc += IKC[i, q] * P[q, j]
                                T1[i, j] = acc
                            for b in range(no):
                                acc = 0.0
                                for a in range(no):
                                    acc += Kt[a, i] * R[kr, idx[a], idx[b]]
                                KR[i, b] = acc
                        for i in range(n):
                            for j in range(i + 1):
                                acc = 0.0
                                for q in range(n):
                                    acc += T1[i, q] * IKC[j, q]
                                for b in range(no):
                                    acc += KR[i, b] * Kt[b, j]
                                Pfk[i, j] = acc
                                Pfk[j, i] = acc
                    else:
                        for i in range(n):
                            for j in range(i + 1):
                                acc = P[i, j]
                                for a in range(no):
                                    acc -= CP[a, i] * Kt[a, j]
                                Pfk[i, j] = acc
                                Pfk[j, i] = acc
                # whitened innovation, mean update, log-likelihood
                quad = 0.0
                logdet = 0.0
                for a in range(no):
                    acc = v[a]
                    for b in range(a):
                        acc -= Lu[a, b] * e[b]
                    e[a] = acc / Lu[a, a]
                    quad += e[a] * e[a]
                    logdet += np.log(Lu[a, a])
                for i in range(n):
                    acc = m[i]
                    for a in range(no):
                        # K v = Kt^T v
                        acc += Ku[a, i] * v[a]
                    mfk[i] = acc
                ll[t] = -0.5 * (no * LOG2PI + quad) - logdet
            if store:
                for i in range(n):
                    mf[t, i] = mfk[i]
                    for j in range(n):
                        Pf[t, i, j] = Pfk[i, j]
                for i in range(p):
                    innov[t, i] = np.nan
                    white[t, i] = np.nan
                for a in range(no):
                    innov[t, idx[a]] = v[a]
                    white[t, idx[a]] = e[a]
                q2 = 0.0
                for a in range(no):
                    q2 += e[a] * e[a]
                nis[t] = q2 if no > 0 else np.nan
                steady[t] = use_ss
            # predict
            if use_ss:
                for i in range(n):
                    acc = 0.0
                    for j in range(n):
                        acc += A[ka, i, j] * mfk[j]
                    for q in range(mdim):
                        acc += B[kb, i, q] * u[t, q]
                    m[i] = acc
                    for j in range(n):
                        P[i, j] = Pp_ss[i, j]
            else:
                _predict(A, B, Q, u, t, ka, kb, kq, mfk, Pfk, mnew, Pnew, AP)
                if (not tv) and full and prev_full and steady_tol > 0.0:
                    diff = 0.0
                    scale = 0.0
                    for i in range(n):
                        for j in range(n):
                            diff = max(diff, abs(Pnew[i, j] - P[i, j]))
                            scale = max(scale, abs(P[i, j]))
                    if diff <= steady_tol * scale:
                        conv = True
                        for i in range(n):
                            for j in range(n):
                                Pf_ss[i, j] = Pfk[i, j]
                                Pp_ss[i, j] = Pnew[i, j]
                            for a in range(p):
                                Kt_ss[a, i] = Kt[a, i]
                        for a in range(p):
                            for b in range(p):
                                L_ss[a, b] = L[a, b]
                for i in range(n):
                    m[i] = mnew[i]
                    for j in range(n):
                        P[i, j] = Pnew[i, j]
            prev_full = full
        for i in range(n):
            mnext[s, i] = m[i]
            for j in range(n):
                Pnext[s, i, j] = P[i, j]
    return 0


@njit(cache=True)
def rts_kernel(offsets, A, mp, Pp, mf, Pf, steady, ms, Ps, G):  # pragma: no cover
    """Rauch-Tung-Striebel smoother; returns 0, or 1 + the flat index of a failed step."""
    n = A.shape[1]
    L = np.empty((n, n))
    AP = np.empty((n, n))
    Gt = np.empty((n, n))
    dm = np.empty(n)
    dP = np.empty((n, n))
    GdP = np.empty((n, n))
    for s in range(offsets.shape[0] - 1):
        t0 = offsets[s]
        T = offsets[s + 1] - t0
        last = t0 + T - 1
        for i in range(n):
            ms[last, i] = mf[last, i]
            for j in range(n):
                Ps[last, i, j] = Pf[last, i, j]
                G[last, i, j] = 0.0
        have_ss = False
        for k in range(T - 2, -1, -1):
            t = t0 + k
            ka = _ix(k, A)
            if not (steady[t] and have_ss):
                # G^T = Pp[t+1]^{-1} (A Pf[t])
                for i in range(n):
                    for j in range(n):
                        acc = 0.0
                        for q in range(n):
                            acc += A[ka, i, q] * Pf[t, q, j]
                        AP[i, j] = acc
                if not chol_lower(Pp[t + 1], L, n):
                    return t + 1
                for j in range(n):
                    for a in range(n):
                        acc = AP[a, j]
                        for b in range(a):
                            acc -= L[a, b] * Gt[b, j]
                        Gt[a, j] = acc / L[a, a]
                    for a in range(n - 1, -1, -1):
                        acc = Gt[a, j]
                        for b in range(a + 1, n):
                            acc -= L[b, a] * Gt[b, j]
                        Gt[a, j] = acc / L[a, a]
                have_ss = steady[t]
            for i in range(n):
                dm[i] = ms[t + 1, i] - mp[t + 1, i]
                for j in range(n):
                    dP[i, j] = Ps[t + 1, i, j] - Pp[t + 1, i, j]
            for i in range(n):
                acc = mf[t, i]
                for j in range(n):
                    acc += Gt[j, i] * dm[j]
                    G[t, i, j] = Gt[j, i]
                ms[t, i] = acc
                for j in range(n):
                    acc = 0.0
                    for q in range(n):
                        acc += Gt[q, i] * dP[q, j]
                    GdP[i, j] = acc
            for i in range(n):
                for j in range(i + 1):
                    acc = Pf[t, i, j]
                    for q in range(n):
                        acc += GdP[i, q] * Gt[q, j]
                    Ps[t, i, j] = acc
                    Ps[t, j, i] = acc
    return 0
