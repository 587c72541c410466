"""Closed-loop simulation of a plant under a controller."""

from __future__ import annotations

import inspect

import numpy as np

from .._validation import check_array, check_positive_int, check_rng
from ..data import Trajectory
from ..errors import ShapeError
from ._plants import plant_step

__all__ = ["closed_loop"]


def _measure(plant, controller, x, output_matrix):
    if getattr(controller, "measures", "state") != "output":
        return x
    C = output_matrix if output_matrix is not None else getattr(plant, "C", None)
    if C is None:
        return x
    return np.asarray(C, float) @ x  # measured before u[k] is chosen: no feed-through


def _references(reference, n: int):
    if reference is None:
        return None
    r = np.atleast_1d(check_array(reference, "reference", ndim=(0, 1, 2)))
    if r.ndim == 1:
        return np.tile(r, (n, 1))
    if r.shape[0] < n:
        raise ShapeError(f"A time-varying reference needs at least {n} rows; got {r.shape[0]}.")
    return r


def closed_loop(plant, controller, n_steps, x0, *, dt=None, input_matrix=None, output_matrix=None,
                process_noise_std=0.0, obs_noise_std=0.0, random_state=None, reference=None,
                preview=False, cost=None, integrator="dop853") -> Trajectory:
    """Simulate ``controller`` acting on ``plant`` for ``n_steps`` samples.

    At each sample the controller sees a measurement (the state, or
    ``C x`` for controllers whose ``measures`` attribute is ``"output"``,
    such as :class:`LQG`; the measurement precedes ``u[k]``, so a plant's
    feed-through ``D`` is not applied) plus Gaussian noise, returns ``u[k]``, and the plant
    moves to ``x[k+1]`` with ``u[k]`` held over the sample (lindy's input
    convention) plus Gaussian process noise.

    Parameters
    ----------
    plant : LTISystem, System or callable
        See :func:`lindy.control.plant_step`.
    controller : object
        Has ``control(measurement) -> u`` (``control(measurement, reference)``
        when a reference is given); ``reset()`` is called first when present.
    n_steps : int
        Number of control steps.
    x0 : array_like (n,)
        Initial plant state.
    dt, input_matrix, integrator
        Passed to :func:`plant_step`.
    output_matrix : array_like (p, n), optional
        What an output-measuring controller sees (default the plant's ``C``).
    process_noise_std, obs_noise_std : float or array_like (n,) / (p,), default 0
        Absolute standard deviations (in state / measurement units, not
        fractions of the signal's std) of the additive Gaussian noise on each
        step and on each measurement.
    random_state : int, Generator or None
    reference : array_like (p,) or (T, p), optional
        Set point, or one per sample (``T >= n_steps + 1``), passed to the controller.
    preview : bool, default False
        Pass the controller the next ``controller.horizon`` reference rows
        (``r[k+1..k+H]``, the last row repeated past the end) instead of the
        current one, so that MPC can anticipate a time-varying reference.
    cost : callable, optional
        ``cost(x, u) -> float`` (``cost(x, u, r)`` with a reference); default the
        controller's ``stage_cost`` when it has one.

    Returns
    -------
    Trajectory
        ``x (n_steps + 1, n)`` and ``u (n_steps + 1, m)`` (the last input is the
        controller's answer to the final state, not applied); ``meta`` holds
        ``"costs"`` per sample, their sum over the applied steps ``"cost"`` and
        the ``"measurements"``.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> sys = ld.systems.random_lti(3, 1, 1, random_state=0)
    >>> mpc = ld.control.MPC(sys, horizon=10, Q=np.eye(1), u_bounds=(-1, 1))
    >>> traj = ld.control.closed_loop(sys, mpc, n_steps=20, x0=np.ones(3))
    >>> traj.x.shape, traj.u.shape, bool(np.abs(traj.u).max() <= 1 + 1e-9)
    ((21, 3), (21, 1), True)
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    x = check_array(x0, "x0", ndim=1).copy()
    rng = check_rng(random_state)
    refs = _references(reference, n_steps + 1)
    if cost is None:
        cost = getattr(controller, "stage_cost", None)
    if hasattr(controller, "reset"):
        controller.reset()
    h = float(dt if dt is not None else getattr(plant, "dt", 1.0))
    xs, us, ys, costs = [], [], [], []
    for k in range(n_steps + 1):
        y = _measure(plant, controller, x, output_matrix)
        if np.any(obs_noise_std):
            y = y + np.asarray(obs_noise_std) * rng.standard_normal(y.shape)
        r = None if refs is None else refs[k]
        if preview and refs is not None:
            idx = np.minimum(np.arange(k + 1, k + 1 + controller.horizon), refs.shape[0] - 1)
            window = refs[idx]
        else:
            window = r
        u = np.atleast_1d(np.asarray(controller.control(y) if r is None else controller.control(y, window),
                                     dtype=float))
        xs.append(x)
        us.append(u)
        ys.append(y)
        if cost is not None:
            nargs = len(inspect.signature(cost).parameters)
            costs.append(float(cost(x, u) if r is None or nargs < 3 else cost(x, u, r)))
        if k == n_steps:
            break
        x = plant_step(plant, x, u, dt=h, input_matrix=input_matrix, integrator=integrator, t=k * h)
        if np.any(process_noise_std):
            x = x + np.asarray(process_noise_std) * rng.standard_normal(x.shape)
    costs_arr = np.array(costs) if costs else None
    meta = {"measurements": np.array(ys), "costs": costs_arr,
            "cost": float(costs_arr[:-1].sum()) if costs_arr is not None else None}
    return Trajectory(t=h * np.arange(n_steps + 1), x=np.array(xs), u=np.array(us), meta=meta)
