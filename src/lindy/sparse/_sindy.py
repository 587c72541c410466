"""SINDy and SINDy with control: sparse identification of vector fields and maps.

Thin estimators over pure functions: the regression problem
(:mod:`._regression`), the sparse solvers (:mod:`._optimizers`), the fitted
value :class:`~lindy.sparse.SparseModel` held as ``model_``, and the compiled
right-hand side that lindy's integrators run (:mod:`._compiled`).
"""

from __future__ import annotations

import numpy as np

from .._constraints import BOOL, RANDOM_STATE, InstanceOf, Interval, Options
from .._validation import check_rng
from ..base import Estimator
from ..errors import NumericalError, ValidationError
from ._libraries import Library, PolynomialLibrary
from ._model import SparseModel, build_system
from ._optimizers import constrained_lstsq, sr3, stlsq
from ._regression import DERIVATIVES, ensemble, regression_problem

__all__ = ["SINDy", "SINDyc"]

_CONSTRAINTS = {
    "library": [None, InstanceOf((Library,), "a lindy.sparse library")],
    "solver": [Options("stlsq", "sr3", "lstsq")],
    "threshold": [Interval(float, 0, None)],
    "alpha": [Interval(float, 0, None)],
    "max_iter": [None, Interval(int, 1, None)],
    "nu": [Interval(float, 0, None, closed="neither")],
    "penalty": [Options("l0", "l1")],
    "constraints": [None, InstanceOf((tuple, list), "a pair (C, d) of arrays")],
    "derivative": [Options(*DERIVATIVES)],
    "window": [None, Interval(int, 3, None)],
    "n_windows": [None, Interval(int, 1, None)],
    "discrete_time": [BOOL],
    "n_models": [None, Interval(int, 1, None)],
    "ensemble": [Options("samples", "library", "both")],
    "random_state": [RANDOM_STATE],
}


