"""Per-protocol hyperparameter tuning: validation split of the training data only, seeded."""

import hashlib
import json
from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from lindy import __version__
from lindy.baselines import LinearAR
from lindy.bench import Job, Store, execute, make_data, run, suite_jobs, write_report
from lindy.bench._methods import METHODS, register_method
from lindy.bench._tuning import tune, validation_data
from lindy.cli import app
from lindy.data import TrajectorySet
from lindy.errors import ValidationError
from lindy.metrics import smape, valid_prediction_time
from lindy.systems import get_system

SEEN: list[tuple[str, np.ndarray]] = []  # every array the spy was given, in order
HORIZONS: list[int] = []  # every forecast horizon asked of the spy


class SpyAR(LinearAR):
    """LinearAR that records every array it is fitted on or forecasts from."""

    def fit(self, X, t=None, u=None):
        for tr in X:
            SEEN.append(("fit", np.array(tr.x)))
        return super().fit(X, t=t, u=u)

    def forecast(self, context, horizon, u=None):
        SEEN.append(("forecast", np.array(context.x)))
        HORIZONS.append(horizon)
        return super().forecast(context, horizon=horizon, u=u)


@pytest.fixture
def spy():
    register_method("SpyAR", f"{__name__}:SpyAR")
    SEEN.clear()
    HORIZONS.clear()
    yield SEEN
    METHODS.pop("SpyAR", None)
    SEEN.clear()


PROTOCOLS = [
    # the test window follows the training data in the same trajectory
    {"name": "dysts2021", "pts_per_period": 30, "transient": 100},
    # the test window follows a context taken from a separate test trajectory
    {"name": "forecast", "n_train": 300, "context": 20, "horizon": 60, "transient": 100},
]
SPACE = {"n_lags": [1, 2, 3, 5], "alpha": [1e-8, 1e-2]}


def _rows(a: np.ndarray) -> set:
    return {r.tobytes() for r in np.ascontiguousarray(a, dtype=float)}


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p["name"])
def test_the_test_window_is_never_seen_while_tuning(spy, protocol):
    data = make_data("Lorenz", protocol, 0)
    job = Job("SpyAR", {"n_lags": 2}, "Lorenz", protocol, 0,
              tuning={"budget": 5, "space": SPACE})
    rec, _ = execute(job, warmup=False)
    assert rec.ok, rec.error
    assert len(rec.tuning["trials"]) == 5 and rec.tuning["budget"] == 5
    truth = _rows(data.truth)
    assert len(truth) == data.truth.shape[0]
    n_val = rec.tuning["val_steps"]
    firsts = [tr.x[: tr.n_steps - n_val] for tr in data.train]
    # tuning: 5 candidates, each fitted on the first parts and forecasting every
    # validation window from inside them; then one refit on all of the training data
    n_tuning = 5 * 2 * len(data.train)
    assert len(spy) == n_tuning + len(data.train) + 1
    for kind, arr in spy[:n_tuning]:
        assert not (_rows(arr) & truth)
        if kind == "fit":
            assert any(np.array_equal(arr, f) for f in firsts)
        else:  # a context: the end of a first part
            assert any(np.array_equal(arr, f[len(f) - len(arr):]) for f in firsts)
    refit = [arr for kind, arr in spy[n_tuning:] if kind == "fit"]
    assert all(np.array_equal(a, tr.x) for a, tr in zip(refit, data.train))
    for _, arr in spy:  # nothing the method saw, ever, holds a test sample
        assert not (_rows(arr) & truth)
    assert rec.tuning["params"] in [{k: t[k] for k in SPACE} for t in rec.tuning["trials"]]


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p["name"])
def test_tuning_does_not_depend_on_the_test_values(protocol):
    data = make_data("Lorenz", protocol, 0)
    poisoned = replace(data, truth=np.full_like(data.truth, 1e6))
    a = tune("LinearAR", {}, SPACE, data, protocol, "Lorenz", 6, 0)
    b = tune("LinearAR", {}, SPACE, poisoned, protocol, "Lorenz", 6, 0)
    assert a == b
    # oracle: every trial's score is the protocol's metric of a fit on the first parts
    # of the training trajectories, forecasting their held-out ends
    n_val = a.val_steps
    firsts = TrajectorySet([tr[: tr.n_steps - n_val] for tr in data.train])
    lam = get_system("Lorenz").meta["max_lyapunov"]
    for trial in a.trials:
        est = LinearAR(n_lags=trial["n_lags"], alpha=trial["alpha"]).fit(firsts)
        scores = []
        for first, tr in zip(firsts, data.train):
            ctx = first[first.n_steps - min(data.context.n_steps, first.n_steps):]
            pred = est.forecast(ctx, horizon=n_val).x
            end = tr.x[-n_val:]
            scores.append(smape(end, pred) if a.metric == "smape" else
                          valid_prediction_time(end, pred, dt=data.train.dt, lyapunov_exponent=lam))
        assert trial["score"] == pytest.approx(np.mean(scores), rel=1e-12)
    assert len({t["score"] for t in a.trials}) > 1


def test_same_seed_same_choice_and_the_best_validation_score_wins():
    protocol = PROTOCOLS[0]
    data = make_data("Lorenz", protocol, 0)
    runs = [tune("LinearAR", {}, SPACE, data, protocol, "Lorenz", 4, seed) for seed in (3, 3, 4)]
    assert runs[0] == runs[1]
    drawn = [[(t["n_lags"], t["alpha"]) for t in r.trials] for r in runs]
    assert len(set(map(tuple, drawn))) == 2  # another seed draws other candidates
    for r in runs:  # dysts2021 selects by sMAPE, lower is better
        assert r.metric == "smape" and not r.higher_is_better
        assert r.score == min(t["score"] for t in r.trials)
        best = next(t for t in r.trials if t["score"] == r.score)
        assert r.params == {"n_lags": best["n_lags"], "alpha": best["alpha"]}


