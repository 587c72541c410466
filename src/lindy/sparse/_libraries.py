"""Candidate-function libraries of SINDy: polynomials, Fourier modes, user functions.

A library maps the variables ``z = [x, u]`` (T, n) to the candidate functions
``Theta(z)`` (T, n_terms). Libraries combine: ``a + b`` concatenates the
terms, ``a * b`` takes every product of a term of ``a`` with a term of ``b``.

Built-in terms are products of *factors* ``(kind, variable, parameter)``:
``kind`` 0 is ``z[variable] ** parameter``, 1 is ``sin(parameter z[variable])``,
2 is ``cos(parameter z[variable])``. That description is plain data, so a
fitted model can be saved and its vector field compiled (``to_system``); a
:class:`CustomLibrary` of user functions has no such description.

Examples
--------
>>> import numpy as np
>>> lib = PolynomialLibrary(2) + FourierLibrary(1)
>>> lib.feature_names(["x", "y"])
['1', 'x', 'y', 'x^2', 'x y', 'y^2', 'sin(x)', 'cos(x)', 'sin(y)', 'cos(y)']
>>> lib.transform(np.array([[1.0, 2.0]]))[0, :6]
array([1., 1., 2., 1., 2., 4.])
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ShapeError, ValidationError

__all__ = ["Library", "PolynomialLibrary", "FourierLibrary", "CustomLibrary",
           "ConcatLibrary", "TensorLibrary"]

#: factor kinds of a compiled term
POWER, SIN, COS = 0, 1, 2


class Library:
    """Base of the feature libraries (not used directly).

    Subclasses give ``n_terms(n)``, ``transform(Z)``, ``feature_names(names)``
    and ``terms(n)`` (the factor description, or None when not expressible).

    Examples
    --------
    >>> lib = PolynomialLibrary(1) * FourierLibrary(1)
    >>> isinstance(lib, Library), lib.n_terms(1)
    (True, 4)
    """

    def __add__(self, other: Library) -> ConcatLibrary:
        _check_library(other, "+")
        return ConcatLibrary((self, other))

    def __mul__(self, other: Library) -> TensorLibrary:
        _check_library(other, "*")
        return TensorLibrary(self, other)

    def n_terms(self, n_vars: int) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def terms(self, n_vars: int):  # pragma: no cover - abstract
        raise NotImplementedError

    def transform(self, Z) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def feature_names(self, names: Sequence[str] | None = None) -> list[str]:  # pragma: no cover
        raise NotImplementedError


def _check_library(other, op: str) -> None:
    if not isinstance(other, Library):
        raise ValidationError(f"Libraries combine with libraries only; got {type(other).__name__} "
                              f"on the right of {op!r}.")


def _as_matrix(Z) -> np.ndarray:
    Z = np.asarray(Z, dtype=float)
    if Z.ndim != 2:
        raise ShapeError(f"A library transforms a (T, n) array; got shape {Z.shape}.")
    return Z


def _names(names, n: int) -> list[str]:
    if names is None:
        return [f"x{i}" for i in range(n)]
    names = [str(s) for s in names]
    if len(names) != n:  # pragma: no cover - internal callers pass n names
        raise ShapeError(f"Expected {n} variable names; got {len(names)}.")
    return names


def evaluate_terms(terms, Z: np.ndarray) -> np.ndarray:
    """Evaluate factor-described terms on ``Z`` (T, n): (T, n_terms).

    Each factor is computed once (powers by repeated products) and every term
    is one product of cached factors, written to a contiguous row.
    """
    cache: dict = {}

    def factor(kind, var, par):
        key = (kind, var, par)
        if key not in cache:
            z = Z[:, var]
            if kind == POWER and float(par).is_integer() and par > 1:
                cache[key] = factor(POWER, var, par - 1) * z
            elif kind == POWER:
                cache[key] = z.copy() if par == 1 else z ** par
            else:
                cache[key] = np.sin(par * z) if kind == SIN else np.cos(par * z)
        return cache[key]

    out = np.empty((len(terms), Z.shape[0]))
    for j, term in enumerate(terms):
        if not term:
            out[j] = 1.0
            continue
        np.copyto(out[j], factor(*term[0]))
        for f in term[1:]:
            out[j] *= factor(*f)
    return out.T


def term_name(term, names: Sequence[str]) -> str:
    """Readable name of a factor-described term, e.g. ``"x0^2 sin(2 x1)"``."""
    parts = []
    for kind, var, par in term:
        if kind == POWER:
            parts.append(names[var] if par == 1 else f"{names[var]}^{par:g}")
        else:
            fn = "sin" if kind == SIN else "cos"
            parts.append(f"{fn}({names[var]})" if par == 1 else f"{fn}({par:g} {names[var]})")
    return " ".join(parts) if parts else "1"


@dataclass(frozen=True)
class _TermLibrary(Library):
    """A library described entirely by its factor terms."""

    def n_terms(self, n_vars: int) -> int:
        return len(self.terms(n_vars))

    def transform(self, Z) -> np.ndarray:
        Z = _as_matrix(Z)
        return evaluate_terms(self.terms(Z.shape[1]), Z)

    def feature_names(self, names=None, n_vars: int | None = None) -> list[str]:
        n = len(names) if names is not None else n_vars
        if n is None:
            raise ValidationError("Pass the variable names (or n_vars) to feature_names.")
        return [term_name(t, _names(names, n)) for t in self.terms(n)]


@dataclass(frozen=True)
class PolynomialLibrary(_TermLibrary):
    """Monomials of the variables up to ``degree``.

    Parameters
    ----------
    degree : int, default 2
    include_bias : bool, default True
        Include the constant term ``1``.
    include_interaction : bool, default True
        Include products of different variables; without them only powers
        ``x_i^k`` appear.

    Examples
    --------
    >>> PolynomialLibrary(2).feature_names(["x", "y"])
    ['1', 'x', 'y', 'x^2', 'x y', 'y^2']
    >>> PolynomialLibrary(3, include_bias=False, include_interaction=False).n_terms(2)
    6
    """

    degree: int = 2
    include_bias: bool = True
    include_interaction: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.degree, bool) or not isinstance(self.degree, (int, np.integer)) \
                or self.degree < 0:
            raise ValidationError(f"PolynomialLibrary: degree must be an int >= 0; got {self.degree!r}.")

    def terms(self, n_vars: int):
        out = [()] if self.include_bias else []
        for deg in range(1, self.degree + 1):
            if self.include_interaction:
                combos = itertools.combinations_with_replacement(range(n_vars), deg)
            else:
                combos = ((i,) * deg for i in range(n_vars))
            for combo in combos:
                out.append(tuple((POWER, v, float(len(list(g))))
                                 for v, g in itertools.groupby(combo)))
        return out


@dataclass(frozen=True)
class FourierLibrary(_TermLibrary):
    """``sin(k z_i)`` and ``cos(k z_i)`` for ``k = 1 .. n_frequencies``.

    Parameters
    ----------
    n_frequencies : int, default 1

    Examples
    --------
    >>> FourierLibrary(2).feature_names(["x"])
    ['sin(x)', 'cos(x)', 'sin(2 x)', 'cos(2 x)']
    """

    n_frequencies: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.n_frequencies, bool) or not isinstance(self.n_frequencies, (int, np.integer)) \
                or self.n_frequencies < 1:
            raise ValidationError(
                f"FourierLibrary: n_frequencies must be an int >= 1; got {self.n_frequencies!r}.")

    def terms(self, n_vars: int):
        return [((kind, v, float(k)),) for k in range(1, self.n_frequencies + 1)
                for v in range(n_vars) for kind in (SIN, COS)]


@dataclass(frozen=True)
class CustomLibrary(Library):
    """User functions applied to each variable: ``f(z_i)`` for every ``f`` and ``i``.

    A model with a custom library fits, predicts and forecasts, but it cannot
    be saved (files store no code) or compiled by ``to_system``.

    Parameters
    ----------
    functions : sequence of callable
        Each maps a 1-D array to an array of the same shape (vectorized).
    names : sequence of str, optional
        Format strings with one ``{}`` for the variable, e.g. ``"exp({})"``;
        default ``"f0({})"``, ``"f1({})"``, ...

    Examples
    --------
    >>> import numpy as np
    >>> lib = CustomLibrary([np.exp], ["exp({})"])
    >>> lib.feature_names(["x", "y"])
    ['exp(x)', 'exp(y)']
    >>> lib.transform(np.zeros((1, 2)))
    array([[1., 1.]])
    """

    functions: tuple[Callable, ...] = ()
    names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        funcs = tuple(self.functions) if isinstance(self.functions, (list, tuple)) else None
        if not funcs or not all(callable(f) for f in funcs):
            raise ValidationError("CustomLibrary: functions must be a non-empty sequence of "
                                  f"callables; got {self.functions!r}.")
        object.__setattr__(self, "functions", funcs)
        if self.names is not None:
            names = tuple(str(s) for s in self.names)
            if len(names) != len(funcs) or not all("{}" in s for s in names):
                raise ValidationError(
                    "CustomLibrary: names must hold one format string with '{}' per function; "
                    f"got {self.names!r} for {len(funcs)} function(s).")
            object.__setattr__(self, "names", names)

    def n_terms(self, n_vars: int) -> int:
        return len(self.functions) * n_vars

    def terms(self, n_vars: int):
        return None

    def transform(self, Z) -> np.ndarray:
        Z = _as_matrix(Z)
        cols = []
        for f in self.functions:
            for i in range(Z.shape[1]):
                col = np.asarray(f(Z[:, i]), dtype=float)
                if col.shape != (Z.shape[0],):
                    raise ShapeError(f"CustomLibrary: {f!r} must map (T,) to (T,); got {col.shape}.")
                cols.append(col)
        return np.column_stack(cols)

    def feature_names(self, names=None, n_vars: int | None = None) -> list[str]:
        n = len(names) if names is not None else n_vars
        fmts = self.names or tuple(f"f{j}({{}})" for j in range(len(self.functions)))
        return [fmt.format(v) for fmt in fmts for v in _names(names, n)]


@dataclass(frozen=True)
class ConcatLibrary(Library):
    """The terms of several libraries side by side (``a + b``).

    Examples
    --------
    >>> (PolynomialLibrary(1) + FourierLibrary(1)).feature_names(["x"])
    ['1', 'x', 'sin(x)', 'cos(x)']
    """

    libraries: tuple[Library, ...] = ()

    def __post_init__(self) -> None:
        libs = []
        for lib in self.libraries:
            _check_library(lib, "+")
            libs.extend(lib.libraries if isinstance(lib, ConcatLibrary) else [lib])
        object.__setattr__(self, "libraries", tuple(libs))

    def n_terms(self, n_vars: int) -> int:
        return sum(lib.n_terms(n_vars) for lib in self.libraries)

    def terms(self, n_vars: int):
        parts = [lib.terms(n_vars) for lib in self.libraries]
        return None if any(p is None for p in parts) else [t for p in parts for t in p]

    def transform(self, Z) -> np.ndarray:
        return np.hstack([lib.transform(Z) for lib in self.libraries])

    def feature_names(self, names=None, n_vars: int | None = None) -> list[str]:
        return [s for lib in self.libraries for s in lib.feature_names(names, n_vars=n_vars)]


@dataclass(frozen=True)
class TensorLibrary(Library):
    """Every product of a term of ``left`` with a term of ``right`` (``a * b``).

    Examples
    --------
    >>> (PolynomialLibrary(1, include_bias=False) * FourierLibrary(1)).feature_names(["x"])
    ['x sin(x)', 'x cos(x)']
    """

    left: Library
    right: Library

    def __post_init__(self) -> None:
        _check_library(self.left, "*")
        _check_library(self.right, "*")

    def n_terms(self, n_vars: int) -> int:
        return self.left.n_terms(n_vars) * self.right.n_terms(n_vars)

    def terms(self, n_vars: int):
        a, b = self.left.terms(n_vars), self.right.terms(n_vars)
        if a is None or b is None:
            return None
        return [ta + tb for ta in a for tb in b]

    def transform(self, Z) -> np.ndarray:
        A, B = self.left.transform(Z), self.right.transform(Z)
        return (A[:, :, None] * B[:, None, :]).reshape(A.shape[0], -1)

    def feature_names(self, names=None, n_vars: int | None = None) -> list[str]:
        a = self.left.feature_names(names, n_vars=n_vars)
        b = self.right.feature_names(names, n_vars=n_vars)
        return [_join(x, y) for x in a for y in b]


def _join(a: str, b: str) -> str:
    if a == "1":
        return b
    return a if b == "1" else f"{a} {b}"
