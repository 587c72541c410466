"""Input validation with messages that say what was wrong and how to fix it.

All checks raise :class:`lindy.errors.ValidationError` (or its subclass
:class:`lindy.errors.ShapeError`); none lets a bad array reach numpy.
"""

from __future__ import annotations

import numbers

import numpy as np

from .errors import ShapeError, ValidationError

__all__ = [
    "check_array",
    "check_times",
    "check_positive_int",
    "check_nonnegative_float",
    "check_psd",
    "check_rng",
]


def _describe(x: np.ndarray) -> str:
    return f"array of shape {x.shape} and dtype {x.dtype}"


def check_array(
    x,
    name: str = "X",
    *,
    ndim: int | tuple[int, ...] = 2,
    allow_nan: bool = False,
    min_rows: int = 1,
    n_cols: int | None = None,
    dtype=np.float64,
    allow_complex: bool = False,
) -> np.ndarray:
    """Convert ``x`` to a float array and check dimensions, length and finiteness.

    Parameters
    ----------
    x : array_like
        The input.
    name : str
        Name used in error messages.
    ndim : int or tuple of int
        Accepted numbers of dimensions. A 1-D input is accepted for ``ndim=2``
        only if 1 is listed as well.
    allow_nan : bool
        Whether NaN entries are allowed (infinities never are).
    min_rows : int
        Minimum length of the first (time) axis.
    n_cols : int, optional
        Required size of the last axis.
    dtype : numpy dtype
        Target dtype.
    allow_complex : bool
        Keep complex input complex (``complex128``); otherwise complex input is a
        :class:`~lindy.errors.ValidationError` (never a silent cast to real).

    Returns
    -------
    numpy.ndarray
        A new array (never a view of the input) of the requested dtype.

    Examples
    --------
    >>> check_array([[1.0, 2.0], [3.0, 4.0]]).shape
    (2, 2)
    """
    if x is None:
        raise ValidationError(f"{name} is None; pass an array of numbers.")
    if _is_complex(x):
        if not allow_complex:
            raise ValidationError(
                f"{name} holds complex numbers, but this method works on real data only. "
                "Pass real and imaginary parts as separate columns (np.hstack([X.real, X.imag])), "
                "or use a DMD-family estimator (DMD, HankelDMD, BOPDMD, WindowedDMD), which "
                "accepts complex snapshots."
            )
        dtype = np.complex128
    try:
        arr = np.array(x, dtype=dtype, copy=True)
    except (TypeError, ValueError) as err:
        raise ValidationError(
            f"{name} could not be converted to a {np.dtype(dtype).name} array ({err}). "
            "Pass a numeric array; ragged lists of trajectories go through "
            "lindy.data.as_trajectories."
        ) from None
    dims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if arr.ndim not in dims:
        want = " or ".join(f"{d}-D" for d in dims)
        hint = ""
        if arr.ndim == 1 and 2 in dims:
            hint = " For a single scalar series use x.reshape(-1, 1)."
        raise ShapeError(f"{name} must be {want}; got {_describe(arr)}.{hint}")
    if arr.ndim >= 1 and arr.shape[0] < min_rows:
        raise ValidationError(
            f"{name} is too short: it has {arr.shape[0]} time steps but at least "
            f"{min_rows} are needed. Pass a longer series."
        )
    if n_cols is not None and arr.ndim >= 2 and arr.shape[-1] != n_cols:
        raise ShapeError(
            f"{name} must have {n_cols} columns (last axis); got {_describe(arr)}."
        )
    if arr.dtype.kind in "fc":
        if np.isinf(arr).any():
            raise ValidationError(
                f"{name} contains infinite values; remove or replace them."
            )
        if not allow_nan:
            n_nan = int(np.isnan(arr).sum())
            if n_nan:
                first = np.argwhere(np.isnan(arr))[0].tolist()
                raise ValidationError(
                    f"{name} contains {n_nan} NaN value(s) (first at index {first}); "
                    "this method needs complete data. Impute or drop them first."
                )
    return arr


