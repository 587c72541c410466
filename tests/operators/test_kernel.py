"""KernelEDMD: every solver gives the same estimator; agreement with kooplearn."""

import warnings

import numpy as np
import pytest

import lindy as ld
from lindy.errors import ValidationError
from lindy.operators import KernelEDMD, kernel_matrix
from lindy.testing import check_estimator, conformance_data


@pytest.mark.parametrize("est", [
    KernelEDMD(rank=5),
    KernelEDMD(rank=5, reduced_rank=False, solver="arpack"),
    KernelEDMD(rank=4, solver="randomized", kernel="matern52"),
    KernelEDMD(rank=4, solver="nystrom", n_centers=60, residual_tol=0.9),
])
def test_conformance(est):
    check_estimator(est)


@pytest.mark.parametrize("reduced_rank", [True, False])
def test_solvers_agree(reduced_rank):
    data = conformance_data()
    ref = KernelEDMD(rank=5, reduced_rank=reduced_rank, solver="dense", length_scale=1.0).fit(data)
    for solver in ("arpack", "randomized"):
        m = KernelEDMD(rank=5, reduced_rank=reduced_rank, solver=solver, length_scale=1.0).fit(data)
        np.testing.assert_allclose(m.eigenvalues_, ref.eigenvalues_, atol=1e-6)
        np.testing.assert_allclose(m.predict(data[0].x), ref.predict(data[0].x), atol=1e-5)
    # Nystrom with every sample as a centre is the exact estimator
    nys = KernelEDMD(rank=5, reduced_rank=reduced_rank, solver="nystrom", length_scale=1.0,
                     n_centers=10_000).fit(data)
    np.testing.assert_allclose(nys.eigenvalues_, ref.eigenvalues_, atol=1e-6)


def test_pcr_is_truncated_kernel_ridge():
    x = conformance_data()[2].x
    m = KernelEDMD(rank=6, reduced_rank=False, solver="dense", length_scale=1.0, alpha=1e-4).fit(x)
    K = kernel_matrix(x[:-1], x[:-1], "rbf", 1.0)
    d, Q = np.linalg.eigh(K)
    d, Q = d[::-1][:6], Q[:, ::-1][:, :6]
    q = x[10:13]
    ref = kernel_matrix(q, x[:-1], "rbf", 1.0) @ (Q / (d + len(K) * 1e-4)) @ Q.T @ x[1:]
    np.testing.assert_allclose(m.predict(q), ref, atol=1e-10)


@pytest.mark.parametrize("reduced_rank", [True, False])
def test_eigenvalues_match_kooplearn(reduced_rank):
    import kooplearn.kernel as kl  # the oracle: fails, never skips, when missing
    x = conformance_data()[2].x
    ours = KernelEDMD(rank=5, solver="dense", reduced_rank=reduced_rank,
                      length_scale=1.0, alpha=1e-4).fit(x)
    with warnings.catch_warnings():  # kooplearn warns about small singular values
        warnings.simplefilter("ignore")
        theirs = kl.KernelRidge(n_components=5, kernel="rbf", gamma=0.5, alpha=1e-4,
                                reduced_rank=reduced_rank, eigen_solver="dense").fit(x)
    np.testing.assert_allclose(np.sort_complex(ours.eigenvalues_), np.sort_complex(theirs.eig()),
                               atol=1e-8)


def test_ragged_trajectories_use_sub_blocks():
    data = conformance_data()
    m = KernelEDMD(rank=3, solver="dense").fit(data)
    # same model from an explicit list of arrays
    m2 = KernelEDMD(rank=3, solver="dense").fit([tr.x for tr in data])
    np.testing.assert_allclose(m.eigenvalues_, m2.eigenvalues_)
    assert m.dual_coef_.shape[0] == sum(n - 1 for n in data.lengths)


def test_callable_kernel_and_errors():
    data = conformance_data()
    lin = KernelEDMD(kernel=lambda X, Y: X @ Y.T, rank=2, solver="dense").fit(data)
    dmd = ld.operators.DMD(rank=2).fit(data)
    assert np.all(np.abs(np.abs(lin.eigenvalues_) - np.abs(dmd.eigenvalues_)) < 0.05)
    with pytest.raises(ValidationError, match="solver"):
        KernelEDMD(solver="eig").fit(data)
    with pytest.raises(ValidationError, match="kernel"):
        KernelEDMD(kernel="cosine").fit(data)
    with pytest.raises(ValidationError, match="alpha"):
        KernelEDMD(alpha=0.0, solver="dense").fit(data)


def test_left_eigenfunctions_agree_between_dual_and_nystrom():
    data = conformance_data()
    x = data[0].x[:30]
    dual = KernelEDMD(rank=4, reduced_rank=False, solver="dense", length_scale=1.0).fit(data)
    nys = KernelEDMD(rank=4, reduced_rank=False, solver="nystrom", n_centers=10_000,
                     length_scale=1.0).fit(data)
    for m in (dual, nys):
        assert m.left_eigenfunctions(x).shape == (30, 4)
    # same functions up to a scale per eigenpair
    a, b = dual.left_eigenfunctions(x), nys.left_eigenfunctions(x)
    ratio = a / b
    np.testing.assert_allclose(ratio, np.broadcast_to(ratio[:1], ratio.shape), rtol=1e-5)


def test_fitted_model_is_a_saved_value_and_a_callable_kernel_is_refused(tmp_path):
    data = conformance_data()
    model = KernelEDMD(rank=4, solver="dense").fit(data)
    model.save(tmp_path / "k.lindy")
    again = ld.load(tmp_path / "k.lindy")
    np.testing.assert_array_equal(again.eigenvalues_, model.eigenvalues_)
    assert type(again.model_) is type(model.model_)
    custom = KernelEDMD(kernel=lambda X, Y: (1.0 + X @ Y.T) ** 2, rank=4).fit(data)
    with pytest.raises(ValidationError, match="function"):
        custom.save(tmp_path / "c.lindy")
