"""KalmanNet: the paper's linear case against the Riccati optimum, Lorenz with a mismatched model
against the EKF, the recursion against a fixed-gain Kalman filter, gradients, determinism, errors."""

import numpy as np
import pytest
import torch

import lindy as ld
from lindy.bench._protocol_filtering import (
    canonical_model,
    lorenz_model,
    make_filtering_data,
    run_filtering_protocol,
)
from lindy.errors import NotFittedError, ShapeError, ValidationError
from lindy.neural import KalmanNet
from lindy.neural._kalmannet import _numpy_map

SMALL = {"hidden_layer_sizes": (32, 16), "gru_size": 32, "batch_size": 10, "learning_rate": 1e-2,
         "patience": None}


def test_linear_canonical_within_half_a_db_of_the_riccati_optimum():
    """Revach et al. 2022, linear 2x2 canonical F, H = I, 1/r^2 = 0 dB, nu = q^2/r^2 = -20 dB,
    T = 100, full information: KalmanNet reaches the Kalman filter's MMSE."""
    metrics, _ = run_filtering_protocol(KalmanNet(max_iter=5, **SMALL), "linear_canonical",
                                        {"n_train": 100, "n_test": 100, "inv_r2_db": 0.0,
                                         "nu_db": -20.0, "n_steps": 100})
    # the KF on the test set agrees with its Riccati prediction (the score is computed right)
    assert abs(metrics["reference_mse_db"] - metrics["riccati_mse_db"]) < 0.3
    assert abs(metrics["mse_db"] - metrics["riccati_mse_db"]) < 0.5
    # and no filter beats the MMSE beyond sampling noise
    assert metrics["mse_db"] > metrics["reference_mse_db"] - 0.1
    assert metrics["obs_mse_db"] > metrics["mse_db"] + 5  # far below the observation noise floor


@pytest.mark.slow
def test_lorenz_with_a_two_term_taylor_model_beats_the_ekf_with_that_model():
    """Data from the 5-term Taylor map, model with J = 2 terms (the paper's state-evolution
    mismatch), 1/r^2 = 20 dB, nu = -20 dB: KalmanNet learns around the model error."""
    metrics, _ = run_filtering_protocol(KalmanNet(max_iter=10, **SMALL), "Lorenz",
                                        {"n_train": 100, "n_test": 50, "inv_r2_db": 20.0,
                                         "taylor_terms": 2})
    # the mismatch hurts the EKF: far above the EKF with the true model
    assert metrics["model_ekf_mse_db"] > metrics["reference_mse_db"] + 5
    assert metrics["mse_db"] < metrics["model_ekf_mse_db"] - 2
    assert metrics["mse_db"] < metrics["obs_mse_db"] - 2  # better than reading the observations


def _fixed_gain(knet, K):
    """Make the network output the constant gain ``K`` (weights of the last layer zero)."""
    module = knet._module
    with torch.no_grad():
        module["output"].weight.zero_()
        module["output"].bias.copy_(torch.as_tensor(K.ravel()))


def test_recursion_with_a_constant_gain_is_the_steady_state_kalman_filter():
    params = canonical_model(2, q2=0.01, r2=1.0)
    rng = np.random.default_rng(0)
    x, y = ld.ssm.sample(params, 30, n_samples=4, random_state=1)
    knet = KalmanNet(params, max_iter=1, **SMALL).fit(y, x)
    K = rng.standard_normal((2, 2)) * 0.3
    _fixed_gain(knet, K)
    res = knet.filter(y)
    A, C = params.A, params.C
    for i in range(4):
        m = params.m0
        for k in range(30):
            pred = m if k == 0 else A @ m
            m = pred + K @ (y[i, k] - C @ pred)
            np.testing.assert_allclose(res.predicted_means[i, k], pred, atol=1e-10)
            np.testing.assert_allclose(res.filtered_means[i, k], m, atol=1e-10)
    np.testing.assert_allclose(res.gains[2, 7], K, atol=1e-12)
    np.testing.assert_allclose(res.innovations[1], y[1] - res.predicted_means[1] @ C.T, atol=1e-12)
    # one sequence alone gives the same as its row of the batch
    single = knet.filter(y[2])
    np.testing.assert_allclose(single.filtered_means, res.filtered_means[2], atol=1e-12)


