"""Koopman MPC (Korda and Mezić 2018) against linearization MPC on a forced Van der Pol oscillator."""

import numpy as np
import pytest

import lindy as ld

G = np.array([[0.0], [1.0]])  # the input forces the velocity: x'' - mu (1 - x^2) x' + x = u
DT, H, N = 0.05, 20, 300
Q, R = np.diag([1.0, 0.0]), 0.01 * np.eye(1)
U_BOUNDS, X2_MAX = (-2.0, 2.0), 1.2


@pytest.fixture(scope="module")
def vdp_model():
    vdp = ld.systems.get_system("VanDerPol")
    rng = np.random.default_rng(0)
    trajs = [ld.control.simulate_inputs(vdp, rng.uniform(-2, 2, (200, 1)), rng.uniform(-2.5, 2.5, 2),
                                        dt=DT, input_matrix=G, integrator="rk4") for _ in range(50)]
    data = ld.data.TrajectorySet(trajs)  # 10^4 samples
    dic = ld.operators.Concat([ld.operators.Polynomial(1), ld.operators.RBF(n_centers=50, random_state=0)])
    # the pure linear predictor of Korda and Mezic (no re-encoding)
    return vdp, ld.operators.EDMDc(dic, alpha=1e-8, reencode_every=None).fit(data)


def test_koopman_mpc_tracks_with_lower_cost_than_linearization_mpc(vdp_model):
    vdp, model = vdp_model
    xb = ([-np.inf, -X2_MAX], [np.inf, X2_MAX])
    kw = dict(u_bounds=U_BOUNDS, x_bounds=xb, soft_penalty=100.0, tol=1e-6)
    kmpc = ld.control.KoopmanMPC(model, H, Q, R, **kw)
    A, B = ld.control.linearize(vdp, np.zeros(2), np.zeros(1), dt=DT, input_matrix=G)
    lmpc = ld.control.MPC((A, B), H, Q, R, P=Q, **kw)
    t = DT * np.arange(N + 1 + H)
    ref = np.column_stack([np.sin(2 * np.pi * t / 4.0), np.zeros_like(t)])

    def cost(x, u, r):
        e = x - r
        return float(e @ Q @ e + u @ R @ u)

    runs = {name: ld.control.closed_loop(vdp, c, N, np.zeros(2), dt=DT, input_matrix=G, reference=ref,
                                         preview=True, cost=cost, integrator="rk4")
            for name, c in [("koopman", kmpc), ("linear", lmpc)]}
    assert runs["koopman"].meta["cost"] < 0.95 * runs["linear"].meta["cost"]
    x, u = runs["koopman"].x, runs["koopman"].u
    assert np.abs(x[:, 1]).max() <= X2_MAX  # the constraint on the original state holds on the plant
    assert np.all((u >= U_BOUNDS[0] - 1e-9) & (u <= U_BOUNDS[1] + 1e-9))
    assert np.abs(x[100:, 0] - ref[100:N + 1, 0]).mean() < 0.15


def test_lifted_predictor_matches_edmdc_forecast(vdp_model):
    _, model = vdp_model
    pred = ld.control.lifted_predictor(model)
    rng = np.random.default_rng(1)
    x0, u = np.array([0.5, -0.3]), rng.uniform(-1, 1, (11, 1))
    ctx = ld.Trajectory(t=[0.0], x=x0[None], u=u[:1])
    fc = model.forecast(ctx, horizon=10, u=u[1:])
    z = pred.lift(x0[None])[0]
    for k in range(10):
        z = pred.A @ z + pred.B @ u[k]
        assert np.allclose(pred.C @ z, fc.x[k], atol=1e-10)


def test_integral_gain_removes_the_learned_predictors_steady_offset(vdp_model):
    vdp, model = vdp_model
    errors = {}
    for gain in (None, 0.05, 0.1):
        kmpc = ld.control.KoopmanMPC(model, H, Q, R, u_bounds=U_BOUNDS, integral_gain=gain, tol=1e-6)
        traj = ld.control.closed_loop(vdp, kmpc, N, np.zeros(2), dt=DT, input_matrix=G,
                                      reference=[1.0, 0.0], integrator="rk4")
        errors[gain] = abs(traj.x[-1, 0] - 1.0)
        if gain is not None:
            assert abs(kmpc.offset_[1]) == 0.0  # the unweighted velocity is not integrated
            kmpc.reset()
            assert not kmpc.offset_.any()
    assert errors[None] > 0.01  # the learned steady state is off by about 2%
    assert errors[0.05] < 1e-4
    assert errors[0.1] < 1e-3  # settles only because integration pauses while |u| is at its bound


def test_integral_gain_must_be_positive(vdp_model):
    with pytest.raises(ValueError, match="integral_gain"):
        ld.control.KoopmanMPC(vdp_model[1], H, Q, R, integral_gain=-1.0)
