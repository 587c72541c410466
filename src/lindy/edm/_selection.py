"""Choosing the embedding and the S-map localization by cross-validated forecast skill."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone

from .._validation import check_positive_int
from ..data import TrajectorySet, as_trajectories
from ..errors import ValidationError
from ._simplex import Simplex, SMap

__all__ = ["SkillTable", "skill", "select_embedding", "select_theta"]


@dataclass(frozen=True)
class SkillTable:
    """Forecast skill of each candidate (the pyEDM ``EmbedDimension``/``PredictNonlinear`` tables).

    Attributes
    ----------
    values : ndarray
        The candidate values (embedding dimensions or thetas).
    rho : ndarray
        Pearson correlation of one-step predictions with the observations on the
        validation segments (averaged over coordinates).
    best : float or int
        The candidate with the highest ``rho``.
    """

    values: np.ndarray
    rho: np.ndarray
    best: float


def _split(data: TrajectorySet, validation: float):
    """The head of every trajectory for the library, its tail for validation."""
    if not 0 < validation < 1:
        raise ValidationError(f"validation must be a fraction in (0, 1); got {validation!r}.")
    lib, val = [], []
    for tr in data:
        cut = int(round(tr.n_steps * (1 - validation)))
        lib.append(tr[:cut])
        val.append(tr[cut:])
    return TrajectorySet(lib), TrajectorySet(val)


def skill(estimator, library: TrajectorySet, validation: TrajectorySet) -> float:
    """Mean Pearson correlation of one-step predictions on ``validation`` after fitting on ``library``.

    Parameters
    ----------
    estimator : lindy.base.Estimator
        Unfitted; a clone is fitted.
    library, validation : TrajectorySet
        Training segments and held-out segments.

    Returns
    -------
    float
        Correlation of predictions and observations, averaged over coordinates.
    """
    model = clone(estimator).fit(library)
    preds, obs = [], []
    for tr in validation:
        if tr.n_steps <= model._min_context():
            continue
        p = model.predict(tr.x)
        ok = np.all(np.isfinite(p[:-1]), axis=1)
        preds.append(p[:-1][ok])
        obs.append(tr.x[1:][ok])
    if not preds:
        raise ValidationError("The validation segments are too short for this embedding; "
                              "lower validation or the embedding dimension.")
    P, O = np.concatenate(preds), np.concatenate(obs)
    rho = [np.corrcoef(P[:, j], O[:, j])[0, 1] for j in range(P.shape[1])]
    return float(np.nanmean(rho))


def select_embedding(X, max_delays: int = 10, *, stride: int = 1, validation: float = 0.3):
    """Embedding dimension by simplex skill on held-out segments (pyEDM's ``EmbedDimension``).

    Parameters
    ----------
    X : array_like or TrajectorySet
        Training data (time on the first axis).
    max_delays : int, default 10
        Candidates ``n_delays = 1..max_delays``.
    stride : int, default 1
    validation : float, default 0.3
        Fraction at the end of each trajectory used for scoring.

    Returns
    -------
    SkillTable

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.empty(1000); x[0] = 0.2
    >>> for k in range(999): x[k + 1] = 3.9 * x[k] * (1 - x[k])
    >>> int(ld.edm.select_embedding(x, max_delays=4).best)
    1
    """
    data = as_trajectories(X)
    lib, val = _split(data, validation)
    values = np.arange(1, check_positive_int(max_delays, "max_delays") + 1)
    rho = np.array([skill(Simplex(n_delays=int(E), stride=stride), lib, val) for E in values])
    return SkillTable(values=values, rho=rho, best=int(values[np.nanargmax(rho)]))


def select_theta(X, n_delays: int, thetas=(0, 0.1, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8), *,
                 stride: int = 1, validation: float = 0.3):
    """S-map localization by skill on held-out segments (pyEDM's ``PredictNonlinear``).

    Skill rising with ``theta`` is evidence of state-dependent dynamics.

    Returns
    -------
    SkillTable

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> x = np.empty(600); x[0] = 0.2
    >>> for k in range(599): x[k + 1] = 3.9 * x[k] * (1 - x[k])
    >>> table = ld.edm.select_theta(x, n_delays=1, thetas=(0, 2, 8))
    >>> bool(table.best > 0 and table.rho[-1] > table.rho[0])
    True
    """
    data = as_trajectories(X)
    lib, val = _split(data, validation)
    values = np.asarray(thetas, dtype=float)
    rho = np.array([skill(SMap(n_delays=n_delays, stride=stride, theta=float(th)), lib, val)
                    for th in values])
    return SkillTable(values=values, rho=rho, best=float(values[np.nanargmax(rho)]))
