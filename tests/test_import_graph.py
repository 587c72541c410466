"""The import graph between lindy's subpackages has no cycle.

Built from the ``import``/``from`` statements of every module (including those
inside functions, which hide a cycle from ``import lindy`` but not from a
reader), resolved to the first component under ``lindy``: ``lindy.systems._cache``
is the node ``systems``. The developer tools (``lindy._tools``) are left out:
they may import anything, and nothing may import them.
"""

import ast
from pathlib import Path

import lindy

ROOT = Path(lindy.__file__).resolve().parent
TOOLS = "_tools"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path, module: str):
    """Absolute names of the lindy modules (or module attributes) ``path`` imports."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:  # ``from . import x`` may import a submodule x
                yield f"{target}.{alias.name}"


def _node(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "lindy" or len(parts) < 2:
        return None
    first = parts[1]
    if (ROOT / first).is_dir() or (ROOT / f"{first}.py").is_file():
        return first
    return None  # an attribute of the root package, e.g. ``from .. import __version__``


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        module = _module_name(path)
        source = _node(module)
        if source is None or source == TOOLS:
            continue
        graph.setdefault(source, set())
        for name in _imported(path, module):
            target = _node(name)
            if target is not None and target != source:
                graph[source].add(target)
    return graph


def _cycles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_graph_sees_function_level_imports():
    graph = _graph()
    # lindy.analysis imports lindy.systems only inside functions
    assert "systems" in graph["analysis"]
    assert {"systems", "analysis", "data", "errors"} <= set(graph)


def test_no_import_cycle_between_subpackages():
    graph = _graph()
    assert not _cycles(graph), f"import cycles between lindy subpackages: {_cycles(graph)}"


def test_runtime_never_imports_the_developer_tools():
    assert not [source for source, targets in _graph().items() if TOOLS in targets]


def test_analysis_uses_only_the_public_interface_of_systems():
    """``lindy.analysis`` -> ``lindy.systems`` is one direction, through ``lindy.systems``
    and its compiled interface ``lindy.systems.integrators`` only."""
    allowed = {"lindy.systems", "lindy.systems.integrators"}
    used = set()
    for path in (ROOT / "analysis").rglob("*.py"):
        for name in _imported(path, _module_name(path)):
            if name.startswith("lindy.systems"):
                used.add(name.rpartition(".")[0])
    assert used and used <= allowed, used


def test_cycle_finder():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
