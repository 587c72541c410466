"""EDMD: dictionaries, PCR/RRR, eigenfunctions, observables; Williams et al. oracle."""

import numpy as np
import pytest

import lindy as ld
from lindy.errors import ValidationError
from lindy.operators import EDMD, RBF, Delay, Function, Polynomial, RandomFourier
from lindy.testing import check_estimator

J = np.array([[0.9, -0.1], [0.0, 0.8]])


def _linear_trajs(n=200, T=6, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        x = np.empty((T, 2))
        x[0] = rng.standard_normal(2)
        for k in range(T - 1):
            x[k + 1] = J @ x[k]
        out.append(x)
    return out


@pytest.mark.parametrize("est", [
    EDMD(),
    EDMD(Polynomial(3), rank=6, reduced_rank=True, alpha=1e-8),
    EDMD(RBF(20) + Polynomial(1), rank=0.999),
    EDMD(Delay(3) + Polynomial(1, include_bias=False), rank=5),
    EDMD(RandomFourier(30), reduced_rank=True, rank=8, residual_tol=0.5),
])
def test_conformance(est):
    check_estimator(est)


def test_callable_dictionary_passes_every_check_but_cannot_be_saved(tmp_path):
    est = EDMD(np.tanh)
    data = ld.testing.conformance_data()
    for name, check in ld.testing.checks():
        if name != "check_save_load":
            check(est, data)
    with pytest.raises(ValidationError, match="dictionary"):
        est.fit(data).save(tmp_path / "model.lindy")


@pytest.mark.parametrize("reduced_rank", [False, True])
def test_williams_2015_linear_example(reduced_rank):
    """Oracle (a): EDMD with a polynomial dictionary gives the products of 0.9 and 0.8."""
    model = EDMD(Polynomial(4), reduced_rank=reduced_rank).fit(_linear_trajs())
    lam = np.sort(model.eigenvalues_.real)[::-1]
    want = [1.0, 0.9, 0.81, 0.8, 0.729, 0.72, 0.6561, 0.648, 0.64]
    np.testing.assert_allclose(lam[:9], want, atol=1e-7)
    np.testing.assert_allclose(model.eigenvalues_.imag, 0.0, atol=1e-7)
    assert model.n_dictionary_features_ == 15


def test_eigenfunctions_evolve_by_eigenvalues():
    model = EDMD(Polynomial(3)).fit(_linear_trajs())
    x = np.random.default_rng(5).standard_normal((50, 2))
    phi0 = model.eigenfunctions(x)
    phi1 = model.eigenfunctions(x @ J.T)
    np.testing.assert_allclose(phi1, phi0 * model.eigenvalues_, atol=1e-9)
    left = model.left_eigenfunctions(x)
    assert left.shape == phi0.shape


def test_forecast_state_and_observable():
    trajs = _linear_trajs()
    model = EDMD(Polynomial(2)).fit(trajs)
    x0 = np.array([[0.7, -0.4]])
    fc = model.forecast(x0, horizon=5).x
    truth = np.array([np.linalg.matrix_power(J, k) @ x0[0] for k in range(1, 6)])
    np.testing.assert_allclose(fc, truth, atol=1e-10)
    g = model.forecast_observable(x0, 5, lambda X: X[:, 0] * X[:, 1])
    np.testing.assert_allclose(g[:, 0], truth[:, 0] * truth[:, 1], atol=1e-10)


def test_continuous_eigenvalues_and_stability():
    model = EDMD(Polynomial(1)).fit(_linear_trajs(), t=0.5 * np.arange(6))
    ct = np.sort(model.continuous_eigenvalues_.real)
    np.testing.assert_allclose(ct, np.sort(np.log([1.0, 0.9, 0.8]) / 0.5), atol=1e-10)
    report = model.stability()
    assert report.stable and report.n_marginal == 1 and report.n_unstable == 0


def test_delay_dictionary_pairs_never_cross_trajectories():
    # two trajectories of a scalar AR(2): delays make EDMD exact
    a1, a2 = 1.5, -0.7
    trajs = []
    for x0 in ([1.0, 0.5], [-2.0, 0.3]):
        x = np.zeros(30)
        x[:2] = x0
        for k in range(2, 30):
            x[k] = a1 * x[k - 1] + a2 * x[k - 2]
        trajs.append(x[:, None])
    model = EDMD(Delay(2), rank=2).fit(trajs)
    lam = np.sort_complex(model.eigenvalues_)
    np.testing.assert_allclose(lam, np.sort_complex(np.roots([1, -a1, -a2])), atol=1e-10)
    fc = model.forecast(trajs[0][:10], horizon=5).x.ravel()
    np.testing.assert_allclose(fc, trajs[0][10:15].ravel(), atol=1e-9)
    assert np.isnan(model.predict(trajs[0])[0]).all()


def test_dictionaries_compose():
    x = np.random.default_rng(0).standard_normal((20, 2))
    d = (Polynomial(2) + RBF(5) + Function(np.sin)).fit(x)
    assert d.transform(x).shape == (20, 6 + 5 + 2)
    assert Polynomial(2).fit(x).get_feature_names_out().tolist() == \
        ["1", "x0", "x1", "x0^2", "x0 x1", "x1^2"]
    dd = (Delay(3, stride=2) + Polynomial(1)).fit(x)
    assert dd.window == 5 and dd.transform(x).shape == (16, 6 + 3)


def test_rrr_beats_pcr_at_low_rank():
    data = ld.testing.conformance_data()
    kw = {"dictionary": Polynomial(3), "rank": 3}
    pcr = EDMD(reduced_rank=False, **kw).fit(data)
    rrr = EDMD(reduced_rank=True, **kw).fit(data)
    assert rrr.score(data) >= pcr.score(data) - 1e-12


def test_bad_params():
    x = _linear_trajs(5)
    with pytest.raises(ValidationError, match="reduced_rank"):
        EDMD(reduced_rank="rrr").fit(x)
    with pytest.raises(ValidationError, match="alpha"):
        EDMD(alpha=-1.0).fit(x)
    with pytest.raises(ValidationError, match="dictionary"):
        EDMD(dictionary="poly").fit(x)
    with pytest.raises(ValidationError, match="degree"):
        EDMD(Polynomial(0)).fit(x)
    with pytest.raises(ValidationError, match="short"):
        EDMD(Delay(10)).fit([np.zeros((5, 2)) + np.arange(5)[:, None]] * 2)


@pytest.mark.slow
def test_lorenz_degree10_matches_anchors():
    """Benchmark-size agreement (no timing): degree-10 EDMD on Lorenz-63, rank 50."""
    import kooplearn.linear_model as kl  # the oracle: fails, never skips, when missing
    import pydmd  # the oracle: fails, never skips, when missing
    x = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=10_001, dt=0.01,
                            transient=2000, random_state=0)[0].x
    x = (x - x.mean(0)) / x.std(0)
    ours = EDMD(Polynomial(10), rank=50).fit(x).eigenvalues_[:10]
    F = Polynomial(10).fit(x).transform(x)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = [pydmd.DMD(svd_rank=50).fit(F.T).eigs,
                  kl.Ridge(n_components=50, reduced_rank=False, alpha=None).fit(F).eig()]
    for lam in theirs:
        assert max(np.abs(lam - z).min() for z in ours) < 1e-8


