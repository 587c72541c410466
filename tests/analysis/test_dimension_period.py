"""Kaplan-Yorke and correlation dimensions; dominant periods."""

import numpy as np
import pytest

from lindy.analysis import correlation_dimension, dominant_period, kaplan_yorke_dimension
from lindy.errors import ValidationError
from lindy.systems import get_system, simulate


def test_kaplan_yorke_cases():
    assert kaplan_yorke_dimension([0.9, 0.0, -14.5]) == pytest.approx(2 + 0.9 / 14.5)
    assert kaplan_yorke_dimension([-0.1, -1.0]) == 0.0
    assert kaplan_yorke_dimension([0.1, 0.2]) == 2.0
    assert kaplan_yorke_dimension([0.42, -1.62]) == pytest.approx(1 + 0.42 / 1.62)


def test_correlation_dimension_of_henon_attractor():
    x = simulate(get_system("Henon"), n_steps=20000, transient=100)[0].x
    assert abs(correlation_dimension(x, n_points=3000, min_tsep=1) - 1.22) < 0.1


def test_dominant_period_of_sum_of_sines():
    t = np.arange(20000) * 0.01
    x = np.column_stack([np.sin(2 * np.pi * t / 2.5) + 0.3 * np.sin(2 * np.pi * t / 0.7),
                         np.cos(2 * np.pi * t / 2.5)])
    assert dominant_period(x, 0.01) == pytest.approx(2.5, rel=0.01)


def test_dominant_period_ignores_linear_phase():
    t = np.arange(8000) * 0.05
    x = np.column_stack([np.sin(2 * np.pi * t / 4.0), 1.3 * t])
    assert dominant_period(x, 0.05) == pytest.approx(4.0, rel=0.01)


def test_bad_inputs():
    with pytest.raises(ValidationError, match="constant"):
        dominant_period(np.ones((100, 2)), 0.1)
    with pytest.raises(ValidationError, match="dt must be"):
        dominant_period(np.random.default_rng(0).random(100), -1.0)
    with pytest.raises(ValidationError, match="r_quantiles"):
        correlation_dimension(np.random.default_rng(0).random((100, 2)), r_quantiles=(0.5, 0.1))
