"""Benchmark suites: which methods run on which systems under which protocols."""

from __future__ import annotations

import itertools

from ..errors import UnknownNameError, ValidationError
from ._jobs import Job

__all__ = ["SUITES", "suite_jobs", "protocol_label"]


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


def _dysts_flows() -> list[str]:
    """The 129 flows of the dysts collection (Gilpin 2021), in registry order."""
    from ..systems import get_system, list_systems

    return [n for n in list_systems(kind="flow") if get_system(n).meta.get("collection") == "dysts"]


_DYSTS2021 = {"name": "dysts2021"}
_DYSTS2021_NOISY = {"name": "dysts2021", "obs_noise": 0.2}
_DYSTS2021_COARSE = {"name": "dysts2021", "pts_per_period": 15}
_ZEROSHOT2025 = {"name": "zeroshot2025"}

#: suite name -> definition: ``systems``, ``methods`` (label, method, params),
#: ``random_states``, ``protocols`` (a list of protocol dicts; a job per system,
#: method, protocol and random_state) and optionally ``protocol_systems``, which
#: restricts a protocol (by its label, see :func:`protocol_label`) to some systems. A
#: single ``protocol`` dict in place of ``protocols`` is accepted.
SUITES: dict[str, dict] = {
    "quick": {
        "systems": ["Lorenz", "Rossler", "VanDerPol", "Henon", "OscillatorChain"],
        "methods": _QUICK_METHODS,
        "random_states": [0],
        "protocols": [
            {"name": "forecast", "n_train": 2000, "n_traj": 2, "horizon": 500},
            {"name": "dsr"},
        ],
        "protocol_systems": {"dsr": ["Lorenz", "Rossler"]},
    },
    "standard": {
        "systems": _dysts_flows(),
        "methods": _STANDARD_METHODS,
        "random_states": [0],
        "protocols": [_DYSTS2021, _DYSTS2021_NOISY, _ZEROSHOT2025],
    },
}
#: filters under the filtering protocol (Revach et al. 2022): the linear canonical model with
#: full information, 1/r^2 = 0 dB, and Lorenz with a 2-term Taylor model, 1/r^2 = 20 dB (on the
#: linear model the EKF is the Kalman filter, whose MSE every record carries as ``reference_mse_db``)
SUITES["filtering"] = {
    "systems": ["linear_canonical", "Lorenz"],
    "methods": [("EKF", "GaussianFilter", {"kind": "ekf"}), ("UKF", "GaussianFilter", {"kind": "ukf"}),
                ("KalmanNet", "KalmanNet", {"hidden_layer_sizes": [32, 16], "gru_size": 32,
                                            "max_iter": 10, "learning_rate": 0.01, "batch_size": 10})],
    "random_states": [0],
    "protocols": [{"name": "filtering", "n_test": 100},
                  {"name": "filtering", "n_test": 100, "inv_r2_db": 20.0}],
    "protocol_systems": {"filtering(n_test=100)": ["linear_canonical"],
                         "filtering(inv_r2_db=20.0, n_test=100)": ["Lorenz"]},
}
SUITES["full"] = {**SUITES["standard"], "random_states": [0, 1, 2],
                  "protocols": [_DYSTS2021, _DYSTS2021_NOISY, _DYSTS2021_COARSE, _ZEROSHOT2025,
                                {"name": "dsr"}]}


def protocol_label(protocol: dict) -> str:
    """Display name of a protocol: its name and the settings that differ from the defaults.

    Examples
    --------
    >>> protocol_label({"name": "dysts2021", "obs_noise": 0.2})
    'dysts2021(obs_noise=0.2)'
    >>> protocol_label({"name": "forecast", "horizon": 500})
    'forecast'
    """
    from ._protocols import PROTOCOL_DEFAULTS

    name = protocol.get("name", "forecast")
    defaults = PROTOCOL_DEFAULTS.get(name, {})
    extra = [f"{k}={v}" for k, v in sorted(protocol.items())
             if k != "name" and defaults.get(k, object()) != v]
    return f"{name}({', '.join(extra)})" if extra else name


def suite_jobs(suite: str = "quick", *, systems=None, methods=None, random_states=None) -> list[Job]:
    """The jobs of a suite, optionally restricted to some systems/method labels/random_states.

    One job per (system, method, protocol, random_state); a protocol listed in the
    suite's ``protocol_systems`` runs only on its systems.

    Examples
    --------
    >>> jobs = suite_jobs("quick", systems=["Lorenz"], methods=["DMD", "LinearAR(5)"])
    >>> [(j.name, j.protocol["name"]) for j in jobs]
    [('LinearAR(5)', 'forecast'), ('DMD', 'forecast'), ('LinearAR(5)', 'dsr'), ('DMD', 'dsr')]
    """
    if suite not in SUITES:
        raise UnknownNameError(f"No suite named {suite!r}; known: {sorted(SUITES)}.")
    spec = SUITES[suite]
    sys_list = list(systems) if systems else spec["systems"]
    meth = [m for m in spec["methods"] if not methods or m[0] in methods or m[1] in methods]
    if methods and not meth:
        raise ValidationError(f"No method of suite {suite!r} matches {list(methods)}.")
    state_list = list(random_states) if random_states is not None else spec["random_states"]
    if ("protocol" in spec) == ("protocols" in spec):
        raise ValidationError(f"Suite {suite!r} must define exactly one of 'protocols' (a list "
                              "of protocol dicts) and 'protocol' (a single one).")
    protocols = spec["protocols"] if "protocols" in spec else [spec["protocol"]]
    only = spec.get("protocol_systems", {})
    jobs = []
    for protocol in protocols:
        allowed = only.get(protocol_label(protocol))
        chosen = [s for s in sys_list if allowed is None or s in allowed]
        jobs += [Job(method, dict(params), system, dict(protocol), int(random_state), suite, label)
                 for system, (label, method, params), random_state
                 in itertools.product(chosen, meth, state_list)]
    return jobs
