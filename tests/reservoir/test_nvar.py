"""NVAR: reservoirpy's features as the oracle, the published Lorenz-63 protocol, trajectories kept apart."""

import numpy as np
import pytest
import reservoirpy  # noqa: F401 - a dev dependency: the oracle must run, never skip
from reservoirpy.nodes import NVAR as RpyNVAR
from scipy.integrate import solve_ivp

import lindy as ld
from lindy.reservoir._features import linear_taps, nvar_features
from lindy.reservoir._nvar import fit_nvar

LORENZ_X0 = [17.67715816276679, 12.931379185960404, 43.91404334248268]  # Gauthier et al.
DT, N_TRAIN, N_TEST, N_TRIALS = 0.025, 400, 44, 30


def _lorenz(t, y):
    return [10.0 * (y[1] - y[0]), y[0] * (28.0 - y[2]) - y[1], y[0] * y[1] - 8.0 / 3.0 * y[2]]


def _solution(integrator="RK23", **tol):
    """One run from the published initial point, sampled every dt, long enough for all trials."""
    n = int(round((5.0 + 10.0 * N_TRIALS + 2.0) / DT))
    t = DT * np.arange(n + 1)
    return solve_ivp(_lorenz, (0.0, t[-1]), LORENZ_X0, t_eval=t, method=integrator, **tol).y.T


def _protocol_errors(sol, **params):
    """One-Lyapunov-time NRMSE of each trial (warm-up 5 + 10 i time units, 400 training points)."""
    total_var = sol.var(axis=0).sum()
    errors = []
    for i in range(N_TRIALS):
        w = int(round((5.0 + 10.0 * i) / DT))
        model = ld.reservoir.NVAR(**params).fit(sol[w - 1: w + N_TRAIN])
        fc = model.forecast(sol[w - 1: w + N_TRAIN], horizon=N_TEST)
        truth = sol[w + N_TRAIN: w + N_TRAIN + N_TEST]
        with np.errstate(all="ignore"):
            errors.append(np.sqrt(np.mean((truth - fc.x) ** 2) / total_var))
    return np.nan_to_num(np.array(errors), nan=np.inf)


@pytest.fixture(scope="module")
def rk23():
    return _solution("RK23")


@pytest.fixture(scope="module")
def accurate():
    return _solution("DOP853", rtol=1e-12, atol=1e-12)


def test_published_protocol_on_rk23_data(rk23):
    """Gauthier et al. (2021): NRMSE 2.1e-3 +- 0.4e-3 over 10 trials; we ask <= 2.5e-3 over 30."""
    err = _protocol_errors(rk23, n_delays=2, stride=1, degree=2, alpha=2.5e-6)
    assert np.median(err) <= 2.5e-3
    assert np.median(err[:10]) <= 2.5e-3


def test_published_ridge_diverges_on_accurate_data_and_a_larger_ridge_works(accurate):
    tiny = _protocol_errors(accurate, n_delays=2, degree=2, alpha=2.5e-6)
    assert np.mean(~(tiny < 1.0)) > 0.5            # most trials blow up (documented)
    err = _protocol_errors(accurate, n_delays=2, degree=2, alpha=0.3)
    assert np.isfinite(err).all() and np.median(err) <= 6e-3
    cubic = _protocol_errors(accurate, n_delays=1, degree=3, alpha=1e-3)
    assert np.isfinite(cubic).all() and np.median(cubic) <= 6e-3


def test_lindy_dop853_data_with_the_larger_ridge():
    """The documented settings for high-accuracy data, on lindy's own simulation."""
    n = int(round((5.0 + 10.0 * N_TRIALS + 2.0) / DT)) + 1
    sol = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=n, dt=DT, x0=LORENZ_X0)[0].x
    tiny = _protocol_errors(sol, n_delays=2, degree=2, alpha=2.5e-6)
    assert np.mean(~(tiny < 1.0)) > 0.5
    err = _protocol_errors(sol, n_delays=2, degree=2, alpha=0.3)
    assert np.isfinite(err).all() and np.median(err) <= 6e-3


@pytest.mark.parametrize(("n_delays", "stride", "degree"), [(2, 1, 2), (3, 2, 2), (2, 3, 3)])
def test_features_equal_reservoirpy(n_delays, stride, degree):
    x = np.random.default_rng(0).standard_normal((40, 3))
    rpy = RpyNVAR(delay=n_delays, order=degree, strides=stride).run(x)
    span = (n_delays - 1) * stride
    lin = linear_taps(x, n_delays, stride)
    ours = nvar_features(lin, ld.reservoir.monomial_indices(lin.shape[1], degree))
    L = lin.shape[1]
    # reservoirpy: [linear, monomials of exactly `order`] at every step (zeros before history)
    np.testing.assert_allclose(ours[:, 1:1 + L], rpy[span:, :L], rtol=1e-15)
    top = ours[:, -rpy.shape[1] + L:]
    np.testing.assert_allclose(top, rpy[span:, L:], rtol=1e-14)


def test_trajectories_are_never_crossed():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((30, 2)), rng.standard_normal((25, 2))
    two = ld.reservoir.NVAR(n_delays=3, stride=2, alpha=1e-3).fit([a, b]).model_
    F = np.concatenate([nvar_features(linear_taps(x, 3, 2)[:-1], two.monomials) for x in (a, b)])
    Y = np.concatenate([x[5:] - x[4:-1] for x in (a, b)])
    W = np.linalg.solve(F.T @ F + 1e-3 * np.eye(F.shape[1]), F.T @ Y)
    np.testing.assert_allclose(two.W, W, rtol=1e-8, atol=1e-10)
    joined = ld.reservoir.NVAR(n_delays=3, stride=2, alpha=1e-3).fit(np.vstack([a, b])).model_
    assert not np.allclose(joined.W, two.W)


def test_forecast_is_the_iterated_one_step_map():
    rng = np.random.default_rng(2)
    x, u = rng.standard_normal((60, 2)), rng.standard_normal((60, 1))
    model = ld.reservoir.NVAR(n_delays=2, stride=2, degree=3, alpha=1e-2).fit(x, u=u)
    ctx = ld.Trajectory(t=np.arange(60.0), x=x, u=u)
    u_future = rng.standard_normal((5, 1))
    fc = model.forecast(ctx, horizon=5, u=u_future)
    xs, us = x.copy(), u.copy()
    for j in range(5):
        nxt = model.predict(xs, u=us)[-1]
        xs, us = np.vstack([xs, nxt]), np.vstack([us, u_future[j:j + 1]])
    np.testing.assert_allclose(fc.x, xs[60:], rtol=1e-10, atol=1e-12)


def test_predict_is_nan_without_history_and_degree_one_is_linear():
    x = np.cumsum(np.ones((10, 1)), axis=0)
    model = ld.reservoir.NVAR(n_delays=3, degree=1, alpha=0.0).fit(x)
    pred = model.predict(x)
    assert np.isnan(pred[:2]).all() and np.allclose(pred[2:, 0], x[3:, 0].tolist() + [11.0])
    assert model.n_features_ == 4


def test_fit_needs_a_long_enough_trajectory():
    with pytest.raises(ld.errors.ValidationError, match="short"):
        ld.reservoir.NVAR(n_delays=5, stride=3).fit(np.zeros((10, 2)))
    direct = fit_nvar(ld.as_trajectories(np.ones((5, 1)) * np.arange(5.0)[:, None]), 1, 1, 1, 0.0)
    assert direct.W.shape == (2, 1)
