"""Pure functions of an :class:`~lindy.operators._model.OperatorModel`: spectra, eigenfunctions,
modes, ResDMD residuals and pseudospectra, stability, observable decoders, one-step predictions."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import scipy.linalg

from ..data import stack
from ..errors import NumericalError, ValidationError
from ._model import OperatorModel, restrict

__all__ = ["StabilityReport", "continuous_eigenvalues", "modes", "eigenfunctions",
           "left_eigenfunctions", "encoded_pairs", "residuals", "pseudospectrum", "stability",
           "observable_decoder", "predict_next", "as_real", "verified"]


class StabilityReport(NamedTuple):
    """Summary of a discrete-time spectrum (see :func:`stability`).

    Attributes
    ----------
    spectral_radius : float
        ``max |lambda|``.
    n_unstable : int
        Eigenvalues with ``|lambda| > 1 + tol``.
    n_marginal : int
        Eigenvalues with ``| |lambda| - 1 | <= tol``.
    max_growth_rate : float
        ``max Re(log(lambda)) / dt``, the fastest continuous-time growth rate.
    stable : bool
        True if no eigenvalue is unstable.
    """

    spectral_radius: float
    n_unstable: int
    n_marginal: int
    max_growth_rate: float
    stable: bool


def as_real(model: OperatorModel, a: np.ndarray) -> np.ndarray:
    """The real part for models of real data (their complex parts are rounding)."""
    return a.real if model.real and np.iscomplexobj(a) else a


def continuous_eigenvalues(model: OperatorModel) -> np.ndarray:
    """``log(lambda) / dt`` (or the rates the model knows directly)."""
    if model.rates is not None:
        return model.rates
    with np.errstate(divide="ignore"):
        return np.log(model.eigenvalues.astype(complex)) / model.dt


def modes(model: OperatorModel, C: np.ndarray | None = None) -> np.ndarray:
    """Modes, shape (d, r): ``x_{t+k} ≈ sum_i phi_i(x_t) lambda_i^k modes[:, i]``."""
    if C is None and model.modes is not None:
        return model.modes
    C = model.C if C is None else C
    coef = np.linalg.solve(model.W, C.astype(np.result_type(C, model.W)))
    lam = model.eigenvalues
    return (coef / np.where(np.abs(lam) > 0, lam, 1.0)[:, None]).T


def eigenfunctions(model: OperatorModel, x: np.ndarray) -> np.ndarray:
    """Right eigenfunctions at the rows of ``x`` (NaN where a window is incomplete)."""
    return model.encoder.encode(x) @ model.W


def left_eigenfunctions(model: OperatorModel, x: np.ndarray) -> np.ndarray:
    """Left eigenfunctions, biorthogonal to the right ones."""
    return (model.left_encoder or model.encoder).encode(x) @ model.left_W


def encoded_pairs(model: OperatorModel, data) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the lag pairs of ``data`` (a TrajectorySet), never across two trajectories."""
    s = stack(data)
    Z = np.concatenate([model.encoder.encode(tr.x) for tr in data])
    ix, iy = s.pairs(1, history=model.encoder.window - 1)
    return Z[ix], Z[iy]


def residuals(model: OperatorModel, ZX: np.ndarray, ZY: np.ndarray) -> np.ndarray:
    """ResDMD residual ``||phi(Y) - lambda phi(X)|| / ||phi(X)||`` of every eigenpair."""
    PX, PY = ZX @ model.W, ZY @ model.W
    num = np.linalg.norm(PY - PX * model.eigenvalues, axis=0)
    den = np.linalg.norm(PX, axis=0)
    return num / np.where(den > 0, den, np.inf)


def pseudospectrum(ZX: np.ndarray, ZY: np.ndarray, grid, eps=None) -> np.ndarray:
    """``min_g ||g(Y) - z g(X)|| / ||g(X)||`` over the span of the codes, at each ``z``."""
    z = np.asarray(grid, dtype=complex)
    r = ZX.shape[1]
    R = np.linalg.qr(np.hstack([ZX, ZY]), mode="r")
    R1, R2 = R[:, :r], R[:, r:]
    Q1, T = np.linalg.qr(R1)
    if np.abs(np.diag(T)).min() <= np.abs(T).max() * r * np.finfo(float).eps:
        raise NumericalError("The encoded training data are rank deficient; lower the rank.")
    S = scipy.linalg.solve_triangular(T, R2.T, trans="T", lower=False).T  # R2 T^{-1}
    out = np.array([np.linalg.svd(S - zi * Q1, compute_uv=False)[-1] for zi in z.ravel()])
    out = out.reshape(z.shape)
    if eps is None:
        return out
    e = np.asarray(eps, dtype=float)
    return out[..., None] < e if e.ndim else out < e


def stability(model: OperatorModel, tol: float = 1e-6) -> StabilityReport:
    """Spectral radius, unstable and marginal counts, fastest growth rate."""
    mod = np.abs(model.eigenvalues)
    rates = continuous_eigenvalues(model).real
    return StabilityReport(
        spectral_radius=float(mod.max()),
        n_unstable=int((mod > 1 + tol).sum()),
        n_marginal=int((np.abs(mod - 1) <= tol).sum()),
        max_growth_rate=float(np.max(rates[np.isfinite(rates)], initial=-np.inf)),
        stable=bool((mod <= 1 + tol).all()),
    )


def observable_decoder(model: OperatorModel, gY: np.ndarray) -> np.ndarray:
    """Next-step decoder of an observable from its values on the training successors."""
    Z = model.ZX
    if model.observable_decoder == "gram":
        return Z.T @ gY / Z.shape[0]
    return np.linalg.lstsq(Z, gY.astype(np.result_type(Z, gY)), rcond=None)[0]


def predict_next(model: OperatorModel, x: np.ndarray, u: np.ndarray | None) -> np.ndarray:
    """One-step predictions: row ``k`` predicts ``x[k + 1]``."""
    Z = model.encoder.encode(x)
    if model.decoder is not None:
        return model.decoder.decode(Z @ model.M)
    if model.input_map is None:
        return as_real(model, Z @ model.C)
    return as_real(model, (Z @ model.M + u @ model.input_map) @ model.state_decoder)


def verified(model: OperatorModel, tol):
    """The model on its eigenpairs with in-sample ResDMD residual <= ``tol``.

    Returns
    -------
    model : OperatorModel
        Unchanged when ``tol`` is None.
    residuals : ndarray or None
        Residuals of the kept eigenpairs (None when ``tol`` is None).
    all_residuals : ndarray or None
        Residuals of every eigenpair of the input model.
    """
    if tol is None:
        return model, None, None
    res = residuals(model, model.ZX, model.ZY)
    keep = res <= float(tol)
    if not keep.any():
        raise ValidationError(
            f"No eigenpair has a residual below residual_tol={tol:g} (smallest "
            f"{res.min():.3g}); raise the tolerance or enrich the dictionary.")
    return restrict(model, keep), res[keep], res
