"""HankelDMD, HAVOK, DMDc, EDMDc and WindowedDMD."""

import numpy as np
import pytest
from operator_helpers import check_all_but_complex_exactness

from lindy.data import Trajectory
from lindy.errors import ValidationError
from lindy.operators import HAVOK, DMDc, EDMDc, HankelDMD, Polynomial, WindowedDMD


@pytest.mark.parametrize("est", [
    HankelDMD(), HankelDMD(n_delays=3, stride=2, rank=4, tls_rank=4),
    HAVOK(n_delays=10, rank=4),
    DMDc(), DMDc(rank=3), EDMDc(), EDMDc(Polynomial(3), rank=10, alpha=1e-8),
    WindowedDMD(), WindowedDMD(window=30, step=10, rank=2),
])
def test_conformance(est):
    check_all_but_complex_exactness(est)


def _two_tones(T=400, dt=0.05):
    t = dt * np.arange(T)
    return t, (np.sin(1.0 * t) + 0.5 * np.cos(2.3 * t))[:, None]


def test_hankel_dmd_recovers_frequencies_and_forecasts():
    t, x = _two_tones()
    model = HankelDMD(n_delays=8).fit(x[:300], t=t[:300])
    w = np.sort(np.abs(model.continuous_eigenvalues_.imag))
    np.testing.assert_allclose(w[[0, 2]], [1.0, 2.3], atol=1e-8)
    fc = model.forecast(x[:300], horizon=100)
    np.testing.assert_allclose(fc.x, x[300:], atol=1e-7)
    assert model.modes_.shape[0] == 8


def test_hankel_dmd_matches_pydmd():
    import pydmd  # the oracle: fails, never skips, when missing
    rng = np.random.default_rng(0)
    t, x = _two_tones()
    x = x + 0.01 * rng.standard_normal(x.shape)
    ours = HankelDMD(n_delays=6, rank=4).fit(x).eigenvalues_
    theirs = pydmd.HankelDMD(svd_rank=4, d=6).fit(x.T).eigs
    key = lambda z: z[np.lexsort((z.imag, z.real))]  # noqa: E731
    np.testing.assert_allclose(key(ours), key(theirs), atol=1e-8)


def test_havok_unforced_part_of_a_linear_signal():
    t, x = _two_tones()
    model = HAVOK(n_delays=20, rank=5).fit(x, t=t)
    w = np.sort(np.abs(model.continuous_eigenvalues_.imag))
    np.testing.assert_allclose(w[[0, 2]], [1.0, 2.3], atol=1e-6)
    assert np.abs(model.B_).max() < 1e-6  # four coordinates close the dynamics
    f = model.forcing(x)
    assert np.isnan(f[:19]).all() and np.isfinite(f[19:]).all()
    with pytest.raises(ValidationError, match="rank"):
        HAVOK(rank=1).fit(x)


def _controlled(T=200, seed=0):
    rng = np.random.default_rng(seed)
    A = np.array([[0.9, 0.2], [-0.2, 0.9]])
    B = np.array([[0.0], [1.0]])
    u = rng.standard_normal((T, 1))
    x = np.zeros((T, 2))
    x[0] = [1.0, 0.0]
    for k in range(T - 1):
        x[k + 1] = A @ x[k] + B @ u[k]
    return A, B, x, u


def test_dmdc_recovers_A_B_and_forecasts_new_inputs():
    A, B, x, u = _controlled()
    model = DMDc().fit(x, u=u)
    np.testing.assert_allclose(model.A_, A, atol=1e-10)
    np.testing.assert_allclose(model.B_, B, atol=1e-10)
    v = np.sin(np.arange(10.0))[:, None]  # inputs at the 10 forecast times
    ctx = Trajectory(t=np.zeros(1), x=x[:1], u=u[:1])
    fc = model.forecast(ctx, horizon=10, u=v).x
    drive = np.vstack([u[:1], v[:-1]])  # the context's last input drives the first step
    z, want = x[0], []
    for k in range(10):
        z = A @ z + B @ drive[k]
        want.append(z)
    np.testing.assert_allclose(fc, want, atol=1e-10)
    np.testing.assert_allclose(np.sort_complex(model.eigenvalues_), np.sort_complex(np.linalg.eigvals(A)))
    assert model.residuals().max() < 1e-10


def test_edmdc_linear_dictionary_is_exact():
    A, B, x, u = _controlled()
    model = EDMDc(Polynomial(1)).fit(x, u=u)
    v = np.cos(np.arange(8.0))[:, None]  # inputs at the 8 forecast times
    ctx = Trajectory(t=np.arange(6.0), x=x[:6], u=u[:6])
    fc = model.forecast(ctx, horizon=8, u=v).x
    drive = np.vstack([u[5:6], v[:-1]])  # the context's last input drives the first step
    z, want = x[5], []
    for k in range(8):
        z = A @ z + B @ drive[k]
        want.append(z)
    np.testing.assert_allclose(fc, want, atol=1e-9)


def test_windowed_dmd_tracks_a_drifting_rate():
    t = 0.1 * np.arange(300)
    rate = np.where(t < 15, -0.1, -0.5)
    amp = np.exp(np.cumsum(rate) * 0.1)
    x = np.column_stack([amp * np.cos(t), amp * np.sin(t)])
    model = WindowedDMD(window=50, step=25).fit(x, t=t)
    growth = [np.log(np.abs(lam)).max() / 0.1 for lam in model.window_eigenvalues_]
    np.testing.assert_allclose(growth[0], -0.1, atol=1e-8)
    np.testing.assert_allclose(growth[-1], -0.5, atol=1e-8)
    assert model.window_times_.shape == model.window_starts_.shape
    np.testing.assert_allclose(np.log(np.abs(model.eigenvalues_)) / 0.1, -0.5, atol=1e-8)
