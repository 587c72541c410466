"""Analytic Jacobians agree with central finite differences of the right-hand side."""

import numpy as np
import pytest

from lindy.systems import get_system, list_systems

WITH_JAC = [n for n in list_systems() if get_system(n).jac is not None]


def _fd_jacobian(system, x, t=0.3):
    p = system.param_array
    J = np.empty((system.dim, system.dim))
    for j in range(system.dim):
        e = 1e-6 * max(1.0, abs(x[j]))
        xp, xm = x.copy(), x.copy()
        xp[j] += e
        xm[j] -= e
        J[:, j] = (np.asarray(system.rhs(t, xp, p)) - np.asarray(system.rhs(t, xm, p))) / (2 * e)
    return J


def test_most_systems_have_analytic_jacobians():
    assert len(WITH_JAC) >= 100


@pytest.mark.parametrize("name", WITH_JAC)
def test_jacobian_matches_finite_differences(name):
    system = get_system(name)
    rng = np.random.default_rng(1)
    x = np.asarray(system.x0, dtype=float) * (1 + 0.01 * rng.standard_normal(system.dim))
    x = x + 0.01 * rng.standard_normal(system.dim)
    J = np.asarray(system.jac(0.3, x, system.param_array), dtype=float)
    assert J.shape == (system.dim, system.dim)
    Jfd = _fd_jacobian(system, x)
    scale = np.abs(Jfd).max() + 1e-12
    np.testing.assert_allclose(J, Jfd, rtol=1e-5, atol=1e-6 * scale, err_msg=name)


def test_map_jacobian_compiled_matches_finite_differences():
    from lindy.systems.integrators import compiled_jac

    henon = get_system("Henon")
    x = np.array([0.3, -0.2])
    J = compiled_jac(henon.jac)(0.0, x, henon.param_array)
    np.testing.assert_allclose(J, _fd_jacobian(henon, x, t=0.0), rtol=1e-7, atol=1e-9)
