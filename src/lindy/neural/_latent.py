"""Latent recurrent models trained by (generalized, sparse, adaptive) teacher forcing.

What PLRNN and ALRNN share: the observation model (identity on the first ``d``
latent units, or a trained linear read-out), the forcing of the latent state
toward the data during training, the adaptive forcing schedule of Hess et al.
(2023), the warm-up on a context and the free-running forecast. A subclass
supplies ``_build`` (the torch parameters), ``_step`` (one step of the latent
map) and ``_jacobian`` (its Jacobians).

Generalized teacher forcing (GTF, Hess et al. 2023): after each predicted step
the latent state is pulled toward the data, ``z <- z + alpha B^+ (x - B z)``
(for the identity read-out: the observed units become ``(1 - alpha) z +
alpha x``). ``alpha = 1`` is classical teacher forcing, ``alpha = 0`` free
running; forcing only every ``tau``-th step is sparse teacher forcing
(Mikhaeil et al. 2022).

The adaptive schedule bounds the growth of the loss gradients: along a
training sequence the forced Jacobian products are bounded by ``prod_t (1 -
alpha) ||J_t||``, which stays bounded when ``alpha >= 1 - 1 / G`` with ``G``
the geometric mean of the spectral norms ``||J_t||`` along the sequence.
:func:`gtf_alpha` returns that bound (the largest ``G`` over a batch);
:func:`anneal_forcing` jumps up to a larger estimate at once and decays
geometrically toward a smaller one. The Jacobians are taken along the forced
latent states of the batch (Hess et al. take them at the data's latent states,
which for ``M > d`` are only partly observed). Under the adaptive schedule the
validation loss, which picks the weights kept, is the free-running error over
the window (alpha = 0), so that it compares across epochs.
"""

from __future__ import annotations

import numpy as np

from .._constraints import Interval, Options
from ..errors import ValidationError
from ._base import LOOP, NeuralEstimator
from ._torch import require_torch

__all__ = ["gtf_alpha", "anneal_forcing"]

#: batches between two estimates of the adaptive forcing (Hess et al.'s default)
ADAPT_EVERY = 5
#: time steps of each sequence used for the Jacobian norms (evenly thinned)
ADAPT_STEPS = 50

#: the constraints shared by the latent RNNs
LATENT = {**LOOP,
          "forcing": [Interval(float, 0, 1), Options("adaptive")],
          "forcing_interval": [Interval(int, 1, None)],
          "forcing_decay": [Interval(float, 0, 1)],
          "observation": [Options("identity", "linear")]}


def gtf_alpha(jacobian_norms) -> float:
    """The adaptive GTF strength ``max(0, 1 - 1 / G)`` (Hess et al. 2023).

    ``G`` is the largest, over sequences, geometric mean of the Jacobians'
    spectral norms along a sequence: ``(1 - alpha) G <= 1`` keeps the product
    of forced Jacobians, hence the gradients, from growing exponentially.

    Parameters
    ----------
    jacobian_norms : array_like, shape (n_sequences, T)
        Spectral norms ``||J_t||`` (positive) of the latent map's Jacobians
        along each training sequence.

    Returns
    -------
    float in [0, 1)

    Examples
    --------
    >>> gtf_alpha([[2.0, 8.0], [1.0, 1.0]])     # G = max(sqrt(16), 1) = 4
    0.75
    >>> gtf_alpha([[0.5, 0.5]])                 # contracting: no forcing needed
    0.0
    """
    norms = np.asarray(jacobian_norms, dtype=float)
    if norms.ndim != 2 or norms.size == 0:
        raise ValidationError(f"jacobian_norms must be a non-empty (n_sequences, T) array; "
                              f"got shape {norms.shape}.")
    if not np.all(norms > 0):
        raise ValidationError("jacobian_norms must be positive (spectral norms of Jacobians).")
    growth = float(np.max(np.exp(np.mean(np.log(norms), axis=1))))
    return max(0.0, 1.0 - 1.0 / growth)


