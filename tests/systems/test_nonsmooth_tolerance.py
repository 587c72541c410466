"""StickSlipOscillator: a sign-friction flow whose orbits cross and slide along v = vs.

At simulate's tight default tolerances (rtol 1e-10) the adaptive step collapsed at
the switching surface (local error ~ jump x step), so one zeroshot2025 job took
minutes (past the benchmark's 120 s timeout) and then failed at RODAS4's step cap.
The system's recorded tolerance (meta["period_rtol"]) is now simulate's default.
"""

import numpy as np

from lindy.bench import make_data
from lindy.systems import get_system, simulate

# a state on the attractor just below the switching surface v = vs = 0.4
X0 = [0.958261017, 0.394340316, 239.106230]


def test_default_tolerance_is_the_recorded_one_for_a_nonsmooth_flow():
    system = get_system("StickSlipOscillator")
    assert system.meta["period_rtol"] == 1e-6
    default = simulate(system, n_steps=61, x0=X0, pts_per_period=30)[0].x
    explicit = simulate(system, n_steps=61, x0=X0, pts_per_period=30, rtol=1e-6, atol=1e-8)[0].x
    np.testing.assert_array_equal(default, explicit)
    # the orbit crosses the switching surface; tight-tolerance DOP853 agrees over two periods
    assert default[:, 1].max() > system.params["vs"] > default[:, 1].min()
    tight = simulate(system, n_steps=61, x0=X0, pts_per_period=30, rtol=1e-9, atol=1e-11,
                     integrator="dop853")[0].x
    np.testing.assert_allclose(default, tight, atol=1e-4)


def test_smooth_flows_keep_the_tight_default():
    lorenz = get_system("Lorenz")
    a = simulate(lorenz, n_steps=50)[0].x
    np.testing.assert_array_equal(a, simulate(lorenz, n_steps=50, rtol=1e-10, atol=1e-12)[0].x)


def test_zeroshot2025_data_of_stickslip_are_made():
    # the whole job (two 2048-sample training trajectories, a test one, attractor
    # sampling) failed after ~290 s before; it now takes well under a second
    d = make_data("StickSlipOscillator", {"name": "zeroshot2025"}, 0)
    assert [tr.x.shape for tr in d.train] == [(2048, 3), (2048, 3)]
    assert d.truth.shape == (300, 3) and np.isfinite(d.truth).all()
    assert all(np.isfinite(tr.x).all() for tr in d.train)
