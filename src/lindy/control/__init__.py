"""Control on learned models: LQR/LQG, MPC and Koopman MPC, iLQR, model reduction.

``dlqr``, ``LQG`` and ``MPC`` accept plain matrices or a learned linear model
(a fitted DMDc or EDMDc, LGSSMParams, an LTISystem), read by
:func:`as_state_space`. The MPC solver (OSQP) is the optional extra
``lindy[control]``.

dlqr, lqr              LQR gains from the Riccati equations (python-control's (K, S, E))
LQG, kalman_gain       output feedback: LQR + steady-state Kalman filter, integral action
MPC                    linear MPC, condensed QP built once, OSQP with warm starts
KoopmanMPC             MPC on EDMDc's lifted predictor (Korda and Mezić 2018)
ilqr                   iterative LQR for nonlinear dynamics
balanced_truncation    square-root balanced truncation, Hankel singular values
closed_loop            simulate a controller on a plant (LTISystem, System + input_matrix)
plant_step, simulate_inputs, linearize
                       plants with inputs: one sample, open-loop excitation, ZOH linearization
mass_spring_chain, heat_equation, dc_motor, burgers
                       benchmark plants: sampled linear models, a nonlinear Burgers plant

Examples
--------
>>> import numpy as np, lindy as ld
>>> sys = ld.systems.random_lti(3, 1, 1, random_state=0)
>>> K, S, E = ld.control.dlqr(sys.A, sys.B, np.eye(3), np.eye(1))
>>> K.shape
(1, 3)
"""

from ._balanced import BalancedTruncation, balanced_truncation, hankel_singular_values
from ._closed_loop import closed_loop
from ._environments import (
    BilinearMotorPlant,
    BurgersPlant,
    bilinear_motor,
    burgers,
    dc_motor,
    heat_equation,
    mass_spring_chain,
)
from ._ilqr import ILQRResult, ilqr
from ._koopman import KoopmanMPC
from ._lqg import LQG, kalman_gain
from ._models import LiftedPredictor, as_state_space, lifted_predictor
from ._moments import MomentMatching, moment_matching, moments
from ._mpc import MPC, MPCPlan
from ._plants import linearize, plant_step, simulate_inputs
from ._riccati import dlqr, lqr

__all__ = [
    "bilinear_motor",
    "BilinearMotorPlant",
    "moment_matching",
    "moments",
    "MomentMatching",
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
    "mass_spring_chain",
    "heat_equation",
    "dc_motor",
    "burgers",
    "BurgersPlant",
]
