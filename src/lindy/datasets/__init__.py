"""Real benchmark data shipped with lindy: Silverbox, cascaded tanks, Bouc-Wen, ECG.

Examples
--------
>>> import lindy as ld
>>> ld.datasets.load_cascaded_tanks().train
TrajectorySet(n=1, T=1024, d=1, m=1)
"""

from ._datasets import Dataset, load_bouc_wen, load_cascaded_tanks, load_ecg, load_silverbox, read_wfdb_212

__all__ = ["Dataset", "load_silverbox", "load_cascaded_tanks", "load_bouc_wen", "load_ecg",
           "read_wfdb_212"]
