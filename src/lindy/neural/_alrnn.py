"""Almost-linear RNN (Brenner et al. 2024): few ReLU units, a symbolic code, exact fixed points and cycles."""

from __future__ import annotations

import numpy as np

from .._constraints import Interval
from ..errors import ValidationError
from ._latent import LATENT, LatentRNN
from ._regions import periodic_orbits, symbolic_code, words_in_code
from ._torch import require_torch

__all__ = ["ALRNN"]


class ALRNN(LatentRNN):
    """Almost-linear RNN: only ``n_relu`` of the latent units are piecewise linear.

    The latent state ``z`` (``state_dim`` units ``M``) evolves by ``z_{t+1} = A
    z_t + W phi(z_t) + h`` with ``A`` diagonal, ``W`` full and ``phi`` the
    identity on the first ``M - P`` units and ReLU on the last ``P = n_relu``
    (Brenner et al. 2024, "Almost-linear RNNs yield highly interpretable
    symbolic codes in dynamical systems reconstruction"). The map is affine in
    each of the ``2^P`` linear subregions, so the sequence of subregions visited
    is a symbolic code of the dynamics (:meth:`symbolic_code`) and its fixed
    points and cycles are found exactly by enumerating regions
    (:meth:`fixed_points`, :meth:`cycles`).

    Observations are the first ``d`` latent units (``observation="identity"``)
    or a trained linear read-out ``x = B z`` (``"linear"``). Training runs
    windows of ``window`` steps and pulls the latent state toward the data after
    each step: ``z <- z + alpha B^+ (x - B z)`` every ``forcing_interval``-th step
    (generalized teacher forcing, Hess et al. 2023; ``forcing=1`` with
    ``forcing_interval=16`` is the sparse teacher forcing of the AL-RNN paper).
    ``forcing="adaptive"`` sets alpha from the Jacobians along the training
    sequences (:func:`lindy.neural.gtf_alpha`), starting at 1.

    Parameters
    ----------
    state_dim : int, default 20
        Latent dimension M (raised to the data dimension if smaller: ``state_dim_``).
    n_relu : int, default 2
        P, the number of ReLU units (at most ``state_dim_``; 2^P subregions).
    forcing : float in [0, 1] or "adaptive", default "adaptive"
        GTF strength alpha: 1 is classical teacher forcing, 0 free running.
    forcing_interval : int, default 1
        Force only every this many steps (sparse teacher forcing).
    forcing_decay : float in [0, 1], default 0.99
        Adaptive schedule: ``alpha <- decay alpha + (1 - decay) estimate`` when
        the estimate is smaller (it is taken at once when larger), every 5 batches.
    observation : {"identity", "linear"}, default "identity"
    window : int, default 50
        Steps per training window.
    max_iter, learning_rate, batch_size, validation_fraction, patience, clip_norm, alpha, solver
        The training loop (see :func:`lindy.neural.train`); defaults 100, 1e-3,
        32, 0.1, 20, 1.0, 0, "adam".
    random_state : int, Generator or None, default 0
    progress : bool, default False

    Attributes
    ----------
    state_dict_ : dict of str -> ndarray
        ``"A"``, ``"h"`` (M,), ``"W"`` (M, M); ``"L"`` (M - d, d), the unobserved
        units of a window's first state ``[x, L x]`` (identity read-out), or
        ``"B"`` (d, M), the linear read-out (its first state is ``B^+ x``).
    state_dim_, n_relu_ : int
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
    >>> model = ld.neural.ALRNN(state_dim=4, n_relu=1, window=10, max_iter=3).fit(x)
    >>> model.forecast(x[:10], horizon=5).x.shape
    (5, 2)
    >>> code = model.symbolic_code(x)
    >>> code.codes.shape, set(code.regions.tolist()) <= {0, 1}
    ((80,), True)
    """

    _parameter_constraints = {**LATENT, "state_dim": [Interval(int, 1, None)],
                              "n_relu": [Interval(int, 0, None)]}

    def __init__(self, state_dim=20, n_relu=2, *, forcing="adaptive", forcing_interval=1,
                 forcing_decay=0.99, observation="identity", window=50, max_iter=100,
                 learning_rate=1e-3, batch_size=32, validation_fraction=0.1, patience=20,
                 clip_norm=1.0, alpha=0.0, solver="adam", random_state=0, progress=False):
        self.state_dim = state_dim
        self.n_relu = n_relu
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

    def _check_latent_params(self, d: int) -> None:
        super()._check_latent_params(d)
        if self.n_relu > self.state_dim_:
            raise ValidationError(f"ALRNN: n_relu={self.n_relu} exceeds the latent dimension "
                                  f"{self.state_dim_}; use n_relu <= state_dim.")
        self.n_relu_ = self.n_relu

    def _build(self):
        torch = require_torch()
        M = self.state_dim_
        module = torch.nn.Module()
        R = torch.randn(M, M, dtype=torch.float64)
        K = R.T @ R / M + torch.eye(M, dtype=torch.float64)     # A = diag of a normalized PD matrix
        module.A = torch.nn.Parameter(K.diagonal() / torch.linalg.eigvalsh(K).max())
        module.W = torch.nn.Parameter(0.01 * torch.randn(M, M, dtype=torch.float64))
        module.h = torch.nn.Parameter(torch.zeros(M, dtype=torch.float64))
        d = len(self.mean_)
        if self.observation == "identity" and M > d:   # unobserved units of the first state: L x
            module.L = torch.nn.Parameter((2 * torch.rand(M - d, d, dtype=torch.float64) - 1) / np.sqrt(d))
        self._add_readout(module, d)
        return module

    def _step(self, module, z):
        torch = require_torch()
        M, P = z.shape[1], self.n_relu_
        phi = torch.cat([z[:, :M - P], torch.relu(z[:, M - P:])], dim=1) if P else z
        return torch.addmm(module.h, phi, module.W.T).add_(module.A * z)

    def _jacobian(self, module, z):
        torch = require_torch()
        M, P = z.shape[1], self.n_relu_
        mask = torch.cat([z.new_ones((z.shape[0], M - P)), (z[:, M - P:] > 0).to(z.dtype)], 1)
        return torch.diag(module.A) + module.W * mask[:, None, :]

    # ---------------------------------------------------------------- analysis
    def _weights(self):
        self._check_is_fitted()
        s = self.state_dict_
        return s["A"], s["W"], s["h"], self.n_relu_

    def symbolic_code(self, x, n_steps: int = 0):
        """The subregions visited along ``x`` (forced) and ``n_steps`` generated steps after it.

        Parameters
        ----------
        x : array_like, shape (T, d)
            Observations; their latent states are inferred with full forcing.
            A short context with a large ``n_steps`` codes a generated trajectory.
        n_steps : int, default 0

        Returns
        -------
        lindy.neural.SymbolicCode
            ``codes`` (T + n_steps,), ``regions``, transition ``counts``.
        """
        return symbolic_code(self.latent_states(x, n_steps), self.n_relu_)

    def fixed_points(self) -> list:
        """All fixed points of the learned latent map, exactly (one linear solve per subregion).

        Returns
        -------
        list of lindy.neural.PeriodicOrbit
            Latent points ``z`` (1, M) (``observe`` maps them to data units),
            region, Jacobian eigenvalues and stability.
        """
        return periodic_orbits(*self._weights(), period=1)

    def cycles(self, period: int, x=None, n_steps: int = 0) -> list:
        """The primitive ``period``-cycles of the learned latent map, exactly.

        Without ``x`` all ``2^(P period)`` region words are tried; with ``x``
        only the words of that length seen in :meth:`symbolic_code` ``(x, n_steps)``.

        Returns
        -------
        list of lindy.neural.PeriodicOrbit
        """
        words = None
        if x is not None:
            words = words_in_code(self.symbolic_code(x, n_steps).codes, period)
        return periodic_orbits(*self._weights(), period=period, words=words)

    def jacobian(self, z) -> np.ndarray:
        """Jacobians of the learned latent map at the rows of ``z`` (n, M) -> (n, M, M)."""
        A, W, _, P = self._weights()
        z = np.atleast_2d(np.asarray(z, dtype=float))
        M = A.shape[0]
        mask = np.ones_like(z)
        mask[:, M - P:] = z[:, M - P:] > 0
        return np.diag(A) + W * mask[:, None, :]
