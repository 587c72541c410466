"""Lyapunov exponents of delay equations: exact linear roots, and chaotic delay
equations against an independent estimate (two nearby trajectories of a separate
RK4 method-of-steps integrator, the whole history segment perturbed and
renormalized every tau, averaged over 1e5 time units)."""

import numpy as np
import pytest
from scipy.special import lambertw

from lindy.analysis import delay_lyapunov_spectrum
from lindy.errors import ValidationError
from lindy.systems import System, get_system


def _linear_rhs(t, s, p):
    return np.array([-p[0] * s[0] + p[1] * s[1]])


def test_linear_delay_equation_exponents_are_real_parts_of_the_roots():
    # x' = -a x + b x(t - tau): roots of z + a - b exp(-z tau) = 0 are
    # -a + W_k(b tau exp(a tau)) / tau; the branches +-1 are a complex pair
    a, b, tau = 1.0, 0.5, 1.0
    system = System("LinearDelay", 1, {"a": a, "b": b, "tau": tau}, np.array([1.0]), 0.01,
                    _linear_rhs, kind="delay")
    roots = [(-a + lambertw(b * tau * np.exp(a * tau), k) / tau).real for k in (0, 1, -1)]
    lam = delay_lyapunov_spectrum(system, 3, t_average=200.0, t_transient=20.0)
    np.testing.assert_allclose(lam, roots, atol=2e-3)


def test_ikeda_delay_against_independent_estimate():
    # independent two-trajectory estimate: 0.4504 +- 0.0007 (dysts lists 0.448);
    # lindy's stored value from Rosenstein's method was 0.00048
    lam = delay_lyapunov_spectrum(get_system("IkedaDelay"), t_average=4000.0)
    assert abs(lam[0] - 0.450) < 0.02


def test_mackey_glass_chaotic_at_tau_17_periodic_at_16():
    # tau = 17: independent estimate 0.00513 +- 0.0001; the second exponent is the
    # zero exponent of the flow along the trajectory
    mg = get_system("MackeyGlass")
    lam = delay_lyapunov_spectrum(mg.with_params(tau=17.0), 2, t_average=1e5)
    assert abs(lam[0] - 0.0051) < 0.0006
    assert abs(lam[1]) < 5e-4
    # the registered tau = 16 lies below the onset of chaos (about 16.8): a limit cycle
    assert abs(delay_lyapunov_spectrum(mg, t_average=5e4)[0]) < 3e-4


def test_bad_requests():
    with pytest.raises(ValidationError, match="kind 'delay'"):
        delay_lyapunov_spectrum(get_system("Lorenz"))
    with pytest.raises(ValidationError, match="raise m"):
        delay_lyapunov_spectrum(get_system("IkedaDelay"), 50, m=10)
    with pytest.raises(ValidationError, match="positive time"):
        delay_lyapunov_spectrum(get_system("IkedaDelay"), interval=0.0)
