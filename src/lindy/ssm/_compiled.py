"""Compiled Kalman recursions on small dense matrices, built from shared helpers.

The loops are hand-written over preallocated work arrays: nothing is allocated
inside the time loop, which is what makes them fast for small state dimensions.
From ``BLAS_MIN_STATE`` states on (``blas=True``) the covariance steps call
BLAS/LAPACK instead (:mod:`lindy.ssm._compiled_blas`), still without allocating.
They run over sequences stored end to end (``offsets`` delimits them), so one
compiled loop serves one sequence and a whole TrajectorySet. Parameter arrays
always carry a leading time axis of length 1 (time-invariant) or at least the
longest sequence (time-varying), and travel together as one :class:`Model`;
the filters write into one :class:`FilterOutputs`. Inside the loops those tuples
are unpacked once (a tuple field read per step costs a reference count), and only
the small helpers are inlined by numba (``inline="always"``); the larger ones
(Cholesky, triangularization, gain) are plain calls, which measured
faster. The square-root filter and
smoother (:mod:`lindy.ssm._compiled_sqrt`) use the same helpers and containers.
This module imports numba, so :mod:`lindy.ssm._kalman` imports it lazily; the
loops compile on first call and are cached on disk.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numba import njit

from ._compiled_blas import (
    blas_scratch,
    gain_blas,
    gather_observed,
    predict_cov_blas,
    update_cov_blas,
    update_cov_joseph_blas,
)

LOG2PI = float(np.log(2.0 * np.pi))

#: the stacked parameter arrays of a filter run (covariances or their square factors)
Model = namedtuple("Model", ["A", "B", "C", "D", "Q", "R", "m0", "P0"])
#: the arrays a filter writes: per-step moments, terms and per-sequence predictions
FilterOutputs = namedtuple("FilterOutputs", ["mp", "Pp", "mf", "Pf", "ll", "innov", "white",
                                             "nis", "steady", "factors", "mnext", "Pnext"])
#: work arrays of the covariance filter's measurement update
FilterWork = namedtuple("FilterWork", ["CP", "S", "L", "Kt", "IKC", "T1", "KR", "Co", "Ro"])


# ------------------------------------------------------------------- helpers
@njit(cache=True, inline="always")
def _ix(k, arr):  # pragma: no cover - compiled
    return k if arr.shape[0] > 1 else 0


@njit(cache=True, inline="always")
def put(dst, t, src):  # pragma: no cover - compiled
    """dst[t] = src for a vector src (explicit loop: no view, no allocation)."""
    for i in range(src.shape[0]):
        dst[t, i] = src[i]


@njit(cache=True, inline="always")
def put2(dst, t, src):  # pragma: no cover - compiled
    """dst[t] = src for a matrix src."""
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            dst[t, i, j] = src[i, j]


@njit(cache=True, inline="always")
def copy(src, dst):  # pragma: no cover - compiled
    """dst[:] = src for vectors."""
    for i in range(src.shape[0]):
        dst[i] = src[i]


@njit(cache=True, inline="always")
def copy2(src, dst):  # pragma: no cover - compiled
    """dst[:, :] = src for matrices of src's shape."""
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            dst[i, j] = src[i, j]


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


@njit(cache=True, inline="always")
def chol_solve(L, Bm, X, k, ncols):  # pragma: no cover - compiled
    """X[:k, :ncols] = (L L^T)^{-1} Bm[:k, :ncols] for lower-triangular L (two substitutions)."""
    for j in range(ncols):
        for a in range(k):
            acc = Bm[a, j]
            for b in range(a):
                acc -= L[a, b] * X[b, j]
            X[a, j] = acc / L[a, a]
        for a in range(k - 1, -1, -1):
            acc = X[a, j]
            for b in range(a + 1, k):
                acc -= L[b, a] * X[b, j]
            X[a, j] = acc / L[a, a]


@njit(cache=True, inline="always")
def whiten(L, v, e, k):  # pragma: no cover - compiled
    """e = L^{-1} v (forward substitution); returns the Gaussian log-density term.

    ``-0.5 (k log 2 pi + e^T e) - sum log diag L``: one float back (returning the
    two sums as a tuple from an inlined helper measured 30% slower).
    """
    quad = 0.0
    logdet = 0.0
    for a in range(k):
        acc = v[a]
        for b in range(a):
            acc -= L[a, b] * e[b]
        e[a] = acc / L[a, a]
        quad += e[a] * e[a]
        logdet += np.log(L[a, a])
    return -0.5 * (k * LOG2PI + quad) - logdet


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


@njit(cache=True, inline="always")
def outer(S, P):  # pragma: no cover - compiled
    """P = S S^T (symmetric, from the lower triangle)."""
    n = S.shape[0]
    for i in range(n):
        for j in range(i + 1):
            acc = 0.0
            for q in range(n):
                acc += S[i, q] * S[j, q]
            P[i, j] = acc
            P[j, i] = acc


