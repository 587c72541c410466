"""ALRNN: conformance; symbolic code; exact fixed points and cycles (hand-built and learned,
checked against Newton solves); the adaptive GTF schedule of Hess et al. (2023)."""

import numpy as np
import pytest
from scipy.optimize import root
from sklearn.base import clone

import lindy as ld
from lindy.neural import alrnn_map, anneal_forcing, gtf_alpha, periodic_orbits
from lindy.testing import check_estimator, conformance_data


def test_conformance_identity_readout():
    check_estimator(ld.neural.ALRNN(state_dim=4, n_relu=2, window=5, max_iter=3))


def test_conformance_linear_readout_sparse_forcing():
    check_estimator(ld.neural.ALRNN(state_dim=5, n_relu=1, observation="linear", forcing=1.0,
                                    forcing_interval=3, window=6, max_iter=2))


def test_plrnn_adaptive_and_linear_readout_conform():
    check_estimator(ld.neural.PLRNN(state_dim=3, hidden_dim=6, forcing="adaptive",
                                    observation="linear", window=5, max_iter=3))


# ---------------------------------------------------------------- hand-built maps
# unit 0 linear, z0+ = 0.5 z0 + 1 (fixed at 2); unit 1 has slope 0.5 below 0 and 0.5 - 2 = -1.5
# above, z1+ = 0.5 z1 - 2 relu(z1) + 1: fixed point 1 / 2.5 = 0.4, 2-cycle (-2/7, 6/7)
A = np.array([0.5, 0.5])
W = np.array([[0.0, 0.0], [0.0, -2.0]])
H = np.array([1.0, 1.0])


def test_hand_built_fixed_point_exact():
    (fp,) = periodic_orbits(A, W, H, P=1)
    np.testing.assert_allclose(fp.z, [[2.0, 0.4]], rtol=0, atol=1e-14)
    assert fp.regions == (1,) and not fp.stable
    np.testing.assert_allclose(np.sort(fp.eigenvalues.real), [-1.5, 0.5], atol=1e-14)
    np.testing.assert_allclose(alrnn_map(fp.z, A, W, H, 1), fp.z, atol=1e-14)


def test_hand_built_two_cycle_exact_and_stable():
    (cyc,) = periodic_orbits(A, W, H, P=1, period=2)
    np.testing.assert_allclose(cyc.z, [[2.0, -2 / 7], [2.0, 6 / 7]], rtol=0, atol=1e-14)
    assert cyc.regions == (0, 1) and cyc.stable and cyc.period == 2
    np.testing.assert_allclose(np.sort(cyc.eigenvalues.real), [-0.75, 0.25], atol=1e-14)
    # the orbit is attracting: iterating the map from nearby converges onto it
    z = np.array([[2.3, -0.1]])
    for _ in range(400):
        z = alrnn_map(z, A, W, H, 1)
    assert min(np.abs(z - cyc.z).max(axis=1)) < 1e-10
    # no 3-cycle (the second iterate is a contraction around the 2-cycle)
    assert periodic_orbits(A, W, H, P=1, period=3) == []


def test_enumerating_too_many_words_asks_for_words():
    with pytest.raises(ld.errors.ValidationError, match="words="):
        periodic_orbits(np.zeros(20), np.zeros((20, 20)), np.zeros(20), P=20, period=2)


# ---------------------------------------------------------------- a model trained on Lorenz
@pytest.fixture(scope="module")
def lorenz():
    x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=3000, dt=0.01,
                            transient=500, random_state=0)[0].x
    model = ld.neural.ALRNN(state_dim=8, n_relu=2, window=20, batch_size=32, max_iter=8,
                            learning_rate=3e-3, patience=None).fit(x)
    return model, x


def test_symbolic_code_visits_regions_with_a_cycle(lorenz):
    model, x = lorenz
    code = model.symbolic_code(x[:1000], n_steps=1000)
    assert code.codes.shape == (2000,)
    assert len(code.regions) >= 2 and code.has_cycle()
    assert code.counts.sum() == 1999
    np.testing.assert_allclose(code.transition_matrix.sum(axis=1)[code.counts.sum(axis=1) > 0], 1.0)


def _learned_map(model):
    s = model.state_dict_
    return lambda z: alrnn_map(z, s["A"], s["W"], s["h"], model.n_relu_)[0]


