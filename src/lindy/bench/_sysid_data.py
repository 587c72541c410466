"""Data of the ``sysid`` protocol: estimation data and test records of the input-output benchmarks.

Records (``"<data set>/<test record>"``) and the conventions of the
``nonlinear_benchmarks`` package (the official loader of nonlinearbenchmark.org):

* Silverbox (Wigren and Schoukens 2013): estimation on the first 75 % of the
  multisine part; tests ``silverbox/multisine`` (the rest of it),
  ``silverbox/arrow_full`` (samples 100:40575, whose last part needs
  extrapolation in amplitude) and ``silverbox/arrow_no_extrapolation`` (its
  first 32000 samples). Initial-state window: 50 samples.
* Cascaded tanks (Schoukens et al. 2016): estimation and validation records of
  1024 samples; test ``cascaded_tanks/validation``. Window: 5 samples.
* Bouc-Wen (Noel and Schoukens 2016): the shipped noise-free validation
  signals, tests ``bouc_wen/multisine`` and ``bouc_wen/sinesweep``. The
  benchmark ships no estimation data; :func:`bouc_wen_estimation_data`
  generates them as it prescribes (random-phase multisines with the
  validation multisine's grid: 8192 samples at 750 Hz, flat amplitude on its
  1585 lines from 5.04 to 150.05 Hz, RMS 50 N; steady-state period after a transient
  one; noise-free). ``nonlinear_benchmarks`` sets no window for Bouc-Wen; the
  protocol uses 50 samples, as for Silverbox.
"""

from __future__ import annotations

import functools

import numpy as np

from ..data import Trajectory, TrajectorySet
from ..errors import UnknownNameError, ValidationError

__all__ = ["SYSID_BENCHMARKS", "INIT_WINDOW", "sysid_record", "sysid_estimation_data",
           "random_phase_multisine", "bouc_wen_periodic_response", "bouc_wen_estimation_data"]

#: benchmark record -> (data set, test record)
SYSID_BENCHMARKS = {
    "silverbox/multisine": ("silverbox", "multisine"),
    "silverbox/arrow_full": ("silverbox", "arrow_full"),
    "silverbox/arrow_no_extrapolation": ("silverbox", "arrow_no_extrapolation"),
    "cascaded_tanks/validation": ("cascaded_tanks", "validation"),
    "bouc_wen/multisine": ("bouc_wen", "multisine"),
    "bouc_wen/sinesweep": ("bouc_wen", "sinesweep"),
}

#: samples at the start of each test record that set the initial state (not scored)
INIT_WINDOW = {"silverbox": 50, "cascaded_tanks": 5, "bouc_wen": 50}

#: output unit of each data set
UNITS = {"silverbox": "V", "cascaded_tanks": "V", "bouc_wen": "m"}

_FS_BOUC_WEN = 750.0
_BW_PERIOD = 8192
_BW_BAND = (5.0, 150.0)
_BW_RMS = 50.0


@functools.lru_cache(maxsize=3)
def _dataset(name: str):
    from .. import datasets

    return {"silverbox": datasets.load_silverbox, "cascaded_tanks": datasets.load_cascaded_tanks,
            "bouc_wen": datasets.load_bouc_wen}[name]()


def _split(benchmark: str) -> tuple[str, str]:
    if benchmark not in SYSID_BENCHMARKS:
        raise UnknownNameError(f"No sysid benchmark record named {benchmark!r}; known: "
                               f"{sorted(SYSID_BENCHMARKS)}.")
    return SYSID_BENCHMARKS[benchmark]


def sysid_record(benchmark: str) -> Trajectory:
    """The measured test record (inputs ``u`` and outputs ``x``) of a benchmark.

    Examples
    --------
    >>> sysid_record("silverbox/arrow_no_extrapolation").n_steps
    32000
    >>> sysid_record("cascaded_tanks/validation").n_steps
    1024
    """
    dataset, part = _split(benchmark)
    ds = _dataset(dataset)
    if dataset == "silverbox":
        by_part = {tr.meta["part"]: tr for tr in ds.test}
        if part == "multisine":
            return by_part["multisine"]
        arrow = by_part["arrow"]
        return arrow if part == "arrow_full" else arrow[:32000]
    if dataset == "cascaded_tanks":
        return ds.test[0]
    return next(tr for tr in ds.test if tr.meta["part"] == part)


def sysid_estimation_data(benchmark: str, n_realizations: int = 5, random_state: int = 0) -> TrajectorySet:
    """The estimation data of a benchmark record's data set.

    Silverbox and cascaded tanks: the measured estimation record. Bouc-Wen:
    :func:`bouc_wen_estimation_data` with ``n_realizations`` and ``random_state``.

    Examples
    --------
    >>> sysid_estimation_data("cascaded_tanks/validation")
    TrajectorySet(n=1, T=1024, d=1, m=1)
    """
    dataset, _ = _split(benchmark)
    if dataset == "bouc_wen":
        return bouc_wen_estimation_data(n_realizations, random_state=random_state)
    return _dataset(dataset).train


