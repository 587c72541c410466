"""The ``filtering`` protocol: state-estimation MSE in dB, as in the KalmanNet paper.

Revach et al. (2022, IEEE TSP 70:1532) score a filter by the mean squared
error of its state estimates over test sequences, in dB:
``10 log10(mean_i mean_{k,j} (xhat_ikj - x_ikj)^2)``. Two systems, both from
that paper:

* ``linear_canonical``: ``x_k = F x_{k-1} + w_k``, ``y_k = H x_k + v_k`` with
  ``F`` in canonical form (identity plus ones in the first row), ``H = I`` for
  ``state_dim = 2`` (the reverse canonical form otherwise), ``x_0 = 0``. The
  method is given the true model (full information), so the Kalman filter is
  optimal; ``riccati_mse_db`` is its MSE predicted by the Riccati recursion.
* ``Lorenz``: the discrete-time Lorenz-63 of the paper, ``x_k = exp(A(x_{k-1})
  dt) x_{k-1} + w_k`` with ``dx/dt = A(x) x`` and the exponential replaced by
  its Taylor series, 5 terms for the data (``dt = 0.02``), ``taylor_terms``
  (default 2) for the model the method is given (state-evolution mismatch),
  ``y_k = x_k + v_k``; initial states ``x_0`` are points of a long orbit.

Noise: ``R = r^2 I`` with ``1/r^2 = inv_r2_db`` dB and ``Q = q^2 I`` with
``nu = q^2 / r^2 = nu_db`` dB (the paper's parametrization). Every sequence's
``x_0`` is known: the prior of its first state ``x_1`` is ``N(f(x_0), Q)`` under
the method's model. Methods are filters with ``fit(y, x, m0)`` and ``filter(y,
m0)`` (a :class:`GaussianFilter` or :class:`lindy.neural.KalmanNet`); the
protocol sets their ``model`` to the one described above.

Metrics: ``mse_db`` (test sequences), ``mse_db_std`` (the paper's spread:
``10 log10(mean + std) - mse_db`` of the per-sequence MSEs), ``reference_mse_db``
(the Kalman filter on ``linear_canonical``, the EKF with the true 5-term model
on ``Lorenz``), ``gap_db`` (``mse_db - reference_mse_db``), ``model_ekf_mse_db``
(the EKF with the method's model), ``obs_mse_db`` (the observation noise floor,
``y - H x``), ``riccati_mse_db`` (linear only), ``finite``, ``fit_seconds``,
``filter_seconds``.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from sklearn.base import BaseEstimator

from .._constraints import Options, check_params
from ..errors import ShapeError, UnknownNameError, ValidationError
from ..ssm import (
    LGSSMParams,
    NonlinearSSM,
    extended_kalman_filter,
    kalman_filter,
    unscented_kalman_filter,
)
from ._protocols import Protocol

__all__ = ["FILTERING", "GaussianFilter", "run_filtering_protocol", "canonical_model", "lorenz_model",
           "lorenz_taylor_map", "mse_db", "make_filtering_data", "FILTERING_SYSTEMS"]

_DEFAULTS = {"n_train": 100, "n_test": 50, "n_steps": 100, "inv_r2_db": 0.0, "nu_db": -20.0,
             "state_dim": 2, "taylor_terms": 2, "dt": 0.02}
#: the systems of the protocol
FILTERING_SYSTEMS = ("linear_canonical", "Lorenz")
#: Taylor terms of the data-generating Lorenz map (the paper's)
TRUE_TAYLOR_TERMS = 5
_LORENZ_C = np.array([[-10.0, 10.0, 0.0], [28.0, -1.0, 0.0], [0.0, 0.0, -8.0 / 3.0]])
_LORENZ_E = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])  # A(x) = C + x_1 E


def mse_db(estimates, states) -> float:
    """The paper's score: ``10 log10`` of the MSE averaged over sequences, steps and coordinates.

    Examples
    --------
    >>> mse_db(np.zeros((2, 3, 1)), np.ones((2, 3, 1)))
    0.0
    """
    return float(10 * np.log10(np.mean((np.asarray(estimates) - np.asarray(states)) ** 2)))


def _noise(s: dict) -> tuple[float, float]:
    r2 = 10 ** (-s["inv_r2_db"] / 10)
    return r2 * 10 ** (s["nu_db"] / 10), r2


def canonical_model(state_dim: int = 2, q2: float = 0.01, r2: float = 1.0) -> LGSSMParams:
    """The paper's linear canonical model with ``x_0 = 0`` (prior of ``x_1``: ``N(0, Q)``).

    Examples
    --------
    >>> canonical_model().A
    array([[1., 1.],
           [0., 1.]])
    """
    n = int(state_dim)
    F = np.eye(n)
    F[0] = 1.0
    if n == 2:
        H = np.eye(2)
    else:  # reverse canonical
        H = np.zeros((n, n))
        H[0] = 1.0
        H[np.arange(n), n - 1 - np.arange(n)] = 1.0
    Q, R = q2 * np.eye(n), r2 * np.eye(n)
    return LGSSMParams(A=F, C=H, Q=Q, R=R, m0=np.zeros(n), P0=Q)


def lorenz_taylor_map(X, dt: float = 0.02, taylor_terms: int = 5) -> np.ndarray:
    """``x -> sum_{j<=J} (A(x) dt)^j / j! x``, the paper's discrete Lorenz-63, on rows of ``X``.

    Examples
    --------
    >>> lorenz_taylor_map(np.ones((1, 3)), dt=0.01, taylor_terms=1).round(4)
    array([[1.    , 1.26  , 0.9833]])
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    A = _LORENZ_C[None] + X[:, :1, None] * _LORENZ_E[None]   # (N, 3, 3)
    term, out = X.copy(), X.copy()
    for j in range(1, int(taylor_terms) + 1):
        term = np.einsum("nij,nj->ni", A, term) * (dt / j)
        out = out + term
    return out


