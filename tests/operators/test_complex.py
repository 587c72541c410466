"""Complex snapshots: the DMD family fits them and returns complex modes and forecasts."""

import warnings

import numpy as np
import pytest

import lindy as ld
from lindy.errors import ValidationError
from lindy.operators import BOPDMD, DMD, EDMD, HankelDMD, KernelEDMD, WindowedDMD


def pydmd_sample(n_t=15):
    """PyDMD's test field ``input_sample.npy`` (400 x 15), built from its formula.

    ``f1 = sech(x + 3) exp(2.3 i t)``, ``f2 = 2 sech(x) tanh(x) exp(2.8 i t)`` on
    ``x = linspace(-10, 10, 400)``, ``t = linspace(0, 4 pi, 15)``; this grid
    reproduces PyDMD's file to 4.5e-16. Returned as PyDMD holds it: space on
    the rows, one snapshot per column. ``n_t`` samples the same interval more finely.
    """
    x = np.linspace(-10, 10, 400)
    t = np.linspace(0, 4 * np.pi, n_t)
    xg, tg = np.meshgrid(x, t)
    f1 = np.exp(2.3j * tg) / np.cosh(xg + 3)
    f2 = 2 * np.tanh(xg) / np.cosh(xg) * np.exp(2.8j * tg)
    return (f1 + f2).T, t


def test_dmd_matches_pydmd_on_pydmds_complex_test_data():
    import pydmd  # a dev dependency: the oracle test fails, not skips, without it

    X, t = pydmd_sample()
    rank = 2  # the field is two exponentials: rank 2 is its numerical rank
    with warnings.catch_warnings():  # PyDMD warns about the condition number of X
        warnings.simplefilter("ignore")
        theirs = pydmd.DMD(svd_rank=rank).fit(X)
    ours = DMD(rank=rank, solver="svd").fit(X.T, t=t)
    key = lambda z: z[np.lexsort((z.imag, z.real))]  # noqa: E731
    np.testing.assert_allclose(key(ours.eigenvalues_), key(np.asarray(theirs.eigs)), atol=1e-8)
    assert np.iscomplexobj(ours.modes_) and ours.modes_.shape == (400, rank)
    np.testing.assert_allclose(np.sort(ours.continuous_eigenvalues_.imag), [2.3, 2.8], atol=1e-8)
    fc = ours.forecast(ld.data.Trajectory(t=t[:5], x=X.T[:5]), horizon=10)
    assert np.iscomplexobj(fc.x)
    np.testing.assert_allclose(fc.x, X.T[5:], atol=1e-10)
    with pytest.warns(ld.errors.RankWarning, match="only 2"):
        DMD(rank=3).fit(X.T, t=t)


@pytest.mark.parametrize("make", [DMD, lambda: HankelDMD(n_delays=2), lambda: WindowedDMD(window=15),
                                  BOPDMD])
def test_complex_models_return_complex_forecasts(make):
    X, t = pydmd_sample(120)  # finer in time: BOPDMD's initial guess needs it
    model = make().fit(X.T, t=t)
    fc = model.forecast(ld.data.Trajectory(t=t[:10], x=X.T[:10]), horizon=5)
    assert np.iscomplexobj(fc.x) and np.iscomplexobj(model.modes_)
    np.testing.assert_allclose(fc.x, X.T[10:15], atol=1e-6)


@pytest.mark.parametrize("make", [EDMD, KernelEDMD])
def test_other_operators_refuse_complex_data(make):
    X, t = pydmd_sample()
    with pytest.raises(ValidationError, match="complex"):
        make().fit(X.T, t=t)
