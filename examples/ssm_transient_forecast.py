"""Forecasting a decaying oscillation: learned observation offset vs mean-centering.

Noise-free x' = 0.99 R(0.2) x from x0 = [1, 0.5], 400 samples. Subtracting the
sample mean (offset="mean") biases the model on such transient data;
LinearGaussianSSM and SubspaceID learn the offset jointly with the dynamics instead. A
GPForecaster (one state-space GP per output, irregular times allowed) is shown
for comparison: it interpolates well but does not know the dynamics.
Run: python examples/ssm_transient_forecast.py
"""

import numpy as np

import lindy as ld

th = 0.2
A = 0.99 * np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
x = np.empty((400, 2))
x[0] = [1.0, 0.5]
for k in range(399):
    x[k + 1] = A @ x[k]


def nrmse(model):
    fc = model.forecast(x[:300], horizon=100).x
    return np.sqrt(np.mean((fc - x[300:]) ** 2)) / np.std(x[300:])


for offset in ("estimate", "mean", "none"):
    for solver in ("em", "mle"):
        model = ld.ssm.LinearGaussianSSM(state_dim=2, solver=solver, offset=offset).fit(x)
        radii = np.abs(np.linalg.eigvals(model.params_.A))
        print(f"LinearGaussianSSM(offset={offset!r:10}, solver={solver!r}): forecast NRMSE "
              f"{nrmse(model):.1e}, |eig(A)| = {radii.round(5)}")
for offset in ("estimate", "mean"):
    model = ld.ssm.SubspaceID(state_dim=2, offset=offset).fit(x)
    print(f"SubspaceID(offset={offset!r:10}): forecast NRMSE {nrmse(model):.1e}")
gp = ld.ssm.GPForecaster(ld.ssm.Matern52()).fit(x[:300])
print(f"GPForecaster(Matern52): forecast NRMSE {nrmse(gp):.2f}")
