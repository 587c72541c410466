"""The filtering protocol: state-estimation MSE in dB (Revach et al. 2022) for KF/EKF/UKF and
KalmanNet, its models against oracles, its registration in the runner."""

import numpy as np
import pytest

import lindy as ld
from lindy.bench import Job, execute, run_protocol, suite_jobs
from lindy.bench._protocol_filtering import (
    FILTERING,
    GaussianFilter,
    canonical_model,
    lorenz_model,
    lorenz_taylor_map,
    mse_db,
    run_filtering_protocol,
)
from lindy.errors import UnknownNameError, ValidationError


def test_kalman_filter_meets_its_riccati_prediction_and_ekf_ukf_equal_it_on_the_linear_model():
    kf, _ = run_filtering_protocol(GaussianFilter(kind="kf"), "linear_canonical",
                                   {"n_train": 0, "n_test": 100})
    # 1/r^2 = 0 dB, nu = -20 dB (the defaults): the KF's empirical MSE is its Riccati MSE
    assert abs(kf["mse_db"] - kf["riccati_mse_db"]) < 0.25
    assert kf["gap_db"] == 0.0 and abs(kf["obs_mse_db"]) < 0.2  # r^2 = 1: 0 dB noise floor
    s = {"n_train": 0, "n_test": 20}
    kf, _ = run_filtering_protocol(GaussianFilter(kind="kf"), "linear_canonical", s)
    for kind in ("ekf", "ukf"):
        other, _ = run_filtering_protocol(GaussianFilter(kind=kind), "linear_canonical", s)
        assert abs(other["mse_db"] - kf["mse_db"]) < 1e-9


def test_riccati_mse_is_the_mean_filtered_variance():
    """Brute-force oracle: the Riccati recursion of the canonical model by hand."""
    model = canonical_model(2, q2=0.01, r2=1.0)
    P, total = model.P0, 0.0
    for k in range(100):
        if k:
            P = model.A @ P @ model.A.T + model.Q
        S = P + model.R
        P = P - P @ np.linalg.solve(S, P)
        total += np.trace(P) / 2
    metrics, _ = run_filtering_protocol(GaussianFilter(kind="kf"), "linear_canonical",
                                        {"n_train": 0, "n_test": 2})
    assert metrics["riccati_mse_db"] == pytest.approx(10 * np.log10(total / 100), abs=1e-9)


def test_reverse_canonical_observation_for_larger_models():
    model = canonical_model(3)
    np.testing.assert_array_equal(model.C, [[1, 1, 1], [0, 1, 0], [1, 0, 0]])
    np.testing.assert_array_equal(model.A, [[1, 1, 1], [0, 1, 0], [0, 0, 1]])


def test_lorenz_taylor_map_converges_to_the_flow():
    """More Taylor terms approach the exact one-step flow map of Lorenz-63 (dx/dt = A(x) x)."""
    lorenz = ld.systems.get_system("Lorenz")
    x0 = np.array([1.0, 2.0, 20.0])
    assert lorenz.params == {"beta": 8.0 / 3.0, "rho": 28.0, "sigma": 10.0}
    # freezing A at x0, the exact step is expm(A(x0) dt) x0: the Taylor series converges to it
    from scipy.linalg import expm

    A = np.array([[-10.0, 10.0, 0.0], [28.0, -1.0, -x0[0]], [0.0, x0[0], -8.0 / 3.0]])
    exact = expm(A * 0.02) @ x0
    errs = [np.abs(lorenz_taylor_map(x0[None], 0.02, J)[0] - exact).max() for J in (1, 2, 5)]
    assert errs[0] > errs[1] > errs[2] and errs[2] < 1e-5
    # the vector field is the registered Lorenz system's
    np.testing.assert_allclose(A @ x0, lorenz.rhs(0.0, x0, tuple(lorenz.params.values())), rtol=1e-12)


def test_lorenz_jacobian_matches_finite_differences():
    for J in (1, 2, 5):
        model = lorenz_model(taylor_terms=J)
        x = np.array([3.0, -2.0, 20.0])
        np.testing.assert_allclose(model.F(x), ld.ssm.numerical_jacobian(model.f, x), atol=1e-7)


