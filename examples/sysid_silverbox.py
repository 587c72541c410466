"""Silverbox (an electronic Duffing oscillator): identify a cubic NARX, simulate from inputs alone.

The circuit is a second-order linear system with a cubic spring. A polynomial
NARX (three output lags, twelve input lags, the output lags' monomials up to
degree 3, least squares on one-step prediction) is fitted on the estimation
multisine, then *simulated* on each test record from its measured input alone:
the first 50 samples set the initial state, the rest is a free run (the
``sysid`` protocol of ``lindy.bench``). Linear models reach 13-18 % NRMSE on the
multisine test. Writes sysid_silverbox.png (measured vs simulated output).
Run: python examples/sysid_silverbox.py
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import lindy as ld  # noqa: E402
from lindy.bench import free_run, sysid_record, sysid_scores  # noqa: E402

ds = ld.datasets.load_silverbox()
narx = ld.reservoir.NARX(n_lags=3, n_input_lags=12, degree=3).fit(ds.train)
arx = ld.reservoir.NARX(n_lags=3, n_input_lags=12, degree=1).fit(ds.train)  # linear baseline
w = 50

fig, axes = plt.subplots(3, 2, figsize=(12, 8), gridspec_kw={"width_ratios": [1, 2]})
for (zoom, full), part in zip(axes, ["multisine", "arrow_full", "arrow_no_extrapolation"]):
    rec = sysid_record(f"silverbox/{part}")
    sim, lin = free_run(narx, rec, w), free_run(arx, rec, w)
    s, s_lin = sysid_scores(rec.x[w:], sim), sysid_scores(rec.x[w:], lin)
    print(f"{part:24s} NARX: NRMSE {100 * s['nrmse']:5.2f} %, RMSE {1e3 * s['rmse']:.2f} mV   "
          f"ARX: NRMSE {100 * s_lin['nrmse']:5.2f} %")
    t, y = rec.t[w:], rec.x[w:, 0]
    last = slice(-300, None)  # the last half second: the largest amplitudes
    zoom.plot(t[last], y[last], color="k", lw=1.2, label="measured")
    zoom.plot(t[last], sim[last, 0], color="C1", lw=0.9, label="NARX")
    zoom.plot(t[last], lin[last, 0], color="C2", lw=0.7, ls="--", label="ARX")
    zoom.set_ylabel("output [V]")
    zoom.set_title(f"{part}: last 0.5 s", fontsize=9)
    full.plot(t, 1e3 * (y - lin[:, 0]), color="C2", lw=0.3, label="ARX error")
    full.plot(t, 1e3 * (y - sim[:, 0]), color="C1", lw=0.3, label="NARX error")
    full.set_ylabel("error [mV]")
    full.set_title(f"{part}: free-run error, NARX NRMSE {100 * s['nrmse']:.2f} %, "
                   f"ARX {100 * s_lin['nrmse']:.1f} %", fontsize=9)
axes[0, 0].legend(loc="upper right", fontsize=7)
axes[0, 1].legend(loc="upper right", fontsize=7)
axes[-1, 0].set_xlabel("time [s]")
axes[-1, 1].set_xlabel("time [s]")
fig.tight_layout()
fig.savefig("sysid_silverbox.png", dpi=100)
print("wrote sysid_silverbox.png")
