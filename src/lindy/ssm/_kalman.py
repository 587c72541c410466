"""Kalman filter, RTS smoother, log-likelihood, forecasts and sampling for LG-SSMs.

Pure functions of :class:`~lindy.ssm.LGSSMParams` and observation arrays. NaN
entries of ``y`` are missing components: each step conditions on the observed
components only. ``y`` is one sequence as a ``(T, p)`` array (inputs ``u`` a
``(T, m)`` array) or several, possibly ragged, as a :class:`~lindy.data.TrajectorySet`
(inputs inside it); the sequences of a set run in the compiled loops, split over
threads (``n_jobs``) when there are several.
"""

from __future__ import annotations

import numpy as np

from ..errors import NumericalError, ShapeError, ValidationError
from ._parallel import check_n_jobs, run_chunks, sequence_chunks
from ._params import LGSSMParams
from ._results import FilterResult, SmootherResult
from ._sequences import as_sequences
from ._sequences import flat_sequences as _flat
from ._sequences import joined_parts as _joined
from ._sequences import split_flat as _parts

__all__ = [
    "FilterResult",
    "SmootherResult",
    "kalman_filter",
    "rts_smoother",
    "log_likelihood",
]

_FORMS = ("standard", "joseph", "sqrt")


def _compiled():
    from . import _compiled as c  # imports numba; compiled lazily on first call

    return c


def _compiled_smoothers():
    from . import _compiled_smoothers as c

    return c


#: relative Cholesky pivot of a predicted covariance below which the smoother
#: switches from the RTS gain to the r_t, N_t recursions (digits lost ~ eps / pivot)
_ILL_CONDITIONED = 1e-8


def _compiled_sqrt():
    from . import _compiled_sqrt as c

    return c


# ---------------------------------------------------------------- preparation
def _check_params(params) -> LGSSMParams:
    if not isinstance(params, LGSSMParams):
        raise ValidationError(
            f"params must be an LGSSMParams; got {type(params).__name__}. Build one with "
            "lindy.ssm.LGSSMParams(A=..., C=..., Q=..., R=..., m0=..., P0=...)."
        )
    return params


def _as_sequences(params: LGSSMParams, y, u):
    """Sequences of ``y`` and ``u`` checked against the model; return (ys, us, single)."""
    p, m = params.obs_dim, params.input_dim
    ys, us, single = as_sequences(y, u)
    for i, yi in enumerate(ys):
        if yi.shape[1] != p:
            raise ShapeError(f"y must have {p} columns (one per output); sequence {i} has "
                             f"{yi.shape[1]}.")
    if m == 0:
        if us is not None:
            raise ValidationError("u was given but the model has no inputs (B has 0 columns).")
        us = [np.zeros((yi.shape[0], 0)) for yi in ys]
    elif us is None:
        raise ValidationError(f"The model has m={m} inputs; pass u with shape (T, {m}) (or "
                              "trajectories with inputs).")
    elif us[0].shape[1] != m:
        raise ShapeError(f"u must have {m} columns; got {us[0].shape[1]}.")
    K = params.n_steps
    if K is not None:
        longest = max(yi.shape[0] for yi in ys)
        if longest > K:
            raise ShapeError(
                f"The time-varying parameters cover K={K} steps but y has {longest}; "
                "give the matrices at least as many steps as the longest sequence."
            )
    return ys, us, single


def _psd_factor(M: np.ndarray) -> np.ndarray:
    """A square factor F with F F^T = M for (stacked) symmetric PSD M."""
    w, V = np.linalg.eigh(M)
    return np.ascontiguousarray(V * np.sqrt(np.clip(w, 0.0, None))[..., None, :])


def _chol_factor(M: np.ndarray) -> np.ndarray:
    """Cholesky factors of stacked SPD matrices; eigenvalue factors if any is singular."""
    try:
        return np.ascontiguousarray(np.linalg.cholesky(M))
    except np.linalg.LinAlgError:
        return _psd_factor(M)


def _fail(kind: str, t: int, offsets) -> NumericalError:
    s = int(np.searchsorted(offsets, t, side="right") - 1)
    return NumericalError(
        f"The {kind} met a singular covariance at step {t - offsets[s]} of sequence {s}; "
        "the innovation (or predicted-state) covariance is not positive definite. "
        "Make R (or Q) positive definite or use form='sqrt'."
    )