def test_lorenz_mismatch_hurts_the_ekf_and_the_true_model_is_the_reference():
    s = {"n_train": 0, "n_test": 10, "inv_r2_db": 20.0}
    ekf, arrays = run_filtering_protocol(GaussianFilter(kind="ekf"), "Lorenz", s)
    assert ekf["model_ekf_mse_db"] == ekf["mse_db"]
    assert ekf["gap_db"] > 5                       # J = 2 against J = 5
    assert ekf["reference_mse_db"] < ekf["obs_mse_db"] - 5
    assert abs(ekf["obs_mse_db"] + 20) < 0.5       # 1/r^2 = 20 dB
    assert arrays["truth"].shape == arrays["forecast"].shape == (100, 3)
    exact, _ = run_filtering_protocol(GaussianFilter(kind="ekf"), "Lorenz", {**s, "taylor_terms": 5})
    assert exact["gap_db"] == 0.0


def test_mse_db_is_ten_log10_of_the_mean_squared_error():
    a, b = np.zeros((3, 4, 2)), np.full((3, 4, 2), 0.1)
    assert mse_db(a, b) == pytest.approx(-20.0)


def test_registered_and_dispatched_by_run_protocol():
    assert ld.bench.PROTOCOLS["filtering"] is FILTERING
    metrics, _ = run_protocol(GaussianFilter(kind="kf"), "linear_canonical",
                              {"name": "filtering", "n_train": 0, "n_test": 5}, 0)
    assert metrics["gap_db"] == 0.0
    jobs = suite_jobs("filtering")
    assert {(j.name, j.system) for j in jobs} == {(m, s) for m in ("EKF", "UKF", "KalmanNet")
                                                  for s in ("linear_canonical", "Lorenz")}
    rec, arts = execute(Job("GaussianFilter", {"kind": "ekf"}, "linear_canonical",
                            {"name": "filtering", "n_train": 0, "n_test": 5}, 0))
    assert rec.status == "ok" and rec.metrics["gap_db"] == pytest.approx(0.0, abs=1e-9)
    assert sorted(arts) == ["forecast", "truth"]


def test_bad_settings_systems_and_models_are_clear_errors():
    with pytest.raises(ValidationError, match="Unknown settings"):
        run_filtering_protocol(GaussianFilter(), "Lorenz", {"horizon": 3})
    with pytest.raises(UnknownNameError, match="linear_canonical"):
        run_filtering_protocol(GaussianFilter(), "Henon", {"n_train": 0})
    with pytest.raises(ValidationError, match="kind='kf'\\) needs a linear model"):
        run_filtering_protocol(GaussianFilter(kind="kf"), "Lorenz", {"n_train": 0, "n_test": 2})
    with pytest.raises(ValidationError, match="'kind' must be one of"):
        GaussianFilter(kind="pf").fit(None, None)
    with pytest.raises(ValidationError, match="makes its own data"):
        ld.bench.make_data("Lorenz", {"name": "filtering"}, 0)


def test_kalmannet_runs_under_the_protocol():
    import torch  # the torch extra is installed wherever the test suite runs
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        knet = ld.neural.KalmanNet(hidden_layer_sizes=(8, 4), gru_size=8, max_iter=2)
        metrics, _ = run_filtering_protocol(knet, "linear_canonical",
                                            {"n_train": 10, "n_test": 5, "n_steps": 20})
    finally:
        torch.set_num_threads(threads)
    assert metrics["finite"] and knet.n_iter_ == 2 and knet.model.state_dim == 2


def test_leaderboard_ranks_filters_by_mse_db():
    from lindy.bench import Record, leaderboard, summary
    from lindy.bench._leaderboard import protocol_metrics

    proto = {"name": "filtering", "inv_r2_db": 20.0}
    recs = [Record("a", system="Lorenz", method="EKF", protocol=proto,
                   metrics={"mse_db": -21.6, "gap_db": 8.9}),
            Record("b", system="Lorenz", method="KalmanNet", protocol=proto,
                   metrics={"mse_db": -26.5, "gap_db": 4.0})]
    assert [m for m, _, _ in protocol_metrics("filtering(inv_r2_db=20.0)", scores_only=True)] == \
        ["mse_db", "gap_db"]
    assert [r["method"] for r in leaderboard(recs)["Lorenz"]] == ["KalmanNet", "EKF"]
    rows = summary(recs)["filtering(inv_r2_db=20.0)"]["mse_db"]
    assert [(r["method"], r["median"]) for r in rows] == [("KalmanNet", -26.5), ("EKF", -21.6)]
