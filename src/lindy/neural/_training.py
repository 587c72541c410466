"""The one training loop of the neural models.

:func:`train` minimizes a loss over a set of training samples (windows) with
AdamW and a cosine step-size schedule (or full-batch L-BFGS): a validation
split held out by ``random_state``, early stopping on the validation loss
(the best weights are kept), gradient-norm clipping, an optional rich
progress bar and optional checkpoints. Everything random (the split, the
shuffles) comes from one numpy Generator, so the same
``random_state`` gives identical weights on CPU. The loop uses as many torch
threads as ``torch.get_num_threads()`` says: set it with
``torch.set_num_threads`` before fitting.

Checkpoints are portable: :func:`save_checkpoint` writes the state dict as numpy
arrays plus a JSON config into one ``.npz`` file, :func:`load_checkpoint`
reads it with ``allow_pickle=False``.

Examples
--------
>>> import numpy as np
>>> from lindy.neural import load_checkpoint, save_checkpoint
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "ckpt.npz")
>>> save_checkpoint(path, {"w": np.eye(2)}, {"epoch": 3})
>>> state, config = load_checkpoint(path)
>>> state["w"].shape, config["epoch"]
((2, 2), 3)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..errors import FileFormatError
from ._torch import require_torch, to_numpy_state

__all__ = ["train", "TrainResult", "save_checkpoint", "load_checkpoint", "torch_seed"]

_CONFIG = "__config__"


@dataclass(frozen=True)
class TrainResult:
    """What :func:`train` returns.

    Attributes
    ----------
    state : dict of str -> ndarray
        The best weights (lowest validation loss; the last ones without validation).
    train_loss : ndarray, shape (n_iter,)
        Mean training loss per epoch.
    val_loss : ndarray, shape (n_iter,)
        Validation loss per epoch (NaN without a validation split).
    n_iter : int
        Epochs run.
    best_iter : int
        Epoch (1-based) whose weights were kept.
    """

    state: dict
    train_loss: np.ndarray
    val_loss: np.ndarray
    n_iter: int
    best_iter: int


def torch_seed(rng: np.random.Generator) -> int:
    """A torch seed drawn from a numpy Generator."""
    return int(rng.integers(0, 2**62))


def _split(n: int, fraction: float, rng) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(n)
    n_val = int(round(fraction * n)) if n >= 2 else 0
    n_val = min(max(n_val, 1 if fraction > 0 and n >= 2 else 0), n - 1)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def train(module, loss: Callable, n_samples: int, *, rng: np.random.Generator, max_iter: int,
          learning_rate: float, batch_size: int | None = None, validation_fraction: float = 0.1,
          patience: int | None = 20, clip_norm: float | None = 1.0, alpha: float = 0.0,
          min_lr_ratio: float = 0.01, solver: str = "adam", progress: bool = False,
          checkpoint=None, config: dict | None = None) -> TrainResult:
    """Train ``module`` by Adam on ``loss(module, idx)`` over samples ``0..n_samples-1``.

    Parameters
    ----------
    module : torch.nn.Module
        Trained in place; on return it holds the best weights.
    loss : callable
        ``loss(module, idx)`` with ``idx`` an int64 numpy array of sample indices:
        the mean loss on those samples (a scalar tensor).
    n_samples : int
        Number of training samples (windows).
    rng : numpy.random.Generator
        Source of the validation split and the shuffles.
    max_iter : int
        Maximum number of epochs.
    learning_rate : float
        Adam step size.
    batch_size : int, optional
        Samples per gradient step; None uses all training samples (full batch).
    validation_fraction : float, default 0.1
        Fraction of the samples held out for early stopping (0: none; at least
        one sample is kept for training).
    patience : int, optional
        Stop after this many epochs without a lower validation loss; None runs
        ``max_iter`` epochs (and still keeps the best weights).
    clip_norm : float, optional
        Clip the global gradient norm to this value.
    alpha : float, default 0
        Weight decay (L2 penalty) of AdamW.
    min_lr_ratio : float, default 0.01
        The step size follows a cosine schedule from ``learning_rate`` down to
        ``min_lr_ratio * learning_rate`` at epoch ``max_iter``.
    solver : {"adam", "lbfgs"}, default "adam"
        ``"adam"``: AdamW on mini-batches with the cosine schedule and clipping.
        ``"lbfgs"``: full-batch L-BFGS with a strong-Wolfe line search, one epoch
        being up to 20 L-BFGS iterations (``learning_rate`` is its initial step,
        1 is usual; ``batch_size``, ``clip_norm`` and ``min_lr_ratio`` do not
        apply; ``alpha`` is an L2 penalty added to the loss). Much more
        accurate on small smooth problems such as fitting a vector field.
    progress : bool, default False
        Show a rich progress bar.
    checkpoint : str or os.PathLike, optional
        Write the best weights there (see :func:`save_checkpoint`) whenever they
        improve.
    config : dict, optional
        JSON-serializable description stored with the checkpoint.

    Returns
    -------
    TrainResult
    """
    torch = require_torch()
    train_idx, val_idx = _split(n_samples, validation_fraction, rng)
    if solver == "lbfgs":
        return _train_lbfgs(module, loss, train_idx, val_idx, max_iter=max_iter,
                            learning_rate=learning_rate, alpha=alpha, patience=patience,
                            progress=progress, checkpoint=checkpoint, config=config)
    opt = torch.optim.AdamW(module.parameters(), lr=learning_rate, weight_decay=alpha)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max_iter,
                                                       eta_min=learning_rate * min_lr_ratio)
    bs = len(train_idx) if batch_size is None else min(batch_size, len(train_idx))

    def epoch() -> float:
        order = train_idx[rng.permutation(len(train_idx))]
        total = 0.0
        for start in range(0, len(order), bs):
            batch = order[start:start + bs]
            opt.zero_grad()
            value = loss(module, batch)
            value.backward()
            if clip_norm is not None:
                torch.nn.utils.clip_grad_norm_(module.parameters(), clip_norm)
            opt.step()
            total += float(value.detach()) * len(batch)
        sched.step()
        return total / len(order)

    return _epochs(module, epoch, loss, val_idx, max_iter=max_iter, patience=patience,
                   progress=progress, checkpoint=checkpoint, config=config)


def _epochs(module, epoch, loss, val_idx, *, max_iter, patience, progress, checkpoint,
            config) -> TrainResult:
    """Run ``epoch()`` (returns the training loss) with validation, early stopping, checkpoints."""
    torch = require_torch()
    train_hist, val_hist = [], []
    best, best_state, best_iter, stale = np.inf, to_numpy_state(module), 0, 0
    bar = _Progress(max_iter) if progress else None
    try:
        for it in range(1, max_iter + 1):
            train_hist.append(epoch())
            if len(val_idx):
                with torch.no_grad():
                    score = float(loss(module, val_idx))
            else:
                score = train_hist[-1]
            val_hist.append(score if len(val_idx) else np.nan)
            if not np.isfinite(score):
                break
            if score < best:
                best, best_state, best_iter, stale = score, to_numpy_state(module), it, 0
                if checkpoint is not None:
                    save_checkpoint(checkpoint, best_state, {**(config or {}), "epoch": it,
                                                             "loss": score})
            else:
                stale += 1
            if bar is not None:
                bar.update(it, train_hist[-1], score)
            if patience is not None and stale >= patience:
                break
    finally:
        if bar is not None:
            bar.close()
    module.load_state_dict({k: torch.as_tensor(v) for k, v in best_state.items()})
    return TrainResult(state=best_state, train_loss=np.asarray(train_hist),
                       val_loss=np.asarray(val_hist), n_iter=len(train_hist), best_iter=best_iter)


def _train_lbfgs(module, loss, train_idx, val_idx, *, max_iter, learning_rate, alpha, patience,
                 progress, checkpoint, config) -> TrainResult:
    torch = require_torch()
    params = list(module.parameters())
    opt = torch.optim.LBFGS(params, lr=learning_rate, max_iter=20, history_size=50,
                            line_search_fn="strong_wolfe")

    def objective():
        value = loss(module, train_idx)
        if alpha:
            value = value + alpha * sum((p ** 2).sum() for p in params)
        return value

    def closure():
        opt.zero_grad()
        value = objective()
        value.backward()
        return value

    return _epochs(module, lambda: float(opt.step(closure).detach()), loss, val_idx, max_iter=max_iter,
                   patience=patience, progress=progress, checkpoint=checkpoint, config=config)


class _Progress:
    """A rich progress bar over epochs showing the losses."""

    def __init__(self, total: int) -> None:
        from rich.progress import Progress

        self._bar = Progress(*Progress.get_default_columns(), "{task.fields[info]}", transient=True)
        self._task = self._bar.add_task("training", total=total, info="")
        self._bar.start()

    def update(self, epoch: int, train_loss: float, val_loss: float) -> None:
        self._bar.update(self._task, completed=epoch,
                         info=f"loss {train_loss:.3g} val {val_loss:.3g}")

    def close(self) -> None:
        self._bar.stop()


def save_checkpoint(path, state: dict, config: dict | None = None) -> None:
    """Write a state dict (numpy arrays) and a JSON config to one ``.npz`` file, no pickle.

    Parameters
    ----------
    path : str or os.PathLike
    state : dict of str -> ndarray
    config : dict, optional
        JSON-serializable (hyperparameters, epoch, loss).
    """
    entries = {f"w:{k}": np.asarray(v) for k, v in state.items()}
    entries[_CONFIG] = np.frombuffer(json.dumps(config or {}).encode(), dtype=np.uint8)
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "wb") as fh:
        np.savez(fh, **entries)
    os.replace(tmp, path)


def load_checkpoint(path) -> tuple[dict, dict]:
    """Read a checkpoint written by :func:`save_checkpoint`.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    state : dict of str -> ndarray
    config : dict
    """
    with np.load(path, allow_pickle=False) as npz:
        if _CONFIG not in npz.files:
            raise FileFormatError(f"{os.fspath(path)!r} is not a lindy checkpoint (no config).")
        config = json.loads(bytes(npz[_CONFIG]).decode())
        state = {k[2:]: npz[k] for k in npz.files if k.startswith("w:")}
    return state, config
