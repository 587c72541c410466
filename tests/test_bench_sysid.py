"""The sysid protocol (free run on measured input-output benchmarks) and the NARX model."""

import numpy as np
import pytest

import lindy as ld
from lindy.bench import PROTOCOLS, run_protocol, suite_jobs
from lindy.bench._protocol_sysid import free_run, run_sysid_protocol, sysid_scores
from lindy.bench._sysid_data import (
    bouc_wen_estimation_data,
    bouc_wen_periodic_response,
    random_phase_multisine,
    sysid_estimation_data,
    sysid_record,
)
from lindy.data import Trajectory
from lindy.errors import ValidationError


def _polynomial_narx(n=600, random_state=0):
    """Noise-free y[k+1] = 1.2 y[k] - 0.5 y[k-1] - 0.3 y[k]^3 + 0.1 y[k] y[k-1]^2 + 0.4 u[k]
    - 0.2 u[k-1] + 0.05 (output offset through the constant)."""
    rng = np.random.default_rng(random_state)
    u = rng.uniform(-1, 1, n)
    y = np.zeros(n)
    for k in range(1, n - 1):
        y[k + 1] = (1.2 * y[k] - 0.5 * y[k - 1] - 0.3 * y[k] ** 3 + 0.1 * y[k] * y[k - 1] ** 2
                    + 0.4 * u[k] - 0.2 * u[k - 1] + 0.05)
    return y, u


def test_narx_recovers_a_noise_free_polynomial_narx_exactly():
    y, u = _polynomial_narx()
    narx = ld.reservoir.NARX(n_lags=2, n_input_lags=2, degree=3).fit(y, u=u)
    W = narx.model_.W[:, 0]
    # NVAR layout: [1, y_k, u_k, y_{k-1}, u_{k-1}, monomials of (y_k, y_{k-1})]
    assert np.allclose(W[:5], [0.05, 1.2, 0.4, -0.5, -0.2], atol=1e-10)
    mono = narx.model_.monomials
    cubic = {tuple(r): w for r, w in zip(mono.tolist(), W[5:])}
    assert abs(cubic[(0, 0, 0)] + 0.3) < 1e-10 and abs(cubic[(0, 2, 2)] - 0.1) < 1e-10
    others = [w for r, w in cubic.items() if r not in [(0, 0, 0), (0, 2, 2)]]
    assert np.abs(others).max() < 1e-10
    assert narx.n_features_ == 1 + 4 + 7  # constant, 4 taps, 7 monomials of 2 output lags
    # the free run of a fresh input record reproduces the system
    y2, u2 = _polynomial_narx(300, random_state=1)
    rec = Trajectory(t=np.arange(300.0), x=y2[:, None], u=u2[:, None])
    np.testing.assert_allclose(free_run(narx, rec, 2)[:, 0], y2[2:], atol=1e-9)


def test_narx_ridge_penalizes_the_raw_weights():
    """alpha > 0 gives the ridge solution (F'F + alpha I)^-1 F'Y on the unscaled features."""
    y, u = _polynomial_narx(300)
    y = y + 0.01 * np.random.default_rng(5).standard_normal(y.shape)
    alpha = 0.3
    W = ld.reservoir.NARX(n_lags=2, n_input_lags=1, degree=2, alpha=alpha).fit(y, u=u).model_.W
    F = np.column_stack([np.ones(298), y[1:-1], u[1:-1], y[:-2], y[1:-1] ** 2, y[1:-1] * y[:-2],
                         y[:-2] ** 2])
    ridge = np.linalg.solve(F.T @ F + alpha * np.eye(7), F.T @ y[2:])
    # NVAR layout of a 2-sample window of [y, u]: [1, y_k, u_k, y_{k-1}, u_{k-1}, monomials]
    np.testing.assert_allclose(W[[0, 1, 2, 3, 5, 6, 7], 0], ridge, rtol=1e-8, atol=1e-12)
    assert W[4, 0] == 0.0  # u_{k-1} is not a tap of this NARX


