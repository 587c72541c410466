"""EKF / UKF / smoothers / particle filter, and the KalmanNet paper's setups."""

from __future__ import annotations

import numpy as np
import pytest
from ssm_helpers import random_params

import lindy as ld
import lindy.errors as le
from lindy.data import as_trajectories
from lindy.ssm import (
    LGSSMParams,
    NonlinearSSM,
    extended_kalman_filter,
    from_system,
    gaussian_smoother,
    kalman_filter,
    particle_filter,
    rts_smoother,
    sample,
    unscented_kalman_filter,
)


def _linear_model(params: LGSSMParams) -> NonlinearSSM:
    A, C = params.A, params.C
    return NonlinearSSM(f=lambda x: A @ x, h=lambda x: C @ x, Q=params.Q, R=params.R,
                        m0=params.m0, P0=params.P0)


@pytest.mark.parametrize("filt_fn", [extended_kalman_filter, unscented_kalman_filter])
def test_nonlinear_filters_equal_kf_on_linear_model(filt_fn):
    params = random_params(n=3, p=2, seed=11)
    _, y = sample(params, 60, random_state=0)
    y[np.random.default_rng(0).random(y.shape) < 0.2] = np.nan
    kf = kalman_filter(params, y, steady_tol=0)
    ks = rts_smoother(params, kf)
    nf = filt_fn(_linear_model(params), y)
    ns = gaussian_smoother(nf)
    np.testing.assert_allclose(nf.filtered_means, kf.filtered_means, atol=1e-6)
    np.testing.assert_allclose(nf.filtered_covariances, kf.filtered_covariances, atol=1e-6)
    np.testing.assert_allclose(nf.log_likelihood, kf.log_likelihood, rtol=1e-7)
    np.testing.assert_allclose(ns.means, ks.means, atol=1e-6)
    np.testing.assert_allclose(ns.covariances, ks.covariances, atol=1e-6)


def test_particle_filter_matches_kf_on_linear_model():
    params = random_params(n=2, p=1, seed=12)
    _, y = sample(params, 40, random_state=1)
    kf = kalman_filter(params, y)
    A, C = params.A, params.C
    model = NonlinearSSM(f=lambda X: X @ A.T, h=lambda X: X @ C.T, Q=params.Q, R=params.R,
                         m0=params.m0, P0=params.P0)
    pf = particle_filter(model, y, n_particles=20000, vectorized=True, random_state=0)
    assert abs(pf.log_likelihood - kf.log_likelihood) < 0.5
    np.testing.assert_allclose(pf.filtered_means, kf.filtered_means, atol=0.15)
    pf2 = particle_filter(model, y, n_particles=20000, vectorized=True, random_state=0)
    np.testing.assert_array_equal(pf.filtered_means, pf2.filtered_means)


def test_kalmannet_linear_2x2_reaches_optimal_mse():
    """KalmanNet paper, linear canonical 2x2: F=[[1,1],[0,1]], H=I, 1/r^2=0 dB, q^2/r^2=-20 dB.

    The KF's empirical MSE over T=100 from a known initial state equals the
    minimum MSE given by the Riccati recursion (-7.32 dB for this setup).
    """
    F, H = np.array([[1.0, 1.0], [0.0, 1.0]]), np.eye(2)
    r2, q2 = 1.0, 0.01
    params = LGSSMParams(A=F, C=H, Q=q2 * np.eye(2), R=r2 * np.eye(2), m0=np.zeros(2),
                         P0=q2 * np.eye(2))  # x_0 = 0 known, so x_1 ~ N(0, Q)
    x, y = sample(params, 100, n_samples=400, random_state=0)
    filts = kalman_filter(params, as_trajectories(y))
    means = np.stack([f.filtered_means for f in filts])
    mse_db = 10 * np.log10(np.mean((means - x) ** 2))
    covs = filts[0].filtered_covariances
    optimal_db = 10 * np.log10(np.mean(np.trace(covs, axis1=1, axis2=2)) / 2)
    assert abs(optimal_db - (-7.32)) < 0.01
    assert abs(mse_db - optimal_db) < 0.15