@njit(cache=True, inline="always")
def observed(y, t, idx):  # pragma: no cover - compiled
    """Indices of the non-NaN components of y[t] into idx; returns their number."""
    no = 0
    for i in range(y.shape[1]):
        if not np.isnan(y[t, i]):
            idx[no] = i
            no += 1
    return no


@njit(cache=True, inline="always")
def innovation(y, u, t, C, D, kc, kd, m, idx, no, v):  # pragma: no cover - compiled
    """v = y[t] - C m - D u[t] on the observed components."""
    for a in range(no):
        i = idx[a]
        acc = y[t, i]
        for j in range(m.shape[0]):
            acc -= C[kc, i, j] * m[j]
        for q in range(u.shape[1]):
            acc -= D[kd, i, q] * u[t, q]
        v[a] = acc


@njit(cache=True, inline="always")
def predict_mean(A, B, u, t, ka, kb, mf, m):  # pragma: no cover - compiled
    """m = A mf + B u[t]."""
    n = mf.shape[0]
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += A[ka, i, j] * mf[j]
        for q in range(u.shape[1]):
            acc += B[kb, i, q] * u[t, q]
        m[i] = acc


@njit(cache=True)
def predict_cov(A, Q, ka, kq, Pf, P, AP):  # pragma: no cover - compiled
    """P = A Pf A^T + Q (symmetric), with work array AP."""
    n = Pf.shape[0]
    for i in range(n):
        for j in range(n):
            acc = 0.0
            for q in range(n):
                acc += A[ka, i, q] * Pf[q, j]
            AP[i, j] = acc
    for i in range(n):
        for j in range(i + 1):
            acc = Q[kq, i, j]
            for q in range(n):
                acc += AP[i, q] * A[ka, j, q]
            P[i, j] = acc
            P[j, i] = acc


@njit(cache=True, inline="always")
def store_innovations(innov, white, nis, t, idx, no, v, e):  # pragma: no cover - compiled
    """Innovations, whitened innovations (NaN where missing) and NIS of step t."""
    for i in range(innov.shape[1]):
        innov[t, i] = np.nan
        white[t, i] = np.nan
    quad = 0.0
    for a in range(no):
        innov[t, idx[a]] = v[a]
        white[t, idx[a]] = e[a]
        quad += e[a] * e[a]
    nis[t] = quad if no > 0 else np.nan


# ------------------------------------------------------- covariance filter
@njit(cache=True, inline="always")
def filter_work(n, p):  # pragma: no cover - compiled
    """Work arrays of the covariance filter's measurement update (allocated once per call)."""
    return FilterWork(CP=np.empty((p, n)), S=np.empty((p, p)), L=np.empty((p, p)),
                      Kt=np.empty((p, n)), IKC=np.empty((n, n)), T1=np.empty((n, n)),
                      KR=np.empty((n, p)), Co=np.empty((p, n)), Ro=np.empty((p, p)))


@njit(cache=True)
def gain(P, C, R, kc, kr, idx, no, CP, S, L, Kt):  # pragma: no cover - compiled
    """Gain ``Kt = S^{-1} C P`` with ``L`` the Cholesky factor of ``S = C P C^T + R``.

    On the observed rows ``idx[:no]``; ``CP`` holds ``C P``. False if S is singular.
    """
    n = P.shape[0]
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
        return False
    chol_solve(L, CP, Kt, no, n)
    return True


@njit(cache=True, inline="always")
def update_cov(P, CP, Kt, no, Pf):  # pragma: no cover - compiled
    """Pf = P - (C P)^T Kt, symmetrized."""
    n = P.shape[0]
    for i in range(n):
        for j in range(i + 1):
            acc = P[i, j]
            for a in range(no):
                acc -= CP[a, i] * Kt[a, j]
            Pf[i, j] = acc
            Pf[j, i] = acc


@njit(cache=True)
def update_cov_joseph(P, C, R, kc, kr, idx, no, Kt, IKC, T1, KR, Pf):  # pragma: no cover
    """Joseph form Pf = (I - K C) P (I - K C)^T + K R K^T (work arrays IKC, T1, KR)."""
    n = P.shape[0]
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
            Pf[i, j] = acc
            Pf[j, i] = acc


@njit(cache=True, inline="always")
def _converged(P, Pnew, steady_tol):  # pragma: no cover - compiled
    diff = 0.0
    scale = 0.0
    n = P.shape[0]
    for i in range(n):
        for j in range(n):
            diff = max(diff, abs(Pnew[i, j] - P[i, j]))
            scale = max(scale, abs(P[i, j]))
    return diff <= steady_tol * scale


