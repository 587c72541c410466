"""LQR gains against python-control (oracle: slycot/scipy Riccati solvers)."""

import numpy as np
import pytest

import control
import lindy as ld
from lindy.errors import NumericalError, ValidationError


def _system(seed, n=5, m=2):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) / np.sqrt(n) * 1.2  # often unstable, generically stabilizable
    B = rng.standard_normal((n, m))
    Q = np.diag(rng.uniform(0.5, 2.0, n))
    R = np.diag(rng.uniform(0.5, 2.0, m))
    N = 0.1 * rng.standard_normal((n, m))
    return A, B, Q, R, N


def _close(a, b, tol=1e-10):
    return np.max(np.abs(a - b)) <= tol * max(1.0, np.max(np.abs(b)))


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("cross", [False, True])
def test_dlqr_equals_python_control(seed, cross):
    A, B, Q, R, N = _system(seed)
    args = (A, B, Q, R, N) if cross else (A, B, Q, R)
    K, S, E = ld.control.dlqr(*args)
    Kc, Sc, Ec = control.dlqr(*args)
    assert _close(K, Kc) and _close(S, Sc)
    assert np.allclose(np.sort_complex(E), np.sort_complex(Ec), atol=1e-10)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("cross", [False, True])
def test_lqr_equals_python_control(seed, cross):
    A, B, Q, R, N = _system(seed)
    args = (A, B, Q, R, N) if cross else (A, B, Q, R)
    K, S, E = ld.control.lqr(*args)
    Kc, Sc, Ec = control.lqr(*args)
    assert _close(K, Kc) and _close(S, Sc)
    assert np.allclose(np.sort_complex(E), np.sort_complex(Ec), atol=1e-9)


def test_dlqr_accepts_learned_models():
    sys = ld.systems.random_lti(4, 1, 1, random_state=3)
    K1, _, _ = ld.control.dlqr(sys, None, np.eye(4), np.eye(1))
    rng = np.random.default_rng(0)
    u = rng.standard_normal((300, 1))
    x = np.zeros((300, 4))
    for k in range(299):
        x[k + 1] = sys.A @ x[k] + sys.B @ u[k]
    dmdc = ld.operators.DMDc().fit(x, u=u)
    K2, _, _ = ld.control.dlqr(dmdc.A_, dmdc.B_, Q=np.eye(4), R=np.eye(1))
    K3, _, _ = ld.control.dlqr(dmdc, None, Q=np.eye(4), R=np.eye(1))
    assert np.allclose(K1, K2, atol=1e-8) and np.allclose(K2, K3)


def test_unstabilizable_pair_is_named():
    A, B = np.diag([1.5, 0.5]), np.array([[0.0], [1.0]])
    with pytest.raises(NumericalError, match="not stabilizable.*1.5"):
        ld.control.dlqr(A, B, np.eye(2), np.eye(1))
    with pytest.raises(NumericalError, match="not stabilizable"):
        ld.control.lqr(np.diag([1.0, -1.0]), B, np.eye(2), np.eye(1))


def test_bad_weights():
    A, B = np.eye(2) * 0.5, np.ones((2, 1))
    with pytest.raises(ValidationError, match="positive semi-definite"):
        ld.control.dlqr(A, B, -np.eye(2), np.eye(1))
    with pytest.raises(ValidationError, match="positive definite"):
        ld.control.dlqr(A, B, np.eye(2), np.zeros((1, 1)))
    with pytest.raises(ValidationError, match="cross term"):
        ld.control.dlqr(A, B, np.eye(2), np.eye(1), N=10 * np.ones((2, 1)))
