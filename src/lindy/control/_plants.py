"""Plants for closed-loop simulation: one sampled step of a ``lindy.systems`` model with inputs.

``lindy.systems.simulate`` integrates autonomous systems only, so a plant with
an input is a :class:`~lindy.systems.System` plus an ``input_matrix`` ``G``:
flows follow ``dx/dt = f(x) + G u`` with ``u`` held constant over the sample
(zero-order hold) and maps ``x+ = f(x) + G u``. A discrete
:class:`~lindy.systems.LTISystem` uses its own ``A, B``; any callable
``step(x, u) -> x_next`` is accepted as well.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg
from scipy.integrate import solve_ivp

from .._validation import check_array
from ..data import Trajectory
from ..errors import NumericalError, ShapeError, ValidationError

__all__ = ["plant_step", "simulate_inputs", "linearize"]

_INTEGRATORS = ("dop853", "rk4")


def _input_matrix(plant, input_matrix, m: int) -> np.ndarray:
    if input_matrix is None:
        raise ValidationError(
            f"System {plant.name!r} has no input channel of its own; pass input_matrix=G of shape "
            f"({plant.dim}, m) so that the input enters as dx/dt = f(x) + G u (e.g. "
            f"G = [[0], [1]] forces the second state).")
    G = check_array(input_matrix, "input_matrix", ndim=(1, 2))
    G = G[:, None] if G.ndim == 1 else G
    if G.shape != (plant.dim, m):
        raise ShapeError(f"input_matrix must have shape ({plant.dim}, {m}); got {G.shape}.")
    return G


def _rk4(f, x, dt, n_sub):
    h = dt / n_sub
    for _ in range(n_sub):
        k1 = f(x)
        k2 = f(x + 0.5 * h * k1)
        k3 = f(x + 0.5 * h * k2)
        k4 = f(x + h * k3)
        x = x + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x


def plant_step(plant, x, u, *, dt=None, input_matrix=None, integrator="dop853", t=0.0):
    """The plant's state one sample after ``x`` under the input ``u`` (held over the sample).

    Parameters
    ----------
    plant : LTISystem, System or callable
        ``LTISystem``: ``A x + B u``. ``System`` (flow or map) with
        ``input_matrix``: see the module docstring. A callable ``step(x, u)``.
    x : array_like (n,)
    u : array_like (m,)
    dt : float, optional
        Sample interval of a flow (default ``plant.dt``).
    input_matrix : array_like (n, m), optional
        How the input enters a ``System``.
    integrator : {"dop853", "rk4"}
        Flows: scipy's adaptive DOP853 (``rtol=1e-9``) or 10 fixed RK4 steps (fast).
    t : float
        Time at the start of the sample (non-autonomous systems).

    Returns
    -------
    ndarray (n,)

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> vdp = ld.systems.get_system("VanDerPol")
    >>> plant_step(vdp, [0.0, 0.0], [1.0], dt=0.1, input_matrix=[[0.0], [1.0]]).round(4)
    array([0.0052, 0.105 ])
    """
    x = np.asarray(x, dtype=float)
    u = np.atleast_1d(np.asarray(u, dtype=float))
    if callable(plant) and not hasattr(plant, "rhs"):
        return np.asarray(plant(x, u), dtype=float)
    if hasattr(plant, "A") and hasattr(plant, "B"):
        return plant.A @ x + plant.B @ u
    if not hasattr(plant, "rhs"):
        raise ValidationError(
            f"Cannot step a plant of type {type(plant).__name__}; pass an LTISystem, a "
            "lindy.systems System with input_matrix, or a callable step(x, u).")
    G = _input_matrix(plant, input_matrix, u.shape[0])
    p = plant.param_array
    force = G @ u
    if plant.kind == "map":
        return np.asarray(plant.rhs(t, x, p), dtype=float) + force
    if plant.kind != "flow":
        raise ValidationError(f"Closed loops support flows and maps; {plant.name} is a {plant.kind}.")
    h = float(plant.dt if dt is None else dt)
    if integrator == "rk4":
        return _rk4(lambda z: np.asarray(plant.rhs(t, z, p)) + force, x, h, 10)
    if integrator != "dop853":
        raise ValidationError(f"integrator must be one of {_INTEGRATORS}; got {integrator!r}.")
    sol = solve_ivp(lambda s, z: np.asarray(plant.rhs(s, z, p)) + force, (t, t + h), x,
                    method="DOP853", rtol=1e-9, atol=1e-12)
    if not sol.success:
        raise NumericalError(f"Integrating {plant.name} over one sample failed: {sol.message}")
    return sol.y[:, -1]


def simulate_inputs(plant, u, x0, *, dt=None, input_matrix=None, integrator="dop853") -> Trajectory:
    """Drive a plant open loop with inputs ``u (T, m)`` (``u[k]`` acts from ``t[k]`` to ``t[k+1]``).

    Parameters
    ----------
    plant, dt, input_matrix, integrator
        As in :func:`plant_step`.
    u : array_like (T, m)
    x0 : array_like (n,)

    Returns
    -------
    Trajectory
        States ``x (T, n)`` (``x[0] = x0``) with the inputs ``u``; ready for
        ``DMDc().fit(traj)``.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> sys = ld.systems.random_lti(2, 1, 1, random_state=0)
    >>> simulate_inputs(sys, np.ones((5, 1)), np.zeros(2)).x.shape
    (5, 2)
    """
    u = check_array(u, "u", ndim=(1, 2))
    u = u[:, None] if u.ndim == 1 else u
    x = check_array(x0, "x0", ndim=1)
    h = float(dt if dt is not None else getattr(plant, "dt", 1.0))
    xs = np.empty((u.shape[0], x.shape[0]))
    for k in range(u.shape[0]):
        xs[k] = x
        if k + 1 < u.shape[0]:
            x = plant_step(plant, x, u[k], dt=h, input_matrix=input_matrix, integrator=integrator,
                           t=k * h)
    return Trajectory(t=h * np.arange(u.shape[0]), x=xs, u=u)


def linearize(plant, x, u, *, dt=None, input_matrix=None, eps=1e-6):
    """Discrete-time linearization ``(A, B)`` of a plant around ``(x, u)`` (zero-order hold).

    A flow's Jacobian (the system's own ``jac`` when it has one, else central
    differences) is discretized exactly: ``[[A, B], [0, I]] =
    expm([[J, G], [0, 0]] dt)``. Maps are differentiated directly. Meant for an
    equilibrium ``f(x) + G u = 0`` (flows) or fixed point (maps).

    Parameters
    ----------
    plant : System or callable
        A flow or map, or a sampled plant ``step(x, u) -> x_next`` (then ``A``
        and ``B`` are central differences of the one-sample map).
    x : array_like (n,)
    u : array_like (m,)
    dt : float, optional
        Sample interval (default ``plant.dt``).
    input_matrix : array_like (n, m)
    eps : float
        Finite-difference step.

    Returns
    -------
    A : ndarray (n, n)
    B : ndarray (n, m)

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> vdp = ld.systems.get_system("VanDerPol")
    >>> A, B = linearize(vdp, [0.0, 0.0], [0.0], dt=0.1, input_matrix=[[0.0], [1.0]])
    >>> B.round(4).ravel()
    array([0.0052, 0.105 ])
    """
    x = np.asarray(x, dtype=float)
    u = np.atleast_1d(np.asarray(u, dtype=float))
    if callable(plant) and not hasattr(plant, "rhs"):  # a one-sample map step(x, u)
        return _linearize_step(plant, x, u, eps)
    G = _input_matrix(plant, input_matrix, u.shape[0])
    p = plant.param_array
    if plant.jac is not None:
        J = np.asarray(plant.jac(0.0, x, p), dtype=float)
    else:
        n = x.shape[0]
        J = np.empty((n, n))
        for j in range(n):
            e = np.zeros(n)
            e[j] = eps * max(1.0, abs(x[j]))
            J[:, j] = (np.asarray(plant.rhs(0.0, x + e, p)) - np.asarray(plant.rhs(0.0, x - e, p))) / (
                2 * e[j])
    if plant.kind == "map":
        return J, G
    n, m = G.shape
    h = float(plant.dt if dt is None else dt)
    M = np.zeros((n + m, n + m))
    M[:n, :n], M[:n, n:] = J, G
    E = linalg.expm(M * h)
    return E[:n, :n], E[:n, n:]


def _linearize_step(step, x, u, eps):
    """Central differences of a sampled plant ``x+ = step(x, u)`` (Burgers, the bilinear motor)."""
    def jac(f, z):
        cols = []
        for j in range(z.shape[0]):
            e = np.zeros_like(z)
            e[j] = eps * max(1.0, abs(z[j]))
            cols.append((np.asarray(f(z + e)) - np.asarray(f(z - e))) / (2 * e[j]))
        return np.column_stack(cols)

    return jac(lambda z: step(z, u), x), jac(lambda v: step(x, v), u)
