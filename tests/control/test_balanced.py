"""Balanced truncation against python-control / slycot (hsvd, balred; SLICOT AB09AD)."""

import numpy as np
import pytest
import slycot

import control
import lindy as ld
from lindy.errors import ValidationError


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("discrete", [False, True])
def test_hankel_singular_values_equal_slycot(seed, discrete):
    np.random.seed(seed)  # python-control's rss/drss draw from the global generator
    sys = control.drss(8, 2, 3) if discrete else control.rss(8, 2, 3)
    hsv = ld.control.hankel_singular_values(sys.A, sys.B, sys.C, discrete=discrete)
    if discrete:  # python-control's hsvd is continuous-only; call SLICOT's AB09AD directly
        ref = slycot.ab09ad("D", "B", "N", 8, 3, 2, sys.A.copy(), sys.B.copy(), sys.C.copy(), nr=4)[4]
    else:
        ref = control.hsvd(sys)
    assert np.max(np.abs(hsv - ref)) <= 1e-8 * max(1.0, ref[0])
    red = ld.control.balanced_truncation(sys.A, sys.B, sys.C, sys.D, state_dim=4, discrete=discrete)
    assert np.max(np.abs(red.hankel_singular_values - ref)) <= 1e-8 * max(1.0, ref[0])


@pytest.mark.parametrize("discrete", [False, True])
def test_reduced_system_matches_balred(discrete):
    np.random.seed(7)
    sys = control.drss(10, 2, 2) if discrete else control.rss(10, 2, 2)
    red = ld.control.balanced_truncation(sys.A, sys.B, sys.C, sys.D, state_dim=5, discrete=discrete)
    if discrete:  # python-control's balred is continuous-only; SLICOT's AB09AD directly
        nr, Ar, Br, Cr, _ = slycot.ab09ad("D", "B", "N", 10, 2, 2, sys.A.copy(), sys.B.copy(),
                                          sys.C.copy(), nr=5)
        ref = control.ss(Ar, Br, Cr, sys.D, True)
    else:
        ref = control.balred(sys, 5, method="truncate")
    # realizations differ by a signed permutation; the transfer functions agree
    ours = control.ss(red.A, red.B, red.C, red.D, True if discrete else 0)
    w = np.linspace(0.01, 3.0, 30)
    assert np.allclose(ours(np.exp(1j * w) if discrete else 1j * w),
                       ref(np.exp(1j * w) if discrete else 1j * w), atol=1e-8)
    if not discrete:  # truncating a balanced continuous system keeps it balanced
        Wc = control.gram(ours, "c")
        assert np.allclose(Wc, np.diag(red.hankel_singular_values[:5]), atol=1e-8)
    # the H-infinity error is below the bound
    err = ours - sys
    z = np.exp(1j * w) if discrete else 1j * w
    assert np.max(np.abs(err(z))) <= red.error_bound + 1e-12
    assert "H-infinity error bound" in red.report()


def test_unstable_system_is_rejected():
    with pytest.raises(ValidationError, match="stable system"):
        ld.control.balanced_truncation(np.diag([1.2, 0.5]), np.ones((2, 1)), np.ones((1, 2)), state_dim=1)
