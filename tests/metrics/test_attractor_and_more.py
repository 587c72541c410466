"""Attractor, horizon and probabilistic metrics: hand-computed values and dysts' functions."""

import dysts.metrics as dm  # the anchor: fails, never skips, when missing
import numpy as np
import pytest
from scipy.stats import multivariate_normal

import lindy as ld
from lindy import metrics as M
from lindy.metrics._attractor import _gmm_logpdf, hellinger


@pytest.fixture(scope="module")
def lorenz():
    data = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=20000, n_traj=2,
                               pts_per_period=30, random_state=0)
    return data[0].x, data[1].x


def test_smape_mse_mae_rmse_nrmse_match_dysts():
    # dysts adds eps = 1e-10 to some denominators (a regularizer, not the definition):
    # with eps = 0 both compute the same formula on the same arrays
    rng = np.random.default_rng(0)
    y, yhat = rng.standard_normal((200, 3)) + 2, rng.standard_normal((200, 3)) + 2
    assert M.smape(y, yhat) == pytest.approx(dm.smape(y, yhat, eps=0, scaled=False), abs=1e-10)
    assert M.smape(y, yhat) == pytest.approx(dm.smape(y, yhat, scaled=False), rel=1e-9)
    assert M.mse(y, yhat) == pytest.approx(dm.mse(y, yhat), abs=1e-10)
    assert M.mae(y, yhat) == pytest.approx(dm.mae(y, yhat), abs=1e-10)
    assert M.rmse(y, yhat) == pytest.approx(dm.rmse(y, yhat), abs=1e-10)
    assert M.nrmse(y, yhat) == pytest.approx(dm.nrmse(y, yhat, eps=0), abs=1e-10)
    assert M.pearson(y, yhat) == pytest.approx(dm.pearson(y, yhat), abs=1e-12)
    assert M.spearman(y, yhat) == pytest.approx(dm.spearman(y, yhat), abs=1e-12)
    assert M.mase(y, yhat, y_train=y) == pytest.approx(
        dm.mase(y, yhat, y_train=y, time_dim=0, eps=0), abs=1e-10)
    np.testing.assert_allclose(M.horizoned(M.mae, y, yhat),
                               dm.horizoned_metric(y, yhat, dm.mae), rtol=1e-12)


def test_kl_divergence_matches_dysts_on_the_same_samples(lorenz):
    # dysts.metrics.estimate_kl_divergence draws its Monte Carlo samples from p with
    # numpy's global generator; with the same seed the same samples are drawn again,
    # and lindy's D_stsp estimate at them (mean log p/q) is dysts' KL to 1e-10
    a, b = lorenz
    t, g = a[:400] / a.std(axis=0), b[1000:1400] / a.std(axis=0)
    np.random.seed(5)
    theirs = dm.estimate_kl_divergence(t, g, n_samples=300, sigma_scale=1.0)
    np.random.seed(5)
    samples = dm.GaussianMixture(t, 1.0).sample(n_samples=300)
    ours = np.mean(_gmm_logpdf(samples, t, 1.0) - _gmm_logpdf(samples, g, 1.0))
    assert ours == pytest.approx(theirs, abs=1e-10)
    assert 0.01 < theirs < 10  # a real, non-degenerate divergence


def test_hellinger_matches_dysts():
    rng = np.random.default_rng(2)
    p, q = rng.random((50, 4)), rng.random((50, 4))
    p, q = p / p.sum(axis=0), q / q.sum(axis=0)
    for i in range(4):
        assert hellinger(p[:, i], q[:, i]) == pytest.approx(
            dm.hellinger_distance(p[:, i], q[:, i]), abs=1e-10)
    assert hellinger(p[:, 0], p[:, 0]) == 0.0


def test_average_hellinger_matches_dysts(lorenz):
    a, b = lorenz
    assert M.average_hellinger(a[:4000], b[:4000]) == pytest.approx(
        dm.average_hellinger_distance(a[:4000], b[:4000]), abs=1e-10)


def test_gmm_density_matches_dysts_mixture():
    rng = np.random.default_rng(3)
    centres, pts = rng.standard_normal((40, 6)), rng.standard_normal((25, 6))
    theirs = dm.GaussianMixture(centres, 1.0)(pts)
    np.testing.assert_allclose(np.exp(_gmm_logpdf(pts, centres, 1.0)), theirs, rtol=1e-10)
    one = multivariate_normal(mean=centres[0], cov=np.eye(6)).pdf(pts)
    np.testing.assert_allclose(np.exp(_gmm_logpdf(pts, centres[:1], 1.0)), one, rtol=1e-10)


def test_binned_divergence_by_hand():
    true = np.array([[0.0], [0.0], [1.0], [1.0]])
    gen = np.array([[0.0], [0.0], [0.0], [1.0]])
    # range [0 - 0.05, 1 + 0.05] with 2 bins: true (2, 2), generated (3, 1)
    a = 1e-5
    p = (np.array([2.0, 2.0]) + a) / (4 + 2 * a)
    q = (np.array([3.0, 1.0]) + a) / (4 + 2 * a)
    assert M.dstsp_binned(true, gen, n_bins=2) == pytest.approx(np.sum(p * np.log(p / q)), rel=1e-12)


def test_dstsp_is_zero_on_itself_and_large_for_a_fixed_point(lorenz):
    a, b = lorenz
    assert M.dstsp(a, a) == 0.0
    assert M.dstsp(a, b) < 1.0                           # another orbit on the same attractor
    assert M.dstsp(a, np.repeat(a[-1:], a.shape[0], axis=0)) > 10


def test_dstsp_gmm_distinguishes_distributions():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2000, 7))
    assert abs(M.dstsp(x, x)) < 1e-12                  # 7-D: the Gaussian-mixture estimate
    assert M.dstsp(x, rng.standard_normal((2000, 7))) < 0.1
    assert M.dstsp(x, 3 + rng.standard_normal((2000, 7))) > 5


def test_hellinger_spectrum(lorenz):
    a, b = lorenz
    assert M.hellinger_spectrum(a, a) == 0.0
    assert M.hellinger_spectrum(a, b) < 0.15
    noise = np.random.default_rng(0).standard_normal(a.shape)
    assert M.hellinger_spectrum(a, noise) > 0.5
    with pytest.raises(ld.errors.ShapeError, match="equal length"):
        M.hellinger_spectrum(a, b[:100])


def test_power_spectrum_by_hand():
    x = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    ps = M.power_spectrum(x, smoothing=0)
    np.testing.assert_allclose(ps[:, 0], [0.0, 0.0, 1.0], atol=1e-15)   # all power at Nyquist


def test_crps_samples_converges_to_the_gaussian_formula():
    rng = np.random.default_rng(0)
    y = np.array([[0.3], [-1.2]])
    samples = rng.standard_normal((20000, 2, 1))
    assert M.crps_samples(y, samples) == pytest.approx(M.crps_gaussian(y, np.zeros((2, 1)), 1.0), abs=5e-3)


def test_vpt_by_nrmse_and_coverage():
    truth = np.column_stack([np.sin(0.1 * np.arange(100))])
    pred = truth.copy()
    pred[40:] += 1.0
    assert M.valid_prediction_time_nrmse(truth, pred, dt=0.1, threshold=0.5) == pytest.approx(4.0)
    assert M.coverage(truth, truth - 0.1, truth + 0.1) == 1.0
