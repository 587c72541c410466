"""Benchmark plants for control: discretized linear models and a nonlinear Burgers plant.

The linear plants are continuous models sampled exactly with a zero-order hold
(``[[A, B], [0, I]] = expm([[Ac, Bc], [0, 0]] dt)``) and returned as discrete
:class:`~lindy.systems.LTISystem` values (``meta["dt"]`` holds the sample
interval, ``meta["continuous"]`` the pair ``(Ac, Bc)``). The Burgers plant is
a callable ``step(x, u) -> x_next``, which :func:`closed_loop` and
:func:`simulate_inputs` accept as a plant.

mass_spring_chain   n masses between two walls, forces on chosen masses
heat_equation       1-D heat equation, the boundary temperatures as inputs
dc_motor            armature-controlled DC motor (angle, speed, current), voltage input
burgers             viscous Burgers equation, the boundary values as inputs (nonlinear)
bilinear_motor      DC motor with a bilinear input term (Korda and Mezic 2018; nonlinear)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg

from .._validation import check_positive_int
from ..errors import ValidationError
from ..systems import LTISystem

__all__ = ["mass_spring_chain", "heat_equation", "dc_motor", "burgers", "BurgersPlant",
           "bilinear_motor", "BilinearMotorPlant"]


def _positive(value, name: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v <= 0:
        raise ValidationError(f"{name} must be a positive number; got {value!r}.")
    return v


def _sampled(Ac, Bc, C, dt: float, meta: dict) -> LTISystem:
    n, m = Bc.shape
    M = np.zeros((n + m, n + m))
    M[:n, :n], M[:n, n:] = Ac, Bc
    E = linalg.expm(M * dt)
    A, B = E[:n, :n], E[:n, n:]
    meta = {**meta, "dt": dt, "continuous": (Ac, Bc), "linear": True}
    return LTISystem(A=A, B=B, C=C, D=np.zeros((C.shape[0], m)), eigenvalues=np.linalg.eigvals(A),
                     meta=meta)


def _second_difference(n: int) -> np.ndarray:
    return 2.0 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)


def mass_spring_chain(n_masses: int = 4, *, mass: float = 1.0, stiffness: float = 1.0,
                      damping: float = 0.1, dt: float = 0.1, actuated=(0,)) -> LTISystem:
    """A chain of ``n_masses`` equal masses joined by springs, fixed to walls at both ends.

    ``m q'' = -k L q - c q' + F u`` with ``L = tridiag(-1, 2, -1)``; state
    ``x = (q, q')`` (dimension ``2 n``), forces on the ``actuated`` masses,
    outputs the positions. The undamped natural frequencies are
    ``2 sqrt(k/m) sin(j pi / (2 (n + 1)))``, ``j = 1..n``.

    Parameters
    ----------
    n_masses : int
    mass, stiffness, damping : float
        ``m``, ``k`` (``> 0``) and the viscous damping ``c`` (``>= 0``) on every mass.
    dt : float
        Sample interval (zero-order hold).
    actuated : sequence of int
        Indices of the masses a force acts on (one input each).

    Returns
    -------
    LTISystem
        ``A (2n, 2n)``, ``B (2n, len(actuated))``, ``C (n, 2n)``.

    Examples
    --------
    >>> sys = mass_spring_chain(3, damping=0.0, dt=0.1)
    >>> sys.A.shape, sys.B.shape, sys.C.shape
    ((6, 6), (6, 1), (3, 6))
    >>> bool(np.allclose(np.abs(sys.eigenvalues), 1.0))  # undamped: on the unit circle
    True
    """
    n = check_positive_int(n_masses, "n_masses")
    m, k, dt = _positive(mass, "mass"), _positive(stiffness, "stiffness"), _positive(dt, "dt")
    c = float(damping)
    if c < 0:
        raise ValidationError(f"damping must be >= 0; got {damping!r}.")
    idx = np.atleast_1d(np.asarray(actuated, dtype=int))
    if idx.size == 0 or idx.min() < 0 or idx.max() >= n:
        raise ValidationError(f"actuated must list mass indices in [0, {n}); got {list(actuated)}.")
    Ac = np.block([[np.zeros((n, n)), np.eye(n)], [-(k / m) * _second_difference(n), -(c / m) * np.eye(n)]])
    Bc = np.zeros((2 * n, idx.size))
    Bc[n + idx, np.arange(idx.size)] = 1.0 / m
    C = np.hstack([np.eye(n), np.zeros((n, n))])
    freqs = 2 * np.sqrt(k / m) * np.sin(np.arange(1, n + 1) * np.pi / (2 * (n + 1)))
    return _sampled(Ac, Bc, C, dt, {"name": "mass_spring_chain", "natural_frequencies": freqs})


def heat_equation(n_cells: int = 20, *, diffusivity: float = 1.0, length: float = 1.0,
                  dt: float | None = None, actuated: str = "left") -> LTISystem:
    """The 1-D heat equation on ``n_cells`` interior grid points, boundary temperatures as inputs.

    ``T_t = a T_xx`` on ``(0, length)`` with Dirichlet boundaries, central
    differences on the grid ``x_i = i h``, ``h = length / (n_cells + 1)``. The
    actuated boundary's temperature is the input; the other boundary is held at
    0. The semi-discrete operator's eigenvalues are
    ``-(4 a / h^2) sin^2(j pi / (2 (n_cells + 1)))``.

    Parameters
    ----------
    n_cells : int
    diffusivity, length : float
    dt : float, optional
        Sample interval (default ``h^2 / a``; the sampling is exact, so any
        ``dt`` is stable).
    actuated : {"left", "right", "both"}
        Which boundary temperatures are inputs (``"both"``: two inputs, left first).

    Returns
    -------
    LTISystem
        ``A (n, n)``, ``B (n, 1 or 2)``, ``C = I``.

    Examples
    --------
    >>> sys = heat_equation(10, actuated="both")
    >>> sys.B.shape
    (10, 2)
    >>> x = np.zeros(10)
    >>> for _ in range(2000):  # hold the left end at 1, the right at 0: a linear profile
    ...     x = sys.A @ x + sys.B @ [1.0, 0.0]
    >>> bool(np.allclose(x, 1 - np.arange(1, 11) / 11))
    True
    """
    n = check_positive_int(n_cells, "n_cells")
    a, L = _positive(diffusivity, "diffusivity"), _positive(length, "length")
    h = L / (n + 1)
    dt = h * h / a if dt is None else _positive(dt, "dt")
    sides = {"left": [0], "right": [n - 1], "both": [0, n - 1]}
    if actuated not in sides:
        raise ValidationError(f"actuated must be one of {sorted(sides)}; got {actuated!r}.")
    Ac = -(a / h**2) * _second_difference(n)
    Bc = np.zeros((n, len(sides[actuated])))
    Bc[sides[actuated], np.arange(Bc.shape[1])] = a / h**2
    eig = -(4 * a / h**2) * np.sin(np.arange(1, n + 1) * np.pi / (2 * (n + 1))) ** 2
    return _sampled(Ac, Bc, np.eye(n), dt, {"name": "heat_equation", "grid": h * np.arange(1, n + 1),
                                            "continuous_eigenvalues": eig})


def dc_motor(*, inertia: float = 0.01, friction: float = 0.1, motor_constant: float = 0.01,
             resistance: float = 1.0, inductance: float = 0.5, dt: float = 0.05) -> LTISystem:
    """An armature-controlled DC motor; state ``(angle, speed, current)``, input the voltage.

    ``J w' = K i - b w``, ``L i' = -R i - K w + V``, ``angle' = w``; the output
    is the angle. Defaults are the classic textbook motor (Messner and Tilbury,
    *Control Tutorials for MATLAB*), whose steady speed per volt is
    ``K / (b R + K^2)``.

    Parameters
    ----------
    inertia, friction, motor_constant, resistance, inductance : float
        ``J``, ``b``, ``K``, ``R``, ``L`` (all ``> 0``).
    dt : float
        Sample interval.

    Returns
    -------
    LTISystem

    Examples
    --------
    >>> sys = dc_motor()
    >>> sys.A.shape, sys.B.shape, sys.C.shape
    ((3, 3), (3, 1), (1, 3))
    """
    J, b = _positive(inertia, "inertia"), _positive(friction, "friction")
    K, R = _positive(motor_constant, "motor_constant"), _positive(resistance, "resistance")
    L, dt = _positive(inductance, "inductance"), _positive(dt, "dt")
    Ac = np.array([[0.0, 1.0, 0.0], [0.0, -b / J, K / J], [0.0, -K / L, -R / L]])
    Bc = np.array([[0.0], [0.0], [1.0 / L]])
    return _sampled(Ac, Bc, np.array([[1.0, 0.0, 0.0]]), dt,
                    {"name": "dc_motor", "speed_per_volt": K / (b * R + K * K)})


@dataclass(frozen=True, eq=False)
class BurgersPlant:
    """One sample of the viscous Burgers equation with boundary actuation (a callable plant).

    ``v_t + (v^2 / 2)_x = nu v_xx`` on ``(0, 1)``, ``v(0) = u[0]``, ``v(1) = u[1]``
    (or 0 when there is one input), central differences on ``n_cells`` interior
    points, ``n_sub`` RK4 steps per sample. Call it as ``plant(x, u)``.

    Attributes
    ----------
    n_cells, viscosity, dt, n_sub, n_inputs
    grid : ndarray (n_cells,)
    """

    n_cells: int
    viscosity: float
    dt: float
    n_sub: int
    n_inputs: int
    grid: np.ndarray

    @property
    def state_dim(self) -> int:
        """Number of grid values ``n_cells``."""
        return self.n_cells

    def _field(self, v, left: float, right: float) -> np.ndarray:
        h = 1.0 / (self.n_cells + 1)
        full = np.concatenate([[left], v, [right]])
        flux = 0.5 * full**2
        return (self.viscosity * (full[2:] - 2 * full[1:-1] + full[:-2]) / h**2
                - (flux[2:] - flux[:-2]) / (2 * h))

    def __call__(self, x, u) -> np.ndarray:
        """The state one sample later under boundary values ``u`` held over the sample."""
        v = np.asarray(x, dtype=float)
        u = np.atleast_1d(np.asarray(u, dtype=float))
        if u.shape != (self.n_inputs,) or v.shape != (self.n_cells,):
            raise ValidationError(f"Burgers plant needs x ({self.n_cells},) and u ({self.n_inputs},); "
                                  f"got {v.shape} and {u.shape}.")
        left, right = float(u[0]), float(u[1]) if self.n_inputs == 2 else 0.0
        h = self.dt / self.n_sub
        for _ in range(self.n_sub):
            k1 = self._field(v, left, right)
            k2 = self._field(v + 0.5 * h * k1, left, right)
            k3 = self._field(v + 0.5 * h * k2, left, right)
            k4 = self._field(v + h * k3, left, right)
            v = v + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        return v


def burgers(n_cells: int = 32, *, viscosity: float = 0.02, dt: float = 0.01, n_inputs: int = 2,
            max_speed: float = 2.0) -> BurgersPlant:
    """The viscous Burgers equation with boundary actuation, as a nonlinear plant.

    Parameters
    ----------
    n_cells : int
        Interior grid points on ``(0, 1)``.
    viscosity : float
    dt : float
        Sample interval.
    n_inputs : {1, 2}
        Inputs: the left boundary value, or the left and right ones.
    max_speed : float
        Largest ``|v|`` the RK4 sub-step count is sized for (diffusive and
        advective stability).

    Returns
    -------
    BurgersPlant
        A callable ``plant(x, u) -> x_next`` for :func:`closed_loop` and
        :func:`simulate_inputs`; about zero its linearization is
        :func:`heat_equation` with ``diffusivity=viscosity``.

    Examples
    --------
    >>> import lindy as ld
    >>> plant = burgers(16)
    >>> x0 = np.sin(np.pi * plant.grid)
    >>> traj = ld.control.simulate_inputs(plant, np.zeros((50, 2)), x0)
    >>> bool(np.abs(traj.x[-1]).max() < np.abs(x0).max())  # viscosity dissipates
    True
    """
    n = check_positive_int(n_cells, "n_cells")
    nu, dt = _positive(viscosity, "viscosity"), _positive(dt, "dt")
    if n_inputs not in (1, 2):
        raise ValidationError(f"n_inputs must be 1 or 2; got {n_inputs!r}.")
    h = 1.0 / (n + 1)
    rate = 4 * nu / h**2 + _positive(max_speed, "max_speed") / h
    n_sub = max(1, int(np.ceil(dt * rate / 2.0)))  # RK4 is stable to |lambda h| ~ 2.8
    return BurgersPlant(n, nu, dt, n_sub, int(n_inputs), h * np.arange(1, n + 1))


@dataclass(frozen=True)
class BilinearMotorPlant:
    """One sample of the bilinear DC motor of Korda and Mezić (2018), a callable plant.

    ``di/dt = -(Ra/La) i - (km/La) w u + ua/La``, ``dw/dt = -(B/J) w + (km/J) i u - tl/J``
    with state ``x = (i, w)`` (current, angular speed) and the control ``u``
    multiplying the state (a bilinear term), held over the sample and
    integrated by ``n_sub`` RK4 steps. The output of interest is ``w``.
    """

    La: float
    Ra: float
    km: float
    J: float
    B: float
    tl: float
    ua: float
    dt: float
    n_sub: int

    @property
    def state_dim(self) -> int:
        """Two states: current and angular speed."""
        return 2

    def _field(self, x, u: float) -> np.ndarray:
        i, w = x
        return np.array([-(self.Ra / self.La) * i - (self.km / self.La) * w * u + self.ua / self.La,
                         -(self.B / self.J) * w + (self.km / self.J) * i * u - self.tl / self.J])

    def __call__(self, x, u) -> np.ndarray:
        """The state one sample later under the input ``u`` held over the sample."""
        v = np.asarray(x, dtype=float)
        uu = np.atleast_1d(np.asarray(u, dtype=float))
        if v.shape != (2,) or uu.shape != (1,):
            raise ValidationError(f"The bilinear motor needs x (2,) and u (1,); got {v.shape} and "
                                  f"{uu.shape}.")
        a = float(uu[0])
        h = self.dt / self.n_sub
        for _ in range(self.n_sub):
            k1 = self._field(v, a)
            k2 = self._field(v + 0.5 * h * k1, a)
            k3 = self._field(v + 0.5 * h * k2, a)
            k4 = self._field(v + h * k3, a)
            v = v + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        return v


def bilinear_motor(*, dt: float = 0.01, n_sub: int = 10) -> BilinearMotorPlant:
    """The bilinear DC motor of Korda and Mezić (2018) with their parameters.

    ``La = 0.314``, ``Ra = 12.345``, ``km = 0.253``, ``J = 0.00441``,
    ``B = 0.00732``, load torque ``tl = 1.47``, armature voltage ``ua = 60``; the
    control ``u`` (in ``[-1, 1]`` in the paper) enters bilinearly, so no linear
    model is exact and a Koopman (lifted) predictor has room to help.

    Parameters
    ----------
    dt : float, default 0.01
        Sample interval (the paper's).
    n_sub : int, default 10
        RK4 steps per sample.

    Returns
    -------
    BilinearMotorPlant

    Examples
    --------
    >>> import lindy as ld
    >>> plant = bilinear_motor()
    >>> traj = ld.control.simulate_inputs(plant, np.full((1500, 1), 0.5), np.zeros(2))
    >>> bool(abs(traj.x[-1, 1] - traj.x[-2, 1]) < 1e-6)      # the speed settles
    True
    """
    return BilinearMotorPlant(La=0.314, Ra=12.345, km=0.253, J=0.00441, B=0.00732, tl=1.47,
                              ua=60.0, dt=_positive(dt, "dt"), n_sub=check_positive_int(n_sub, "n_sub"))
