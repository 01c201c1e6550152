"""Call arguments for the Prism suite, read from the document itself: its examples first, then its schemas.

This walks the raw document, not our IR, so that a value the generator would get wrong (a wire name, an
enum member, a format) reaches Prism as the document states it and Prism judges it. Where the document
contradicts itself, the walk reads it as the generator does and records what it repaired (`repairs`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

# A value each for the formats Prism checks, and what a conforming value looks like.
_FORMATS = {
    "uuid": ("8a210b68-6988-11ed-a1eb-0242ac120002", r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"),
    "date-time": ("2022-10-23T00:00:00Z", r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"),
    "date": ("2022-10-23", r"\d{4}-\d\d-\d\d"),
    "email": ("someone@example.com", r"[^@\s]+@[^@\s]+"),
    "uri": ("https://example.com/", r"[a-zA-Z][a-zA-Z0-9+.-]*:\S*"),
    "url": ("https://example.com/", r"[a-zA-Z][a-zA-Z0-9+.-]*:\S*"),
    "uri-reference": ("/example", r"\S*"),
}
_DEPTH = 6
ABSENT = object()


class Document:
    """The parsed document, with `$ref` (deep pointers included) followed on demand."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.repairs: list[str] = []

    def resolve(self, node: Any) -> Any:
        for _ in range(50):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
                return node
            node = referenced(self.data, node["$ref"])
        raise ValueError(f"a $ref cycle at {node['$ref']}")

    def parameters(self, path_item: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
        """The operation's parameters, path-level ones included unless the operation redeclares them."""
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for node in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
            param = self.resolve(node)
            merged[(param["in"], param["name"])] = param
        return list(merged.values())

    def parameter_value(self, param: dict[str, Any]) -> Any:
        """The parameter's example (its own or its schema's) when it fits the schema's format, else a value
        of its type; `ABSENT` for an optional parameter the document gives no example for."""
        schema = self.resolve(param.get("schema", {}))
        found = _example(param)
        if found is ABSENT:
            found = _example(schema)
        if found is ABSENT:
            return self.value(schema) if param.get("required") or param["in"] == "path" else ABSENT
        fitting = _fitting_format(found, schema)
        if fitting is not found:
            self.repairs.append(f"parameter {param['name']}: example {found!r} is no {schema['format']}")
        return fitting

    def body_value(self, media: dict[str, Any]) -> Any:
        found = _example(media)
        return found if found is not ABSENT else self.value(media.get("schema", {}))

    def value(self, node: Any, depth: int = 0, examples: bool = True) -> Any:
        """A value the schema accepts: its own example when it has one (and `examples`), else built from
        its parts, whose own examples are used."""
        schema = self.resolve(node)
        if not isinstance(schema, dict):
            return "string"
        if isinstance(schema.get("type"), dict):  # Item's defect: the generator reads it as the schema meant
            return self.value(schema["type"], depth, examples)
        for key in ("example", "examples", "default", "const") if examples else ("const",):
            found = _example({key: schema[key]}) if key in schema else ABSENT
            if found is not ABSENT and found is not None:
                return _fitting_format(found, schema)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return next((m for m in schema["enum"] if m is not None), schema["enum"][0])
        properties, required = self._merged(schema)
        if properties or required or _kind(schema) == "object":
            return self._object(properties, required, depth)
        if "allOf" in schema:
            parts = [self.value(part, depth) for part in schema["allOf"]]
            return next((p for p in parts if p is not None), None)
        for key in ("oneOf", "anyOf"):
            usable = [b for b in schema.get(key, []) if _kind(self.resolve(b)) != "null"]
            if usable:
                return self.value(usable[0], depth)
        kind = _kind(schema)
        if kind == "array":
            count = max(1, int(schema.get("minItems", 1)))
            return [] if depth >= _DEPTH else [self.value(schema.get("items", {}), depth + 1)] * count
        if kind == "integer":
            return int(schema.get("minimum", 1))
        if kind == "number":
            return schema.get("minimum", 1.5)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        text = _FORMATS.get(str(schema.get("format")), ("string", ""))[0]
        return text.ljust(int(schema.get("minLength", 0)), "x")

    def properties_of(self, node: Any) -> dict[str, Any]:
        return self._merged(self.resolve(node))[0]

    def _merged(self, schema: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
        """Properties and required names of a schema and of its allOf parts, as one object."""
        properties = dict(schema.get("properties") or {})
        required = set(schema.get("required") or [])
        for part in schema.get("allOf") or []:
            more, needed = self._merged(self.resolve(part))
            properties = {**more, **properties}
            required |= needed
        return properties, required

    def _object(self, properties: dict[str, Any], required: set[str], depth: int) -> dict[str, Any]:
        """Required properties the schema defines; at the top, the optional ones too, but for those whose
        schema nothing satisfies (Bill's `currency`: an allOf of a string and null)."""
        result = {}
        for name, node in properties.items():
            schema = self.resolve(node)
            if depth >= _DEPTH or schema.get("readOnly") or (name not in required and depth >= 1):
                continue
            if name not in required and self._unsatisfiable(schema):
                self.repairs.append(f"property {name}: its schema admits no value; left out")
                continue
            result[name] = self.value(schema, depth + 1)
        for name in sorted(required - properties.keys()):  # required, yet defined nowhere: any value will do
            self.repairs.append(f"property {name}: required but defined nowhere; sent as a string")
            result[name] = "string"
        return result

    def _unsatisfiable(self, schema: dict[str, Any]) -> bool:
        kinds = [_kind(self.resolve(part)) for part in schema.get("allOf") or []]
        return "null" in kinds and any(k not in (None, "null") for k in kinds)


def referenced(data: Any, ref: str) -> Any:
    """The node a local `$ref` names: each part of its fragment percent-decoded, then read as RFC 6901."""
    target = data
    for part in ref[2:].split("/"):
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        target = target[int(part)] if isinstance(target, list) else target[part]
    return target


def _kind(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None and "properties" in schema:
        return "object"
    return kind if isinstance(kind, str) else None


def _fitting_format(value: Any, schema: dict[str, Any]) -> Any:
    """The value, or the format's own value when the document's example breaks its schema's format
    (Codat's `reportDate` of format date has a date-time example)."""
    known = _FORMATS.get(str(schema.get("format")))
    if known is None or not isinstance(value, str) or re.fullmatch(known[1], value):
        return value
    return known[0]


def _example(node: dict[str, Any]) -> Any:
    """The first of a node's `example` or `examples` (a list, or a map of Example objects)."""
    if "example" in node:
        return node["example"]
    examples = node.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if isinstance(examples, dict):
        for entry in examples.values():
            if isinstance(entry, dict) and "value" in entry:
                return entry["value"]
    return ABSENT