def anneal_forcing(current: float, estimate: float, decay: float) -> float:
    """The next forcing strength: ``estimate`` if larger, else ``decay current + (1 - decay) estimate``.

    Examples
    --------
    >>> anneal_forcing(0.2, 0.5, 0.9)
    0.5
    >>> round(anneal_forcing(0.5, 0.0, 0.9), 12)
    0.45
    """
    return float(estimate) if estimate > current else decay * current + (1.0 - decay) * estimate


class LatentRNN(NeuralEstimator):
    """Abstract: a latent map trained by teacher forcing, read out by an observation model."""

    # ------------------------------------------------------------ subclass hooks
    def _step(self, module, z):  # pragma: no cover - abstract
        raise NotImplementedError

    def _jacobian(self, module, z):  # pragma: no cover - abstract
        """Jacobians of the latent map at the rows of ``z``, shape (n, M, M)."""
        raise NotImplementedError

    # ------------------------------------------------------------ observation model
    def _add_readout(self, module, d: int) -> None:
        """Add the linear read-out ``B`` (d, M), initialized as ``[I 0]``, if asked for."""
        if self.observation == "linear":
            torch = require_torch()
            B = torch.zeros(d, self.state_dim_, dtype=torch.float64)
            B[:, :d] = torch.eye(d, dtype=torch.float64)
            module.B = torch.nn.Parameter(B)

    @staticmethod
    def _read(module, z, d: int):
        return z @ module.B.T if hasattr(module, "B") else z[:, :d]

    def _initial(self, module, x):
        """The latent state of an observation: ``[x, L x]`` or ``[x, 0]`` (identity), ``B^+ x`` (linear)."""
        torch = require_torch()
        if hasattr(module, "B"):
            return x @ torch.linalg.pinv(module.B).T
        if hasattr(module, "L"):
            return torch.cat([x, x @ module.L.T], 1)
        return torch.cat([x, x.new_zeros((x.shape[0], self.state_dim_ - x.shape[1]))], 1)

    @staticmethod
    def _force(module, z, x, a: float, pinv=None):
        """``z + a B^+ (x - B z)``: the observed part of ``z`` pulled toward ``x``."""
        if a == 0.0:
            return z
        torch = require_torch()
        if pinv is not None:
            return z + a * (x - z @ module.B.T) @ pinv.T
        d = x.shape[1]
        return torch.cat([(1.0 - a) * z[:, :d] + a * x, z[:, d:]], dim=1)

    # ------------------------------------------------------------ training
    def _check_latent_params(self, d: int) -> None:
        self.state_dim_ = max(self.state_dim, d)

    def _fit(self, data) -> None:
        torch = require_torch()
        self._check_latent_params(data.dim)
        self._standardize(data)
        Z, _ = self._windows(data)
        Zt = self._tensor(Z)
        d, tau = data.dim, self.forcing_interval
        adaptive = self.forcing == "adaptive"
        state = {"alpha": 1.0 if adaptive else float(self.forcing), "calls": 0, "history": []}

        def loss(module, idx):
            xb = Zt[idx]
            training = torch.is_grad_enabled()
            # validation under a moving alpha would not compare across epochs: free running
            a = state["alpha"] if training or not adaptive else 0.0
            pinv = torch.linalg.pinv(module.B) if hasattr(module, "B") else None
            z = self._initial(module, xb[:, 0])
            preds, forced = [], [z]
            for j in range(1, xb.shape[1]):
                z = self._step(module, z)
                preds.append(self._read(module, z, d))
                if j % tau == 0:
                    z = self._force(module, z, xb[:, j], a, pinv)
                forced.append(z)
            err = ((torch.stack(preds, 1) - xb[:, 1:]) ** 2).mean()
            if adaptive and training:
                state["calls"] += 1
                if state["calls"] % ADAPT_EVERY == 0:
                    with torch.no_grad():
                        est = self._alpha_estimate(module, torch.stack(forced[:-1], 1))
                    state["alpha"] = anneal_forcing(a, est, self.forcing_decay)
                    state["history"].append(state["alpha"])
            return err

        self._train(loss, Z.shape[0])
        self.forcing_ = state["alpha"]
        self.forcing_history_ = np.asarray(state["history"], dtype=float)

    def _alpha_estimate(self, module, states) -> float:
        """:func:`gtf_alpha` from the Jacobians along the (forced) latent sequences ``(n, T, M)``."""
        torch = require_torch()
        n, T, M = states.shape
        keep = np.unique(np.linspace(0, T - 1, min(T, ADAPT_STEPS)).round().astype(int))
        J = self._jacobian(module, states[:, keep].reshape(-1, M))
        norms = torch.linalg.matrix_norm(J.detach(), ord=2).reshape(n, len(keep)).numpy()
        return gtf_alpha(np.maximum(norms, 1e-300))

    # ------------------------------------------------------------ inference
    def latent_states(self, x, n_steps: int = 0) -> np.ndarray:
        """Latent states along ``x`` (its observed part fully forced) then ``n_steps`` free-running.

        Parameters
        ----------
        x : array_like, shape (T, d)
            Observations (in data units).
        n_steps : int, default 0
            Free-running steps generated after the last row of ``x``.

        Returns
        -------
        ndarray, shape (T + n_steps, state_dim_)
        """
        self._check_is_fitted()
        x = np.asarray(x, dtype=float)
        if x.ndim != 2 or x.shape[1] != self.mean_.shape[0] or x.shape[0] < 1:
            raise ValidationError(f"x must be a (T, {self.mean_.shape[0]}) array with T >= 1; "
                                  f"got shape {x.shape}.")
        if not (isinstance(n_steps, (int, np.integer)) and n_steps >= 0):
            raise ValidationError(f"n_steps must be a non-negative int; got {n_steps!r}.")
        torch = require_torch()
        z = self._warm_up(x)
        m = self._module
        out = [z]
        with torch.no_grad():
            zk = z[-1:]
            for _ in range(n_steps):
                zk = self._step(m, zk)
                out.append(zk)
        return torch.cat(out).numpy()

    def observe(self, z) -> np.ndarray:
        """Latent states ``(T, M)`` mapped to observations in data units, ``(T, d)``."""
        self._check_is_fitted()
        z = np.atleast_2d(np.asarray(z, dtype=float))
        d = self.mean_.shape[0]
        x = z @ self.state_dict_["B"].T if "B" in self.state_dict_ else z[:, :d]
        return x * self.scale_ + self.mean_

    def _warm_up(self, x: np.ndarray):
        """Latent states after each row of ``x`` (observed units fully forced), shape (T, M)."""
        torch = require_torch()
        xt = self._tensor((x - self.mean_) / self.scale_)
        m = self._module
        with torch.no_grad():
            pinv = torch.linalg.pinv(m.B) if hasattr(m, "B") else None
            z = self._initial(m, xt[:1])
            states = [z]
            for k in range(1, xt.shape[0]):
                z = self._force(m, self._step(m, z), xt[k:k + 1], 1.0, pinv)
                states.append(z)
        return torch.cat(states)

    def _predict_next(self, x, u):
        torch = require_torch()
        m = self._module
        with torch.no_grad():
            nxt = self._read(m, self._step(m, self._warm_up(x)), x.shape[1]).numpy()
        return nxt * self.scale_ + self.mean_

    def _forecast(self, context, horizon, u_future):
        torch = require_torch()
        d = context.dim
        z = self._warm_up(context.x)[-1:]
        m = self._module
        out = []
        with torch.no_grad():
            for _ in range(horizon):
                z = self._step(m, z)
                out.append(z)
            x = self._read(m, torch.cat(out), d).numpy()
        return self._forecast_result(context, x * self.scale_ + self.mean_)
