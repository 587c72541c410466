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

#: suite name -> definition: ``systems``, ``methods`` (label, method, params) or
#: (label, method, params, search space),
#: ``random_states``, ``protocols`` (a list of protocol dicts; a job per system,
#: method, protocol and random_state) and optionally ``protocol_systems``, which
#: restricts a protocol (by its label, see :func:`protocol_label`) to some systems,
#: and ``method_systems``, which restricts a method (by its label) likewise. A
#: single ``protocol`` dict in place of ``protocols`` is accepted. An optional ``tune``
#: (an int budget) tunes every method with a search space (its entry's, else
#: ``lindy.bench.SEARCH_SPACES[method]``) per job; see :func:`suite_jobs`.
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
#: input-output identification on measured data (the ``sysid`` protocol): every input model
_SYSID_METHODS = [
    ("NARX(3,12,deg3)", "NARX", {"n_lags": 3, "n_input_lags": 12, "degree": 3}),
    ("NARX(2,5,deg3,ft)", "NARX", {"n_lags": 2, "n_input_lags": 5, "degree": 3,
                                   "feedthrough": True}),
    ("ARX(3,12)", "NARX", {"n_lags": 3, "n_input_lags": 12, "degree": 1}),
    # the cascaded tanks' test record sets the state from 5 samples: at most 5 lags
    ("NARX(3,5,deg3)", "NARX", {"n_lags": 3, "n_input_lags": 5, "degree": 3}),
    ("ARX(3,5)", "NARX", {"n_lags": 3, "n_input_lags": 5, "degree": 1}),
    ("N4SID(2)", "SubspaceID", {"state_dim": 2}),
    ("N4SID(4)", "SubspaceID", {"state_dim": 4}),
    ("N4SID(4,stable)", "SubspaceID", {"state_dim": 4, "stability": "project"}),
    ("MOESP(2,sim)", "SubspaceID", {"state_dim": 2, "focus": "simulation"}),
    ("LGSSM-MLE(2,ft)", "LinearGaussianSSM", {"state_dim": 2, "solver": "mle",
                                             "feedthrough": True}),
    ("LGSSM-EM(2)", "LinearGaussianSSM", {"state_dim": 2, "max_iter": 20}),
    ("DMDc", "DMDc", {}),
    ("EDMDc(poly3)", "EDMDc", {"dictionary": _poly(3)}),
    # delay coordinates make the one measured output a state (a linear delay model)
    ("EDMDc(delay2)", "EDMDc", {"dictionary": {"class": "lindy.operators:Delay",
                                               "params": {"n_delays": 2}}}),
    ("SINDyc(poly3)", "SINDyc", {"library": {"class": "lindy.sparse:PolynomialLibrary",
                                             "params": {"degree": 3}}}),
    ("ESN(200)", "ESN", {"state_dim": 200}),
    ("NVAR(2,deg3)", "NVAR", {"n_delays": 2, "degree": 3, "alpha": 1e-8}),
]
_SYSID_LONG = ["silverbox/multisine", "silverbox/arrow_full", "silverbox/arrow_no_extrapolation",
               "bouc_wen/multisine", "bouc_wen/sinesweep"]

SUITES["sysid"] = {
    "systems": _SYSID_LONG[:3] + ["cascaded_tanks/validation"] + _SYSID_LONG[3:],
    "methods": _SYSID_METHODS,
    "random_states": [0],
    "protocols": [{"name": "sysid"}],
    "method_systems": {"NARX(3,12,deg3)": _SYSID_LONG, "ARX(3,12)": _SYSID_LONG,
                       "NARX(3,5,deg3)": ["cascaded_tanks/validation"],
                       "ARX(3,5)": ["cascaded_tanks/validation"]},
}

#: the measured ECG (the ``ecg`` protocol: short forecasts and long-term statistics)
SUITES["ecg"] = {
    "systems": ["ecg"],
    "methods": [
        ("Persistence", "Persistence", {}),
        ("LinearAR(20)", "LinearAR", {"n_lags": 20}),
        ("HankelDMD(60,r30)", "HankelDMD", {"n_delays": 60, "rank": 30}),
        ("NVAR(4,s3,deg2)", "NVAR", {"n_delays": 4, "stride": 3, "degree": 2, "alpha": 1e-3}),
        ("ESN(300)", "ESN", {"state_dim": 300, "input_scaling": 0.3, "alpha": 1e-7}),
        ("Simplex(E8)", "Simplex", {"n_delays": 8}),
        ("ContextParroting(10)", "ContextParroting", {"n_delays": 10}),
    ],
    "random_states": [0],
    "protocols": [{"name": "ecg"}],
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


def suite_jobs(suite: str = "quick", *, systems=None, methods=None, random_states=None,
               tune: int | None = None) -> list[Job]:
    """The jobs of a suite, optionally restricted to some systems/method labels/random_states.

    One job per (system, method, protocol, random_state); a protocol listed in the
    suite's ``protocol_systems`` runs only on its systems. With a tuning budget
    (``tune``, else the suite's ``"tune"``; 0 is none), a method with a search
    space is tuned per job on a validation split of its training data under the
    protocols with a selection metric (``lindy.bench._tuning.SELECTION_METRIC``: the
    forecasting ones and ``dsr``; its label gains ``+tuneN``); the others run as given.

    Examples
    --------
    >>> jobs = suite_jobs("quick", systems=["Lorenz"], methods=["DMD", "LinearAR(5)"])
    >>> [(j.name, j.protocol["name"]) for j in jobs]
    [('LinearAR(5)', 'forecast'), ('DMD', 'forecast'), ('LinearAR(5)', 'dsr'), ('DMD', 'dsr')]
    >>> job = suite_jobs("quick", systems=["Lorenz"], methods=["DMD"], tune=4)[0]
    >>> job.name, job.tuning["budget"], job.tuning["space"]
    ('DMD+tune4', 4, {'rank': [None, 1, 2, 3, 5]})
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
    budget = _budget(spec.get("tune", 0) if tune is None else tune)
    only_method = spec.get("method_systems", {})
    jobs = []
    for protocol in protocols:
        allowed = only.get(protocol_label(protocol))
        chosen = [s for s in sys_list if allowed is None or s in allowed]
        for system, entry, random_state in itertools.product(chosen, meth, state_list):
            label, method, params = entry[:3]
            if label in only_method and system not in only_method[label]:
                continue
            tuning = _tuning(entry, protocol, budget)
            jobs.append(Job(method, dict(params), system, dict(protocol), int(random_state), suite,
                            f"{label}+tune{budget}" if tuning else label, tuning))
    idle = [s for s in sys_list if not any(j.system == s for j in jobs)] if systems else []
    if idle:
        raise ValidationError(f"Suite {suite!r} runs no job on {idle}: its protocols (or "
                              f"methods) are restricted to {sorted(set(spec['systems']))}.")
    return jobs


def _budget(tune) -> int:
    if isinstance(tune, bool) or not isinstance(tune, int) or tune < 0:
        raise ValidationError(f"tune must be a number of candidates >= 0 (0: no tuning); "
                              f"got {tune!r}.")
    return tune


def _tuning(entry: tuple, protocol: dict, budget: int) -> dict:
    """The job's tuning: the budget and the entry's (else the method's) search space."""
    from ._tuning import SEARCH_SPACES, SELECTION_METRIC, check_space

    space = entry[3] if len(entry) > 3 else SEARCH_SPACES.get(entry[1])
    if not budget or not space or protocol.get("name", "forecast") not in SELECTION_METRIC:
        return {}
    return {"budget": budget, "space": check_space(space)}
