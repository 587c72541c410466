import hashlib
from importlib import resources

import numpy as np
import pytest

import lindy as ld
from lindy.datasets import read_wfdb_212

# SHA-256 prefixes recorded in the data README (shared/data provenance)
_SHA = {
    ("silverbox", "SNLS80mV.csv"): "ae62d5a91230c10f",
    ("cascaded_tanks", "dataBenchmark.csv"): "ef2388ed822f3aef",
    ("bouc_wen", "uval_multisine.mat"): "3eb9abc0",
    ("mitbih_100", "100.dat"): "b2ea3c25",
}


@pytest.mark.parametrize("parts, prefix", sorted(_SHA.items()))
def test_shipped_files_are_byte_identical(parts, prefix):
    data = resources.files("lindy.datasets").joinpath("data", *parts).read_bytes()
    assert hashlib.sha256(data).hexdigest().startswith(prefix)


def test_ecg_matches_header_initial_values_and_checksums():
    ds = ld.datasets.load_ecg()
    tr = ds.test[0]
    adu = tr.meta["adu"]
    assert adu[0].tolist() == tr.meta["initial_values"]
    # WFDB checksum: 16-bit signed sum of the samples
    sums = [((int(adu[:, j].sum()) + 2**15) % 2**16) - 2**15 for j in range(2)]
    assert sums == tr.meta["checksums"]
    assert tr.meta["leads"] == ["MLII", "V5"]
    assert -5 < tr.x.min() and tr.x.max() < 5  # millivolts


def test_wfdb_212_rejects_bad_length():
    with pytest.raises(ld.errors.ValidationError):
        read_wfdb_212(b"\x00\x01")


def test_silverbox_split_and_inputs():
    ds = ld.datasets.load_silverbox()
    assert ds.train.input_dim == 1 and ds.train.dim == 1
    assert ds.dt == pytest.approx(1 / 610.35)
    assert ds.test[0].n_steps == 40475 and ds.meta["n_samples"] == 131072
    # the arrow's amplitude grows beyond the training range (extrapolation)
    assert np.abs(ds.test[0].x).max() > np.abs(ds.train[0].x).max()


def test_cascaded_tanks_and_bouc_wen():
    ct = ld.datasets.load_cascaded_tanks()
    assert ct.dt == 4.0 and ct.train.lengths == [1024]
    assert 0 < ct.train[0].u.min() and ct.train[0].x.max() < 11
    bw = ld.datasets.load_bouc_wen()
    assert bw.train is None and bw.test.lengths == [8192, 153000]
    assert np.isfinite(bw.test[1].x).all()


def test_a_linear_model_beats_persistence_on_cascaded_tanks_one_step():
    ct = ld.datasets.load_cascaded_tanks()
    ar = ld.baselines.LinearAR(n_lags=2).fit(ct.train[0].x)
    y = ct.test[0].x
    err_ar = np.nanmean((ar.predict(y)[:-1] - y[1:]) ** 2)
    err_p = np.mean((y[:-1] - y[1:]) ** 2)
    assert err_ar < err_p
