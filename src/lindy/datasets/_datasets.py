"""Loaders for real benchmark data shipped with lindy (no download, ever).

Each loader returns a :class:`Dataset` whose ``train``/``test`` parts are
:class:`~lindy.data.TrajectorySet` objects with inputs ``u`` where the system is
driven. Sources, checksums and licence notes are in ``data/README.md`` beside
this module; cite the original authors when you use the data.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from ..data import Trajectory, TrajectorySet
from ..errors import ValidationError

__all__ = ["Dataset", "load_silverbox", "load_cascaded_tanks", "load_bouc_wen", "load_ecg",
           "read_wfdb_212"]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A real benchmark data set with its standard split.

    Attributes
    ----------
    name : str
    train, test : TrajectorySet
        Standard estimation and validation parts (``test`` may hold several
        records, e.g. Silverbox's arrow and multisine tests).
    dt : float
        Sampling interval in seconds.
    description, citation : str
    meta : dict
    """

    name: str
    train: TrajectorySet | None
    test: TrajectorySet
    dt: float
    description: str
    citation: str
    meta: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, train={self.train}, test={self.test}, dt={self.dt:g})"


def _path(*parts: str):
    return resources.files("lindy.datasets").joinpath("data", *parts)


def _read_csv(*parts: str) -> tuple[list[str], list[list[str]]]:
    with _path(*parts).open("r", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    return rows[0], rows[1:]


def _io_traj(u: np.ndarray, y: np.ndarray, dt: float, **meta) -> Trajectory:
    t = dt * np.arange(y.shape[0])
    return Trajectory(t=t, x=y.reshape(-1, 1), u=u.reshape(-1, 1), meta=meta)


def load_silverbox() -> Dataset:
    """The Silverbox electronic Duffing oscillator (Wigren and Schoukens 2013).

    Input ``u`` is the excitation voltage V1, output ``x`` the measured voltage V2,
    sampled at 610.35 Hz. Standard split (as in the ``nonlinear_benchmarks``
    package): the first 75 % of the multisine part (samples 40650:127400) trains;
    the test set holds the rest of the multisine and the "arrow" (samples
    100:40575, whose end needs extrapolation in amplitude).

    Examples
    --------
    >>> ds = load_silverbox()
    >>> ds.train[0].n_steps, [tr.meta["part"] for tr in ds.test]
    (65062, ['arrow', 'multisine'])
    """
    _, rows = _read_csv("silverbox", "SNLS80mV.csv")
    data = np.array([[float(r[0]), float(r[1])] for r in rows])
    u, y = data[:, 0], data[:, 1]
    dt = 1.0 / 610.35
    ms = slice(40650, 127400)
    cut = 40650 + int(0.75 * (127400 - 40650))
    train = TrajectorySet([_io_traj(u[40650:cut], y[40650:cut], dt, part="multisine")])
    test = TrajectorySet([_io_traj(u[100:40575], y[100:40575], dt, part="arrow"),
                          _io_traj(u[cut:ms.stop], y[cut:ms.stop], dt, part="multisine")])
    return Dataset("silverbox", train, test, dt,
                   "Electronic circuit behaving like a Duffing oscillator (2nd-order LTI "
                   "with cubic feedback); measured input and output voltages.",
                   "T. Wigren and J. Schoukens, Three free data sets for development and "
                   "benchmarking in nonlinear system identification, ECC 2013.",
                   {"n_samples": data.shape[0]})


def load_cascaded_tanks() -> Dataset:
    """The cascaded water tanks with overflow (Schoukens et al. 2016).

    Input: pump voltage; output: water level of the lower tank (V); Ts = 4 s;
    1024 samples for estimation (``train``) and for validation (``test``).

    Examples
    --------
    >>> ds = load_cascaded_tanks()
    >>> ds.dt, ds.train[0].n_steps, ds.test[0].n_steps
    (4.0, 1024, 1024)
    """
    header, rows = _read_csv("cascaded_tanks", "dataBenchmark.csv")
    cols = {name: i for i, name in enumerate(header) if name}
    arr = {name: np.array([float(r[i]) for r in rows]) for name, i in cols.items() if name != "Ts"}
    dt = float(rows[0][cols["Ts"]])
    return Dataset("cascaded_tanks",
                   TrajectorySet([_io_traj(arr["uEst"], arr["yEst"], dt, part="estimation")]),
                   TrajectorySet([_io_traj(arr["uVal"], arr["yVal"], dt, part="validation")]),
                   dt,
                   "Two cascaded water tanks fed by a pump: soft nonlinearity and hard "
                   "saturation (overflow); measured.",
                   "M. Schoukens, P. Mattsson, T. Wigren, J.-P. Noel, Cascaded tanks "
                   "benchmark combining soft and hard nonlinearities, 2016.")


def load_bouc_wen() -> Dataset:
    """The Bouc-Wen hysteresis benchmark validation signals (Noel and Schoukens 2016).

    Simulated (not measured) input force (N) and displacement (m) at 750 Hz: a
    multisine (8192 samples) and a sine sweep (153000 samples). Only validation
    signals ship (the benchmark generates training data with its own simulator), so
    ``train`` is None; simulate training data with ``lindy.systems``.

    Examples
    --------
    >>> ds = load_bouc_wen()
    >>> [tr.n_steps for tr in ds.test]
    [8192, 153000]
    """
    from scipy.io import loadmat

    trajs = []
    for part in ("multisine", "sinesweep"):
        arrays = []
        for kind in ("u", "y"):
            name = f"{kind}val_{part}"
            with _path("bouc_wen", f"{name}.mat").open("rb") as fh:
                arrays.append(np.asarray(loadmat(fh)[name], dtype=float).ravel())
        trajs.append(_io_traj(arrays[0], arrays[1], 1.0 / 750.0, part=part))
    return Dataset("bouc_wen", None, TrajectorySet(trajs), 1.0 / 750.0,
                   "Single-degree-of-freedom oscillator with Bouc-Wen hysteresis; simulated "
                   "validation signals of the benchmark.",
                   "J.-P. Noel and M. Schoukens, Hysteretic benchmark with a dynamic "
                   "nonlinearity, Workshop on Nonlinear System Identification Benchmarks, 2016.")


def read_wfdb_212(raw: bytes, n_signals: int = 2) -> np.ndarray:
    """Decode WFDB format 212 (two 12-bit two's-complement samples in 3 bytes).

    Parameters
    ----------
    raw : bytes
        The ``.dat`` file contents.
    n_signals : int
        Interleaved signals.

    Returns
    -------
    ndarray of int, shape (n_samples, n_signals)

    Examples
    --------
    >>> read_wfdb_212(bytes([0xFF, 0x0F, 0x01]), 2).tolist()
    [[-1, 1]]
    """
    b = np.frombuffer(raw, dtype=np.uint8)
    if b.size % 3:
        raise ValidationError(f"format 212 needs a multiple of 3 bytes; got {b.size}.")
    b = b.reshape(-1, 3).astype(np.int32)
    s1 = b[:, 0] + ((b[:, 1] & 0x0F) << 8)
    s2 = b[:, 2] + ((b[:, 1] >> 4) << 8)
    out = np.stack([s1, s2], axis=1).ravel()
    out = np.where(out >= 2048, out - 4096, out)
    n = out.size // n_signals * n_signals
    return out[:n].reshape(-1, n_signals)


def load_ecg() -> Dataset:
    """MIT-BIH Arrhythmia Database record 100: 30 min of two-lead ECG at 360 Hz.

    Leads MLII and V5 in millivolts (gain 200 adu/mV, baseline 1024). The whole
    record is ``test``; beat annotations are not decoded. Licence: ODC-By 1.0;
    cite Moody and Mark (2001) and Goldberger et al. (2000).

    Examples
    --------
    >>> ds = load_ecg()
    >>> ds.test[0].x.shape, ds.dt == 1 / 360
    ((650000, 2), True)
    """
    header = [line for line in _path("mitbih_100", "100.hea").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    specs = [line.split() for line in header[1:3]]
    gains = np.array([float(s[2]) for s in specs])
    zeros = np.array([float(s[4]) for s in specs])
    adu = read_wfdb_212(_path("mitbih_100", "100.dat").read_bytes(), 2)
    mv = (adu - zeros) / gains
    dt = 1.0 / float(header[0].split()[2])
    traj = Trajectory(t=dt * np.arange(mv.shape[0]), x=mv,
                      meta={"leads": [s[-1] for s in specs], "record": "100",
                            "initial_values": [int(s[5]) for s in specs],
                            "checksums": [int(s[6]) for s in specs], "adu": adu})
    return Dataset("ecg_mitbih_100", None, TrajectorySet([traj]), dt,
                   "MIT-BIH Arrhythmia Database record 100 (two-lead ambulatory ECG).",
                   "G. B. Moody and R. G. Mark, The impact of the MIT-BIH Arrhythmia "
                   "Database, IEEE EMB Magazine 20(3), 2001; Goldberger et al., PhysioBank, "
                   "PhysioToolkit and PhysioNet, Circulation 101(23), 2000.")
