"""PLRNN trained by generalized teacher forcing (Durstewitz 2017; Hess et al. 2023)."""

from __future__ import annotations

import numpy as np

from .._constraints import Interval
from ._latent import LATENT, LatentRNN
from ._torch import require_torch

__all__ = ["PLRNN"]


class PLRNN(LatentRNN):
    """Piecewise-linear RNN trained by generalized teacher forcing.

    The latent state ``z`` (``state_dim``, at least ``d``) evolves by ``z_{t+1}
    = A z_t + W relu(z_t) + h`` (``A`` diagonal, ``W`` off-diagonal; Durstewitz
    2017) or, with ``hidden_dim``, by the shallow PLRNN ``z_{t+1} = A z_t + W1
    relu(W2 z_t + h2) + h`` (Hess et al. 2023); observations are its first
    ``d`` units (``observation="identity"``) or a trained read-out ``x = B z``
    (``"linear"``). Training runs windows of ``window`` steps from the data's
    latent state, predicting each ``x_{t+1}`` from a state forced toward the
    data: after each step (every ``forcing_interval``-th step) the state becomes
    ``z + alpha B^+ (x - B z)`` (for the identity read-out: the observed units
    become ``(1 - alpha) z + alpha x``; generalized teacher forcing, Hess et al.
    2023). ``forcing="adaptive"`` is their adaptive schedule: alpha starts at 1
    and follows :func:`lindy.neural.gtf_alpha` of the Jacobians along the
    training sequences (see :func:`lindy.neural.anneal_forcing`). ``forecast``
    warms the latent state up on the context with full forcing, then runs freely.

    Parameters
    ----------
    state_dim : int, default 16
        Latent dimension (raised to the data dimension if smaller: ``state_dim_``).
    hidden_dim : int, optional
        Width of the shallow PLRNN's hidden layer; None is the plain PLRNN.
    forcing : float in [0, 1] or "adaptive", default 0.2
        GTF strength: 1 is classical teacher forcing, 0 a free-running RNN.
        Measured on Van der Pol (``tests/neural``, shallow PLRNN, 3 seeds):
        0.2 gives 300-step forecast NRMSE 0.14-0.24 where classical teacher
        forcing gives 0.24-0.43.
    forcing_interval : int, default 1
        Force only every this many steps (sparse teacher forcing with ``forcing=1``).
    forcing_decay : float in [0, 1], default 0.99
        Adaptive schedule: ``alpha <- decay alpha + (1 - decay) estimate`` when
        the estimate is smaller (taken at once when larger), every 5 batches.
    observation : {"identity", "linear"}, default "identity"
    window : int, default 20
        Steps per training window.
    max_iter, learning_rate, batch_size, validation_fraction, patience, clip_norm, alpha, solver
        The training loop (see :func:`lindy.neural.train`); defaults 300, 1e-3,
        None, 0.1, 30, 1.0, 0, "adam".
    random_state : int, Generator or None, default 0
    progress : bool, default False

    Attributes
    ----------
    state_dict_ : dict of str -> ndarray
        ``"A"``, ``"h"`` (state_dim_,) and ``"W"`` (diagonal unused), or ``"W1"``,
        ``"W2"``, ``"h2"`` for the shallow PLRNN; ``"B"`` (d, state_dim_) with
        the linear read-out.
    state_dim_ : int
        Latent dimension used.
    forcing_ : float
        The forcing strength at the end of training.
    forcing_history_ : ndarray
        The adaptive schedule's values (empty for a fixed ``forcing``).
    mean_, scale_ : ndarray, shape (d,)
    loss_history_, val_loss_history_ : ndarray, shape (n_iter_,)
    n_iter_ : int

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.sin(0.3 * np.arange(80))[:, None] * [1.0, -1.0]
    >>> model = ld.neural.PLRNN(state_dim=4, max_iter=3).fit(x)
    >>> model.forecast(x[:10], horizon=5).x.shape
    (5, 2)
    """

    _parameter_constraints = {**LATENT, "state_dim": [Interval(int, 1, None)],
                              "hidden_dim": [None, Interval(int, 1, None)]}

    def __init__(self, state_dim=16, hidden_dim=None, *, forcing=0.2, forcing_interval=1,
                 forcing_decay=0.99, observation="identity", window=20, max_iter=300,
                 learning_rate=1e-3, batch_size=None, validation_fraction=0.1, patience=30,
                 clip_norm=1.0, alpha=0.0, solver="adam", random_state=0, progress=False):
        self.state_dim = state_dim
        self.hidden_dim = hidden_dim
        self.forcing = forcing
        self.forcing_interval = forcing_interval
        self.forcing_decay = forcing_decay
        self.observation = observation
        self.window = window
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.clip_norm = clip_norm
        self.alpha = alpha
        self.solver = solver
        self.random_state = random_state
        self.progress = progress

    def _build(self):
        torch = require_torch()
        M = self.state_dim_
        module = torch.nn.Module()
        module.A = torch.nn.Parameter(torch.full((M,), 0.9, dtype=torch.float64))
        if self.hidden_dim is None:
            module.W = torch.nn.Parameter(0.1 / np.sqrt(M) * torch.randn(M, M, dtype=torch.float64))
        else:
            H = self.hidden_dim
            module.W1 = torch.nn.Parameter(0.1 / np.sqrt(H) * torch.randn(M, H, dtype=torch.float64))
            module.W2 = torch.nn.Parameter(torch.randn(H, M, dtype=torch.float64) / np.sqrt(M))
            module.h2 = torch.nn.Parameter(0.1 * torch.randn(H, dtype=torch.float64))
        module.h = torch.nn.Parameter(torch.zeros(M, dtype=torch.float64))
        self._add_readout(module, len(self.mean_))
        return module

    def _step(self, module, z):
        """``A z + W relu(z) + h`` (``W`` off-diagonal), or ``A z + W1 relu(W2 z + h2) + h`` (shallow)."""
        torch = require_torch()
        if hasattr(module, "W2"):
            return module.A * z + torch.relu(z @ module.W2.T + module.h2) @ module.W1.T + module.h
        W = module.W - module.W.diagonal().diag_embed()
        return module.A * z + torch.relu(z) @ W.T + module.h

    def _jacobian(self, module, z):
        torch = require_torch()
        if hasattr(module, "W2"):
            on = (z @ module.W2.T + module.h2 > 0).to(z.dtype)
            return torch.diag(module.A) + (module.W1[None] * on[:, None, :]) @ module.W2
        W = module.W - module.W.diagonal().diag_embed()
        return torch.diag(module.A) + W * (z > 0).to(z.dtype)[:, None, :]
