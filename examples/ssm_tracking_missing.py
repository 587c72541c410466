"""Track a manoeuvring target from noisy positions with missing data.

A constant-velocity model in 2-D; position sensors drop single components at
random and go dark entirely for a stretch. The Kalman filter conditions on
whatever components arrive (NaN = missing); the RTS smoother fills the gap.
Run: python examples/ssm_tracking_missing.py
"""

import numpy as np

from lindy.ssm import LGSSMParams, kalman_filter, rts_smoother, sample

dt, q, r = 0.1, 0.5, 0.3
F1 = np.array([[1.0, dt], [0.0, 1.0]])
Q1 = q * np.array([[dt ** 3 / 3, dt ** 2 / 2], [dt ** 2 / 2, dt]])
A = np.kron(np.eye(2), F1)          # state: x, vx, y, vy
Q = np.kron(np.eye(2), Q1)
C = np.array([[1.0, 0, 0, 0], [0, 0, 1.0, 0]])
params = LGSSMParams(A=A, C=C, Q=Q, R=r ** 2 * np.eye(2), m0=np.zeros(4), P0=10 * np.eye(4))

x, y = sample(params, 600, random_state=0)
rng = np.random.default_rng(1)
y[rng.random(y.shape) < 0.3] = np.nan      # 30 % of single components lost
y[300:360] = np.nan                          # 6 s blackout

filt = kalman_filter(params, y)
smooth = rts_smoother(params, filt)
pos = x[:, [0, 2]]


def rmse(est, rows):
    return float(np.sqrt(np.mean((est[rows][:, [0, 2]] - pos[rows]) ** 2)))


gap = np.zeros(len(y), dtype=bool)
gap[300:360] = True
seen = ~gap
seen[:20] = False  # skip the initial transient from the vague prior
print(f"observed components: {np.isfinite(y).mean():.0%}")
print(f"raw measurement RMSE (where observed): {np.sqrt(np.nanmean((y - pos) ** 2)):.3f}")
print(f"outside the blackout: filter {rmse(filt.filtered_means, seen):.3f}, "
      f"smoother {rmse(smooth.means, seen):.3f}")
print(f"inside the blackout:  filter {rmse(filt.filtered_means, gap):.3f}, "
      f"smoother {rmse(smooth.means, gap):.3f}")
print(f"log-likelihood: {filt.log_likelihood:.2f}")
