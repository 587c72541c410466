"""Lyapunov spectra: Lorenz-63 reference values, exact linear cases, maps."""

import numpy as np
import pytest

from lindy.analysis import lyapunov_spectrum, max_lyapunov_rosenstein
from lindy.errors import ValidationError
from lindy.systems import get_system, random_lti, simulate


@pytest.fixture(scope="module")
def lorenz_spectrum():
    lorenz = get_system("Lorenz")
    x0 = simulate(lorenz, n_steps=2, dt=20.0)[0].x[-1]  # a point on the attractor
    return lyapunov_spectrum(lorenz, x0=x0, tau=0.5, n_renorm=8000, n_transient=50)


def test_lorenz_maximum_exponent(lorenz_spectrum):
    assert abs(lorenz_spectrum[0] - 0.906) / 0.906 < 0.02


def test_lorenz_spectrum_sums_to_trace(lorenz_spectrum):
    trace = -(10.0 + 1.0 + 8.0 / 3.0)
    assert abs(lorenz_spectrum.sum() - trace) / abs(trace) < 0.01
    assert abs(lorenz_spectrum[1]) < 0.01


def test_finite_difference_tangent_agrees_with_jacobian():
    # a limit cycle, so both runs follow the same orbit: exponents 0 and negative
    vdp = get_system("VanDerPol")
    a = lyapunov_spectrum(vdp, tau=1.5, n_renorm=400, n_transient=20)
    b = lyapunov_spectrum(vdp, tau=1.5, n_renorm=400, n_transient=20, use_jacobian=False)
    np.testing.assert_allclose(a, b, atol=1e-4)
    assert abs(a[0]) < 5e-3 and a[1] < -0.5


def test_linear_map_exponents_are_log_abs_eigenvalues():
    eig = np.array([0.9, -0.6, 0.3, 0.1])
    system = random_lti(4, eigenvalues=eig, random_state=0).as_system()
    lam = lyapunov_spectrum(system, n_renorm=500, n_transient=200)
    np.testing.assert_allclose(lam, np.sort(np.log(np.abs(eig)))[::-1], atol=1e-10)


def test_linear_flow_exponents_are_real_parts():
    chain = get_system("OscillatorChain")
    lam = lyapunov_spectrum(chain, tau=1.0, n_renorm=3000, n_transient=50)
    expected = np.sort(np.real(chain.meta["eigenvalues"]))[::-1]
    np.testing.assert_allclose(lam, expected, atol=2e-3)


def test_henon_map_sum_is_log_det():
    lam = lyapunov_spectrum(get_system("Henon"), n_renorm=20000)
    assert abs(lam.sum() - np.log(0.3)) < 1e-10
    assert abs(lam[0] - 0.419) < 0.01


def test_rosenstein_on_henon():
    x = simulate(get_system("Henon"), n_steps=5000, transient=100)[0].x
    lam = max_lyapunov_rosenstein(x, 1.0, horizon=30, fit=(0, 8))
    assert abs(lam - 0.42) < 0.08


def test_bad_requests():
    with pytest.raises(ValidationError, match="exceeds the dimension"):
        lyapunov_spectrum(get_system("Henon"), n_exponents=3)
    with pytest.raises(ValidationError, match="QR method"):
        lyapunov_spectrum(get_system("MackeyGlass"))
    with pytest.raises(ValidationError, match="needs a lindy System"):
        lyapunov_spectrum("Lorenz")


def test_default_interval_resolves_strongly_contracting_flows():
    """The default renormalization interval is the stored, spread-limited one: at a
    quarter period BelousovZhabotinsky's spectrum summed to -2168 against a mean
    divergence of -5098."""
    system = get_system("BelousovZhabotinsky")
    assert system.meta["lyapunov_interval"] < 0.25 * system.meta["period"]
    divergence = system.meta["mean_divergence"]
    assert abs(lyapunov_spectrum(system).sum() / divergence - 1.0) < 0.05
    quarter = lyapunov_spectrum(system, tau=0.25 * system.meta["period"], n_renorm=500)
    assert abs(quarter.sum() / divergence - 1.0) > 0.3
