"""LQG: Kalman gain against python-control's dlqe, the filter against lindy.ssm.kalman_filter,
integral action removing a constant disturbance on a learned model."""

import numpy as np
import pytest

import control
import lindy as ld
from lindy.ssm import LGSSMParams, kalman_filter


@pytest.mark.parametrize("seed", range(3))
def test_kalman_gain_equals_dlqe(seed):
    sys = ld.systems.random_lti(5, 2, 2, spectral_radius=1.05, random_state=seed)
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((5, 5))
    W, V = M @ M.T / 5 + 0.1 * np.eye(5), np.diag([0.5, 2.0])
    L, P = ld.control.kalman_gain(sys.A, sys.C, W, V)
    Lc, Pc, _ = control.dlqe(sys.A, np.eye(5), sys.C, W, V)
    # dlqe returns the predictor-form gain A L (x+ = A x + B u + A L (y - C x))
    assert np.allclose(sys.A @ L, Lc, atol=1e-10, rtol=0) and np.allclose(P, Pc, atol=1e-9, rtol=0)


def test_lqg_filter_equals_kalman_filter_started_in_steady_state():
    sys = ld.systems.random_lti(4, 1, 2, random_state=3)
    W, V = 0.1 * np.eye(4), 0.2 * np.eye(2)
    lqg = ld.control.LQG(sys, Q=np.eye(4), R=np.eye(1), W=W, V=V)
    rng = np.random.default_rng(0)
    T = 40
    y, u, x = np.empty((T, 2)), np.empty((T, 1)), np.zeros(4)
    est = np.empty((T, 4))
    for k in range(T):
        y[k] = sys.C @ x + 0.3 * rng.standard_normal(2)
        u[k] = lqg.control(y[k])
        est[k] = lqg.estimate_
        x = sys.A @ x + sys.B @ u[k] + 0.3 * rng.standard_normal(4)
    params = LGSSMParams(A=sys.A, B=sys.B, C=sys.C, Q=W, R=V, m0=np.zeros(4), P0=lqg.P)
    filt = kalman_filter(params, y, u)
    assert np.allclose(est, filt.filtered_means, atol=1e-10)
    assert np.allclose(u[:, 0], -(est @ lqg.K.T)[:, 0])


def test_lqg_accepts_lgssm_params_noise():
    params = LGSSMParams(A=0.9 * np.eye(2), B=np.ones((2, 1)), C=np.eye(2), Q=0.3 * np.eye(2),
                         R=0.7 * np.eye(2), m0=np.zeros(2), P0=np.eye(2))
    lqg = ld.control.LQG(params, Q=np.eye(2), R=np.eye(1))
    L, _ = ld.control.kalman_gain(params.A, params.C, params.Q, params.R)
    assert np.allclose(lqg.L, L)


def test_integral_action_removes_offset_on_a_dmdc_model():
    sys = ld.systems.random_lti(3, 1, 1, spectral_radius=0.9, random_state=4)
    rng = np.random.default_rng(1)
    excite = ld.control.simulate_inputs(sys, rng.standard_normal((300, 1)), np.zeros(3))
    dmdc = ld.operators.DMDc().fit(excite)
    d = 0.5  # an unmodelled constant input disturbance

    def plant(x, u):
        return sys.A @ x + sys.B @ (u + d)

    kw = dict(Q=np.eye(3), R=np.eye(1), W=np.eye(3), V=1e-2 * np.eye(1))
    ref = np.array([1.0])
    with_i = ld.control.LQG((dmdc.A_, dmdc.B_, sys.C), **kw, integral_weight=np.eye(1), reference=ref)
    without = ld.control.LQG((dmdc.A_, dmdc.B_, sys.C), **kw, reference=ref)
    out = {}
    for name, c in [("integral", with_i), ("plain", without)]:
        tr = ld.control.closed_loop(plant, c, 300, np.zeros(3), output_matrix=sys.C)
        out[name] = sys.C @ tr.x[-1]
    assert abs(out["integral"][0] - 1.0) < 1e-6
    assert abs(out["plain"][0] - 1.0) > 0.05
