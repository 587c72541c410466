"""Bouc-Wen hysteresis benchmark: estimation data generated as prescribed, NARX free run.

The benchmark ships only its validation signals; the estimation data are
random-phase multisines (5-150 Hz, RMS 50 N, 8192 samples at 750 Hz) driving the
benchmark oscillator (lindy.systems' BoucWen parameters, RK4 at 15 kHz, the
steady-state period kept), seeded. A cubic NARX is fitted on five of them and
simulated on the validation multisine and sine sweep from the force alone; the
first 50 samples set the initial state. Writes sysid_bouc_wen.png.
Run: python examples/sysid_bouc_wen.py
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import lindy as ld  # noqa: E402
from lindy.bench import bouc_wen_estimation_data, free_run, sysid_record, sysid_scores  # noqa: E402

train = bouc_wen_estimation_data(5, random_state=0)
narx = ld.reservoir.NARX(n_lags=3, n_input_lags=12, degree=3).fit(train)
w = 50

fig, axes = plt.subplots(2, 1, figsize=(10, 6))
for ax, part in zip(axes, ["multisine", "sinesweep"]):
    rec = sysid_record(f"bouc_wen/{part}")
    sim = free_run(narx, rec, w)
    s = sysid_scores(rec.x[w:], sim)
    print(f"{part:10s} NARX free run: RMSE {1e6 * s['rmse']:.1f} um, NRMSE {100 * s['nrmse']:.1f} %")
    n = min(rec.n_steps - w, 750)  # the first second, readable
    ax.plot(rec.t[w:w + n], 1e3 * rec.x[w:w + n, 0], color="k", lw=0.8, label="benchmark")
    ax.plot(rec.t[w:w + n], 1e3 * sim[:n, 0], color="C1", lw=0.7, label="NARX free run")
    ax.set_title(f"Bouc-Wen {part}: NRMSE {100 * s['nrmse']:.1f} % (whole record)", fontsize=9)
    ax.set_ylabel("displacement [mm]")
axes[0].legend(fontsize=8)
axes[-1].set_xlabel("time [s]")
fig.tight_layout()
fig.savefig("sysid_bouc_wen.png", dpi=100)
print("wrote sysid_bouc_wen.png")
