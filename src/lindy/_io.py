"""Saving and loading models: a portable file of arrays plus a JSON description.

A file is a NumPy ``.npz`` archive (read with ``allow_pickle=False``) holding
every array of the model and one entry ``__lindy__``: UTF-8 JSON with the
format number, the lindy version, the class and the model's state as a tree.
Only lindy's own classes are rebuilt on loading, so a file can never run
arbitrary code; a model that holds a user function (a callable dictionary or
kernel) cannot be saved and says so. Attributes named ``_cache_*`` are caches
rebuilt on demand (search trees, factorizations) and are not written.

Examples
--------
>>> import numpy as np, lindy as ld, tempfile, os
>>> model = ld.operators.DMD(rank=2).fit(np.cumsum(np.random.default_rng(0).standard_normal((20, 2)), axis=0))
>>> path = os.path.join(tempfile.mkdtemp(), "dmd.lindy")
>>> model.save(path)
>>> same = ld.load(path)
>>> bool(np.allclose(same.eigenvalues_, model.eigenvalues_))
True
"""

from __future__ import annotations

import importlib
import io
import json
import os
import zipfile

import numpy as np

from .errors import FileFormatError, ValidationError

__all__ = ["save", "load"]

FORMAT = 1
_HEADER = "__lindy__"


def _version() -> str:
    from . import __version__

    return __version__


def _compatible(saved: str, current: str) -> bool:
    """Same major and minor version (lindy is pre-1.0: a minor release may break files)."""
    return saved.split(".")[:2] == current.split(".")[:2]


def _qualified(obj_type: type) -> str:
    return f"{obj_type.__module__}:{obj_type.__qualname__}"


def _resolve(name: str):
    module, _, qual = name.partition(":")
    if module.split(".")[0] != "lindy":
        raise FileFormatError(f"The file names the class {name!r}, which is not part of lindy; "
                              "lindy only rebuilds its own classes.")
    try:
        obj = importlib.import_module(module)
        for part in qual.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise FileFormatError(f"The file needs {name!r}, which this lindy version does not "
                              "have; load it with the lindy version that saved it.") from None
    return obj


