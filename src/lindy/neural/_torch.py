"""Lazy access to torch and the conversions between torch modules and numpy state dicts.

torch is the optional extra ``lindy[torch]``: nothing here imports it at module
import; :func:`require_torch` imports it on first use and raises
:class:`lindy.errors.MissingDependencyError` when it is missing.
"""

from __future__ import annotations

import numpy as np

from ..errors import MissingDependencyError

__all__ = ["require_torch", "to_numpy_state", "load_numpy_state", "seeded", "mlp"]

_ACTIVATIONS = {"tanh": "Tanh", "relu": "ReLU", "softplus": "Softplus", "gelu": "GELU"}


def require_torch():
    """The torch module; MissingDependencyError naming ``pip install 'lindy[torch]'`` if absent."""
    try:
        import torch
    except ImportError:
        raise MissingDependencyError("torch", "torch") from None
    return torch


def to_numpy_state(module) -> dict[str, np.ndarray]:
    """A module's state dict as float64 numpy arrays (copies, detached)."""
    return {k: v.detach().cpu().numpy().copy() for k, v in module.state_dict().items()}


def load_numpy_state(module, state: dict[str, np.ndarray]):
    """Load a numpy state dict into ``module`` (exact copies) and return it."""
    torch = require_torch()
    module.load_state_dict({k: torch.as_tensor(np.asarray(v)).clone() for k, v in state.items()})
    return module


def seeded(random_state: int, build):
    """``build()`` run with torch's CPU generator seeded, leaving the global generator as it was."""
    torch = require_torch()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(random_state))
        return build()


def mlp(sizes, activation: str, final_activation: bool = False):
    """A float64 multilayer perceptron ``sizes[0] -> ... -> sizes[-1]``."""
    torch = require_torch()
    nn = torch.nn
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1], dtype=torch.float64))
        if i < len(sizes) - 2 or final_activation:
            layers.append(getattr(nn, _ACTIVATIONS[activation])())
    return nn.Sequential(*layers)
