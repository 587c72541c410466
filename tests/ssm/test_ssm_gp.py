"""State-space GPs against dense GP regression; continuous-discrete discretization."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

import lindy.errors as le
from lindy.ssm import (
    Matern12,
    Matern32,
    Matern52,
    Periodic,
    continuous_discrete_params,
    discretize,
    fit_gp_hyperparameters,
    gp_log_marginal_likelihood,
    gp_regression,
    kalman_filter,
    log_likelihood,
)

KERNELS = [Matern12(0.7, 1.3), Matern32(0.9, 0.8), Matern52(1.2, 2.0),
           Matern12(0.5, 0.3) + Matern52(2.0, 1.0), Periodic(period=1.3, lengthscale=0.9, n_harmonics=7)]


def dense_gp(kernel, t, y, noise, t_new):
    K = kernel.truncated(t) if isinstance(kernel, Periodic) else kernel(t)
    Ks = kernel.truncated(t_new, t) if isinstance(kernel, Periodic) else kernel(t_new, t)
    Kss = kernel.truncated(t_new) if isinstance(kernel, Periodic) else kernel(t_new)
    S = K + noise * np.eye(len(t))
    L = np.linalg.cholesky(S)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    V = np.linalg.solve(L, Ks.T)
    lml = -0.5 * y @ alpha - np.log(np.diag(L)).sum() - 0.5 * len(t) * np.log(2 * np.pi)
    return Ks @ alpha, np.diag(Kss) - (V * V).sum(0), lml


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: type(k).__name__)
def test_state_space_gp_equals_dense_gp(kernel):
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 6, 40))
    y = np.sin(2 * t) + 0.2 * rng.standard_normal(40)
    t_new = np.concatenate([rng.uniform(-1, 7, 15), t[:3]])
    post = gp_regression(kernel, t, y, 0.05, t_new=t_new)
    mean, var, lml = dense_gp(kernel, t, y, 0.05, t_new)
    np.testing.assert_allclose(post.mean, mean, atol=1e-8)
    np.testing.assert_allclose(post.var, var, atol=1e-8)
    np.testing.assert_allclose(gp_log_marginal_likelihood(kernel, t, y, 0.05), lml, rtol=1e-9)


def test_sde_stationary_covariance_matches_kernel():
    for k in (Matern12(0.7, 1.3), Matern32(0.9, 0.8), Matern52(1.2, 2.0)):
        sde = k.sde()
        F, W = sde.F, sde.L @ sde.Qc @ sde.L.T
        np.testing.assert_allclose(F @ sde.Pinf + sde.Pinf @ F.T + W, 0, atol=1e-10)
        for tau in (0.0, 0.3, 1.7):
            cov = sde.H @ expm(F * tau) @ sde.Pinf @ sde.H.T
            np.testing.assert_allclose(cov[0, 0], k([0.0], [tau])[0, 0], rtol=1e-10)


def test_periodic_approximation_is_close():
    k = Periodic(period=2.0, lengthscale=1.0, n_harmonics=10)
    t = np.linspace(0, 5, 30)
    np.testing.assert_allclose(k.truncated(t), k(t), atol=1e-8)


def test_van_loan_discretization():
    F = np.array([[0.0, 1.0], [-2.0, -0.3]])
    L = np.array([[0.0], [1.0]])
    Qc = np.array([[0.5]])
    A, Q = discretize(F, L, Qc, 0.4)
    np.testing.assert_allclose(A, expm(0.4 * F), atol=1e-12)
    w, V = np.linalg.eig(F)  # F has distinct eigenvalues: exp(F s) by eigendecomposition
    s = np.linspace(0, 0.4, 4001)  # trapezoid quadrature of the covariance integral
    E = np.real(np.einsum("ij,sj,jk->sik", V, np.exp(np.outer(s, w)), np.linalg.inv(V)))
    vals = E @ (L @ Qc @ L.T) @ np.swapaxes(E, 1, 2)
    np.testing.assert_allclose(Q, np.trapezoid(vals, s, axis=0), atol=1e-8)
    As, Qs = discretize(F, L, Qc, [0.4, 0.1, 0.4])
    np.testing.assert_allclose(As[2], A)
    np.testing.assert_allclose(Qs[0], Q)


def test_continuous_discrete_irregular_equals_gp():
    # an OU process is a Matern-1/2 GP: the two routes must agree on irregular times
    rng = np.random.default_rng(2)
    t = np.sort(rng.uniform(0, 10, 60))
    y = rng.standard_normal(60)
    lam, s2 = 1 / 0.8, 1.5
    params = continuous_discrete_params([[-lam]], [[1.0]], [[2 * s2 * lam]], [[1.0]], [[0.1]],
                                        [0.0], [[s2]], t)
    np.testing.assert_allclose(log_likelihood(params, y[:, None]),
                               gp_log_marginal_likelihood(Matern12(0.8, s2), t, y, 0.1), rtol=1e-10)
    assert kalman_filter(params, y[:, None]).filtered_means.shape == (60, 1)


def test_gp_hyperparameters_by_marginal_likelihood():
    rng = np.random.default_rng(1)
    t = np.sort(rng.uniform(0, 20, 300))
    true = Matern32(lengthscale=1.5, variance=1.0)
    f = np.linalg.cholesky(true(t) + 1e-9 * np.eye(300)) @ rng.standard_normal(300)
    y = f + 0.1 * rng.standard_normal(300)
    hyp = fit_gp_hyperparameters(Matern32(lengthscale=0.3, variance=3.0), t, y, noise_variance=1.0)
    assert 0.8 < hyp.kernel.lengthscale < 3.0
    assert 0.005 < hyp.noise_variance < 0.02
    assert hyp.log_marginal_likelihood > gp_log_marginal_likelihood(
        Matern32(lengthscale=0.3, variance=3.0), t, y, 1.0)
    np.testing.assert_allclose(hyp.log_marginal_likelihood, gp_log_marginal_likelihood(
        hyp.kernel, t, y, hyp.noise_variance), rtol=1e-12)
    post = gp_regression(hyp.kernel, t, y, hyp.noise_variance)
    assert np.sqrt(np.mean((post.mean - f) ** 2)) < 0.1


def test_gp_errors():
    with pytest.raises(le.ValidationError, match="increasing"):
        gp_regression(Matern12(), [0.0, 2.0, 1.0], [1.0, 2.0, 3.0], 0.1)
    with pytest.raises(le.ValidationError, match="lengthscale"):
        Matern32(lengthscale=-1.0)
    with pytest.raises(le.ValidationError, match="kernel"):
        gp_regression("rbf", [0.0, 1.0], [1.0, 2.0], 0.1)
    with pytest.raises(le.ValidationError, match="noise"):
        fit_gp_hyperparameters(Matern12(), [0.0, 1.0], [1.0, 2.0], noise_variance=-1.0)