def _use_blas(n: int, smoother: bool = False) -> bool:
    """BLAS/LAPACK products from ``BLAS_MIN_STATE`` (smoother: ``..._SMOOTHER``) states on."""
    from . import _compiled_blas as cb

    return n >= (cb.BLAS_MIN_STATE_SMOOTHER if smoother else cb.BLAS_MIN_STATE)


def _chunked(loop, offsets, n_jobs, step_cost: int) -> int:
    """``loop(s_lo, s_hi)`` over ranges of sequences (threads if several); first failure or 0."""
    return next((status for status in run_chunks(loop, sequence_chunks(offsets, n_jobs, step_cost))
                 if status), 0)


def _run_filter(params, y, u, offsets, form, steady_tol, store=True, n_jobs=None):
    c = _compiled()
    n, p = params.state_dim, params.obs_dim
    Tt, N = y.shape[0], offsets.shape[0] - 1
    shp = (Tt if store else 1)
    out = c.FilterOutputs(
        mp=np.empty((shp, n)), Pp=np.empty((shp, n, n)), mf=np.empty((shp, n)),
        Pf=np.empty((shp, n, n)), ll=np.empty(Tt), innov=np.empty((shp, p)),
        white=np.empty((shp, p)), nis=np.empty(shp), steady=np.zeros(shp, dtype=np.bool_),
        factors=np.empty((shp if form == "sqrt" else 1, n, n)),
        mnext=np.empty((N, n)), Pnext=np.empty((N, n, n)))
    st = {name: np.ascontiguousarray(params.stacked(name)) for name in ("A", "B", "C", "D", "Q", "R")}
    m0 = np.ascontiguousarray(params.m0)
    if form == "sqrt":
        model = c.Model(A=st["A"], B=st["B"], C=st["C"], D=st["D"], Q=_psd_factor(st["Q"]),
                        R=_psd_factor(st["R"]), m0=m0, P0=_psd_factor(params.P0))
        loop = _compiled_sqrt().sqrt_loop
        status = _chunked(lambda a, b: loop(y, u, offsets, model, out, a, b), offsets, n_jobs,
                          n * (n + p))
    else:
        model = c.Model(A=st["A"], B=st["B"], C=st["C"], D=st["D"], Q=st["Q"], R=st["R"],
                        m0=m0, P0=np.ascontiguousarray(params.P0))
        joseph, tol, blas = form == "joseph", float(steady_tol), _use_blas(n)
        status = _chunked(
            lambda a, b: c.kalman_loop(y, u, offsets, model, out, joseph, tol, store, blas, a, b),
            offsets, n_jobs, n * (n + p))
    if status:
        raise _fail("Kalman filter", int(status) - 1, offsets)
    return out


def _package(out, offsets, form_sqrt: bool) -> list:
    names = ("mp", "Pp", "mf", "Pf", "ll", "innov", "white", "nis", "steady")
    parts = {k: _parts(getattr(out, k), offsets) for k in names}
    N = len(offsets) - 1
    sf_parts = _parts(out.factors, offsets) if form_sqrt else [None] * N
    return [
        FilterResult(
            predicted_means=parts["mp"][i], predicted_covariances=parts["Pp"][i],
            filtered_means=parts["mf"][i], filtered_covariances=parts["Pf"][i],
            log_likelihood=float(parts["ll"][i].sum()), log_likelihood_terms=parts["ll"][i],
            innovations=parts["innov"][i], whitened_innovations=parts["white"][i],
            nis=parts["nis"][i], steady=parts["steady"][i], next_mean=out.mnext[i],
            next_covariance=out.Pnext[i], filtered_factors=sf_parts[i])
        for i in range(N)
    ]


def _check_form(form: str, allowed=_FORMS) -> str:
    if form not in allowed:
        raise ValidationError(f"form must be one of {allowed}; got {form!r}.")
    return form


