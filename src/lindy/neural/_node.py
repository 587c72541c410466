"""Neural ODE: an MLP vector field trained through a fixed-step RK4 solver (Chen et al. 2018)."""

from __future__ import annotations

import math

import numpy as np

from .._constraints import Interval, Options
from ._base import TRAINING, NeuralEstimator
from ._torch import mlp, require_torch

__all__ = ["NeuralODE"]


def _field(module, z):
    """The vector field ``A z + MLP(z)`` in standardized coordinates and scaled time."""
    return module["linear"](z) + module["mlp"](z)


def _rk4(module, z, h, n_sub: int):
    """``n_sub`` classical RK4 steps of size ``h / n_sub``; ``h`` has shape (n, 1)."""
    h = h / n_sub
    for _ in range(n_sub):
        k1 = _field(module, z)
        k2 = _field(module, z + 0.5 * h * k1)
        k3 = _field(module, z + 0.5 * h * k2)
        k4 = _field(module, z + h * k3)
        z = z + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return z


#: Dormand-Prince 5(4) tableau: stages, 5th-order weights, 5th minus 4th-order weights
_DP_A = ((), (1 / 5,), (3 / 40, 9 / 40), (44 / 45, -56 / 15, 32 / 9),
         (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
         (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656))
_DP_B = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0)
_DP_E = (35 / 384 - 5179 / 57600, 0.0, 500 / 1113 - 7571 / 16695, 125 / 192 - 393 / 640,
         -2187 / 6784 + 92097 / 339200, 11 / 84 - 187 / 2100, -1 / 40)


def _dopri5(module, z, h, rtol: float, atol: float, max_steps: int = 10_000):
    """Adaptive Dormand-Prince 5(4) over each sample's interval ``h`` (n, 1).

    Every interval is mapped to ``s in [0, 1]`` (``dz/ds = h f(z)``), so one
    step-size sequence serves the whole batch; the error norm is the largest
    over the batch. Step-size decisions are not differentiated.
    """
    torch = require_torch()
    s, ds, n = 0.0, 1.0, 0
    while s < 1.0 - 1e-12:
        ds = min(ds, 1.0 - s)
        k = []
        for i in range(6):
            zi = z + ds * sum(a * kj for a, kj in zip(_DP_A[i], k)) if i else z
            k.append(h * _field(module, zi))
        new = z + ds * sum(b * kj for b, kj in zip(_DP_B, k) if b)
        k.append(h * _field(module, new))
        err = ds * sum(e * kj for e, kj in zip(_DP_E, k) if e)
        with torch.no_grad():
            tol = atol + rtol * torch.maximum(z.abs(), new.abs())
            ratio = float(((err / tol) ** 2).mean(dim=1).sqrt().max())
        n += 1
        if ratio <= 1.0 or n >= max_steps:
            s, z = s + ds, new
        ds = ds * min(5.0, max(0.2, 0.9 * (ratio if ratio > 0 else 1e-10) ** -0.2))
    return z


def _integrate(est, module, z, h, n_sub: int):
    if est.integrator == "dopri5":
        return _dopri5(module, z, h, est.rtol, est.atol)
    return _rk4(module, z, h, n_sub)


