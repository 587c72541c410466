import numpy as np
import pytest

from lindy.errors import ShapeError, ValidationError
from lindy.metrics import nrmse, rmse, smape, smape_per_step, valid_prediction_time


def test_rmse_nrmse():
    y = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert rmse(y, y) == 0.0
    assert rmse(y, y + 2) == pytest.approx(2.0)
    # nrmse of predicting the mean is 1
    assert nrmse(y, np.tile(y.mean(0), (3, 1))) == pytest.approx(1.0)
    with pytest.raises(ValidationError, match="constant"):
        nrmse(np.ones((3, 1)), np.zeros((3, 1)))
    with pytest.raises(ShapeError):
        rmse(np.ones((3, 1)), np.ones((4, 1)))


def test_smape_scale_and_symmetry():
    a, b = np.array([[1.0, 2.0]]), np.array([[3.0, 1.0]])
    assert smape(a, b) == pytest.approx(smape(b, a))
    assert smape(a, -a) == pytest.approx(200.0)
    # both zero counts as perfect
    assert smape(np.zeros((2, 1)), np.zeros((2, 1))) == 0.0
    # the dysts definition: 100 * mean(2|x - y| / (|x| + |y|))
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((50, 3)), rng.standard_normal((50, 3))
    ref = 100 * np.mean(2 * np.abs(x - y) / (np.abs(x) + np.abs(y)))
    assert smape(x, y) == pytest.approx(ref)
    assert smape_per_step(x, y).shape == (50,)


def test_valid_prediction_time():
    t = np.linspace(0, 10, 101)
    truth = np.stack([np.sin(t) + 2.0, np.cos(t) + 2.0], axis=1)
    pred = truth.copy()
    pred[40:] += 5.0
    assert valid_prediction_time(truth, pred, dt=0.1) == pytest.approx(4.0)
    assert valid_prediction_time(truth, pred, dt=0.1, lyapunov_exponent=0.9) == pytest.approx(3.6)
    assert valid_prediction_time(truth, truth, dt=0.1) == pytest.approx(10.1)
    nan_pred = truth.copy()
    nan_pred[10] = np.nan
    with pytest.raises(ValidationError):
        valid_prediction_time(truth, nan_pred)
    with pytest.raises(ValidationError):
        valid_prediction_time(truth, pred, lyapunov_exponent=-1.0)
