"""The ``control`` protocol: learn a plant from excitation data, then control the true plant.

1. Excite the plant open loop (:func:`lindy.control.simulate_inputs`):
   ``n_traj`` trajectories of ``n_train`` samples from random states, i.i.d.
   Gaussian inputs of std ``excitation``; the method sees the states (plus
   ``obs_noise``, a fraction of each coordinate's std) and the inputs.
2. Fit the input model (DMDc, EDMDc with a dictionary without delays, or
   SubspaceID).
3. Design the controller on the learned model (``controller="lqr"``: LQR,
   saturated at ``u_bound``, on the state, the lifted state (EDMDc, weight
   ``C' Q C``) or, for SubspaceID, LQG on its latent state with its own noise
   covariances; ``"mpc"``: :class:`~lindy.control.MPC`, or
   :class:`~lindy.control.KoopmanMPC` on EDMDc (terminal weight: the lifted
   Riccati solution, as MPC's default), with ``u_bound`` and a soft ``x_bound``,
   penalty 100) and the same controller on the true model (the
   plant itself when linear, its linearization at the origin otherwise).
4. Run both for ``n_steps`` on the true plant from the same random initial
   state, with the same process noise (``process_noise``, a fraction of the
   excitation data's per-coordinate std), and score the stage cost
   ``state_weight |x|^2 + input_weight |u|^2`` summed over the applied steps
   plus the true model's LQR cost-to-go ``x_N' S x_N`` from the last state (so
   a controller cannot look good by leaving cost beyond the window; without
   noise, bounds or model error the LQR on the true model minimizes this
   total, and the ratio is at least 1).

Metrics: ``cost``, ``reference_cost`` (the controller designed on the true
model), ``cost_ratio`` (their ratio: 1 is as good as knowing the plant),
``u_violations``/``x_violations`` (applied inputs, and states after the
initial one, outside the bounds), ``max_x_violation``, the same three for the
reference controller (``reference_u_violations``, ...), ``finite``.

Plants: a registered system name (a flow or map; the input enters through
``input_matrix``, default a force on the last coordinate), one of the
benchmark plants of :mod:`lindy.control` by name (``mass_spring_chain``,
``heat_equation``, ``dc_motor``, ``burgers``, with their default settings),
or a plant object (an ``LTISystem``, a ``System`` or a callable ``step(x, u)``
with ``state_dim``, ``n_inputs`` and ``dt`` attributes, like
:class:`~lindy.control.BurgersPlant`). The origin must be an equilibrium under
zero input: it is the regulation target and, for nonlinear plants, where the
true-model controller is linearized.

:func:`run_control_protocol` is the entry point. The generic
:func:`~lindy.bench.run_protocol` fits and then *forecasts*, and an input
model cannot forecast without future inputs, so this protocol's scorer takes
the fitted estimator (not a forecast) as its first argument.
"""

from __future__ import annotations

import time

import numpy as np

from .. import control
from ..control._models import _is_edmdc
from ..data import Trajectory, TrajectorySet
from ..errors import NumericalError, ValidationError
from ..systems import get_system
from ._protocols import Protocol, ProtocolData, timed_fit

__all__ = ["CONTROL", "run_control_protocol", "control_plant"]

_DEFAULTS = {"n_train": 300, "n_traj": 4, "excitation": 1.0, "x0_scale": 1.0, "obs_noise": 0.0,
             "process_noise": 0.0, "n_steps": 100, "controller": "lqr", "horizon": 20,
             "state_weight": 1.0, "input_weight": 0.1, "u_bound": None, "x_bound": None,
             "input_matrix": None}

_PLANTS = {"mass_spring_chain": control.mass_spring_chain, "heat_equation": control.heat_equation,
           "dc_motor": control.dc_motor, "burgers": control.burgers}


def control_plant(system, input_matrix=None):
    """A plant for the protocol and the ``input_matrix`` to step it with.

    Examples
    --------
    >>> plant, G = control_plant("mass_spring_chain")
    >>> plant.A.shape, G
    ((8, 8), None)
    >>> plant, G = control_plant("OscillatorChain")
    >>> G.ravel()
    array([0., 0., 0., 0., 0., 1.])
    """
    if isinstance(system, str):
        system = _PLANTS[system]() if system in _PLANTS else get_system(system)
    if hasattr(system, "rhs"):
        if input_matrix is None:
            input_matrix = np.zeros((system.dim, 1))
            input_matrix[-1, 0] = 1.0
        return system, np.asarray(input_matrix, dtype=float)
    return system, None


