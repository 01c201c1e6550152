"""Stage 4a, first pass: the schemas one set of operations reaches, found and named.

Every schema that becomes a class (an object with properties, or a string enum) is found by following
references from where the operations use it, and named from its place in the document. Naming sorts by
pointer, so names do not depend on the order in which operations happen to reach a schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from generator.builder.schema_nodes import (
    allows_null,
    children,
    content_key,
    escaped,
    is_component,
    shapes_type,
    types_of,
)
from generator.document.parsed import Document
from generator.document.triage import unnested
from generator.errors import Diagnostic, GeneratorError, pointer_join, pointer_parts
from generator.ir.models import Schema
from generator.text import naming
from generator.text.reserved import reserved as reserved_names

# A chain of `$ref`s and one-part allOfs longer than this is no schema anyone wrote.
MAX_LAYERS = 64


Kind = Literal["object", "enum", "inline"]


# Where a type was loosened (a JSON pointer), and why.
Loosening = tuple[str, str]


@dataclass(frozen=True)
class Named:
    pointer: str
    node: dict[str, Any]
    kind: Literal["object", "enum"]


class SchemaIndex:
    """Resolves references, and finds, classifies and names the classes one set of operations reaches."""

    def __init__(self, doc: Document, reserved: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self._reserved = reserved_names().classes | reserved
        self._named: dict[str, Named] = {}
        self._names: dict[str, str] = {}
        # Inline schemas that repeat another word for word -> the pointer of the one made a class.
        self._same_as: dict[str, str] = {}
        # The place each class was first reached from (the ledger reads it).
        self._reached_from: dict[str, str] = {}
        # Schemas whose whole subtree an earlier walk covered: a large document's operations reach the
        # same thousands of schemas, and walking them again for each was most of Graph's build.
        self._walked: set[str] = set()

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follows `$ref` chains to the node they end at, with its canonical pointer."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                raise self._error(pointer, f"reference cycle through {ref!r}")
            seen.add(ref)
            try:
                node = self.doc.resolve(ref)
            except KeyError:
                raise self._error(pointer_join(pointer, "$ref"), f"reference {ref!r} points at nothing") from None
            pointer = "#" + "".join("/" + p for p in escaped(ref))
        return unnested(node), pointer

    def discover(self, node: Any, pointer: str) -> None:
        """Records every schema under `node` that becomes a class (iterative: documents nest deeply)."""
        root = pointer
        stack = [(node, pointer)]
        visited: set[str] = set()
        while stack:
            current, where = stack.pop()
            current, where = self.deref(current, where)
            if where in visited or where in self._walked or not isinstance(current, dict):
                continue
            visited.add(where)
            kind = self.classify(current)
            if kind != "inline" and where not in self._named:
                self._named[where] = Named(where, current, kind)
                self._reached_from[where] = root
            stack.extend(children(current, where))
        self._walked |= visited  # only once the walk is whole: one that raised leaves its nodes to walk again

    def classify(self, node: dict[str, Any]) -> Kind:
        """Which schemas become classes: objects with properties (or allOf of them) and string enums."""
        enum = node.get("enum")
        if isinstance(enum, list) and enum and all(isinstance(v, str) for v in enum):
            return "enum"
        if isinstance(node.get("properties"), dict) and node["properties"]:
            return "object"
        parts = self._substantive_parts(node, "")
        if len(parts) > 1 and any(self._object_like(part, set()) for part, _ in parts):
            return "object"
        return "inline"

    def _object_like(self, node: Any, seen: set[int]) -> bool:
        """True for a schema with properties, or an object type, directly or through allOf."""
        target, _ = self.deref(node, "")
        if not isinstance(target, dict) or id(target) in seen:
            return False
        seen.add(id(target))
        if isinstance(target.get("properties"), dict) or "object" in types_of(target):
            return True
        return any(self._object_like(part, seen) for part in target.get("allOf") or [])

    def _substantive_parts(self, node: dict[str, Any], pointer: str) -> list[tuple[Any, str]]:
        """The allOf parts that shape the type: those not made only of annotations or `type: null`."""
        all_of = node.get("allOf")
        if not isinstance(all_of, list):
            return []
        parts = []
        for index, part in enumerate(all_of):
            part_pointer = pointer_join(pointer, "allOf", index)
            target, _ = self.deref(part, part_pointer)
            if isinstance(target, dict) and shapes_type(target):
                parts.append((part, part_pointer))
        return parts

    def _null_in_parts(self, node: dict[str, Any], pointer: str) -> bool:
        """An allOf part that is `nullable: true` or `type: null` makes the whole nullable."""
        for index, part in enumerate(node.get("allOf") or []):
            target, _ = self.deref(part, pointer_join(pointer, "allOf", index))
            if isinstance(target, dict) and not shapes_type(target) and allows_null(target):
                return True
        return False

    def assign_names(self) -> None:
        """Names every discovered class: components by their key, the rest from their place.

        An inline schema written out again, word for word, where a component or an earlier inline
        schema already is (a `_links` object in every response) is that class, not another one.
        """
        used = set(self._reserved)
        suffixes = naming.Suffixes(used)
        ordered = sorted(self._named, key=lambda p: (not is_component(p), p))
        first_of: dict[str, str] = {}
        for pointer in ordered:
            content = content_key(self._named[pointer].node)
            if content is not None and not is_component(pointer) and content in first_of:
                self._same_as[pointer] = first_of[content]
                continue
            if content is not None:
                first_of.setdefault(content, pointer)
            candidates = _name_candidates(self.doc, pointer, self._named[pointer].node)
            candidates = [f"{c}Model" if c in self._reserved else c for c in candidates]
            name = next((c for c in candidates if c not in used), None)
            if name is None:
                base = candidates[-1]
                name = suffixes.free(base)
            used.add(name)
            self._names[pointer] = name

    def facets(self, node: Any, pointer: str) -> dict[str, Any]:
        """The keywords that describe one value, gathered along `$ref`s and one-part allOfs; the outer
        node's win, so a property's own `example` or bounds beat those of the schema it refers to."""
        layers: list[dict[str, Any]] = []
        while isinstance(node, dict) and len(layers) < MAX_LAYERS:
            layers.append(node)
            if isinstance(node.get("$ref"), str):
                node, pointer = self.deref(node, pointer)
                continue
            parts = self._substantive_parts(node, pointer)
            if len(parts) != 1:
                break
            node, pointer = parts[0]
        merged: dict[str, Any] = {}
        for layer in reversed(layers):
            merged.update(layer)
        return merged

    def node_of(self, schema: Schema) -> dict[str, Any]:
        """The document's schema a class was made from (its pointer is `schema.pointer`)."""
        return self._named[schema.pointer].node

    def refuses_more(self, schema: Schema) -> bool:
        """The document closes the object to properties it does not list (`additionalProperties` or
        `unevaluatedProperties` false, on it or a part of its allOf): a server checking the document
        refuses a field `extra_body` adds, so an example of it needs another body."""
        pending: list[tuple[Any, str]] = [(self.doc.at(schema.pointer), schema.pointer)]
        for _ in range(MAX_LAYERS):
            if not pending:
                return False
            node, pointer = self.deref(*pending.pop())
            if not isinstance(node, dict):
                continue
            if node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False:
                return True
            parts = node.get("allOf")
            if isinstance(parts, list):
                pending += [(part, pointer_join(pointer, "allOf", i)) for i, part in enumerate(parts)]
        return True

    def _error(self, pointer: str, message: str) -> GeneratorError:
        return GeneratorError([Diagnostic(self.doc.source, pointer, message, line=self.doc.line_of(pointer))])