def _filter_lists(params, ys, us, *, form="standard", steady_tol=1e-12, store=True,
                  n_jobs=None):
    """Filter checked sequences (``us`` with ``m`` columns, zero-width without inputs)."""
    if params.diffuse is not None:
        from ._diffuse import diffuse_filter_lists

        return diffuse_filter_lists(params, ys, us, form=form, steady_tol=steady_tol,
                                    store=store)
    yf, uf, offsets = _flat(ys, us)
    out = _run_filter(params, yf, uf, offsets, form, steady_tol, store=store, n_jobs=n_jobs)
    if store:
        return _package(out, offsets, form == "sqrt")
    return np.array([out.ll[a:b].sum() for a, b in zip(offsets[:-1], offsets[1:])])


# -------------------------------------------------------------------- public
def kalman_filter(params: LGSSMParams, y, u=None, *, form: str = "standard",
                  steady_tol: float = 1e-12, sequential: bool = False, n_jobs: int | None = None):
    """Kalman filter with per-component missing data, batched over sequences.

    Parameters
    ----------
    params : LGSSMParams
    y : array_like, shape (T, p), or TrajectorySet
        Observations; NaN marks a missing component. Several sequences go in a
        :class:`~lindy.data.TrajectorySet` (with their inputs).
    u : array_like, shape (T, m), optional
        Inputs of a single sequence (models with inputs only).
    form : {"standard", "joseph", "sqrt"}
        Covariance update: ``P - K S K^T`` (symmetrized), the Joseph form
        ``(I - KC) P (I - KC)^T + K R K^T``, or a square-root filter that
        propagates Cholesky factors by Householder triangularization.
    steady_tol : float, default 1e-12
        Steady-state fast path (``"standard"``/``"joseph"``, time-invariant
        parameters): once the predicted covariance changes by less than
        ``steady_tol`` relative to its size over a fully observed step, the
        covariance recursion is frozen at its (discrete algebraic Riccati)
        limit until a missing value occurs. ``0`` disables it.
    sequential : bool, default False
        Process the outputs of each step one at a time (univariate treatment,
        Durbin & Koopman 2012, sec. 6.4; a non-diagonal ``R`` is diagonalized
        by its LDL factor). Moments and log-likelihood equal the joint filter's;
        ``innovations`` and ``innovation_variances`` are the scalar ones KFAS
        reports. Pure Python (slower); ``form`` must be ``"standard"``.
    n_jobs : int, optional
        Threads over the sequences of a TrajectorySet (the compiled loops
        release the GIL; results equal the serial run exactly). None: every
        available core when there are several sequences and enough work; 1:
        serial; -1: every available core. (Models with diffuse states and
        ``sequential=True`` run serially.)

    Returns
    -------
    FilterResult or list of FilterResult
        One result for an array, a list (one per trajectory) for a TrajectorySet.

    Raises
    ------
    lindy.errors.NumericalError
        If an innovation covariance is not positive definite.

    Notes
    -----
    Small models run hand-written compiled loops; from 12 states on (8 in
    :func:`rts_smoother`) the covariance steps call BLAS/LAPACK (``dgemm``,
    ``dtrsm``, ``dpotrf``); both give the same numbers to rounding.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, kalman_filter
    >>> params = LGSSMParams(A=[[1.0]], C=[[1.0]], Q=[[0.1]], R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> filt = kalman_filter(params, np.array([[1.0], [np.nan], [2.0]]))
    >>> filt.filtered_means.round(4).ravel()
    array([0.5   , 0.5   , 1.1176])
    >>> round(filt.log_likelihood, 4)
    -3.3615
    >>> seq = kalman_filter(params, np.array([[1.0], [np.nan], [2.0]]), sequential=True)
    >>> round(seq.log_likelihood, 4), seq.innovation_variances.round(4).ravel()
    (-3.3615, array([2. , nan, 1.7]))
    """
    params = _check_params(params)
    form = _check_form(form)
    n_jobs = check_n_jobs(n_jobs)
    ys, us, single = _as_sequences(params, y, u)
    if sequential:
        if form != "standard":
            raise ValidationError(f"sequential=True runs the standard form; got form={form!r}. "
                                  "Drop form or use sequential=False.")
        from ._sequential import sequential_filter_lists

        res = sequential_filter_lists(params, ys, us)
        return res[0] if single else res
    res = _filter_lists(params, ys, us, form=form, steady_tol=steady_tol, n_jobs=n_jobs)
    return res[0] if single else res


