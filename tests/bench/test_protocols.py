"""The benchmark protocols: data shapes, noise only in what the method sees, scorers."""

import numpy as np
import pytest

import lindy as ld
from lindy.bench import PROTOCOLS, make_data, run_protocol
from lindy.bench._protocols import _score_dsr
from lindy.errors import UnknownNameError, ValidationError


def test_registry_and_settings_validation():
    assert {"forecast", "dysts2021", "zeroshot2025", "dsr"} <= set(PROTOCOLS)
    with pytest.raises(UnknownNameError, match="No protocol named 'nope'"):
        make_data("Lorenz", {"name": "nope"}, 0)
    with pytest.raises(ValidationError, match=r"Unknown settings \['horizon'\] for protocol 'dysts2021'"):
        make_data("Lorenz", {"name": "dysts2021", "horizon": 3}, 0)


def test_dysts2021_is_univariate_ten_periods_then_two():
    d = make_data("Rossler", {"name": "dysts2021", "transient": 100}, 0)
    assert d.train[0].x.shape == (1000, 1) and d.truth.shape == (200, 1)
    period = ld.systems.get_system("Rossler").meta["period"]
    assert d.train.dt == pytest.approx(period / 100, rel=1e-6)
    coarse = make_data("Rossler", {"name": "dysts2021", "pts_per_period": 15, "transient": 100}, 0)
    assert coarse.train[0].x.shape == (150, 1) and coarse.truth.shape == (30, 1)


def test_noise_goes_into_what_the_method_sees_not_the_truth():
    clean = make_data("Lorenz", {"name": "dysts2021", "transient": 100}, 3)
    noisy = make_data("Lorenz", {"name": "dysts2021", "transient": 100, "obs_noise": 0.2}, 3)
    np.testing.assert_array_equal(clean.truth, noisy.truth)
    resid = noisy.train[0].x - clean.train[0].x
    assert resid.std() == pytest.approx(0.2 * clean.scale[0], rel=0.1)


def test_zeroshot2025_context_and_horizon():
    d = make_data("Lorenz", {"name": "zeroshot2025", "transient": 100, "n_train": 600}, 1)
    assert d.context.n_steps == 512 and d.truth.shape == (300, 3)
    assert d.train.lengths == [600, 600]


def test_dsr_scores_the_last_test_length_samples():
    d = make_data("Lorenz", {"name": "dsr", "transient": 100, "n_train": 500, "test_length": 3000}, 0)
    gen = np.vstack([np.zeros((750, 3)), d.truth])          # 1.25 T, the first quarter dropped
    metrics, arts = _score_dsr(gen, d, {}, None, 0.01)
    assert metrics["dstsp"] == 0.0 and metrics["hellinger"] == 0.0 and metrics["finite"]
    assert arts["truth"].shape == (2000, 3)
    bad, _ = _score_dsr(np.full((3750, 3), np.inf), d, {}, None, 0.01)
    assert not bad["finite"] and np.isnan(bad["dstsp"])


def test_run_protocol_dsr_with_a_baseline():
    metrics, _ = run_protocol(ld.baselines.LinearAR(n_lags=5), "Lorenz",
                              {"name": "dsr", "transient": 100, "n_train": 1000, "test_length": 1000}, 0)
    assert metrics["finite"] and metrics["dstsp"] > 1.0 and 0 < metrics["hellinger"] <= 1
