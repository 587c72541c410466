"""Compiled loops of the EDM estimators: an exact k-d tree and the simplex projection.

The tree is implicit (node ``j`` has children ``2j + 1`` and ``2j + 2``, all
leaves at one depth): every inner node splits its points at the median of
their widest coordinate, so a node covers ``points[start[j]:ends[j]]`` of the
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




@njit(cache=True)
def _select(points, order, lo, hi, kth, dim):  # pragma: no cover - compiled
    """Hoare selection on rows ``lo:hi``: row ``kth`` gets its median ``dim`` coordinate.

    Rows before it are ``<=`` and rows after it ``>=`` in that coordinate;
    ``points`` rows and ``order`` move together.
    """
    m = points.shape[1]
    while hi - lo > 1:
        pivot = points[(lo + hi) // 2, dim]
        i, j = lo, hi - 1
        while i <= j:
            while points[i, dim] < pivot:
                i += 1
            while points[j, dim] > pivot:
                j -= 1
            if i <= j:
                for e in range(m):
                    points[i, e], points[j, e] = points[j, e], points[i, e]
                order[i], order[j] = order[j], order[i]
                i += 1
                j -= 1
        if kth <= j:
            hi = j + 1
        elif kth >= i:
            lo = i
        else:
            return


@njit(cache=True)
def build_tree(vectors, leaf_size):  # pragma: no cover - compiled
    """The k-d tree of the rows of ``vectors``: ``(points, order, dims, split, start, ends)``.

    ``points = vectors[order]``; inner node ``j`` splits coordinate
    ``dims[j]`` at ``split[j]`` (its left child holds the rows ``<=``, its
    right child the rows ``>=``); node ``j`` holds ``points[start[j]:ends[j]]``.
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
    points = np.zeros((n, max(m, 4)))  # padded to 4 coordinates (see the module notes)
    points[:, :m] = vectors
    m = points.shape[1]
    start[0], ends[0] = 0, n
    for j in range(n_inner):
        a, b = start[j], ends[j]
        best, dim = -1.0, 0
        for d in range(m):
            lo, hi = np.inf, -np.inf
            for q in range(a, b):
                lo = min(lo, points[q, d])
                hi = max(hi, points[q, d])
            if hi - lo > best:
                best, dim = hi - lo, d
        mid = (a + b) // 2
        _select(points, order, a, b, mid, dim)
        dims[j] = dim
        split[j] = points[mid, dim]
        start[2 * j + 1], ends[2 * j + 1] = a, mid
        start[2 * j + 2], ends[2 * j + 2] = mid, b
    return points, order, dims, split, start, ends


@njit(cache=True, inline="always")  # inlined: a call per query would cost array refcounts
def _query(points, order, dims, split, start, ends, x, d2, idx, nodes, rds, offs,
           off):  # pragma: no cover - compiled
    """The ``k = d2.size`` nearest library rows of ``x`` into ``d2`` (squared) and ``idx``.

    Both come out sorted by (distance, later row first). ``nodes``, ``rds``
    (squared cell distances), ``offs`` (per-coordinate cell offsets) hold the
    pending subtrees; ``off`` is work space.
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
        for q in range(start[j], ends[j]):
            if m == 4:  # short vectors come padded to 4 coordinates: unrolled
                t0 = points[q, 0] - x[0]
                t1 = points[q, 1] - x[1]
                t2 = points[q, 2] - x[2]
                t3 = points[q, 3] - x[3]
                s = t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3
            else:
                s = 0.0
                for e in range(m):
                    t = points[q, e] - x[e]
                    s += t * t
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


@njit(cache=True)
def knn(points, order, dims, split, start, ends, queries, k):  # pragma: no cover - compiled
    """Distances and library rows of the ``k`` nearest neighbours of each query row, nearest first."""
    nq, mq = queries.shape
    m = points.shape[1]
    dist = np.empty((nq, k))
    rows = np.empty((nq, k), np.int64)
    d2 = np.empty(k)
    idx = np.empty(k, np.int64)
    nodes = np.empty(_STACK, np.int64)
    rds = np.empty(_STACK)
    offs = np.empty((_STACK, m))
    off = np.empty(m)
    x = np.zeros(m)  # the padding stays zero
    for p in range(nq):
        for e in range(mq):
            x[e] = queries[p, e]
        _query(points, order, dims, split, start, ends, x, d2, idx, nodes, rds, offs, off)
        for i in range(k):
            dist[p, i] = math.sqrt(d2[i])
            rows[p, i] = idx[i]
    return dist, rows


@njit(cache=True)
def simplex(points, order, dims, split, start, ends, queries, k, successors):  # pragma: no cover
    """Simplex projections: the successors of the ``k`` nearest rows, weighted ``exp(-d / d_min)``.

    ``d_min`` is the nearest distance floored at 1e-6 (Sugihara and May 1990,
    as pyEDM computes it).
    """
    nq, mq = queries.shape
    m = points.shape[1]
    dy = successors.shape[1]
    out = np.zeros((nq, dy))
    d2 = np.empty(k)
    idx = np.empty(k, np.int64)
    nodes = np.empty(_STACK, np.int64)
    rds = np.empty(_STACK)
    offs = np.empty((_STACK, m))
    off = np.empty(m)
    x = np.zeros(m)  # the padding stays zero
    for p in range(nq):
        for e in range(mq):
            x[e] = queries[p, e]
        _query(points, order, dims, split, start, ends, x, d2, idx, nodes, rds, offs, off)
        dmin = max(math.sqrt(d2[0]), 1e-6)
        total = 0.0
        for i in range(k):
            w = math.exp(-math.sqrt(d2[i]) / dmin)
            total += w
            for a in range(dy):
                out[p, a] += w * successors[idx[i], a]
        for a in range(dy):
            out[p, a] /= total
    return out