def test_narx_feedthrough_uses_the_input_at_the_predicted_time():
    rng = np.random.default_rng(3)
    u = rng.standard_normal(400)
    y = np.zeros(400)
    for k in range(399):
        y[k + 1] = 0.7 * y[k] - 0.1 * y[k] ** 3 + 0.5 * u[k + 1] + 0.2 * u[k]
    narx = ld.reservoir.NARX(n_lags=1, n_input_lags=2, degree=3, feedthrough=True).fit(y, u=u)
    rec = Trajectory(t=np.arange(400.0), x=y[:, None], u=u[:, None])
    np.testing.assert_allclose(free_run(narx, rec, 2)[:, 0], y[2:], atol=1e-10)
    pred = narx.predict(y, u=u)
    np.testing.assert_allclose(pred[1:-1, 0], y[2:], atol=1e-10)  # row 0: no full window
    assert np.isnan(pred[-1, 0])  # the input after the last sample is unknown
    # without feedthrough the same data cannot be fitted exactly
    causal = ld.reservoir.NARX(n_lags=1, n_input_lags=2, degree=3).fit(y, u=u)
    assert np.abs(free_run(causal, rec, 2)[:, 0] - y[2:]).max() > 1e-2


def test_narx_rejects_bad_settings_clearly():
    y, u = _polynomial_narx(50)
    with pytest.raises(ValidationError, match="nonlinear_terms"):
        ld.reservoir.NARX(nonlinear_terms="inputs").fit(y, u=u)
    with pytest.raises(ValidationError, match="n_input_lags"):
        ld.reservoir.NARX(n_input_lags=0).fit(y, u=u)
    narx = ld.reservoir.NARX(n_lags=2, n_input_lags=4).fit(y, u=u)
    ctx = Trajectory(t=np.arange(3.0), x=y[:3, None], u=u[:3, None])
    with pytest.raises(ValidationError, match="short"):
        narx.forecast(ctx, horizon=5, u=u[3:8, None])


def test_free_run_equals_a_manual_loop_of_one_step_maps():
    """Free run = iterating the model's own one-step map on its outputs with the measured inputs."""
    y, u = _polynomial_narx(200, random_state=2)
    noisy = y + 1e-3 * np.random.default_rng(0).standard_normal(y.shape)
    narx = ld.reservoir.NARX(n_lags=2, n_input_lags=3, degree=3).fit(noisy, u=u)
    rec = Trajectory(t=np.arange(200.0), x=noisy[:, None], u=u[:, None])
    w = 10
    sim = free_run(narx, rec, w)[:, 0]
    manual = noisy[:w].copy()
    for k in range(w - 1, 199):
        nxt = narx.predict(manual[:, None], u=u[: k + 1, None])[-1, 0]
        manual = np.append(manual, nxt)
    np.testing.assert_allclose(sim, manual[w:], rtol=1e-10, atol=1e-12)


def test_free_run_goes_through_simulate():
    """Input models with ``simulate(u, x0=None, *, y=None, t=None)`` are run through it, with the
    first ``init_window`` outputs as ``y``; outputs at every input time are cut after the window."""
    calls = []

    class Simulating:
        def simulate(self, u, x0=None, *, y=None, t=None):
            calls.append((u.shape, y.shape))
            return Trajectory(t=t, x=np.cumsum(u, axis=0), u=u)

    u = np.arange(1.0, 11.0)[:, None]
    rec = Trajectory(t=np.arange(10.0), x=np.zeros((10, 1)), u=u)
    np.testing.assert_array_equal(free_run(Simulating(), rec, 4), np.cumsum(u, axis=0)[4:])
    assert calls == [((10, 1), (4, 1))]
    with pytest.raises(ValidationError, match="init_window"):
        free_run(Simulating(), rec, 10)


