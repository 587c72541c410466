"""BOP-DMD: variable projection on even and irregular samples (oracle b), bagging."""

import numpy as np
import pytest
from operator_helpers import check_all_but_complex_exactness
from scipy.linalg import expm

from lindy.errors import ValidationError
from lindy.operators import BOPDMD, varpro_fit

A = np.array([[1.0, -2.0], [1.0, -1.0]])  # eigenvalues +-i


def _by_imag(lam):
    lam = np.asarray(lam)
    return lam[np.argsort(lam.imag)]


def _linear(t, z0=(1.0, 0.5)):
    return np.array([expm(A * tk) @ np.asarray(z0) for tk in t])


@pytest.mark.parametrize("est", [BOPDMD(), BOPDMD(rank=2, n_bags=3, constraint="stable")])
def test_conformance(est):
    check_all_but_complex_exactness(est)


@pytest.mark.parametrize("irregular", [False, True])
def test_recovers_plus_minus_i(irregular):
    """Oracle (b): +-i to 1e-7 with even samples and with every other of the first 1000 removed."""
    t = 0.01 * np.arange(2000)
    x = _linear(t)
    if irregular:
        keep = np.ones(t.size, bool)
        keep[1:1000:2] = False
        t, x = t[keep], x[keep]
    model = BOPDMD().fit(x, t=t)
    lam = _by_imag(model.continuous_eigenvalues_)
    np.testing.assert_allclose(lam, [-1j, 1j], atol=1e-7)
    assert model.fit_residual_ < 1e-10
    if irregular:
        assert model.dt_ is None and np.isclose(model.median_dt_, 0.01)  # contract v2


def test_forecast_continues_the_flow():
    t = 0.05 * np.arange(200)
    x = _linear(t)
    model = BOPDMD().fit(x[:100], t=t[:100])
    fc = model.forecast(x[:100], horizon=100)
    np.testing.assert_allclose(fc.x, x[100:], atol=1e-8)
    np.testing.assert_allclose(fc.t, t[100:], atol=1e-12)


def test_several_trajectories_share_eigenvalues():
    t = 0.1 * np.arange(60)
    trajs = [_linear(t, z0) for z0 in ([1.0, 0.0], [0.0, 2.0], [-1.0, 1.0])]
    model = BOPDMD().fit(trajs, t=[t] * 3)
    np.testing.assert_allclose(_by_imag(model.continuous_eigenvalues_), [-1j, 1j], atol=1e-8)
    assert len(model.amplitudes_) == 3


def test_bagging_gives_spreads_and_forecast_covariance():
    rng = np.random.default_rng(0)
    t = 0.05 * np.arange(400)
    x = _linear(t) + 0.05 * rng.standard_normal((400, 2))
    model = BOPDMD(n_bags=8, random_state=1).fit(x, t=t)
    std = model.continuous_eigenvalues_std_
    assert np.all(std.real > 0) and np.all(std.imag > 0)
    assert model.bag_eigenvalues_.shape == (8, 2)
    err = np.abs(_by_imag(model.continuous_eigenvalues_) - np.array([-1j, 1j]))
    assert err.max() < 0.05
    fc = model.forecast(x, horizon=20)
    assert fc.cov.shape == (20, 2, 2)
    assert np.all(np.linalg.eigvalsh(fc.cov) >= -1e-12)
    again = BOPDMD(n_bags=8, random_state=1).fit(x, t=t)
    np.testing.assert_array_equal(again.bag_eigenvalues_, model.bag_eigenvalues_)


def test_varpro_function_and_constraints():
    t = np.linspace(0, 10, 300)
    x = np.column_stack([np.exp(0.05 * t) * np.cos(t), np.exp(0.05 * t) * np.sin(t)])
    free = varpro_fit([t], [x], np.array([0.1 + 1.1j, 0.1 - 1.1j]))
    np.testing.assert_allclose(_by_imag(free.alpha), [0.05 - 1j, 0.05 + 1j], atol=1e-8)
    stable = BOPDMD(constraint="stable").fit(x, t=t)
    assert np.all(stable.continuous_eigenvalues_.real <= 0)


def test_bad_params():
    x = _linear(0.1 * np.arange(30))
    with pytest.raises(ValidationError, match="constraint"):
        BOPDMD(constraint="unitary").fit(x)
    with pytest.raises(ValidationError, match="bag_fraction"):
        BOPDMD(bag_fraction=1.5).fit(x)
    t = np.sort(np.random.default_rng(0).uniform(0, 3, 30))
    with pytest.raises(ValidationError, match="irregular"):
        BOPDMD().fit(x, t=t).residuals()
