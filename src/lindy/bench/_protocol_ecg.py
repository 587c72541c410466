"""The ``ecg`` protocol: forecast a measured ECG and reproduce its long-term statistics.

Data: MIT-BIH Arrhythmia record 100 (:func:`lindy.datasets.load_ecg`), both
leads in millivolts, every ``downsample``-th sample (360 Hz / 2 = 180 Hz by
default). From sample ``offset``: ``n_train`` samples to learn from, then
``test_length`` test samples. Models do their own delay embedding (the ECG is
a scalar-like series: HankelDMD, NVAR, Simplex, ESN and the like read
windows of it).

Scores, from the last ``context`` training samples:

* short term, as the ``forecast`` protocol: sMAPE and NRMSE (per-lead std of
  the training data) of the first ``horizon`` forecast steps against the
  test samples;
* long term, as the ``dsr`` protocol (Hess et al. 2023): generate
  ``1.25 test_length`` steps, drop the first quarter and compare the rest with
  the test record by the state-space divergence D_stsp and the power-spectrum
  Hellinger distance D_H (statistics, not aligned in time).

The job's "system" is ``"ecg"``.
"""

from __future__ import annotations

import functools
import time

import numpy as np

from ..data import Trajectory, TrajectorySet
from ..errors import ValidationError
from ..metrics import nrmse, smape
from ._protocols import Protocol, ProtocolData, _score_dsr, timed_fit

__all__ = ["ECG", "run_ecg_protocol"]

_DEFAULTS = {"downsample": 2, "offset": 0, "n_train": 5000, "test_length": 2000, "context": 200,
             "horizon": 90}


@functools.lru_cache(maxsize=1)
def _record() -> Trajectory:
    from ..datasets import load_ecg

    return load_ecg().test[0]


def _settings(protocol: dict) -> dict:
    unknown = set(protocol) - set(_DEFAULTS) - {"name"}
    if unknown:
        raise ValidationError(f"Unknown settings {sorted(unknown)} for protocol 'ecg'; it takes "
                              f"{sorted(_DEFAULTS)}.")
    s = {**_DEFAULTS, **protocol, "name": "ecg"}
    for key in ("downsample", "n_train", "test_length", "context", "horizon"):
        if not isinstance(s[key], (int, np.integer)) or s[key] < 1:
            raise ValidationError(f"ecg protocol: {key} must be a positive int; got {s[key]!r}.")
    if not s["context"] <= s["n_train"] or not s["horizon"] <= s["test_length"]:
        raise ValidationError(f"ecg protocol: need context <= n_train and horizon <= test_length; "
                              f"got {s['context']}, {s['n_train']}, {s['horizon']}, "
                              f"{s['test_length']}.")
    return s


def _make_ecg(_system, s: dict, rng=None) -> ProtocolData:
    rec = _record()
    k = int(s["downsample"])
    need = int(s["offset"]) + k * (s["n_train"] + s["test_length"])
    if need > rec.n_steps or s["offset"] < 0:
        raise ValidationError(f"ecg protocol: offset {s['offset']} + downsample {k} x (n_train + "
                              f"test_length) exceeds the record's {rec.n_steps} samples.")
    x = rec.x[int(s["offset"]): need: k]
    t = rec.t[int(s["offset"]): need: k]
    n = s["n_train"]
    train = Trajectory(t=t[:n], x=x[:n])
    ctx = Trajectory(t=t[n - s["context"]: n], x=x[n - s["context"]: n])
    return ProtocolData(TrajectorySet([train]), ctx, x[n:], x[:n].std(axis=0))


def run_ecg_protocol(estimator, system: str = "ecg", protocol: dict | None = None,
                     random_state: int = 0):
    """Fit ``estimator`` on the ECG's training part; score short forecasts and long statistics.

    Parameters
    ----------
    estimator : lindy.base.Estimator
        Unfitted; its ``random_state`` (if any) is set to ``random_state``.
    system : str
        ``"ecg"`` (the only record).
    protocol : dict, optional
        Settings overriding the defaults (see the module docstring).
    random_state : int

    Returns
    -------
    metrics : dict
        ``smape``, ``nrmse`` (first ``horizon`` steps), ``dstsp``, ``hellinger``,
        ``finite``, ``test_length``, ``fit_seconds``, ``forecast_seconds``, ``dt``.
    arrays : dict
        ``truth`` and ``forecast`` (the last 2000 samples of the compared stretch).

    Examples
    --------
    >>> import lindy as ld
    >>> m, _ = run_ecg_protocol(ld.baselines.LinearAR(n_lags=10), "ecg",
    ...                         {"n_train": 1000, "test_length": 400, "horizon": 20})
    >>> sorted(k for k in m if k in ("dstsp", "hellinger", "nrmse", "smape"))
    ['dstsp', 'hellinger', 'nrmse', 'smape']
    """
    if system != "ecg":
        raise ValidationError(f"The ecg protocol runs on the system 'ecg'; got {system!r}.")
    s = _settings(protocol or {})
    data = _make_ecg(system, s)
    dt = float(data.context.dt)
    fit_seconds = timed_fit(estimator, data.train, random_state)
    T = s["test_length"]
    t0 = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):
        pred = np.asarray(estimator.forecast(data.context, horizon=int(round(1.25 * T))).x,
                          dtype=float)
    forecast_seconds = time.perf_counter() - t0
    metrics, arrays = _score_dsr(pred, data, s, None, dt)
    h = s["horizon"]
    safe = np.where(np.isfinite(pred[:h]), pred[:h], 1e30)
    with np.errstate(over="ignore", invalid="ignore"):
        metrics.update(smape=smape(data.truth[:h], safe),
                       nrmse=nrmse(data.truth[:h], safe, scale=data.scale))
    metrics.update(fit_seconds=fit_seconds, forecast_seconds=forecast_seconds, dt=dt)
    return metrics, arrays


#: the protocol's settings and data maker (its ``run`` fits, forecasts and scores)
ECG = Protocol("ecg", dict(_DEFAULTS), _make_ecg, _score_dsr,
               lambda s: int(round(1.25 * s["test_length"])),
               run=lambda est, system, protocol, rs: run_ecg_protocol(est, system, protocol, rs),
               systems=("ecg",))