def _dims(plant, G) -> tuple[int, int]:
    if G is not None:
        return G.shape
    if hasattr(plant, "B"):
        return plant.B.shape
    return plant.state_dim, plant.n_inputs


def _sample_interval(plant) -> float:
    if hasattr(plant, "rhs") or not hasattr(plant, "meta"):
        return float(getattr(plant, "dt", 1.0))
    return float(plant.meta.get("dt", 1.0))  # an LTISystem


def _make_control(system, s: dict, rng) -> ProtocolData:
    """Excitation data (states with inputs) and the closed loop's initial state as ``context``."""
    plant, G = control_plant(system, s["input_matrix"])
    n, m = _dims(plant, G)
    dt = _sample_interval(plant)
    clean = []
    for _ in range(s["n_traj"]):
        u = s["excitation"] * rng.standard_normal((s["n_train"], m))
        x0 = s["x0_scale"] * rng.standard_normal(n)
        with np.errstate(over="ignore", invalid="ignore"):
            clean.append(control.simulate_inputs(plant, u, x0, dt=dt, input_matrix=G,
                                                 integrator="rk4"))
    scale = np.concatenate([tr.x for tr in clean]).std(axis=0)
    seen = [Trajectory(t=tr.t, x=tr.x + s["obs_noise"] * scale * rng.standard_normal(tr.x.shape),
                       u=tr.u) for tr in clean]
    x0 = s["x0_scale"] * rng.standard_normal(n)
    return ProtocolData(TrajectorySet(seen), Trajectory(t=np.zeros(1), x=x0[None, :]),
                        np.empty((0, n)), scale)


def _true_model(plant, G, dt: float):
    if hasattr(plant, "A") and hasattr(plant, "B"):
        return plant.A, plant.B
    n, m = _dims(plant, G)
    if hasattr(plant, "rhs"):
        return control.linearize(plant, np.zeros(n), np.zeros(m), dt=dt, input_matrix=G)
    eps, x0, u0 = 1e-6, np.zeros(n), np.zeros(m)
    A = np.column_stack([(plant(x0 + eps * e, u0) - plant(x0 - eps * e, u0)) / (2 * eps)
                         for e in np.eye(n)])
    B = np.column_stack([(plant(x0, u0 + eps * e) - plant(x0, u0 - eps * e)) / (2 * eps)
                         for e in np.eye(m)])
    return A, B


class _LQR:
    """``u = -K lift(x)``, saturated at ``bound``."""

    def __init__(self, A, B, Q, R, bound=None, lift=None):
        self.K = control.dlqr(A, B, Q, R)[0]
        self.bound, self.lift = bound, lift

    def control(self, x):
        z = x if self.lift is None else np.asarray(self.lift(np.asarray(x)[None, :]))[-1]
        u = -self.K @ z
        return u if self.bound is None else np.clip(u, -self.bound, self.bound)


class _LatentLQG:
    """LQG on a SubspaceID model: the measured state, less the model's offset, is its output.

    The filter starts from the least-squares latent state of the first
    measurement (not from zero, which would cost a long transient).
    """

    def __init__(self, model, Q, R, bound=None):
        p = model.params_
        m = R.shape[0]
        with_offset = p.B.shape[1] == m + 1  # offset="estimate": a constant last input
        self.shift = model.offset_ if with_offset else model.mean_
        self.A, self.B, self.C, self.W, self.V = p.A, p.B[:, :m], p.C, p.Q, p.R
        self.Qz = self.C.T @ Q @ self.C + 1e-9 * np.eye(self.A.shape[0])
        self.R, self.bound = R, bound
        self.reset()

    def reset(self):
        self.lqg, self._applied = None, None

    def control(self, x):
        y = np.asarray(x) - self.shift
        if self.lqg is None:
            m0 = np.linalg.lstsq(self.C, y, rcond=None)[0]
            self.lqg = control.LQG((self.A, self.B, self.C), self.Qz, self.R, W=self.W, V=self.V, m0=m0)
            self.lqg.reset()
        # the filter predicts with the input actually applied (saturated or not)
        u = self.lqg.step(y, self._applied)
        if self.bound is not None:
            u = np.clip(u, -self.bound, self.bound)
        self._applied = u
        return u