def lorenz_taylor(dt=0.02, order=5):
    """KalmanNet's discrete Lorenz model: x' = sum_j (A(x) dt)^j / j! x."""

    def f(x):
        A = np.array([[-10.0, 10.0, 0.0], [28.0, -1.0, -x[0]], [0.0, x[0], -8.0 / 3.0]]) * dt
        out, term = x.copy(), x.copy()
        for j in range(1, order + 1):
            term = A @ term / j
            out = out + term
        return out

    return f


@pytest.mark.parametrize("inv_r2_db,published", [(10, -20.37), (20, -30.40)])
def test_lorenz_ekf_matches_kalmannet_paper(inv_r2_db, published):
    """Lorenz, noisy full-state observations, dt=0.02, T=2000, q^2/r^2 = -20 dB."""
    f = lorenz_taylor()
    r2 = 10 ** (-inv_r2_db / 10)
    q2 = 0.01 * r2
    rng = np.random.default_rng(inv_r2_db)
    mse = []
    for _ in range(2):
        x = np.ones(3)
        X, Y = np.empty((2000, 3)), np.empty((2000, 3))
        for k in range(2000):
            x = f(x) + np.sqrt(q2) * rng.standard_normal(3)
            X[k], Y[k] = x, x + np.sqrt(r2) * rng.standard_normal(3)
        model = NonlinearSSM(f=f, h=lambda x: x, Q=q2 * np.eye(3), R=r2 * np.eye(3),
                             m0=f(np.ones(3)), P0=q2 * np.eye(3), h_jac=lambda x: np.eye(3))
        mse.append(np.mean((extended_kalman_filter(model, Y).filtered_means - X) ** 2))
    assert abs(10 * np.log10(np.mean(mse)) - published) < 1.0


def test_ekf_and_ukf_from_lindy_system():
    lorenz = ld.systems.get_system("Lorenz")
    r2, q2 = 1.0, 1e-3
    model = from_system(lorenz, 0.01, Q=q2 * np.eye(3), R=r2 * np.diag([1.0, 1.0, np.inf])[:2, :2],
                        m0=np.array([1.0, 1.0, 1.0]), P0=0.1 * np.eye(3), H=np.eye(3)[:2])
    np.testing.assert_allclose(model.F(np.array([1.0, 2.0, 3.0])),
                               ld.ssm.numerical_jacobian(model.f, np.array([1.0, 2.0, 3.0])),
                               atol=1e-7)
    rng = np.random.default_rng(0)
    x = np.array([1.0, 1.0, 1.0])
    X, Y = np.empty((400, 3)), np.empty((400, 2))
    for k in range(400):
        X[k], Y[k] = x, x[:2] + rng.standard_normal(2)
        x = model.f(x) + np.sqrt(q2) * rng.standard_normal(3)
    Y[::7, 0] = np.nan
    for filt in (extended_kalman_filter(model, Y), unscented_kalman_filter(model, Y)):
        sm = gaussian_smoother(filt)
        err_f = np.mean((filt.filtered_means[100:] - X[100:]) ** 2)
        err_s = np.mean((sm.means[100:] - X[100:]) ** 2)
        assert err_s < err_f < 0.5  # z is unobserved, still tracked


def test_nonlinear_validation():
    with pytest.raises(le.ShapeError, match="f must map"):
        NonlinearSSM(f=lambda x: x[:1], h=lambda x: x, Q=np.eye(2), R=np.eye(2),
                     m0=np.zeros(2), P0=np.eye(2))
    model = NonlinearSSM(f=lambda x: x, h=lambda x: x, Q=np.eye(2), R=np.eye(2),
                         m0=np.zeros(2), P0=np.eye(2))
    with pytest.raises(le.ShapeError, match="columns"):
        extended_kalman_filter(model, np.zeros((4, 3)))
    with pytest.raises(le.ValidationError, match="NonlinearSSM"):
        unscented_kalman_filter("model", np.zeros((4, 2)))