@njit(cache=True, nogil=True)
def kalman_loop(y, u, offsets, model, out, joseph, steady_tol, store, blas,
                s_lo, s_hi):  # pragma: no cover - compiled
    """Covariance-form Kalman filter; returns 0, or 1 + the flat index of a failed step.

    Runs sequences ``s_lo..s_hi-1`` (disjoint ranges may run in parallel threads:
    the loop holds no GIL). ``model``: :class:`Model` of covariances; ``out``:
    :class:`FilterOutputs` (with ``store`` False only ``ll``, ``mnext`` and
    ``Pnext`` are written). ``blas``: matrix products and Cholesky solves through
    BLAS/LAPACK (:mod:`lindy.ssm._compiled_blas`) instead of the loops. For
    time-invariant models the covariance recursion is frozen once it changes by
    less than ``steady_tol`` over fully observed steps.
    """
    A, B, C, D, Q, R, m0, P0 = model
    # fields are read once: a tuple field read inside the loop costs a reference count
    mp, Pp, mf, Pf, ll = out.mp, out.Pp, out.mf, out.Pf, out.ll
    innov, white, nis, steady = out.innov, out.white, out.nis, out.steady
    mnext, Pnext = out.mnext, out.Pnext
    n = A.shape[1]
    p = C.shape[1]
    tv = A.shape[0] > 1 or B.shape[0] > 1 or C.shape[0] > 1 or D.shape[0] > 1 \
        or Q.shape[0] > 1 or R.shape[0] > 1
    w = filter_work(n, p)
    CP, S, L, Kt, IKC, T1, KR, Co, Ro = w.CP, w.S, w.L, w.Kt, w.IKC, w.T1, w.KR, w.Co, w.Ro
    bw = blas_scratch()
    m, mfk = np.empty(n), np.empty(n)
    P, Pnew, Pfk, AP = np.empty((n, n)), np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    idx = np.empty(p, np.int64)
    v, e = np.empty(p), np.empty(p)
    Kt_ss, L_ss = np.empty((p, n)), np.empty((p, p))
    Pf_ss, Pp_ss = np.empty((n, n)), np.empty((n, n))
    for s in range(s_lo, s_hi):
        t0 = offsets[s]
        copy(m0, m)
        copy2(P0, P)
        conv = False
        prev_full = False
        for k in range(offsets[s + 1] - t0):
            t = t0 + k
            kc, kd = _ix(k, C), _ix(k, D)
            if store:
                put(mp, t, m)
                put2(Pp, t, P)
            no = observed(y, t, idx)
            full = no == p
            use_ss = conv and full
            if not full:
                conv = False
            innovation(y, u, t, C, D, kc, kd, m, idx, no, v)
            if no == 0:
                copy(m, mfk)
                copy2(P, Pfk)
                ll[t] = 0.0
            else:
                if use_ss:
                    Ku = Kt_ss  # separate assignments: a tuple of arrays costs reference counts
                    Lu = L_ss
                    copy2(Pf_ss, Pfk)
                else:
                    kr = _ix(k, R)
                    if blas:
                        gather_observed(C, R, kc, kr, idx, no, Co, Ro)
                        if not gain_blas(P, Co, Ro, no, CP, L, Kt, bw):
                            return t + 1
                        if joseph:
                            update_cov_joseph_blas(P, Co, Ro, no, Kt, IKC, T1, KR, Pfk, bw)
                        else:
                            update_cov_blas(P, CP, Kt, no, Pfk, bw)
                    else:
                        if not gain(P, C, R, kc, kr, idx, no, CP, S, L, Kt):
                            return t + 1
                        if joseph:
                            update_cov_joseph(P, C, R, kc, kr, idx, no, Kt, IKC, T1, KR, Pfk)
                        else:
                            update_cov(P, CP, Kt, no, Pfk)
                    Ku = Kt
                    Lu = L
                ll[t] = whiten(Lu, v, e, no)
                for i in range(n):  # m + K v, K v = Kt^T v
                    acc = m[i]
                    for a in range(no):
                        acc += Ku[a, i] * v[a]
                    mfk[i] = acc
            if store:
                put(mf, t, mfk)
                put2(Pf, t, Pfk)
                store_innovations(innov, white, nis, t, idx, no, v, e)
                steady[t] = use_ss
            predict_mean(A, B, u, t, _ix(k, A), _ix(k, B), mfk, m)
            if use_ss:
                copy2(Pp_ss, P)
            else:
                if blas:
                    predict_cov_blas(A, Q, _ix(k, A), _ix(k, Q), Pfk, Pnew, AP, bw)
                else:
                    predict_cov(A, Q, _ix(k, A), _ix(k, Q), Pfk, Pnew, AP)
                if (not tv) and full and prev_full and steady_tol > 0.0 \
                        and _converged(P, Pnew, steady_tol):
                    conv = True
                    copy2(Pfk, Pf_ss)
                    copy2(Pnew, Pp_ss)
                    copy2(Kt, Kt_ss)
                    copy2(L, L_ss)
                copy2(Pnew, P)
            prev_full = full
        put(mnext, s, m)
        put2(Pnext, s, P)
    return 0

