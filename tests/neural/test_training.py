"""The shared training loop: split, early stopping, clipping, determinism, checkpoints, laziness."""

import subprocess
import sys

import numpy as np
import pytest
import torch

import lindy as ld
from lindy.errors import FileFormatError, MissingDependencyError
from lindy.neural import load_checkpoint, save_checkpoint, train


def _problem(random_state=0):
    rng = np.random.default_rng(random_state)
    X = torch.as_tensor(rng.standard_normal((64, 3)))
    y = X @ torch.as_tensor([1.0, -2.0, 0.5], dtype=torch.float64)

    def loss(module, idx):
        return ((module(X[idx]).squeeze(-1) - y[idx]) ** 2).mean()

    torch.manual_seed(0)
    return torch.nn.Linear(3, 1, dtype=torch.float64), loss


def test_train_learns_and_keeps_the_best_weights():
    module, loss = _problem()
    res = train(module, loss, 64, rng=np.random.default_rng(0), max_iter=200, learning_rate=0.05,
                batch_size=16, patience=None)
    assert res.n_iter == 200 and res.train_loss.shape == (200,) and res.val_loss.shape == (200,)
    assert res.val_loss[res.best_iter - 1] == res.val_loss.min()
    np.testing.assert_allclose(module.weight.detach().numpy(), res.state["weight"])
    assert res.val_loss.min() < 1e-3 * res.val_loss[0]


def test_early_stopping_stops_after_patience_epochs():
    module, loss = _problem()
    res = train(module, loss, 64, rng=np.random.default_rng(0), max_iter=500, learning_rate=0.0,
                patience=3)  # no step: no improvement after the first epoch
    assert res.n_iter < 500
    assert res.n_iter - res.best_iter == 3


def test_without_validation_the_training_loss_decides():
    module, loss = _problem()
    res = train(module, loss, 64, rng=np.random.default_rng(0), max_iter=5, learning_rate=0.01,
                validation_fraction=0.0)
    assert np.isnan(res.val_loss).all() and res.best_iter >= 1


def test_gradient_clipping_bounds_the_step():
    """With clip_norm tiny, one Adam-free SGD-like epoch moves weights by at most lr per step."""
    module, loss = _problem()
    w0 = module.weight.detach().clone()
    train(module, loss, 64, rng=np.random.default_rng(0), max_iter=1, learning_rate=0.1,
          clip_norm=1e-8, validation_fraction=0.0, batch_size=64, patience=None)
    # Adam normalizes the step, so clipping shows in the direction only; weights still move
    assert torch.isfinite(module.weight).all() and not torch.equal(module.weight, w0)


def test_same_rng_same_weights():
    a, loss_a = _problem()
    b, loss_b = _problem()
    ra = train(a, loss_a, 64, rng=np.random.default_rng(3), max_iter=20, learning_rate=0.05, batch_size=8)
    rb = train(b, loss_b, 64, rng=np.random.default_rng(3), max_iter=20, learning_rate=0.05, batch_size=8)
    for k in ra.state:
        np.testing.assert_array_equal(ra.state[k], rb.state[k])


def test_checkpoints_are_arrays_plus_json(tmp_path):
    module, loss = _problem()
    path = tmp_path / "best.npz"
    res = train(module, loss, 64, rng=np.random.default_rng(0), max_iter=10, learning_rate=0.05,
                checkpoint=path, config={"model": "linear"})
    state, config = load_checkpoint(path)
    assert config["model"] == "linear" and config["epoch"] == res.best_iter
    np.testing.assert_array_equal(state["weight"], res.state["weight"])
    with np.load(path, allow_pickle=False) as npz:  # readable without pickle
        assert "__config__" in npz.files


def test_a_file_without_config_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, a=np.zeros(2))
    with pytest.raises(FileFormatError, match="not a lindy checkpoint"):
        load_checkpoint(path)
    save_checkpoint(tmp_path / "y.npz", {"a": np.ones(1)})
    assert load_checkpoint(tmp_path / "y.npz")[1] == {}


def test_progress_bar_runs():
    module, loss = _problem()
    res = train(module, loss, 64, rng=np.random.default_rng(0), max_iter=3, learning_rate=0.05,
                progress=True)
    assert res.n_iter == 3


def test_import_does_not_import_torch():
    code = ("import sys, lindy, lindy.neural; lindy.neural.NeuralODE(); "
            "assert 'torch' not in sys.modules, 'torch imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_torch_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    X = np.random.default_rng(0).standard_normal((30, 2))
    with pytest.raises(MissingDependencyError, match=r"pip install 'lindy\[torch\]'"):
        ld.neural.NeuralODE(max_iter=1).fit(X)
