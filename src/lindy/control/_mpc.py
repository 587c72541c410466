"""Linear MPC: the condensed QP of :mod:`._mpc_qp` solved by OSQP with warm starts.

The QP matrices are factored once in the constructor; each call to
:meth:`MPC.control` only updates the vectors (``q``, bounds) and warm-starts
OSQP from the previous plan shifted by one step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, sparse

from .._validation import check_array, check_positive_int, check_psd
from ..errors import ConvergenceError, MissingDependencyError, NumericalError, ShapeError
from ._models import as_state_space
from ._mpc_qp import condensed_qp, polish, qp_vectors, steady_target

__all__ = ["MPC", "MPCPlan"]


def _import_osqp():
    try:
        import osqp
    except ImportError:
        raise MissingDependencyError("osqp", "control") from None
    return osqp


@dataclass(frozen=True, eq=False)
class MPCPlan:
    """One MPC solution.

    Attributes
    ----------
    u : ndarray (horizon, m)
        Planned inputs; ``u[0]`` is applied.
    x : ndarray (horizon + 1, n)
        Predicted model states, starting at the current one.
    status : str
        OSQP's status.
    n_iter : int
        OSQP iterations.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> plan = ld.control.MPC((np.eye(1), np.eye(1)), horizon=4, u_bounds=(-0.5, 0.5)).plan([2.0])
    >>> plan.u.ravel().round(3), plan.x.ravel().round(3), plan.status
    (array([-0.5  , -0.5  , -0.5  , -0.309]), array([2.   , 1.5  , 1.   , 0.5  , 0.191]), 'solved')
    """

    u: np.ndarray
    x: np.ndarray
    status: str
    n_iter: int


class MPC:
    """Linear model predictive control on a learned (or known) linear model.

    Minimises, over the next ``horizon`` inputs,
    ``sum_{k=1}^{H-1} |C x_k - r|_Q^2 + |x_H - x_s|_P^2 + sum_{k=0}^{H-1} |u_k - u_s|_R^2``
    under the model and the constraints, and applies the first input
    (receding horizon). ``y = C x`` is the regulated output: the state itself
    for DMDc and ``(A, B)`` tuples, the decoded state for EDMDc (see
    :class:`KoopmanMPC`), ``C`` for LGSSMParams and LTISystem. ``(x_s, u_s)`` is
    the model's steady state with ``C x_s = r`` (zero without a reference).

    Parameters
    ----------
    model : DMDc, EDMDc, LGSSMParams, LTISystem or tuple (A, B[, C])
    horizon : int
        Prediction steps.
    Q : array_like (p, p), optional
        Output weight (default identity).
    R : array_like (m, m), optional
        Input weight (default identity).
    P : array_like (n, n), optional
        Terminal weight; default the discrete Riccati solution for
        ``(A, B, C'QC, R)`` (the infinite-horizon cost-to-go), or ``C'QC`` when
        that Riccati equation has no stabilizing solution.
    u_bounds, x_bounds, du_bounds : (lower, upper), optional
        Box bounds on inputs, on the regulated output ``C x`` and on input
        moves ``u_k - u_{k-1}``; scalars or arrays, ``±inf`` for none.
    constraints : (F, E, lower, upper), optional
        Mixed linear constraints ``lower <= F x_k + E u_k <= upper``.
    soft_penalty : float, optional
        Make ``x_bounds`` soft: one slack ``s >= 0`` widens them, costing
        ``soft_penalty * (s + s^2)``. Exact for a large penalty when the hard
        problem is feasible; keeps a learned model's problem feasible when its
        predictions are off (tighten the bounds a little to keep the plant inside).
    reference : array_like (p,), optional
        Default output reference (zero: regulation).
    tol : float, default 1e-9
        OSQP's absolute and relative tolerances; the solution is then polished
        by solving the KKT system of the constraints OSQP found active.
    max_iter : int, default 20000

    Attributes
    ----------
    A, B, C : ndarray
        The model.
    P : ndarray
        Terminal weight used.
    qp : CondensedQP
        The condensed problem.

    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> sys = ld.systems.random_lti(4, 1, 1, random_state=0)
    >>> mpc = ld.control.MPC((sys.A, sys.B), horizon=10, u_bounds=(-0.1, 0.1))
    >>> u = mpc.control(np.ones(4))
    >>> u.shape, bool(abs(u[0]) <= 0.1 + 1e-9)
    ((1,), True)
    """

    def __init__(self, model, horizon, Q=None, R=None, P=None, *, u_bounds=None, x_bounds=None,
                 du_bounds=None, constraints=None, soft_penalty=None, reference=None, tol=1e-9,
                 max_iter=20000):
        A, B, C = as_state_space(model)
        n, m = B.shape
        p = C.shape[0]
        self.horizon = check_positive_int(horizon, "horizon")
        self.Q = np.eye(p) if Q is None else check_psd(Q, "Q", n=p)
        self.R = np.eye(m) if R is None else check_psd(np.atleast_2d(R), "R", n=m, strict=True)
        self.A, self.B, self.C = A, B, C
        self.P = self._terminal_weight() if P is None else check_psd(P, "P", n=n)
        self.reference = np.zeros(p) if reference is None else self._check_ref(reference)[-1]
        self.u_bounds, self.du_bounds = u_bounds, du_bounds
        self.qp = condensed_qp(A, B, C, self.Q, self.R, self.P, self.horizon, u_bounds=u_bounds,
                               x_bounds=x_bounds, du_bounds=du_bounds, constraints=constraints,
                               soft_penalty=soft_penalty)
        self.tol, self.max_iter = float(tol), check_positive_int(max_iter, "max_iter")
        self._solver = self._setup()
        self._targets = {}
        self.reset()

    def _terminal_weight(self) -> np.ndarray:
        W = self.C.T @ self.Q @ self.C
        try:
            S = linalg.solve_discrete_are(self.A, self.B, W, self.R)
            if np.all(np.isfinite(S)):
                return 0.5 * (S + S.T)
        except (np.linalg.LinAlgError, ValueError):
            pass
        return W

    def _setup(self):
        osqp = _import_osqp()
        qp = self.qp
        n_var = qp.H.shape[0]
        G = qp.G if qp.G.shape[0] else np.zeros((1, n_var))
        lo = qp.l0 if qp.G.shape[0] else np.full(1, -np.inf)
        hi = qp.h0 if qp.G.shape[0] else np.full(1, np.inf)
        solver = osqp.OSQP()
        solver.setup(sparse.triu(sparse.csc_matrix(qp.H), format="csc"), np.zeros(n_var),
                     sparse.csc_matrix(G), np.maximum(lo, -1e30), np.minimum(hi, 1e30),
                     eps_abs=self.tol, eps_rel=self.tol, max_iter=self.max_iter, polishing=False,
                     warm_starting=True, verbose=False)
        self._padded = not qp.G.shape[0]
        return solver

    def reset(self) -> None:
        """Forget the previously applied input and the warm start."""
        self._u_prev = np.zeros(self.B.shape[1])
        self._U = None

    def _check_ref(self, reference) -> np.ndarray:
        p = self.C.shape[0]
        r = check_array(reference, "reference", ndim=(0, 1, 2))
        r = np.atleast_1d(r)
        if r.ndim == 1:
            if r.shape[0] != p:
                raise ShapeError(f"reference must have {p} entries (one per output); got {r.shape}.")
            return np.tile(r, (getattr(self, "horizon", 1), 1))
        if r.shape != (self.horizon, p):
            raise ShapeError(f"A reference preview must have shape ({self.horizon}, {p}); got {r.shape}.")
        return r

    def plan(self, x, reference=None, u_prev=None) -> MPCPlan:
        """Solve the MPC problem from state ``x``.

        Parameters
        ----------
        x : array_like (n,)
            Current model state.
        reference : array_like (p,) or (horizon, p), optional
            Output reference (a preview row per predicted step); default
            ``self.reference``.
        u_prev : array_like (m,), optional
            Previously applied input (for ``du_bounds``); default the input
            this controller returned last.

        Returns
        -------
        MPCPlan

        Examples
        --------
        >>> import numpy as np, lindy as ld
        >>> mpc = ld.control.MPC((np.eye(1), np.eye(1)), horizon=3, du_bounds=(-0.1, 0.1))
        >>> mpc.plan([1.0], u_prev=[0.0]).u.ravel().round(3)
        array([-0.1, -0.2, -0.3])
        """
        n, m = self.B.shape
        x = check_array(x, "x", ndim=1)
        if x.shape[0] != n:
            raise ShapeError(f"x must have {n} entries (the model state); got {x.shape[0]}.")
        refs = self._check_ref(self.reference if reference is None else reference)
        u_prev = self._u_prev if u_prev is None else check_array(u_prev, "u_prev", ndim=1)
        x_s, u_s = self._target(refs[-1])
        q, lo, hi = qp_vectors(self.qp, self.C, self.Q, self.P, x, refs, x_s, u_s, u_prev)
        if self._padded:
            self._solver.update(q=q)
        else:
            self._solver.update(q=q, l=lo, u=hi)
        if self._U is not None:
            nu = self.horizon * m
            self._solver.warm_start(x=np.concatenate([self._U[m:nu], self._U[nu - m:]]))
        res = self._solver.solve(raise_error=False)
        status = str(res.info.status)
        if "infeasible" in status and "dual" not in status:
            raise NumericalError(
                f"The MPC problem is infeasible from x={np.round(x, 4).tolist()} ({status}): "
                "no input sequence satisfies the constraints. Loosen x_bounds/constraints "
                "or lengthen the horizon.")
        if status not in ("solved", "solved inaccurate") or not np.all(np.isfinite(res.x)):
            raise ConvergenceError(
                f"OSQP stopped with status {status!r} after {res.info.iter} iterations; raise "
                f"max_iter (now {self.max_iter}) or loosen tol (now {self.tol:g}).")
        U = np.array(res.x)
        if not self._padded:
            U = polish(self.qp.H, q, self.qp.G, lo, hi, U, np.array(res.y))
        self._U = U
        U = U[:self.horizon * m]
        xs = (self.qp.Phi @ x + self.qp.Gamma @ U).reshape(self.horizon, n)
        return MPCPlan(u=U.reshape(self.horizon, m), x=np.vstack([x, xs]), status=status,
                       n_iter=int(res.info.iter))

    def _target(self, r):
        key = r.tobytes()
        if key not in self._targets:
            if len(self._targets) > 64:
                self._targets.clear()
            self._targets[key] = steady_target(self.A, self.B, self.C, r)
        return self._targets[key]

    def control(self, x, reference=None) -> np.ndarray:
        """The input to apply now, ``u (m,)``: the first move of :meth:`plan`.

        Examples
        --------
        >>> import numpy as np, lindy as ld
        >>> mpc = ld.control.MPC((np.array([[1.0]]), np.array([[1.0]])), horizon=5)
        >>> mpc.control([1.0], reference=[0.5]).round(3)
        array([-0.309])
        """
        u = self.plan(x, reference).u[0].copy()
        self._u_prev = u
        return u

    def stage_cost(self, x, u, reference=None) -> float:
        """``|C x - r|_Q^2 + |u - u_s|_R^2`` for one state and input.

        Examples
        --------
        >>> import numpy as np, lindy as ld
        >>> ld.control.MPC((np.eye(1), np.eye(1)), horizon=3).stage_cost([2.0], [1.0])
        5.0
        """
        r = self.reference if reference is None else np.asarray(reference, float)
        _, u_s = self._target(np.atleast_1d(r))
        e, du = self.C @ np.asarray(x, float) - r, np.asarray(u, float) - u_s
        return float(e @ self.Q @ e + du @ self.R @ du)