def test_validation_windows_are_the_ends_of_the_training_trajectories():
    protocol = PROTOCOLS[1]
    data = make_data("Lorenz", protocol, 0)
    problems = validation_data(data)
    assert len(problems) == len(data.train)
    for v, tr in zip(problems, data.train):
        n_val = v.truth.shape[0]
        assert n_val == min(round(0.2 * tr.n_steps), data.truth.shape[0]) == 60
        np.testing.assert_array_equal(v.truth, tr.x[-n_val:])
        np.testing.assert_array_equal(v.context.x, tr.x[-n_val - data.context.n_steps: -n_val])
        assert [t.n_steps for t in v.train] == [t.n_steps - n_val for t in data.train]


def test_a_failing_candidate_is_a_trial_and_all_failing_keeps_the_entry():
    protocol = PROTOCOLS[0]
    data = make_data("Lorenz", protocol, 0)
    res = tune("LinearAR", {}, {"n_lags": [2, -1]}, data, protocol, "Lorenz", 2, 0)
    assert res.params == {"n_lags": 2}
    failed = next(t for t in res.trials if t["n_lags"] == -1)
    assert np.isnan(failed["score"]) and "n_lags" in failed["error"]
    none = tune("LinearAR", {}, {"n_lags": [-1, -2]}, data, protocol, "Lorenz", 2, 0)
    assert none.params == {} and np.isnan(none.score)


def test_untuned_keys_are_unchanged_and_tuned_jobs_are_labelled():
    job = Job("DMD", {"rank": 2}, "Lorenz", {"name": "dysts2021"}, 0)
    payload = json.dumps(["DMD", {"rank": 2}, "Lorenz", {"name": "dysts2021"}, 0, __version__],
                         sort_keys=True, separators=(",", ":"))
    assert job.key == hashlib.sha256(payload.encode()).hexdigest()[:20]
    plain = suite_jobs("standard", systems=["Lorenz"], methods=["LinearAR(5)", "Persistence"])
    tuned = suite_jobs("standard", systems=["Lorenz"], methods=["LinearAR(5)", "Persistence"],
                       tune=3)
    names = sorted({j.name for j in tuned})
    assert names == ["LinearAR(5)+tune3", "Persistence"]  # Persistence has nothing to tune
    assert {j.key for j in plain} & {j.key for j in tuned} == \
        {j.key for j in plain if j.method == "Persistence"}
    with pytest.raises(ValidationError, match="tune"):
        suite_jobs("quick", tune=-1)


def test_run_records_the_choice_and_the_report_shows_it(tmp_path):
    store = tmp_path / "r.sqlite"
    result = CliRunner().invoke(app, ["bench", "run", "--suite", "standard", "--store", str(store),
                                      "--system", "Lorenz", "--method", "LinearAR(5)", "--jobs",
                                      "1", "--tune", "3", "--quiet"])
    assert result.exit_code == 0, result.output
    with Store(store, readonly=True) as db:
        records = db.results()
    assert len(records) == 3 and all(r.ok for r in records)
    for rec in records:
        assert rec.method == "LinearAR(5)+tune3"
        assert rec.tuning["budget"] == 3 and len(rec.tuning["trials"]) == 3
        assert set(rec.tuning["params"]) == {"n_lags", "alpha"}
        assert rec.timings["tune_seconds"] == rec.tuning["seconds"] > 0
    summary = run("standard", store, jobs=1, systems=["Lorenz"], methods=["LinearAR(5)"], tune=3,
                  progress=False)
    assert summary.skipped == 3  # resumable like any job
    page = (write_report(store, tmp_path / "rep").parent / "systems" / "Lorenz.html").read_text()
    assert "chosen hyperparameters" in page and "n_lags" in page


def test_dsr_is_tuned_by_dstsp_and_flow_protocols_are_not_tuned(spy, monkeypatch):
    from lindy.bench import _suites

    dsr = {"name": "dsr", "n_train": 1000, "test_length": 500, "context": 50, "transient": 100}
    monkeypatch.setitem(_suites.SUITES, "mixed", {
        "systems": ["Lorenz"], "random_states": [0],
        "methods": [("Spy", "SpyAR", {"n_lags": 2}, {"n_lags": [1, 2, 4]})],
        "protocols": [dsr, {"name": "control"}]})
    jobs = suite_jobs("mixed", tune=2)
    assert [(j.protocol["name"], j.name, bool(j.tuning)) for j in jobs] == \
        [("dsr", "Spy+tune2", True), ("control", "Spy", False)]
    rec, _ = execute(jobs[0], warmup=False)
    assert rec.ok, rec.error
    assert rec.tuning["metric"] == "dstsp" and rec.tuning["val_steps"] == 200
    # each validation forecast generates 1.25 x the held-out length, as the protocol does
    assert HORIZONS == [250] * 2 * 2 + [625]
    data = make_data("Lorenz", dsr, 0)
    truth = _rows(data.truth)
    assert all(not (_rows(arr) & truth) for _, arr in spy)
    assert rec.tuning["score"] == min(t["score"] for t in rec.tuning["trials"])


def test_bench_methods_lists_the_search_spaces():
    from rich.console import Console

    from lindy import cli

    old = cli.console
    try:
        cli.console = Console(width=250, record=True)
        assert CliRunner().invoke(app, ["bench", "methods"]).exit_code == 0
        text = cli.console.export_text()
    finally:
        cli.console = old
    assert "search space (--tune)" in text
    assert "ContextParroting" in text and "n_delays: [3, 5, 10, 20]" in text
