"""Data sets the conformance checks drive estimators with."""

from __future__ import annotations

import numpy as np

from ..data import Trajectory, TrajectorySet

__all__ = ["conformance_data", "linear_input_data", "complex_linear_data"]


def conformance_data(n_inputs: int = 0, random_state: int = 0) -> TrajectorySet:
    """A ragged set of three noisy trajectories of a damped 2-D oscillator.

    The dynamics are mildly nonlinear and stable, so every kind of model can fit
    them; with ``n_inputs > 0`` the system is driven by random inputs.

    Examples
    --------
    >>> conformance_data().lengths
    [160, 110, 200]
    """
    rng = np.random.default_rng(random_state)
    th = 0.3
    A = 0.97 * np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    B = rng.standard_normal((2, n_inputs))
    trajs = []
    for T in (160, 110, 200):
        x = np.empty((T, 2))
        x[0] = rng.standard_normal(2)
        u = rng.standard_normal((T, n_inputs)) if n_inputs else None
        for k in range(T - 1):
            drive = B @ u[k] if n_inputs else 0.0
            x[k + 1] = A @ x[k] + 0.05 * np.tanh(x[k]) ** 2 + drive + 0.02 * rng.standard_normal(2)
        trajs.append(Trajectory(t=0.1 * np.arange(T), x=x, u=u))
    return TrajectorySet(trajs)


#: the known linear system of the input-timing check: x[k+1] = A x[k] + B u[k]
LINEAR_A = np.array([[0.8, -0.3], [0.3, 0.8]])
LINEAR_B = np.array([[1.0], [0.5]])


def linear_input_data(random_state: int = 0, lengths=(150, 120, 180), *,
                      at_rest: bool = False) -> TrajectorySet:
    """Noise-free trajectories of ``x[k+1] = A x[k] + B u[k]`` (2 states, 1 input).

    ``u[k]`` is applied at ``t[k]``: the lindy input convention. Each starts
    from a random state, or from rest (``x[0] = 0``) with ``at_rest=True``.

    Examples
    --------
    >>> data = linear_input_data()
    >>> bool(np.allclose(data[0].x[1], LINEAR_A @ data[0].x[0] + LINEAR_B @ data[0].u[0]))
    True
    """
    rng = np.random.default_rng(random_state)
    trajs = []
    for T in lengths:
        u = rng.standard_normal((T, 1))
        x = np.empty((T, 2))
        x[0] = rng.standard_normal(2)
        if at_rest:
            x[0] = 0.0
        for k in range(T - 1):
            x[k + 1] = LINEAR_A @ x[k] + LINEAR_B @ u[k]
        trajs.append(Trajectory(t=0.1 * np.arange(T), x=x, u=u))
    return TrajectorySet(trajs)


def linear_continuation(context: Trajectory, u_future: np.ndarray) -> np.ndarray:
    """The exact continuation of :func:`linear_input_data` under the lindy convention."""
    x = context.x[-1]
    drive = np.vstack([context.u[-1:], u_future[:-1]])
    out = np.empty((u_future.shape[0], 2))
    for j in range(u_future.shape[0]):
        x = LINEAR_A @ x + LINEAR_B @ drive[j]
        out[j] = x
    return out


def complex_linear_data(random_state: int = 0) -> tuple[TrajectorySet, np.ndarray]:
    """Complex snapshots of ``x[k+1] = A x[k]`` with a complex 3x3 ``A``; returns ``(data, A)``.

    Examples
    --------
    >>> data, A = complex_linear_data()
    >>> data[0].x.dtype
    dtype('complex128')
    """
    rng = np.random.default_rng(random_state)
    lam = np.array([0.95 * np.exp(0.4j), 0.9 * np.exp(-1.1j), 0.8 + 0.1j])
    V = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    A = V @ np.diag(lam) @ np.linalg.inv(V)
    trajs = []
    for T in (60, 45):
        x = np.empty((T, 3), dtype=complex)
        x[0] = rng.standard_normal(3) + 1j * rng.standard_normal(3)
        for k in range(T - 1):
            x[k + 1] = A @ x[k]
        trajs.append(Trajectory(t=0.1 * np.arange(T), x=x))
    return TrajectorySet(trajs), A
