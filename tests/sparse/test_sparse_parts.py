"""Libraries, solvers, derivatives, inputs, ragged data and saving of lindy.sparse."""

import os

import numpy as np
import pytest

import lindy as ld
from lindy.errors import ValidationError
from lindy.sparse import (
    CustomLibrary,
    FourierLibrary,
    PolynomialLibrary,
    SINDy,
    SINDyc,
    constrained_lstsq,
    sr3,
    stlsq,
)
from lindy.sparse._libraries import evaluate_terms
from lindy.sparse._regression import regression_problem

DT = 0.01


@pytest.fixture(scope="module")
def lorenz():
    return ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=3000, dt=DT, n_traj=2,
                               random_state=1)


# ---------------------------------------------------------------- libraries
def test_combined_libraries_terms_names_and_values_agree():
    lib = PolynomialLibrary(2) * FourierLibrary(1) + FourierLibrary(2)
    Z = np.random.default_rng(0).standard_normal((9, 2))
    names = lib.feature_names(["a", "b"])
    assert len(names) == lib.n_terms(2) == 6 * 4 + 8
    assert names[:3] == ["sin(a)", "cos(a)", "sin(b)"] and "a b cos(b)" in names
    np.testing.assert_allclose(evaluate_terms(lib.terms(2), Z), lib.transform(Z), rtol=1e-14)
    col = names.index("a^2 sin(b)")
    np.testing.assert_allclose(lib.transform(Z)[:, col], Z[:, 0] ** 2 * np.sin(Z[:, 1]))


def test_custom_library_and_bad_combinations():
    lib = PolynomialLibrary(1) + CustomLibrary([np.exp, np.tanh], ["exp({})", "tanh({})"])
    assert lib.feature_names(["x"]) == ["1", "x", "exp(x)", "tanh(x)"]
    assert lib.terms(1) is None
    with pytest.raises(ValidationError, match="libraries"):
        PolynomialLibrary(2) + 3
    with pytest.raises(ValidationError, match="format"):
        CustomLibrary([np.exp], ["exp"])
    with pytest.raises(ValidationError, match="degree"):
        PolynomialLibrary(-1)


def test_compiled_field_equals_the_python_field_for_mixed_libraries(lorenz):
    lib = PolynomialLibrary(1) + PolynomialLibrary(1, include_bias=False) * FourierLibrary(1)
    sindy = SINDy(library=lib, threshold=0.01).fit(lorenz)
    system = sindy.to_system()
    x = lorenz[0].x[::100]
    np.testing.assert_allclose(np.array([system(xi) for xi in x]), sindy.model_(x),
                               rtol=1e-12, atol=1e-9)


def test_custom_library_fits_forecasts_but_neither_compiles_nor_saves(lorenz, tmp_path):
    lib = PolynomialLibrary(2) + CustomLibrary([np.tanh])
    sindy = SINDy(library=lib, threshold=0.1).fit(lorenz)
    ref = SINDy(threshold=0.1).fit(lorenz)
    np.testing.assert_allclose(sindy.coef_[:, :10], ref.coef_, atol=0.5)
    fc = sindy.forecast(lorenz[0][:50], horizon=5)
    assert np.all(np.isfinite(fc.x)) and np.abs(fc.x - lorenz[0].x[50:55]).max() < 0.1
    with pytest.raises(ValidationError, match="CustomLibrary"):
        sindy.to_system()
    with pytest.raises(ValidationError, match="function"):
        sindy.save(os.path.join(tmp_path, "m.lindy"))


def test_save_load_keeps_equations_and_compiled_system(lorenz, tmp_path):
    sindy = SINDy(library=PolynomialLibrary(2) + FourierLibrary(1), threshold=0.2).fit(lorenz)
    path = os.path.join(tmp_path, "s.lindy")
    sindy.to_system()
    sindy.save(path)
    again = ld.load(path)
    assert again.equations() == sindy.equations()
    np.testing.assert_array_equal(again.to_system().param_array, sindy.to_system().param_array)


# ------------------------------------------------------------------ solvers
@pytest.mark.parametrize("penalty", ["l0", "l1"])
def test_sr3_recovers_the_lorenz_support(lorenz, penalty):
    sindy = SINDy(solver="sr3", penalty=penalty, threshold=0.5, nu=1e-3).fit(lorenz)
    ref = SINDy().fit(lorenz)
    assert np.array_equal(sindy.coef_ != 0, ref.coef_ != 0)
    np.testing.assert_allclose(sindy.coef_, ref.coef_, rtol=1e-8, atol=1e-8)


def test_equality_constraints_hold_in_every_solver(lorenz):
    C = np.zeros((1, 30))
    C[0, 1], C[0, 2] = 1.0, 1.0  # x0' : coef(x0) + coef(x1) = 0
    for solver in ("stlsq", "sr3", "lstsq"):
        sindy = SINDy(solver=solver, constraints=(C, [0.0]), nu=1e-3, threshold=0.5).fit(lorenz)
        assert abs(sindy.coef_[0, 1] + sindy.coef_[0, 2]) < 1e-8
        assert abs(sindy.coef_[0, 1] + 10.0) < 0.1
    with pytest.raises(ValidationError, match="constraints"):
        SINDy(constraints=(np.zeros((1, 7)), [0.0])).fit(lorenz)


def test_solvers_on_exact_sparse_data():
    rng = np.random.default_rng(3)
    Theta = rng.standard_normal((300, 8))
    Xi = np.zeros((2, 8))
    Xi[0, [1, 4]] = 1.5, -0.7
    Xi[1, 6] = 2.0
    Y = Theta @ Xi.T
    np.testing.assert_allclose(stlsq(Theta, Y, 0.1), Xi, atol=1e-12)
    np.testing.assert_allclose(sr3(Theta, Y, 0.1, nu=0.1), Xi, atol=1e-12)
    np.testing.assert_allclose(sr3(Theta, Y, 0.1, penalty="l1", nu=0.1), Xi, atol=1e-12)
    np.testing.assert_allclose(constrained_lstsq(Theta, Y), Xi, atol=1e-12)


