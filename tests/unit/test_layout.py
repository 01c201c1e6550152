"""The layout the README promises: no import circle among the generator's modules (imports inside functions
and under TYPE_CHECKING included), stage packages that depend on each other one way, no module much over
400 lines, and the README's tree listing exactly the modules there are."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "generator"
MAX_LINES = 400
# The stage packages in the order data flows; each may import only those before it (and the top-level
# modules every stage shares: errors, cache, progress).
STAGES = ("text", "document", "ir", "builder", "history", "output")
SHARED = frozenset({"generator", "generator.errors", "generator.cache", "generator.progress"})


def _modules() -> dict[str, Path]:
    """Every module of the generator by dotted name (a package by its own name), the templates left out."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "templates" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The generator modules a module imports, wherever in it the import is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {
                f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                for alias in node.names
            }
    return {name for name in names if name in modules}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_no_import_circle() -> None:
    assert _cycle(_graph()) is None


def test_finds_a_circle() -> None:
    """The check above can fail."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stages_import_only_earlier_stages() -> None:
    wrong = []
    for module, imported in _graph().items():
        stage = _stage(module)
        if stage is None:
            continue
        for other in imported:
            other_stage = _stage(other)
            allowed = other in SHARED or (other_stage is not None and STAGES.index(other_stage) <= STAGES.index(stage))
            if not allowed:
                wrong.append(f"{module} imports {other}")
    assert wrong == []


@pytest.mark.parametrize("module", sorted(_modules()), ids=str)
def test_module_is_small(module: str) -> None:
    lines = len(_modules()[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines"


def _readme_tree() -> set[str]:
    """The .py files the README's "How it works" tree shows, as paths under generator/."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```text\ngenerator/\n(.*?)```", text, re.S)
    assert block, "the README shows the tree of generator/ in a ```text block"
    files, folders = set(), []
    for line in block.group(1).splitlines():
        match = re.match(r"^([│ ]*)[├└]── (\S+)", line)
        if not match:
            continue
        depth = len(match.group(1)) // 4
        name = match.group(2)
        del folders[depth:]
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
        elif name.endswith(".py"):
            files.add("/".join([*folders, name]))
    return files


def test_readme_tree_matches_the_package() -> None:
    """Every module, the top-level `__init__.py` and `__main__.py` included; a package by its folder line."""
    present = {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "templates" not in p.parts and not (p.name == "__init__.py" and p.parent != PACKAGE)
    }
    assert _readme_tree() == present


def test_the_wheel_lists_every_package() -> None:
    """setuptools takes the packages pyproject lists, no others: a stage package left out is missing from the
    wheel, and only an installed generator finds out."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    packages = {name for name, path in _modules().items() if path.name == "__init__.py"}
    assert packages - listed == set()
