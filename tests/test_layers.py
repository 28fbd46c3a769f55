"""The floors point one way: pipelines -> core (caseboard/, caseboard/review/) -> front-ends.

Every module of ``caseboard/``, ``pipelines/`` and ``dashboard/`` is parsed (not imported)
and every import statement in it is read, function-level imports included, so an import
hidden inside a function to dodge a loop counts like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("caseboard", "pipelines", "dashboard")

# Import cycles known and accepted, by the modules in them (none). Each must still exist
# (the test fails when one is gone, so an entry is dropped with its fix).
EXPECTED_CYCLES: set[frozenset[str]] = set()


def module_name(path: Path) -> str:
    """The dotted module name of a source file under ROOT (a package is its __init__)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the three packages, by dotted name."""
    return {module_name(path): path for package in PACKAGES
            for path in sorted((ROOT / package).rglob("*.py"))}


def _absolute(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    """The absolute module of a ``from`` import (relative ones resolved against ``name``)."""
    if not node.level:
        return node.module or ""
    base = name.split(".")
    base = base[:len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports anywhere in its source (top level or in functions).

    ``from a import b`` is an import of ``a.b`` when that is a module, else of ``a``. Imports
    under ``if TYPE_CHECKING:`` are left out: they never run, so they make no cycle.
    """
    found: set[str] = set()
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in list(ast.walk(tree)):
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING"):
            node.body = [ast.Pass()]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, name, path.name == "__init__.py")
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import a.b.c` names a module or a package
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    """module -> the project modules it imports."""
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan), i.e. the cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(frozenset(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_the_walk_sees_every_package_and_function_level_imports():
    edges = graph()
    assert {"caseboard.metrics", "caseboard.review.weekly", "pipelines.load",
            "dashboard.data", "dashboard.app_pages.weekly"} <= set(edges)
    # dashboard/data.py imports pipelines.ingest inside ingest_uploads only
    assert "pipelines.ingest" in edges["dashboard.data"]
    # `from caseboard.review import periods, weekly` is two module imports
    assert {"caseboard.review.periods", "caseboard.review.weekly"} <= edges["caseboard.precompute"]


def test_the_cycle_finder_finds_a_loop_and_only_loops():
    # a -> b -> c -> a is one cycle; d -> a and the self-free tail e are not
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(edges) == [frozenset({"a", "b", "c"})]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("package", ["caseboard", "pipelines"])
def test_core_and_pipelines_never_import_the_dashboard(package: str):
    edges = graph()
    upward = sorted((name, target) for name, targets in edges.items()
                    if name.split(".")[0] == package
                    for target in targets if target.split(".")[0] == "dashboard")
    assert upward == []


def test_pipelines_do_not_import_front_ends_of_the_core():
    # the CLI commands are a front-end: a pipeline is called by them, never the reverse
    edges = graph()
    upward = sorted((name, target) for name, targets in edges.items()
                    if name.startswith("pipelines")
                    for target in targets if target.startswith(("caseboard.commands",
                                                                 "caseboard.cli")))
    assert upward == []


def test_no_import_cycles():
    found = set(cycles(graph()))
    assert found - EXPECTED_CYCLES == set()
    # an expected cycle that is gone must leave the list too
    assert EXPECTED_CYCLES - found == set()


def test_the_store_has_one_read_path():
    # only the metrics API reads the precomputed store (precompute fills it, publish empties
    # it); the review model, the report and the dashboard never name its key
    edges = graph()
    readers = {name for name, targets in edges.items() if "caseboard.results_store" in targets}
    assert readers <= {"caseboard.metrics", "caseboard.precompute", "caseboard.publish"}
    named = [name for name, path in modules().items()
             if name.startswith(("caseboard.review", "caseboard.report", "dashboard"))
             and "params_key" in path.read_text()]
    assert named == []
