"""The parsed document and the questions every later stage asks of it: resolve a pointer, list operations."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from generator.errors import pointer_join, pointer_parts

# Operations without a tag are generated under this one, so that none is silently left out.
UNTAGGED = "default"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_NOTHING = object()


@dataclass(frozen=True)
class Document:
    """A parsed document, its origin and a pointer → line map for diagnostics (YAML only)."""

    source: str
    data: dict[str, Any]
    sha256: str
    lines: Mapping[str, int] = field(default_factory=dict)
    # Each reference's node once found: the builder follows the same few thousand many times.
    _resolved: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def line_of(self, pointer: str) -> int | None:
        """The line of the nearest node at or above `pointer` that the map knows."""
        while pointer:
            if pointer in self.lines:
                return self.lines[pointer]
            if "/" not in pointer:
                break
            pointer = pointer.rsplit("/", 1)[0]
        return None

    def resolve(self, ref: str) -> Any:
        """The node a local `#/...` reference names; KeyError when there is none."""
        known = self._resolved.get(ref, _NOTHING)
        if known is not _NOTHING:
            return known
        if not ref.startswith("#"):
            raise KeyError(ref)
        # A $ref is a URI: its fragment is percent-encoded before it is a JSON pointer.
        node = self._resolved[ref] = self.at(unquote(ref))
        return node

    def at(self, pointer: str) -> Any:
        """The node at a JSON pointer (`#/...`, not percent-encoded); KeyError when there is none."""
        node: Any = self.data
        for part in pointer_parts(pointer):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise KeyError(pointer)
        return node

    def operations(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Yields (pointer, path, method, operation) for every operation, in document order."""
        yield from self._operations

    @cached_property
    def _operations(self) -> tuple[tuple[str, str, str, dict[str, Any]], ...]:
        """Listed once: every stage asks, and asking per tag walked all paths once a tag (Graph has
        thousands of tags), most of a large document's build. The data is not changed once loaded."""
        paths = self.data.get("paths")
        if not isinstance(paths, dict):
            return ()
        found = []
        for path, item in paths.items():
            if not isinstance(item, dict):
                continue
            for method in HTTP_METHODS:
                op = item.get(method)
                if isinstance(op, dict):
                    found.append((pointer_join("#/paths", path, method), path, method, op))
        return tuple(found)

    def webhook_operations(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Yields (pointer, webhook name, method, operation) for the requests the API sends (OpenAPI 3.1)."""
        hooks = self.data.get("webhooks")
        if not isinstance(hooks, dict):
            return
        for name, item in hooks.items():
            if isinstance(item, dict):
                for method in HTTP_METHODS:
                    op = item.get(method)
                    if isinstance(op, dict):
                        yield pointer_join("#/webhooks", name, method), name, method, op

    def tags(self) -> list[str]:
        """Every tag name used by an operation or declared at the top, declared ones first."""
        return list(self._by_tag)

    def tag_operations(self, tag: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        """The operations tagged `tag`; the `default` tag also holds those with no tag."""
        return list(self._by_tag.get(tag, ()))

    @cached_property
    def _by_tag(self) -> dict[str, list[tuple[str, str, str, dict[str, Any]]]]:
        """Each tag's operations in document order, the tags in the order `tags` gives them."""
        order: dict[str, None] = {}
        for tag in self.data.get("tags") or []:
            if isinstance(tag, dict) and isinstance(tag.get("name"), str):
                order.setdefault(tag["name"])
        found: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
        for entry in self._operations:
            names = _tags_of(entry[3])
            for name in dict.fromkeys(names or [UNTAGGED]):
                found.setdefault(name, []).append(entry)
            order.update(dict.fromkeys(names))
        if UNTAGGED in found:  # an operation without a tag; one tagged `default` has put it in order already
            order.setdefault(UNTAGGED)
        return {name: found.get(name, []) for name in order}


def _tags_of(op: dict[str, Any]) -> list[str]:
    return [t for t in op.get("tags") or [] if isinstance(t, str)]


def as_mapping(node: Any) -> dict[str, Any]:
    """A member the document should give as an object; {} when it gives anything else."""
    return node if isinstance(node, dict) else {}


def as_text(node: Any) -> str:
    """A member the document should give as a string, stripped; "" when it gives anything else."""
    return node.strip() if isinstance(node, str) else ""
