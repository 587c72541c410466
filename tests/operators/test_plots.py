"""Operator plots return Axes and accept ax=."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import lindy as ld
from lindy.plot import plot_eigenvalues, plot_forecast, plot_modes, plot_pseudospectrum


@pytest.fixture
def model():
    return ld.operators.EDMD(ld.operators.Polynomial(2), rank=4).fit(ld.testing.conformance_data())


def test_all_plots(model):
    fig, axes = plt.subplots(2, 3)
    assert plot_eigenvalues(model, ax=axes[0, 0]) is axes[0, 0]
    assert plot_eigenvalues(model, ax=axes[0, 1], continuous=True, residuals=False) is axes[0, 1]
    assert plot_modes(model, ax=axes[0, 2], part="real") is axes[0, 2]
    data = ld.testing.conformance_data()
    fc = model.forecast(data[0].x[:1], horizon=10)
    assert plot_forecast(data[0].x[1:11], fc, ax=axes[1, 0]) is axes[1, 0]
    assert plot_pseudospectrum(model, ax=axes[1, 1], n=8) is axes[1, 1]
    bag = ld.operators.BOPDMD(n_bags=3).fit(data)
    assert plot_forecast(data[0], bag.forecast(data[0], 10), ax=axes[1, 2], t_truth=data[0].t)
    plt.close(fig)


def test_bad_arguments(model):
    with pytest.raises(ld.errors.ValidationError, match="residuals"):
        plot_eigenvalues(model, residuals=np.ones(2))
    with pytest.raises(ld.errors.ValidationError, match="part"):
        plot_modes(model, part="phase")
    plt.close("all")
