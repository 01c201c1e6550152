"""What must hold of any generated tree, whatever the document said: shared by the corpus and property tests."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.M)
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def python_constants(root: Path) -> tuple[set[str], set[str]]:
    """Every string enum member value and every field alias in the models, read from the parsed source."""
    values: set[str] = set()
    aliases: set[str] = set()
    for path in (root / "models").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "OpenEnum" for b in node.bases):
                for item in node.body:
                    if isinstance(item, ast.Assign) and isinstance(item.value, ast.Constant):
                        values.add(item.value.value)
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "BaseModel" for b in node.bases):
                aliases |= _wire_names(node)
    return values, aliases


def _wire_names(model: ast.ClassDef) -> set[str]:
    """A model's wire names: those its `wire_names(...)` config gives, else the field's own name."""
    renamed: dict[str, str] = {}
    for item in model.body:
        call = item.value if isinstance(item, ast.Assign) else None
        if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "wire_names":
            renamed = {k.arg: k.value.value for k in call.keywords if k.arg and isinstance(k.value, ast.Constant)}
    fields = [
        item.target.id
        for item in model.body
        if isinstance(item, ast.AnnAssign)
        and isinstance(item.target, ast.Name)
        and not (isinstance(item.annotation, ast.Subscript) and getattr(item.annotation.value, "id", "") == "ClassVar")
    ]
    return {renamed.get(name, name) for name in fields}


# Characters that must never stand raw in a generated file: C0 and C1 controls (but tab and newline),
# the Unicode line separators, and the bidirectional controls of "Trojan Source" (CVE-2021-42574).
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def raw_controls(root: Path) -> list[str]:
    """Each generated file holding such a character, with the first one it holds."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".md", ".toml")):
        match = _RAW_CONTROL.search(path.read_text(encoding="utf-8"))
        if match:
            found.append(f"{path.relative_to(root)}: U+{ord(match.group()):04X}")
    return found


def compile_tree(root: Path) -> int:
    """Compiles every Python file (SyntaxError fails the caller); returns how many there were."""
    files = sorted(root.rglob("*.py"))
    for path in files:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    return len(files)


def broken_tables(markdown: str) -> Iterator[str]:
    """Table rows whose cell count differs from their header's: a pipe from the document split a cell."""
    header: int | None = None
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = len(_UNESCAPED_PIPE.findall(line))
            if header is None:
                header = cells
            elif cells != header:
                yield line
        else:
            header = None


def strings_at(node: Any, key: str) -> Iterator[str]:
    """Every string under `key` anywhere in a parsed document (e.g. all enum values)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            found = current.get(key)
            if isinstance(found, list):
                yield from (v for v in found if isinstance(v, str))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def fences_paired(markdown: str) -> bool:
    """Every code fence on the page is closed, so the document cannot swallow the rest of the page."""
    return len(_FENCE.findall(markdown)) % 2 == 0


def python_examples(markdown: str) -> list[str]:
    """The page's ```python blocks: the SDK's own examples, each of which must at least compile."""
    return _PYTHON_BLOCK.findall(markdown)
