"""The named conformance checks every lindy estimator passes.

Each check is ``check_<what>(estimator, data)``: it takes an unfitted
estimator (with its hyperparameters set) and training data, and raises
``AssertionError`` naming the estimator and the problem.
"""

from __future__ import annotations

import copy
import inspect
import os
import tempfile
from collections.abc import Callable

import numpy as np
from sklearn.base import clone

from ..data import Forecast, Trajectory, TrajectorySet
from ..errors import NotFittedError, ValidationError
from ._data import complex_linear_data, linear_continuation, linear_input_data

__all__ = ["CHECKS"]


def _params_equal(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    try:
        return bool(a == b) or (a is not None and type(a) is type(b) and repr(a) == repr(b))
    except (TypeError, ValueError):
        return repr(a) == repr(b)


def _expect(exc: type[Exception], what: str, func: Callable[[], object], must_say=()) -> None:
    try:
        func()
    except exc as err:
        text = str(err).lower()
        for word in must_say:
            if word.lower() not in text:
                raise AssertionError(
                    f"{what}: the {exc.__name__} message should mention {word!r}; got: {err}"
                ) from None
        return
    except Exception as err:  # noqa: BLE001 - we report the wrong exception type
        raise AssertionError(f"{what}: expected {exc.__name__}, got {type(err).__name__}: {err}") from err
    raise AssertionError(f"{what}: expected {exc.__name__}, but nothing was raised")


def _name(est) -> str:
    return type(est).__name__


def _uses_inputs(est) -> bool:
    return getattr(est, "_inputs", "never") != "never"


def _future_inputs(est, horizon: int):
    if not getattr(est, "n_inputs_", 0):
        return None
    return np.random.default_rng(1).standard_normal((horizon, est.n_inputs_))


def _fingerprint(est, data: TrajectorySet, horizon: int) -> np.ndarray:
    ctx = data[0]
    fc = est.forecast(ctx, horizon=horizon, u=_future_inputs(est, horizon))
    pred = est.predict(ctx)
    parts = [np.asarray(fc.x).ravel(), np.nan_to_num(pred, nan=1e300).ravel()]
    if fc.cov is not None:
        parts.append(fc.cov.ravel())
    return np.concatenate(parts)


# --------------------------------------------------------------------- checks
def check_parameters(est, data) -> None:
    """get_params/clone/set_params round trip; every argument has a declared constraint."""
    name = _name(est)
    params = est.get_params(deep=False)
    cloned = clone(est)
    for key, value in cloned.get_params(deep=False).items():
        assert _params_equal(value, params[key]), f"{name}: clone changed parameter {key!r}"
    cloned.set_params(**params)
    declared = getattr(est, "_parameter_constraints", {})
    missing = sorted(set(params) - set(declared))
    assert not missing, (f"{name}: parameters {missing} have no entry in _parameter_constraints; "
                         "declare what values each accepts")


def check_parameter_constraints(est, data) -> None:
    """An invalid hyperparameter is a ValidationError from fit naming the parameter."""
    name = _name(est)
    for key in getattr(est, "_parameter_constraints", {}):
        bad = clone(est).set_params(**{key: object()})
        _expect(ValidationError, f"{name}.fit with {key}=object()",
                lambda b=bad: b.fit(data), [repr(key)])


def check_not_fitted(est, data) -> None:
    """predict/forecast before fit raise NotFittedError."""
    name, fresh, x0 = _name(est), clone(est), data[0].x
    _expect(NotFittedError, f"{name}.predict before fit", lambda: fresh.predict(x0), ["fit"])
    _expect(NotFittedError, f"{name}.forecast before fit", lambda: fresh.forecast(data[0], 3), ["fit"])


def check_fit_ragged(est, data) -> None:
    """fit on a ragged TrajectorySet returns self and mutates nothing; plain lists work too."""
    name = _name(est)
    before = copy.deepcopy([(tr.t.copy(), tr.x.copy(), None if tr.u is None else tr.u.copy())
                            for tr in data])
    fitted = clone(est)
    assert fitted.fit(data) is fitted, f"{name}.fit must return self"
    assert fitted.n_features_in_ == data.dim, f"{name}: n_features_in_ not set by fit"
    for (t, x, u), tr in zip(before, data):
        assert np.array_equal(t, tr.t) and np.array_equal(x, tr.x, equal_nan=True), \
            f"{name}.fit mutated its input"
        assert u is None or np.array_equal(u, tr.u), f"{name}.fit mutated its input u"
    if not _uses_inputs(est):
        raw = [tr.x.copy() for tr in data]
        raw_before = [r.copy() for r in raw]
        clone(est).fit(raw)
        for r, rb in zip(raw, raw_before):
            assert np.array_equal(r, rb, equal_nan=True), f"{name}.fit mutated a numpy input"


def check_predict(est, data) -> None:
    """predict returns one row per sample, finite where there is history."""
    name, fitted, ctx = _name(est), clone(est).fit(data), data[1]
    pred = fitted.predict(ctx)
    assert isinstance(pred, np.ndarray) and pred.shape == ctx.x.shape, (
        f"{name}.predict must return shape {ctx.x.shape}; got {getattr(pred, 'shape', type(pred))}")
    assert np.isfinite(pred[-1]).all(), f"{name}.predict gave non-finite values at the last row"


def check_forecast(est, data) -> None:
    """forecast returns a Forecast of the right shape whose times continue the context's."""
    name, fitted, ctx, horizon = _name(est), clone(est).fit(data), data[1], 7
    u_future = _future_inputs(fitted, horizon)
    fc = fitted.forecast(ctx, horizon=horizon, u=u_future)
    assert isinstance(fc, Forecast), f"{name}.forecast must return a Forecast; got {type(fc).__name__}"
    assert fc.x.shape == (horizon, data.dim), f"{name}.forecast shape {fc.x.shape}"
    assert np.isfinite(fc.x).all(), f"{name}.forecast returned non-finite values"
    step = fitted.dt_ if fitted.dt_ is not None else fitted.median_dt_
    np.testing.assert_allclose(fc.t, ctx.t[-1] + step * np.arange(1, horizon + 1), rtol=1e-12,
                               err_msg=f"{name}.forecast times must continue the context's")
    if fc.cov is not None:
        assert fc.cov.shape == (horizon, data.dim, data.dim), f"{name}: forecast cov shape"
    if not fitted.n_inputs_:
        from_array = fitted.forecast(ctx.x, horizon=horizon)
        np.testing.assert_allclose(from_array.x, fc.x, rtol=1e-12, atol=1e-12,
                                   err_msg=f"{name}: forecast from an array != from a Trajectory")
        np.testing.assert_allclose(from_array.t - from_array.t[0], fc.t - fc.t[0], rtol=1e-12)


def check_determinism(est, data) -> None:
    """Two fits with the same parameters give identical forecasts and predictions."""
    a = _fingerprint(clone(est).fit(data), data, 7)
    b = _fingerprint(clone(est).fit(data), data, 7)
    np.testing.assert_array_equal(a, b, err_msg=f"{_name(est)}: two fits with the same parameters differ")


def check_bad_fit_input(est, data) -> None:
    """NaN, inf, 4-D, too-short and non-monotone inputs to fit are clear ValidationErrors."""
    name, X = _name(est), data[0].x
    fit = clone(est).fit
    kw = {"u": data[0].u} if data.input_dim else {}
    if not getattr(est, "_allow_nan", False):
        bad = X.copy()
        bad[3, 0] = np.nan
        _expect(ValidationError, f"{name}.fit with NaN", lambda: fit(bad, **kw), ["nan"])
    inf = X.copy()
    inf[2, 1] = np.inf
    _expect(ValidationError, f"{name}.fit with inf", lambda: fit(inf, **kw), ["infinite"])
    _expect(ValidationError, f"{name}.fit with a 4-D array", lambda: fit(np.zeros((2, 2, 5, 2))))
    short_u = {"u": data[0].u[:1]} if data.input_dim else {}
    _expect(ValidationError, f"{name}.fit with a 1-sample series", lambda: fit(X[:1], **short_u), ["short"])
    t_bad = data[0].t.copy()
    t_bad[[4, 5]] = t_bad[[5, 4]]
    _expect(ValidationError, f"{name}.fit with non-monotone t", lambda: fit(X, t=t_bad, **kw), ["increasing"])


def check_bad_call_input(est, data) -> None:
    """Wrong widths, horizon 0 and missing context inputs are clear ValidationErrors."""
    name, fitted, ctx = _name(est), clone(est).fit(data), data[1]
    wide = np.zeros((20, data.dim + 1))
    wide_u = {"u": np.zeros((20, data.input_dim))} if data.input_dim else {}
    _expect(ValidationError, f"{name}.predict with wrong width", lambda: fitted.predict(wide, **wide_u),
            ["columns"])
    u_future = _future_inputs(fitted, 3)
    _expect(ValidationError, f"{name}.forecast with horizon 0", lambda: fitted.forecast(ctx, 0, u=u_future),
            ["horizon"])
    wide_ctx = Trajectory(t=0.1 * np.arange(20), x=wide, u=wide_u.get("u"))
    _expect(ValidationError, f"{name}.forecast with a wrong-width context",
            lambda: fitted.forecast(wide_ctx, 3, u=u_future), ["columns"])
    if fitted.n_inputs_:
        _expect(ValidationError, f"{name}.forecast from a context without inputs",
                lambda: fitted.forecast(ctx.x, 3, u=u_future), ["input"])
        _expect(ValidationError, f"{name}.forecast without future inputs",
                lambda: fitted.forecast(ctx, 3), ["input"])


def check_input_timing(est, data) -> None:
    """Input models continue a known linear system exactly under the one input convention.

    ``u[k]`` acts at ``t[k]``; the step out of the context uses the context's last
    input and ``forecast``'s ``u`` holds the inputs at the forecast times.
    """
    if not _uses_inputs(est):
        return
    name = _name(est)
    train = linear_input_data(0)
    fitted = clone(est).fit(train)
    test = linear_input_data(7, lengths=(80,))[0]
    ctx, horizon = test[:50], 30
    u_future = test.u[50:50 + horizon]
    fc = fitted.forecast(ctx, horizon, u=u_future)
    exact = linear_continuation(ctx, u_future)
    np.testing.assert_allclose(exact, test.x[50:50 + horizon], rtol=1e-12, atol=1e-12)
    err = np.abs(fc.x - exact).max() / np.abs(exact).max()
    assert err < 1e-4, (f"{name}: forecast under the lindy input convention is off by {err:.2e} "
                        "(relative) on a noise-free linear system; the first forecast step must use "
                        "the context's last input and u[j] the input at forecast time j")


def check_free_run(est, data) -> None:
    """Input models simulate a noise-free linear system from the inputs alone.

    From a short measured output window (``simulate(u, y=window)``) and, for a
    system started at rest, from rest (``simulate(u)``), the outputs match to a
    relative ``_free_run_rtol`` (1e-6 unless a model class is only approximate,
    e.g. the echo-state network). Autonomous models refuse ``simulate`` clearly.
    """
    name = _name(est)
    if not _uses_inputs(est):
        fitted = clone(est).fit(data)
        _expect(ValidationError, f"{name}.simulate without inputs",
                lambda: fitted.simulate(np.zeros((5, 1))), ["input"])
        return
    fitted = clone(est).fit(linear_input_data(0))
    tol = getattr(est, "_free_run_rtol", 1e-6)
    test = linear_input_data(7, lengths=(80,))[0]
    w = max(fitted._min_context(), 3)
    for label, truth, kw in (("from an output window", test, {"y": test.x[:w]}),
                             ("from rest", linear_input_data(7, (80,), at_rest=True)[0], {})):
        sim = fitted.simulate(truth.u, **kw)
        assert isinstance(sim, Trajectory) and sim.x.shape == truth.x.shape, \
            f"{name}.simulate must return a Trajectory of shape {truth.x.shape}"
        assert sim.u is not None and np.array_equal(sim.u, truth.u), f"{name}.simulate: u attached"
        np.testing.assert_allclose(sim.t, fitted.dt_ * np.arange(truth.n_steps), rtol=1e-12)
        err = np.abs(sim.x - truth.x).max() / np.abs(truth.x).max()
        assert err < tol, (f"{name}: free run {label} is off by {err:.2e} (relative, tolerance "
                           f"{tol:g}) on a noise-free linear input system")
    bad_u = test.u.copy()
    bad_u[4, 0] = np.nan
    _expect(ValidationError, f"{name}.simulate with NaN in u", lambda: fitted.simulate(bad_u), ["nan"])
    _expect(ValidationError, f"{name}.simulate with u of the wrong width",
            lambda: fitted.simulate(np.zeros((20, 3))), ["shape"])


def check_complex_data(est, data) -> None:
    """DMD-family models fit complex snapshots exactly; every other model refuses them clearly."""
    name = _name(est)
    cdata, A = complex_linear_data()
    if not getattr(est, "_allow_complex", False):
        if _uses_inputs(est):
            u = [np.zeros((tr.n_steps, 1)) for tr in cdata]
            call = lambda: clone(est).fit([tr.x for tr in cdata], u=u)  # noqa: E731
        else:
            call = lambda: clone(est).fit(cdata)  # noqa: E731
        _expect(ValidationError, f"{name}.fit with complex data", call, ["complex"])
        return
    fitted = clone(est).fit(cdata)
    ctx = cdata[0][:40]
    fc = fitted.forecast(ctx, 10)
    assert np.iscomplexobj(fc.x), f"{name}: a forecast of complex data must be complex"
    np.testing.assert_allclose(fc.x, cdata[0].x[40:50], atol=1e-6 * np.abs(cdata[0].x).max(),
                               err_msg=f"{name}: forecast of an exact complex linear system")


def check_save_load(est, data) -> None:
    """save/lindy.load round-trips fitted and unfitted models with identical results."""
    from .._io import load

    name = _name(est)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.lindy")
        est.save(path)
        again = load(path)
        assert type(again) is type(est), f"{name}: load returned {type(again).__name__}"
        for key, value in est.get_params(deep=False).items():
            assert _params_equal(again.get_params(deep=False)[key], value), \
                f"{name}: parameter {key!r} changed through save/load"
        fitted = clone(est).fit(data)
        fitted.save(path)
        loaded = load(path)
        got, want = _fingerprint(loaded, data, 7), _fingerprint(fitted, data, 7)
        # equal up to the last bits: a strided view is stored contiguous, and BLAS may
        # round a contiguous operand differently
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15 * np.abs(want).max(),
                                   err_msg=f"{name}: forecasts differ after save/load")


#: (name, check) in the order check_estimator runs them
CHECKS: tuple[tuple[str, Callable], ...] = tuple(
    (fn.__name__, fn) for fn in (
        check_parameters, check_parameter_constraints, check_not_fitted, check_fit_ragged,
        check_predict, check_forecast, check_determinism, check_bad_fit_input,
        check_bad_call_input, check_input_timing, check_free_run, check_complex_data, check_save_load,
    )
)
assert all(inspect.isfunction(fn) for _, fn in CHECKS)