class _Encoder:
    """Turn a model's state into JSON plus a list of arrays."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []

    def array(self, a: np.ndarray, where: str):
        if a.dtype.kind not in "biufcM":
            raise ValidationError(f"Cannot save {where}: an array of dtype {a.dtype} (only "
                                  "numeric arrays can be stored without pickle).")
        self.arrays.append(a)  # np.save keeps Fortran order: BLAS results stay bit-identical
        return {"__array__": len(self.arrays) - 1, "ro": not a.flags.writeable}

    def encode(self, v, where: str):  # noqa: C901 - one branch per JSON type
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, (int, np.integer)) and not isinstance(v, np.bool_):
            return int(v)
        if isinstance(v, np.bool_):
            return bool(v)
        if isinstance(v, (float, np.floating)):
            f = float(v)
            return f if np.isfinite(f) else {"__float__": repr(f)}
        if isinstance(v, (complex, np.complexfloating)):
            return {"__complex__": [self.encode(v.real, where), self.encode(v.imag, where)]}
        if isinstance(v, np.ndarray):
            return self.array(v, where)
        if isinstance(v, tuple) and hasattr(v, "_fields"):
            return {"__namedtuple__": _qualified(type(v)),
                    "fields": [self.encode(x, f"{where}.{k}") for k, x in zip(v._fields, v)]}
        if isinstance(v, (list, tuple)):
            key = "__list__" if isinstance(v, list) else "__tuple__"
            return {key: [self.encode(x, f"{where}[{i}]") for i, x in enumerate(v)]}
        if isinstance(v, dict):
            return {"__items__": [[self.encode(k, where), self.encode(x, f"{where}[{k!r}]")]
                                  for k, x in v.items()]}
        if isinstance(v, np.random.Generator):
            bg = v.bit_generator
            return {"__generator__": type(bg).__name__, "state": self.encode(bg.state, where)}
        if isinstance(v, type) and v.__module__.startswith("lindy"):
            return {"__class__": _qualified(v)}
        if callable(v) and not hasattr(v, "__dict__") or _is_function(v):
            if _is_function(v) and v.__module__.startswith("lindy") and "<" not in v.__qualname__:
                return {"__function__": _qualified(v)}
            raise ValidationError(
                f"Cannot save {where}: it holds the function {v!r}, and lindy files store no "
                "code. Use one of lindy's built-in dictionaries or kernels, or refit the model "
                "after loading.")
        if type(v).__module__.split(".")[0] == "lindy" and hasattr(v, "__dict__"):
            state = {k: self.encode(x, f"{where}.{k}") for k, x in vars(v).items()}
            return {"__object__": _qualified(type(v)), "state": state}
        raise ValidationError(f"Cannot save {where}: objects of type {type(v).__name__} "
                              "cannot be stored without pickle.")


def _is_function(v) -> bool:
    import types

    return isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType))


class _Decoder:
    def __init__(self, arrays) -> None:
        self.arrays = arrays

    def decode(self, v):  # noqa: C901 - mirrors _Encoder.encode
        if not isinstance(v, (dict, list)):
            return v
        if isinstance(v, list):  # pragma: no cover - the encoder never writes bare lists
            return [self.decode(x) for x in v]
        if "__array__" in v:
            a = np.array(self.arrays[f"a{v['__array__']}"])
            if v.get("ro"):
                a.flags.writeable = False
            return a
        if "__float__" in v:
            return float(v["__float__"])
        if "__complex__" in v:
            re, im = (self.decode(x) for x in v["__complex__"])
            return complex(re, im)
        if "__list__" in v:
            return [self.decode(x) for x in v["__list__"]]
        if "__tuple__" in v:
            return tuple(self.decode(x) for x in v["__tuple__"])
        if "__items__" in v:
            return {self.decode(k): self.decode(x) for k, x in v["__items__"]}
        if "__namedtuple__" in v:
            return _resolve(v["__namedtuple__"])(*[self.decode(x) for x in v["fields"]])
        if "__generator__" in v:
            bg = getattr(np.random, v["__generator__"])()
            bg.state = self.decode(v["state"])
            return np.random.Generator(bg)
        if "__class__" in v:
            return _resolve(v["__class__"])
        if "__function__" in v:
            return _resolve(v["__function__"])
        if "__object__" in v:
            cls = _resolve(v["__object__"])
            obj = cls.__new__(cls)
            obj.__dict__.update({k: self.decode(x) for k, x in v["state"].items()})
            return obj
        raise FileFormatError(f"Unknown entry in the file: {sorted(v)}.")


def save(model, path) -> None:
    """Write ``model`` to ``path`` (see the module docstring for the format).

    Parameters
    ----------
    model : lindy.base.Estimator
    path : str or os.PathLike

    Raises
    ------
    lindy.errors.ValidationError
        If the model holds something that cannot be stored without pickle (a
        user function, an arbitrary object).
    """
    enc = _Encoder()
    name = type(model).__name__
    state = {k: enc.encode(v, f"{name}.{k}") for k, v in vars(model).items()
             if not k.startswith("_cache_")}
    header = {"format": FORMAT, "lindy": _version(), "class": _qualified(type(model)),
              "state": state}
    entries = {f"a{i}": a for i, a in enumerate(enc.arrays)}
    entries[_HEADER] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **entries)
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(buf.getvalue())
    os.replace(tmp, path)


def load(path):
    """Read a model written by ``save``.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    lindy.base.Estimator
        The model, fitted if it was fitted when saved.

    Raises
    ------
    lindy.errors.FileFormatError
        If the file is not a lindy model file, is damaged, or was written by an
        incompatible lindy version (another major or minor version).
    """
    try:
        with np.load(path, allow_pickle=False) as npz:
            if _HEADER not in npz.files:
                raise FileFormatError(f"{os.fspath(path)!r} is not a lindy model file (no header).")
            header = json.loads(bytes(npz[_HEADER]).decode())
            arrays = {k: npz[k] for k in npz.files if k != _HEADER}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, json.JSONDecodeError) as err:
        if isinstance(err, FileFormatError):
            raise
        raise FileFormatError(f"{os.fspath(path)!r} is not a readable lindy model file "
                              f"({type(err).__name__}: {err}).") from None
    if header.get("format") != FORMAT or not _compatible(str(header.get("lindy", "")), _version()):
        raise FileFormatError(
            f"{os.fspath(path)!r} was saved by lindy {header.get('lindy')} (file format "
            f"{header.get('format')}); this is lindy {_version()} (format {FORMAT}). Load it with "
            "the lindy version that saved it and refit or re-save.")
    cls = _resolve(header["class"])
    model = cls.__new__(cls)
    dec = _Decoder(arrays)
    model.__dict__.update({k: dec.decode(v) for k, v in header["state"].items()})
    return model