def log_likelihood(params: LGSSMParams, y, u=None, *, steady_tol: float = 1e-12,
                   n_jobs: int | None = None):
    """Log-likelihood ``log p(y)`` by the Kalman filter, without storing moments.

    Parameters
    ----------
    params : LGSSMParams
    y : array_like, shape (T, p), or TrajectorySet
    u : array_like, shape (T, m), optional
    steady_tol : float
        See :func:`kalman_filter`.
    n_jobs : int, optional
        See :func:`kalman_filter`.

    Returns
    -------
    float, or ndarray (N,) for a TrajectorySet

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, log_likelihood
    >>> params = LGSSMParams(A=[[1.0]], C=[[1.0]], Q=[[0.1]], R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> round(log_likelihood(params, [[1.0], [np.nan], [2.0]]), 4)
    -3.3615

    With an exact diffuse prior on the state (``P0`` is then ignored):

    >>> round(log_likelihood(params.replace(diffuse=[True]), [[1.0], [np.nan], [2.0]]), 4)
    -2.4594
    """
    params = _check_params(params)
    n_jobs = check_n_jobs(n_jobs)
    ys, us, single = _as_sequences(params, y, u)
    ll = _filter_lists(params, ys, us, steady_tol=steady_tol, store=False, n_jobs=n_jobs)
    return float(ll[0]) if single else ll


