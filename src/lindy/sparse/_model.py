"""The fitted sparse model as a value, its equations and its compiled System.

Examples
--------
>>> import numpy as np
>>> from lindy.sparse import PolynomialLibrary
>>> m = SparseModel(PolynomialLibrary(1), np.array([[0.0, -1.0, 2.0], [1.0, 0.0, 0.0]]),
...                 ("x", "y"), (), False)
>>> m.equations()
["x' = -1.000 x + 2.000 y", "y' = 1.000"]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ValidationError
from ._compiled import pack, sparse_rhs

__all__ = ["SparseModel", "format_equation", "build_system"]


@dataclass(frozen=True, eq=False)
class SparseModel:
    """A learned sparse vector field (or map): ``f(x, u) = coef @ library([x, u])``.

    Parameters
    ----------
    library : Library
    coef : ndarray, shape (d, n_terms)
        One row per state equation.
    state_names, input_names : tuple of str
    discrete_time : bool
        True for a map ``x[k+1] = f(x[k], u[k])``, False for ``x' = f(x, u)``.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.sparse import PolynomialLibrary
    >>> m = SparseModel(PolynomialLibrary(1), np.array([[0.0, -2.0]]), ("x",), (), True)
    >>> m(np.array([[1.5]]))
    array([[-3.]])
    """

    library: object
    coef: np.ndarray
    state_names: tuple
    input_names: tuple
    discrete_time: bool

    def __post_init__(self) -> None:
        coef = np.array(self.coef, dtype=float)
        coef.flags.writeable = False
        object.__setattr__(self, "coef", coef)
        object.__setattr__(self, "state_names", tuple(self.state_names))
        object.__setattr__(self, "input_names", tuple(self.input_names))

    @property
    def feature_names(self) -> list[str]:
        """Names of the library terms."""
        return self.library.feature_names(list(self.state_names) + list(self.input_names))

    def __call__(self, x: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
        """Evaluate the field (or map) at states ``x`` (T, d) and inputs ``u`` (T, m)."""
        Z = x if u is None else np.hstack([x, u])
        return self.library.transform(Z) @ self.coef.T

    def equations(self, precision: int = 3) -> list[str]:
        """One readable equation per state, e.g. ``"x0' = -10.000 x0 + 10.000 x1"``."""
        names = self.feature_names
        return [format_equation(self._lhs(s), row, names, precision)
                for s, row in zip(self.state_names, self.coef)]

    def _lhs(self, name: str) -> str:
        return f"{name}[k+1]" if self.discrete_time else f"{name}'"


def format_equation(lhs: str, coef: np.ndarray, names, precision: int = 3) -> str:
    """``lhs = c1 term1 + c2 term2 ...`` over the nonzero coefficients.

    Examples
    --------
    >>> import numpy as np
    >>> format_equation("z'", np.array([0.0, -2.5, 1.0]), ["1", "x", "x y"])
    "z' = -2.500 x + 1.000 x y"
    """
    parts = []
    for c, name in zip(coef, names):
        if c == 0:
            continue
        mag = f"{abs(c):.{precision}f}" + ("" if name == "1" else f" {name}")
        if not parts:
            parts.append(("-" if c < 0 else "") + mag)
        else:
            parts.append(("- " if c < 0 else "+ ") + mag)
    return f"{lhs} = " + (" ".join(parts) if parts else "0")


def build_system(model: SparseModel, *, dt: float, x0: np.ndarray, u=None, name: str = "SINDy"):
    """A :class:`lindy.systems.System` whose compiled right-hand side is ``model``.

    Parameters
    ----------
    model : SparseModel
    dt : float
        Sampling interval of the data: the System's ``dt`` for a flow; a map
        steps by one iteration (``dt = 1``) and keeps it as ``meta["sampling_interval"]``.
    x0 : ndarray, shape (d,)
        Default initial condition.
    u : array_like, shape (m,), optional
        Constant inputs (needed when the model has inputs).
    name : str

    Returns
    -------
    lindy.systems.System
    """
    from ..systems import System

    terms = model.library.terms(len(model.state_names) + len(model.input_names))
    if terms is None:
        raise ValidationError(
            f"{name}: the library holds user functions (CustomLibrary), which cannot be compiled "
            "into a System; use PolynomialLibrary / FourierLibrary terms, or simulate with "
            "forecast().")
    m = len(model.input_names)
    if m and u is None:
        raise ValidationError(f"{name} was fitted with {m} input(s): pass u=(m,) constant input "
                              "values to to_system.")
    if u is not None and (not m or np.asarray(u).size != m):
        raise ValidationError(f"{name}: u must hold {m} constant input value(s); got {u!r}.")
    p, keys = pack(terms, model.coef, m, u)
    meta = {"equations": model.equations(), "description": "vector field learned by lindy.sparse"}
    if model.discrete_time:  # a map steps by whole iterations; keep the data's interval as meta
        meta["sampling_interval"] = float(dt)
    return System(name=name, dim=len(model.state_names), params=dict(zip(keys, p)),
                  x0=np.asarray(x0, dtype=float), dt=1.0 if model.discrete_time else float(dt),
                  rhs=sparse_rhs, kind="map" if model.discrete_time else "flow", meta=meta)
