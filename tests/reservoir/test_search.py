"""search: seeded trials, validation on the held-out ends, refit on all data, failures recorded."""

import numpy as np
import pytest
import scipy.stats

import lindy as ld
from lindy.reservoir import search


@pytest.fixture(scope="module")
def lorenz():
    sysm = ld.systems.get_system("Lorenz")
    return ld.systems.simulate(sysm, n_steps=900, dt=0.025, n_traj=2, random_state=0)


def test_search_is_seeded_and_refits_the_best_on_all_data(lorenz):
    grid = {"alpha": [2.5e-6, 1e-2, 0.3, 1e3], "n_delays": [1, 2]}
    a = search(ld.reservoir.NVAR(), lorenz, grid, n_trials=5, random_state=3)
    b = search(ld.reservoir.NVAR(), lorenz, grid, n_trials=5, random_state=3)
    assert [t["score"] for t in a.trials] == [t["score"] for t in b.trials]
    assert len(a.trials) == 5 and a.score == max(t["score"] for t in a.trials)
    assert a.params == {k: a.estimator.get_params()[k] for k in grid}
    full = ld.reservoir.NVAR(**a.params).fit(lorenz)
    np.testing.assert_array_equal(a.estimator.model_.W, full.model_.W)
    assert a.params["alpha"] < 1e3 and a.score > 0.5      # > half a Lyapunov time
    assert "score" in a.table().splitlines()[0]


def test_whole_grid_when_it_is_small_and_distributions(lorenz):
    res = search(ld.reservoir.NVAR(), lorenz, {"alpha": [0.1, 1.0]}, n_trials=10)
    assert [t["alpha"] for t in res.trials] == [0.1, 1.0]
    dist = search(ld.reservoir.NVAR(), lorenz, {"alpha": scipy.stats.loguniform(1e-3, 1.0)},
                  n_trials=3, random_state=0)
    assert len({t["alpha"] for t in dist.trials}) == 3


def test_the_validation_end_is_held_out():
    x = np.sin(0.3 * np.arange(300))[:, None]
    x[240:] += 5.0                                    # the held-out end is a surprise
    res = search(ld.reservoir.NVAR(degree=1), x, {"n_delays": [2]}, n_trials=1, val_fraction=0.2)
    assert res.score < 1.0                            # a model that saw the jump would track it


def test_failed_trials_score_zero_and_inputs_are_used():
    rng = np.random.default_rng(0)
    u = rng.standard_normal((200, 1))
    x = np.zeros((200, 1))
    for k in range(199):
        x[k + 1] = 0.8 * x[k] + u[k]
    data = ld.as_trajectories(x, u=u)
    res = search(ld.reservoir.NVAR(degree=1, alpha=1e-10), data, {"n_delays": [1, 170]},
                 n_trials=2)
    assert res.params == {"n_delays": 1} and res.trials[1]["error"]
    assert res.trials[0]["score"] == pytest.approx(40 * 1.0)   # the whole held-out end


def test_bad_arguments():
    with pytest.raises(ld.errors.ValidationError, match="no parameter"):
        search(ld.reservoir.NVAR(), np.zeros((50, 1)), {"ridge": [1.0]})
    with pytest.raises(ld.errors.ValidationError, match="val_fraction"):
        search(ld.reservoir.NVAR(), np.zeros((50, 1)), {}, val_fraction=1.5)
