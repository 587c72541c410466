"""KalmanNet: a Kalman filter whose gain a recurrent network learns (Revach et al. 2022).

The filter keeps the model-based half of the Kalman filter, the prediction
``x_{k|k-1} = f(x_{k-1|k-1})`` and ``y_{k|k-1} = h(x_{k|k-1})`` from a
partially known model, and replaces the gain ``K_k`` (which needs the noise
statistics and a correct model) by a small recurrent network, trained end to end
on (observations, states) pairs so that the filtered means have the least mean
squared error. Architecture 1 of the paper: input features F2 (the innovation
``y_k - y_{k|k-1}``) and F4 (the forward update difference ``x_{k-1|k-1} -
x_{k-1|k-2}``), each scaled to unit Euclidean norm; a fully connected layer with
ReLU, a GRU whose state carries the memory the Riccati recursion would, a fully
connected layer with ReLU and a linear output layer giving the ``n x p`` gain.

G. Revach, N. Shlezinger, X. Ni, A. L. Escoriza, R. J. G. van Sloun and Y. C.
Eldar, "KalmanNet: Neural network aided Kalman filtering for partially known
dynamics", IEEE Trans. Signal Process. 70 (2022) 1532-1547.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator

from .._constraints import InstanceOf, Interval, _Predicate, check_params
from .._validation import check_array
from ..errors import NotFittedError, ShapeError, ValidationError
from ..ssm import LGSSMParams, NonlinearSSM
from ._base import LOOP
from ._torch import load_numpy_state, require_torch, seeded
from ._training import torch_seed, train

__all__ = ["KalmanNet", "KalmanNetResult"]

_PAIR = _Predicate(
    lambda v: isinstance(v, (tuple, list)) and len(v) == 2
    and all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 1 for n in v),
    "a pair of positive ints")


@dataclass(frozen=True, eq=False)
class KalmanNetResult:
    """Output of :meth:`KalmanNet.filter` (a leading sequence axis ``N`` for a batch).

    Attributes
    ----------
    filtered_means : ndarray, shape ([N,] T, n)
        ``x_{k|k}``, the estimates of the states.
    predicted_means : ndarray, shape ([N,] T, n)
        ``x_{k|k-1}`` (``m0`` at ``k = 0``).
    innovations : ndarray, shape ([N,] T, p)
        ``y_k - h(x_{k|k-1})``.
    gains : ndarray, shape ([N,] T, n, p)
        The learned gains ``K_k``.

    Examples
    --------
    >>> res = KalmanNetResult(np.zeros((5, 2)), np.zeros((5, 2)), np.zeros((5, 1)), np.zeros((5, 2, 1)))
    >>> res.n_steps
    5
    """

    filtered_means: np.ndarray
    predicted_means: np.ndarray
    innovations: np.ndarray
    gains: np.ndarray

    @property
    def n_steps(self) -> int:
        """Number of time steps ``T``."""
        return int(self.filtered_means.shape[-2])


def _numpy_map(func, jac):
    """``func`` applied row by row as a torch function; its gradient from the Jacobian ``jac``."""
    torch = require_torch()

    class _Map(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            rows = x.detach().numpy()
            return torch.as_tensor(np.stack([np.asarray(func(r.copy()), dtype=float) for r in rows]))

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            J = np.stack([np.asarray(jac(r.copy()), dtype=float) for r in x.detach().numpy()])
            return torch.einsum("boi,bo->bi", torch.as_tensor(J), grad)

    return _Map.apply


def _model_maps(model):
    """``f`` and ``h`` of ``model`` on torch batches ``(B, n)``, differentiable."""
    torch = require_torch()
    if isinstance(model, LGSSMParams):
        A, C = torch.tensor(np.array(model.A)), torch.tensor(np.array(model.C))
        return (lambda x: x @ A.T), (lambda x: x @ C.T)
    return _numpy_map(model.f, model.F), _numpy_map(model.h, model.H)


def _check_model(model):
    if model is None:
        raise ValidationError("KalmanNet needs the (partially known) model: pass model=NonlinearSSM(...) "
                              "or model=LGSSMParams(...).")
    if isinstance(model, LGSSMParams) and (model.time_varying or model.input_dim
                                           or model.diffuse is not None):
        raise ValidationError("KalmanNet takes a time-invariant LGSSMParams without inputs or diffuse "
                              "states; wrap other models in a NonlinearSSM.")
    return model


def _build_network(n: int, p: int, sizes, gru_size: int):
    """The gain network of architecture 1: FC+ReLU, GRU, FC+ReLU, FC -> ``n p`` gains."""
    torch = require_torch()
    nn = torch.nn
    h1, h2 = sizes
    return nn.ModuleDict({
        "input": nn.Linear(n + p, h1, dtype=torch.float64),
        "gru": nn.GRUCell(h1, gru_size, dtype=torch.float64),
        "hidden": nn.Linear(gru_size, h2, dtype=torch.float64),
        "output": nn.Linear(h2, n * p, dtype=torch.float64),
    })


def _unit(v, torch):
    return torch.nn.functional.normalize(v, p=2.0, dim=-1, eps=1e-12)


def kalmannet_recursion(net, f, h, y, m0):
    """Run the KalmanNet recursion on a batch (torch tensors, differentiable).

    Parameters
    ----------
    net : torch.nn.ModuleDict
        The gain network (``input``, ``gru``, ``hidden``, ``output``).
    f, h : callable
        Transition and observation on batches ``(B, n) -> (B, n)``, ``(B, n) -> (B, p)``.
    y : torch.Tensor, shape (B, T, p)
    m0 : torch.Tensor, shape (B, n)
        Prior mean of the first state (the first prediction).

    Returns
    -------
    post, prior : torch.Tensor, shape (B, T, n)
    innovations : torch.Tensor, shape (B, T, p)
    gains : torch.Tensor, shape (B, T, n, p)
    """
    torch = require_torch()
    B, T, p = y.shape
    n = m0.shape[1]
    relu = torch.relu
    hidden = torch.zeros(B, net["gru"].hidden_size, dtype=torch.float64)
    post, prev_prior = m0, m0
    posts, priors, innovs, gains = [], [], [], []
    for k in range(T):
        prior = m0 if k == 0 else f(post)
        innov = y[:, k] - h(prior)
        update = post - prev_prior                     # F4: x_{k-1|k-1} - x_{k-1|k-2}
        feats = torch.cat([_unit(innov, torch), _unit(update, torch)], dim=-1)
        hidden = net["gru"](relu(net["input"](feats)), hidden)
        K = net["output"](relu(net["hidden"](hidden))).reshape(B, n, p)
        post = prior + (K @ innov[..., None])[..., 0]
        prev_prior = prior
        posts.append(post)
        priors.append(prior)
        innovs.append(innov)
        gains.append(K)
    return torch.stack(posts, 1), torch.stack(priors, 1), torch.stack(innovs, 1), torch.stack(gains, 1)


class KalmanNet(BaseEstimator):
    """KalmanNet: the Kalman filter's prediction from a model, its gain from a trained GRU.

    Architecture 1 of Revach et al. (2022) with input features F2 (innovation)
    and F4 (forward update difference), each normalized to unit norm; see the
    module docstring. ``fit`` trains the gain network by backpropagation
    through the whole filter (through ``f`` and ``h`` too: with a
    :class:`~lindy.ssm.NonlinearSSM` their gradients come from its Jacobians,
    ``f_jac``/``h_jac`` or finite differences) to minimize the mean squared
    error of the filtered means against the true states. The noise covariances
    of ``model`` are not used: the network learns what the gain needs.

    Parameters
    ----------
    model : NonlinearSSM or LGSSMParams
        The partially known model: its ``f``/``h`` (or ``A``/``C``) make the
        predictions and its ``m0`` is the default prior mean of the first
        state (the first prediction). ``Q``, ``R`` and ``P0`` are ignored.
    hidden_layer_sizes : pair of int, optional
        Widths of the input and output fully connected layers; None uses the
        paper's ``(80 (n + p), 4 n p)``.
    gru_size : int, optional
        GRU state size; None uses the paper's ``10 (n^2 + p^2)``.
    max_iter : int, default 100
        Maximum number of epochs (passes over the training sequences).
    learning_rate : float, default 1e-3
        Adam step size (cosine schedule, see :func:`lindy.neural.train`).
    batch_size : int or None, default 32
        Sequences per gradient step (None: all).
    validation_fraction : float, default 0.1
        Fraction of the sequences held out for early stopping.
    patience : int or None, default 20
        Epochs without a lower validation loss before stopping.
    clip_norm : float or None, default 1.0
        Gradient-norm clipping.
    alpha : float, default 0
        Weight decay.
    random_state : int, Generator or None, default 0
        Seeds the weights, the split and the shuffles.
    progress : bool, default False
        Show a rich progress bar while training.

    Attributes
    ----------
    state_dict_ : dict of str -> ndarray
        Fitted weights of the gain network.
    state_dim_, obs_dim_ : int
        ``n`` and ``p``.
    loss_history_, val_loss_history_ : ndarray
        Training and validation MSE per epoch.
    n_iter_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, sample
    >>> params = LGSSMParams(A=[[0.9]], C=[[1.0]], Q=[[0.1]], R=[[1.0]], m0=[0.0], P0=[[0.1]])
    >>> x, y = sample(params, 20, n_samples=8, random_state=0)
    >>> knet = KalmanNet(params, hidden_layer_sizes=(8, 4), gru_size=8, max_iter=2).fit(y, x)
    >>> knet.filter(y[0]).filtered_means.shape
    (20, 1)
    """

    _parameter_constraints = {
        "model": [None, InstanceOf((NonlinearSSM, LGSSMParams), "a NonlinearSSM or an LGSSMParams")],
        "hidden_layer_sizes": [None, _PAIR],
        "gru_size": [None, Interval(int, 1, None)],
        # the shared training loop's settings (all but the window and solver)
        **{k: v for k, v in LOOP.items() if k not in ("window", "solver")},
    }

    def __init__(self, model=None, *, hidden_layer_sizes=None, gru_size=None, max_iter=100,
                 learning_rate=1e-3, batch_size=32, validation_fraction=0.1, patience=20,
                 clip_norm=1.0, alpha=0.0, random_state=0, progress=False):
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.gru_size = gru_size
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.clip_norm = clip_norm
        self.alpha = alpha
        self.random_state = random_state
        self.progress = progress

    # ---------------------------------------------------------------- helpers
    def _dims(self) -> tuple[int, int]:
        model = self.model
        return model.state_dim, model.obs_dim

    def _sizes(self):
        n, p = self._dims()
        sizes = tuple(self.hidden_layer_sizes) if self.hidden_layer_sizes else (80 * (n + p), 4 * n * p)
        return sizes, self.gru_size or 10 * (n * n + p * p)

    def _build(self):
        n, p = self._dims()
        sizes, gru = self._sizes()
        return _build_network(n, p, sizes, gru)

    def _sequences(self, a, name: str, width: int) -> tuple[np.ndarray, bool]:
        """``a`` as ``(N, T, width)`` float64 and whether it was a single sequence."""
        if isinstance(a, (list, tuple)) and len(a) and np.ndim(a[0]) == 2:
            lengths = {np.shape(s)[0] for s in a}
            if len(lengths) > 1:
                raise ShapeError(f"{name}: KalmanNet needs sequences of one length; got lengths "
                                 f"{sorted(lengths)}. Cut them to a common length.")
        arr = check_array(np.asarray(a, dtype=float), name, ndim=(2, 3))
        single = arr.ndim == 2
        arr = arr[None] if single else arr
        if arr.shape[-1] != width:
            raise ShapeError(f"{name} must have {width} columns (last axis); got shape {arr.shape}.")
        return arr, single

    def _initial(self, m0, N: int) -> np.ndarray:
        n = self.model.state_dim
        if m0 is None:
            return np.tile(np.asarray(self.model.m0, dtype=float), (N, 1))
        m0 = check_array(np.asarray(m0, dtype=float), "m0", ndim=(1, 2))
        m0 = np.tile(m0, (N, 1)) if m0.ndim == 1 else m0
        if m0.shape != (N, n):
            raise ShapeError(f"m0 must have shape ({n},) or ({N}, {n}); got {m0.shape}.")
        return m0

    @property
    def _module(self):
        if "_cache_module" not in self.__dict__:
            self._cache_module = load_numpy_state(seeded(0, self._build), self.state_dict_).eval()
        return self._cache_module

    # ---------------------------------------------------------------- API
    def fit(self, y, x, m0=None):
        """Train the gain network on observations and the true states behind them.

        Parameters
        ----------
        y : array_like, shape (N, T, p) or (T, p), or list of (T, p)
            Observation sequences.
        x : array_like, shape (N, T, n) or (T, n), or list of (T, n)
            The states at the same times (the training targets).
        m0 : array_like, shape (n,) or (N, n), optional
            Prior mean of each sequence's first state; default ``model.m0``.

        Returns
        -------
        self
        """
        torch = require_torch()
        check_params(type(self).__name__, self.get_params(deep=False), self._parameter_constraints)
        model = _check_model(self.model)
        Y, _ = self._sequences(y, "y", model.obs_dim)
        X, _ = self._sequences(x, "x", model.state_dim)
        if X.shape[:2] != Y.shape[:2]:
            raise ShapeError(f"x and y must hold the same sequences and times; got {X.shape[:2]} "
                             f"and {Y.shape[:2]} (sequences, steps).")
        self.state_dim_, self.obs_dim_ = model.state_dim, model.obs_dim
        self.__dict__.pop("_cache_module", None)
        f, h = _model_maps(model)
        Yt, Xt = torch.as_tensor(Y), torch.as_tensor(X)
        M0 = torch.as_tensor(self._initial(m0, Y.shape[0]))

        def loss(module, idx):
            post = kalmannet_recursion(module, f, h, Yt[idx], M0[idx])[0]
            return ((post - Xt[idx]) ** 2).mean()

        rng = np.random.default_rng(self.random_state)
        module = seeded(torch_seed(rng), self._build)
        result = train(module, loss, Y.shape[0], rng=rng, max_iter=self.max_iter,
                       learning_rate=self.learning_rate, batch_size=self.batch_size,
                       validation_fraction=self.validation_fraction, patience=self.patience,
                       clip_norm=self.clip_norm, alpha=self.alpha, progress=self.progress)
        self.state_dict_ = result.state
        self.loss_history_, self.val_loss_history_ = result.train_loss, result.val_loss
        self.n_iter_ = result.n_iter
        self._cache_module = module.eval()
        return self

    def filter(self, y, m0=None) -> KalmanNetResult:
        """Filter observation sequences with the trained gain.

        Parameters
        ----------
        y : array_like, shape (T, p) or (N, T, p), or list of (T, p)
        m0 : array_like, shape (n,) or (N, n), optional
            Prior mean of the first state; default ``model.m0``.

        Returns
        -------
        KalmanNetResult
            Arrays with a leading sequence axis when ``y`` holds several sequences.
        """
        torch = require_torch()
        if not hasattr(self, "state_dict_"):
            raise NotFittedError("This KalmanNet instance is not fitted yet; call fit(y, x) first.")
        model = _check_model(self.model)
        if (model.state_dim, model.obs_dim) != (self.state_dim_, self.obs_dim_):
            raise ShapeError(f"model has dimensions {(model.state_dim, model.obs_dim)} but the "
                             f"network was trained for {(self.state_dim_, self.obs_dim_)}; refit.")
        Y, single = self._sequences(y, "y", model.obs_dim)
        M0 = self._initial(m0, Y.shape[0])
        f, h = _model_maps(model)
        with torch.no_grad():
            out = kalmannet_recursion(self._module, f, h, torch.as_tensor(Y), torch.as_tensor(M0))
        arrays = [o.numpy() for o in out]
        if single:
            arrays = [a[0] for a in arrays]
        return KalmanNetResult(*arrays)