def test_nrmse_is_rmse_over_the_std_of_the_measured_output():
    truth = np.array([1.0, 2.0, 4.0, 3.0])
    sim = np.array([1.5, 2.0, 3.0, 3.0])
    rmse = np.sqrt((0.25 + 0.0 + 1.0 + 0.0) / 4)
    std = np.sqrt(np.mean((truth - 2.5) ** 2))
    s = sysid_scores(truth[:, None], sim[:, None])
    assert np.isclose(s["rmse"], rmse) and np.isclose(s["nrmse"], rmse / std) and s["finite"]
    assert sysid_scores(truth[:, None], np.full((4, 1), np.nan))["nrmse"] == np.inf


def test_records_follow_the_nonlinear_benchmarks_split():
    arrow = sysid_record("silverbox/arrow_full")
    assert arrow.n_steps == 40475
    np.testing.assert_array_equal(sysid_record("silverbox/arrow_no_extrapolation").x, arrow.x[:32000])
    assert sysid_record("silverbox/multisine").n_steps == 127400 - (40650 + int(0.75 * 86750))
    assert [sysid_record(f"bouc_wen/{p}").n_steps for p in ("multisine", "sinesweep")] == [8192, 153000]
    assert sysid_estimation_data("silverbox/multisine")[0].n_steps == 65062


def test_protocol_on_a_short_slice_scores_the_free_run_after_the_window():
    s = {"name": "sysid", "max_train_samples": 4000, "max_test_samples": 1000}
    m, arrays = run_protocol(ld.reservoir.NARX(n_lags=2, n_input_lags=8), "silverbox/multisine", s, 0)
    assert m["init_window"] == 50 and m["n_scored"] == 950 and m["unit"] == "V" and m["finite"]
    rec = sysid_record("silverbox/multisine")[:1000]
    np.testing.assert_allclose(arrays["truth"][:, 0], rec.x[50:, 0].astype(np.float32))
    sim = arrays["forecast"][:, 0].astype(float)
    rmse = np.sqrt(np.mean((sim - rec.x[50:, 0]) ** 2))
    assert np.isclose(m["rmse"], rmse, rtol=1e-5)
    assert m["nrmse"] < 0.1  # a cubic NARX on 4000 samples is already far below the linear 13 %
    assert "sysid" in PROTOCOLS


def test_protocol_rejects_unknown_records_and_settings():
    with pytest.raises(ValidationError, match="silverbox/multisine"):
        run_sysid_protocol(ld.reservoir.NARX(), "silverbox/typo")
    with pytest.raises(ValidationError, match="init_window"):
        run_sysid_protocol(ld.reservoir.NARX(), "cascaded_tanks/validation", {"window": 3})


def test_the_suite_runs_every_input_model_and_respects_the_window():
    jobs = suite_jobs("sysid")
    methods = {j.method for j in jobs}
    assert {"NARX", "SubspaceID", "LinearGaussianSSM", "DMDc", "EDMDc", "SINDyc", "ESN",
            "NVAR"} <= methods
    for j in jobs:
        if j.system == "cascaded_tanks/validation" and j.method == "NARX":
            assert max(j.params["n_lags"], j.params["n_input_lags"]) <= 5


def test_bouc_wen_simulator_reproduces_the_benchmark_validation_output():
    """The benchmark's parameters (lindy.systems BoucWen) and integration reproduce the shipped
    noise-free validation multisine response to 0.04 % of its standard deviation."""
    rec = sysid_record("bouc_wen/multisine")
    y = bouc_wen_periodic_response(rec.u[:, 0])
    assert np.sqrt(np.mean((y - rec.x[:, 0]) ** 2)) / rec.x[:, 0].std() < 5e-4


