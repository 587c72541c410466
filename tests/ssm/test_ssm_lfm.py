"""Latent force model: joint state and unknown-input estimation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import lindy.errors as le
from lindy.ssm import Matern52, fit_latent_force


def force(t):
    return 1.5 * np.sin(0.7 * t) + 0.8 * np.cos(1.9 * t + 0.3)


def duffing_data(beta, T=600, t_end=30.0, noise_variance=1e-3, random_state=0):
    delta, alpha = 0.3, 2.0

    def rhs(t, z):
        x, v = z
        return [v, force(t) - delta * v - alpha * x - beta * x ** 3]

    t = np.linspace(0, t_end, T)
    sol = solve_ivp(rhs, (0, t_end), [0.0, 0.0], t_eval=t, rtol=1e-10, atol=1e-12)
    x = sol.y.T
    y = x[:, :1] + np.sqrt(noise_variance) * np.random.default_rng(random_state).standard_normal((T, 1))
    return t, x, y, delta, alpha


def test_lfm_recovers_force_of_linear_oscillator():
    t, x, y, delta, alpha = duffing_data(beta=0.0)
    lfm = fit_latent_force(t, y, mass=1.0, damping=delta, stiffness=alpha,
                           kernel=Matern52(1.0, 1.0), noise_variance=1e-2)
    f = force(t)
    nrmse = np.sqrt(np.mean((lfm.force[50:] - f[50:]) ** 2)) / np.std(f)
    assert nrmse < 0.1
    assert np.sqrt(np.mean((lfm.states[:, 1] - x[:, 1]) ** 2)) < 0.05 * np.std(x[:, 1])
    lo, hi = lfm.force_interval()
    assert np.mean((f >= lo) & (f <= hi)) > 0.8


def test_lfm_absorbs_duffing_nonlinearity_into_force():
    beta = 1.0
    t, x, y, delta, alpha = duffing_data(beta=beta)
    lfm = fit_latent_force(t, y, mass=1.0, damping=delta, stiffness=alpha,
                           kernel=Matern52(1.0, 1.0), noise_variance=1e-2)
    effective = force(t) - beta * x[:, 0] ** 3
    nrmse = np.sqrt(np.mean((lfm.force[50:] - effective[50:]) ** 2)) / np.std(effective)
    assert nrmse < 0.15


def test_lfm_irregular_and_multichannel():
    t, x, y, delta, alpha = duffing_data(beta=0.0, T=400)
    keep = np.sort(np.random.default_rng(1).choice(400, 250, replace=False))
    accel = force(t) - delta * x[:, 1] - alpha * x[:, 0]
    Y = np.column_stack([y[:, 0], accel + 0.03 * np.random.default_rng(2).standard_normal(400)])
    Y[::5, 1] = np.nan
    lfm = fit_latent_force(t[keep], Y[keep], mass=1.0, damping=delta, stiffness=alpha,
                           kernel=Matern52(1.0, 1.0), noise_variance=[1e-3, 1e-3],
                           observe=("displacement", "acceleration"))
    f = force(t[keep])
    assert np.sqrt(np.mean((lfm.force - f) ** 2)) / np.std(f) < 0.1


def test_lfm_errors():
    with pytest.raises(le.ValidationError, match="observe"):
        fit_latent_force([0.0, 1.0], [[0.0], [1.0]], observe="strain")
    with pytest.raises(le.ShapeError):
        fit_latent_force([0.0, 1.0, 2.0], np.zeros((3, 2)))
    with pytest.raises(le.ValidationError, match="noise"):
        fit_latent_force([0.0, 1.0], [[0.0], [1.0]], noise_variance=0.0)
