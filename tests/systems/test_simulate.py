"""simulate: grids, batches, kinds, options, errors, cache."""

import numpy as np
import pytest

from lindy.errors import NumericalError, ValidationError
from lindy.systems import get_system, random_lti, simulate


@pytest.fixture(scope="module")
def lorenz():
    return get_system("Lorenz")


def test_batch_equals_individual_runs(lorenz):
    X0 = lorenz.x0 + np.array([[0.0, 0, 0], [0.1, 0.2, -0.1], [1.0, -1.0, 2.0]])
    batch = simulate(lorenz, n_steps=200, x0=X0, n_traj=3)
    for i in range(3):
        one = simulate(lorenz, n_steps=200, x0=X0[i])
        np.testing.assert_allclose(batch[i].x, one[0].x, rtol=1e-12, atol=1e-12)


def test_irregular_times_match_regular_grid(lorenz):
    regular = simulate(lorenz, n_steps=101, dt=0.01)[0]
    pick = np.array([0, 3, 4, 17, 50, 99, 100])
    irregular = simulate(lorenz, t=regular.t[pick] + 5.0)[0]
    np.testing.assert_allclose(irregular.t, regular.t[pick] + 5.0)
    np.testing.assert_allclose(irregular.x, regular.x[pick], rtol=1e-8, atol=1e-8)


def test_transient_is_discarded(lorenz):
    full = simulate(lorenz, n_steps=150, dt=0.01)[0]
    cut = simulate(lorenz, n_steps=100, dt=0.01, transient=50)[0]
    np.testing.assert_allclose(cut.x, full.x[50:], rtol=1e-9, atol=1e-9)
    assert cut.t[0] == 0.0


def test_pts_per_period_uses_computed_period(lorenz):
    data = simulate(lorenz, n_steps=10, pts_per_period=100)
    assert np.isclose(data[0].t[1], lorenz.meta["period"] / 100)


def test_partial_observation_noise_and_standardization(lorenz):
    data = simulate(lorenz, n_steps=500, n_traj=2, random_state=0, observe=[0, 2],
                    obs_noise=0.05, standardize=True)
    x = np.concatenate([tr.x for tr in data])
    assert x.shape[1] == 2
    np.testing.assert_allclose(x.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(x.std(axis=0), 1.0, atol=1e-12)
    radius = simulate(lorenz, n_steps=50, observe=lambda s: np.linalg.norm(s, axis=1))
    assert radius[0].x.shape == (50, 1)


def test_seeded_runs_are_reproducible(lorenz):
    a = simulate(lorenz, n_steps=50, n_traj=3, random_state=3, obs_noise=0.1)
    b = simulate(lorenz, n_steps=50, n_traj=3, random_state=3, obs_noise=0.1)
    for ta, tb in zip(a, b):
        np.testing.assert_array_equal(ta.x, tb.x)


def test_map_iteration_matches_python_loop():
    henon = get_system("Henon")
    x = np.array(henon.x0, dtype=float)
    ref = [x]
    for _ in range(20):
        x = henon.rhs(0.0, x, henon.param_array)
        ref.append(x)
    out = simulate(henon, n_steps=21, dt=1)[0].x
    np.testing.assert_allclose(out, np.array(ref), rtol=1e-13)
    every2 = simulate(henon, n_steps=11, dt=2)[0].x
    np.testing.assert_allclose(every2, np.array(ref)[::2], rtol=1e-13)
    irregular = simulate(henon, t=[0, 1, 5, 6])[0].x
    np.testing.assert_allclose(irregular, np.array(ref)[[0, 1, 5, 6]], rtol=1e-13)


def test_delay_equation_converges_and_accepts_history():
    mg = get_system("MackeyGlass")
    t = np.arange(0.0, 100.0, 1.0)
    from lindy.systems.integrators import integrate_delay

    coarse = integrate_delay(mg, mg.x0, t, step=0.1)
    fine = integrate_delay(mg, mg.x0, t, step=0.025)
    assert np.abs(coarse - fine).max() < 1e-4
    data = simulate(mg, n_steps=100, dt=1.0, history=lambda s: 0.5 + 0.01 * s)
    assert np.isfinite(data[0].x).all() and data[0].x.shape == (100, 1)


def test_sde_stationary_variance():
    ou = get_system("OrnsteinUhlenbeck")
    x = simulate(ou, n_steps=20000, dt=0.05, n_traj=4, random_state=0, transient=200)
    var = np.mean([tr.x.var() for tr in x])
    expected = ou.params["sigma"] ** 2 / (2 * ou.params["theta"])
    assert abs(var - expected) < 0.15 * expected


def test_diffusion_on_deterministic_systems():
    a = simulate(get_system("Rossler"), n_steps=200, diffusion=0.05, random_state=0)
    b = simulate(get_system("Rossler"), n_steps=200)
    assert 0 < np.abs(a[0].x - b[0].x).max() < 20
    h = simulate(get_system("Henon"), n_steps=100, diffusion=1e-3, random_state=0)
    assert np.isfinite(h[0].x).all()


def test_cache_roundtrip(tmp_path, lorenz):
    a = simulate(lorenz, n_steps=100, cache=tmp_path)
    files = list(tmp_path.glob("*.npy"))
    assert len(files) == 1
    b = simulate(lorenz, n_steps=100, cache=tmp_path)
    np.testing.assert_array_equal(a[0].x, b[0].x)
    simulate(lorenz.with_params(rho=20.0), n_steps=100, cache=tmp_path)
    assert len(list(tmp_path.glob("*.npy"))) == 2
    assert not list(tmp_path.glob("*.tmp"))


def test_lti_system_simulation():
    sys = random_lti(4, 2, 3, spectral_radius=0.7, random_state=0)
    u = np.random.default_rng(0).standard_normal((30, 2))
    tr = sys.simulate(u)
    x = np.zeros(4)
    for k in range(30):
        np.testing.assert_allclose(tr.x[k], sys.C @ x, atol=1e-12)
        x = sys.A @ x + sys.B @ u[k]


@pytest.mark.parametrize("kwargs, match", [
    ({"n_steps": 10, "x0": [1.0, 2.0]}, "x0 must have 3"),
    ({"n_steps": 1}, "n_steps"),
    ({"n_steps": 10, "dt": -1.0}, "dt must be a positive"),
    ({"t": [0.0, 0.2, 0.1]}, "strictly increasing"),
    ({"n_steps": 10, "observe": [5]}, "out of range"),
    ({"n_steps": 10, "observe": "x"}, "observe must be"),
    ({"n_steps": 10, "diffusion": [-1.0, 0, 0]}, "diffusion"),
    ({}, "n_steps"),
])
def test_bad_input_raises_validation_error(lorenz, kwargs, match):
    with pytest.raises(ValidationError, match=match):
        simulate(lorenz, **kwargs)


def test_map_needs_integer_dt_and_system_type():
    with pytest.raises(ValidationError, match="whole number"):
        simulate(get_system("Henon"), n_steps=10, dt=0.5)
    with pytest.raises(ValidationError, match="needs a System"):
        simulate("Lorenz", n_steps=10)


def test_blow_up_is_reported():
    with pytest.raises(NumericalError, match="non-finite|underflowed"):
        simulate(get_system("Lorenz"), n_steps=10, x0=[1e200, 1e200, 1e200], dt=1.0)
