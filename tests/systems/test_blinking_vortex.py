"""BlinkingVortexMap: Aref's (1984) blinking vortex, checked against the physics.

A point vortex of circulation gamma at (+b, 0), then one at (-b, 0), each on for
period / 2, inside a circular container of radius a (image vortex -gamma at
a^2 / v). One iteration of the map is one full period.
"""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lindy.analysis import lyapunov_spectrum
from lindy.systems import get_system, list_systems


@pytest.fixture(scope="module")
def system():
    return get_system("BlinkingVortexMap")


def _disc_points(n, radius, seed, avoid=0.05, b=0.5):
    """Random points in the disc |z| < radius, at least ``avoid`` from both vortices."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n:
        z = complex(*rng.uniform(-radius, radius, 2))
        if abs(z) < radius and min(abs(z - b), abs(z + b)) > avoid:
            out.append(z)
    return out


def _step(system, z):
    x = system(np.array([z.real, z.imag]))
    return complex(x[0], x[1])


def test_registered_with_the_dysts_defaults(system):
    assert "BlinkingVortexMap" in list_systems(kind="map", dim=2)
    assert system.params == {"a": 1.0, "b": 0.5, "gamma": 1.0, "period": 3.0}
    # dysts' initial condition (r, theta) = (0.17, 0.33), in Cartesian coordinates
    np.testing.assert_allclose(system.x0, [0.17 * np.cos(0.33), 0.17 * np.sin(0.33)],
                               atol=1e-8)
    assert "Aref" in system.meta["citation"] and system.meta.get("hamiltonian")
    mu = system.params["gamma"] * system.params["period"] / (2 * np.pi * system.params["a"] ** 2)
    assert 0.45 < mu < 0.5


def test_far_wall_limit_is_two_point_vortex_rotations(system):
    """With the wall far away (a -> oo) the image vanishes: each half period rotates the
    tracer about the active vortex by gamma (period / 2) / (2 pi r^2)."""
    gamma, period, b = 0.7, 2.5, 0.4
    far = system.with_params(a=1e6, b=b, gamma=gamma, period=period)
    for z in _disc_points(50, 1.5, seed=0, avoid=0.1, b=b):
        w = z
        for v in (b, -b):
            w = v + (w - v) * np.exp(1j * gamma * (period / 2) / (2 * np.pi * abs(w - v) ** 2))
        assert abs(_step(far, z) - w) < 1e-10


def _velocity(t, s, v, c, gamma):
    # complex velocity u - i v = gamma / (2 pi i) (1 / (z - v) - 1 / (z - c))
    z = complex(s[0], s[1])
    w = gamma / (2j * np.pi) * (1.0 / (z - v) - 1.0 / (z - c))
    return [w.real, -w.imag]


@pytest.mark.parametrize("params", [{}, {"a": 1.5, "b": 0.9, "gamma": -2.0, "period": 1.0}])
def test_matches_integrating_the_vortex_and_image_velocity_field(system, params):
    """The closed form (streamline circles + Kepler's equation) equals a DOP853
    integration of the point vortex plus its image in the wall."""
    s = system.with_params(**params)
    a, b, gamma, period = (s.params[k] for k in ("a", "b", "gamma", "period"))
    for z in _disc_points(6, 0.95 * a, seed=1, avoid=0.15, b=b):
        w = np.array([z.real, z.imag])
        for v in (b, -b):
            sol = solve_ivp(_velocity, (0.0, period / 2), w, method="DOP853", rtol=1e-12,
                            atol=1e-13, args=(v, a * a / v, gamma))
            w = sol.y[:, -1]
        np.testing.assert_allclose(s(np.array([z.real, z.imag])), w, atol=1e-9)


def test_the_wall_is_a_streamline(system):
    a = system.params["a"]
    for th in np.linspace(-np.pi, np.pi, 13):
        z = a * np.exp(1j * th)
        assert abs(abs(_step(system, z)) - a) < 1e-12
    for z in _disc_points(200, 0.999 * a, seed=2):
        assert abs(_step(system, z)) < a


def test_area_preserving(system):
    """Incompressible flow: |det J| = 1 (the analytic Jacobian, and finite differences
    of the map itself); the analytic Jacobian equals finite differences."""
    p = system.param_array
    h = 1e-5
    for z in _disc_points(100, 0.95, seed=3, avoid=0.1):
        x = np.array([z.real, z.imag])
        J = system.jac(0.0, x, p)
        Jfd = np.empty((2, 2))
        for j in range(2):
            e = np.zeros(2)
            e[j] = h
            Jfd[:, j] = (8 * (system(x + e) - system(x - e))
                         - (system(x + 2 * e) - system(x - 2 * e))) / (12 * h)
        scale = max(1.0, np.abs(J).max() ** 2)
        assert abs(np.linalg.det(J) - 1.0) < 1e-9 * scale
        assert abs(np.linalg.det(Jfd) - 1.0) < 1e-5 * scale
        np.testing.assert_allclose(J, Jfd, rtol=1e-5, atol=1e-7 * np.abs(J).max())


def test_reversing_the_stirring_undoes_it(system):
    """Vortices in the opposite order with opposite circulation invert the map."""
    back = system.with_params(b=-system.params["b"], gamma=-system.params["gamma"])
    for z in _disc_points(50, 0.95, seed=4, avoid=0.2):
        assert abs(_step(back, _step(system, z)) - z) < 1e-10


def test_regular_at_small_mu(system):
    """mu = 0.05: a tracer near a vortex goes round it on a closed curve."""
    slow = system.with_params(period=2 * np.pi * 0.05 * system.params["a"] ** 2)
    z = complex(0.6, 0.0)
    orbit = [z]
    for _ in range(3000):
        z = _step(slow, z)
        orbit.append(z)
    rel = np.array(orbit) - 0.5
    assert np.abs(rel).min() > 0.09 and np.abs(rel).max() < 0.14  # near the vortex
    order = np.argsort(np.angle(rel))
    angle, radius = np.angle(rel)[order], np.abs(rel)[order]
    assert np.diff(angle).max() < 0.05  # all the way round it,
    assert np.abs(np.diff(radius)).max() < 2e-3  # on one curve r(angle)
    lam = lyapunov_spectrum(slow, x0=[0.6, 0.0], n_renorm=5000, n_transient=0)
    assert lam[0] < 0.005


def test_chaotic_mixing_at_the_defaults(system):
    """Default parameters (mu = 0.48): a small blob of tracers spreads over the
    chaotic sea; positive Lyapunov exponent, exponents summing to zero."""
    rng = np.random.default_rng(5)
    blob = system.x0 + 1e-4 * rng.standard_normal((100, 2))
    for _ in range(40):
        blob = np.array([system(x) for x in blob])
    assert np.isfinite(blob).all() and (np.hypot(*blob.T) < 1).all()
    assert blob.std(axis=0).min() > 0.1
    lam = lyapunov_spectrum(system, n_renorm=5000, n_transient=100)
    assert lam[0] > 0.5
    assert abs(lam.sum()) < 1e-9
    lam_fd = lyapunov_spectrum(system, n_renorm=5000, n_transient=100, use_jacobian=False)
    assert abs(lam_fd[0] - lam[0]) < 1e-3 and abs(lam_fd.sum()) < 0.02
