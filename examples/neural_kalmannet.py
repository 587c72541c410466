"""KalmanNet: a Kalman filter whose gain a GRU learns, on a model that is only partially known.

The data come from the discrete-time Lorenz-63 of Revach et al. (2022): the
exponential of the state-dependent matrix ``A(x) dt`` expanded to 5 Taylor
terms. The filters are given the same map expanded to only 2 terms (a
state-evolution mismatch). The EKF with that model trusts its wrong
predictions; KalmanNet keeps the model's prediction but learns its gain from
(observation, state) pairs, and recovers most of what the EKF with the true
model achieves. Scores are state-estimation MSE in dB, as in the paper. Needs
the torch extra: ``pip install 'lindy[torch]'``.

Run ``python examples/neural_kalmannet.py``.
"""

from __future__ import annotations

import argparse

import numpy as np

import lindy as ld
from lindy.bench import GaussianFilter, make_filtering_data, mse_db
from lindy.errors import MissingDependencyError


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-iter", type=int, default=5, help="training epochs")
    ap.add_argument("--inv-r2-db", type=float, default=20.0, help="1/r^2 in dB")
    args = ap.parse_args(argv)
    try:
        import torch
    except ImportError:
        print(MissingDependencyError("torch", "torch"))
        return
    torch.set_num_threads(1)

    settings = {"n_train": 60, "n_test": 20, "n_steps": 100, "inv_r2_db": args.inv_r2_db,
                "nu_db": -20.0, "taylor_terms": 2, "dt": 0.02, "state_dim": 3}
    data = make_filtering_data("Lorenz", settings, np.random.default_rng(0))
    (y, x, m0), (y_test, x_test, m0_test) = data["train"], data["test"]

    knet = ld.neural.KalmanNet(data["model"], hidden_layer_sizes=(32, 16), gru_size=32,
                               learning_rate=1e-2, batch_size=10, max_iter=args.max_iter)
    knet.fit(y, x, m0=m0)
    est = knet.filter(y_test, m0=m0_test).filtered_means

    ekf_model = GaussianFilter(data["model"], kind="ekf").filter(y_test, m0=m0_test).filtered_means
    ekf_true = GaussianFilter(data["true_model"], kind="ekf").filter(y_test, m0=m0_test).filtered_means
    print(f"observations (noise floor)   {mse_db(y_test, x_test):7.2f} dB")
    print(f"EKF, 2-term model            {mse_db(ekf_model, x_test):7.2f} dB")
    print(f"KalmanNet, 2-term model      {mse_db(est, x_test):7.2f} dB")
    print(f"EKF, true 5-term model       {mse_db(ekf_true, x_test):7.2f} dB")


if __name__ == "__main__":
    main()
