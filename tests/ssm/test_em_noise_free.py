"""EM on noise-free data keeps its covariances positive definite (regression test)."""

import numpy as np

import lindy as ld


def test_em_on_noise_free_linear_data_stays_positive_definite():
    th = 0.2
    A = 0.99 * np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    x = np.empty((400, 2))
    x[0] = [1.0, 0.5]
    for k in range(399):
        x[k + 1] = A @ x[k]
    model = ld.ssm.LinearGaussianSSM(state_dim=2, max_iter=30).fit(x)
    R = model.params_.R
    assert np.linalg.eigvalsh(R).min() > 0
    np.testing.assert_allclose(np.sort_complex(np.linalg.eigvals(model.params_.A)),
                               np.sort_complex(np.linalg.eigvals(A)), atol=1e-3)
    fc = model.forecast(x[:300], horizon=50)
    # noise-free data: the forecast continues the rotation and its covariance stays tiny
    np.testing.assert_allclose(fc.x, x[300:350], atol=1e-6 * np.abs(x[300:350]).max())
    assert np.all(np.linalg.eigvalsh(fc.cov) > -1e-12) and fc.cov.max() < 1e-6