class _SparseRegression(Estimator):
    """Fitting, prediction and simulation shared by :class:`SINDy` and :class:`SINDyc`."""

    _parameter_constraints = _CONSTRAINTS
    _allow_irregular = True

    # ------------------------------------------------------------------ fit
    def _library(self) -> Library:
        return PolynomialLibrary(2) if self.library is None else self.library

    def _solve(self, Theta, Y, cols=None):
        cons = self.constraints
        if cons is not None and cols is not None:
            C = np.asarray(cons[0], dtype=float)
            C = C.reshape(C.shape[0], Y.shape[1], -1)[:, :, cols].reshape(C.shape[0], -1)
            cons = (C, cons[1])
        if self.solver == "lstsq":
            return constrained_lstsq(Theta, Y, cons)
        if self.solver == "sr3":
            return sr3(Theta, Y, self.threshold, self.nu, self.penalty,
                       self.max_iter or 1000, constraints=cons)
        return stlsq(Theta, Y, self.threshold, self.alpha, self.max_iter or 20, constraints=cons)

    def _check_setup(self, data) -> None:
        name = type(self).__name__
        if self.discrete_time and data.dt is None:
            raise ValidationError(f"{name}(discrete_time=True) needs uniformly sampled "
                                  "trajectories with one common dt.")
        if self.discrete_time and self.derivative != "finite_difference":
            raise ValidationError(f"{name}: derivative={self.derivative!r} has no meaning with "
                                  "discrete_time=True (the targets are the next states).")
        if self.constraints is not None and len(self.constraints) != 2:
            raise ValidationError(f"{name}: constraints must be a pair (C, d); got "
                                  f"{len(self.constraints)} items.")

    def _fit(self, data) -> None:
        self._check_setup(data)
        library = self._library()
        Theta, Y = regression_problem(data, library, derivative=self.derivative,
                                      window=self.window, n_windows=self.n_windows,
                                      discrete_time=self.discrete_time)
        if self.n_models is None:
            coef = self._solve(Theta, Y)
            self.coef_std_ = self.inclusion_probability_ = None
        else:
            rng = check_rng(self.random_state)
            coefs, present = ensemble(Theta, Y, self._solve, self.n_models, self.ensemble, rng)
            coef, self.coef_std_, self.inclusion_probability_ = _aggregate(coefs, present)
        states = tuple(f"x{i}" for i in range(data.dim))
        inputs = tuple(f"u{i}" for i in range(data.input_dim))
        self.model_ = SparseModel(library, coef, states, inputs, bool(self.discrete_time))
        self.coef_ = self.model_.coef
        self.feature_names_ = self.model_.feature_names
        self.x0_ = data[0].x[0].copy()
        self.__dict__.pop("_cache_system", None)

    # ------------------------------------------------------------ outputs
    def equations(self, precision: int = 3) -> list[str]:
        """The learned equations, one string per state.

        Parameters
        ----------
        precision : int, default 3
            Decimals of the coefficients.

        Returns
        -------
        list of str
            e.g. ``["x0' = -10.000 x0 + 10.000 x1", ...]``.
        """
        self._check_is_fitted()
        return self.model_.equations(precision)

    def to_system(self, u=None):
        """The learned field (or map) as a :class:`lindy.systems.System`, compiled with numba.

        Simulate it with :func:`lindy.systems.simulate`; a diverging simulation
        raises :class:`lindy.errors.NumericalError`.

        Parameters
        ----------
        u : array_like, shape (m,), optional
            Constant input values (models fitted with inputs only).

        Returns
        -------
        lindy.systems.System
        """
        self._check_is_fitted()
        return build_system(self.model_, dt=self._forecast_step(), x0=self.x0_, u=u,
                            name=type(self).__name__)

    # ------------------------------------------------------- simulation
    def _system(self):
        """The compiled System without inputs (cached; not saved with the model)."""
        if "_cache_system" not in self.__dict__:
            self._cache_system = self.to_system(u=np.zeros(self.n_inputs_) if self.n_inputs_ else None)
        return self._cache_system

    def _compilable(self) -> bool:
        n = self.n_features_in_ + self.n_inputs_
        return self.model_.library.terms(n) is not None

    def _flow(self, X0: np.ndarray, u: np.ndarray | None, n_steps: int) -> np.ndarray:
        """Integrate from each row of X0 (B, d) with constant u (m,): states (B, n_steps + 1, d)."""
        grid = self._forecast_step() * np.arange(n_steps + 1)
        if self._compilable():
            from ..systems.integrators import integrate_flow

            system = self._system()
            if u is not None:
                p = system.param_array
                p[-self.n_inputs_:] = u
                system = _with_param_array(system, p)
            return integrate_flow(system, X0, grid)
        return _solve_ivp(self.model_, X0, u, grid, type(self).__name__)

    def _step(self, x: np.ndarray, u: np.ndarray | None) -> np.ndarray:
        """One step of length dt from each row of x (T, d) with inputs u (T, m)."""
        if self.discrete_time:
            out = self.model_(x, u)
        elif u is None:
            out = self._flow(x, None, 1)[:, 1]
        else:
            out = np.vstack([self._flow(x[k:k + 1], u[k], 1)[0, 1] for k in range(x.shape[0])])
        return out

    def _predict_next(self, x, u):
        return self._step(x, u)

    def _forecast(self, context, horizon, u_future):
        x0 = context.x[-1:]
        if not self.discrete_time and u_future is None:
            out = self._flow(x0, None, horizon)[0, 1:]
        elif u_future is None and self._compilable():
            from ..systems.integrators import iterate_map

            out = iterate_map(self._system(), x0, horizon + 1)[0, 1:]
        else:
            drive = None if u_future is None else self._step_inputs(context, u_future)
            out = np.empty((horizon, self.n_features_in_))
            x = x0
            for j in range(horizon):
                x = self._step(x, None if drive is None else drive[j:j + 1])
                if not np.all(np.isfinite(x)):
                    raise NumericalError(
                        f"{type(self).__name__}: the forecast became non-finite at step {j + 1} of "
                        f"{horizon}; the learned model diverges from this context.")
                out[j] = x[0]
        return self._forecast_result(context, out, u_future=u_future)


def _with_param_array(system, p):
    from dataclasses import replace

    return replace(system, params=dict(zip(system.params, p)))


