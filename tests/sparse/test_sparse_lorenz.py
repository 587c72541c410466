"""SINDy on Lorenz-63 and the Henon map: support, coefficients, noise, ensembles, simulation."""

import numpy as np
import pytest

import lindy as ld
from lindy.errors import NumericalError

DT = 0.01
#: true Lorenz coefficients on PolynomialLibrary(2) of (x0, x1, x2)
TRUE = np.zeros((3, 10))
TRUE[0, [1, 2]] = -10.0, 10.0
TRUE[1, [1, 2, 6]] = 28.0, -1.0, -1.0
TRUE[2, [3, 5]] = -8.0 / 3.0, 1.0


@pytest.fixture(scope="module")
def lorenz():
    return ld.systems.get_system("Lorenz")


@pytest.fixture(scope="module")
def clean(lorenz):
    return ld.systems.simulate(lorenz, n_steps=5000, dt=DT, random_state=0)


@pytest.fixture(scope="module")
def noisy(lorenz):
    return ld.systems.simulate(lorenz, n_steps=5000, dt=DT, obs_noise=0.01, random_state=0)


def _max_rel_error(coef):
    return float(np.max(np.abs(coef[TRUE != 0] - TRUE[TRUE != 0]) / np.abs(TRUE[TRUE != 0])))


def test_clean_lorenz_support_and_coefficients_within_one_percent(clean):
    sindy = ld.sparse.SINDy(library=ld.sparse.PolynomialLibrary(2), threshold=0.1,
                            derivative="weak").fit(clean)
    assert np.array_equal(sindy.coef_ != 0, TRUE != 0)
    assert _max_rel_error(sindy.coef_) < 0.01


def test_clean_lorenz_finite_difference_support(clean):
    """Second-order differences find the support; the x1 coefficient of x1' is ~4% off
    (derivative error, the same in pysindy), so the 1% claim uses the weak form above."""
    sindy = ld.sparse.SINDy(library=ld.sparse.PolynomialLibrary(2), threshold=0.1).fit(clean)
    assert np.array_equal(sindy.coef_ != 0, TRUE != 0)
    assert _max_rel_error(sindy.coef_) < 0.05
    assert sindy.equations()[0] == "x0' = -9.978 x0 + 9.978 x1"


@pytest.mark.parametrize("derivative", ["weak", "savgol", "smoothed", "tv"])
def test_noisy_lorenz_support(noisy, derivative):
    sindy = ld.sparse.SINDy(threshold=0.1, derivative=derivative).fit(noisy)
    assert np.array_equal(sindy.coef_ != 0, TRUE != 0)


@pytest.mark.parametrize("mode", ["samples", "library", "both"])
def test_ensemble_inclusion_probabilities_on_noisy_lorenz(noisy, mode):
    sindy = ld.sparse.SINDy(threshold=0.1, derivative="weak", n_models=30, ensemble=mode,
                            random_state=0).fit(noisy)
    assert sindy.inclusion_probability_[TRUE != 0].min() >= 0.9
    assert sindy.inclusion_probability_[TRUE == 0].max() <= 0.5
    assert np.array_equal(sindy.coef_ != 0, TRUE != 0)
    assert sindy.coef_std_.shape == TRUE.shape and np.all(sindy.coef_std_ >= 0)
    assert _max_rel_error(sindy.coef_) < 0.05
    again = ld.sparse.SINDy(threshold=0.1, derivative="weak", n_models=30, ensemble=mode,
                            random_state=0).fit(noisy)
    np.testing.assert_array_equal(again.coef_, sindy.coef_)


def test_to_system_simulates_the_learned_field(clean):
    sindy = ld.sparse.SINDy(threshold=0.1).fit(clean)
    system = sindy.to_system()
    assert system.kind == "flow" and system.dim == 3
    x = clean[0].x[:50]
    field = np.array([system(xi) for xi in x])
    np.testing.assert_allclose(field, sindy.model_(x), rtol=1e-12, atol=1e-9)
    sim = ld.systems.simulate(system, n_steps=201, dt=DT, x0=clean[0].x[100])[0].x
    fc = sindy.forecast(clean[0][:101], horizon=200)
    np.testing.assert_allclose(fc.x, sim[1:], rtol=1e-9, atol=1e-9)
    # the learned Lorenz field tracks the truth for a while
    assert np.abs(fc.x[:50] - clean[0].x[101:151]).max() < 0.5


def test_diverging_simulation_raises_numerical_error():
    t = np.linspace(0.0, 0.5, 51)
    data = ld.data.as_trajectories(1.0 / (1.0 - t)[:, None], t=t)  # x' = x^2 blows up at t = 1
    sindy = ld.sparse.SINDy(threshold=0.1, derivative="weak", window=11).fit(data)
    assert abs(sindy.coef_[0, 2] - 1.0) < 0.01  # x0^2 (tiny 1 and x0 terms survive STLSQ)
    with pytest.raises(NumericalError, match="SINDy"):
        ld.systems.simulate(sindy.to_system(), n_steps=200, dt=0.01, x0=[1.0])
    with pytest.raises(NumericalError):
        sindy.forecast(data[0], horizon=100)


def test_discrete_time_recovers_the_henon_map():
    henon = ld.systems.get_system("Henon")
    data = ld.systems.simulate(henon, n_steps=500, n_traj=2, random_state=0)
    sindy = ld.sparse.SINDy(threshold=0.05, discrete_time=True).fit(data)
    a, b = henon.params["a"], henon.params["b"]
    assert sindy.equations() == [f"x0[k+1] = 1.000 + 1.000 x1 - {a:.3f} x0^2",
                                 f"x1[k+1] = {b:.3f} x0"]
    system = sindy.to_system()
    assert system.kind == "map"
    fc = sindy.forecast(data[0][:100], horizon=20)
    np.testing.assert_allclose(fc.x, data[0].x[100:120], rtol=1e-6, atol=1e-6)
    sim = ld.systems.simulate(system, n_steps=21, x0=data[0].x[99])[0].x
    np.testing.assert_allclose(sim[1:], fc.x, rtol=1e-10, atol=1e-10)


def test_diverging_map_forecast_raises_numerical_error():
    x = 1.5 ** np.arange(30.0)[:, None]
    sindy = ld.sparse.SINDy(discrete_time=True).fit(x)
    assert sindy.equations() == ["x0[k+1] = 1.500 x0"]
    with pytest.raises(NumericalError, match="non-finite"):
        sindy.forecast(x, horizon=5000)
