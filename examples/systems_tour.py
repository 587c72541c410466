"""A tour of the systems database: look up, simulate, and check an invariant.

Run: python examples/systems_tour.py
"""

import numpy as np

import lindy as ld
from lindy.analysis import lyapunov_spectrum

# 1. Browse: counts by kind, and the 3-D flows
for kind in ("flow", "map", "delay", "sde"):
    print(f"{kind:6s} {len(ld.systems.list_systems(kind=kind)):4d} systems")

# 2. Simulate a batch at 100 points per period (the dysts protocol), with noise
lorenz = ld.systems.get_system("Lorenz")
data = ld.systems.simulate(lorenz, n_steps=2000, n_traj=4, pts_per_period=100, obs_noise=0.01,
                           random_state=0)
print(data, "period", lorenz.meta["period"], "max exponent", lorenz.meta["max_lyapunov"])

# 3. Partial, irregular observations of a delay equation
mg = ld.systems.get_system("MackeyGlass")
t = np.sort(np.random.default_rng(0).uniform(0, 500, 300))
obs = ld.systems.simulate(mg, t=t)
print("Mackey-Glass at irregular times:", obs[0].x.shape)

# 4. Recompute an invariant with lindy.analysis
lam = lyapunov_spectrum(lorenz, tau=0.5, n_renorm=1000)
print("Lorenz spectrum", np.round(lam, 3), "sum", round(lam.sum(), 3), "(trace -13.667)")

# 5. A random stable LTI system with inputs and outputs
lti = ld.systems.random_lti(6, m=2, p=1, spectral_radius=0.95, random_state=0)
u = np.random.default_rng(1).standard_normal((200, 2))
print("LTI outputs:", lti.simulate(u).x.shape)
