"""On-disk trajectory cache, keyed by a hash of everything that determines a result.

The key covers the system (name, kind, dimension, right-hand side name and
parameters), the initial conditions, the time grid, the integrator and its
tolerances, and the lindy version. Files are written atomically (temporary file
plus ``os.replace``), so concurrent writers never leave a partial file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from ..errors import ValidationError

__all__ = ["trajectory_key", "cache_dir", "load", "store"]


def _version() -> str:
    from .. import __version__

    return str(__version__)


def cache_dir(cache) -> Path:
    """Resolve ``cache`` (True for the default location, or a directory path)."""
    if cache is True:
        root = os.environ.get("LINDY_CACHE_DIR") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
            "lindy")
        return Path(root) / "trajectories"
    if isinstance(cache, (str, os.PathLike)):
        return Path(cache)
    raise ValidationError(f"cache must be True, False/None or a directory path; got {cache!r}.")


def trajectory_key(system, X0: np.ndarray, t: np.ndarray, integrator: str, **options) -> str:
    """A hex digest identifying one simulation request.

    Examples
    --------
    >>> import numpy as np
    >>> from lindy.systems import get_system
    >>> s = get_system("Lorenz")
    >>> k1 = trajectory_key(s, s.x0[None], np.arange(3.0), "dop853", rtol=1e-10)
    >>> k1 == trajectory_key(s.with_params(rho=20.0), s.x0[None], np.arange(3.0), "dop853",
    ...                      rtol=1e-10)
    False
    """
    h = hashlib.sha256()
    head = {"name": system.name, "kind": system.kind, "dim": system.dim,
            "rhs": getattr(system.rhs, "__qualname__", repr(system.rhs)),
            "params": system.params, "integrator": integrator, "version": _version(),
            "options": {k: (v if isinstance(v, (int, float, str, bool, type(None))) else repr(v))
                        for k, v in sorted(options.items())}}
    h.update(json.dumps(head, sort_keys=True).encode())
    h.update(np.ascontiguousarray(X0, dtype=float).tobytes())
    h.update(np.ascontiguousarray(t, dtype=float).tobytes())
    return h.hexdigest()


def load(directory: Path, key: str) -> np.ndarray | None:
    """The cached array for ``key``, or None."""
    path = directory / f"{key}.npy"
    if not path.is_file():
        return None
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError):  # unreadable: treat as a miss, it will be rewritten
        return None


def store(directory: Path, key: str, array: np.ndarray) -> None:
    """Write ``array`` under ``key`` atomically."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, np.asarray(array), allow_pickle=False)
        os.replace(tmp, directory / f"{key}.npy")
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
