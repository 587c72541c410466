"""``check_estimator``: the conformance suite every lindy estimator passes.

Examples
--------
>>> import lindy as ld
>>> ld.testing.check_estimator(ld.baselines.Persistence())
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
from sklearn.base import clone

from .data import Trajectory, TrajectorySet
from .errors import NotFittedError, ValidationError

__all__ = ["check_estimator", "conformance_data"]


def conformance_data(n_inputs: int = 0, seed: int = 0) -> TrajectorySet:
    """A ragged set of three noisy trajectories of a damped 2-D oscillator.

    The dynamics are mildly nonlinear and stable, so every kind of model can fit
    them; with ``n_inputs > 0`` the system is driven by random inputs.

    Examples
    --------
    >>> conformance_data().lengths
    [160, 110, 200]
    """
    rng = np.random.default_rng(seed)
    th = 0.3
    A = 0.97 * np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    B = rng.standard_normal((2, n_inputs))
    trajs = []
    for T in (160, 110, 200):
        x = np.empty((T, 2))
        x[0] = rng.standard_normal(2)
        u = rng.standard_normal((T, n_inputs)) if n_inputs else None
        for k in range(T - 1):
            drive = B @ u[k] if n_inputs else 0.0
            x[k + 1] = A @ x[k] + 0.05 * np.tanh(x[k]) ** 2 + drive + 0.02 * rng.standard_normal(2)
        trajs.append(Trajectory(t=0.1 * np.arange(T), x=x, u=u))
    return TrajectorySet(trajs)


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


def _fingerprint(est, data: TrajectorySet, horizon: int) -> np.ndarray:
    ctx = data[0]
    u_future = None
    if est.n_inputs_:
        u_future = np.random.default_rng(1).standard_normal((horizon, est.n_inputs_))
    fc = est.forecast(ctx, horizon=horizon, u=u_future)
    pred = est.predict(ctx.x, u=ctx.u) if est.n_inputs_ else est.predict(ctx.x)
    return np.concatenate([np.asarray(fc.x).ravel(), np.nan_to_num(pred, nan=1e300).ravel()])


def check_estimator(estimator, *, data: TrajectorySet | None = None) -> None:
    """Run the conformance suite on an (unfitted) estimator; raise AssertionError on failure.

    Checks, in order: ``get_params``/``clone`` round trip; ``NotFittedError``
    before ``fit``; ``fit`` on a ragged :class:`TrajectorySet` returns ``self``;
    inputs are not mutated; ``predict`` and ``forecast`` give finite arrays of the
    right shapes and times; the same ``random_state`` gives identical results;
    NaN, wrong shapes, too-short series, non-monotone ``t``, a bad horizon and a
    context of the wrong width raise :class:`lindy.errors.ValidationError` with a
    message naming the problem.

    Parameters
    ----------
    estimator : lindy.base.Estimator
        An unfitted estimator with its hyperparameters set.
    data : TrajectorySet, optional
        Training data; default :func:`conformance_data`.
    """
    name = type(estimator).__name__
    inputs = getattr(estimator, "_inputs", "never")
    if data is None:
        data = conformance_data(n_inputs=2 if inputs == "required" else 0)

    # 1. parameters round trip through clone and set_params
    params = estimator.get_params(deep=False)
    cloned = clone(estimator)
    for key, value in cloned.get_params(deep=False).items():
        assert _params_equal(value, params[key]), f"{name}: clone changed parameter {key!r}"
    cloned.set_params(**params)

    # 2. not fitted
    fresh = clone(estimator)
    x0 = data[0].x
    _expect(NotFittedError, f"{name}.predict before fit", lambda: fresh.predict(x0), ["fit"])
    _expect(NotFittedError, f"{name}.forecast before fit", lambda: fresh.forecast(x0, 3), ["fit"])

    # 3. fit on ragged data, inputs untouched
    before = copy.deepcopy([(tr.t.copy(), tr.x.copy(), None if tr.u is None else tr.u.copy()) for tr in data])
    raw = [tr.x.copy() for tr in data]
    raw_before = [r.copy() for r in raw]
    est = clone(estimator)
    out = est.fit(data)
    assert out is est, f"{name}.fit must return self"
    assert est.n_features_in_ == data.dim, f"{name}: n_features_in_ not set by fit"
    for (t, x, u), tr in zip(before, data):
        same = np.array_equal(t, tr.t) and np.array_equal(x, tr.x, equal_nan=True)
        assert same, f"{name}.fit mutated its input"
        assert u is None or np.array_equal(u, tr.u), f"{name}.fit mutated its input u"
    if inputs == "never":
        clone(estimator).fit(raw)  # a plain list of arrays works too
        for r, rb in zip(raw, raw_before):
            assert np.array_equal(r, rb, equal_nan=True), f"{name}.fit mutated a numpy input"

    # 4. predict / forecast shapes, times and finiteness
    ctx = data[1]
    pred = est.predict(ctx.x, u=ctx.u) if inputs != "never" else est.predict(ctx.x)
    assert isinstance(pred, np.ndarray) and pred.shape == ctx.x.shape, (
        f"{name}.predict must return shape {ctx.x.shape}; got {getattr(pred, 'shape', type(pred))}")
    assert np.isfinite(pred[-1]).all(), f"{name}.predict gave non-finite values at the last row"
    horizon = 7
    u_future = np.zeros((horizon, data.input_dim)) if data.input_dim else None
    fc = est.forecast(ctx, horizon=horizon, u=u_future)
    assert isinstance(fc, Trajectory), f"{name}.forecast must return a Trajectory"
    assert fc.x.shape == (horizon, data.dim), f"{name}.forecast shape {fc.x.shape}"
    assert np.isfinite(fc.x).all(), f"{name}.forecast returned non-finite values"
    assert fc.t[0] > ctx.t[-1] and np.all(np.diff(fc.t) > 0), f"{name}.forecast times must follow the context"
    fc_arr = est.forecast(ctx.x, horizon=horizon, u=u_future)
    np.testing.assert_allclose(fc_arr.x, fc.x, err_msg=f"{name}: forecast from array != from Trajectory")

    # 5. determinism
    a = _fingerprint(clone(estimator).fit(data), data, horizon)
    b = _fingerprint(clone(estimator).fit(data), data, horizon)
    np.testing.assert_array_equal(a, b, err_msg=f"{name}: two fits with the same parameters differ")

    # 6. bad input gives a clear lindy ValidationError
    X = data[0].x
    fit = clone(estimator).fit
    kw = {"u": data[0].u} if inputs == "required" else {}
    if not getattr(estimator, "_allow_nan", False):
        bad = X.copy()
        bad[3, 0] = np.nan
        _expect(ValidationError, f"{name}.fit with NaN", lambda: fit(bad, **kw), ["nan"])
    inf = X.copy()
    inf[2, 1] = np.inf
    _expect(ValidationError, f"{name}.fit with inf", lambda: fit(inf, **kw), ["infinite"])
    _expect(ValidationError, f"{name}.fit with a 4-D array", lambda: fit(np.zeros((2, 2, 5, 2))))
    short_u = {"u": data[0].u[:1]} if inputs == "required" else {}
    _expect(ValidationError, f"{name}.fit with a 1-sample series", lambda: fit(X[:1], **short_u), ["short"])
    t_bad = data[0].t.copy()
    t_bad[[4, 5]] = t_bad[[5, 4]]
    _expect(ValidationError, f"{name}.fit with non-monotone t", lambda: fit(X, t=t_bad, **kw), ["increasing"])
    wide = np.zeros((20, data.dim + 1))
    wide_u = {"u": np.zeros((20, data.input_dim))} if inputs != "never" and data.input_dim else {}
    _expect(ValidationError, f"{name}.predict with wrong width",
            lambda: est.predict(wide, **wide_u), ["columns"])
    _expect(ValidationError, f"{name}.forecast with horizon 0",
            lambda: est.forecast(ctx, 0, u=u_future), ["horizon"])
    _expect(ValidationError, f"{name}.forecast with a wrong-width context",
            lambda: est.forecast(wide, 3, u=None if u_future is None else u_future[:3]), ["columns"])