def _lorenz_jacobian(x, dt: float, taylor_terms: int) -> np.ndarray:
    """Jacobian of :func:`lorenz_taylor_map` at one state: ``M(x) + (dM/dx_1 x) e_1^T``."""
    A = _LORENZ_C + x[0] * _LORENZ_E
    M, dM = np.eye(3), np.zeros((3, 3))
    P, dP = np.eye(3), np.zeros((3, 3))          # (A dt)^j / j! and its derivative in x_1
    for j in range(1, int(taylor_terms) + 1):
        dP = (dP @ A + P @ _LORENZ_E) * (dt / j)
        P = P @ A * (dt / j)
        M, dM = M + P, dM + dP
    J = M.copy()
    J[:, 0] += dM @ x
    return J


def lorenz_model(taylor_terms: int = 2, dt: float = 0.02, q2: float = 1e-3, r2: float = 0.1,
                 m0=(1.0, 1.0, 1.0)) -> NonlinearSSM:
    """The paper's Lorenz model with ``taylor_terms`` Taylor terms, ``h = I``, as a NonlinearSSM.

    Examples
    --------
    >>> model = lorenz_model(taylor_terms=2)
    >>> model.f(np.ones(3)).round(4), model.F(np.ones(3)).shape
    (array([1.052 , 1.5151, 0.9728]), (3, 3))
    """
    J = int(taylor_terms)
    return NonlinearSSM(f=lambda x: lorenz_taylor_map(x[None], dt, J)[0],
                        h=lambda x: np.array(x, dtype=float),
                        Q=q2 * np.eye(3), R=r2 * np.eye(3), m0=np.asarray(m0, dtype=float),
                        P0=q2 * np.eye(3), f_jac=lambda x: _lorenz_jacobian(np.asarray(x, float), dt, J),
                        h_jac=lambda x: np.eye(3))


def _simulate(step, x0: np.ndarray, T: int, H: np.ndarray, q2: float, r2: float, rng):
    """States ``x_1..x_T`` from ``x_0`` (rows of ``x0``) and their observations ``H x + v``."""
    N, n = x0.shape
    x, X = x0, np.empty((N, T, n))
    for k in range(T):
        x = step(x) + np.sqrt(q2) * rng.standard_normal((N, n))
        X[:, k] = x
    Y = X @ H.T + np.sqrt(r2) * rng.standard_normal((N, T, H.shape[0]))
    return X, Y


def _lorenz_initial_states(N: int, dt: float, rng) -> np.ndarray:
    """Points of one long noise-free orbit of the 5-term map (after 1000 steps of transient)."""
    x = np.ones((1, 3))
    for _ in range(1000):
        x = lorenz_taylor_map(x, dt, TRUE_TAYLOR_TERMS)
    orbit = np.empty((20 * N, 3))
    for k in range(len(orbit)):
        x = lorenz_taylor_map(x, dt, TRUE_TAYLOR_TERMS)
        orbit[k] = x[0]
    return orbit[rng.choice(len(orbit), size=N, replace=False)]