def _name_candidates(doc: Document, pointer: str, node: dict[str, Any]) -> list[str]:
    """Class names for a schema, best first: its component key, else names taken from its place."""
    parts = pointer_parts(pointer)
    if is_component(pointer):
        return [naming.safe_pascal(parts[2])]
    owner, local = _owner_and_local(doc, parts)
    candidates: list[str] = []
    if len(naming.words(local)) > 1:
        candidates.append(naming.safe_pascal(local))
    title = node.get("title")
    if isinstance(title, str) and naming.pascal(title):
        candidates.append(naming.safe_pascal(title))
    candidates.append(naming.safe_pascal(owner) + naming.pascal(local))
    return candidates


def _owner_and_local(doc: Document, parts: list[str]) -> tuple[str, str]:
    """The named thing a schema sits in (component or operation) and its own last name there."""
    if parts[:2] == ["components", "schemas"] and len(parts) > 2:
        owner, rest = parts[2], parts[3:]
    elif parts[:1] == ["paths"] and len(parts) > 2:
        op = doc.data.get("paths", {}).get(parts[1], {}).get(parts[2], {})
        owner = str(op.get("operationId") or f"{parts[2]} {parts[1]}") if isinstance(op, dict) else ""
        rest = parts[3:]
        suffix = "Response" if "responses" in rest else "Request" if "requestBody" in rest else ""
        owner += " " + suffix
    else:
        owner, rest = " ".join(parts[1:3]), parts[3:]
    local = ""
    plural_item = False
    for index, part in enumerate(rest):
        previous = rest[index - 1] if index else ""
        if previous == "parameters" and part.isdigit():
            # An operation's parameter is named by its `name`, not its place in the list.
            param = _resolved_param(doc, parts[: len(parts) - len(rest) + index + 1])
            local, plural_item = (param or part), False
        elif previous in ("properties", "definitions", "$defs", "parameters"):
            local, plural_item = part, False
        elif part in ("items", "additionalProperties"):
            plural_item = True
    local_words = naming.words(local)
    if plural_item and local_words:  # a property named only by punctuation (`*`) has no word to singularize
        local = " ".join([*local_words[:-1], naming.singular(local_words[-1])])
    return owner, local or "item"


def _resolved_param(doc: Document, parts: list[str]) -> str | None:
    """The `name` of the parameter at that place (following one `$ref`), if it has one."""
    try:
        node = doc.resolve(pointer_join("#", *parts))
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = doc.resolve(node["$ref"])
    except KeyError:
        return None
    name = node.get("name") if isinstance(node, dict) else None
    return name if isinstance(name, str) and name else None
