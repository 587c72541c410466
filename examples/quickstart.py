"""Quick start: simulate Lorenz-63, fit three forecasters, score them.

Run: python examples/quickstart.py
"""

import lindy as ld

lorenz = ld.systems.get_system("Lorenz")
data = ld.systems.simulate(lorenz, n_steps=3000, n_traj=3, random_state=0)
train, test = ld.data.train_test_split(data, test_size=0.2)
context, truth = test[0].x[:20], test[0].x[20:220]

for model in (ld.baselines.Persistence(), ld.baselines.LinearAR(n_lags=5), ld.operators.DMD()):
    fc = model.fit(train).forecast(context, horizon=200)
    vpt = ld.metrics.valid_prediction_time(truth, fc.x, dt=lorenz.dt,
                                           lyapunov_exponent=lorenz.meta["max_lyapunov"])
    print(f"{type(model).__name__:12s} sMAPE {ld.metrics.smape(truth, fc.x):7.2f}   "
          f"VPT {vpt:5.2f} Lyapunov times")