def _lifted_weight(pred, Q):
    """``C' Q C`` on the lifted state, made positive definite by a 1e-9 ridge."""
    return pred.C.T @ Q @ pred.C + 1e-9 * np.eye(pred.A.shape[0])


def _controller(model, s: dict, n: int, m: int):
    """The protocol's controller designed on ``model`` (a fitted estimator or a tuple (A, B))."""
    Q, R = s["state_weight"] * np.eye(n), s["input_weight"] * np.eye(m)
    ub = s["u_bound"]
    if s["controller"] == "mpc":
        kw = {"u_bounds": None if ub is None else (-ub, ub), "tol": 1e-6, "max_iter": 50000}
        if s["x_bound"] is not None:
            kw.update(x_bounds=(-s["x_bound"], s["x_bound"]), soft_penalty=100.0)
        if not _is_edmdc(model):
            return control.MPC(model, s["horizon"], Q, R, **kw)
        # terminal weight: the lifted model's Riccati cost-to-go, as MPC's default on a linear model
        pred = control.lifted_predictor(model)
        try:
            kw["P"] = control.dlqr(pred.A, pred.B, _lifted_weight(pred, Q), R)[1]
        except NumericalError:
            pass  # not stabilizable (a constant feature): KoopmanMPC's default C' Q C
        return control.KoopmanMPC(model, s["horizon"], Q, R, **kw)
    if s["controller"] != "lqr":
        raise ValidationError(f"controller must be 'lqr' or 'mpc'; got {s['controller']!r}.")
    if _is_edmdc(model):
        pred = control.lifted_predictor(model)
        try:
            return _LQR(pred.A, pred.B, _lifted_weight(pred, Q), R, ub, pred.lift)
        except NumericalError as err:
            raise NumericalError(
                f"{err} On a lifted model this is usually the constant feature (eigenvalue 1, no "
                "input reaches it): use a dictionary without it, e.g. Polynomial(2, "
                "include_bias=False), or controller='mpc'.") from None
    if hasattr(model, "params_") and hasattr(model, "offset_"):
        return _LatentLQG(model, Q, R, ub)
    if not isinstance(model, tuple) and not hasattr(model, "A_"):
        raise ValidationError(
            f"The control protocol designs on a model whose state is the measured state (DMDc), a "
            f"lifting of it (EDMDc) or a latent state observed through it (SubspaceID); got "
            f"{type(model).__name__}.")
    A, B, _ = control.as_state_space(model)
    return _LQR(A, B, Q, R, ub)


def _violations(traj: Trajectory, s: dict, prefix: str = "") -> dict:
    """Applied inputs outside ``u_bound``; states after the initial one outside ``x_bound``."""
    out = {f"{prefix}u_violations": 0, f"{prefix}x_violations": 0, f"{prefix}max_x_violation": 0.0}
    if s["u_bound"] is not None:
        out[f"{prefix}u_violations"] = int((np.abs(traj.u[:-1]) > s["u_bound"] + 1e-6).any(axis=1).sum())
    if s["x_bound"] is not None:
        with np.errstate(invalid="ignore"):
            excess = np.nan_to_num(np.abs(traj.x[1:]) - s["x_bound"], nan=np.inf)
        out[f"{prefix}x_violations"] = int((excess > 1e-6).any(axis=1).sum())
        out[f"{prefix}max_x_violation"] = float(max(excess.max(), 0.0))
    return out


def _run(plant, G, ctrl, data: ProtocolData, s: dict, dt: float, random_state: int) -> Trajectory:
    Q, R = s["state_weight"], s["input_weight"]
    noise = s["process_noise"] * data.scale
    with np.errstate(over="ignore", invalid="ignore"):  # a destabilizing controller scores inf
        return control.closed_loop(plant, ctrl, s["n_steps"], data.context.x[-1], dt=dt,
                                   input_matrix=G, process_noise_std=noise, random_state=random_state,
                                   cost=lambda x, u: Q * float(x @ x) + R * float(u @ u),
                                   integrator="rk4")


