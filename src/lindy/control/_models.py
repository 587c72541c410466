"""Turn a learned linear model into the matrices ``(A, B, C)`` a controller needs.

Accepted: a fitted :class:`~lindy.operators.DMDc` (``C = I``), a fitted
:class:`~lindy.operators.EDMDc` (its lifted predictor: ``z+ = A z + B u``,
``x = C z``), :class:`~lindy.ssm.LGSSMParams`, :class:`~lindy.systems.LTISystem`,
or a tuple ``(A, B)`` / ``(A, B, C)``.

EDMDc keeps its lifted operator private while the operators package is being
refactored; :func:`lifted_predictor` is the one place that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_array
from ..errors import NotFittedError, ShapeError, ValidationError

__all__ = ["as_state_space", "LiftedPredictor", "lifted_predictor"]


@dataclass(frozen=True, eq=False)
class LiftedPredictor:
    """The linear predictor of an EDMDc model in column convention.

    ``z[k+1] = A z[k] + B u[k]``, ``x[k] ≈ C z[k]``, ``z = lift(x)``.

    Attributes
    ----------
    A : ndarray (r, r)
    B : ndarray (r, m)
    C : ndarray (d, r)
    lift : callable
        ``lift(x (T, d)) -> z (T, r)``.

    Examples
    --------
    >>> import numpy as np
    >>> pred = LiftedPredictor(A=np.eye(2), B=np.ones((2, 1)), C=np.eye(2), lift=lambda x: x)
    >>> pred.C @ (pred.A @ pred.lift(np.ones((1, 2)))[0] + pred.B @ [1.0])
    array([2., 2.])
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    lift: object


def lifted_predictor(model) -> LiftedPredictor:
    """The lifted linear predictor ``(A, B, C, lift)`` of a fitted EDMDc model.

    This adapter is the only code in :mod:`lindy.control` that touches EDMDc's
    internals (its row-convention operator ``z' = z M + u Bz``, decoder
    ``x = z Cd`` and encoder).

    Parameters
    ----------
    model : lindy.operators.EDMDc
        Fitted, with a dictionary of window 1 (no delays).

    Returns
    -------
    LiftedPredictor

    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.testing.conformance_data(n_inputs=1)
    >>> pred = lifted_predictor(ld.operators.EDMDc(ld.operators.Polynomial(2)).fit(data))
    >>> pred.A.shape, pred.B.shape, pred.C.shape
    ((6, 6), (6, 1), (2, 6))
    """
    if not hasattr(model, "n_features_in_"):
        raise NotFittedError("The EDMDc model is not fitted yet; call fit(X, u=u) first.")
    if getattr(model, "dictionary_", None) is not None and model.dictionary_.window != 1:
        raise ValidationError(
            "Control on an EDMDc model needs a dictionary without delays (window 1); got window "
            f"{model.dictionary_.window}. Use a static dictionary such as Polynomial or RBF.")
    fitted = model.model_  # the frozen OperatorModel: z+ = z M + u B, x = z C_d
    M, Bz, Cd = fitted.M, fitted.input_map, fitted.state_decoder
    if np.iscomplexobj(M):
        raise ValidationError("The EDMDc operator is complex; control needs a real lifted model.")
    return LiftedPredictor(A=np.array(M.T), B=np.array(Bz.T), C=np.array(Cd.T),
                           lift=fitted.encoder.encode)


def _is_edmdc(model) -> bool:
    return type(model).__name__ == "EDMDc"


def as_state_space(model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(A, B, C)`` of a learned linear model: ``x+ = A x + B u``, ``y = C x``.

    Parameters
    ----------
    model : DMDc, EDMDc, LGSSMParams, LTISystem or tuple
        A fitted DMDc gives ``(A_, B_, I)``; a fitted EDMDc its lifted
        predictor (see :func:`lifted_predictor`); LGSSMParams and LTISystem
        their ``A, B, C``; a tuple ``(A, B)`` gets ``C = I``.

    Returns
    -------
    A : ndarray (n, n)
    B : ndarray (n, m)
    C : ndarray (p, n)

    Raises
    ------
    lindy.errors.ValidationError
        If the model has no inputs or is of an unknown kind.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> A, B, C = as_state_space((0.5 * np.eye(2), np.ones((2, 1))))
    >>> C
    array([[1., 0.],
           [0., 1.]])
    >>> sys = ld.systems.random_lti(3, 1, 2, random_state=0)
    >>> [M.shape for M in as_state_space(sys)]
    [(3, 3), (3, 1), (2, 3)]
    """
    if isinstance(model, tuple | list):
        if len(model) not in (2, 3):
            raise ValidationError(f"A model tuple must be (A, B) or (A, B, C); got {len(model)} items.")
        A, B = check_array(model[0], "A", ndim=2), check_array(model[1], "B", ndim=(1, 2))
        C = np.eye(A.shape[0]) if len(model) == 2 else check_array(model[2], "C", ndim=2)
    elif _is_edmdc(model):
        pred = lifted_predictor(model)
        A, B, C = pred.A, pred.B, pred.C
    elif hasattr(model, "A_") and hasattr(model, "B_"):  # DMDc and friends
        A, B = np.asarray(model.A_, dtype=float), np.asarray(model.B_, dtype=float)
        C = np.eye(A.shape[0])
    elif hasattr(model, "A") and hasattr(model, "B") and hasattr(model, "C"):
        if getattr(model, "time_varying", False):
            raise ValidationError("Control needs time-invariant LGSSMParams; got time-varying ones.")
        if model.B is None or np.size(model.B) == 0:
            raise ValidationError("The model has no inputs (B is None); control needs B.")
        A, B, C = (np.asarray(model.A, float), np.asarray(model.B, float), np.asarray(model.C, float))
    elif type(model).__name__ in ("DMDc",):
        raise NotFittedError("The DMDc model is not fitted yet; call fit(X, u=u) first.")
    else:
        raise ValidationError(
            f"Cannot read a linear model from {type(model).__name__}; pass a fitted DMDc or "
            "EDMDc, LGSSMParams, an LTISystem or a tuple (A, B[, C]).")
    B = B[:, None] if B.ndim == 1 else B
    n = A.shape[0]
    if A.shape != (n, n) or B.shape[0] != n or C.shape[1] != n:
        raise ShapeError(f"Inconsistent model shapes: A {A.shape}, B {B.shape}, C {C.shape}.")
    return A, B, C
