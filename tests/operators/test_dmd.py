"""DMD: exact/projected modes, TLS, Gram route, and agreement with PyDMD and kooplearn."""

import warnings

import numpy as np
import pytest
from operator_helpers import check_all_but_complex_exactness

import lindy as ld
from lindy.errors import ValidationError
from lindy.operators._analysis import modes as modes_of


def _noisy_linear(d=8, T=400, seed=0, noise=0.1):
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.standard_normal((d, d)))[0]
    D = np.diag(np.concatenate([[0.99, 0.95], rng.uniform(0.5, 0.9, d - 2)]))
    D[:2, :2] = 0.98 * np.array([[np.cos(0.3), -np.sin(0.3)], [np.sin(0.3), np.cos(0.3)]])
    A = Q @ D @ Q.T
    x = np.empty((T, d))
    x[0] = rng.standard_normal(d)
    for k in range(T - 1):
        x[k + 1] = A @ x[k] + noise * rng.standard_normal(d)
    return x, A


def _sorted(lam):
    lam = np.asarray(lam, dtype=complex)
    return lam[np.lexsort((lam.imag.round(9), lam.real.round(9)))]


@pytest.mark.parametrize("est", [
    ld.operators.DMD(),
    ld.operators.DMD(rank=2, exact=False),
    ld.operators.DMD(rank=0.99, tls_rank=2),
    ld.operators.DMD(solver="svd"),
    ld.operators.DMD(solver="gram"),
])
def test_conformance(est):
    check_all_but_complex_exactness(est)


@pytest.mark.parametrize("solver", ["svd", "gram", "auto"])
def test_routes_agree(solver):
    x, _ = _noisy_linear()
    ref = ld.operators.DMD(rank=5, solver="svd").fit(x)
    model = ld.operators.DMD(rank=5, solver=solver).fit(x)
    np.testing.assert_allclose(model.eigenvalues_, ref.eigenvalues_, atol=1e-10)
    fc = model.forecast(x[:1], horizon=10).x
    np.testing.assert_allclose(fc, ref.forecast(x[:1], horizon=10).x, atol=1e-9)


def test_projected_and_exact_modes_reconstruct_operator():
    x, _ = _noisy_linear(noise=0.0)
    for exact in (True, False):
        m = ld.operators.DMD(exact=exact).fit(x)
        Phi, lam = m.modes_, m.eigenvalues_
        # A Phi = Phi diag(lam) for both kinds of modes in the full-rank case
        np.testing.assert_allclose(m.operator_ @ Phi, Phi * lam, atol=1e-8)


def test_modal_expansion_matches_forecast():
    x, _ = _noisy_linear()
    m = ld.operators.DMD(rank=4).fit(x)
    ctx = x[:1]
    phi = m.eigenfunctions(ctx)[0]
    k = 5
    modes = modes_of(m.model_, m.model_.C)  # the modes of the next-step decoder
    expansion = (modes * (phi * m.eigenvalues_**k)).sum(axis=1).real
    np.testing.assert_allclose(expansion, m.forecast(ctx, horizon=k).x[-1], atol=1e-10)


def test_tls_removes_noise_bias():
    rng = np.random.default_rng(1)
    lam = np.exp(0.05j * 2 * np.pi)
    A = np.array([[lam.real, -lam.imag], [lam.imag, lam.real]])
    x = np.empty((2000, 2))
    x[0] = [1.0, 0.0]
    for k in range(1999):
        x[k + 1] = A @ x[k]
    y = x + 0.3 * rng.standard_normal(x.shape)
    plain = np.abs(ld.operators.DMD(rank=2).fit(y).eigenvalues_)
    tls = np.abs(ld.operators.DMD(rank=2, tls_rank=2).fit(y).eigenvalues_)
    assert np.abs(tls - 1).max() < 0.3 * np.abs(plain - 1).max()


def test_multiple_trajectories_never_cross():
    A = np.array([[0.8, 0.1], [0.0, 0.5]])
    trajs = []
    for x0 in ([1.0, 2.0], [-3.0, 0.5]):
        x = np.empty((6, 2))
        x[0] = x0
        for k in range(5):
            x[k + 1] = A @ x[k]
        trajs.append(x)
    m = ld.operators.DMD().fit(trajs)
    np.testing.assert_allclose(m.operator_, A, atol=1e-12)


def test_bad_params():
    x, _ = _noisy_linear()
    with pytest.raises(ValidationError, match="solver"):
        ld.operators.DMD(solver="qr").fit(x)
    with pytest.raises(ValidationError, match="rank"):
        ld.operators.DMD(rank=-1).fit(x)
    with pytest.raises(ValidationError, match="tls_rank"):
        ld.operators.DMD(tls_rank=0).fit(x)


def test_forecast_observable():
    x, _ = _noisy_linear(noise=0.0)
    m = ld.operators.DMD().fit(x)
    g = m.forecast_observable(x[:1], 4, lambda X: X[:, :2].sum(axis=1))
    np.testing.assert_allclose(g[:, 0], m.forecast(x[:1], 4).x[:, :2].sum(axis=1), atol=1e-8)


def test_matches_pydmd_and_kooplearn():
    """Oracle (d): same eigenvalues as PyDMD and kooplearn on the same data to 1e-8."""
    import kooplearn.linear_model as kl  # the oracle: fails, never skips, when missing
    import pydmd  # the oracle: fails, never skips, when missing
    x, _ = _noisy_linear(d=10, T=600, seed=3)
    for r in (4, 7, 10):
        ours = _sorted(ld.operators.DMD(rank=r).fit(x).eigenvalues_)
        theirs = _sorted(pydmd.DMD(svd_rank=r, exact=True).fit(x.T).eigs)
        np.testing.assert_allclose(ours, theirs, atol=1e-8)
        koop = kl.Ridge(n_components=r, reduced_rank=False, alpha=None, eigen_solver="dense").fit(x)
        np.testing.assert_allclose(ours, _sorted(koop.eig()), atol=1e-8)


def test_int_rank_above_the_data_rank_warns_and_says_how_many_were_kept():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 4)) @ rng.standard_normal((4, 20))  # rank-4 snapshots
    for solver in ("svd", "gram", "auto"):
        with pytest.warns(ld.errors.RankWarning, match="rank=14.*only 4"):
            model = ld.operators.DMD(rank=14, solver=solver).fit(x)
        assert model.eigenvalues_.shape == (4,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ld.operators.DMD(rank=4).fit(x)
        ld.operators.DMD().fit(x)