def make_filtering_data(system: str, s: dict, rng) -> dict:
    """Train and test sequences, the method's model and the reference (true) model.

    Parameters
    ----------
    system : {"linear_canonical", "Lorenz"}
    s : dict
        Complete settings (``FILTERING.defaults`` updated with the job's).
    rng : numpy.random.Generator

    Returns
    -------
    dict
        ``model`` (what the method is given), ``true_model`` (the reference
        filter's), ``train`` and ``test``: tuples ``(y (N, T, p), x (N, T, n),
        m0 (N, n))`` of observations, states and first-state prior means.

    Examples
    --------
    >>> d = make_filtering_data("linear_canonical", {**FILTERING.defaults, "n_train": 3},
    ...                         np.random.default_rng(0))
    >>> [a.shape for a in d["train"]]
    [(3, 100, 2), (3, 100, 2), (3, 2)]
    """
    q2, r2 = _noise(s)
    N = s["n_train"] + s["n_test"]
    if system == "linear_canonical":
        model = canonical_model(s["state_dim"], q2, r2)
        X, Y = _simulate(lambda x: x @ model.A.T, np.zeros((N, model.state_dim)), s["n_steps"],
                         model.C, q2, r2, rng)
        M0, true_model = np.zeros((N, model.state_dim)), model
    elif system == "Lorenz":
        x0 = _lorenz_initial_states(N, s["dt"], rng)
        true_model = lorenz_model(TRUE_TAYLOR_TERMS, s["dt"], q2, r2)
        model = lorenz_model(s["taylor_terms"], s["dt"], q2, r2)
        X, Y = _simulate(lambda x: lorenz_taylor_map(x, s["dt"], TRUE_TAYLOR_TERMS), x0,
                         s["n_steps"], np.eye(3), q2, r2, rng)
        M0 = lorenz_taylor_map(x0, s["dt"], s["taylor_terms"])
    else:
        raise UnknownNameError(f"The filtering protocol has no system {system!r}; it knows "
                               f"{list(FILTERING_SYSTEMS)}.")
    n = s["n_train"]
    return {"model": model, "true_model": true_model, "train": (Y[:n], X[:n], M0[:n]),
            "test": (Y[n:], X[n:], M0[n:])}


def _with_m0(model, m0):
    return dataclasses.replace(model, m0=np.asarray(m0, dtype=float))


def _as_nonlinear(params: LGSSMParams) -> NonlinearSSM:
    A, C = params.A, params.C
    return NonlinearSSM(f=lambda x: A @ x, h=lambda x: C @ x, Q=params.Q, R=params.R, m0=params.m0,
                        P0=params.P0, f_jac=lambda x: A, h_jac=lambda x: C)


class GaussianFilter(BaseEstimator):
    """A model-based filter of :mod:`lindy.ssm` as a method of the ``filtering`` protocol.

    Parameters
    ----------
    model : LGSSMParams or NonlinearSSM, optional
        The model (the protocol sets it).
    kind : {"kf", "ekf", "ukf"}, default "ekf"
        :func:`~lindy.ssm.kalman_filter` (linear models only),
        :func:`~lindy.ssm.extended_kalman_filter` or
        :func:`~lindy.ssm.unscented_kalman_filter` (cubature rule); the last two
        take an LGSSMParams as the equivalent NonlinearSSM.

    Examples
    --------
    >>> est = GaussianFilter(canonical_model(), kind="kf").fit(None, None)
    >>> est.filter(np.ones((4, 2))).filtered_means.shape
    (4, 2)
    """

    _parameter_constraints = {"kind": [Options("kf", "ekf", "ukf")]}

    def __init__(self, model=None, kind="ekf"):
        self.model = model
        self.kind = kind

    def fit(self, y, x, m0=None):
        """Nothing to learn: the model is given. Returns self."""
        check_params(type(self).__name__, self.get_params(deep=False), self._parameter_constraints)
        return self

    def _one(self, y, m0):
        model = self.model if m0 is None else _with_m0(self.model, m0)
        if self.kind == "kf":
            if not isinstance(model, LGSSMParams):
                raise ValidationError("GaussianFilter(kind='kf') needs a linear model (LGSSMParams); "
                                      "use kind='ekf' or 'ukf' for a NonlinearSSM.")
            return kalman_filter(model, y)
        if isinstance(model, LGSSMParams):
            model = _as_nonlinear(model)
        run = extended_kalman_filter if self.kind == "ekf" else unscented_kalman_filter
        return run(model, y)

    def filter(self, y, m0=None):
        """Filtered means of one sequence ``(T, p)`` or a batch ``(N, T, p)`` (m0: ``(N, n)``)."""
        if self.model is None:
            raise ValidationError("GaussianFilter needs a model: set model=LGSSMParams(...) or "
                                  "NonlinearSSM(...).")
        y = np.asarray(y, dtype=float)
        if y.ndim == 2:
            return self._one(y, m0)
        if y.ndim != 3:
            raise ShapeError(f"y must have shape (T, p) or (N, T, p); got {y.shape}.")
        m0s = [None] * len(y) if m0 is None else np.asarray(m0, dtype=float)
        means = np.stack([self._one(y[i], m0s[i]).filtered_means for i in range(len(y))])
        return _Means(means)


