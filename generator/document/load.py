"""Stage 1: read the document (YAML or JSON, told apart by content) and remember where each node sits."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from generator.document.fetch import DEFAULT_MAX_BYTES, FETCH_TIMEOUT, read_source
from generator.document.normalize import check_aliases, collapse_ref_chains, refuse_surrogate, scan
from generator.document.parsed import Document
from generator.errors import Diagnostic, GeneratorError, pointer_join

try:  # The C loader is several times faster; fall back where libyaml is missing.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """YAML read as JSON would have it: a mapping key is the text written (`1:` and `2020-01-01:` are
    the keys "1" and "2020-01-01", as a path or property name means them), and so is a date."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:  # type: ignore[override]
        self.flatten_mapping(node)  # `<<` merge keys, as the safe loader takes them
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "a list" if isinstance(key_node, yaml.SequenceNode) else "a mapping"
                raise yaml.constructor.ConstructorError(
                    None, None, f"a mapping key must be text, not {kind}", key_node.start_mark
                )
            mapping[str(key_node.value)] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_timestamp(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_timestamp)


# Ten times the nesting of the real Codat document, and shallow enough for every later stage to walk.
MAX_DEPTH = 256


def load_document(spec: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = FETCH_TIMEOUT) -> Document:
    """Reads and parses a path or URL; every failure becomes a one-line GeneratorError naming the place."""
    return parse_document(read_source(str(spec), max_bytes, timeout), str(spec))


def parse_document(raw: bytes, source: str) -> Document:
    """Parses bytes as JSON when they look like JSON, else as YAML (a superset we parse slower)."""
    sha = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = "an OpenAPI document is UTF-8 YAML or JSON: is this the right file?"
        raise GeneratorError([Diagnostic(source, "#", f"not UTF-8 text (byte {exc.start})", hint=hint)]) from None
    if text.lstrip().startswith(("{", "[")):
        data, lines = _parse_json(text, source), dict[str, int]()
    else:
        data, lines = _parse_yaml(text, source)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "empty"
        raise GeneratorError(
            [
                Diagnostic(
                    source,
                    "#",
                    f"the document is {kind}, not a mapping",
                    line=1,
                    hint="an OpenAPI document is an object with `openapi`, `info` and `paths`",
                )
            ]
        )
    found = scan(data, MAX_DEPTH)
    if found.too_deep:
        pointer = _pointer_to_depth(data, MAX_DEPTH)
        raise _nested_too_deep(source, pointer, lines.get(pointer))
    if found.surrogate:
        refuse_surrogate(data, source, lines)
    collapse_ref_chains(data, found.refs)
    return Document(source=source, data=data, sha256=sha, lines=lines)


def _pointer_to_depth(data: Any, depth: int) -> str:
    """The pointer of the first container found at `depth`."""
    stack: list[tuple[Any, str, int]] = [(data, "#", 1)]
    while stack:
        node, pointer, level = stack.pop()
        if level >= depth:
            return pointer
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend((v, pointer_join(pointer, k), level + 1) for k, v in items if isinstance(v, dict | list))
    return "#"


def _nested_too_deep(source: str, pointer: str, line: int | None) -> GeneratorError:
    shown = pointer if len(pointer) <= 160 else f"{pointer[:100]}…{pointer[-50:]}"
    message = f"the document nests deeper than {MAX_DEPTH} levels"
    return GeneratorError([Diagnostic(source, shown, message, line=line, hint="move nested schemas into components")])


def _parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeneratorError(
            [
                Diagnostic(
                    source,
                    "#",
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    line=exc.lineno,
                    hint="fix the JSON there; a truncated download ends this way too",
                )
            ]
        ) from None
    except RecursionError:
        raise _nested_too_deep(source, "#", None) from None


def _parse_yaml(text: str, source: str) -> tuple[Any, dict[str, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            check_aliases(node, source)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if "nesting depth" in str(exc.problem):  # PyYAML 6.0.4 and later stop deep nesting themselves
            raise _nested_too_deep(source, "#", line) from None
        message = " ".join(str(exc.problem or exc.context or "unreadable").split())
        hint = "fix the YAML there; a truncated download ends this way too"
        raise GeneratorError([Diagnostic(source, "#", f"invalid YAML: {message}", line=line, hint=hint)]) from None
    except RecursionError:
        raise _nested_too_deep(source, "#", None) from None
    except yaml.YAMLError as exc:
        raise GeneratorError([Diagnostic(source, "#", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _index_lines(node, "#", lines)
    return data, lines


def _index_lines(root: yaml.Node, pointer: str, lines: dict[str, int]) -> None:
    """Records the 1-based line of every node, keyed by JSON pointer (iterative: nesting can be deep)."""
    stack: list[tuple[yaml.Node, str, int]] = [(root, pointer, root.start_mark.line)]
    seen: set[int] = set()
    while stack:
        node, ptr, line = stack.pop()
        lines.setdefault(ptr, line + 1)
        if id(node) in seen:  # YAML anchors can share a node between places
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((value, pointer_join(ptr, str(key.value)), key.start_mark.line))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, pointer_join(ptr, index), item.start_mark.line))
