"""A trained DeepKoopman as the frozen operator value of :mod:`lindy.operators`.

The encoder MLP becomes a lifting (:class:`MLPLift`, ``z = phi((x - mean) /
scale)``), the latent map ``K`` the reduced operator (row convention: ``M =
K^T``, so ``z_{t+1} = z_t M``) and the decoder MLP a nonlinear decoder
(:class:`MLPDecoder`, ``x = psi(z) scale + mean``), used by the operator
forecasts as ``x_{t+1} = psi(z_t M)``. Both hold numpy copies of the weights and
evaluate the MLPs in numpy (no torch). The encoded training pairs, which ResDMD
residuals and pseudospectra need, come from trajectories given to
:func:`deep_koopman_operator`; the linear next-step decoder ``C`` (for modes) is
their least-squares fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from ..data import as_trajectories
from ..operators._model import operator_model

__all__ = ["MLPLift", "MLPDecoder", "deep_koopman_operator"]


def _activation(name: str, a: np.ndarray) -> np.ndarray:
    if name == "tanh":
        return np.tanh(a)
    if name == "relu":
        return np.maximum(a, 0.0)
    if name == "softplus":  # torch.nn.Softplus: linear above 20
        return np.where(a > 20.0, a, np.log1p(np.exp(np.minimum(a, 20.0))))
    return 0.5 * a * (1.0 + erf(a / np.sqrt(2.0)))  # gelu (exact, torch's default)


def _mlp(weights, biases, activation: str, x: np.ndarray) -> np.ndarray:
    for i, (W, b) in enumerate(zip(weights, biases)):
        x = x @ W.T + b
        if i < len(weights) - 1:
            x = _activation(activation, x)
    return x


def _layers(state: dict, prefix: str) -> tuple[tuple, tuple]:
    idx = sorted({int(k.split(".")[1]) for k in state if k.startswith(prefix + ".")})
    return (tuple(np.array(state[f"{prefix}.{i}.weight"]) for i in idx),
            tuple(np.array(state[f"{prefix}.{i}.bias"]) for i in idx))


@dataclass(frozen=True, eq=False)
class MLPLift:
    """``z = phi((x - mean) / scale) B``: a multilayer perceptron as a lifting (numpy).

    Examples
    --------
    >>> lift = MLPLift((np.eye(2),), (np.zeros(2),), "tanh", np.zeros(2), np.ones(2), np.eye(2))
    >>> lift.encode(np.array([[1.0, 2.0]])).round(3)
    array([[1., 2.]])
    """

    weights: tuple
    biases: tuple
    activation: str
    mean: np.ndarray
    scale: np.ndarray
    B: np.ndarray
    window = 1

    def encode(self, x: np.ndarray) -> np.ndarray:
        """Codes of states ``x (T, d) -> (T, r)``."""
        return _mlp(self.weights, self.biases, self.activation, (x - self.mean) / self.scale) @ self.B

    def then(self, T: np.ndarray) -> MLPLift:
        """The lifting followed by the linear map ``T``."""
        return MLPLift(self.weights, self.biases, self.activation, self.mean, self.scale, self.B @ T)


@dataclass(frozen=True, eq=False)
class MLPDecoder:
    """``x = psi(z) scale + mean``: a multilayer perceptron as a state decoder (numpy).

    Examples
    --------
    >>> dec = MLPDecoder((2 * np.eye(1),), (np.zeros(1),), "tanh", np.ones(1), np.ones(1))
    >>> dec.decode(np.array([[1.5]]))
    array([[4.]])
    """

    weights: tuple
    biases: tuple
    activation: str
    mean: np.ndarray
    scale: np.ndarray

    def decode(self, z: np.ndarray) -> np.ndarray:
        """States of codes ``z (T, r) -> (T, d)``."""
        return _mlp(self.weights, self.biases, self.activation, z) * self.scale + self.mean


def deep_koopman_operator(model, X):
    """The :class:`~lindy.operators.OperatorModel` of a fitted DeepKoopman, with pairs from ``X``.

    Parameters
    ----------
    model : lindy.neural.DeepKoopman
        Fitted.
    X : array_like or TrajectorySet
        Trajectories whose consecutive pairs are encoded (``ZX``, ``ZY``, ``Y``)
        for residuals, pseudospectra and the linear decoder ``C``; usually the
        training data.

    Returns
    -------
    OperatorModel
        ``encoder`` an :class:`MLPLift`, ``M = K^T``, ``decoder`` an
        :class:`MLPDecoder`.
    """
    model._check_is_fitted()
    state = model.state_dict_
    enc_w, enc_b = _layers(state, "encoder")
    dec_w, dec_b = _layers(state, "decoder")
    r = model.state_dim
    lift = MLPLift(enc_w, enc_b, model.activation, model.mean_.copy(), model.scale_.copy(), np.eye(r))
    decoder = MLPDecoder(dec_w, dec_b, model.activation, model.mean_.copy(), model.scale_.copy())
    data = as_trajectories(X, min_length=2)
    Z = [lift.encode(model._check_x(tr.x, "X")) for tr in data]
    ZX = np.concatenate([z[:-1] for z in Z])
    ZY = np.concatenate([z[1:] for z in Z])
    Y = np.concatenate([tr.x[1:] for tr in data])
    M = np.array(state["K.weight"]).T
    C = np.linalg.lstsq(ZX, Y, rcond=None)[0]
    return operator_model(lift, M, C, ZX, ZY, Y, dt=float(model.dt_), real=True, decoder=decoder)