def rts_smoother(params: LGSSMParams, filt, *, form: str = "standard",
                 steady_tol: float = 1e-12, n_jobs: int | None = None):
    """Rauch-Tung-Striebel smoother from a :func:`kalman_filter` result.

    Parameters
    ----------
    params : LGSSMParams
        The parameters used by the filter.
    filt : FilterResult or list of FilterResult
        A list (the filter's result on a TrajectorySet) is smoothed in one
        compiled call.
    form : {"standard", "sqrt"}, default "standard"
        ``"standard"``: ``P_s = P_f + G (P_s' - P_p') G^T`` with the gain from a
        Cholesky solve. ``"sqrt"``: square-root form that propagates Cholesky
        factors by Householder triangularization (the smoothed covariances are
        positive semi-definite by construction; for ill-conditioned models).
        It starts from the filter's Cholesky factors when the filter ran with
        ``form="sqrt"``, else from factors of the filtered covariances.
        In both forms a singular predicted covariance ``P_{k+1|k}`` (relative
        pivot below 1e-10; e.g. an ARMA model in companion form with ``R = 0``)
        gets its gain from a pseudo-inverse solve on its range, which is exact
        there because ``A P_{k|k}`` lies in that range. ``"standard"`` then
        (and whenever a relative pivot is below 1e-8) takes the smoothed means
        and covariances from the ``r_t, N_t`` recursions (Durbin & Koopman
        2012, sec. 4.4), which solve only with innovation covariances and keep
        full precision; ``gains`` stay the RTS ones. ``"sqrt"`` takes only the
        means from them and keeps its factored (PSD) covariances. Models with diffuse
        states use the exact initial smoother (Durbin & Koopman 2012, sec. 5.3)
        in its ``r_t, N_t`` form in either form; its ``gains`` are NaN during
        the diffuse period.
    steady_tol : float, default 1e-12
        ``"standard"``: over steps where the filter ran in its steady state
        (same gain, same filtered and predicted covariances), the smoothed
        covariance recursion is a fixed-point iteration; once it changes by
        less than ``steady_tol`` relative to its size it is frozen at that
        value until the filter's steady state ends. ``0`` disables it.
    n_jobs : int, optional
        Threads over the sequences of a TrajectorySet (the compiled loops
        release the GIL; results equal the serial run exactly). None: every
        available core when there are several sequences and enough work; 1:
        serial; -1: every available core. (Models with diffuse states and
        ``sequential=True`` run serially.)

    Returns
    -------
    SmootherResult or list of SmootherResult
        Smoothed means (T, n) and covariances (T, n, n).

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.ssm import LGSSMParams, kalman_filter, rts_smoother
    >>> params = LGSSMParams(A=[[1.0]], C=[[1.0]], Q=[[0.1]], R=[[1.0]], m0=[0.0], P0=[[1.0]])
    >>> filt = kalman_filter(params, np.array([[1.0], [np.nan], [2.0]]))
    >>> rts_smoother(params, filt).means.round(4).ravel()
    array([0.9412, 1.0294, 1.1176])
    >>> rts_smoother(params, filt, form="sqrt").means.round(4).ravel()
    array([0.9412, 1.0294, 1.1176])
    >>> diffuse = params.replace(diffuse=[True])
    >>> smooth = rts_smoother(diffuse, kalman_filter(diffuse, [[1.0], [np.nan], [2.0]]))
    >>> smooth.means.round(4).ravel()
    array([1.4545, 1.5   , 1.5455])
    """
    params = _check_params(params)
    form = _check_form(form, ("standard", "sqrt"))
    n_jobs = check_n_jobs(n_jobs)
    single = isinstance(filt, FilterResult)
    filts = [filt] if single else filt
    if not isinstance(filts, list) or not filts or \
            not all(isinstance(f, FilterResult) for f in filts):
        raise ValidationError("filt must be a FilterResult from kalman_filter (or the list it "
                              f"returns for a TrajectorySet); got {type(filt).__name__}.")
    n = filts[0].filtered_means.shape[-1]
    if n != params.state_dim:
        raise ShapeError(f"filt has {n} states but params has {params.state_dim}.")
    if params.diffuse is not None:
        from ._diffuse import diffuse_smoother

        return diffuse_smoother(params, filts, single)
    lengths = [f.n_steps for f in filts]
    offsets = np.zeros(len(filts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(lengths)

    def cat(name):
        return _joined([getattr(f, name) for f in filts])

    Tt = int(offsets[-1])
    ms, Ps, G = np.empty((Tt, n)), np.empty((Tt, n, n)), np.empty((Tt, n, n))
    A = np.ascontiguousarray(params.stacked("A"))
    mp, Pp = cat("predicted_means"), cat("predicted_covariances")
    if form == "sqrt":
        Sf = cat("filtered_factors") if all(f.filtered_factors is not None for f in filts) \
            else _chol_factor(cat("filtered_covariances"))
        Qf, mf, Ss, loop = (_psd_factor(params.stacked("Q")), cat("filtered_means"),
                            np.empty((Tt, n, n)), _compiled_sqrt().sqrt_rts_loop)
        status = _chunked(lambda a, b: loop(offsets, A, Qf, mp, mf, Sf, ms, Ps, G, Ss, a, b),
                          offsets, n_jobs, 2 * n * n)
        w = np.linalg.eigvalsh(Pp[1:]) if Tt > 1 else np.ones((1, n))
        ill = (w[:, 0] < _ILL_CONDITIONED * w[:, -1]).any()
    else:
        mf, Pf, steady = cat("filtered_means"), cat("filtered_covariances"), cat("steady")
        worst = np.ones(len(filts))  # one slot per chunk, at its first sequence
        blas, tol, loop = _use_blas(n, True), float(steady_tol), _compiled_smoothers().rts_loop
        status = _chunked(lambda a, b: loop(offsets, A, mp, Pp, mf, Pf, steady, ms, Ps, G,
                                            worst[a:a + 1], blas, tol, a, b),
                          offsets, n_jobs, 2 * n * n)
        ill = worst.min() < _ILL_CONDITIONED
    if not status and ill:
        # a (near) singular P_{k+1|k}: the RTS gain solves with it and loses digits; the
        # r_t, N_t form solves only with innovation covariances ("sqrt" keeps its PSD P_s)
        innov = cat("innovations")
        status = _compiled_smoothers().rn_loop(
            offsets, A, np.ascontiguousarray(params.stacked("C")),
            np.ascontiguousarray(params.stacked("R")), innov, innov, mp, Pp, ms,
            np.empty((Tt, n, n)) if form == "sqrt" else Ps, np.empty((len(filts), n)),
            np.empty((len(filts), n, n)), _use_blas(n, True))
    if status:
        raise _fail("RTS smoother", int(status) - 1, offsets)
    res = [SmootherResult(means=a, covariances=b, gains=c, log_likelihood=f.log_likelihood)
           for a, b, c, f in zip(_parts(ms, offsets), _parts(Ps, offsets), _parts(G, offsets),
                                 filts)]
    return res[0] if single else res

