"""ResDMD: residuals of eigenpairs, pseudospectra, dropping spurious eigenvalues (oracle c)."""

import numpy as np
import pytest

import lindy as ld
from lindy.operators import DMD, EDMD, Function, Polynomial


def _linear_data(seed=0):
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))[0]
    rng = np.random.default_rng(seed + 1)
    A = Q @ np.diag([0.95, 0.8, -0.6, 0.4]) @ Q.T
    trajs = []
    for _ in range(5):
        x = np.empty((40, 4))
        x[0] = rng.standard_normal(4)
        for k in range(39):
            x[k + 1] = A @ x[k]
        trajs.append(x)
    return trajs


def test_linear_system_linear_dictionary_residuals_vanish():
    """Oracle (c), part 1: exact eigenpairs have residuals below 1e-10."""
    trajs = _linear_data()
    for model in (DMD().fit(trajs), EDMD(Polynomial(1, include_bias=False)).fit(trajs)):
        res = model.residuals()
        assert res.shape == model.eigenvalues_.shape
        assert res.max() < 1e-10
        # also on fresh data from the same system
        assert model.residuals(_linear_data(seed=1)).max() < 1e-10


def _pendulum(n_traj=40, steps=50, dt=0.5, seed=0, substeps=20):
    """Pendulum trajectories by classical RK4 (all initial conditions at once)."""
    rng = np.random.default_rng(seed)
    z = np.column_stack([rng.uniform(-np.pi, np.pi, n_traj), rng.uniform(-1.5, 1.5, n_traj)])
    f = lambda z: np.column_stack([z[:, 1], -np.sin(z[:, 0])])  # noqa: E731
    h = dt / substeps
    out = [z]
    for _ in range(steps):
        for _ in range(substeps):
            k1 = f(z)
            k2 = f(z + h / 2 * k1)
            k3 = f(z + h / 2 * k2)
            k4 = f(z + h * k3)
            z = z + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out.append(z)
    return list(np.stack(out, axis=1))


def _trig(X):
    return np.column_stack([np.cos(X[:, 0]), np.sin(X[:, 0])])


def test_pendulum_spurious_eigenvalues_have_large_residuals():
    """Oracle (c), part 2: spurious EDMD eigenvalues get residuals >= 100x the verified ones.

    The pendulum conserves energy, so its Koopman operator is unitary: the
    constant and the energy p^2/2 - cos(theta) (both in the dictionary's span)
    are exact eigenfunctions with eigenvalue 1, while eigenvalues well inside
    the unit disk (|lambda| < 0.9) cannot be eigenvalues at all.
    """
    trajs = _pendulum()
    model = EDMD(Polynomial(4) + Function(_trig)).fit(trajs)
    lam, res = model.eigenvalues_, model.residuals()
    verified = np.abs(lam - 1) < 1e-3  # a double eigenvalue: splits like sqrt(error)
    spurious = np.abs(lam) < 0.9
    assert verified.sum() == 2 and spurious.sum() >= 3
    assert res[spurious].min() >= 100 * res[verified].max()
    # residuals on fresh trajectories tell the same story
    fresh = model.residuals(_pendulum(n_traj=10, seed=1))
    assert fresh[spurious].min() >= 100 * fresh[verified].max()

    # residual_tol keeps exactly the verified pairs, and forecasts with them
    kept = EDMD(Polynomial(4) + Function(_trig), residual_tol=1e-3).fit(trajs)
    np.testing.assert_allclose(kept.eigenvalues_, 1.0, atol=1e-3)
    assert kept.eigenvalues_.shape == (2,)
    assert kept.all_eigenvalues_.shape == lam.shape and kept.residuals_.max() < 1e-3
    energy = lambda X: 0.5 * X[:, 1] ** 2 - np.cos(X[:, 0])  # noqa: E731
    g = kept.forecast_observable(trajs[0][:1], 20, energy)[:, 0]
    np.testing.assert_allclose(g, energy(trajs[0][:1])[0], atol=1e-6)


def test_pseudospectrum():
    trajs = _linear_data()
    model = DMD().fit(trajs)
    grid = np.array([0.95, 0.8, 0.0, 0.5 + 0.5j])
    res = model.pseudospectrum(grid)
    assert res.shape == (4,)
    assert res[0] < 1e-10 and res[1] < 1e-10
    assert res[2] > 0.1 and res[3] > 0.1
    mask = model.pseudospectrum(grid, eps=[1e-8, 1.0])
    assert mask.shape == (4, 2) and mask[:2, 0].all() and not mask[2:, 0].any()


def test_residual_tol_validation():
    with pytest.raises(ld.errors.ValidationError, match="residual"):
        EDMD(residual_tol=-1.0).fit(_linear_data())
