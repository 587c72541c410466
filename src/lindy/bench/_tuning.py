"""Per-protocol hyperparameter tuning by a stated budget, on a validation split only.

A method's search space is a dict ``parameter -> list of values``: a suite entry
may give it as a fourth element, else :data:`SEARCH_SPACES` holds one per
registered method. With a budget of ``N`` (``lindy bench run --tune N`` or a
suite's ``"tune"``), :func:`tune` draws up to ``N`` seeded candidates from the
space, fits each on the first part of every training trajectory, forecasts the
held-out last part (:func:`lindy._hyperparameters.hold_out_ends`, at most the
protocol's test length) from the samples before it, and scores it with the
protocol's own scorer against that held-out part of the *training* data. The
test window is never given to a candidate nor to the scorer. The best candidate
(by :data:`SELECTION_METRIC`) is then refitted on the full training data by the
protocol as usual, and the record keeps the budget, the space, the choice and
every trial.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from .._hyperparameters import draw_candidates, hold_out_ends
from ..errors import ValidationError
from ..systems import get_system
from ._methods import build_method
from ._protocols import PROTOCOLS, ProtocolData, _settings, timed_fit

__all__ = ["SEARCH_SPACES", "SELECTION_METRIC", "VAL_FRACTION", "TuningResult",
           "register_search_space", "tune", "validation_data"]

#: fraction of each training trajectory held out at its end for validation
VAL_FRACTION = 0.2

#: protocol name -> (metric of its scorer, higher is better) that picks the candidate;
#: only these protocols are tuned (a new forecasting protocol adds its entry here)
SELECTION_METRIC: dict[str, tuple[str, bool]] = {
    "forecast": ("vpt", True),
    "dysts2021": ("smape", False),
    "zeroshot2025": ("vpt", True),
    "dsr": ("dstsp", False),
}

#: registered method name -> small default search space (parameter -> values)
SEARCH_SPACES: dict[str, dict] = {
    "LinearAR": {"n_lags": [1, 2, 5, 10, 20, 40], "alpha": [1e-8, 1e-4, 1e-1]},
    "DMD": {"rank": [None, 1, 2, 3, 5]},
    "HankelDMD": {"n_delays": [5, 10, 20, 40], "rank": [5, 10, 20, 40]},
    "HAVOK": {"n_delays": [10, 20, 40], "rank": [3, 5, 9]},
    "EDMD": {"alpha": [0.0, 1e-8, 1e-4], "rank": [None, 20, 40]},
    "KernelEDMD": {"rank": [10, 30, 50], "alpha": [1e-8, 1e-6, 1e-3]},
    "LinearGaussianSSM": {"state_dim": [2, 4, 6, 8]},
    "SubspaceID": {"state_dim": [None, 2, 4, 6, 8]},
    "SINDy": {"threshold": [0.01, 0.05, 0.1, 0.3], "alpha": [1e-3, 0.05, 0.5]},
    "NVAR": {"n_delays": [1, 2, 3, 4], "degree": [1, 2, 3], "alpha": [1e-6, 1e-3, 0.3]},
    "ESN": {"input_scaling": [0.1, 0.3, 1.0], "spectral_radius": [0.5, 0.9, 1.2],
            "alpha": [1e-7, 1e-5, 1e-3]},
    "Simplex": {"n_delays": [2, 3, 4, 5, 6, 8]},
    "SMap": {"n_delays": [2, 3, 4, 6], "theta": [0.5, 1.0, 2.0, 4.0, 8.0]},
    "ContextParroting": {"n_delays": [3, 5, 10, 20]},
    "SpectralFilter": {"n_filters": [8, 16, 24, 32]},
}


def register_search_space(method: str, space: dict) -> None:
    """Set the default search space of a registered method (``parameter -> list of values``).

    Examples
    --------
    >>> register_search_space("Simplex", {"n_delays": [2, 3, 4, 5, 6, 8]})
    >>> SEARCH_SPACES["Simplex"]
    {'n_delays': [2, 3, 4, 5, 6, 8]}
    >>> register_search_space("Simplex", {"n_delays": 3})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lindy.errors.ValidationError: A search space maps each parameter to a non-empty list ...
    """
    SEARCH_SPACES[method] = check_space(space)


def check_space(space) -> dict:
    """A search space as a plain dict of non-empty lists (JSON values, part of job keys)."""
    if not isinstance(space, dict) or not all(
            isinstance(v, (list, tuple)) and len(v) > 0 for v in space.values()):
        raise ValidationError("A search space maps each parameter to a non-empty list of values; "
                              f"got {space!r}.")
    return {str(k): list(v) for k, v in space.items()}


@dataclass(frozen=True)
class TuningResult:
    """The outcome of :func:`tune`.

    Attributes
    ----------
    params : dict
        The chosen values (empty when every candidate failed: the entry's own
        parameters are kept).
    metric : str
        The selection metric and ``higher_is_better`` its direction.
    higher_is_better : bool
    score : float
        The chosen candidate's mean validation score (nan if none succeeded).
    trials : tuple of dict
        Every candidate in the order run: its values, ``score`` and ``error``.
    val_steps : int
        Samples held out at the end of each training trajectory.
    """

    params: dict
    metric: str
    higher_is_better: bool
    score: float
    trials: tuple
    val_steps: int

    def as_record(self, budget: int, space: dict, seconds: float) -> dict:
        """The ``Record.tuning`` entry: budget, space, choice, trials and time."""
        return {"budget": budget, "space": space, "params": self.params, "metric": self.metric,
                "score": self.score, "val_fraction": VAL_FRACTION, "val_steps": self.val_steps,
                "trials": list(self.trials), "seconds": seconds}


def validation_data(data: ProtocolData, val_fraction: float = VAL_FRACTION
                    ) -> list[ProtocolData]:
    """Validation problems carved from the training data of ``data`` only.

    Every training trajectory gives one: its last ``round(val_fraction * T)``
    samples (at most the protocol's test length) are the truth, the context is the
    end of its first part (as long as the protocol's context, at most that part),
    and the training set is the first parts of all trajectories. The scale is the
    standard deviation of those first parts. Only the *length* of the test window
    is read (to cap the validation window), never its values.

    Examples
    --------
    >>> from lindy.bench import make_data
    >>> d = make_data("Lorenz", {"name": "dysts2021", "transient": 100}, 0)
    >>> [(v.train[0].n_steps, v.context.n_steps, v.truth.shape) for v in validation_data(d)]
    [(800, 800, (200, 1))]
    """
    fits, ends = hold_out_ends(data.train, val_fraction, max_steps=data.truth.shape[0])
    scale = np.concatenate([tr.x for tr in fits]).std(axis=0)
    out = []
    for fit, end in zip(fits, ends):
        n_ctx = min(data.context.n_steps, fit.n_steps)
        out.append(ProtocolData(fits, fit[fit.n_steps - n_ctx:], end.x, scale))
    return out


def tune(method: str, params: dict, space: dict, data: ProtocolData, protocol: dict,
         system_name: str, budget: int, random_state: int) -> TuningResult:
    """Pick a method's hyperparameters for one job within ``budget`` candidates.

    Parameters
    ----------
    method : str
        Registered method name.
    params : dict
        The entry's own hyperparameters; each candidate overrides some of them.
    space : dict
        ``parameter -> list of values``.
    data : ProtocolData
        The job's data; only ``data.train`` (and the lengths of the context and
        of the test window) are used.
    protocol : dict
        Protocol name and settings (its scorer and horizon rule are used).
    system_name : str
    budget : int
        At most this many candidates (all of the grid if it is smaller).
    random_state : int
        Seeds the draw of candidates and each candidate's own ``random_state``.

    Returns
    -------
    TuningResult

    Examples
    --------
    >>> from lindy.bench import make_data
    >>> p = {"name": "dysts2021", "transient": 100}
    >>> d = make_data("Lorenz", p, 0)
    >>> res = tune("LinearAR", {}, {"n_lags": [1, 5, 20]}, d, p, "Lorenz", 3, 0)
    >>> res.metric, len(res.trials), res.params["n_lags"] in (1, 5, 20)
    ('smape', 3, True)
    """
    s = _settings(protocol)
    proto = PROTOCOLS[s["name"]]
    if proto.run is not None or s["name"] not in SELECTION_METRIC:
        raise ValidationError(f"Protocol {s['name']!r} has no selection metric, so it cannot be "
                              "tuned; add one to lindy.bench._tuning.SELECTION_METRIC.")
    metric, higher = SELECTION_METRIC[s["name"]]
    problems = validation_data(data)
    n_val = problems[0].truth.shape[0]
    horizon = max(n_val, int(math.ceil(proto.horizon(s) * n_val / data.truth.shape[0])))
    system = get_system(system_name)
    dt = float(data.train.dt or 1.0)
    rng = np.random.default_rng([int(random_state), 11])
    trials = []
    for cand in draw_candidates(check_space(space), int(budget), rng):
        score, error = _evaluate(method, {**params, **cand}, problems, horizon, proto, s,
                                 system, dt, metric, random_state)
        trials.append({**cand, "score": score, "error": error})
    ranked = [i for i in range(len(trials)) if np.isfinite(trials[i]["score"])]
    if not ranked:
        return TuningResult({}, metric, higher, float("nan"), tuple(trials), n_val)
    sign = -1.0 if higher else 1.0
    best = min(ranked, key=lambda i: (sign * trials[i]["score"], i))
    chosen = {k: v for k, v in trials[best].items() if k not in ("score", "error")}
    return TuningResult(chosen, metric, higher, trials[best]["score"], tuple(trials), n_val)


def _evaluate(method, params, problems, horizon, proto, s, system, dt, metric, random_state):
    """Mean validation score of one candidate; (nan, reason) if it fails or diverges."""
    from ._jobs import _interrupted, _one_line

    try:
        est = build_method(method, params)
        timed_fit(est, problems[0].train, random_state)
        scored = []
        for vdata in problems:
            pred = np.asarray(est.forecast(vdata.context, horizon=horizon).x, dtype=float)
            with np.errstate(all="ignore"):
                scored.append(proto.score(pred, vdata, s, system, dt)[0])
    except Exception as err:  # noqa: BLE001 - a failing candidate is a trial result
        if (stop := _interrupted(err)) is not None:
            raise stop from None
        return float("nan"), _one_line(err)
    if any(metric not in m for m in scored):
        raise ValidationError(f"Protocol {s['name']!r} scores no {metric!r}; add its selection "
                              "metric to lindy.bench._tuning.SELECTION_METRIC.")
    score = float(np.mean([float(m[metric]) for m in scored]))
    return (score, None) if np.isfinite(score) else (float("nan"), "non-finite validation score")


def tuned_estimator(job):
    """Build ``job``'s estimator, tuned first when the job has a budget: (estimator, tuning).

    ``tuning`` is the ``Record.tuning`` entry (empty for an untuned job).
    """
    if not job.tuning:
        return build_method(job.method, job.params), {}
    from ._protocols import make_data

    data = make_data(job.system, job.protocol, job.random_state)
    start = time.perf_counter()
    result = tune(job.method, job.params, job.tuning["space"], data, job.protocol, job.system,
                  job.tuning["budget"], job.random_state)
    seconds = time.perf_counter() - start
    estimator = build_method(job.method, {**job.params, **result.params})
    return estimator, result.as_record(job.tuning["budget"], job.tuning["space"], seconds)
