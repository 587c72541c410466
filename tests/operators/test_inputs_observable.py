"""Input-driven operator models refuse observable forecasts with a clear lindy error."""

import numpy as np
import pytest

import lindy as ld
from lindy.testing import conformance_data


@pytest.mark.parametrize("cls", [ld.operators.DMDc, ld.operators.EDMDc])
def test_forecast_observable_needs_future_inputs(cls):
    data = conformance_data(n_inputs=2)
    model = cls().fit(data)
    with pytest.raises(ld.errors.ValidationError, match="future inputs"):
        model.forecast_observable(data[0].x, 5, lambda x: x[:, :1])
    fc = model.forecast(data[0], 5, u=np.zeros((5, 2)))
    assert fc.x.shape == (5, 2)
