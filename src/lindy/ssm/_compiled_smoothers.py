"""Compiled fixed-interval smoothers on covariances (RTS and the r_t, N_t form).

``rts_loop`` is the Rauch-Tung-Striebel smoother; where a predicted covariance is
singular its gain comes from a pseudo-inverse solve. Its products and Cholesky
solves go through BLAS/LAPACK for larger state dimensions, and over the filter's
steady state its covariance recursion freezes once converged. ``rn_loop`` is the smoother
in the Durbin & Koopman (2012, sec. 4.4) ``r_t, N_t`` form, which never solves
with a predicted covariance (only with innovation covariances); it serves models
whose predicted covariances are (near) singular, where the RTS gain loses
digits. Built from the helpers of :mod:`lindy.ssm._compiled`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._compiled import _ix, chol_lower, chol_solve, gain, observed
from ._compiled_blas import (
    blas_scratch,
    chol_solve_blas,
    gain_blas,
    gather_observed,
    gemm,
    mirror_lower,
    potrf,
)

#: relative size below which a pivot or eigenvalue of a predicted covariance counts as zero
SINGULAR_RTOL = 1e-10


@njit(cache=True)
def chol_pivot(P, L, n):  # pragma: no cover - compiled
    """Cholesky factor of P[:n, :n] into L; its smallest squared pivot over max diag(P).

    0 if P is singular (not positive definite, or a relative pivot at or below
    ``SINGULAR_RTOL``).
    """
    if not chol_lower(P, L, n):
        return 0.0
    return pivot_ratio(P, L, n)


@njit(cache=True)
def pinv_solve(P, Bm, X, n):  # pragma: no cover - compiled
    """X = P^+ Bm for a symmetric PSD P (n, n), by its eigendecomposition.

    Eigenvalues below ``SINGULAR_RTOL`` times the largest are the singular
    subspace and are dropped (a minimum-norm solve). Used where a predicted
    covariance is singular (e.g. ARMA models in companion form with R = 0), where
    Bm lies in the range of P and the solution is the exact smoother gain.
    """
    w, V = np.linalg.eigh(np.ascontiguousarray(P))
    cut = SINGULAR_RTOL * max(w[n - 1], 0.0)
    for j in range(Bm.shape[1]):
        for i in range(n):
            X[i, j] = 0.0
        for q in range(n):
            if w[q] <= cut:
                continue
            acc = 0.0
            for i in range(n):
                acc += V[i, q] * Bm[i, j]
            acc /= w[q]
            for i in range(n):
                X[i, j] += V[i, q] * acc


@njit(cache=True, inline="always")
def _settled(X, Y, n, tol):  # pragma: no cover - compiled
    """max |X - Y| <= tol * max |Y| over the lower triangles (symmetric matrices)."""
    diff = 0.0
    scale = 0.0
    for i in range(n):
        for j in range(i + 1):
            diff = max(diff, abs(X[i, j] - Y[i, j]))
            scale = max(scale, abs(Y[i, j]))
    return diff <= tol * scale


@njit(cache=True)
def _gain_t(A, ka, Pf, Pp1, L, AP, Gt, n, blas, bw):  # pragma: no cover - compiled
    """Gt = Pp1^{-1} (A Pf) (the transposed smoother gain); the relative Cholesky pivot."""
    if blas:
        gemm(False, False, n, n, n, 1.0, A[ka], Pf, 0.0, AP, bw)
        for i in range(n):
            for j in range(i + 1):
                L[i, j] = Pp1[i, j]
        ratio = pivot_ratio(Pp1, L, n) if potrf(L, n, bw) else 0.0
        if ratio > 0.0:
            for i in range(n):
                for j in range(n):
                    Gt[i, j] = AP[i, j]
            chol_solve_blas(L, Gt, n, n, bw)
            return ratio
    else:
        for i in range(n):
            for j in range(n):
                acc = 0.0
                for q in range(n):
                    acc += A[ka, i, q] * Pf[q, j]
                AP[i, j] = acc
        ratio = chol_pivot(Pp1, L, n)
        if ratio > 0.0:
            chol_solve(L, AP, Gt, n, n)
            return ratio
    pinv_solve(Pp1, AP, Gt, n)  # singular predicted covariance: solve on its range
    return ratio


@njit(cache=True, nogil=True)
def rts_loop(offsets, A, mp, Pp, mf, Pf, steady, ms, Ps, G, worst, blas, steady_tol,
             s_lo, s_hi):  # pragma: no cover - compiled
    """Rauch-Tung-Striebel smoother over sequences ``s_lo..s_hi-1``; returns 0.

    Steps the filter marked steady reuse the last gain; over such steps the
    smoothed covariance is a fixed-point iteration ``P_s <- P_f + G (P_s - P_p) G^T``
    with constant ``P_f, P_p, G``, and once it changes by at most ``steady_tol``
    relative to its size it is frozen (copied back) until the filter leaves its
    steady state (``steady_tol = 0`` disables this). A singular predicted
    covariance ``P_{k+1|k}`` (to ``SINGULAR_RTOL``) gets its gain from a
    pseudo-inverse solve: ``A P_{k|k}`` lies in its range, so the gain is exact.
    ``worst[0]`` is lowered to the smallest squared Cholesky pivot of a solved
    ``P_{k+1|k}`` relative to its largest diagonal entry (0 if one was singular).
    ``blas``: products and solves through BLAS/LAPACK. Holds no GIL.
    """
    n = A.shape[1]
    L, AP, Gt = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    dm, dP, GdP = np.empty(n), np.empty((n, n)), np.empty((n, n))
    bw = blas_scratch()
    for s in range(s_lo, s_hi):
        t0 = offsets[s]
        last = offsets[s + 1] - 1
        ms[last, :] = mf[last]
        Ps[last, :, :] = Pf[last]
        G[last, :, :] = 0.0
        have_ss = False
        run = 0  # consecutive steps computed with the frozen (steady) gain
        frozen = False
        for k in range(last - t0 - 1, -1, -1):
            t = t0 + k
            ka = _ix(k, A)
            if not (steady[t] and have_ss):  # G^T = Pp[t+1]^{-1} (A Pf[t])
                ratio = _gain_t(A, ka, Pf[t], Pp[t + 1], L, AP, Gt, n, blas, bw)
                worst[0] = min(worst[0], ratio)
                have_ss = steady[t]
                run = 0
                frozen = False
            for i in range(n):
                dm[i] = ms[t + 1, i] - mp[t + 1, i]
            for i in range(n):
                acc = mf[t, i]
                for j in range(n):
                    acc += Gt[j, i] * dm[j]
                    G[t, i, j] = Gt[j, i]
                ms[t, i] = acc
            if frozen:
                for i in range(n):
                    for j in range(n):
                        Ps[t, i, j] = Ps[t + 1, i, j]
                continue
            for i in range(n):
                for j in range(n):
                    dP[i, j] = Ps[t + 1, i, j] - Pp[t + 1, i, j]
            if blas:
                gemm(True, False, n, n, n, 1.0, Gt, dP, 0.0, GdP, bw)
                for i in range(n):
                    for j in range(n):
                        Ps[t, i, j] = Pf[t, i, j]
                gemm(False, False, n, n, n, 1.0, GdP, Gt, 1.0, Ps[t], bw)
                mirror_lower(Ps[t], n)
            else:
                for i in range(n):
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
            if steady[t] and have_ss:
                run += 1
                # two steps on the same (P_f, P_p, G): P_s[t+1] came from the same map
                if run >= 2 and steady_tol > 0.0 and _settled(Ps[t], Ps[t + 1], n, steady_tol):
                    frozen = True
    return 0


@njit(cache=True, inline="always")
def pivot_ratio(P, L, n):  # pragma: no cover - compiled
    """Smallest squared pivot of the factor L of P over max diag(P); 0 at or below SINGULAR_RTOL."""
    big = 0.0
    for i in range(n):
        big = max(big, P[i, i])
    small = np.inf
    for i in range(n):
        small = min(small, L[i, i] * L[i, i])
    ratio = small / big
    return ratio if ratio > SINGULAR_RTOL else 0.0


@njit(cache=True)
def rn_loop(offsets, A, C, R, y, innov, mp, Pp, ms, Ps, r_first, N_first,
            blas=False):  # pragma: no cover - compiled
    """Smoothed moments by the ``r_t, N_t`` recursions; returns 0 or 1 + a failed step.

    Backwards over each sequence, with ``K = P C^T F^{-1}`` on the observed rows::

        r <- C^T F^{-1} v + (I - K C)^T r,   N <- C^T F^{-1} C + (I - K C)^T N (I - K C)
        m_s = m_p + P_p r,   P_s = P_p - P_p N P_p

    then ``r <- A^T r``, ``N <- A^T N A`` to the previous step. ``r_first[s]``,
    ``N_first[s]`` receive sequence ``s``'s ``r, N`` after its first step (the
    exact diffuse smoother continues from them). ``blas``: products and solves
    through BLAS/LAPACK.
    """
    n = A.shape[1]
    p = C.shape[1]
    r, tmp, w, fv = np.empty(n), np.empty(n), np.empty(p), np.empty(p)
    N, IKC, PN = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
    CP, S, L, Kt = np.empty((p, n)), np.empty((p, p)), np.empty((p, p)), np.empty((p, n))
    FC, Cm, Ro = np.empty((p, n)), np.empty((p, n)), np.empty((p, p))
    idx = np.empty(p, np.int64)
    bw = blas_scratch()
    for s in range(offsets.shape[0] - 1):
        t0 = offsets[s]
        last = offsets[s + 1] - 1
        r[:] = 0.0
        N[:, :] = 0.0
        for k in range(last - t0, -1, -1):
            t = t0 + k
            if t < last:
                ka = _ix(k, A)
                for i in range(n):
                    acc = 0.0
                    for q in range(n):
                        acc += A[ka, q, i] * r[q]
                    tmp[i] = acc
                for i in range(n):
                    r[i] = tmp[i]
                if blas:  # N <- A^T (N A)
                    gemm(False, False, n, n, n, 1.0, N, A[ka], 0.0, PN, bw)
                    gemm(True, False, n, n, n, 1.0, A[ka], PN, 0.0, N, bw)
                else:
                    for i in range(n):
                        for j in range(n):
                            acc = 0.0
                            for q in range(n):
                                acc += N[i, q] * A[ka, q, j]
                            PN[i, j] = acc
                    for i in range(n):
                        for j in range(n):
                            acc = 0.0
                            for q in range(n):
                                acc += A[ka, q, i] * PN[q, j]
                            N[i, j] = acc
            no = observed(y, t, idx)
            if no > 0:
                kc, kr = _ix(k, C), _ix(k, R)
                if blas:
                    gather_observed(C, R, kc, kr, idx, no, Cm, Ro)
                    if not gain_blas(Pp[t], Cm, Ro, no, CP, L, Kt, bw):
                        return t + 1
                    for a in range(no):
                        for j in range(n):
                            FC[a, j] = Cm[a, j]
                        w[a] = innov[t, idx[a]]
                    chol_solve_blas(L, FC, no, n, bw)  # F^{-1} C
                else:
                    if not gain(Pp[t], C, R, kc, kr, idx, no, CP, S, L, Kt):
                        return t + 1
                    for a in range(no):
                        for j in range(n):
                            Cm[a, j] = C[kc, idx[a], j]
                        w[a] = innov[t, idx[a]]
                    chol_solve(L, Cm, FC, no, n)  # F^{-1} C
                for a in range(no):  # fv = F^{-1} v - K^T r (two triangular solves)
                    acc = w[a]
                    for b in range(a):
                        acc -= L[a, b] * fv[b]
                    fv[a] = acc / L[a, a]
                for a in range(no - 1, -1, -1):
                    acc = fv[a]
                    for b in range(a + 1, no):
                        acc -= L[b, a] * fv[b]
                    fv[a] = acc / L[a, a]
                for a in range(no):
                    acc = 0.0
                    for j in range(n):
                        acc += Kt[a, j] * r[j]
                    fv[a] -= acc
                for i in range(n):
                    acc = r[i]
                    for a in range(no):
                        acc += Cm[a, i] * fv[a]
                    r[i] = acc
                if blas:  # N <- (I - K C)^T N (I - K C) + C^T F^{-1} C
                    for i in range(n):
                        for j in range(n):
                            IKC[i, j] = 1.0 if i == j else 0.0
                    gemm(True, False, n, n, no, -1.0, Kt, Cm, 1.0, IKC, bw)
                    gemm(False, False, n, n, n, 1.0, N, IKC, 0.0, PN, bw)
                    gemm(True, False, n, n, n, 1.0, IKC, PN, 0.0, N, bw)
                    gemm(True, False, n, n, no, 1.0, Cm, FC, 1.0, N, bw)
                    mirror_lower(N, n)
                else:
                    for i in range(n):  # I - K C
                        for j in range(n):
                            acc = 1.0 if i == j else 0.0
                            for a in range(no):
                                acc -= Kt[a, i] * Cm[a, j]
                            IKC[i, j] = acc
                    for i in range(n):
                        for j in range(n):
                            acc = 0.0
                            for q in range(n):
                                acc += N[i, q] * IKC[q, j]
                            PN[i, j] = acc
                    for i in range(n):
                        for j in range(i + 1):
                            acc = 0.0
                            for q in range(n):
                                acc += IKC[q, i] * PN[q, j]
                            for a in range(no):
                                acc += Cm[a, i] * FC[a, j]
                            N[i, j] = acc
                            N[j, i] = acc
            for i in range(n):
                acc = mp[t, i]
                for j in range(n):
                    acc += Pp[t, i, j] * r[j]
                ms[t, i] = acc
            if blas:  # P_s = P_p - (P_p N) P_p
                gemm(False, False, n, n, n, 1.0, Pp[t], N, 0.0, PN, bw)
                for i in range(n):
                    for j in range(n):
                        Ps[t, i, j] = Pp[t, i, j]
                gemm(False, False, n, n, n, -1.0, PN, Pp[t], 1.0, Ps[t], bw)
                mirror_lower(Ps[t], n)
                continue
            for i in range(n):
                for j in range(n):
                    acc = 0.0
                    for q in range(n):
                        acc += Pp[t, i, q] * N[q, j]
                    PN[i, j] = acc
            for i in range(n):
                for j in range(i + 1):
                    acc = Pp[t, i, j]
                    for q in range(n):
                        acc -= PN[i, q] * Pp[t, q, j]
                    Ps[t, i, j] = acc
                    Ps[t, j, i] = acc
        for i in range(n):
            r_first[s, i] = r[i]
            for j in range(n):
                N_first[s, i, j] = N[i, j]
    return 0