class NeuralODE(NeuralEstimator):
    """Neural ODE: ``dx/dt = f(x)`` with ``f`` a linear map plus an MLP, learned through RK4.

    States are standardized and time is measured in units of
    ``window * median_dt_``; the vector field ``f(z) = A z + MLP(z)`` is
    integrated by classical RK4 (or adaptive Dormand-Prince) between consecutive sample times and trained by
    backpropagation through the solver on multiple-shooting windows: each
    window of ``window + 1`` samples is integrated from its first observed state
    and the squared error to the observed states is minimized (windows overlap
    by half and never cross trajectories). Sample times may be irregular; every
    step integrates exactly the interval between samples.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default (64, 64)
        Widths of the MLP's hidden layers.
    activation : {"tanh", "relu", "softplus", "gelu"}, default "tanh"
    integrator : {"rk4", "dopri5"}, default "rk4"
        Fixed-step classical Runge-Kutta, or adaptive Dormand-Prince 5(4)
        (backpropagation through the accepted steps; one step-size sequence
        per batch, each interval mapped to unit length).
    max_step : float, optional
        Largest RK4 step, in the data's time unit: each interval is split into
        equal substeps no longer than this. Default one step per interval.
    rtol, atol : float, default 1e-6, 1e-8
        Tolerances of ``"dopri5"`` (on standardized states).
    window : int, default 10
        Steps per shooting window.
    max_iter : int, default 300
        Maximum number of training epochs.
    learning_rate : float, default 1e-2
        Adam (AdamW) step size.
    batch_size : int, optional
        Windows per gradient step; default all (full batch).
    validation_fraction : float, default 0.1
        Fraction of windows held out for early stopping.
    patience : int, optional, default 30
        Epochs without validation improvement before stopping; None never stops early.
    clip_norm : float, optional, default 1.0
        Gradient-norm clipping.
    alpha : float, default 0
        Weight decay.
    solver : {"adam", "lbfgs"}, default "adam"
        Optimizer (see :func:`lindy.neural.train`); ``"lbfgs"`` (full batch,
        ``learning_rate=1``, an epoch being 20 L-BFGS iterations) fits small
        smooth problems far more accurately.
    random_state : int, Generator or None, default 0
        Seeds the initial weights, the validation split and the shuffles: the
        same int gives identical weights on CPU.
    progress : bool, default False
        Show a rich progress bar while training.

    Attributes
    ----------
    state_dict_ : dict of str -> ndarray
        Fitted weights.
    mean_, scale_ : ndarray, shape (d,)
        Standardization of the states.
    time_scale_ : float
        Time unit of the vector field.
    loss_history_, val_loss_history_ : ndarray, shape (n_iter_,)
        Training and validation loss per epoch.
    n_iter_ : int
        Epochs run.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> t = np.sort(np.random.default_rng(0).uniform(0, 10, 80))
    >>> model = ld.neural.NeuralODE(hidden_layer_sizes=(8,), max_iter=5).fit(np.exp(-0.3 * t), t=t)
    >>> model.forecast(np.ones(1), horizon=3).x.shape
    (3, 1)
    """

    _allow_irregular = True
    _parameter_constraints = {**TRAINING, "integrator": [Options("rk4", "dopri5")],
                              "max_step": [None, Interval(float, 0, None, closed="neither")],
                              "rtol": [Interval(float, 0, None, closed="neither")],
                              "atol": [Interval(float, 0, None, closed="neither")]}

    def __init__(self, hidden_layer_sizes=(64, 64), activation="tanh", *, integrator="rk4",
                 max_step=None, rtol=1e-6, atol=1e-8, window=10, max_iter=300, learning_rate=1e-2,
                 batch_size=None, validation_fraction=0.1, patience=30, clip_norm=1.0, alpha=0.0,
                 solver="adam", random_state=0, progress=False):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.integrator = integrator
        self.max_step = max_step
        self.rtol = rtol
        self.atol = atol
        self.window = window
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.clip_norm = clip_norm
        self.alpha = alpha
        self.solver = solver
        self.random_state = random_state
        self.progress = progress

    def _build(self):
        torch = require_torch()
        d = self.n_features_in_
        linear = torch.nn.Linear(d, d, bias=False, dtype=torch.float64)
        net = mlp((d, *self.hidden_layer_sizes, d), self.activation)
        torch.nn.init.zeros_(linear.weight)
        return torch.nn.ModuleDict({"linear": linear, "mlp": net})

    def _n_sub(self, h_max: float) -> int:
        if self.max_step is None:
            return 1
        return max(1, math.ceil(h_max * self.time_scale_ / self.max_step - 1e-12))

    def _fit(self, data) -> None:
        self._standardize(data)
        self.time_scale_ = float(self.window * self.median_dt_)
        Z, T = self._windows(data)
        Zt = self._tensor(Z)
        H = self._tensor(np.diff(T, axis=1) / self.time_scale_)  # (n, L - 1)
        n_sub = self._n_sub(float(H.max()))

        def loss(module, idx):
            zb, hb = Zt[idx], H[idx]
            z, err = zb[:, 0], 0.0
            for j in range(1, zb.shape[1]):
                z = _integrate(self, module, z, hb[:, j - 1:j], n_sub)
                err = err + ((z - zb[:, j]) ** 2).mean()
            return err / (zb.shape[1] - 1)

        self._train(loss, Z.shape[0])

    def integrate(self, x0, t) -> np.ndarray:
        """Integrate the learned vector field from ``x0`` at ``t[0]`` to the times ``t``.

        Parameters
        ----------
        x0 : array_like, shape (d,)
            Initial state.
        t : array_like, shape (T,)
            Strictly increasing times (any spacing); ``x0`` is the state at ``t[0]``.

        Returns
        -------
        ndarray, shape (T, d)
            The states at ``t`` (row 0 is ``x0``).
        """
        from .._validation import check_array

        self._check_is_fitted()
        x = self._check_x(np.atleast_2d(np.asarray(x0, dtype=float)), "x0")[:1]
        t = check_array(t, "t", ndim=(1,))
        if t.size > 1 and not np.all(np.diff(t) > 0):
            from ..errors import ValidationError

            raise ValidationError("t must be strictly increasing.")
        out = np.empty((t.size, x.shape[1]))
        out[0] = x[0]
        z = (x - self.mean_) / self.scale_
        for k in range(1, t.size):
            z = self._step(z, float(t[k] - t[k - 1]))
            out[k] = z[0] * self.scale_ + self.mean_
        return out

    def _step(self, z: np.ndarray, dt: float | None = None) -> np.ndarray:
        torch = require_torch()
        h = (self._forecast_step() if dt is None else dt) / self.time_scale_
        with torch.no_grad():
            zt = self._tensor(z)
            out = _integrate(self, self._module, zt,
                             torch.full((zt.shape[0], 1), h, dtype=torch.float64), self._n_sub(h))
        return out.numpy()

    def _predict_next(self, x, u):
        z = (x - self.mean_) / self.scale_
        return self._step(z) * self.scale_ + self.mean_

    def _forecast(self, context, horizon, u_future):
        z = ((context.x[-1] - self.mean_) / self.scale_)[None, :]
        out = np.empty((horizon, context.dim))
        for k in range(horizon):
            z = self._step(z)
            out[k] = z[0]
        return self._forecast_result(context, out * self.scale_ + self.mean_)
