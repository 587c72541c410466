"""The compiled interface of lindy.systems: entry points compile one at a time, and
delay simulation and delay Lyapunov exponents share one stepper."""

import subprocess
import sys

from lindy.systems.integrators import ENTRY_POINTS


def test_simulating_a_flow_loads_only_the_dop853_loops():
    code = ("import sys, lindy.systems as s; s.simulate(s.get_system('Lorenz'), n_steps=10); "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules "
            "if m.startswith('lindy.systems.integrators._')))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    loaded = eval(res.stdout.strip())
    assert "_dop853" in loaded
    assert not {"_rodas4", "_tangent", "_delay", "_sde", "_map_iteration"} & set(loaded), loaded


def test_every_entry_point_has_a_signature():
    import importlib

    for name, module in ENTRY_POINTS.items():
        mod = importlib.import_module(f"lindy.systems.integrators.{module}")
        assert callable(getattr(mod, name)) and hasattr(mod, f"{name.upper()}_SIG"), name


def test_delay_lyapunov_steps_the_state_with_the_simulation_stepper():
    from lindy.systems.integrators import _delay, _tangent

    assert _tangent.rk4_step is _delay.rk4_step
    assert _tangent.stage_state is _delay.stage_state  # the tangent follows the same stages
