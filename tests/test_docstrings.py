"""Every public function and class has a numpydoc docstring."""

import importlib
import inspect
import pkgutil

import lindy

_SKIP = ("lindy.neural",)


def _public_objects():
    for info in pkgutil.walk_packages(lindy.__path__, "lindy."):
        if info.name.startswith(_SKIP) or "._" in info.name or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{info.name}.{name}", obj


def test_public_api_is_documented():
    missing = [name for name, obj in _public_objects() if not (obj.__doc__ or "").strip()]
    assert not missing, f"public objects without a docstring: {missing}"


def test_public_functions_document_their_parameters_or_examples():
    thin = []
    for name, obj in _public_objects():
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        params = [p for p in inspect.signature(obj).parameters if p not in ("self", "cls")]
        if params and not any(h in doc for h in ("Parameters", "Examples", "Returns")):
            thin.append(name)
    assert not thin, f"public functions whose docstring has no numpydoc section: {thin}"
