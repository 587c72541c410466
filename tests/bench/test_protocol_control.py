"""The control protocol: learn from excitation data, control the true plant, compare."""

import numpy as np
import pytest

import lindy as ld
from lindy.bench import PROTOCOLS, make_data, run_protocol
from lindy.bench._protocol_control import control_plant, run_control_protocol
from lindy.errors import NumericalError, ValidationError


def test_dmdc_on_a_linear_plant_controls_as_well_as_the_true_model():
    m, arrays = run_control_protocol(ld.operators.DMDc(), "mass_spring_chain",
                                     {"obs_noise": 0.02, "n_steps": 60}, random_state=1)
    assert m["finite"] and abs(m["cost_ratio"] - 1) < 0.02
    assert m["u_violations"] == m["x_violations"] == 0
    assert arrays["truth"].shape == arrays["forecast"].shape == (61, 8)


def test_noiseless_dmdc_recovers_the_true_controller_exactly():
    m, arrays = run_control_protocol(ld.operators.DMDc(), "dc_motor", {"n_steps": 40})
    assert np.isclose(m["cost"], m["reference_cost"], rtol=1e-8)
    assert np.allclose(arrays["truth"], arrays["forecast"], atol=1e-5)


def test_mpc_keeps_its_input_bounds_and_counts_state_violations():
    s = {"controller": "mpc", "horizon": 10, "u_bound": 0.5, "x_bound": 0.8, "n_steps": 40,
         "obs_noise": 0.01}
    m, arrays = run_control_protocol(ld.operators.DMDc(), "mass_spring_chain", s, random_state=2)
    assert m["u_violations"] == 0 and m["finite"]
    excess = np.abs(arrays["forecast"][1:]) - 0.8
    assert m["x_violations"] == int((excess > 1e-6).any(axis=1).sum())
    assert 0.9 < m["cost_ratio"] < 1.2


def test_a_saturated_lqr_on_a_registered_flow():
    m, _ = run_control_protocol(ld.operators.DMDc(), "OscillatorChain",
                                {"u_bound": 0.3, "n_steps": 50, "process_noise": 0.01})
    assert m["u_violations"] == 0 and abs(m["cost_ratio"] - 1) < 0.05


def test_truncated_dmdc_controls_the_burgers_plant():
    m, _ = run_control_protocol(ld.operators.DMDc(rank=16), "burgers",
                                {"excitation": 0.5, "x0_scale": 0.3, "n_steps": 60})
    assert m["finite"] and 1 - 1e-3 < m["cost_ratio"] < 1.1


def test_the_protocol_is_registered_and_makes_excitation_data():
    assert "control" in PROTOCOLS
    d = make_data("OscillatorChain", {"name": "control", "n_train": 50, "n_traj": 2}, 0)
    assert d.train[0].u.shape == (50, 1) and d.context.x.shape == (1, 6)
    # run_protocol hands the control protocol to its own flow (learn, then control the plant)
    m, _ = run_protocol(ld.operators.DMDc(), "dc_motor", {"name": "control", "n_steps": 40}, 0)
    direct, _ = run_control_protocol(ld.operators.DMDc(), "dc_motor", {"n_steps": 40}, 0)
    assert m["cost_ratio"] == pytest.approx(direct["cost_ratio"], rel=1e-12)
    assert "control" in ld.bench.PROTOCOL_DEFAULTS


def test_bad_settings_and_models_are_clean_errors():
    with pytest.raises(ValidationError, match="Unknown settings"):
        run_control_protocol(ld.operators.DMDc(), "dc_motor", {"n_stpes": 3})
    with pytest.raises(ValidationError, match="controller"):
        run_control_protocol(ld.operators.DMDc(), "dc_motor", {"controller": "pid", "n_train": 30})
    plant, G = control_plant(ld.control.heat_equation(5))
    assert G is None and plant.A.shape == (5, 5)


def test_edmdc_designs_on_its_lifted_predictor():
    est = ld.operators.EDMDc(ld.operators.Polynomial(2, include_bias=False))
    for seed in range(3):
        m, _ = run_control_protocol(est, "dc_motor", {"obs_noise": 0.02, "n_steps": 60}, seed)
        assert m["finite"] and abs(m["cost_ratio"] - 1) < 0.1


def test_lqr_on_a_lifted_model_with_a_constant_feature_says_why_it_fails():
    est = ld.operators.EDMDc(ld.operators.Polynomial(2))
    with pytest.raises(NumericalError, match="include_bias=False"):
        run_control_protocol(est, "dc_motor", {"n_steps": 10}, random_state=1)


def test_soft_state_bounds_keep_the_learned_mpc_with_the_true_one():
    s = {"controller": "mpc", "horizon": 15, "u_bound": 0.5, "x_bound": 0.4, "x0_scale": 0.3,
         "obs_noise": 0.02, "n_steps": 60}
    m, _ = run_control_protocol(ld.operators.DMDc(), "mass_spring_chain", s, random_state=0)
    assert abs(m["cost_ratio"] - 1) < 0.01
    assert abs(m["x_violations"] - m["reference_x_violations"]) <= 2


def test_subspace_id_is_controlled_through_lqg_on_its_latent_state():
    s = {"obs_noise": 0.02, "n_steps": 60}
    m, _ = run_control_protocol(ld.ssm.SubspaceID(state_dim=8, offset="none"), "mass_spring_chain", s)
    assert m["finite"] and abs(m["cost_ratio"] - 1) < 0.02
    m, _ = run_control_protocol(ld.ssm.SubspaceID(state_dim=3, offset="none"), "dc_motor", s)
    assert abs(m["cost_ratio"] - 1) < 0.05


def test_with_the_terminal_cost_to_go_no_learned_lqr_beats_the_true_one():
    # Bellman: any inputs cost at least x0' S x0 over the window plus the cost-to-go x_N' S x_N
    for seed, est in enumerate([ld.operators.DMDc(), ld.operators.DMDc(rank=3),
                                ld.operators.EDMDc(ld.operators.Polynomial(2, include_bias=False))]):
        m, arrays = run_control_protocol(est, "dc_motor", {"obs_noise": 0.05, "n_steps": 30}, seed)
        assert m["cost_ratio"] >= 1 - 1e-9
        x0 = arrays["truth"][0].astype(float)
        A, B = ld.control.dc_motor().A, ld.control.dc_motor().B
        S = ld.control.dlqr(A, B, np.eye(3), 0.1 * np.eye(1))[1]
        assert np.isclose(m["reference_cost"], x0 @ S @ x0, rtol=1e-5)


def test_koopman_mpc_with_the_lifted_riccati_terminal_weight_matches_the_true_mpc():
    est = ld.operators.EDMDc(ld.operators.Polynomial(2, include_bias=False))
    s = {"controller": "mpc", "u_bound": 2.0, "obs_noise": 0.02, "n_steps": 60}
    m, _ = run_control_protocol(est, "dc_motor", s, random_state=1)
    assert m["u_violations"] == 0 and abs(m["cost_ratio"] - 1) < 0.01  # 1.23 with P = C' Q C
