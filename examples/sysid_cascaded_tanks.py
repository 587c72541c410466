"""Cascaded water tanks: identify a polynomial NARX, simulate the validation record from inputs.

Two tanks in cascade with overflow (a hard saturation) and Torricelli outflow (a
soft square-root nonlinearity). A cubic NARX (three output lags, five input lags)
is fitted on the 1024-sample estimation record and simulated on the validation
record from its pump voltage alone; the first 5 samples set the initial state
(the ``sysid`` protocol of ``lindy.bench``). Writes sysid_cascaded_tanks.png.
Run: python examples/sysid_cascaded_tanks.py
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import lindy as ld  # noqa: E402
from lindy.bench import free_run, sysid_record, sysid_scores  # noqa: E402

ds = ld.datasets.load_cascaded_tanks()
narx = ld.reservoir.NARX(n_lags=3, n_input_lags=5, degree=3).fit(ds.train)
arx = ld.reservoir.NARX(n_lags=3, n_input_lags=5, degree=1).fit(ds.train)
rec, w = sysid_record("cascaded_tanks/validation"), 5
sim, lin = free_run(narx, rec, w), free_run(arx, rec, w)
for name, out in (("NARX", sim), ("ARX", lin)):
    s = sysid_scores(rec.x[w:], out)
    print(f"{name:5s} free run: RMSE {s['rmse']:.3f} V, NRMSE {100 * s['nrmse']:.1f} %")

fig, axes = plt.subplots(2, 1, figsize=(9, 5), sharex=True)
axes[0].plot(rec.t, rec.u[:, 0], color="C0", lw=0.8)
axes[0].set_ylabel("pump [V]")
axes[1].plot(rec.t[w:], rec.x[w:, 0], color="k", lw=1.0, label="measured")
axes[1].plot(rec.t[w:], sim[:, 0], color="C1", lw=1.0, label="NARX free run")
axes[1].plot(rec.t[w:], lin[:, 0], color="C2", lw=0.8, ls="--", label="ARX free run")
axes[1].set_ylabel("lower tank [V]")
axes[1].set_xlabel("time [s]")
axes[1].legend(fontsize=8)
fig.tight_layout()
fig.savefig("sysid_cascaded_tanks.png", dpi=100)
print("wrote sysid_cascaded_tanks.png")
