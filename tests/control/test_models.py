"""as_state_space: one reader for every kind of learned linear model."""

import numpy as np
import pytest

import lindy as ld
from lindy.errors import NotFittedError, ValidationError
from lindy.ssm import LGSSMParams


def test_every_model_kind():
    params = LGSSMParams(A=0.9 * np.eye(2), B=np.ones((2, 1)), C=np.ones((1, 2)), Q=np.eye(2),
                         R=np.eye(1), m0=np.zeros(2), P0=np.eye(2))
    A, B, C = ld.control.as_state_space(params)
    assert np.array_equal(A, params.A) and np.array_equal(C, params.C)
    data = ld.testing.conformance_data(n_inputs=1)
    edmdc = ld.operators.EDMDc(ld.operators.Polynomial(2)).fit(data)
    A, B, C = ld.control.as_state_space(edmdc)
    assert A.shape == (edmdc.rank_, edmdc.rank_) and C.shape == (2, edmdc.rank_)
    dmdc = ld.operators.DMDc().fit(data)
    A, B, C = ld.control.as_state_space(dmdc)
    assert np.array_equal(A, dmdc.A_) and np.array_equal(C, np.eye(2))


def test_bad_models_say_what_to_pass():
    with pytest.raises(NotFittedError):
        ld.control.as_state_space(ld.operators.DMDc())
    with pytest.raises(ValidationError, match="no inputs"):
        ld.control.as_state_space(LGSSMParams(A=np.eye(1), C=np.eye(1), Q=np.eye(1), R=np.eye(1),
                                              m0=np.zeros(1), P0=np.eye(1)))
    with pytest.raises(ValidationError, match="Cannot read a linear model"):
        ld.control.as_state_space("model")
    with pytest.raises(ValidationError, match="window 1"):
        data = ld.testing.conformance_data(n_inputs=1)
        ld.control.lifted_predictor(ld.operators.EDMDc(ld.operators.Delay(2)).fit(data))
