"""Foundation oracle: exact DMD recovers the eigenvalues of a noise-free linear system."""

import numpy as np

import lindy as ld


def _linear_data(A, n_traj=3, T=60, seed=0):
    rng = np.random.default_rng(seed)
    trajs = []
    for _ in range(n_traj):
        x = np.empty((T, A.shape[0]))
        x[0] = rng.standard_normal(A.shape[0])
        for k in range(T - 1):
            x[k + 1] = A @ x[k]
        trajs.append(x)
    return trajs


def test_dmd_recovers_true_eigenvalues_to_1e10():
    rng = np.random.default_rng(42)
    n = 5
    Q = np.linalg.qr(rng.standard_normal((n, n)))[0]
    true = np.array([0.95, 0.9, 0.7, -0.5, 0.3])
    A = Q @ np.diag(true) @ Q.T
    model = ld.operators.DMD().fit(_linear_data(A))
    np.testing.assert_allclose(np.sort(model.eigenvalues_.real), np.sort(true), atol=1e-10)
    np.testing.assert_allclose(model.eigenvalues_.imag, 0.0, atol=1e-10)
    np.testing.assert_allclose(model.operator_, A, atol=1e-10)


def test_dmd_continuous_eigenvalues_of_sampled_oscillator():
    dt, omega, sigma = 0.1, 2.0, -0.1
    lam = np.exp((sigma + 1j * omega) * dt)
    A = np.array([[lam.real, -lam.imag], [lam.imag, lam.real]])
    traj = _linear_data(A, n_traj=1, T=100)[0]
    model = ld.operators.DMD().fit(traj, t=dt * np.arange(100))
    ct = np.sort_complex(model.continuous_eigenvalues_)
    np.testing.assert_allclose(ct, [sigma - 1j * omega, sigma + 1j * omega], atol=1e-10)


def test_dmd_forecast_continues_linear_system():
    A = np.array([[0.9, -0.3], [0.3, 0.9]])
    traj = _linear_data(A, n_traj=1, T=40)[0]
    model = ld.operators.DMD().fit(traj[:20])
    fc = model.forecast(traj[:20], horizon=20)
    np.testing.assert_allclose(fc.x, traj[20:], atol=1e-10)
