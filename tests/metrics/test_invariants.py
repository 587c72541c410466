"""Errors of dynamical invariants: correlation dimension and largest Lyapunov exponent."""

import numpy as np
import pytest

from lindy.analysis import correlation_dimension, max_lyapunov_rosenstein
from lindy.errors import ShapeError, ValidationError
from lindy.metrics import correlation_dimension_error, max_lyapunov_error
from lindy.systems import get_system, simulate


@pytest.fixture(scope="module")
def lorenz():
    return simulate(get_system("Lorenz"), n_steps=6000, pts_per_period=60, transient=500,
                    random_state=0)[0].x


def test_correlation_dimension_error_is_the_difference_of_the_estimates(lorenz):
    fixed_point = np.tile([1.0, 2.0, 3.0], (lorenz.shape[0], 1))
    fixed_point += 1e-9 * np.random.default_rng(1).standard_normal(fixed_point.shape)
    t = np.linspace(0, 200 * np.pi, 6000)
    circle = np.column_stack([np.cos(t), np.sin(t), np.zeros_like(t)])
    d_lorenz = correlation_dimension(lorenz)
    assert 1.8 < d_lorenz < 2.2                      # published 2.05 (Grassberger-Procaccia)
    err = correlation_dimension_error(lorenz, circle)
    assert err == pytest.approx(abs(correlation_dimension(circle) - d_lorenz), abs=1e-12)
    assert 0.8 < err < 1.2                             # a limit cycle has dimension 1
    assert correlation_dimension_error(lorenz, lorenz) == 0.0
    rel = correlation_dimension_error(lorenz, circle, relative=True)
    assert rel == pytest.approx(err / d_lorenz, rel=1e-12)


def test_max_lyapunov_error_against_the_database_value(lorenz):
    system = get_system("Lorenz")
    sim = simulate(system, n_steps=20000, dt=0.01, transient=1000, random_state=0)[0].x
    kw = dict(horizon=300, fit=(50, 200))   # the linear part of the log divergence
    lam = max_lyapunov_rosenstein(sim, 0.01, **kw)
    ref = system.meta["max_lyapunov"]
    assert max_lyapunov_error(None, sim, 0.01, reference=ref, **kw) == pytest.approx(abs(lam - ref))
    assert abs(lam - ref) < 0.05 * ref                # 0.886 against 0.9089
    assert max_lyapunov_error(sim, sim, 0.01, **kw) == 0.0
    # a periodic orbit has largest exponent 0: the error is about the chaotic exponent
    t = 0.01 * np.arange(20000)
    cycle = np.column_stack([np.cos(t), np.sin(t)])
    assert max_lyapunov_error(None, cycle, 0.01, reference=ref, **kw) > 0.5 * ref


def test_invariant_errors_reject_bad_input(lorenz):
    with pytest.raises(ShapeError, match="same system"):
        correlation_dimension_error(lorenz, lorenz[:, :2])
    with pytest.raises(ValidationError, match="relative=False"):
        max_lyapunov_error(None, lorenz, 0.01, reference=0.0, relative=True)
    bad = lorenz.copy()
    bad[5, 0] = np.nan
    with pytest.raises(ValidationError):
        correlation_dimension_error(lorenz, bad)
