"""``System``: a dynamical system as data (name, dimension, parameters, rhs, metadata)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..errors import ValidationError

__all__ = ["System", "KINDS"]

#: the kinds of system the database holds
KINDS = ("flow", "map", "delay", "sde")


@dataclass(frozen=True, eq=False)
class System:
    """A dynamical system described as data.

    Parameters
    ----------
    name : str
        Registry name, e.g. ``"Lorenz"``.
    dim : int
        State dimension.
    params : dict of str to float
        Parameter values by keyword, in the order the right-hand side reads them.
    x0 : ndarray, shape (dim,)
        Default initial condition.
    dt : float
        Default sampling interval (1 for maps).
    rhs : callable
        Pure function ``rhs(t, x, p) -> dx`` (flows: the vector field; maps: the
        next state), where ``x`` is ``(dim,)`` and ``p`` the parameter values as a
        float array in the order of ``params``. Written so that numba can compile it.
    jac : callable, optional
        ``jac(t, x, p) -> (dim, dim)`` Jacobian of ``rhs`` with respect to ``x``.
    kind : {"flow", "map", "delay", "sde"}
    meta : dict
        Metadata: ``period``, ``max_lyapunov``, ``lyapunov_spectrum``,
        ``citation``, ``description``, ...

    Examples
    --------
    >>> import lindy as ld
    >>> lorenz = ld.systems.get_system("Lorenz")
    >>> lorenz.dim, lorenz.params["rho"]
    (3, 28.0)
    >>> lorenz.with_params(rho=10.0).params["rho"]
    10.0
    """

    name: str
    dim: int
    params: dict[str, float]
    x0: np.ndarray
    dt: float
    rhs: Callable
    jac: Callable | None = None
    kind: str = "flow"
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        x0 = np.asarray(self.x0, dtype=float)
        if x0.shape != (self.dim,):
            raise ValidationError(f"System {self.name}: x0 must have shape ({self.dim},); got {x0.shape}.")
        if self.kind not in KINDS:
            raise ValidationError(f"System {self.name}: kind must be one of {KINDS}; got {self.kind!r}.")
        x0.flags.writeable = False
        object.__setattr__(self, "x0", x0)
        object.__setattr__(self, "params", {k: float(v) for k, v in self.params.items()})

    @property
    def param_array(self) -> np.ndarray:
        """Parameter values as a float array in the order of ``params``."""
        return np.array(list(self.params.values()), dtype=float)

    def with_params(self, **params: float) -> System:
        """A copy with some parameters changed (unknown names raise ValidationError).

        The copy drops ``meta["stiff"]``, which was measured at the default
        parameters; ``simulate(integrator="auto")`` then detects stiffness while
        integrating.
        """
        unknown = set(params) - set(self.params)
        if unknown:
            raise ValidationError(
                f"System {self.name} has no parameter(s) {sorted(unknown)}; its parameters "
                f"are {list(self.params)}."
            )
        meta = {k: v for k, v in self.meta.items() if k != "stiff"}
        return replace(self, params={**self.params, **params}, meta=meta)

    def __call__(self, x, t: float = 0.0) -> np.ndarray:
        """Evaluate the right-hand side at one state (convenience, not compiled)."""
        return np.asarray(self.rhs(float(t), np.asarray(x, dtype=float), self.param_array))

    def __repr__(self) -> str:
        return f"System({self.name!r}, kind={self.kind!r}, dim={self.dim})"
