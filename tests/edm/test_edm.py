"""Simplex, S-map and context parroting: pyEDM as the oracle on its own sample series."""

import numpy as np
import pandas as pd
import pyEDM  # a dev dependency: the oracle must run, never skip
import pytest

import lindy as ld
from lindy.testing import check_estimator


def _pyedm_rows(out, times: np.ndarray):
    """pyEDM predictions indexed by the time they predict."""
    pred = out.dropna(subset=["Predictions"])
    return dict(zip(pred.iloc[:, 0].to_numpy(), pred["Predictions"].to_numpy()))


@pytest.mark.parametrize(("series", "column", "E", "lib", "pred"), [
    ("circle", "x", 2, (1, 100), (101, 198)),
    ("TentMap", "TentMap", 3, (1, 100), (201, 500)),
    ("block_3sp", "x_t", 3, (1, 100), (101, 195)),
])
def test_simplex_equals_pyedm(series, column, E, lib, pred):
    df = pyEDM.sampleData[series]
    out = pyEDM.Simplex(dataFrame=df, columns=column, target=column, lib=list(lib), pred=list(pred),
                        E=E, Tp=1, tau=-1)
    x = df[column].to_numpy(dtype=float)
    model = ld.edm.Simplex(n_delays=E).fit(x[lib[0] - 1: lib[1]])
    seg = x[pred[0] - 1: pred[1]]
    ours = model.predict(seg)[:, 0]          # row k predicts seg[k + 1]
    times = df.iloc[:, 0].to_numpy()[pred[0] - 1: pred[1]]
    theirs = _pyedm_rows(out, times)
    compared = 0
    for k in range(E - 1, seg.size - 1):
        t_next = times[k + 1]
        if t_next in theirs:
            assert ours[k] == pytest.approx(theirs[t_next], abs=1e-8, rel=1e-8)
            compared += 1
    assert compared >= (pred[1] - pred[0]) - E - 1


@pytest.mark.parametrize("E", [1, 2, 3])
def test_simplex_breaks_ties_like_pyedm(E):
    # integer values: most neighbourhoods have exact ties at the last neighbour's distance
    x = np.random.default_rng(3).integers(0, 4, 300).astype(float)
    df = pd.DataFrame({"Time": np.arange(1, 301), "x": x})
    out = pyEDM.Simplex(dataFrame=df, columns="x", target="x", lib=[1, 150], pred=[151, 299], E=E)
    theirs = _pyedm_rows(out, None)
    ours = ld.edm.Simplex(n_delays=E).fit(x[:150]).predict(x[150:299])[:, 0]
    diffs = [ours[k] - theirs[152 + k] for k in range(E - 1, 148) if 152 + k in theirs]
    assert len(diffs) >= 146 - E
    assert np.abs(diffs).max() < 1e-12


