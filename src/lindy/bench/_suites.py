"""Benchmark suites: which methods run on which systems under which protocol."""

from __future__ import annotations

import itertools

from ..errors import UnknownNameError, ValidationError
from ._jobs import Job

__all__ = ["SUITES", "suite_jobs"]


def _poly(degree: int) -> dict:
    return {"class": "lindy.operators:Polynomial", "params": {"degree": degree}}


# (label, method, params)
_BASE_METHODS = [
    ("Persistence", "Persistence", {}),
    ("LinearAR(5)", "LinearAR", {"n_lags": 5}),
    ("DMD", "DMD", {}),
]
_QUICK_METHODS = _BASE_METHODS + [
    ("HankelDMD(10,r20)", "HankelDMD", {"n_delays": 10, "rank": 20}),
    # lifted models: the pure linear rollout next to the re-encoded one (decode and lift
    # again every step, the models' default)
    ("EDMD(poly3)", "EDMD", {"dictionary": _poly(3), "reencode_every": None}),
    ("EDMD(poly3,re1)", "EDMD", {"dictionary": _poly(3), "reencode_every": 1}),
    ("EDMD(poly4,rrr30)", "EDMD", {"dictionary": _poly(4), "reduced_rank": True, "rank": 30,
                                   "alpha": 1e-8, "reencode_every": None}),
    ("KernelEDMD(rbf,30)", "KernelEDMD", {"rank": 30, "reencode_every": None}),
    ("KernelEDMD(rbf,30,re1)", "KernelEDMD", {"rank": 30, "reencode_every": 1}),
    ("BOPDMD(r3)", "BOPDMD", {"rank": 3}),
    ("LGSSM-EM(6)", "LinearGaussianSSM", {"state_dim": 6, "max_iter": 20}),
    ("N4SID", "SubspaceID", {}),
    ("SINDy(poly3)", "SINDy", {"library": {"class": "lindy.sparse:PolynomialLibrary",
                                           "params": {"degree": 3}}}),
    ("NVAR(2,deg2)", "NVAR", {"n_delays": 2, "degree": 2, "alpha": 0.3}),
    ("ESN(300)", "ESN", {"state_dim": 300, "input_scaling": 0.3, "alpha": 1e-7}),
    ("Simplex(E3)", "Simplex", {"n_delays": 3}),
    ("ContextParroting(5)", "ContextParroting", {"n_delays": 5}),
    ("SpectralFilter(16)", "SpectralFilter", {"n_filters": 16}),
]
_STANDARD_METHODS = _QUICK_METHODS + [
    ("SMap(E3,theta2)", "SMap", {"n_delays": 3, "theta": 2.0, "n_neighbors": 200}),
    ("LinearAR(20)", "LinearAR", {"n_lags": 20}),
    ("DMD(r=2)", "DMD", {"rank": 2}),
    ("EDMD(rbf200+lin,r40)", "EDMD", {
        "dictionary": {"class": "lindy.operators:Concat", "params": {"dictionaries": [
            {"class": "lindy.operators:RBF", "params": {"n_centers": 200}}, _poly(1)]}},
        "rank": 40}),
    ("gEDMD(poly2)", "GeneratorEDMD", {"dictionary": _poly(2), "kind": "ode"}),
    ("KernelEDMD(rbf,50)", "KernelEDMD", {"rank": 50}),
    ("HAVOK(20)", "HAVOK", {"n_delays": 20}),
]


#: suite name -> definition
SUITES: dict[str, dict] = {
    "quick": {
        "systems": ["Lorenz", "Rossler", "VanDerPol", "Henon", "OscillatorChain"],
        "methods": _QUICK_METHODS,
        "random_states": [0],
        "protocol": {"name": "forecast", "n_train": 2000, "n_traj": 2, "horizon": 500},
    },
    "standard": {
        "systems": ["Lorenz", "Rossler", "VanDerPol", "Duffing", "Henon", "Logistic",
                    "OscillatorChain"],
        "methods": _STANDARD_METHODS,
        "random_states": [0, 1, 2],
        "protocol": {"name": "forecast", "n_train": 5000, "n_traj": 4, "horizon": 1000},
    },
}
SUITES["full"] = {**SUITES["standard"], "random_states": list(range(10)),
                  "protocol": {"name": "forecast", "n_train": 10000, "n_traj": 8,
                               "horizon": 1000, "obs_noise": 0.01}}


def suite_jobs(suite: str = "quick", *, systems=None, methods=None, random_states=None) -> list[Job]:
    """The jobs of a suite, optionally restricted to some systems/method labels/random_states.

    Examples
    --------
    >>> jobs = suite_jobs("quick", systems=["Lorenz"], methods=["DMD", "LinearAR(5)"])
    >>> [j.name for j in jobs]
    ['LinearAR(5)', 'DMD']
    """
    if suite not in SUITES:
        raise UnknownNameError(f"No suite named {suite!r}; known: {sorted(SUITES)}.")
    spec = SUITES[suite]
    sys_list = list(systems) if systems else spec["systems"]
    meth = [m for m in spec["methods"] if not methods or m[0] in methods or m[1] in methods]
    if methods and not meth:
        raise ValidationError(f"No method of suite {suite!r} matches {list(methods)}.")
    state_list = list(random_states) if random_states is not None else spec["random_states"]
    return [
        Job(method, dict(params), system, dict(spec["protocol"]), int(random_state), suite, label)
        for system, (label, method, params), random_state in itertools.product(sys_list, meth, state_list)
    ]
