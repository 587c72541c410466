"""The filtering protocol (Revach et al. 2022): KF / EKF / UKF / KalmanNet in dB, filterpy as anchor.

For each noise level (1/r^2 in dB, nu = q^2/r^2 = -20 dB) it prints the
state-estimation MSE in dB on the test sequences of

* the linear canonical 2x2 model (H = I, full information): lindy's Kalman
  filter, filterpy's ``KalmanFilter`` on the same data (anchor: the same MSE),
  the Riccati prediction, and KalmanNet;
* the discrete-time Lorenz-63 (data: 5 Taylor terms; model: 2 terms): lindy's
  EKF and UKF with the 2-term model, filterpy's ``ExtendedKalmanFilter`` with
  the same model (anchor: the same MSE), KalmanNet with the same model, and
  lindy's EKF with the true model;

and the filtering time of lindy's EKF against filterpy's on the same Lorenz
sequences (ratio). Usage::

    python benchmarks/bench_filtering.py            # 4 + 3 noise levels
    python benchmarks/bench_filtering.py --quick    # one level each
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from lindy.bench import GaussianFilter, make_filtering_data, mse_db
from lindy.bench._protocol_filtering import _DEFAULTS
from lindy.neural import KalmanNet

SMALL = {"hidden_layer_sizes": (32, 16), "gru_size": 32, "batch_size": 10, "learning_rate": 1e-2,
         "patience": None}


def filterpy_kf(model, Y, M0):
    from filterpy.kalman import KalmanFilter

    out = np.empty(Y.shape[:2] + (model.state_dim,))
    for i in range(len(Y)):
        kf = KalmanFilter(dim_x=model.state_dim, dim_z=model.obs_dim)
        kf.F, kf.H, kf.Q, kf.R = model.A, model.C, model.Q, model.R
        kf.x, kf.P = M0[i].copy(), model.P0.copy()
        for k in range(Y.shape[1]):
            if k:
                kf.predict()
            kf.update(Y[i, k])
            out[i, k] = kf.x
    return out


def filterpy_ekf(model, Y, M0):
    from filterpy.kalman import ExtendedKalmanFilter

    n = model.state_dim
    out = np.empty(Y.shape[:2] + (n,))
    for i in range(len(Y)):
        ekf = ExtendedKalmanFilter(dim_x=n, dim_z=model.obs_dim)
        ekf.predict_x = lambda u=0, ekf=ekf: setattr(ekf, "x", model.f(ekf.x))
        ekf.Q, ekf.R = model.Q, model.R
        ekf.x, ekf.P = M0[i].copy(), model.P0.copy()
        for k in range(Y.shape[1]):
            if k:
                ekf.F = model.F(ekf.x)
                ekf.predict()
            ekf.update(Y[i, k], model.H, model.h)
            out[i, k] = ekf.x
    return out


def kalmannet(data, epochs, seed=0):
    y, x, m0 = data["train"]
    knet = KalmanNet(data["model"], max_iter=epochs, random_state=seed, **SMALL)
    t0 = time.perf_counter()
    knet.fit(y, x, m0=m0)
    fit = time.perf_counter() - t0
    Y, _, M0 = data["test"]
    return knet.filter(Y, m0=M0).filtered_means, fit


def linear(inv_r2_db, n_train, n_test, epochs):
    s = {**_DEFAULTS, "inv_r2_db": inv_r2_db, "n_train": n_train, "n_test": n_test}
    data = make_filtering_data("linear_canonical", s, np.random.default_rng([0, 11]))
    Y, X, M0 = data["test"]
    kf = GaussianFilter(data["model"], "kf").filter(Y, m0=M0).filtered_means
    fp = filterpy_kf(data["model"], Y, M0)
    P = GaussianFilter(data["model"], "kf").filter(Y[0]).filtered_covariances
    riccati = 10 * np.log10(np.mean(np.trace(P, axis1=1, axis2=2)) / 2)
    kn, fit = kalmannet(data, epochs)
    print(f"| {inv_r2_db:5.0f} | {riccati:7.2f} | {mse_db(kf, X):7.2f} | {mse_db(fp, X):7.2f} | "
          f"{mse_db(kn, X):7.2f} | {mse_db(kn, X) - riccati:+.2f} | {fit:5.1f} |")


def lorenz(inv_r2_db, n_train, n_test, epochs):
    s = {**_DEFAULTS, "inv_r2_db": inv_r2_db, "n_train": n_train, "n_test": n_test}
    data = make_filtering_data("Lorenz", s, np.random.default_rng([0, 11]))
    Y, X, M0 = data["test"]
    t0 = time.perf_counter()
    ekf = GaussianFilter(data["model"], "ekf").filter(Y, m0=M0).filtered_means
    t_lindy = time.perf_counter() - t0
    ukf = GaussianFilter(data["model"], "ukf").filter(Y, m0=M0).filtered_means
    t0 = time.perf_counter()
    fp = filterpy_ekf(data["model"], Y, M0)
    t_fp = time.perf_counter() - t0
    true = GaussianFilter(data["true_model"], "ekf").filter(Y, m0=M0).filtered_means
    kn, fit = kalmannet(data, epochs)
    print(f"| {inv_r2_db:5.0f} | {mse_db(Y, X):7.2f} | {mse_db(ekf, X):7.2f} | {mse_db(fp, X):7.2f} | "
          f"{mse_db(ukf, X):7.2f} | {mse_db(kn, X):7.2f} | {mse_db(true, X):7.2f} | {fit:5.1f} | "
          f"{t_fp / t_lindy:4.1f}x |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    lin_levels, lor_levels = ([0.0], [20.0]) if args.quick else ([-10.0, 0.0, 10.0, 20.0],
                                                                  [0.0, 10.0, 20.0])
    print("linear canonical 2x2, nu = -20 dB, T = 100, 100 training / 100 test sequences, "
          "KalmanNet 15 epochs (MSE dB)")
    print("| 1/r^2 | Riccati | KF lindy | KF filterpy | KalmanNet | KNet - Riccati | fit s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for level in lin_levels:
        linear(level, 100, 100, 15)
    print("\nLorenz, data 5 Taylor terms, model 2 terms, nu = -20 dB, T = 100, 100 / 50 sequences, 20 epochs")
    print("| 1/r^2 | obs | EKF(J=2) lindy | EKF(J=2) filterpy | UKF(J=2) | KalmanNet(J=2) | "
          "EKF(J=5) | fit s | EKF time filterpy/lindy |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level in lor_levels:
        lorenz(level, 100, 50, 20)


if __name__ == "__main__":
    main()
