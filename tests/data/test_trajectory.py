import numpy as np
import pandas as pd
import pytest

from lindy.data import (
    Forecast,
    Trajectory,
    TrajectorySet,
    as_trajectories,
    delay_embed,
    hankel,
    lag_pairs,
    train_test_split,
)
from lindy.errors import ShapeError, ValidationError


def test_trajectory_is_frozen_and_read_only():
    tr = Trajectory(t=np.arange(4.0), x=np.zeros((4, 2)))
    with pytest.raises(AttributeError):
        tr.x = np.ones((4, 2))
    with pytest.raises(ValueError):
        tr.x[0, 0] = 1.0
    assert tr.dt == 1.0 and tr.dim == 2 and tr.input_dim == 0
    assert tr[1:3].n_steps == 2


def test_irregular_dt_is_none():
    tr = Trajectory(t=np.array([0.0, 1.0, 3.0]), x=np.zeros((3, 1)))
    assert tr.dt is None


def test_forecast_std():
    f = Forecast(t=np.arange(3.0), x=np.zeros((3, 2)), cov=np.tile(4 * np.eye(2), (3, 1, 1)))
    np.testing.assert_allclose(f.std, 2.0)
    with pytest.raises(ShapeError):
        Forecast(t=np.arange(3.0), x=np.zeros((3, 2)), cov=np.zeros((3, 2)))


def test_set_rejects_mixed_dims():
    with pytest.raises(ShapeError, match="same dimension"):
        TrajectorySet([Trajectory(np.arange(2.0), np.zeros((2, 1))),
                       Trajectory(np.arange(2.0), np.zeros((2, 2)))])
    with pytest.raises(ValidationError):
        TrajectorySet([])


@pytest.mark.parametrize("X, n, lengths", [
    (np.zeros(10), 1, [10]),
    (np.zeros((10, 3)), 1, [10]),
    (np.zeros((4, 10, 3)), 4, [10] * 4),
    ([np.zeros((5, 2)), np.zeros((8, 2))], 2, [5, 8]),
    ([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], 1, [3]),
])
def test_as_trajectories_forms(X, n, lengths):
    ts = as_trajectories(X)
    assert len(ts) == n and ts.lengths == lengths


def test_as_trajectories_dataframe_index_is_time():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0.0, 0.0, 1.0]}, index=[0.0, 0.5, 2.0])
    ts = as_trajectories(df)
    np.testing.assert_array_equal(ts[0].t, [0.0, 0.5, 2.0])
    idx = pd.date_range("2020-01-01", periods=3, freq="2s")
    ts = as_trajectories(pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=idx))
    np.testing.assert_array_equal(ts[0].t, [0.0, 2.0, 4.0])


def test_as_trajectories_times_inputs_and_errors():
    ts = as_trajectories(np.zeros((5, 2)), dt=0.1, u=np.ones((5, 1)))
    assert ts.dt == pytest.approx(0.1) and ts.input_dim == 1
    ts = as_trajectories([np.zeros((3, 1)), np.zeros((4, 1))],
                         t=[np.arange(3.0), np.arange(4.0) * 2])
    assert ts.dt is None
    with pytest.raises(ValidationError, match="NaN"):
        as_trajectories(np.array([[np.nan]]))
    assert np.isnan(as_trajectories(np.array([[np.nan]]), allow_nan=True)[0].x).all()
    with pytest.raises(ValidationError, match="strictly increasing"):
        as_trajectories(np.zeros((3, 1)), t=[0.0, 0.0, 1.0])
    with pytest.raises(ValidationError, match="either t or dt"):
        as_trajectories(np.zeros((3, 1)), t=[0.0, 1.0, 2.0], dt=1.0)
    with pytest.raises(ShapeError, match="one input row per sample"):
        as_trajectories(np.zeros((3, 1)), u=np.zeros((2, 1)))
    with pytest.raises(ValidationError, match="too short"):
        as_trajectories(np.zeros((1, 2)), min_length=2)
    with pytest.raises(ShapeError):
        as_trajectories(np.zeros((2, 2, 2, 2)))


def test_as_trajectories_does_not_mutate_or_alias():
    x = np.arange(6.0).reshape(3, 2)
    ts = as_trajectories(x)
    assert not np.shares_memory(ts[0].x, x)


def test_lag_pairs_and_hankel_never_cross_boundaries():
    ts = as_trajectories([np.arange(4.0), 100 + np.arange(3.0)])
    X, Y = lag_pairs(ts, lag=2)
    assert X.ravel().tolist() == [0.0, 1.0, 100.0]
    assert Y.ravel().tolist() == [2.0, 3.0, 102.0]
    H = hankel(ts, 3)
    assert H.tolist() == [[0, 1, 2], [1, 2, 3], [100, 101, 102]]
    assert delay_embed(np.arange(5.0)[:, None], 2, stride=2).tolist() == [[0, 2], [1, 3], [2, 4]]
    with pytest.raises(ValidationError, match="long enough"):
        hankel(ts, 10)
    with pytest.raises(ValidationError):
        lag_pairs(ts, lag=5)


def test_lag_pairs_with_inputs():
    ts = as_trajectories(np.arange(4.0), u=10 * np.arange(4.0))
    X, Y, U = lag_pairs(ts, with_inputs=True)
    assert U.ravel().tolist() == [0.0, 10.0, 20.0]


def test_train_test_split_in_time_and_by_trajectory():
    ts = as_trajectories(np.arange(30.0).reshape(3, 10, 1))
    train, test = train_test_split(ts, test_size=0.2)
    assert train.lengths == [8] * 3 and test.lengths == [2] * 3
    assert test[0].t[0] == 8.0 and test[0].x[0, 0] == 8.0
    train, test = train_test_split(ts, test_size=0.3, by="trajectory")
    assert len(train) == 2 and len(test) == 1
    with pytest.raises(ValidationError):
        train_test_split(ts, test_size=1.5)
    with pytest.raises(ValidationError):
        train_test_split(ts, by="random")
