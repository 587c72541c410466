"""Compiled loops of the reservoir models: reservoir updates and closed-loop generation.

The reservoir matrix is held in compressed sparse row form as three plain arrays
(``indptr``, ``indices``, ``values``), so a model file stores it without scipy
objects. The loops run on a sliced copy (:func:`sliced`): rows sorted by their
number of nonzeros, and slot ``s`` of every row that has one stored together,
so the matrix-vector product is a few long loops instead of ``N`` short ones
(the sums run in the same order, so the results are the same to the bit). Nothing is allocated inside
the time loops. This module imports numba: it is imported lazily by the model
modules, and the loops compile on first call and are cached on disk.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def _tanh_inplace(v):  # pragma: no cover - compiled
    """``v <- tanh(v)``, branch-free so that LLVM vectorizes it (libm's tanh is not).

    ``tanh a = -q / (2 + q)`` with ``q = expm1(-2 |a|)``: ``expm1`` of
    ``-2 |a| / 64`` by its Taylor series to degree 14 (error below 1e-17 on
    [-0.625, 0]), then six doublings ``expm1(2 s) = expm1(s) (expm1(s) + 2)``;
    ``|a|`` is capped at 20, where tanh is 1 in double precision. Accurate to
    5e-16 (absolute and relative); NaN stays NaN. ``error_model="numpy"`` drops
    the division-by-zero check that would stop the vectorizer.
    """
    for i in range(v.shape[0]):
        x = v[i]
        a = abs(x)
        a = 20.0 if a > 20.0 else a
        r = a * (-2.0 / 64.0)
        p = 1.0 / 87178291200.0
        p = p * r + 1.0 / 6227020800.0
        p = p * r + 1.0 / 479001600.0
        p = p * r + 1.0 / 39916800.0
        p = p * r + 1.0 / 3628800.0
        p = p * r + 1.0 / 362880.0
        p = p * r + 1.0 / 40320.0
        p = p * r + 1.0 / 5040.0
        p = p * r + 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        q = p * r
        q = q * (q + 2.0)
        q = q * (q + 2.0)
        q = q * (q + 2.0)
        q = q * (q + 2.0)
        q = q * (q + 2.0)
        q = q * (q + 2.0)
        v[i] = math.copysign(-q / (2.0 + q), x)


@njit(cache=True, error_model="numpy")
def tanh(v):  # pragma: no cover - compiled
    """tanh of a 1-D array (a copy), as the reservoir loops compute it."""
    out = v.copy()
    _tanh_inplace(out)
    return out


@njit(cache=True)
def sliced(indptr, indices, values):  # pragma: no cover - compiled
    """The sliced layout ``(perm, starts, cols, vals)`` of a CSR matrix.

    ``perm`` lists the rows by decreasing number of nonzeros; slot ``s`` holds
    the ``s``-th nonzero of the rows ``perm[:starts[s + 1] - starts[s]]``, its
    columns and values in ``cols[starts[s]:starts[s + 1]]`` and ``vals[...]``.
    """
    n = indptr.shape[0] - 1
    nnz = indptr[1:] - indptr[:-1]
    perm = np.argsort(-nnz, kind="mergesort")
    width = nnz.max() if n > 0 else 0
    starts = np.zeros(width + 1, np.int64)
    for s in range(width):
        count = 0
        while count < n and nnz[perm[count]] > s:
            count += 1
        starts[s + 1] = starts[s] + count
    cols = np.empty(starts[width], np.int64)
    vals = np.empty(starts[width])
    for s in range(width):
        for i in range(starts[s + 1] - starts[s]):
            q = indptr[perm[i]] + s
            cols[starts[s] + i] = indices[q]
            vals[starts[s] + i] = values[q]
    return perm, starts, cols, vals


@njit(cache=True, inline="always")  # inlined: a call per step would cost array refcounts
def _update(W, drive, leak, r, pre):  # pragma: no cover - compiled
    """``r <- (1 - leak) r + leak tanh(W r + drive)`` in place; ``W`` sliced, ``pre`` work space."""
    perm, starts, cols, vals = W
    n = r.shape[0]
    for i in range(n):
        pre[i] = drive[perm[i]]
    for s in range(starts.shape[0] - 1):
        a = starts[s]
        for i in range(starts[s + 1] - a):
            pre[i] += vals[a + i] * r[cols[a + i]]
    _tanh_inplace(pre)
    for i in range(n):
        r[perm[i]] = (1.0 - leak) * r[perm[i]] + leak * pre[i]


@njit(cache=True)
def esn_states(W, drive, leak, r0):  # pragma: no cover - compiled
    """Teacher-forced reservoir states, shape (T, N): row ``k`` has consumed ``drive[0..k]``.

    ``drive[k] = W_in z_k`` (computed outside as one matrix product).
    """
    T, n = drive.shape
    out = np.empty((T, n))
    r = r0.copy()
    pre = np.empty(n)
    for k in range(T):
        _update(W, drive[k], leak, r, pre)
        out[k] = r
    return out


@njit(cache=True, inline="always")
def _drive(W_in, z, k, win):  # pragma: no cover - compiled
    """``win <- W_in z[k]``."""
    n, c = W_in.shape
    for i in range(n):
        s = 0.0
        for a in range(c):
            s += W_in[i, a] * z[k, a]
        win[i] = s


@njit(cache=True)
def esn_advance(W, W_in, leak, z, r, k0, k1):  # pragma: no cover - compiled
    """Run the reservoir state ``r`` (in place) teacher-forced over ``z[k0:k1]``; no states kept."""
    n = W_in.shape[0]
    pre = np.empty(n)
    win = np.empty(n)
    for k in range(k0, k1):
        _drive(W_in, z, k, win)
        _update(W, win, leak, r, pre)


@njit(cache=True)
def esn_feature_rows(W, W_in, leak, z, r, k0, out):  # pragma: no cover
    """Advance ``r`` over ``z[k0:k0 + rows]`` writing the rows ``[1, z_k, r_k, x_{k+1}]`` of ``out``.

    ``r_k`` is the state after consuming ``z_k``; ``x_{k+1} = z[k + 1, :d]`` is the
    readout target, ``d = out.shape[1] - 1 - c - N``. The rows are the augmented
    features whose Gram matrix holds everything a ridge readout with intercept needs.
    """
    n, c = W_in.shape
    rows, width = out.shape
    d = width - 1 - c - n
    pre = np.empty(n)
    win = np.empty(n)
    for j in range(rows):
        k = k0 + j
        _drive(W_in, z, k, win)
        _update(W, win, leak, r, pre)
        out[j, 0] = 1.0
        for a in range(c):
            out[j, 1 + a] = z[k, a]
        for i in range(n):
            out[j, 1 + c + i] = r[i]
        for b in range(d):
            out[j, 1 + c + n + b] = z[k + 1, b]


@njit(cache=True)
def esn_generate(W, W_in, leak, W_outT, r0, z0, drive):  # pragma: no cover
    """Closed-loop ESN generation in the scaled variables, shape (horizon, d).

    ``r0`` has consumed ``z0 = [x_k, u_k]``; step ``j`` reads ``[1, z, r]`` out to
    ``x_{k+1+j}`` with ``W_outT`` (d, 1 + c + N), then feeds ``[x_{k+1+j}, drive[j]]``
    to the reservoir. ``drive`` has ``horizon - 1`` rows (the scaled inputs at
    the forecast times).
    """
    n, c = W_in.shape
    d = W_outT.shape[0]
    horizon = drive.shape[0] + 1
    out = np.empty((horizon, d))
    r = r0.copy()
    z = z0.copy()
    pre = np.empty(n)
    win = np.empty(n)
    for j in range(horizon):
        if j > 0:
            for a in range(c - d):
                z[d + a] = drive[j - 1, a]
            for i in range(n):
                s = 0.0
                for a in range(c):
                    s += W_in[i, a] * z[a]
                win[i] = s
            _update(W, win, leak, r, pre)
        for b in range(d):
            s = W_outT[b, 0]
            for a in range(c):
                s += W_outT[b, 1 + a] * z[a]
            for i in range(n):
                s += W_outT[b, 1 + c + i] * r[i]
            out[j, b] = s
        for b in range(d):
            z[b] = out[j, b]
    return out


@njit(cache=True)
def nvar_generate(zbuf, d, W, monomials, n_delays, stride, increment, drive):  # pragma: no cover
    """Closed-loop NVAR generation; ``zbuf`` (span + 1 + horizon, c) holds ``[x, u]`` rows.

    Its first ``span + 1`` rows are the context; step ``j`` sets the inputs of row
    ``span + j`` to ``drive[j]``, builds ``[1, lin, monomials(lin)]`` from the
    window ending there (newest first) and writes ``x`` of the next row.
    Returns the generated states, shape (horizon, d).
    """
    span = (n_delays - 1) * stride
    c = zbuf.shape[1]
    L = n_delays * c
    horizon = drive.shape[0]
    p = W.shape[0]
    lin = np.empty(L + 1)
    f = np.empty(p)
    lin[L] = 1.0
    for j in range(horizon):
        row = span + j
        for a in range(c - d):
            zbuf[row, d + a] = drive[j, a]
        for q in range(n_delays):
            for a in range(c):
                lin[q * c + a] = zbuf[row - q * stride, a]
        f[0] = 1.0
        for a in range(L):
            f[1 + a] = lin[a]
        for i in range(monomials.shape[0]):
            v = 1.0
            for e in range(monomials.shape[1]):
                v *= lin[monomials[i, e]]
            f[1 + L + i] = v
        for b in range(d):
            s = 0.0
            for i in range(p):
                s += f[i] * W[i, b]
            zbuf[row + 1, b] = s + zbuf[row, b] if increment else s
    return zbuf[span + 1:, :d].copy()
