"""A small seeded hyperparameter search scored by valid prediction time on held-out ends."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone

from .._hyperparameters import draw_candidates, hold_out_ends
from .._validation import check_positive_int, check_rng
from ..data import Trajectory, TrajectorySet, as_trajectories
from ..errors import ValidationError
from ..metrics import valid_prediction_time

__all__ = ["search", "SearchResult"]


@dataclass(frozen=True)
class SearchResult:
    """The outcome of :func:`search`.

    Attributes
    ----------
    estimator : Estimator
        A clone with the best parameters, refitted on all the data.
    params : dict
        The best parameters.
    score : float
        Its mean valid prediction time on the validation ends (time units of ``t``).
    trials : tuple of dict
        One row per trial: its parameters, ``"score"`` and ``"error"`` (the
        message of a failed fit or forecast, else None), in the order run.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.sin(0.3 * np.arange(200))[:, None]
    >>> res = ld.reservoir.search(ld.reservoir.NVAR(degree=1), x, {"n_delays": [1, 2]})
    >>> res.params, [row["n_delays"] for row in res.trials]
    ({'n_delays': 2}, [1, 2])
    >>> print(res.table().splitlines()[0])
    n_delays | score | error
    """

    estimator: object
    params: dict
    score: float
    trials: tuple

    def table(self) -> str:
        """The trials as a plain-text table, best first."""
        rows = sorted(self.trials, key=lambda r: -r["score"])
        names = list(self.params)
        head = " | ".join(names + ["score", "error"])
        lines = [head, "-" * len(head)]
        for r in rows:
            cells = [repr(r[k]) for k in names] + [f"{r['score']:.4g}", r["error"] or ""]
            lines.append(" | ".join(cells))
        return "\n".join(lines)


def _score(est, fits: TrajectorySet, vals: list[Trajectory], threshold: float) -> float:
    times = []
    for ctx, val in zip(fits, vals):
        fc = est.forecast(ctx, horizon=val.n_steps, u=val.u if est.n_inputs_ else None)
        with np.errstate(all="ignore"):
            dt = est.dt_ if est.dt_ is not None else est.median_dt_
            times.append(valid_prediction_time(val.x, fc.x, dt=dt, threshold=threshold))
    return float(np.mean(times))


def search(estimator, data, param_grid: dict, n_trials: int = 20, random_state=0, *,
           val_fraction: float = 0.2, threshold: float = 30.0) -> SearchResult:
    """Seeded random search of hyperparameters, scored by valid prediction time.

    The last ``val_fraction`` of every trajectory is held out; each trial fits a
    clone on the first parts and forecasts every held-out end in closed loop
    from its trajectory's first part. The score is the mean valid prediction
    time (:func:`lindy.metrics.valid_prediction_time`, sMAPE ``threshold``) in
    the time units of the data; a trial whose fit or forecast fails scores 0 and
    keeps its error message. The best parameters are refitted on all the data.

    Parameters
    ----------
    estimator : Estimator
        Unfitted template (its other parameters are kept).
    data : array_like or TrajectorySet
        Training data (see :func:`lindy.data.as_trajectories`).
    param_grid : dict
        ``name -> list of values`` (the grid; ``n_trials`` distinct points are
        drawn from it, all of them if it is smaller) or ``name -> distribution``
        with ``rvs(random_state=...)`` (scipy.stats), sampled independently.
    n_trials : int, default 20
    random_state : int, Generator or None, default 0
        Seed of the sampling of trials.
    val_fraction : float, default 0.2
        Fraction of each trajectory held out at its end.
    threshold : float, default 30
        sMAPE threshold of the valid prediction time.

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.sin(0.3 * np.arange(400))[:, None] * [1.0, 2.0]
    >>> res = ld.reservoir.search(ld.reservoir.NVAR(degree=1), x, {"n_delays": [1, 2, 3],
    ...                           "alpha": [1e-8, 1e2]}, n_trials=4, random_state=0)
    >>> len(res.trials), res.estimator.n_delays >= 2
    (4, True)
    """
    n_trials = check_positive_int(n_trials, "n_trials")
    if not (0.0 < float(val_fraction) < 1.0):
        raise ValidationError(f"val_fraction must be in (0, 1); got {val_fraction!r}.")
    if not isinstance(param_grid, dict):
        raise ValidationError(f"param_grid must be a dict of name -> values; got {param_grid!r}.")
    unknown = set(param_grid) - set(estimator.get_params(deep=False))
    if unknown:
        raise ValidationError(f"{type(estimator).__name__} has no parameter(s) {sorted(unknown)}.")
    data = data if isinstance(data, TrajectorySet) else as_trajectories(data)
    fits, vals = hold_out_ends(data, float(val_fraction))
    trials = []
    for params in draw_candidates(param_grid, n_trials, check_rng(random_state)):
        est = clone(estimator).set_params(**params)
        try:
            score, error = _score(est.fit(fits), fits, vals, threshold), None
        except (ValueError, ArithmeticError, np.linalg.LinAlgError) as err:
            score, error = 0.0, f"{type(err).__name__}: {err}"
        trials.append({**params, "score": score, "error": error})
    best = max(range(len(trials)), key=lambda i: (trials[i]["score"], -i))
    params = {k: trials[best][k] for k in param_grid}
    final = clone(estimator).set_params(**params).fit(data)
    return SearchResult(estimator=final, params=params, score=trials[best]["score"],
                        trials=tuple(trials))
