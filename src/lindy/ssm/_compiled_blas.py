"""BLAS/LAPACK-backed steps of the compiled Kalman recursions (larger state dimensions).

The hand-written loops of :mod:`lindy.ssm._compiled` win for small matrices
(no call overhead); from a dozen states on, the products and Cholesky solves
are faster through BLAS (``dgemm``, ``dtrsm``) and LAPACK (``dpotrf``). They
are called from numba through the Fortran symbols SciPy exports
(``scipy.linalg.cython_blas``/``cython_lapack``), registered with LLVM by name,
so the compiled loops stay cacheable and allocate nothing per step. Arrays are
C-ordered: a C-ordered ``(m, k)`` block is BLAS's column-major ``(k, m)``
transpose, so every call computes the transposed product (``C^T = B^T A^T``).
Integer and character arguments go through :class:`BlasScratch`. The helpers
mirror their loop counterparts (same arguments, same results to rounding).
"""

from __future__ import annotations

from collections import namedtuple

import llvmlite.binding as llvm
import numpy as np
from numba import njit, types
from numba.core.extending import get_cython_function_address

_SYMBOLS = {"dgemm": "scipy.linalg.cython_blas", "dtrsm": "scipy.linalg.cython_blas",
            "dpotrf": "scipy.linalg.cython_lapack"}
for _name, _module in _SYMBOLS.items():
    llvm.add_symbol("lindy_" + _name, get_cython_function_address(_module, _name))
_vp = types.voidptr
_dgemm = types.ExternalFunction("lindy_dgemm", types.void(*([_vp] * 13)))
_dtrsm = types.ExternalFunction("lindy_dtrsm", types.void(*([_vp] * 11)))
_dpotrf = types.ExternalFunction("lindy_dpotrf", types.void(*([_vp] * 5)))

#: state dimension from which the filter uses BLAS/LAPACK for its matrix products
BLAS_MIN_STATE = 12
#: the same for the RTS smoother (its n-column solves pay off earlier)
BLAS_MIN_STATE_SMOOTHER = 8

#: integer (int32), float and character (uint8) arguments of the Fortran calls
BlasScratch = namedtuple("BlasScratch", ["ints", "floats", "chars"])

_N, _T, _L, _R, _U = 78, 84, 76, 82, 85  # ord("N"), "T", "L", "R", "U"


@njit(cache=True)
def blas_scratch():  # pragma: no cover - compiled
    """Scratch arrays for the scalar arguments of the BLAS/LAPACK calls."""
    return BlasScratch(ints=np.zeros(8, np.int32), floats=np.zeros(2), chars=np.zeros(4, np.uint8))


@njit(cache=True)
def gemm(ta, tb, m, n, k, alpha, A, B, beta, C, w):  # pragma: no cover - compiled
    """``C[:m, :n] = alpha op(A) op(B) + beta C[:m, :n]`` with ``op(X) = X^T`` if ``t``.

    ``A``, ``B``, ``C`` are 2-D arrays with unit column stride (their first rows
    may be a slice); leading dimensions are their row strides.
    """
    ints, fl, ch = w.ints, w.floats, w.chars
    ch[0] = _T if tb else _N
    ch[1] = _T if ta else _N
    ints[0], ints[1], ints[2] = n, m, k
    ints[3], ints[4], ints[5] = B.strides[0] // 8, A.strides[0] // 8, C.strides[0] // 8
    fl[0], fl[1] = alpha, beta
    _dgemm(ch[0:].ctypes, ch[1:].ctypes, ints[0:].ctypes, ints[1:].ctypes, ints[2:].ctypes,
           fl[0:].ctypes, B.ctypes, ints[3:].ctypes, A.ctypes, ints[4:].ctypes, fl[1:].ctypes,
           C.ctypes, ints[5:].ctypes)


@njit(cache=True)
def potrf(S, k, w):  # pragma: no cover - compiled
    """In place: the lower triangle of ``S[:k, :k]`` becomes L with ``L L^T = S``.

    Reads only the lower triangle (the strict upper one is left as it was).
    False if ``S`` is not positive definite.
    """
    if k == 0:
        return True
    ints, ch = w.ints, w.chars
    ch[0] = _U  # BLAS's upper triangle of the transpose is our lower one
    ints[0], ints[1], ints[2] = k, S.strides[0] // 8, 0
    _dpotrf(ch.ctypes, ints[0:].ctypes, S.ctypes, ints[1:].ctypes, ints[2:].ctypes)
    if ints[2] != 0:
        return False
    for i in range(k):
        if not S[i, i] > 0.0:  # NaN
            return False
    return True