@pytest.mark.parametrize("dim", [1, 2, 5, 9])
def test_neighbours_are_exact_with_the_later_row_winning_ties(dim):
    from lindy.edm._embedding import neighbours, tree

    rng = np.random.default_rng(dim)
    for n_lib in (3, 40, 700, 3000):  # above 256 rows a node splits at a sampled median
        lib = rng.integers(0, 4, size=(n_lib, dim)).astype(float)
        queries = rng.normal(1.5, 1.5, size=(60, dim)).round()
        k = min(5, n_lib)
        dist, rows = neighbours(tree(lib), queries, k)
        full = np.sqrt(((queries[:, None, :] - lib[None]) ** 2).sum(axis=2))
        for p in range(queries.shape[0]):
            expected = np.lexsort((-np.arange(n_lib), full[p]))[:k]   # distance, then later row
            np.testing.assert_array_equal(rows[p], expected)
            np.testing.assert_allclose(dist[p], full[p, expected], rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("theta", [0.0, 0.5, 2.0, 8.0])
def test_smap_equals_pyedm(theta):
    df = pyEDM.sampleData["circle"]
    E, lib, pred = 2, (1, 100), (101, 198)
    out = pyEDM.SMap(dataFrame=df, columns="x", target="x", lib=list(lib), pred=list(pred), E=E,
                     Tp=1, tau=-1, theta=theta)["predictions"]
    x = df["x"].to_numpy(dtype=float)
    # pyEDM's default S-map neighbourhood is every library vector but the farthest one
    model = ld.edm.SMap(n_delays=E, theta=theta, n_neighbors=97).fit(x[lib[0] - 1: lib[1]])
    seg = x[pred[0] - 1: pred[1]]
    ours = model.predict(seg)[:, 0]
    times = df["Time"].to_numpy()[pred[0] - 1: pred[1]]
    theirs = _pyedm_rows(out, times)
    diffs = [ours[k] - theirs[times[k + 1]] for k in range(E - 1, seg.size - 1) if times[k + 1] in theirs]
    assert len(diffs) >= 90 and model.library_.shape[0] == 98
    assert np.abs(diffs).max() < 1e-8


def test_smap_theta_zero_is_a_global_linear_autoregression():
    x = np.random.default_rng(0).standard_normal(300).cumsum() * 0.1
    smap = ld.edm.SMap(n_delays=3, theta=0.0).fit(x)
    ar = ld.baselines.LinearAR(n_lags=3, alpha=0.0).fit(x)
    np.testing.assert_allclose(smap.predict(x[:50])[2:], ar.predict(x[:50])[2:], atol=1e-10)


def test_library_never_crosses_trajectories():
    a = np.arange(10.0)
    b = 100 + np.arange(10.0)
    model = ld.edm.Simplex(n_delays=2).fit([a, b])
    gaps = np.abs(np.diff(model.library_, axis=1)).max()
    assert gaps == 1.0 and np.abs(model.successors_[:, 0] - model.library_[:, -1]).max() == 1.0


def test_context_parroting_copies_the_best_match():
    period = 37
    x = np.tile(np.random.default_rng(1).standard_normal((period, 2)), (10, 1))
    model = ld.edm.ContextParroting(n_delays=4).fit(x)
    fc = model.forecast(x[:150], horizon=100)
    np.testing.assert_array_equal(fc.x, x[150:250])   # exact: the pattern repeats


def test_context_parroting_on_lorenz_beats_persistence():
    sys_ = ld.systems.get_system("Lorenz")
    data = ld.systems.simulate(sys_, n_steps=3000, pts_per_period=30)
    x = data[0].x
    cp = ld.edm.ContextParroting(n_delays=3).fit(x[:2000])
    fc = cp.forecast(x[:2000], horizon=30)
    pers = np.repeat(x[1999:2000], 30, axis=0)
    assert ld.metrics.smape(x[2000:2030], fc.x) < 0.5 * ld.metrics.smape(x[2000:2030], pers)


@pytest.mark.parametrize("est", [ld.edm.Simplex(), ld.edm.SMap(n_neighbors=30),
                                 ld.edm.ContextParroting(n_delays=3)])
def test_conformance(est):
    check_estimator(est)


def test_embedding_selection_agrees_with_pyedm_on_its_tent_map():
    df = pyEDM.sampleData["TentMap"]
    x = df["TentMap"].to_numpy(dtype=float)[:300]
    theirs = pyEDM.EmbedDimension(dataFrame=df.iloc[:300], columns="TentMap", target="TentMap",
                                  lib=[1, 210], pred=[211, 300], maxE=6, showPlot=False)
    ours = ld.edm.select_embedding(x, max_delays=6, validation=0.3)
    assert ours.best == int(theirs["E"].to_numpy()[np.argmax(theirs["rho"].to_numpy())])
    np.testing.assert_allclose(ours.rho, theirs["rho"].to_numpy(), atol=0.05)


def test_theta_selection_finds_nonlinearity_like_pyedm():
    df = pyEDM.sampleData["TentMap"]
    x = df["TentMap"].to_numpy(dtype=float)[:300]
    thetas = (0.0, 1.0, 3.0)
    theirs = pyEDM.PredictNonlinear(dataFrame=df.iloc[:300], columns="TentMap", target="TentMap",
                                    lib=[1, 210], pred=[211, 300], E=2, theta=list(thetas),
                                    showPlot=False)
    ours = ld.edm.select_theta(x, n_delays=2, thetas=thetas, validation=0.3)
    assert ours.best == theirs["theta"].to_numpy()[np.argmax(theirs["rho"].to_numpy())]
    np.testing.assert_allclose(ours.rho, theirs["rho"].to_numpy(), atol=0.05)