def _is_complex(x) -> bool:
    if isinstance(x, np.ndarray):
        return x.dtype.kind == "c"
    if isinstance(x, complex):
        return True
    if isinstance(x, (list, tuple)):
        try:
            return np.asarray(x).dtype.kind == "c"
        except (TypeError, ValueError):
            return False
    return False


def check_times(t, n: int, name: str = "t") -> np.ndarray:
    """Check a time vector: 1-D, length ``n``, finite and strictly increasing.

    Examples
    --------
    >>> check_times([0.0, 0.1, 0.2], 3)
    array([0. , 0.1, 0.2])
    """
    arr = check_array(t, name, ndim=1, min_rows=1)
    if arr.shape[0] != n:
        raise ShapeError(
            f"{name} has {arr.shape[0]} entries but the data have {n} time steps; "
            "pass one time per row."
        )
    if n > 1:
        dt = np.diff(arr)
        if not np.all(dt > 0):
            i = int(np.argmax(dt <= 0))
            raise ValidationError(
                f"{name} must be strictly increasing; {name}[{i + 1}]={arr[i + 1]!r} "
                f"does not exceed {name}[{i}]={arr[i]!r}. Sort the samples by time "
                "and drop duplicates."
            )
    return arr


def check_positive_int(value, name: str, *, minimum: int = 1) -> int:
    """Check that ``value`` is an integer of at least ``minimum``.

    Examples
    --------
    >>> check_positive_int(3, "rank")
    3
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValidationError(f"{name} must be an integer; got {value!r}.")
    if value < minimum:
        raise ValidationError(f"{name} must be at least {minimum}; got {value!r}.")
    return int(value)


def check_nonnegative_float(value, name: str) -> float:
    """Check that ``value`` is a finite real number >= 0.

    Examples
    --------
    >>> check_nonnegative_float(0.5, "noise")
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValidationError(f"{name} must be a real number; got {value!r}.")
    if not np.isfinite(value) or value < 0:
        raise ValidationError(f"{name} must be finite and >= 0; got {value!r}.")
    return float(value)


def check_psd(M, name: str = "covariance", *, n: int | None = None, strict: bool = False,
              tol: float = 1e-10) -> np.ndarray:
    """Check a symmetric positive semi-definite (or definite) matrix; return it symmetrized.

    Parameters
    ----------
    M : array_like, shape (n, n)
    name : str
    n : int, optional
        Required size.
    strict : bool
        Require positive definiteness (Cholesky must succeed).
    tol : float
        Relative tolerance for asymmetry and negative eigenvalues.

    Examples
    --------
    >>> check_psd([[2.0, 0.0], [0.0, 1.0]], strict=True)
    array([[2., 0.],
           [0., 1.]])
    """
    A = check_array(M, name, ndim=2)
    if A.shape[0] != A.shape[1] or (n is not None and A.shape[0] != n):
        want = f"({n}, {n})" if n is not None else "square"
        raise ShapeError(f"{name} must be {want}; got {_describe(A)}.")
    scale = max(float(np.abs(A).max()), 1.0)
    if np.abs(A - A.T).max() > tol * scale:
        raise ValidationError(
            f"{name} is not symmetric (max |M - M.T| = {np.abs(A - A.T).max():.3g}). "
            "Pass (M + M.T) / 2 if the asymmetry is rounding."
        )
    A = 0.5 * (A + A.T)
    w = np.linalg.eigvalsh(A)
    if w.min() < -tol * scale or (strict and w.min() <= tol * scale * 1e-6):
        kind = "positive definite" if strict else "positive semi-definite"
        raise ValidationError(
            f"{name} must be {kind}; its smallest eigenvalue is {w.min():.3g}. "
            "Add a small multiple of the identity or check how it was built."
        )
    return A


def check_rng(random_state) -> np.random.Generator:
    """Turn a ``random_state`` (None, int, SeedSequence or Generator) into a Generator.

    Examples
    --------
    >>> bool(check_rng(0).integers(10) == check_rng(0).integers(10))
    True
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.SeedSequence)):
        return np.random.default_rng(random_state)
    raise ValidationError(
        f"random_state must be None, an int or a numpy Generator; got {random_state!r}."
    )
