"""Hyperparameter constraints declared as data (lindy._constraints)."""

import numpy as np
import pytest

from lindy._constraints import BOOL, CALLABLE, RANDOM_STATE, InstanceOf, Interval, Options, check_params
from lindy.errors import ValidationError


@pytest.mark.parametrize(("c", "good", "bad"), [
    (Interval(int, 1, None), [1, 7, np.int64(3)], [0, 1.5, True, "2", None, np.nan]),
    (Interval(float, 0, 1, closed="neither"), [0.5, 1e-9], [0.0, 1.0, np.inf, "x"]),
    (Interval(float, 0, None), [0, 0.0, 3, 1e300], [-1e-12, np.nan]),
    (Options("svd", "gram"), ["svd", "gram"], ["SVD", 1, None]),
    (InstanceOf((str,), "a string"), ["a"], [1]),
    (BOOL, [True, False, np.bool_(True)], [0, 1, "yes"]),
    (RANDOM_STATE, [None, 0, 12, np.random.default_rng(0)], [-1, 1.5, "0", True]),
    (CALLABLE, [len, lambda v: v], [1, "f"]),
])
def test_each_constraint_accepts_and_rejects(c, good, bad):
    for v in good:
        check_params("Demo", {"p": v}, {"p": [c]})
    for v in bad:
        with pytest.raises(ValidationError, match=r"^Demo: parameter 'p' must be "):
            check_params("Demo", {"p": v}, {"p": [c]})


def test_message_lists_every_alternative_and_the_value():
    cons = {"rank": [None, Interval(int, 1, None), Interval(float, 0, 1, closed="neither")]}
    with pytest.raises(ValidationError) as err:
        check_params("DMD", {"rank": -2}, cons)
    assert str(err.value) == ("DMD: parameter 'rank' must be None, an int in [1, inf) or a float "
                              "in (0, 1); got -2.")
    check_params("DMD", {"rank": None}, cons)
    check_params("DMD", {"other": object()}, cons)  # undeclared names are not checked here