@njit(cache=True)
def chol_solve_blas(L, X, k, ncols, w):  # pragma: no cover - compiled
    """In place: ``X[:k, :ncols] <- (L L^T)^{-1} X[:k, :ncols]`` for lower-triangular L."""
    if k == 0 or ncols == 0:
        return
    ints, fl, ch = w.ints, w.floats, w.chars
    ch[0], ch[1], ch[2], ch[3] = _R, _U, _N, _N  # X^T U^{-1}, then (.) U^{-T}, U = L^T
    ints[0], ints[1], ints[2], ints[3] = ncols, k, L.strides[0] // 8, X.strides[0] // 8
    fl[0] = 1.0
    _dtrsm(ch[0:].ctypes, ch[1:].ctypes, ch[2:].ctypes, ch[3:].ctypes, ints[0:].ctypes,
           ints[1:].ctypes, fl.ctypes, L.ctypes, ints[2:].ctypes, X.ctypes, ints[3:].ctypes)
    ch[2] = _T
    _dtrsm(ch[0:].ctypes, ch[1:].ctypes, ch[2:].ctypes, ch[3:].ctypes, ints[0:].ctypes,
           ints[1:].ctypes, fl.ctypes, L.ctypes, ints[2:].ctypes, X.ctypes, ints[3:].ctypes)


@njit(cache=True, inline="always")
def mirror_lower(P, n):  # pragma: no cover - compiled
    """Symmetrize ``P[:n, :n]`` from its lower triangle."""
    for i in range(n):
        for j in range(i):
            P[j, i] = P[i, j]


@njit(cache=True)
def predict_cov_blas(A, Q, ka, kq, Pf, P, AP, w):  # pragma: no cover - compiled
    """P = A Pf A^T + Q (symmetric, from the lower triangle), with work array AP."""
    n = Pf.shape[0]
    gemm(False, False, n, n, n, 1.0, A[ka], Pf, 0.0, AP, w)
    Qk = Q[kq]
    for i in range(n):
        for j in range(n):
            P[i, j] = Qk[i, j]
    gemm(False, True, n, n, n, 1.0, AP, A[ka], 1.0, P, w)
    mirror_lower(P, n)


@njit(cache=True)
def gather_observed(C, R, kc, kr, idx, no, Co, Ro):  # pragma: no cover - compiled
    """Rows ``idx[:no]`` of ``C[kc]`` into ``Co`` and the block of ``R[kr]`` into ``Ro``."""
    for a in range(no):
        i = idx[a]
        for j in range(C.shape[2]):
            Co[a, j] = C[kc, i, j]
        for b in range(no):
            Ro[a, b] = R[kr, i, idx[b]]


@njit(cache=True)
def gain_blas(P, Co, Ro, no, CP, L, Kt, w):  # pragma: no cover - compiled
    """As :func:`lindy.ssm._compiled.gain`, on the gathered observed rows ``Co``, ``Ro``.

    ``L`` receives the Cholesky factor of ``S = Co P Co^T + Ro`` (lower triangle).
    """
    n = P.shape[0]
    gemm(False, False, no, n, n, 1.0, Co, P, 0.0, CP, w)
    for a in range(no):
        for b in range(a + 1):
            L[a, b] = Ro[a, b]
    gemm(False, True, no, no, n, 1.0, CP, Co, 1.0, L, w)
    if not potrf(L, no, w):
        return False
    for a in range(no):
        for j in range(n):
            Kt[a, j] = CP[a, j]
    chol_solve_blas(L, Kt, no, n, w)
    return True


@njit(cache=True)
def update_cov_blas(P, CP, Kt, no, Pf, w):  # pragma: no cover - compiled
    """Pf = P - (C P)^T Kt, symmetrized from the lower triangle."""
    n = P.shape[0]
    for i in range(n):
        for j in range(n):
            Pf[i, j] = P[i, j]
    gemm(True, False, n, n, no, -1.0, CP, Kt, 1.0, Pf, w)
    mirror_lower(Pf, n)


@njit(cache=True)
def update_cov_joseph_blas(P, Co, Ro, no, Kt, IKC, T1, KR, Pf, w):  # pragma: no cover
    """Joseph form ``(I - K C) P (I - K C)^T + K R K^T`` (lower triangle, mirrored)."""
    n = P.shape[0]
    for i in range(n):
        for j in range(n):
            IKC[i, j] = 1.0 if i == j else 0.0
    gemm(True, False, n, n, no, -1.0, Kt, Co, 1.0, IKC, w)
    gemm(False, False, n, n, n, 1.0, IKC, P, 0.0, T1, w)
    gemm(True, False, n, no, no, 1.0, Kt, Ro, 0.0, KR, w)
    gemm(False, True, n, n, n, 1.0, T1, IKC, 0.0, Pf, w)
    gemm(False, False, n, n, no, 1.0, KR, Kt, 1.0, Pf, w)
    mirror_lower(Pf, n)