def random_phase_multisine(n: int, *, fs: float, band: tuple[float, float], rms: float,
                           random_state=None) -> np.ndarray:
    """One period of a random-phase multisine: flat amplitude on every line in ``band``.

    Lines ``k fs / n`` for ``k`` from ``floor(band[0] n / fs) + 1`` to
    ``ceil(band[1] n / fs)`` get equal amplitudes and independent uniform
    phases (the lines of the Bouc-Wen validation multisine: 5.04 to 150.05 Hz);
    the signal is scaled to RMS ``rms``.

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> u = random_phase_multisine(8192, fs=750.0, band=(5.0, 150.0), rms=50.0, random_state=0)
    >>> round(float(u.std()), 6), int((np.abs(np.fft.rfft(u)) > 1e-6).sum())
    (50.0, 1585)
    """
    rng = np.random.default_rng(random_state)
    k = np.arange(n // 2 + 1)
    lines = (k >= np.floor(band[0] * n / fs) + 1) & (k <= np.ceil(band[1] * n / fs)) & (k < n / 2)
    if not lines.any():
        raise ValidationError(f"No frequency line of an {n}-sample period at fs={fs:g} lies in "
                              f"band {band}; widen the band or lengthen the period.")
    spectrum = np.zeros(k.shape[0], dtype=complex)
    spectrum[lines] = np.exp(2j * np.pi * rng.random(int(lines.sum())))
    u = np.fft.irfft(spectrum, n)
    return rms * u / np.sqrt(np.mean(u ** 2))


def _band_limited(u: np.ndarray, factor: int) -> np.ndarray:
    """The periodic band-limited signal through the samples of ``u``, ``factor`` times finer."""
    n = u.shape[0]
    spectrum = np.fft.rfft(u)
    fine = np.zeros(n * factor // 2 + 1, dtype=complex)
    fine[: spectrum.shape[0]] = spectrum
    if n % 2 == 0:  # the Nyquist line is shared between its two aliases
        fine[n // 2] *= 0.5
    return np.fft.irfft(fine, n * factor) * factor


def _bouc_wen_params() -> np.ndarray:
    """The benchmark's parameters, read from lindy.systems' BoucWen."""
    from ..systems import get_system

    p = get_system("BoucWen").params
    return np.array([p[k] for k in ("m", "c", "k", "alpha", "beta", "gamma", "delta", "nu")],
                    dtype=float)


def bouc_wen_periodic_response(u: np.ndarray, n_periods: int = 2, n_sub: int = 20) -> np.ndarray:
    """Steady-state displacement of the Bouc-Wen benchmark under a periodic force.

    The force is the periodic band-limited signal through the samples ``u``
    (one period, sampled at 750 Hz), applied for ``n_periods`` periods from
    rest; RK4 with ``n_sub`` steps per sample (15 kHz for 20, the benchmark's
    integration rate) and the force evaluated at every stage. The parameters
    are those of :func:`lindy.systems.get_system` ``("BoucWen")`` (the
    benchmark's: m = 2, c = 10, k = 5e4, alpha = 5e4, beta = 1e3, gamma = 0.8,
    delta = -1.1, nu = 1).

    Returns
    -------
    ndarray, shape (len(u),)
        The displacement over the last period.
    """
    from ._bouc_wen_rk4 import bouc_wen_rk4

    u = np.asarray(u, dtype=float).ravel()
    fine = _band_limited(u, 2 * n_sub)
    force = np.concatenate([np.tile(fine, n_periods), fine[:1]])
    y = bouc_wen_rk4(force, 1.0 / (_FS_BOUC_WEN * n_sub), int(n_sub), _bouc_wen_params())
    return y[-u.shape[0]:]


def bouc_wen_estimation_data(n_realizations: int = 5, random_state=0) -> TrajectorySet:
    """Estimation data of the Bouc-Wen benchmark, generated as it prescribes.

    ``n_realizations`` random-phase multisines (8192 samples at 750 Hz, every
    line from 5 to 150 Hz, RMS 50 N: the validation multisine's design), each
    applied for two periods from rest; the second (steady-state) period of
    force and displacement is kept. Noise-free, seeded by ``random_state``.

    Returns
    -------
    TrajectorySet
        ``n_realizations`` trajectories of 8192 samples, force as input ``u``
        (N), displacement as ``x`` (m).

    Examples
    --------
    >>> data = bouc_wen_estimation_data(1, random_state=0)
    >>> data, round(float(data[0].u.std()), 3)
    (TrajectorySet(n=1, T=8192, d=1, m=1), 50.0)
    """
    if int(n_realizations) < 1:
        raise ValidationError(f"n_realizations must be at least 1; got {n_realizations!r}.")
    rng = np.random.default_rng(random_state)
    dt = 1.0 / _FS_BOUC_WEN
    trajs = []
    for i in range(int(n_realizations)):
        u = random_phase_multisine(_BW_PERIOD, fs=_FS_BOUC_WEN, band=_BW_BAND, rms=_BW_RMS,
                                   random_state=rng)
        y = bouc_wen_periodic_response(u)
        trajs.append(Trajectory(t=dt * np.arange(u.shape[0]), x=y[:, None], u=u[:, None],
                                meta={"part": "estimation multisine", "realization": i}))
    return TrajectorySet(trajs)
