"""save / lindy.load: portable files, no pickle, clear refusals."""

import json
import zipfile

import numpy as np
import pytest

import lindy as ld
from lindy.errors import FileFormatError, ValidationError


def _fitted():
    x = np.sin(0.3 * np.arange(200))[:, None]
    return ld.baselines.LinearAR(n_lags=3).fit(x), x


def test_round_trip_gives_identical_forecasts_and_no_pickle(tmp_path):
    model, x = _fitted()
    path = tmp_path / "ar.lindy"
    model.save(path)
    again = ld.load(path)
    assert type(again) is ld.baselines.LinearAR and again.get_params() == model.get_params()
    np.testing.assert_array_equal(again.forecast(x[:40], 25).x, model.forecast(x[:40], 25).x)
    with np.load(path, allow_pickle=False) as npz:  # readable without pickle
        header = json.loads(bytes(npz["__lindy__"]).decode())
    assert header["class"] == "lindy.baselines._baselines:LinearAR"
    assert header["lindy"] == ld.__version__
    assert header["state"]["n_lags"] == 3


def test_unfitted_models_round_trip(tmp_path):
    ld.baselines.LinearAR(n_lags=4, alpha=0.5).save(tmp_path / "m")
    again = ld.load(tmp_path / "m")
    assert again.get_params() == {"n_lags": 4, "alpha": 0.5}
    assert not hasattr(again, "coef_")


def _rewrite_header(path, edit):
    with np.load(path, allow_pickle=False) as npz:
        entries = {k: npz[k] for k in npz.files}
    header = json.loads(bytes(entries["__lindy__"]).decode())
    edit(header)
    entries["__lindy__"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    np.savez(path, **entries)


def test_incompatible_version_is_refused_with_a_clear_error(tmp_path):
    model, _ = _fitted()
    path = tmp_path / "m.npz"
    model.save(path)
    _rewrite_header(path, lambda h: h.update(lindy="0.9.0"))
    with pytest.raises(FileFormatError, match=r"saved by lindy 0\.9\.0.*this is lindy"):
        ld.load(path)


def test_only_lindy_classes_are_rebuilt(tmp_path):
    model, _ = _fitted()
    path = tmp_path / "m.npz"
    model.save(path)
    _rewrite_header(path, lambda h: h.update({"class": "os:system"}))
    with pytest.raises(FileFormatError, match="not part of lindy"):
        ld.load(path)


def test_damaged_or_foreign_files_are_refused(tmp_path):
    junk = tmp_path / "junk.lindy"
    junk.write_bytes(b"not a zip file at all")
    with pytest.raises(FileFormatError, match="not a readable lindy model file"):
        ld.load(junk)
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    with pytest.raises(FileFormatError, match="not a lindy model file"):
        ld.load(other)
    with zipfile.ZipFile(tmp_path / "empty.zip", "w"):
        pass
    with pytest.raises(FileFormatError):
        ld.load(tmp_path / "empty.zip")


def test_a_user_function_cannot_be_saved(tmp_path):
    x = np.random.default_rng(0).standard_normal((50, 2))
    model = ld.operators.EDMD(dictionary=lambda X: np.hstack([X, X ** 2])).fit(x)
    with pytest.raises(ValidationError, match="lindy files store no code"):
        model.save(tmp_path / "f.lindy")
    assert not (tmp_path / "f.lindy").exists()
