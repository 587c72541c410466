"""The SINDy regression problem from trajectories, and ensembles of its sparse solutions.

Derivatives, weak-form integrals and lag pairs are built per trajectory and
stacked, so no row of the problem mixes two trajectories.

Examples
--------
>>> import numpy as np
>>> from lindy.data import as_trajectories
>>> from lindy.sparse import PolynomialLibrary
>>> t = np.linspace(0, 1, 50)
>>> data = as_trajectories([np.c_[np.exp(-t)], np.c_[2 * np.exp(-t)]], t=t)
>>> Theta, Y = regression_problem(data, PolynomialLibrary(1), discrete_time=True)
>>> Theta.shape, Y.shape
((98, 2), (98, 1))
"""

from __future__ import annotations

import numpy as np

from ..errors import ValidationError
from ._derivatives import (
    finite_difference,
    savgol_smooth,
    savitzky_golay,
    total_variation_derivative,
    weak_form_matrices,
)

__all__ = ["regression_problem", "ensemble", "DERIVATIVES", "default_window"]

#: accepted values of ``derivative``
DERIVATIVES = ("finite_difference", "savgol", "smoothed", "weak", "tv")


def default_window(derivative: str, window: int | None) -> int:
    """Samples per local fit (Savitzky-Golay) or per weak-form sub-domain."""
    if window is not None:
        return int(window)
    return 25 if derivative == "weak" else 11


def _variables(tr, x=None) -> np.ndarray:
    x = tr.x if x is None else x
    return x if tr.u is None else np.hstack([x, tr.u])


def regression_problem(data, library, *, derivative: str = "finite_difference",
                       window: int | None = None, n_windows: int | None = None,
                       discrete_time: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Library matrix ``Theta`` and targets ``Y`` stacked over the trajectories.

    Parameters
    ----------
    data : TrajectorySet
    library : Library
        Applied to ``[x, u]``.
    derivative : {"finite_difference", "savgol", "smoothed", "weak", "tv"}
        Continuous time only. ``"smoothed"`` evaluates the library on the
        smoothed states too. ``"tv"`` is the total-variation regularized
        derivative (Chartrand 2011). ``"weak"`` integrates against test functions on
        sub-domains (rows are sub-domains, not samples).
    window : int, optional
        Samples per Savitzky-Golay fit (default 11) or weak sub-domain (default 25).
    n_windows : int, optional
        Weak form: sub-domains per trajectory (default ``T / 5``, overlapping).
    discrete_time : bool
        Regress ``x[k+1]`` on ``Theta(x[k], u[k])``.

    Returns
    -------
    Theta : ndarray, shape (n_rows, n_terms)
    Y : ndarray, shape (n_rows, d)
    """
    w = default_window(derivative, window)
    thetas, targets = [], []
    for tr in data:
        Z = _variables(tr)
        if discrete_time:
            thetas.append(library.transform(Z[:-1]))
            targets.append(tr.x[1:])
            continue
        if derivative == "weak":
            n_win = n_windows or max(1, int(np.ceil(tr.n_steps / 5)))
            V, Vd = weak_form_matrices(tr.t, n_win, w)
            thetas.append(V @ library.transform(Z))
            targets.append(-Vd @ tr.x)
            continue
        if derivative == "finite_difference":
            dx = finite_difference(tr.x, tr.t)
        elif derivative == "savgol":
            dx = savitzky_golay(tr.x, tr.t, w)
        elif derivative == "tv":
            dx = total_variation_derivative(tr.x, tr.t)
        else:
            smooth = savgol_smooth(tr.x, tr.t, w)
            dx = finite_difference(smooth, tr.t)
            Z = _variables(tr, smooth)
        thetas.append(library.transform(Z))
        targets.append(dx)
    Theta, Y = (thetas[0], targets[0]) if len(thetas) == 1 else (np.vstack(thetas), np.vstack(targets))
    if not (np.all(np.isfinite(Theta)) and np.all(np.isfinite(Y))):
        raise ValidationError("The library gave non-finite values on the training data; check "
                              "the library functions (e.g. a log of negative values).")
    return Theta, Y


def ensemble(Theta, Y, solve, n_models: int, mode: str, rng) -> tuple[np.ndarray, np.ndarray]:
    """Fit ``n_models`` sparse models on bootstrap rows and/or random sub-libraries.

    Parameters
    ----------
    Theta : ndarray, shape (n_rows, n_terms)
    Y : ndarray, shape (n_rows, d)
    solve : callable
        ``solve(Theta, Y, cols) -> (d, len(cols))`` coefficients of the library
        columns ``cols`` that ``Theta`` holds.
    n_models : int
    mode : {"samples", "library", "both"}
        ``"samples"``: rows drawn with replacement; ``"library"``: one randomly
        chosen term left out of each model; ``"both"``: both at once.
    rng : numpy.random.Generator

    Returns
    -------
    coefs : ndarray, shape (n_models, d, n_terms)
    present : ndarray of bool, shape (n_models, n_terms)
        Which terms were candidates in each model.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.sparse import stlsq
    >>> rng = np.random.default_rng(0)
    >>> Theta = rng.standard_normal((100, 3)); Y = Theta[:, :1] * 2.0
    >>> solve = lambda A, B, cols: stlsq(A, B)
    >>> coefs, present = ensemble(Theta, Y, solve, 5, "library", rng)
    >>> coefs.shape, int(present.sum())
    ((5, 1, 3), 10)
    """
    n_rows, n_terms = Theta.shape
    coefs = np.zeros((n_models, Y.shape[1], n_terms))
    present = np.ones((n_models, n_terms), bool)
    for k in range(n_models):
        rows = rng.integers(0, n_rows, n_rows) if mode in ("samples", "both") else slice(None)
        if mode in ("library", "both") and n_terms > 1:
            present[k, rng.integers(n_terms)] = False
        cols = np.flatnonzero(present[k])
        coefs[k][:, cols] = solve(Theta[rows][:, cols], Y[rows], cols)
    return coefs, present
