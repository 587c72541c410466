"""The abstract base of the torch models: shared hyperparameters, windows, weights as numpy.

Fitted weights are held as ``state_dict_`` (a dict of numpy arrays), so a model
saves and loads with :mod:`lindy._io` like every other lindy model; the torch
module is rebuilt from them on first use and cached (``_cache_module``, not
saved).
"""

from __future__ import annotations

import numbers

import numpy as np

from .._constraints import BOOL, RANDOM_STATE, Interval, Options, _Predicate
from ..base import Estimator
from ..data import TrajectorySet
from ._torch import load_numpy_state, require_torch, seeded
from ._training import torch_seed, train

__all__: list[str] = []  # an abstract base, not a public estimator

#: a non-empty tuple (or list) of positive ints
HIDDEN = _Predicate(
    lambda v: isinstance(v, (tuple, list)) and len(v) > 0
    and all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1 for n in v),
    "a non-empty tuple of positive ints")

#: hyperparameters of the shared training loop
LOOP = {
    "window": [Interval(int, 1, None)],
    "max_iter": [Interval(int, 1, None)],
    "learning_rate": [Interval(float, 0, None, closed="neither")],
    "batch_size": [None, Interval(int, 1, None)],
    "validation_fraction": [Interval(float, 0, 1, closed="left")],
    "patience": [None, Interval(int, 1, None)],
    "clip_norm": [None, Interval(float, 0, None, closed="neither")],
    "alpha": [Interval(float, 0, None)],
    "solver": [Options("adam", "lbfgs")],
    "random_state": [RANDOM_STATE],
    "progress": [BOOL],
}
#: the training loop plus the MLP's shape
TRAINING = {**LOOP, "hidden_layer_sizes": [HIDDEN],
            "activation": [Options("tanh", "relu", "softplus", "gelu")]}


class NeuralEstimator(Estimator):
    """Abstract: windows, training, standardization and the cached torch module."""

    def _min_fit_length(self) -> int:
        return 2

    # ---------------------------------------------------------------- hooks
    def _build(self):  # pragma: no cover - abstract
        """A fresh torch module for the fitted dimensions."""
        raise NotImplementedError

    # ---------------------------------------------------------------- helpers
    def _standardize(self, data: TrajectorySet) -> None:
        X = np.concatenate([tr.x for tr in data])
        self.mean_ = X.mean(axis=0)
        sd = X.std(axis=0)
        self.scale_ = np.where(sd > 0, sd, 1.0)

    def _windows(self, data: TrajectorySet) -> tuple[np.ndarray, np.ndarray]:
        """Standardized windows ``(n, L, d)`` and their times ``(n, L)``; none crosses trajectories.

        ``L = min(window + 1, shortest trajectory)``; windows start every
        ``max(1, window // 2)`` samples and the last one ends at each trajectory's end.
        """
        L = min(self.window + 1, min(data.lengths))
        stride = max(1, self.window // 2)
        xs, ts = [], []
        for tr in data:
            z = (tr.x - self.mean_) / self.scale_
            starts = list(range(0, tr.n_steps - L + 1, stride))
            if starts[-1] != tr.n_steps - L:
                starts.append(tr.n_steps - L)
            xs += [z[s:s + L] for s in starts]
            ts += [tr.t[s:s + L] for s in starts]
        return np.stack(xs), np.stack(ts)

    def _train(self, loss, n_samples: int):
        """Build a seeded module, train it by :func:`train`, store ``state_dict_`` and histories."""
        rng = np.random.default_rng(self.random_state)
        module = seeded(torch_seed(rng), self._build)
        result = train(module, loss, n_samples, rng=rng, max_iter=self.max_iter,
                       learning_rate=self.learning_rate, batch_size=self.batch_size,
                       validation_fraction=self.validation_fraction, patience=self.patience,
                       clip_norm=self.clip_norm, alpha=self.alpha, solver=self.solver,
                       progress=self.progress)
        self.state_dict_ = result.state
        self.loss_history_ = result.train_loss
        self.val_loss_history_ = result.val_loss
        self.n_iter_ = result.n_iter
        self._cache_module = module.eval()

    @property
    def _module(self):
        """The torch module holding ``state_dict_`` (rebuilt after loading a saved model)."""
        if "_cache_module" not in self.__dict__:
            module = seeded(0, self._build)
            self._cache_module = load_numpy_state(module, self.state_dict_).eval()
        return self._cache_module

    @staticmethod
    def _tensor(a):
        torch = require_torch()
        return torch.as_tensor(np.ascontiguousarray(a, dtype=np.float64))
