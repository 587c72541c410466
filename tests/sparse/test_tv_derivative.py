"""Total-variation regularized differentiation (Chartrand 2011) against closed forms."""

import numpy as np
import pytest

import lindy as ld
from lindy.errors import ValidationError
from lindy.sparse._derivatives import _antiderivative, _antiderivative_adjoint


def test_antiderivative_adjoint_is_the_transpose():
    h, n = 0.3, 9
    A = np.array([_antiderivative(e, h) for e in np.eye(n)]).T
    AT = np.array([_antiderivative_adjoint(e, h) for e in np.eye(n)]).T
    np.testing.assert_allclose(AT, A.T, rtol=0, atol=1e-15)
    # the trapezoid rule integrates a line exactly
    t = h * np.arange(n)
    np.testing.assert_allclose(_antiderivative(2.0 * t + 1.0, h), t ** 2 + t, atol=1e-13)


@pytest.mark.parametrize("sigma", [0.001, 0.01])
def test_triangle_wave_slopes_far_better_than_differences(sigma):
    # the derivative of a triangle wave is a square wave of +-1: the nonsmooth case TV is made for
    t = np.linspace(0, 4, 800)
    x = np.interp(t, [0, 1, 2, 3, 4], [0, 1, 0, 1, 0])
    x = (x + sigma * np.random.default_rng(0).standard_normal(t.size))[:, None]
    true = np.where((t % 2) < 1, 1.0, -1.0)
    err = {name: np.mean(np.abs(dx[:, 0] - true)) for name, dx in [
        ("tv", ld.sparse.total_variation_derivative(x, t)),
        ("fd", ld.sparse.finite_difference(x, t)),
        ("savgol", ld.sparse.savitzky_golay(x, t, window=21))]}
    assert err["tv"] < 0.1 * err["fd"]
    assert err["tv"] < 0.5 * err["savgol"]
    assert err["tv"] < 0.05


def test_noisy_sine_and_its_denoised_states():
    t = np.linspace(0, 2 * np.pi, 1000)
    clean = np.c_[np.sin(t), 3.0 * np.cos(2 * t)]
    x = clean + 0.01 * np.random.default_rng(1).standard_normal(clean.shape)
    true = np.c_[np.cos(t), -6.0 * np.sin(2 * t)]
    dx, states = ld.sparse.total_variation_derivative(x, t, return_states=True)
    fd = ld.sparse.finite_difference(x, t)
    inner = slice(100, -100)
    rms = lambda a: np.sqrt(np.mean(a[inner] ** 2, axis=0))  # noqa: E731
    assert np.all(rms(dx - true) < 0.1 * rms(fd - true))
    # the states the derivative integrates to are closer to the truth than the data
    assert np.all(rms(states - clean) < rms(x - clean))


def test_explicit_alpha_trades_smoothness_for_fidelity():
    t = np.linspace(0, 1, 300)
    x = np.c_[t ** 2] + 1e-3 * np.random.default_rng(2).standard_normal((300, 1))
    tv = [np.diff(ld.sparse.total_variation_derivative(x, t, alpha=a)[:, 0]) for a in (1e-6, 1e-2)]
    assert np.abs(tv[1]).sum() < np.abs(tv[0]).sum()  # more regularization, less variation


def test_bad_input_raises():
    t = np.linspace(0, 1, 50)
    x = np.c_[np.sin(t)]
    with pytest.raises(ValidationError, match="uniformly sampled"):
        ld.sparse.total_variation_derivative(x, t ** 2)
    with pytest.raises(ValidationError, match="at least 5 samples"):
        ld.sparse.total_variation_derivative(x[:4], t[:4])
    with pytest.raises(ValidationError, match="non-negative"):
        ld.sparse.total_variation_derivative(x, t, alpha=-1.0)
    with pytest.raises(ValidationError, match="max_iter"):
        ld.sparse.total_variation_derivative(x, t, max_iter=0)
    with pytest.raises(ValidationError, match="eps"):
        ld.sparse.total_variation_derivative(x, t, eps=0.0)