@dataclasses.dataclass(frozen=True)
class _Means:
    filtered_means: np.ndarray


def _per_sequence(est, Y, M0) -> np.ndarray:
    return np.asarray(est.filter(Y, m0=M0).filtered_means)


def _spread_db(est, X) -> float:
    per = np.mean((est - X) ** 2, axis=(1, 2))
    mean = per.mean()
    return float(10 * np.log10(mean + per.std(ddof=1)) - 10 * np.log10(mean))


def _settings(protocol: dict) -> dict:
    unknown = set(protocol) - set(_DEFAULTS) - {"name"}
    if unknown:
        raise ValidationError(f"Unknown settings {sorted(unknown)} for protocol 'filtering'; "
                              f"it takes {sorted(_DEFAULTS)}.")
    return {**_DEFAULTS, **protocol, "name": "filtering"}


def run_filtering_protocol(estimator, system: str, protocol: dict | None = None, random_state: int = 0):
    """Give ``estimator`` the protocol's model, train it, filter the test sequences, score in dB.

    Parameters
    ----------
    estimator : GaussianFilter or lindy.neural.KalmanNet
        Its ``model`` is set by the protocol; its ``random_state`` (if any) too.
    system : {"linear_canonical", "Lorenz"}
    protocol : dict, optional
        Settings overriding ``FILTERING.defaults``.
    random_state : int

    Returns
    -------
    metrics : dict
        See the module docstring.
    arrays : dict
        ``truth`` (the first test sequence's states) and ``forecast`` (its estimates).

    Examples
    --------
    >>> m, _ = run_filtering_protocol(GaussianFilter(kind="kf"), "linear_canonical",
    ...                               {"n_test": 20, "n_train": 0})
    >>> abs(m["mse_db"] - m["riccati_mse_db"]) < 0.5, m["gap_db"]
    (True, 0.0)
    """
    s = _settings(protocol or {})
    data = make_filtering_data(system, s, np.random.default_rng([int(random_state), 11]))
    params = estimator.get_params()
    estimator.set_params(model=data["model"])
    if "random_state" in params:
        estimator.set_params(random_state=int(random_state))
    t0 = time.perf_counter()
    estimator.fit(*data["train"])
    fit_seconds = time.perf_counter() - t0
    Y, X, M0 = data["test"]
    t0 = time.perf_counter()
    est = _per_sequence(estimator, Y, M0)
    filter_seconds = time.perf_counter() - t0
    kind = "kf" if isinstance(data["true_model"], LGSSMParams) else "ekf"
    reference = _per_sequence(GaussianFilter(data["true_model"], kind), Y, M0)
    model_ekf = _per_sequence(GaussianFilter(data["model"], "ekf"), Y, M0)
    finite = bool(np.isfinite(est).all())
    metrics = {"mse_db": mse_db(est, X) if finite else float("inf"),
               "mse_db_std": _spread_db(est, X) if finite else float("nan"),
               "reference_mse_db": mse_db(reference, X), "model_ekf_mse_db": mse_db(model_ekf, X),
               "obs_mse_db": mse_db(Y, X @ _observation_matrix(data["true_model"]).T),
               "finite": finite, "fit_seconds": fit_seconds, "filter_seconds": filter_seconds}
    metrics["gap_db"] = metrics["mse_db"] - metrics["reference_mse_db"]
    if isinstance(data["true_model"], LGSSMParams):
        P = kalman_filter(data["true_model"], Y[0]).filtered_covariances
        metrics["riccati_mse_db"] = float(10 * np.log10(np.mean(np.trace(P, axis1=1, axis2=2))
                                                        / P.shape[1]))
    arrays = {"truth": X[0].astype(np.float32),
              "forecast": np.nan_to_num(est[0], nan=np.inf).astype(np.float32)}
    return metrics, arrays


def _observation_matrix(model) -> np.ndarray:
    return model.C if isinstance(model, LGSSMParams) else np.eye(model.obs_dim)


def _no_generic_data(system, s, rng):
    raise ValidationError("The filtering protocol makes its own data (sequences with their states); "
                          "run it through run_protocol or run_filtering_protocol.")


def _no_generic_score(*args, **kwargs):
    raise ValidationError("The filtering protocol scores filters in its own run (run_filtering_protocol).")


#: the protocol's settings and its own run (filters are trained and scored on sequences)
FILTERING = Protocol("filtering", dict(_DEFAULTS), _no_generic_data, _no_generic_score,
                     lambda s: s["n_steps"],
                     run=lambda est, system, protocol, rs: run_filtering_protocol(est, system, protocol, rs),
                     systems=FILTERING_SYSTEMS)
