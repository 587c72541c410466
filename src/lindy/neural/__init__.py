"""Neural models on PyTorch (the optional extra ``pip install 'lindy[torch]'``).

:class:`NeuralODE` learns a vector field by backpropagation through an RK4
solver on multiple-shooting windows (irregular sampling accepted);
:class:`DeepKoopman` learns an autoencoder whose latent state evolves by a
linear map; :class:`PLRNN` is a (shallow) piecewise-linear RNN trained by
generalized teacher forcing (Hess et al. 2023), with their adaptive forcing
schedule (:func:`gtf_alpha`); :class:`ALRNN` is the almost-linear RNN
(Brenner et al. 2024), whose few ReLU units give a symbolic code
(:class:`SymbolicCode`) and exact fixed points and cycles
(:func:`periodic_orbits`, numpy on the extracted weights); :class:`KalmanNet`
is a Kalman filter whose gain a GRU learns (Revach et al. 2022). All share one
training loop (:func:`train`: validation split, early stopping, gradient
clipping, seeded determinism, optional progress bar, checkpoints as numpy
arrays plus JSON). Fitted weights are kept as numpy arrays (``state_dict_``),
so the models save and load like every lindy model.

``import lindy.neural`` does not import torch; fitting does, and raises
:class:`lindy.errors.MissingDependencyError` when torch is missing.

Examples
--------
>>> import lindy as ld
>>> ld.neural.NeuralODE(hidden_layer_sizes=(16,)).get_params()["window"]
10
"""

from ._alrnn import ALRNN
from ._kalmannet import KalmanNet, KalmanNetResult
from ._koopman import DeepKoopman
from ._koopman_operator import MLPDecoder, MLPLift
from ._latent import anneal_forcing, gtf_alpha
from ._node import NeuralODE
from ._plrnn import PLRNN
from ._regions import (
    PeriodicOrbit,
    SymbolicCode,
    alrnn_map,
    periodic_orbits,
    region_codes,
    region_jacobian,
    symbolic_code,
    words_in_code,
)
from ._training import TrainResult, load_checkpoint, save_checkpoint, train

__all__ = ["NeuralODE", "DeepKoopman", "PLRNN", "train", "TrainResult", "save_checkpoint", "load_checkpoint",
           "KalmanNet", "KalmanNetResult", "MLPLift", "MLPDecoder",
           "ALRNN", "gtf_alpha", "anneal_forcing", "SymbolicCode", "PeriodicOrbit", "symbolic_code",
           "periodic_orbits", "region_codes", "region_jacobian", "alrnn_map", "words_in_code"]
