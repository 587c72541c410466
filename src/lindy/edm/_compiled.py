"""Compiled loops of the EDM estimators: an exact k-d tree and the simplex projection.

The tree is implicit (node ``j`` has children ``2j + 1`` and ``2j + 2``, all
leaves at one depth): every inner node splits its points at (about) the
median of their widest coordinate, so a node covers ``points[start[j]:ends[j]]`` of the
library reordered by leaf (``order`` maps back to library rows). A query
descends to the query's leaf, then visits the other subtrees whose cell is
within the current ``k``-th distance (incremental cell distances, Arya and
Mount 1993). Candidates are ordered by (distance, later library row first),
and a subtree is skipped only when its cell is strictly farther than the
``k``-th distance, so the answer is exact, ties included, whatever the
traversal order: ties at the ``k``-th distance go to the library vector
latest in time, pyEDM's rule when the predictions follow the library (its
``tieBreak``: closest in time first). Vectors of fewer than 4 coordinates are
stored (and queried) padded with zeros to 4, whose distance loop is unrolled;
the zeros add nothing, so the distances are the same to the bit. This module imports numba: it is
imported lazily by the model modules, and the loops compile on first call and
are cached on disk.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

LEAF_SIZE = 12
_STACK = 64  # deeper than any tree: one pending subtree per level
_SAMPLES = 63  # rows sampled to choose a node's split
_EXACT_BELOW = 256  # nodes up to this size split at their exact median
_EXP_M1 = math.exp(-1.0)


@njit(cache=True)
def _partition(keys, order, lo, hi, pivot):  # pragma: no cover - compiled
    """Rows ``lo:hi`` with keys ``< pivot`` first; returns where the others start.

    Branch-free (Lomuto): ``keys`` and ``order`` move together.
    """
    i = lo
    for q in range(lo, hi):
        kq, oq = keys[q], order[q]
        keys[q], order[q] = keys[i], order[i]
        keys[i], order[i] = kq, oq
        i += kq < pivot
    return i


@njit(cache=True)
def _select(keys, order, lo, hi, kth):  # pragma: no cover - compiled
    """Quickselect on rows ``lo:hi``: row ``kth`` gets its median key.

    Rows before it are ``<=`` and rows after it ``>=``; ``order`` moves with
    ``keys``. When no key is below the pivot, the keys equal to it are gathered
    first, so repeated values cannot stall the selection.
    """
    while hi - lo > 1:
        a, b, c = keys[lo], keys[(lo + hi) // 2], keys[hi - 1]
        pivot = max(min(a, b), min(max(a, b), c))  # median of three
        i = _partition(keys, order, lo, hi, pivot)
        if kth < i:
            hi = i
            continue
        if i > lo:
            lo = i
            continue
        e = i  # every key >= pivot: the ties first, or no progress
        for q in range(i, hi):
            kq, oq = keys[q], order[q]
            keys[q], order[q] = keys[e], order[e]
            keys[e], order[e] = kq, oq
            e += kq == pivot
        if kth < e:
            return
        lo = e


@njit(cache=True)
def build_tree(vectors, leaf_size):  # pragma: no cover - compiled
    """The k-d tree of the rows of ``vectors``: ``(points, order, dims, split, start, ends)``.

    ``points = vectors[order]`` (padded to 4 coordinates); inner node ``j``
    splits coordinate ``dims[j]`` at ``split[j]`` (its left child holds the
    rows ``<=``, its right child the rows ``>=``); node ``j`` holds
    ``points[start[j]:ends[j]]``. The split coordinate is the widest on an
    evenly spaced sample of ``_SAMPLES`` rows; nodes of more than
    ``_EXACT_BELOW`` rows split at the median of that sample (one
    partition pass), smaller ones at their exact median.
    """
    n, m = vectors.shape
    depth = 0
    while (n + (1 << depth) - 1) >> depth > leaf_size:
        depth += 1
    n_inner = (1 << depth) - 1
    n_nodes = 2 * n_inner + 1
    start = np.empty(n_nodes, np.int64)
    ends = np.empty(n_nodes, np.int64)
    dims = np.zeros(max(n_inner, 1), np.int64)
    split = np.zeros(max(n_inner, 1))
    order = np.arange(n)
    keys = np.empty(n)
    sample = np.empty(_SAMPLES)
    dummy = np.empty(_SAMPLES, np.int64)
    start[0], ends[0] = 0, n
    for j in range(n_inner):
        a, b = start[j], ends[j]
        step = max(1, (b - a) // _SAMPLES)
        best, dim = -1.0, 0
        for d in range(m):
            lo, hi = np.inf, -np.inf
            for q in range(a, b, step):
                v = vectors[order[q], d]
                lo = min(lo, v)
                hi = max(hi, v)
            if hi - lo > best:
                best, dim = hi - lo, d
        for q in range(a, b):
            keys[q] = vectors[order[q], dim]
        if b - a <= _EXACT_BELOW:
            mid = (a + b) // 2
            _select(keys, order, a, b, mid)
            cut = keys[mid] if b > a else 0.0
        else:  # left: keys < cut <= right
            ns = 0
            for q in range(a + step // 2, b, step):
                if ns < _SAMPLES:
                    sample[ns] = keys[q]
                    ns += 1
            _select(sample, dummy, 0, ns, ns // 2)
            cut = sample[ns // 2]
            mid = _partition(keys, order, a, b, cut)
        dims[j] = dim
        split[j] = cut
        start[2 * j + 1], ends[2 * j + 1] = a, mid
        start[2 * j + 2], ends[2 * j + 2] = mid, b
    points = np.zeros((n, max(m, 4)))  # padded to 4 coordinates (see the module notes)
    for q in range(n):
        r = order[q]
        for e in range(m):
            points[q, e] = vectors[r, e]
    return points, order, dims, split, start, ends


@njit(cache=True, inline="always")  # inlined: a call per query would cost array refcounts
def _query(points, order, dims, split, start, ends, x, d2, idx, nodes, rds, offs,
           off, buf):  # pragma: no cover - compiled
    """The ``k = d2.size`` nearest library rows of ``x`` into ``d2`` (squared) and ``idx``.

    Both come out sorted by (distance, later row first). ``nodes``, ``rds``
    (squared cell distances), ``offs`` (per-coordinate cell offsets) hold the
    pending subtrees; ``off`` and ``buf`` (the distances of a leaf's rows) are work space.
    """
    k = d2.shape[0]
    m = x.shape[0]
    n_inner = (start.shape[0] - 1) // 2
    for i in range(k):
        d2[i] = np.inf
        idx[i] = -1
    top = 0
    j = 0
    rd = 0.0
    for e in range(m):
        off[e] = 0.0
    while True:
        while j < n_inner:  # down to a leaf, the far children pending
            d = dims[j]
            diff = x[d] - split[j]
            far_rd = rd - off[d] * off[d] + diff * diff
            near = 2 * j + 1 + (diff > 0.0)
            if far_rd <= d2[k - 1]:
                nodes[top] = 4 * j + 3 - near
                rds[top] = far_rd
                for e in range(m):
                    offs[top, e] = off[e]
                offs[top, d] = abs(diff)
                top += 1
            j = near
        worst = d2[k - 1]
        a0 = start[j]
        b0 = ends[j]
        if m == 4:
            x0, x1, x2, x3 = x[0], x[1], x[2], x[3]
            for q in range(a0, b0):
                t0 = points[q, 0] - x0
                t1 = points[q, 1] - x1
                t2 = points[q, 2] - x2
                t3 = points[q, 3] - x3
                buf[q - a0] = t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3
        else:
            for q in range(a0, b0):
                s = 0.0
                for e in range(m):
                    t = points[q, e] - x[e]
                    s += t * t
                buf[q - a0] = s
        for q in range(a0, b0):
            s = buf[q - a0]
            if s <= worst:
                r = order[q]
                if s < worst or r > idx[k - 1]:
                    i = k - 1
                    while i > 0 and (d2[i - 1] > s or (d2[i - 1] == s and idx[i - 1] < r)):
                        d2[i] = d2[i - 1]
                        idx[i] = idx[i - 1]
                        i -= 1
                    d2[i] = s
                    idx[i] = r
                    worst = d2[k - 1]
        found = False
        while top > 0:
            top -= 1
            if rds[top] <= worst:
                found = True
                break
        if not found:
            return
        j = nodes[top]
        rd = rds[top]
        for e in range(m):
            off[e] = offs[top, e]


@njit(cache=True, inline="always")
def _workspace(m, n, k):  # pragma: no cover - compiled
    """Buffers of one search: the ``k`` best (squared distances, rows), the stack of pending
    subtrees (nodes, squared cell distances, per-axis offsets), the current offsets, the
    query (zero-padded to ``m``) and a leaf's distances."""
    return (np.empty(k), np.empty(k, np.int64), np.empty(_STACK, np.int64), np.empty(_STACK),
            np.empty((_STACK, m)), np.empty(m), np.zeros(m), np.empty(n))


@njit(cache=True)
def knn(points, order, dims, split, start, ends, queries, k):  # pragma: no cover - compiled
    """Distances and library rows of the ``k`` nearest neighbours of each query row, nearest first."""
    nq, mq = queries.shape
    m = points.shape[1]
    dist = np.empty((nq, k))
    rows = np.empty((nq, k), np.int64)
    d2, idx, nodes, rds, offs, off, x, buf = _workspace(m, points.shape[0], k)
    for p in range(nq):
        for e in range(mq):
            x[e] = queries[p, e]
        _query(points, order, dims, split, start, ends, x, d2, idx, nodes, rds, offs, off, buf)
        for i in range(k):
            dist[p, i] = math.sqrt(d2[i])
            rows[p, i] = idx[i]
    return dist, rows


@njit(cache=True, inline="always")
def _weighted_successors(d2, idx, successors, out, p):  # pragma: no cover - compiled
    """Row ``p`` of ``out``: the successors of rows ``idx`` weighted ``exp(-d / d_min)``."""
    k = d2.shape[0]
    dy = successors.shape[1]
    d0 = math.sqrt(d2[0])
    dmin = max(d0, 1e-6)
    for a in range(dy):
        out[p, a] = 0.0
    total = 0.0
    for i in range(k):
        # d0 / d0 is 1.0 exactly, so exp(-1) is the first weight to the bit
        w = _EXP_M1 if i == 0 and d0 >= 1e-6 else math.exp(-math.sqrt(d2[i]) / dmin)
        total += w
        for a in range(dy):
            out[p, a] += w * successors[idx[i], a]
    for a in range(dy):
        out[p, a] /= total


@njit(cache=True)
def simplex(points, order, dims, split, start, ends, queries, k, successors):  # pragma: no cover
    """Simplex projections: the successors of the ``k`` nearest rows, weighted ``exp(-d / d_min)``.

    ``d_min`` is the nearest distance floored at 1e-6 (Sugihara and May 1990,
    as pyEDM computes it).
    """
    nq, mq = queries.shape
    m = points.shape[1]
    out = np.empty((nq, successors.shape[1]))
    d2, idx, nodes, rds, offs, off, x, buf = _workspace(m, points.shape[0], k)
    for p in range(nq):
        for e in range(mq):
            x[e] = queries[p, e]
        _query(points, order, dims, split, start, ends, x, d2, idx, nodes, rds, offs, off, buf)
        _weighted_successors(d2, idx, successors, out, p)
    return out


@njit(cache=True)
def simplex_series(points, order, dims, split, start, ends, series, n_delays, stride, k,
                   successors):  # pragma: no cover
    """:func:`simplex` of the delay vectors of every row of ``series``, embedded on the fly.

    Row ``t`` of the result projects ``[x_{t-(E-1)s}, ..., x_t]`` (``E =
    n_delays``, ``s = stride``); rows whose window is incomplete or not
    finite are NaN.
    """
    T, dx = series.shape
    m = points.shape[1]
    span = (n_delays - 1) * stride
    out = np.empty((T, successors.shape[1]))
    d2, idx, nodes, rds, offs, off, x, buf = _workspace(m, points.shape[0], k)
    for p in range(T):
        finite = p >= span
        if finite:
            for j in range(n_delays):
                for c in range(dx):
                    v = series[p - span + j * stride, c]
                    x[j * dx + c] = v
                    finite = finite and math.isfinite(v)
        if not finite:
            out[p, :] = np.nan
            continue
        _query(points, order, dims, split, start, ends, x, d2, idx, nodes, rds, offs, off, buf)
        _weighted_successors(d2, idx, successors, out, p)
    return out
