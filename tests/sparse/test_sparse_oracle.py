"""Oracle tests: lindy.sparse equals pysindy 2.x on identical settings."""

import numpy as np
import pysindy as ps
import pytest

import lindy as ld

DT = 0.01


@pytest.fixture(scope="module")
def lorenz():
    return ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=5000, dt=DT, n_traj=2,
                               random_state=0)


def _pysindy(derivative, degree=2, threshold=0.1):
    return ps.SINDy(optimizer=ps.STLSQ(threshold=threshold),
                    feature_library=ps.PolynomialLibrary(degree=degree),
                    differentiation_method=derivative)


def test_stlsq_finite_difference_equals_pysindy(lorenz):
    x = lorenz[0].x
    ours = ld.sparse.SINDy(library=ld.sparse.PolynomialLibrary(2), threshold=0.1).fit(lorenz[0])
    theirs = _pysindy(ps.FiniteDifference()).fit(x, t=DT)
    assert ours.feature_names_ == theirs.get_feature_names()
    np.testing.assert_allclose(ours.coef_, theirs.coefficients(), rtol=0, atol=1e-6)
    assert np.array_equal(ours.coef_ != 0, theirs.coefficients() != 0)


def test_degree_three_and_several_trajectories_equal_pysindy(lorenz):
    ours = ld.sparse.SINDy(library=ld.sparse.PolynomialLibrary(3), threshold=0.1).fit(lorenz)
    theirs = _pysindy(ps.FiniteDifference(), degree=3).fit([tr.x for tr in lorenz], t=DT)
    assert ours.feature_names_ == theirs.get_feature_names()
    np.testing.assert_allclose(ours.coef_, theirs.coefficients(), rtol=0, atol=1e-6)


def test_smoothed_finite_difference_equals_pysindy(lorenz):
    x = lorenz[0].x
    ours = ld.sparse.SINDy(derivative="smoothed").fit(lorenz[0])
    theirs = _pysindy(ps.SmoothedFiniteDifference()).fit(x, t=DT)
    np.testing.assert_allclose(ours.coef_, theirs.coefficients(), rtol=0, atol=1e-6)


def test_finite_difference_equals_pysindy_at_the_ends():
    t = np.sort(np.random.default_rng(0).uniform(0, 3, 40))
    x = np.c_[np.sin(t), t ** 3]
    np.testing.assert_allclose(ld.sparse.finite_difference(x, t),
                               ps.FiniteDifference()._differentiate(x, t), rtol=1e-12, atol=1e-12)


def test_library_names_equal_pysindy():
    names = ["x0", "x1"]
    lib = ld.sparse.PolynomialLibrary(3, include_interaction=False)
    ref = ps.PolynomialLibrary(degree=3, include_interaction=False).fit(np.ones((3, 2)))
    assert lib.feature_names(names) == ref.get_feature_names()
    Z = np.random.default_rng(1).standard_normal((7, 2))
    np.testing.assert_allclose(lib.transform(Z), ref.transform(Z), rtol=1e-14)


@pytest.mark.parametrize("penalty", ["l0", "l1"])
def test_sr3_equals_pysindy(lorenz, penalty):
    """pysindy's SR3 weight: lam = threshold^2 / (2 nu) (L0) or threshold / nu (L1)."""
    nu, threshold = 1e-2, 0.5
    lam = threshold ** 2 / (2 * nu) if penalty == "l0" else threshold / nu
    opt = ps.SR3(reg_weight_lam=lam, regularizer=penalty.upper(), relax_coeff_nu=nu, unbias=True,
                 max_iter=10000, tol=1e-12)
    theirs = ps.SINDy(optimizer=opt, feature_library=ps.PolynomialLibrary(degree=2),
                      differentiation_method=ps.FiniteDifference()).fit(lorenz[0].x, t=DT)
    ours = ld.sparse.SINDy(solver="sr3", penalty=penalty, threshold=threshold, nu=nu).fit(lorenz[0])
    assert np.array_equal(ours.coef_ != 0, theirs.coefficients() != 0)
    np.testing.assert_allclose(ours.coef_, theirs.coefficients(), rtol=0, atol=1e-6)