# -------------------------------------------------------- data handling
def test_derivatives_never_cross_trajectories(lorenz):
    a, b = lorenz[0][:1000], lorenz[1][:700]
    both = SINDy().fit(ld.data.TrajectorySet([a, b]))
    Ta, Ya = regression_problem(ld.data.TrajectorySet([a]), PolynomialLibrary(2))
    Tb, Yb = regression_problem(ld.data.TrajectorySet([b]), PolynomialLibrary(2))
    np.testing.assert_allclose(both.coef_, stlsq(np.vstack([Ta, Tb]), np.vstack([Ya, Yb])),
                               rtol=1e-10, atol=1e-10)
    glued = SINDy().fit(np.vstack([a.x, b.x]), t=DT * np.arange(1700))
    assert not np.allclose(glued.coef_, both.coef_, atol=1e-3)


def test_irregular_times_with_finite_differences(lorenz):
    rng = np.random.default_rng(0)
    keep = np.sort(rng.choice(3000, 2200, replace=False))
    tr = lorenz[0]
    sindy = SINDy().fit(tr.x[keep], t=tr.t[keep])
    assert sindy.dt_ is None
    ref = SINDy().fit(tr)
    assert np.array_equal(sindy.coef_ != 0, ref.coef_ != 0)
    with pytest.raises(ValidationError, match="uniformly"):
        SINDy(derivative="savgol").fit(tr.x[keep], t=tr.t[keep])
    with pytest.raises(ValidationError, match="uniformly"):
        SINDy(discrete_time=True).fit(tr.x[keep], t=tr.t[keep])


def test_bad_settings_are_validation_errors(lorenz):
    with pytest.raises(ValidationError, match="discrete_time"):
        SINDy(discrete_time=True, derivative="weak").fit(lorenz)
    with pytest.raises(ValidationError, match="'solver'"):
        SINDy(solver="lasso").fit(lorenz)
    with pytest.raises(ValidationError, match="SINDyc"):
        SINDy().fit(lorenz[0].x, u=np.zeros((3000, 1)))
    with pytest.raises(ld.errors.NotFittedError):
        SINDy().equations()
    with pytest.raises(ValidationError, match="too short"):
        SINDy(derivative="weak").fit([lorenz[0].x, lorenz[1].x[:3]])


# ------------------------------------------------------------------ inputs
def test_sindyc_discrete_and_continuous():
    data = ld.testing.linear_input_data()
    disc = SINDyc(library=PolynomialLibrary(1)).fit(data)
    assert disc.feature_names_ == ["1", "x0", "x1", "u0"]
    # continuous time: a forced linear oscillator sampled finely with smooth inputs
    t = np.arange(0, 20, 0.005)
    u = np.sin(0.7 * t)[:, None]
    A, B = np.array([[0.0, 1.0], [-2.0, -0.3]]), np.array([0.0, 1.0])
    sol = ld.systems.simulate(ld.systems.System(
        "forced", 2, {"w": 0.7}, x0=[1.0, 0.0], dt=0.005,
        rhs=_forced_rhs), t=t)[0].x
    cont = SINDyc(discrete_time=False, derivative="weak").fit(sol, t=t, u=u)
    np.testing.assert_allclose(cont.coef_[:, 1:4], np.c_[A, B], atol=2e-3)
    assert np.count_nonzero(cont.coef_) == 4
    system = cont.to_system(u=[0.5])
    np.testing.assert_allclose(system(np.array([1.0, 2.0])), A @ [1.0, 2.0] + 0.5 * B, atol=1e-2)
    with pytest.raises(ValidationError, match="input"):
        cont.to_system()
    ctx = ld.data.Trajectory(t=t[:2000], x=sol[:2000], u=u[:2000])
    fc = cont.forecast(ctx, horizon=20, u=u[2000:2020])
    np.testing.assert_allclose(fc.x, sol[2000:2020], atol=1e-3)


def _forced_rhs(t, x, p):
    return np.array([x[1], -2.0 * x[0] - 0.3 * x[1] + np.sin(p[0] * t)])


def test_discrete_time_system_steps_by_iterations():
    data = ld.testing.conformance_data()
    sindy = SINDy(discrete_time=True).fit(data)
    system = sindy.to_system()
    assert system.kind == "map" and system.dt == 1.0
    assert system.meta["sampling_interval"] == pytest.approx(0.1)
    sim = ld.systems.simulate(system, n_steps=8, x0=data[1].x[-1])[0].x
    np.testing.assert_allclose(sim[1:], sindy.forecast(data[1], horizon=7).x, rtol=1e-12, atol=1e-12)


def test_fitted_model_is_a_value_and_predict_is_one_integrated_step(lorenz):
    sindy = SINDy().fit(lorenz)
    with pytest.raises(ValueError):
        sindy.coef_[0, 0] = 1.0
    with pytest.raises(AttributeError):
        sindy.model_.coef = None
    ctx = lorenz[0][:20]
    pred = sindy.predict(ctx)
    sim = ld.systems.simulate(sindy.to_system(), n_steps=2, dt=DT, x0=ctx.x, n_traj=20)
    np.testing.assert_allclose(pred, np.array([tr.x[1] for tr in sim]), rtol=1e-12, atol=1e-12)
    assert sindy.model_.equations(precision=1)[0] == "x0' = -10.0 x0 + 10.0 x1"
