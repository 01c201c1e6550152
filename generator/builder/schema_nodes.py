"""What one JSON Schema node says on its own: its types, whether it admits null, whether it shapes a
type or only annotates, its children, its discriminator. No reference is followed here."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import unquote

from generator.errors import pointer_join, pointer_parts
from generator.ir.models import TypeRef


def types_of(node: dict[str, Any]) -> list[str]:
    declared = node.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [t for t in declared if isinstance(t, str)]
    if isinstance(node.get("properties"), dict):
        return ["object"]
    if "items" in node:
        return ["array"]
    return []


def allows_null(node: dict[str, Any]) -> bool:
    declared = node.get("type")
    return (
        node.get("nullable") is True
        or declared == "null"
        or (isinstance(declared, list) and "null" in declared)
        or (isinstance(node.get("enum"), list) and None in node["enum"])
    )


_TYPE_KEYWORDS = frozenset(
    {"$ref", "properties", "items", "allOf", "oneOf", "anyOf", "enum", "const", "additionalProperties"}
)


def shapes_type(node: dict[str, Any]) -> bool:
    """True for a schema that says what type a value has; False for one that only annotates, constrains
    or admits null (`description`, `maxLength`, `required`, `nullable: true`, `type: null`)."""
    if any(t != "null" for t in types_of(node)):
        return True
    return any(key in node for key in _TYPE_KEYWORDS)


def children(node: dict[str, Any], pointer: str) -> Iterator[tuple[Any, str]]:
    for key in ("allOf", "anyOf", "oneOf"):
        for index, sub in enumerate(node.get(key) or []):
            yield sub, pointer_join(pointer, key, index)
    for name, sub in (node.get("properties") or {}).items():
        yield sub, pointer_join(pointer, "properties", name)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield node[key], pointer_join(pointer, key)


def escaped(ref: str) -> list[str]:
    return [p.replace("~", "~0").replace("/", "~1") for p in pointer_parts(unquote(ref))]


def is_component(pointer: str) -> bool:
    parts = pointer_parts(pointer)
    return len(parts) == 3 and parts[:2] == ["components", "schemas"]


def content_key(node: dict[str, Any]) -> str | None:
    """The schema's content, as text two identical schemas share (None if it cannot be written out)."""
    try:
        return json.dumps(node, sort_keys=True, default=repr)
    except (ValueError, TypeError, RecursionError):
        return None


def discriminator_tags(
    node: dict[str, Any], variants: list[Any], types: Sequence[TypeRef]
) -> tuple[str, list[str]] | None:
    """The property that tells a union's model variants apart, and each variant's value of it (its
    mapping key, else its component name), when the union has a `discriminator` and only models."""
    discriminator = node.get("discriminator")
    if not isinstance(discriminator, dict) or not isinstance(discriminator.get("propertyName"), str):
        return None
    if not types or len(types) != len(variants) or any(t.kind != "model" or t.nullable for t in types):
        return None
    mapping = discriminator.get("mapping")
    by_ref = (
        {ref: key for key, ref in (mapping or {}).items() if isinstance(ref, str)} if isinstance(mapping, dict) else {}
    )
    tags = []
    for variant, variant_type in zip(variants, types, strict=True):
        ref = variant.get("$ref") if isinstance(variant, dict) else None
        tag = by_ref.get(ref) if ref else None
        tags.append(tag or (ref.rsplit("/", 1)[-1] if ref else variant_type.name))
    return discriminator["propertyName"], tags


def flag(own: dict[str, Any], target: Any, key: str) -> bool:
    """A boolean keyword set on the property itself or on the schema it refers to."""
    return own.get(key) is True or (isinstance(target, dict) and target.get(key) is True)


def fits(value: Any, type_name: str) -> bool:
    """True when a document value (a default, an example) is a literal of that primitive type."""
    if isinstance(value, bool):
        return type_name == "bool"
    if isinstance(value, int):
        return type_name in ("int", "float")
    if isinstance(value, float):
        return type_name == "float" and value == value
    return isinstance(value, str) and type_name == "str"