def test_enumerated_fixed_points_agree_with_newton(lorenz):
    model, x = lorenz
    F = _learned_map(model)
    fps = model.fixed_points()
    assert len(fps) >= 1
    for fp in fps:
        np.testing.assert_allclose(F(fp.z[0]), fp.z[0], atol=1e-10)
        sol = root(lambda z: F(z) - z, fp.z[0] + 1e-4, tol=1e-13)
        assert sol.success
        np.testing.assert_allclose(sol.x, fp.z[0], atol=1e-8)
        J = model.jacobian(fp.z)[0]
        np.testing.assert_allclose(np.sort_complex(np.linalg.eigvals(J)), np.sort_complex(fp.eigenvalues))
    # every root Newton finds from states along the data is one of the enumerated points
    rng = np.random.default_rng(0)
    found = 0
    for z0 in model.latent_states(x[:2000])[rng.choice(2000, 30, replace=False)]:
        sol = root(lambda z: F(z) - z, z0, tol=1e-13)
        if sol.success and np.abs(F(sol.x) - sol.x).max() < 1e-9:
            found += 1
            assert min(np.abs(sol.x - fp.z[0]).max() for fp in fps) < 1e-7
    assert found >= 1


def test_enumerated_cycles_agree_with_newton_on_a_random_map():
    # a random AL-RNN (M = 4, P = 3) with four fixed points and two 2-cycles
    rng = np.random.default_rng(12)
    a, w, h = rng.uniform(-0.5, 0.9, 4), rng.normal(0, 1.0, (4, 4)), rng.normal(0, 1, 4)

    def F(z):
        return alrnn_map(z, a, w, h, 3)[0]

    fixed = periodic_orbits(a, w, h, P=3)
    cycles = periodic_orbits(a, w, h, P=3, period=2)
    assert len(fixed) == 4 and len(cycles) == 2
    points = np.concatenate([c.z for c in cycles])
    for c in cycles:
        np.testing.assert_allclose(F(c.z[0]), c.z[1], atol=1e-10)
        np.testing.assert_allclose(F(c.z[1]), c.z[0], atol=1e-10)
        assert np.abs(c.z[0] - c.z[1]).max() > 1e-6
    hits = 0
    for z0 in rng.normal(0, 3, (200, 4)):
        sol = root(lambda z: F(F(z)) - z, z0, tol=1e-13)
        if not (sol.success and np.abs(F(F(sol.x)) - sol.x).max() < 1e-9):
            continue
        if np.abs(F(sol.x) - sol.x).max() < 1e-9:       # a fixed point
            assert min(np.abs(sol.x - fp.z[0]).max() for fp in fixed) < 1e-7
        else:
            hits += 1
            assert np.abs(points - sol.x).max(axis=1).min() < 1e-7
    assert hits >= 1


# ---------------------------------------------------------------- the adaptive schedule
def test_gtf_alpha_follows_its_definition():
    # geometric means 2 and 1.5: G = 2, alpha = 1 - 1/2
    assert gtf_alpha([[1.0, 4.0], [1.5, 1.5]]) == pytest.approx(0.5)
    assert gtf_alpha([[0.9, 0.8]]) == 0.0
    assert anneal_forcing(0.3, 0.6, 0.99) == 0.6
    assert anneal_forcing(0.6, 0.2, 0.75) == pytest.approx(0.5)
    with pytest.raises(ld.errors.ValidationError):
        gtf_alpha([1.0, 2.0])


def test_adaptive_estimate_of_a_hand_built_model():
    # one unit, slope 0.5 + 1.5 = 2 above 0 and 0.5 below: a sequence staying positive has G = 2,
    # one alternating has G = 1; the batch's largest gives alpha = 1/2
    import torch

    model = ld.neural.ALRNN(state_dim=1, n_relu=1, window=4, max_iter=1).fit(np.sin(np.arange(30.0)))
    model.state_dict_ = {"A": np.array([0.5]), "W": np.array([[1.5]]), "h": np.array([0.0])}
    del model._cache_module
    states = torch.tensor([[[1.0], [2.0], [3.0]], [[1.0], [-1.0], [1.0]]], dtype=torch.float64)
    assert model._alpha_estimate(model._module, states) == pytest.approx(0.5)


def test_adaptive_forcing_stays_in_unit_interval_and_is_seeded():
    x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=800, dt=0.01,
                            random_state=1)[0].x
    est = ld.neural.ALRNN(state_dim=6, n_relu=2, window=10, batch_size=8, max_iter=2,
                          forcing_decay=0.5)
    a, b = clone(est).fit(x), clone(est).fit(x)
    assert len(a.forcing_history_) >= 5
    assert np.all((a.forcing_history_ >= 0) & (a.forcing_history_ <= 1))
    assert a.forcing_ == a.forcing_history_[-1]
    np.testing.assert_array_equal(a.forcing_history_, b.forcing_history_)
    for k in a.state_dict_:
        np.testing.assert_array_equal(a.state_dict_[k], b.state_dict_[k])


def test_n_relu_larger_than_the_latent_dimension_is_a_clear_error():
    with pytest.raises(ld.errors.ValidationError, match="n_relu"):
        ld.neural.ALRNN(state_dim=2, n_relu=3, max_iter=1).fit(conformance_data())
