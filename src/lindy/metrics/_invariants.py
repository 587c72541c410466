"""Errors of dynamical invariants between a true and a generated trajectory.

The long-term statistics the dynamical-systems-reconstruction and chaos-forecasting
literature reports beside D_stsp and D_H (e.g. Gilpin, "Chaos as an interpretable
benchmark for forecasting and data-driven modelling", NeurIPS 2021; Zhang and Gilpin,
ICLR 2025): the correlation dimension (Grassberger and Procaccia 1983) and the largest
Lyapunov exponent (Rosenstein, Collins and De Luca 1993), each estimated from both
trajectories with the same settings so that estimator bias cancels as far as it can.
"""

from __future__ import annotations

from .._validation import check_array
from ..errors import ShapeError, ValidationError

__all__ = ["correlation_dimension_error", "max_lyapunov_error"]


def _pair(true, generated):
    true = check_array(true, "true", ndim=(1, 2), min_rows=10)
    generated = check_array(generated, "generated", ndim=(1, 2), min_rows=10)
    true = true[:, None] if true.ndim == 1 else true
    generated = generated[:, None] if generated.ndim == 1 else generated
    if true.shape[1] != generated.shape[1]:
        raise ShapeError(f"true has {true.shape[1]} dimensions and generated "
                         f"{generated.shape[1]}; pass trajectories of the same system "
                         "coordinates (time first).")
    return true, generated


def _scaled(err: float, ref: float, relative: bool, what: str) -> float:
    if not relative:
        return float(err)
    if ref == 0:
        raise ValidationError(f"The true {what} is 0, so the relative error is undefined; "
                              "use relative=False.")
    return float(err / abs(ref))


def correlation_dimension_error(true, generated, *, relative: bool = False, **kwargs) -> float:
    """Absolute (or relative) error of the generated trajectory's correlation dimension.

    ``|D2(generated) - D2(true)|`` (divided by ``D2(true)`` when ``relative``), with
    both dimensions from :func:`lindy.analysis.correlation_dimension`
    (Grassberger-Procaccia; each trajectory standardized by its own scale) under the
    same settings, passed on as ``kwargs`` (``n_points``, ``r_quantiles``,
    ``min_tsep``, ``random_state``).

    Parameters
    ----------
    true, generated : array_like, shape (T, d) or (T,)
        Points on the true attractor and on the model's (time first, at least 10 rows).
    relative : bool, default False
        Divide by the true dimension.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.linspace(0, 200 * np.pi, 20000)
    >>> circle = np.column_stack([np.cos(t), np.sin(t)])
    >>> correlation_dimension_error(circle, circle)
    0.0
    >>> rng = np.random.default_rng(0)
    >>> square = rng.uniform(size=(20000, 2))          # a filled square: dimension 2
    >>> round(correlation_dimension_error(circle, square), 1)
    0.9
    """
    from ..analysis import correlation_dimension

    true, generated = _pair(true, generated)
    d_true = correlation_dimension(true, **kwargs)
    err = abs(correlation_dimension(generated, **kwargs) - d_true)
    return _scaled(err, d_true, relative, "correlation dimension")


def max_lyapunov_error(true, generated, dt: float, *, relative: bool = False,
                       reference: float | None = None, **kwargs) -> float:
    """Error of the generated trajectory's largest Lyapunov exponent (per unit time).

    ``|lambda(generated) - lambda(true)|`` with both exponents from
    :func:`lindy.analysis.max_lyapunov_rosenstein` (Rosenstein et al. 1993) under the
    same settings (``kwargs``: ``n_delays``, ``stride``, ``min_tsep``, ``horizon``,
    ``fit``); ``reference`` replaces the true trajectory's estimate by a known value
    (e.g. ``system.meta["max_lyapunov"]`` of :mod:`lindy.systems`), ``relative``
    divides by it.

    Parameters
    ----------
    true, generated : array_like, shape (T, d) or (T,)
        Regularly sampled trajectories (time first); ``true`` may be None when
        ``reference`` is given.
    dt : float
        Sampling interval of both.

    Examples
    --------
    >>> from lindy.systems import get_system, simulate
    >>> x = simulate(get_system("Henon"), n_steps=4000, transient=100)[0].x
    >>> max_lyapunov_error(x, x, 1.0, horizon=30, fit=(0, 8))
    0.0
    >>> bool(max_lyapunov_error(None, x, 1.0, reference=0.419, horizon=30, fit=(0, 8)) < 0.1)
    True
    """
    from ..analysis import max_lyapunov_rosenstein

    if reference is None:
        true, generated = _pair(true, generated)
        lam_true = max_lyapunov_rosenstein(true, dt, **kwargs)
    else:
        generated = check_array(generated, "generated", ndim=(1, 2), min_rows=10)
        lam_true = float(reference)
    err = abs(max_lyapunov_rosenstein(generated, dt, **kwargs) - lam_true)
    return _scaled(err, lam_true, relative, "largest Lyapunov exponent")
