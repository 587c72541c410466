"""Control on learned models: LQR/LQG, MPC and Koopman MPC, iLQR, model reduction.

Every function accepts plain matrices or a learned linear model (a fitted
DMDc or EDMDc, LGSSMParams, an LTISystem), read by :func:`as_state_space`.
The MPC solver (OSQP) is the optional extra ``lindy[control]``.

Examples
--------
>>> import numpy as np, lindy as ld
>>> sys = ld.systems.random_lti(3, 1, 1, seed=0)
>>> K, S, E = ld.control.dlqr(sys.A, sys.B, np.eye(3), np.eye(1))
>>> K.shape
(1, 3)
"""

from ._balanced import BalancedTruncation, balanced_truncation, hankel_singular_values
from ._closed_loop import closed_loop
from ._ilqr import ILQRResult, ilqr
from ._koopman import KoopmanMPC
from ._lqg import LQG, kalman_gain
from ._models import LiftedPredictor, as_state_space, lifted_predictor
from ._mpc import MPC, MPCPlan
from ._plants import linearize, plant_step, simulate_inputs
from ._riccati import dlqr, lqr

__all__ = [
    "as_state_space",
    "lifted_predictor",
    "LiftedPredictor",
    "lqr",
    "dlqr",
    "LQG",
    "kalman_gain",
    "balanced_truncation",
    "hankel_singular_values",
    "BalancedTruncation",
    "MPC",
    "MPCPlan",
    "KoopmanMPC",
    "closed_loop",
    "ilqr",
    "ILQRResult",
    "plant_step",
    "simulate_inputs",
    "linearize",
]
