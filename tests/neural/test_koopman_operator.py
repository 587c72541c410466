"""DeepKoopman as a frozen OperatorModel: same spectrum, same forecasts, the operators' analysis."""

import numpy as np
import pytest
import torch

import lindy as ld
from lindy.operators import OperatorModel
from lindy.operators import _analysis as an
from lindy.operators._rollout import forecast_states


@pytest.fixture(scope="module", params=["tanh", "gelu"])
def fitted(request):
    vdp = ld.systems.get_system("VanDerPol")
    data = ld.systems.simulate(vdp, n_steps=200, n_traj=2, random_state=0, ic_spread=0.3)
    model = ld.neural.DeepKoopman(state_dim=4, hidden_layer_sizes=(16, 16), window=5, max_iter=3,
                                  activation=request.param, solver="lbfgs",
                                  learning_rate=1.0).fit(data)
    return model, data


def test_eigenvalues_equal_the_latent_operators(fitted):
    model, data = fitted
    op = model.to_operator(data)
    assert isinstance(op, OperatorModel)
    np.testing.assert_allclose(np.sort_complex(op.eigenvalues), np.sort_complex(model.eigenvalues_),
                               rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(an.continuous_eigenvalues(op)[np.argsort(-np.abs(op.eigenvalues))],
                               np.log(op.eigenvalues.astype(complex)) / model.dt_, rtol=1e-12)


@pytest.mark.parametrize("every", [1, 5, None])
def test_rollout_equals_the_deep_koopman_forecast(fitted, every):
    model, data = fitted
    op = model.to_operator(data)
    ctx = data[1].x[:50]
    fc = model.set_params(reencode_every=every).forecast(ctx, 60)
    model.set_params(reencode_every=1)
    np.testing.assert_allclose(forecast_states(op, ctx, 60, reencode_every=every), fc.x,
                               rtol=1e-9, atol=1e-10)
    # one-step predictions too
    np.testing.assert_allclose(an.predict_next(op, ctx, None), model.predict(ctx), rtol=1e-9, atol=1e-10)


def test_encoder_is_the_networks(fitted):
    model, data = fitted
    op = model.to_operator(data)
    x = data[0].x[:20]
    np.testing.assert_allclose(op.encoder.encode(x), model.encode(x), rtol=1e-12, atol=1e-13)
    # eigenfunctions advance by their eigenvalues along the latent map
    phi = an.eigenfunctions(op, x)
    np.testing.assert_allclose(op.encoder.encode(x) @ op.M @ op.W, phi * op.eigenvalues, atol=1e-10)


def test_residuals_are_resdmds_on_the_encoded_pairs(fitted):
    model, data = fitted
    op = model.to_operator(data)
    Z = model.encode(data[0].x)
    ZX, ZY = Z[:-1], Z[1:]
    own = model.residuals(data[0])
    PX, PY = ZX @ op.W, ZY @ op.W
    brute = np.linalg.norm(PY - PX * op.eigenvalues, axis=0) / np.linalg.norm(PX, axis=0)
    order = [int(np.argmin(np.abs(op.eigenvalues - lam))) for lam in model.eigenvalues_]
    np.testing.assert_allclose(own, brute[order], rtol=1e-10)
    assert own.shape == (4,) and np.all((own >= 0) & np.isfinite(own))
    # the operators' plot colors the eigenvalues by these residuals
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = ld.plot.plot_eigenvalues(model, residuals=own)
    assert ax.get_xlabel() == "Re" and len(ax.collections[0].get_offsets()) == 4
    plt.close("all")


def test_numpy_and_torch_activations_agree():
    from lindy.neural._koopman_operator import _activation

    a = np.linspace(-30, 30, 121)
    t = torch.as_tensor(a)
    for name, f in {"tanh": torch.tanh, "relu": torch.relu,
                    "softplus": torch.nn.functional.softplus,
                    "gelu": torch.nn.functional.gelu}.items():
        np.testing.assert_allclose(_activation(name, a), f(t).numpy(), rtol=1e-13, atol=1e-15)