def test_bouc_wen_estimation_data_follow_the_benchmark_design():
    u = random_phase_multisine(8192, fs=750.0, band=(5.0, 150.0), rms=50.0, random_state=1)
    spectrum = np.abs(np.fft.rfft(u))
    freqs = np.fft.rfftfreq(8192, 1 / 750.0)
    lines = spectrum > 1e-8 * spectrum.max()
    validation = np.abs(np.fft.rfft(sysid_record("bouc_wen/multisine").u[:, 0]))
    np.testing.assert_array_equal(lines, validation > 1e-8 * validation.max())  # same 1585 lines
    assert 5.0 < freqs[lines].min() < 5.1 and 150.0 < freqs[lines].max() < 150.1
    assert np.ptp(spectrum[lines]) < 1e-9 * spectrum.max()  # flat amplitude
    a = bouc_wen_estimation_data(2, random_state=4)
    b = bouc_wen_estimation_data(2, random_state=4)
    np.testing.assert_array_equal(a[1].x, b[1].x)
    assert not np.allclose(a[0].u, a[1].u)
    assert abs(a[0].u.std() - 50.0) < 1e-9 and a[0].dt == pytest.approx(1 / 750)


def test_narx_free_run_on_silverbox_multisine_is_below_five_percent():
    """Published anchors: linear models 13-18 % NRMSE (subspace 18.4 %)."""
    m, _ = run_protocol(ld.reservoir.NARX(n_lags=3, n_input_lags=12, degree=3),
                        "silverbox/multisine", {"name": "sysid"}, 0)
    assert m["nrmse"] < 0.05 and m["rmse"] < 1e-3
    arx, _ = run_protocol(ld.reservoir.NARX(n_lags=3, n_input_lags=12, degree=1),
                          "silverbox/multisine", {"name": "sysid"}, 0)
    assert 0.10 < arx["nrmse"] < 0.18  # at or below the published linear figures


def test_the_suite_runs_through_the_runner_store_and_leaderboard(tmp_path):
    store = tmp_path / "sysid.sqlite"
    summary = ld.bench.run(suite="sysid", store=store, jobs=1, progress=False,
                           systems=["cascaded_tanks/validation"], methods=["ARX(3,5)", "NARX(3,5,deg3)"])
    assert summary.ok == 2 and summary.failed == 0
    with ld.bench.Store(store, readonly=True) as db:
        records = db.results()
    rows = ld.bench.leaderboard(records)["cascaded_tanks/validation"]
    assert [r["method"] for r in rows] == ["NARX(3,5,deg3)", "ARX(3,5)"]  # sorted by NRMSE
    assert rows[0]["nrmse"] < rows[1]["nrmse"] and np.isfinite(rows[0]["rmse"])
    table = ld.bench.leaderboard_tables(records, summaries=False)[0]
    assert table["header"][:3] == ["method", "NRMSE", "RMSE"]


def test_ecg_protocol_scores_short_forecasts_and_long_term_statistics():
    from lindy.bench._protocol_ecg import run_ecg_protocol

    s = {"n_train": 2000, "test_length": 1000, "horizon": 50, "offset": 360}
    parrot, arrays = run_ecg_protocol(ld.edm.ContextParroting(n_delays=10), "ecg", s)
    still, _ = run_ecg_protocol(ld.baselines.Persistence(), "ecg", s)
    lead = ld.datasets.load_ecg().test[0].x
    np.testing.assert_allclose(arrays["truth"], lead[4360:6360:2].astype(np.float32))
    assert parrot["test_length"] == 1000 and parrot["finite"]
    # copying past beats keeps the spectrum and the state-space density; a constant does not
    assert parrot["hellinger"] < 0.5 < still["hellinger"] and parrot["dstsp"] < still["dstsp"]
    assert np.isfinite(parrot["nrmse"]) and 0 <= parrot["smape"] <= 200
    with pytest.raises(ValidationError, match="offset"):
        run_ecg_protocol(ld.baselines.Persistence(), "ecg", {"offset": 10 ** 7})