def _score_control(estimator, data: ProtocolData, s: dict, system, dt: float,
                   random_state: int = 0) -> tuple[dict, dict]:
    """Closed loops of the controllers designed on ``estimator`` (fitted) and on the true model."""
    plant, G = control_plant(system, s["input_matrix"])
    n, m = _dims(plant, G)
    true_model = _true_model(plant, G, dt)
    learned = _run(plant, G, _controller(estimator, s, n, m), data, s, dt, random_state)
    reference = _run(plant, G, _controller(true_model, s, n, m), data, s, dt, random_state)
    # the true model's cost-to-go from the last state closes the finite window
    S = control.dlqr(*true_model, s["state_weight"] * np.eye(n), s["input_weight"] * np.eye(m))[1]
    with np.errstate(over="ignore", invalid="ignore"):
        cost, ref = (tr.meta["cost"] + float(tr.x[-1] @ S @ tr.x[-1]) for tr in (learned, reference))
    finite = bool(np.isfinite(learned.x).all() and np.isfinite(cost))
    cost = cost if finite else float("inf")
    metrics = {"cost": cost, "reference_cost": ref, "cost_ratio": cost / ref if ref > 0 else float("nan"),
               "finite": finite, **_violations(learned, s), **_violations(reference, s, "reference_")}
    big = float(np.finfo(np.float32).max)
    safe = np.clip(np.nan_to_num(learned.x, nan=big), -big, big).astype(np.float32)
    return metrics, {"truth": reference.x.astype(np.float32), "forecast": safe}


#: the protocol's settings, data maker and scorer (its scorer takes the fitted estimator)
CONTROL = Protocol("control", dict(_DEFAULTS), _make_control, _score_control, lambda s: s["n_steps"],
                   run=lambda est, system, protocol, rs: run_control_protocol(est, system, protocol, rs))


def _settings(protocol: dict) -> dict:
    unknown = set(protocol) - set(_DEFAULTS) - {"name"}
    if unknown:
        raise ValidationError(f"Unknown settings {sorted(unknown)} for protocol 'control'; "
                              f"it takes {sorted(_DEFAULTS)}.")
    if protocol.get("name", "control") != "control":
        raise ValidationError(f"run_control_protocol runs the 'control' protocol; got "
                              f"{protocol['name']!r}.")
    return {**_DEFAULTS, **protocol, "name": "control"}


def run_control_protocol(estimator, system, protocol: dict | None = None, random_state: int = 0):
    """Learn ``system`` from excitation data with ``estimator``, control it, score the closed loop.

    Parameters
    ----------
    estimator : lindy.base.Estimator
        An unfitted input model (DMDc, EDMDc); its ``random_state`` (if any) is
        set to ``random_state``.
    system : str or plant
        A registered system, a benchmark plant's name or a plant object (see
        the module docstring).
    protocol : dict, optional
        Settings overriding ``CONTROL.defaults``.
    random_state : int

    Returns
    -------
    metrics : dict
        ``cost``, ``reference_cost``, ``cost_ratio``, violations, ``finite``,
        ``fit_seconds``, ``control_seconds``, ``dt``.
    arrays : dict
        ``truth`` (closed loop under the true-model controller) and
        ``forecast`` (under the learned-model controller), states ``(n_steps + 1, n)``.

    Examples
    --------
    >>> import lindy as ld
    >>> metrics, _ = run_control_protocol(ld.operators.DMDc(), "dc_motor", {"n_steps": 50})
    >>> round(metrics["cost_ratio"], 3)
    1.0
    """
    s = _settings(protocol or {})
    plant, _ = control_plant(system, s["input_matrix"])
    rng = np.random.default_rng([int(random_state), 7])
    data = _make_control(plant, s, rng)
    dt = float(data.train.dt or 1.0)
    fit_seconds = timed_fit(estimator, data.train, random_state)
    t0 = time.perf_counter()
    metrics, arrays = _score_control(estimator, data, s, plant, dt, random_state=int(random_state))
    metrics.update(fit_seconds=fit_seconds, control_seconds=time.perf_counter() - t0, dt=dt)
    return metrics, arrays
