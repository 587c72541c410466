"""Moment matching and the bilinear motor plant."""

import numpy as np
import pytest

import lindy as ld
from lindy.control import bilinear_motor, moment_matching, moments
from lindy.errors import NumericalError, ValidationError


@pytest.mark.parametrize("discrete", [True, False])
@pytest.mark.parametrize(("m", "p", "r"), [(1, 1, 4), (2, 3, 6)])
def test_reduced_model_matches_the_first_moments(discrete, m, p, r):
    rng = np.random.default_rng(m + p)
    n = 12
    if discrete:
        A = ld.systems.random_lti(n, m, p, spectral_radius=0.9, random_state=3).A
        s0 = 1.0
    else:
        Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        A = Q @ np.diag(-rng.uniform(0.5, 3.0, n)) @ Q.T
        s0 = 0.0
    B, C = rng.standard_normal((n, m)), rng.standard_normal((p, n))
    red = moment_matching(A, B, C, state_dim=r, discrete=discrete)
    q = r // m
    assert red.state_dim == r and red.n_moments == q and red.expansion_point == s0
    full, mine = moments(A, B, C, q, s0), moments(red.A, red.B, red.C, q, s0)
    np.testing.assert_allclose(mine, full, rtol=1e-8, atol=1e-10 * np.abs(full).max())
    # the next moment is not matched in general: the reduction is a real approximation
    assert not np.allclose(moments(red.A, red.B, red.C, q + 1, s0)[-1], moments(A, B, C, q + 1, s0)[-1])
    np.testing.assert_allclose(red.V.T @ red.V, np.eye(r), atol=1e-12)


def test_dc_gain_of_a_discrete_system_is_kept():
    sys = ld.systems.random_lti(10, 1, 1, spectral_radius=0.95, random_state=1)
    red = moment_matching(sys.A, sys.B, sys.C, sys.D, state_dim=2)
    gain = sys.C @ np.linalg.solve(np.eye(10) - sys.A, sys.B) + sys.D
    gain_r = red.C @ np.linalg.solve(np.eye(2) - red.A, red.B) + red.D
    np.testing.assert_allclose(gain_r, gain, rtol=1e-10)


def test_errors_are_clear():
    A = np.diag([1.0, 0.5])
    with pytest.raises(NumericalError, match="eigenvalue of A"):
        moment_matching(A, np.ones((2, 1)), np.ones((1, 2)), state_dim=1)   # z0 = 1 is a pole
    with pytest.raises(ValidationError, match="state_dim"):
        moment_matching(np.diag([0.5, 0.2]), np.ones((2, 1)), np.ones((1, 2)))
    with pytest.raises(NumericalError, match="stops growing"):
        moment_matching(np.diag([0.5, 0.2]), np.array([[1.0], [0.0]]), np.ones((1, 2)), state_dim=2)


def test_bilinear_motor_matches_a_scipy_integration():
    from scipy.integrate import solve_ivp

    plant = bilinear_motor()
    x0, u = np.array([0.5, -10.0]), 0.7

    def f(t, x):
        return plant._field(x, u)

    ref = solve_ivp(f, (0.0, 0.01), x0, method="DOP853", rtol=1e-12, atol=1e-12).y[:, -1]
    np.testing.assert_allclose(plant(x0, [u]), ref, rtol=1e-6)  # RK4, 10 sub-steps
    with pytest.raises(ValidationError, match="bilinear motor"):
        plant(x0, [u, u])