def _solve_ivp(model, X0, u, grid, name):
    """Integrate a model that cannot be compiled (user library functions) with scipy."""
    from scipy.integrate import solve_ivp

    out = np.empty((X0.shape[0], grid.size, X0.shape[1]))
    uu = None if u is None else np.asarray(u, dtype=float)[None, :]
    for b, x0 in enumerate(X0):
        sol = solve_ivp(lambda t, x: model(x[None, :], uu)[0], (grid[0], grid[-1]), x0,
                        method="DOP853", t_eval=grid, rtol=1e-10, atol=1e-12)
        if not sol.success or sol.y.shape[1] != grid.size or not np.all(np.isfinite(sol.y)):
            raise NumericalError(f"{name}: integrating the learned field failed ({sol.message}); "
                                 "the model diverges from this state.")
        out[b] = sol.y.T
    return out


def _aggregate(coefs, present):
    """Median coefficients, their spread and how often each term is selected.

    Statistics of a term use only the models that had it as a candidate.
    """
    mask = np.broadcast_to(present[:, None, :], coefs.shape)
    masked = np.ma.masked_array(coefs, mask=~mask)
    coef = np.ma.median(masked, axis=0).filled(0.0)
    std = masked.std(axis=0).filled(0.0)
    counts = np.maximum(mask.sum(axis=0), 1)
    incl = ((coefs != 0) & mask).sum(axis=0) / counts
    return np.asarray(coef), np.asarray(std), incl


_DOC_PARAMS = """
    Parameters
    ----------
    library : Library, optional
        Candidate functions of ``[x, u]``; default ``PolynomialLibrary(2)``.
    solver : {"stlsq", "sr3", "lstsq"}, default "stlsq"
        Sparse regression: sequentially thresholded ridge least squares, SR3
        (relaxed, ``nu``, ``penalty``), or plain (constrained) least squares.
    threshold : float, default 0.1
        Coefficients smaller than this are removed (SR3 L1: the shrinkage).
    alpha : float, default 0.05
        Ridge strength of the STLSQ steps.
    max_iter : int, optional
        Iteration cap (default 20 for STLSQ, 1000 for SR3).
    nu : float, default 1.0
        SR3 relaxation parameter.
    penalty : {"l0", "l1"}, default "l0"
        SR3 penalty.
    constraints : (C, d), optional
        Equality constraints ``C @ coef_.ravel() = d`` on the coefficients
        (``coef_`` flattened equation by equation), imposed by every solver.
    derivative : {"finite_difference", "savgol", "smoothed", "weak", "tv"}, default "finite_difference"
        Continuous time: centred second-order differences (one-sided at the
        ends), Savitzky-Golay, smoothing then differences, the weak
        (integral) form with test functions on sub-domains, for noisy data, or
        the total-variation regularized derivative (Chartrand 2011, its
        strength set from the estimated noise level), for noisy, nonsmooth data.
    window : int, optional
        Samples per Savitzky-Golay fit (11) or weak-form sub-domain (25).
    n_windows : int, optional
        Weak form: sub-domains per trajectory (default ``T / 5``, overlapping).
    discrete_time : bool
        Learn the map ``x[k+1] = f(x[k], u[k])`` instead of ``x' = f(x, u)``.
    n_models : int, optional
        Ensemble size; None fits one model. Ensembles report ``coef_std_`` and
        ``inclusion_probability_``; ``coef_`` is the median model.
    ensemble : {"samples", "library", "both"}, default "samples"
        Bagging of rows (bootstrap), of library terms (one left out per
        model), or both.
    random_state : int, Generator or None
        Randomness of the ensemble.

    Attributes
    ----------
    model_ : SparseModel
        The fitted value: library, coefficients, names.
    coef_ : ndarray, shape (d, n_terms)
    feature_names_ : list of str
    coef_std_, inclusion_probability_ : ndarray, shape (d, n_terms) or None
        Ensemble spread and fraction of models selecting each term.
    x0_ : ndarray, shape (d,)
        First training state (default initial condition of ``to_system``).
"""


