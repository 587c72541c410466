"""Plots for operator models: spectra colored by residual, modes, forecasts, pseudospectra."""

from __future__ import annotations

import numpy as np

from ..errors import ValidationError

__all__ = ["plot_eigenvalues", "plot_modes", "plot_forecast", "plot_pseudospectrum"]


def _axes(ax):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure().add_subplot()


def plot_eigenvalues(model, ax=None, *, residuals=True, continuous=False, unit_circle=True,
                     cmap="viridis_r", **scatter_kw):
    """Eigenvalues in the complex plane, colored by their ResDMD residual.

    Parameters
    ----------
    model : fitted lindy.operators estimator
    ax : matplotlib Axes, optional
    residuals : bool or array_like, default True
        Color by ``model.residuals()`` (True), by the given values, or not at all.
    continuous : bool, default False
        Plot ``continuous_eigenvalues_`` (rates) instead of discrete eigenvalues.
    unit_circle : bool, default True
        Draw the unit circle (discrete) or the imaginary axis (continuous).
    cmap : str
    **scatter_kw
        Passed to ``ax.scatter``.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import lindy as ld
    >>> m = ld.operators.EDMD(ld.operators.Polynomial(2)).fit(ld.testing.conformance_data())
    >>> ax = plot_eigenvalues(m)
    >>> ax.get_xlabel()
    'Re'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax)
    lam = np.asarray(model.continuous_eigenvalues_ if continuous else model.eigenvalues_)
    colors = None
    if residuals is True:
        colors = model.residuals()
    elif residuals is not False and residuals is not None:
        colors = np.asarray(residuals, dtype=float)
        if colors.shape != lam.shape:
            raise ValidationError(f"residuals must have shape {lam.shape}; got {colors.shape}.")
    if unit_circle:
        if continuous:
            ax.axvline(0.0, color="0.6", lw=0.8)
        else:
            th = np.linspace(0, 2 * np.pi, 400)
            ax.plot(np.cos(th), np.sin(th), color="0.6", lw=0.8)
            ax.set_aspect("equal")
    kw = {"s": 25, "edgecolors": "k", "linewidths": 0.3, **scatter_kw}
    if colors is None:
        ax.scatter(lam.real, lam.imag, **kw)
    else:
        from matplotlib.colors import LogNorm

        c = np.maximum(colors, 1e-16)
        sc = ax.scatter(lam.real, lam.imag, c=c, cmap=cmap,
                        norm=LogNorm(vmin=c.min(), vmax=max(c.max(), c.min() * 10)), **kw)
        ax.figure.colorbar(sc, ax=ax, label="residual")
    ax.set_xlabel("Re")
    ax.set_ylabel("Im")
    return ax


def plot_modes(model, ax=None, *, which=None, part="abs"):
    """Mode shapes (one line per mode) against the state coordinate.

    Parameters
    ----------
    model : fitted lindy.operators estimator
    ax : matplotlib Axes, optional
    which : sequence of int, optional
        Modes to show (default: the first six).
    part : {"abs", "real", "imag"}

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import lindy as ld
    >>> ax = plot_modes(ld.operators.DMD().fit(ld.testing.conformance_data()))
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax)
    modes = np.asarray(model.modes_)
    which = range(min(6, modes.shape[1])) if which is None else which
    f = {"abs": np.abs, "real": np.real, "imag": np.imag}.get(part)
    if f is None:
        raise ValidationError(f"part must be 'abs', 'real' or 'imag'; got {part!r}.")
    lam = np.asarray(model.eigenvalues_)
    for j in which:
        ax.plot(f(modes[:, j]), marker="o", ms=3, label=f"λ={lam[j]:.3f}")
    ax.set_xlabel("coordinate")
    ax.set_ylabel(f"{part}(mode)")
    ax.legend(fontsize="small")
    return ax


def plot_forecast(truth, forecast, ax=None, *, dims=None, t_truth=None):
    """Forecast against the truth, one panel line per state coordinate.

    Parameters
    ----------
    truth : array_like (T, d) or Trajectory
    forecast : Trajectory or Forecast
        From ``model.forecast``; a :class:`~lindy.data.Forecast` with ``cov``
        gets a two-standard-deviation band.
    ax : matplotlib Axes, optional
    dims : sequence of int, optional
    t_truth : array_like (T,), optional
        Times of ``truth`` when it is an array (default: the forecast times).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.testing.conformance_data()
    >>> fc = ld.operators.DMD().fit(data).forecast(data[0].x[:1], horizon=20)
    >>> ax = plot_forecast(data[0].x[1:21], fc)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax)
    if hasattr(truth, "x"):
        t_truth, truth = truth.t, truth.x
    truth = np.asarray(truth, dtype=float).reshape(len(truth), -1)
    tt = forecast.t if t_truth is None else np.asarray(t_truth)
    dims = range(truth.shape[1]) if dims is None else dims
    std = getattr(forecast, "std", None) if getattr(forecast, "cov", None) is not None else None
    for i in dims:
        line, = ax.plot(tt, truth[:, i], lw=1.2, label=f"truth x{i}")
        ax.plot(forecast.t, forecast.x[:, i], "--", color=line.get_color(), label=f"forecast x{i}")
        if std is not None:
            ax.fill_between(forecast.t, forecast.x[:, i] - 2 * std[:, i],
                            forecast.x[:, i] + 2 * std[:, i], color=line.get_color(), alpha=0.2)
    ax.set_xlabel("t")
    ax.legend(fontsize="small")
    return ax


def plot_pseudospectrum(model, ax=None, *, extent=(-1.3, 1.3, -1.3, 1.3), n=60,
                        levels=(1e-3, 1e-2, 1e-1), X=None):
    """Contours of the ResDMD pseudospectrum with the eigenvalues on top.

    Parameters
    ----------
    model : fitted lindy.operators estimator
    ax : matplotlib Axes, optional
    extent : (xmin, xmax, ymin, ymax)
    n : int
        Grid points per axis.
    levels : sequence of float
        ``eps`` levels to draw.
    X : optional
        Fresh data for the residuals (see :meth:`residuals`).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import lindy as ld
    >>> ax = plot_pseudospectrum(ld.operators.DMD().fit(ld.testing.conformance_data()), n=10)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    ax = _axes(ax)
    xs = np.linspace(extent[0], extent[1], n)
    ys = np.linspace(extent[2], extent[3], n)
    Z = xs[None, :] + 1j * ys[:, None]
    res = model.pseudospectrum(Z, X=X)
    cs = ax.contour(xs, ys, res, levels=sorted(levels), cmap="magma")
    ax.clabel(cs, fmt="%.0e", fontsize="x-small")
    lam = np.asarray(model.eigenvalues_)
    ax.plot(lam.real, lam.imag, "k.", ms=4)
    th = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(th), np.sin(th), color="0.6", lw=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel("Re")
    ax.set_ylabel("Im")
    return ax