def test_numpy_model_gradients_come_from_its_jacobian():
    model = lorenz_model(taylor_terms=2)
    f = _numpy_map(model.f, model.F)
    x = torch.tensor([[1.0, -2.0, 20.0], [-5.0, 3.0, 10.0]], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-5)


def test_nonlinear_model_trains_and_filters():
    data = make_filtering_data("Lorenz", {"n_train": 6, "n_test": 2, "n_steps": 20, "inv_r2_db": 10.0,
                                          "nu_db": -20.0, "dt": 0.02, "taylor_terms": 2,
                                          "state_dim": 2}, np.random.default_rng(0))
    y, x, m0 = data["train"]
    knet = KalmanNet(data["model"], max_iter=2, **SMALL).fit(y, x, m0=m0)
    assert knet.n_iter_ == 2 and np.isfinite(knet.loss_history_).all()
    res = knet.filter(data["test"][0], m0=data["test"][2])
    assert res.filtered_means.shape == (2, 20, 3) and res.gains.shape == (2, 20, 3, 3)


def test_same_random_state_gives_identical_weights():
    params = canonical_model()
    x, y = ld.ssm.sample(params, 20, n_samples=8, random_state=0)
    a = KalmanNet(params, max_iter=2, random_state=3, **SMALL).fit(y, x)
    b = KalmanNet(params, max_iter=2, random_state=3, **SMALL).fit(y, x)
    for k in a.state_dict_:
        np.testing.assert_array_equal(a.state_dict_[k], b.state_dict_[k])
    np.testing.assert_array_equal(a.filter(y).filtered_means, b.filter(y).filtered_means)


def test_paper_sizes_by_default():
    params = canonical_model()
    x, y = ld.ssm.sample(params, 5, n_samples=4, random_state=0)
    knet = KalmanNet(params, max_iter=1).fit(y, x)
    assert knet.state_dict_["input.weight"].shape == (320, 4)        # 80 (n + p)
    assert knet.state_dict_["gru.weight_hh"].shape == (3 * 80, 80)   # 10 (n^2 + p^2)
    assert knet.state_dict_["output.weight"].shape == (4, 16)        # 4 n p -> n p


def test_errors_are_clear():
    params = canonical_model()
    x, y = ld.ssm.sample(params, 10, n_samples=4, random_state=0)
    with pytest.raises(ValidationError, match="needs the .*model"):
        KalmanNet().fit(y, x)
    with pytest.raises(ValidationError, match="'gru_size' must be"):
        KalmanNet(params, gru_size=0).fit(y, x)
    with pytest.raises(ShapeError, match="x must have 2 columns"):
        KalmanNet(params).fit(y, x[..., :1])
    with pytest.raises(ShapeError, match="same sequences and times"):
        KalmanNet(params).fit(y, x[:, :5])
    with pytest.raises(ShapeError, match="one length"):
        KalmanNet(params).fit([y[0], y[1][:5]], [x[0], x[1][:5]])
    with pytest.raises(NotFittedError, match="call fit"):
        KalmanNet(params).filter(y)
    with_inputs = ld.ssm.LGSSMParams(A=params.A, C=params.C, Q=params.Q, R=params.R, m0=params.m0,
                                     P0=params.P0, B=np.ones((2, 1)))
    with pytest.raises(ValidationError, match="without inputs"):
        KalmanNet(with_inputs).fit(y, x)
    knet = KalmanNet(params, max_iter=1, **SMALL).fit(y, x)
    with pytest.raises(ShapeError, match="m0 must have shape"):
        knet.filter(y, m0=np.zeros((3, 2)))
