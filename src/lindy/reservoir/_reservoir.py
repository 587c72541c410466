"""Echo state networks as values: the random reservoir and the fitted readout (pure functions)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import scipy.sparse
import scipy.sparse.linalg

from .._validation import check_rng
from ._readout import gram_update, ridge_from_gram

__all__ = ["Reservoir", "ESNModel", "make_reservoir", "reservoir_states", "fit_esn",
           "esn_one_step", "esn_forecast"]


@dataclass(frozen=True)
class Reservoir:
    """A fixed random reservoir: ``r <- (1 - a) r + a tanh(W r + W_in z)``.

    Attributes
    ----------
    indptr, indices, values : ndarray
        ``W`` (N, N) in compressed sparse row form, scaled to the spectral radius.
    W_in : ndarray, shape (N, c)
        Dense input weights, uniform in ``[-input_scaling, input_scaling]``.
    leak_rate : float
        ``a`` in (0, 1].

    Examples
    --------
    >>> res = make_reservoir(100, 3, 0.9, 1.0, 0.05, 1.0, random_state=0)
    >>> res.state_dim, res.W_in.shape, res.matrix().nnz
    (100, (100, 3), 500)
    """

    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    W_in: np.ndarray
    leak_rate: float

    @property
    def state_dim(self) -> int:
        return self.W_in.shape[0]

    def matrix(self) -> scipy.sparse.csr_matrix:
        """``W`` as a scipy sparse matrix."""
        n = self.state_dim
        return scipy.sparse.csr_matrix((self.values, self.indices, self.indptr), shape=(n, n))


def _spectral_radius(W: scipy.sparse.csr_matrix) -> float:
    n = W.shape[0]
    if n <= 300 or W.nnz == 0:
        return float(np.abs(np.linalg.eigvals(W.toarray())).max()) if n else 0.0
    try:
        lam = scipy.sparse.linalg.eigs(W, k=1, which="LM", v0=np.ones(n), tol=1e-10,
                                       return_eigenvectors=False, maxiter=20 * n)
        return float(np.abs(lam).max())
    except scipy.sparse.linalg.ArpackNoConvergence:
        return float(np.abs(np.linalg.eigvals(W.toarray())).max())


def make_reservoir(state_dim: int, n_in: int, spectral_radius: float, input_scaling: float,
                   density: float, leak_rate: float, random_state=0) -> Reservoir:
    """Draw a reservoir: sparse Gaussian ``W`` scaled to ``spectral_radius``, dense uniform ``W_in``.

    An int ``random_state`` always gives the same reservoir (built once and kept
    in a small cache); a Generator is consumed.

    Examples
    --------
    >>> res = make_reservoir(50, 3, 0.9, 1.0, 0.1, 1.0, random_state=0)
    >>> round(float(np.abs(np.linalg.eigvals(res.matrix().toarray())).max()), 12)
    0.9
    >>> make_reservoir(50, 3, 0.9, 1.0, 0.1, 1.0, random_state=0) is res
    True
    """
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return _cached_reservoir(int(state_dim), int(n_in), float(spectral_radius),
                                 float(input_scaling), float(density), float(leak_rate),
                                 int(random_state))
    return _draw(state_dim, n_in, spectral_radius, input_scaling, density, leak_rate,
                 check_rng(random_state))


@functools.lru_cache(maxsize=16)
def _cached_reservoir(state_dim, n_in, spectral_radius, input_scaling, density, leak_rate,
                      random_state):
    return _draw(state_dim, n_in, spectral_radius, input_scaling, density, leak_rate,
                 np.random.default_rng(random_state))


def _draw(state_dim, n_in, spectral_radius, input_scaling, density, leak_rate, rng) -> Reservoir:
    n = state_dim
    W = scipy.sparse.random(n, n, density=density, format="csr", random_state=rng,
                            data_rvs=rng.standard_normal)
    W.sort_indices()
    rho = _spectral_radius(W)
    values = W.data * (spectral_radius / rho) if rho > 0 else W.data
    W_in = rng.uniform(-input_scaling, input_scaling, size=(n, n_in))
    for arr in (values, W_in):
        arr.setflags(write=False)
    return Reservoir(indptr=W.indptr.astype(np.int64), indices=W.indices.astype(np.int64),
                     values=values, W_in=W_in, leak_rate=float(leak_rate))


@dataclass(frozen=True)
class ESNModel:
    """A fitted echo state network: reservoir, readout and the data scaling.

    The reservoir is driven by ``z_k = [x_k, u_k]`` standardized with the
    training mean and scale; the readout maps ``[1, z_k, r_k]`` to the
    standardized ``x_{k+1}``.

    Attributes
    ----------
    reservoir : Reservoir
    W_out : ndarray, shape (1 + c + N, d)
    mean, scale : ndarray, shape (c,)
        Standardization of ``[x, u]``.
    n_states : int
        ``d``, the width of ``x``.

    Examples
    --------
    >>> import lindy as ld
    >>> x = np.sin(0.1 * np.arange(200))[:, None] * [1.0, 2.0]
    >>> ld.reservoir.ESN(state_dim=30, warmup=10).fit(x).model_.W_out.shape   # 1 + 2 + 30 rows
    (33, 2)
    """

    reservoir: Reservoir
    W_out: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    n_states: int


def _sliced(res: Reservoir) -> tuple:
    """``W`` in the sliced layout the compiled loops run on (cheap: one pass over the nonzeros)."""
    from ._compiled import sliced

    return sliced(res.indptr, res.indices, res.values)


def _z(x: np.ndarray, u: np.ndarray | None) -> np.ndarray:
    return x if u is None else np.concatenate([x, u], axis=1)


def reservoir_states(res: Reservoir, z: np.ndarray) -> np.ndarray:
    """Teacher-forced states from a zero state: row ``k`` has consumed ``z[0..k]``, shape (T, N).

    Examples
    --------
    >>> res = make_reservoir(20, 1, 0.9, 1.0, 0.2, 1.0, random_state=0)
    >>> states = reservoir_states(res, np.ones((5, 1)))
    >>> bool(np.allclose(states[0], np.tanh(res.W_in[:, 0]), rtol=1e-14, atol=0))
    True
    """
    from ._compiled import esn_states

    drive = np.ascontiguousarray(np.asarray(z, dtype=float) @ res.W_in.T)
    return esn_states(_sliced(res), drive, res.leak_rate,
                      np.zeros(res.state_dim))


def fit_esn(trajs, res: Reservoir, alpha: float, warmup: int) -> ESNModel:
    """Teacher-forced ridge readout over every trajectory (the reservoir restarts at zero for each).

    The first ``warmup`` states of every trajectory are discarded; the pairs
    ``([1, z_k, r_k], x_{k+1})`` of all trajectories are stacked, none across two.
    """
    zs = [_z(tr.x, tr.u) for tr in trajs]
    allz = np.concatenate(zs)
    mean, scale = allz.mean(axis=0), allz.std(axis=0)
    scale[scale <= 0] = 1.0
    d = trajs[0].x.shape[1]
    from ._compiled import esn_advance, esn_feature_rows

    n, c = res.W_in.shape
    width = 1 + c + n + d
    M = np.zeros((width, width), order="F")
    W = _sliced(res)
    block = np.empty((int(np.clip(2 ** 16 // width, 16, 1024)), width))  # a few hundred kB
    for z in zs:
        zz = np.ascontiguousarray((z - mean) / scale)
        r = np.zeros(n)
        esn_advance(W, res.W_in, res.leak_rate, zz, r, 0, warmup)
        for k in range(warmup, zz.shape[0] - 1, block.shape[0]):
            rows = block[: min(block.shape[0], zz.shape[0] - 1 - k)]
            esn_feature_rows(W, res.W_in, res.leak_rate, zz, r, k, rows)
            M = gram_update(M, rows)
    W_out = ridge_from_gram(M, c + n, alpha)
    return ESNModel(reservoir=res, W_out=W_out, mean=mean, scale=scale, n_states=d)


def esn_one_step(model: ESNModel, x: np.ndarray, u: np.ndarray | None) -> np.ndarray:
    """Row ``k`` predicts ``x_{k+1}`` from the reservoir driven by ``x[..k]``, ``u[..k]`` from zero."""
    zz = (_z(x, u) - model.mean) / model.scale
    R = reservoir_states(model.reservoir, zz)
    F = np.concatenate([np.ones((zz.shape[0], 1)), zz, R], axis=1)
    d = model.n_states
    return F @ model.W_out * model.scale[:d] + model.mean[:d]


def esn_forecast(model: ESNModel, x: np.ndarray, u: np.ndarray | None, u_next, horizon: int):
    """Warm the reservoir up on the context ``x``, ``u`` then run closed loop for ``horizon`` steps.

    ``u_next`` (horizon - 1, m) are the inputs at the forecast times that drive
    steps ``1..horizon - 1`` (None without inputs).
    """
    from ._compiled import esn_advance, esn_generate

    res, d = model.reservoir, model.n_states
    zz = np.ascontiguousarray((_z(x, u) - model.mean) / model.scale)
    r, W = np.zeros(res.state_dim), _sliced(res)
    esn_advance(W, res.W_in, res.leak_rate, zz, r, 0, zz.shape[0])
    m = zz.shape[1] - d
    drive = np.zeros((horizon - 1, m)) if u_next is None else (u_next - model.mean[d:]) / model.scale[d:]
    out = esn_generate(W, res.W_in, res.leak_rate,
                       np.ascontiguousarray(model.W_out.T), r, zz[-1].copy(),
                       np.ascontiguousarray(drive, dtype=float))
    return out * model.scale[:d] + model.mean[:d]
