"""Behaviour shared by the neural estimators: seeded weights, threads, saving, progress."""

import numpy as np
import pytest
import torch
from sklearn.base import clone

import lindy as ld
from lindy.testing import conformance_data

SMALL = [
    ld.neural.NeuralODE(hidden_layer_sizes=(8,), max_iter=3),
    ld.neural.DeepKoopman(state_dim=3, hidden_layer_sizes=(8,), max_iter=3),
    ld.neural.PLRNN(state_dim=4, hidden_dim=8, max_iter=3),
    ld.neural.ALRNN(state_dim=5, n_relu=2, window=8, max_iter=3),
]


@pytest.mark.parametrize("est", SMALL, ids=lambda e: type(e).__name__)
def test_same_random_state_same_weights_other_state_other_weights(est):
    data = conformance_data()
    a = clone(est).fit(data).state_dict_
    b = clone(est).fit(data).state_dict_
    c = clone(est).set_params(random_state=1).fit(data).state_dict_
    assert a.keys() == b.keys()
    for k in a:
        assert isinstance(a[k], np.ndarray) and a[k].dtype == np.float64
        np.testing.assert_array_equal(a[k], b[k])
    assert any(not np.array_equal(a[k], c[k]) for k in a)


@pytest.mark.parametrize("est", SMALL, ids=lambda e: type(e).__name__)
def test_fit_keeps_the_torch_thread_count_and_global_rng(est):
    before_threads, before_rng = torch.get_num_threads(), torch.random.get_rng_state()
    clone(est).fit(conformance_data())
    assert torch.get_num_threads() == before_threads
    assert torch.equal(torch.random.get_rng_state(), before_rng)


@pytest.mark.parametrize("est", SMALL, ids=lambda e: type(e).__name__)
def test_saved_models_hold_arrays_and_rebuild_the_module(est, tmp_path):
    data = conformance_data()
    fitted = clone(est).fit(data)
    path = tmp_path / "m.lindy"
    fitted.save(path)
    loaded = ld.load(path)
    assert "_cache_module" not in vars(loaded)
    np.testing.assert_array_equal(loaded.forecast(data[0], 5).x, fitted.forecast(data[0], 5).x)
    assert "_cache_module" in vars(loaded)


def test_progress_bar_while_fitting():
    model = ld.neural.DeepKoopman(state_dim=2, hidden_layer_sizes=(4,), max_iter=2, progress=True)
    assert model.fit(conformance_data()).n_iter_ == 2