class SINDy(_SparseRegression):
    __doc__ = """Sparse identification of nonlinear dynamics (Brunton, Proctor and Kutz 2016).

    Learns ``x' = Xi theta(x)`` (or the map ``x[k+1] = Xi theta(x[k])``) with few
    nonzero coefficients from one or several trajectories; derivatives are taken
    per trajectory. ``forecast`` integrates the learned field from the last
    context state with lindy's compiled integrators (continuous time) or
    iterates the map. For inputs use :class:`SINDyc`.
    """ + _DOC_PARAMS + """
    Examples
    --------
    >>> import lindy as ld
    >>> data = ld.systems.simulate(ld.systems.get_system("Lorenz"), n_steps=2000, dt=0.01)
    >>> sindy = ld.sparse.SINDy(library=ld.sparse.PolynomialLibrary(2), threshold=0.1).fit(data)
    >>> print(sindy.equations()[0])
    x0' = -9.978 x0 + 9.978 x1
    >>> sindy.to_system()
    System('SINDy', kind='flow', dim=3)
    """

    _inputs = "never"

    def __init__(self, library=None, *, solver="stlsq", threshold=0.1, alpha=0.05,
                 max_iter=None, nu=1.0, penalty="l0", constraints=None,
                 derivative="finite_difference", window=None, n_windows=None,
                 discrete_time=False, n_models=None, ensemble="samples", random_state=None):
        self.library = library
        self.solver = solver
        self.threshold = threshold
        self.alpha = alpha
        self.max_iter = max_iter
        self.nu = nu
        self.penalty = penalty
        self.constraints = constraints
        self.derivative = derivative
        self.window = window
        self.n_windows = n_windows
        self.discrete_time = discrete_time
        self.n_models = n_models
        self.ensemble = ensemble
        self.random_state = random_state

    def _validate_data(self, X, t=None, u=None):
        if u is not None:
            raise ValidationError("SINDy does not use inputs; got u. For SINDy with control "
                                  "use lindy.sparse.SINDyc, which appends u to the library "
                                  "variables.")
        return super()._validate_data(X, t, u)


class SINDyc(_SparseRegression):
    __doc__ = """SINDy with control: the library acts on the states and the inputs ``[x, u]``.

    Follows lindy's one input convention: ``u[k]`` acts at ``t[k]``, and is
    held constant over the step to ``t[k+1]`` (zero-order hold). The default
    is the discrete-time map ``x[k+1] = Xi theta(x[k], u[k])``, exact for
    sampled systems under a zero-order hold; ``discrete_time=False`` learns
    ``x' = Xi theta(x, u)`` from derivatives (approximate between samples
    where the inputs jump). Offsets: a library with the constant term (the
    default ``PolynomialLibrary`` has ``include_bias=True``) estimates the
    affine term that output offsets and inputs around a nonzero operating
    point produce; without it the model has no offset.
    """ + _DOC_PARAMS.replace("    discrete_time : bool\n", "    discrete_time : bool, default True\n") + """
    Examples
    --------
    >>> import numpy as np, lindy as ld
    >>> data = ld.testing.linear_input_data()
    >>> model = ld.sparse.SINDyc(library=ld.sparse.PolynomialLibrary(1)).fit(data)
    >>> model.equations()
    ['x0[k+1] = 0.800 x0 - 0.300 x1 + 1.000 u0', 'x1[k+1] = 0.300 x0 + 0.800 x1 + 0.500 u0']
    """

    _inputs = "required"

    def __init__(self, library=None, *, solver="stlsq", threshold=0.1, alpha=0.05,
                 max_iter=None, nu=1.0, penalty="l0", constraints=None,
                 derivative="finite_difference", window=None, n_windows=None,
                 discrete_time=True, n_models=None, ensemble="samples", random_state=None):
        self.library = library
        self.solver = solver
        self.threshold = threshold
        self.alpha = alpha
        self.max_iter = max_iter
        self.nu = nu
        self.penalty = penalty
        self.constraints = constraints
        self.derivative = derivative
        self.window = window
        self.n_windows = n_windows
        self.discrete_time = discrete_time
        self.n_models = n_models
        self.ensemble = ensemble
        self.random_state = random_state
