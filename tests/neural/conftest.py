"""The neural tests run torch single-threaded (two shared cores; results are per-thread deterministic)."""

import os

import pytest

# ``make test`` installs torch and sets LINDY_REQUIRE_TORCH=1: there a missing torch is an
# error, never a silent skip; a bare ``pytest`` without the extra skips these tests.
if os.environ.get("LINDY_REQUIRE_TORCH"):
    import torch
else:
    torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
