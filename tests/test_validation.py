import numpy as np
import pytest

from lindy._validation import (
    check_array,
    check_nonnegative_float,
    check_positive_int,
    check_psd,
    check_rng,
    check_times,
)
from lindy.errors import ShapeError, ValidationError


def test_check_array_copies_and_converts():
    x = np.ones((3, 2), dtype=np.float32)
    out = check_array(x)
    assert out.dtype == np.float64 and out is not x
    out[0, 0] = 5
    assert x[0, 0] == 1


@pytest.mark.parametrize("bad, match", [
    (np.array([[1.0, np.nan]]), "NaN"),
    (np.array([[1.0, np.inf]]), "infinite"),
    (np.zeros((2, 2, 2)), "2-D"),
    ([["a", "b"]], "could not be converted"),
    (None, "None"),
])
def test_check_array_rejects(bad, match):
    with pytest.raises(ValidationError, match=match):
        check_array(bad)


def test_check_array_length_and_columns():
    with pytest.raises(ValidationError, match="too short"):
        check_array(np.zeros((2, 1)), min_rows=3)
    with pytest.raises(ShapeError, match="3 columns"):
        check_array(np.zeros((2, 1)), n_cols=3)
    assert np.isnan(check_array([[np.nan]], allow_nan=True)).all()


def test_check_times():
    with pytest.raises(ValidationError, match="strictly increasing"):
        check_times([0.0, 2.0, 1.0], 3)
    with pytest.raises(ShapeError, match="one time per row"):
        check_times([0.0, 1.0], 3)


def test_scalars_and_rng():
    assert check_positive_int(2, "n") == 2
    for bad in (0, 1.5, True, "3"):
        with pytest.raises(ValidationError):
            check_positive_int(bad, "n")
    with pytest.raises(ValidationError):
        check_nonnegative_float(-1.0, "noise")
    with pytest.raises(ValidationError):
        check_rng("seed")
    g = np.random.default_rng(1)
    assert check_rng(g) is g


def test_check_psd():
    with pytest.raises(ValidationError, match="symmetric"):
        check_psd([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(ValidationError, match="positive semi-definite"):
        check_psd([[1.0, 0.0], [0.0, -1.0]])
    with pytest.raises(ValidationError, match="positive definite"):
        check_psd([[1.0, 1.0], [1.0, 1.0]], strict=True)
    with pytest.raises(ShapeError):
        check_psd(np.eye(2), n=3)
