"""PLRNN with generalized teacher forcing: conformance; GTF beats classical teacher forcing."""

import numpy as np
import pytest

import lindy as ld
from lindy.testing import check_estimator


def test_conformance_plain():
    check_estimator(ld.neural.PLRNN(state_dim=4, max_iter=5))


def test_conformance_shallow_lbfgs():
    check_estimator(ld.neural.PLRNN(state_dim=3, hidden_dim=8, max_iter=2, solver="lbfgs",
                                    learning_rate=1.0, window=5))


def test_state_dim_is_at_least_the_data_dimension():
    x = np.random.default_rng(0).standard_normal((40, 3)).cumsum(0)
    model = ld.neural.PLRNN(state_dim=1, max_iter=1).fit(x)
    assert model.state_dim_ == 3 and model.state_dict_["A"].shape == (3,)


def test_gtf_beats_classical_teacher_forcing_on_van_der_pol():
    vdp = ld.systems.get_system("VanDerPol")
    data = ld.systems.simulate(vdp, n_steps=300, n_traj=2, random_state=0, ic_spread=0.3)
    test = ld.systems.simulate(vdp, n_steps=400, random_state=5, ic_spread=0.3, transient=500)[0]
    errors = {}
    for forcing in (0.2, 1.0):
        model = ld.neural.PLRNN(state_dim=4, hidden_dim=32, forcing=forcing, max_iter=300,
                                learning_rate=1e-2, patience=None).fit(data)
        assert model.score(test.x) > 0.999
        errors[forcing] = ld.metrics.nrmse(test.x[100:400], model.forecast(test.x[:100], 300).x)
    assert errors[0.2] < 0.3
    assert errors[0.2] < 0.8 * errors[1.0]


def test_forcing_out_of_range_is_a_clear_error():
    with pytest.raises(ld.errors.ValidationError, match="'forcing'"):
        ld.neural.PLRNN(forcing=1.5).fit(np.zeros((30, 2)))