@pytest.mark.parametrize("reduced_rank", [True, False])
@pytest.mark.parametrize("alpha", [1e-6, 1e-3])
def test_rrr_and_pcr_match_kooplearn(reduced_rank, alpha):
    """The reduced-rank and PCR estimators with Tikhonov equal kooplearn's Ridge."""
    import kooplearn.linear_model as kl  # the oracle: fails, never skips, when missing
    x = ld.testing.conformance_data()[2].x
    ours = EDMD(Polynomial(3), rank=5, reduced_rank=reduced_rank, alpha=alpha).fit(x).eigenvalues_
    F = Polynomial(3).fit(x).transform(x)
    theirs = kl.Ridge(n_components=5, reduced_rank=reduced_rank, alpha=alpha,
                      eigen_solver="dense").fit(F).eig()
    key = lambda z: z[np.lexsort((z.imag.round(8), z.real.round(8)))]  # noqa: E731
    np.testing.assert_allclose(key(ours), key(theirs), atol=1e-10)


def test_left_and_right_eigenvectors_are_biorthogonal():
    model = EDMD(Polynomial(3), rank=8).fit(ld.testing.conformance_data())
    x = np.random.default_rng(0).standard_normal((40, 2))
    # values of eigenfunctions are Psi(x) xi and Psi(x) eta: recover the coefficients
    Psi = model.dictionary_.transform(x)
    xi = np.linalg.lstsq(Psi, model.eigenfunctions(x), rcond=None)[0]
    eta = np.linalg.lstsq(Psi, model.left_eigenfunctions(x), rcond=None)[0]
    P = eta.T @ xi
    off = P - np.diag(np.diag(P))
    assert np.abs(off).max() < 1e-8 * np.abs(np.diag(P)).max()
