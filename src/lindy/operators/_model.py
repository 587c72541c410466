"""A fitted linear-operator model as a frozen value, and the liftings (encoders) it uses.

Every operator estimator produces an :class:`OperatorModel`, in the row
convention (samples are rows):

* an encoder ``z = E(x)`` (a lifting followed by a linear map, see the
  ``*Lift`` classes), ``(r,)`` per sample;
* the reduced operator ``M`` (r, r) with ``z_{t+1} ≈ z_t M``;
* a next-step decoder ``C`` (r, d) with ``x_{t+1} ≈ z_t C``, or, for input
  models, ``z_{t+1} = z_t M + u_t B`` and a state decoder ``x_t = z_t C_d``.

With ``M = W diag(lam) W^{-1}`` the right eigenfunctions are ``phi(x) = E(x) W``
and the modes are the rows of ``diag(1/lam) W^{-1} C``, so
``x_{t+k} ≈ sum_i phi_i(x_t) lam_i^k mode_i``. The model also keeps the
encoded training pairs, for ResDMD residuals and observable decoders. Models
and liftings hold numpy arrays and lindy objects only, so they round-trip
through ``save``/``lindy.load``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..data import delay_embed
from ._kernel_core import kernel_matrix
from ._linalg import eig_sorted

__all__ = ["OperatorModel", "LinearLift", "DelayLift", "DictionaryLift", "KernelLift",
           "ModalLift", "operator_model", "restrict"]


def _padded(F: np.ndarray, T: int) -> np.ndarray:
    """Rows for the ``T`` input samples: NaN where the window is incomplete."""
    pad = T - F.shape[0]
    if pad:
        F = np.vstack([np.full((pad, F.shape[1]), np.nan, dtype=F.dtype), F])
    return F


@dataclass(frozen=True)
class LinearLift:
    """``z = x B`` (DMD: ``B = conj(U_r)``; DMDc: the identity)."""

    B: np.ndarray
    window = 1

    def encode(self, x: np.ndarray) -> np.ndarray:
        return x @ self.B

    def then(self, T: np.ndarray) -> LinearLift:
        return replace(self, B=self.B @ T)


@dataclass(frozen=True)
class DelayLift:
    """``z = [x_{k-(q-1)s}, ..., x_k] B``: a delay window, oldest sample first."""

    n_delays: int
    stride: int
    B: np.ndarray

    @property
    def window(self) -> int:
        return (self.n_delays - 1) * self.stride + 1

    def encode(self, x: np.ndarray) -> np.ndarray:
        return _padded(delay_embed(x, self.n_delays, self.stride) @ self.B, x.shape[0])

    def then(self, T: np.ndarray) -> DelayLift:
        return replace(self, B=self.B @ T)


@dataclass(frozen=True)
class DictionaryLift:
    """``z = Psi(x) B`` with a fitted :class:`~lindy.operators.Dictionary`."""

    dictionary: object
    B: np.ndarray

    @property
    def window(self) -> int:
        return self.dictionary.window

    def encode(self, x: np.ndarray) -> np.ndarray:
        return _padded(self.dictionary.transform(x) @ self.B, x.shape[0])

    def then(self, T: np.ndarray) -> DictionaryLift:
        return replace(self, B=self.B @ T)


@dataclass(frozen=True)
class KernelLift:
    """``z = k(x, points) B`` (kernel EDMD: training states or Nyström centres)."""

    points: np.ndarray
    kernel: object
    length_scale: float
    B: np.ndarray
    window = 1

    def encode(self, x: np.ndarray) -> np.ndarray:
        return kernel_matrix(x, self.points, self.kernel, self.length_scale) @ self.B

    def then(self, T: np.ndarray) -> KernelLift:
        return replace(self, B=self.B @ T)


@dataclass(frozen=True)
class ModalLift:
    """``z`` solves ``z W^T = x`` in the least-squares sense (amplitudes of unit modes)."""

    modes: np.ndarray
    window = 1

    def encode(self, x: np.ndarray) -> np.ndarray:
        return np.linalg.lstsq(self.modes, x.T.astype(complex), rcond=None)[0].T


@dataclass(frozen=True)
class OperatorModel:
    """A fitted linear operator: encoder, reduced operator, eigenpairs, decoders, data.

    Attributes
    ----------
    encoder : lifting with ``encode(x (T, d)) -> (T, r)`` and ``window``
    M : ndarray, shape (r, r)
        ``z_{t+1} ≈ z_t M``.
    C : ndarray, shape (r, d)
        Next-step decoder ``x_{t+1} ≈ z_t C`` (unforced).
    eigenvalues : ndarray, shape (r,)
        Discrete-time eigenvalues, by decreasing modulus.
    W : ndarray, shape (r, r)
        Right eigenvectors of ``M``: ``phi(x) = E(x) W``.
    left_W : ndarray, shape (r_left, r)
        Left eigenfunctions are ``left_encoder(x) left_W``.
    ZX, ZY : ndarray, shape (n, r)
        Encoded training pairs (inputs removed for input models).
    Y : ndarray, shape (n, d)
        The training successors (for observable decoders).
    dt : float
        Time step of ``M``.
    real : bool
        Whether the training data were real (forecasts are then real).
    left_encoder : lifting, optional
        Encoder of the left eigenfunctions (default: ``encoder``).
    rates : ndarray, optional
        Continuous-time eigenvalues when the model knows them directly.
    modes : ndarray, shape (d, r), optional
        Modes when the model defines its own (exact DMD modes, unit modes).
    input_map : ndarray, shape (m, r), optional
        ``z_{t+1} = z_t M + u_t B`` (input models).
    state_decoder : ndarray, shape (r, d), optional
        ``x_t = z_t C_d`` (input models).
    observable_decoder : {"lstsq", "gram"}
        How :func:`~lindy.operators._analysis.observable_decoder` fits a
        decoder: least squares, or ``Z^T g(Y) / n`` (kooplearn's convention
        for whitened codes).
    decoder : object, optional
        A nonlinear state decoder with ``decode(z (T, r)) -> x (T, d)`` (deep
        Koopman's decoder network); when set, forecasts and one-step
        predictions decode ``x_{t+1} = decode(z_t M)`` instead of ``z_t C``
        (``C`` still gives the modes).
    """

    encoder: object
    M: np.ndarray
    C: np.ndarray
    eigenvalues: np.ndarray
    W: np.ndarray
    left_W: np.ndarray
    ZX: np.ndarray
    ZY: np.ndarray
    Y: np.ndarray
    dt: float
    real: bool
    left_encoder: object = None
    rates: np.ndarray | None = None
    modes: np.ndarray | None = None
    input_map: np.ndarray | None = None
    state_decoder: np.ndarray | None = None
    observable_decoder: str = "lstsq"
    decoder: object = None

    @property
    def rank(self) -> int:
        """Number of eigenpairs."""
        return int(self.eigenvalues.shape[0])


def operator_model(encoder, M, C, ZX, ZY, Y, *, dt, real, eigenvalues=None, W=None,
                   **extra) -> OperatorModel:
    """Build an :class:`OperatorModel`, eigendecomposing ``M`` unless eigenpairs are given.

    Examples
    --------
    >>> m = operator_model(LinearLift(np.eye(1)), np.array([[0.5]]), np.array([[0.5]]),
    ...                    np.ones((3, 1)), 0.5 * np.ones((3, 1)), 0.5 * np.ones((3, 1)),
    ...                    dt=1.0, real=True)
    >>> m.eigenvalues.real.tolist(), m.rank
    ([0.5], 1)
    """
    if eigenvalues is None:
        eigenvalues, W = eig_sorted(M)
    left_W = np.linalg.solve(W, np.eye(W.shape[0], dtype=W.dtype)).T
    return OperatorModel(encoder=encoder, M=M, C=C, eigenvalues=eigenvalues, W=W, left_W=left_W,
                         ZX=ZX, ZY=ZY, Y=Y, dt=float(dt), real=bool(real), **extra)


def restrict(model: OperatorModel, keep: np.ndarray) -> OperatorModel:
    """The model on a subset of its eigenpairs (ResDMD's verified eigenpairs).

    The encoder becomes ``E(x) W[:, keep]`` (the kept eigenfunctions), the
    operator ``diag(lam[keep])`` and the decoder the kept modal coefficients.
    """
    W = model.W[:, keep]
    lam = model.eigenvalues[keep]
    C = model.C.astype(np.result_type(model.C, model.W))
    coef = np.linalg.solve(model.W, C)[keep]
    eye = np.eye(lam.shape[0], dtype=W.dtype)
    return replace(model, encoder=model.encoder.then(W), M=np.diag(lam), C=coef, eigenvalues=lam,
                   W=eye, left_W=model.left_W[:, keep],
                   left_encoder=model.left_encoder or model.encoder,
                   ZX=model.ZX @ W, ZY=model.ZY @ W,
                   rates=None if model.rates is None else model.rates[keep],
                   modes=None, observable_decoder="lstsq")
