"""Values for the Prism suite, read from the document itself: its examples where they fit, else built to fit.

This walks the raw document, not our IR, so that a value the generator would get wrong (a wire name, an
enum member, a format) reaches Prism as the document states it and Prism judges it. Every value carries
the JSON pointer it was read from, so that a defect of the document is reported where it is written.
Where the document contradicts itself the walk reads it as the generator does and records what it
repaired (`repairs`, each `POINTER: what`).

A build has a `fill`: "example" prefers the document's examples at every level (its objects included) and
fills the optional properties of the top object; "required" fills required properties only; "all" fills
every optional property at every depth (to `_DEPTH`), picking the last branch of a union and the last
member of an enum where "required" picks the first, so that two calls cover both ends.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import unquote

from tests.prism.fit import Judge
from tests.prism.pattern import matching

Fill = Literal["example", "required", "all"]
# A value each for the formats the documents use; a pattern or the judge checks what else a schema asks.
FORMAT_VALUES = {
    "uuid": "8a210b68-6988-11ed-a1eb-0242ac120002",
    "guid": "8a210b68-6988-11ed-a1eb-0242ac120002",
    "date-time": "2022-10-23T00:00:00Z",
    "date": "2022-10-23",
    "time": "12:30:00Z",
    "email": "someone@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uri-reference": "/example",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "c3RyaW5n",
    "duration": "PT1H",
    "json-pointer": "/a",
    "decimal": "10.5",
    "ISO4217": "GBP",
    "ISO3166 Alpha-3": "GBR",
}
_DEPTH = 6  # optional properties are filled to this depth; required ones to twice it
ABSENT: Any = object()


class Document:
    """The parsed document, with `$ref` (deep pointers included) followed on demand."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.repairs: set[str] = set()

    @functools.cached_property
    def judge(self) -> Judge:
        return Judge(self.data)

    def locate(self, node: Any, pointer: str) -> tuple[Any, str]:
        """The node a chain of `$ref`s ends at, and its pointer."""
        for _ in range(50):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
                return node, pointer
            pointer = node["$ref"]
            node = referenced(self.data, pointer)
        raise ValueError(f"a $ref cycle at {pointer}")

    def resolve(self, node: Any) -> Any:
        return self.locate(node, "")[0]

    def reached(self, node: Any) -> set[str]:
        """Every `$ref` reached from `node`, through the targets' own `$ref`s."""
        seen: set[str] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            if isinstance(current, dict):
                ref = current.get("$ref")
                if isinstance(ref, str) and ref not in seen:
                    seen.add(ref)
                    with contextlib.suppress(LookupError, ValueError):
                        stack.append(self.resolve({"$ref": ref}))
                stack.extend(v for k, v in current.items() if k != "$ref")
            elif isinstance(current, list):
                stack.extend(current)
        return seen

    def parameters(self, item: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
        """The operation's parameters, path-level ones included unless the operation redeclares them."""
        return [param for param, _ in self._parameters(item, operation, "", "")]

    def located_parameters(self, path: str, method: str) -> list[tuple[dict[str, Any], str]]:
        """The parameters of the operation at `path` and `method`, each with its pointer."""
        item = self.data["paths"][path]
        return self._parameters(item, item[method], "#/paths/" + escape(path), method)

    def _parameters(
        self, item: dict[str, Any], operation: dict[str, Any], item_pointer: str, method: str
    ) -> list[tuple[dict[str, Any], str]]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        for where, nodes in (("", item.get("parameters", [])), (f"/{method}", operation.get("parameters", []))):
            for index, node in enumerate(nodes):
                param, pointer = self.locate(node, f"{item_pointer}{where}/parameters/{index}")
                merged[(param["in"], param["name"])] = (param, pointer)
        return list(merged.values())

    def parameter_schema(self, param: dict[str, Any], pointer: str) -> tuple[Any, str]:
        if "schema" in param:
            return self.locate(param["schema"], pointer + "/schema")
        for media_type, media in (param.get("content") or {}).items():
            return self.locate(media.get("schema", {}), f"{pointer}/content/{escape(media_type)}/schema")
        return {}, pointer

    def example(self, node: dict[str, Any], pointer: str) -> tuple[Any, str]:
        """A node's first `example`, `examples` item or Example object's value, and its pointer; ABSENT if none."""
        if "example" in node:
            return node["example"], pointer + "/example"
        examples = node.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0], pointer + "/examples/0"
        if isinstance(examples, dict):
            for key, entry in examples.items():
                found, at = self.locate(entry, f"{pointer}/examples/{escape(key)}")
                if isinstance(found, dict) and "value" in found:
                    return found["value"], at + "/value"
        return ABSENT, pointer

    def fitting(self, value: Any, where: str, schema_pointer: str) -> bool:
        """Whether the document's value at `where` fits its schema, as Prism judges; a misfit is recorded."""
        problems = self.judge.problems(value, schema_pointer)
        if problems:
            place, _, why = problems[0].partition(": ")
            self.repairs.add(f"{spot(where, place)}: breaks its schema ({why}); a value built to fit is sent instead")
        return not problems

    def build(
        self,
        node: Any,
        pointer: str,
        fill: Fill,
        depth: int = 0,
        trail: frozenset[str] = frozenset(),
        sample: tuple[Any, str] = (ABSENT, ""),
    ) -> Any:
        """A value the schema at `pointer` accepts: its fitting example where `fill` takes one, else built.

        `sample` is the part of an enclosing example that stands where this value goes, and its pointer:
        Codat writes whole examples at the top of a schema, rarely one per property.
        """
        schema, pointer = self.locate(node, pointer)
        if not isinstance(schema, dict):
            return "string"
        if isinstance(schema.get("type"), dict):  # Item's defect: the generator reads it as the schema meant
            return self.build(schema["type"], pointer + "/type", fill, depth, trail, sample)
        if "const" in schema:
            return schema["const"]
        candidates = [self.example(schema, pointer), sample, (schema.get("default", ABSENT), f"{pointer}/default")]
        for found, at in candidates:
            scalar = not isinstance(found, (dict, list))
            if found is not ABSENT and found is not None and (fill == "example" or scalar):
                if self.fitting(found, at, pointer) and self._declared(found, schema, pointer, at):
                    return found
        inner = next(((found, at) for found, at in candidates[:2] if isinstance(found, (dict, list))), (ABSENT, ""))
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            members = [m for m in schema["enum"] if m is not None] or [None]
            return members[-1] if fill == "all" else members[0]
        kind = _kind(schema)
        properties, required = self.merged(schema, pointer)
        if properties or required or kind == "object":
            return self._object(schema, pointer, properties, required, fill, depth, trail | {pointer}, inner)
        if "allOf" in schema:
            parts = [
                self.build(part, f"{pointer}/allOf/{i}", fill, depth, trail, inner)
                for i, part in enumerate(schema["allOf"])
            ]
            return next((p for p in parts if p is not None), None)
        for key in ("oneOf", "anyOf"):
            branches = [
                (branch, f"{pointer}/{key}/{i}")
                for i, branch in enumerate(schema.get(key) or [])
                if _kind(self.resolve(branch)) != "null"
            ]
            if branches:
                return self._branch(branches[::-1] if fill == "all" else branches, pointer, fill, depth, trail, inner)
        if kind == "array":
            if depth >= 2 * _DEPTH:
                return []
            first = (inner[0][0], f"{inner[1]}/0") if isinstance(inner[0], list) and inner[0] else (ABSENT, "")
            item = self.build(schema.get("items", {}), pointer + "/items", fill, depth + 1, trail, first)
            return [item] * max(1, int(schema.get("minItems", 1)))
        if kind in ("integer", "number"):
            return _number(schema, kind == "integer" or schema.get("format") in ("int32", "int64"))
        if kind == "boolean":
            return fill != "all"
        if kind == "null":
            return None
        return _string(schema)

    def merged(self, schema: dict[str, Any], pointer: str) -> tuple[dict[str, tuple[Any, str]], set[str]]:
        """Properties (with pointers) and required names of a schema and of its allOf parts, as one object."""
        properties = {name: (node, f"{pointer}/properties/{escape(name)}") for name, node in _props(schema).items()}
        required = set(schema.get("required") or [])
        for index, part in enumerate(schema.get("allOf") or []):
            resolved, at = self.locate(part, f"{pointer}/allOf/{index}")
            if isinstance(resolved, dict):
                more, needed = self.merged(resolved, at)
                properties = {**more, **properties}
                required |= needed
        return properties, required

    def _object(
        self,
        schema: dict[str, Any],
        pointer: str,
        properties: dict[str, tuple[Any, str]],
        required: set[str],
        fill: Fill,
        depth: int,
        trail: frozenset[str],
        sample: tuple[Any, str],
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        optional = (fill == "all" and depth < _DEPTH) or (fill == "example" and depth == 0)
        given = sample[0] if isinstance(sample[0], dict) else {}
        for name, (node, at) in properties.items():
            prop, located = self.locate(node, at)
            if not isinstance(prop, dict) or prop.get("readOnly"):
                continue
            if name not in required and (not optional or located in trail):
                continue
            if name not in required and self.unsatisfiable(prop):
                self.repairs.add(
                    f"{located}: no value satisfies this allOf of a type and null; property {name} left out"
                )
                continue
            if name in required and depth >= 2 * _DEPTH:
                return result
            part = (given[name], f"{sample[1]}/{escape(name)}") if name in given else (ABSENT, "")
            result[name] = self.build(prop, located, fill, depth + 1, trail, part)
        for name in sorted(required - properties.keys()):  # required, yet defined nowhere: any value will do
            self.repairs.add(f"{pointer}/required: {name} is required but no property defines it; sent as a string")
            result[name] = "string"
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict) and fill == "all":
            result["key"] = self.build(extra, pointer + "/additionalProperties", fill, depth + 1, trail)
        return self._one_branch(
            schema, pointer, result, required, lambda name: self.build(*properties[name], fill, depth + 1, trail)
        )

    def _one_branch(
        self,
        schema: dict[str, Any],
        pointer: str,
        value: dict[str, Any],
        required: set[str],
        build: Callable[[str], Any],
    ) -> dict[str, Any]:
        """An object whose `oneOf` branches only say which of its properties each requires (urlbox.io's
        RenderRequest: `url` or `html`): filled with every property it matches them all, and with the
        object's own required ones alone none, either of which a oneOf refuses. So, branch by branch, the
        properties only another branch requires are left out and the branch's own are `build` ones."""
        branches = [self.resolve(branch) for branch in schema.get("oneOf") or []]
        if len(branches) < 2 or not all(
            isinstance(b, dict) and set(b) <= {"required", "description"} for b in branches
        ):
            return value
        if self.judge.fits(value, pointer):
            return value
        for branch in branches:
            own = set(branch.get("required") or []) | required
            others = {name for b in branches for name in b.get("required") or []} - own
            trimmed = {name: item for name, item in value.items() if name not in others}
            try:
                trimmed.update({name: build(name) for name in sorted(own - trimmed.keys())})
            except KeyError:  # the branch requires a property no schema defines
                continue
            if self.judge.fits(trimmed, pointer):
                return trimmed
        return value

    def _branch(
        self,
        branches: list[tuple[Any, str]],
        pointer: str,
        fill: Fill,
        depth: int,
        trail: frozenset[str],
        sample: tuple[Any, str],
    ) -> Any:
        """The first value the whole union accepts: a oneOf refuses one that two of its branches take, as a
        full value borrowing an example's enum member may; then without the example, then required only."""
        tries: list[tuple[Fill, tuple[Any, str]]] = [(fill, sample), (fill, (ABSENT, "")), ("required", (ABSENT, ""))]
        first = ABSENT
        for way, lent in tries:
            for branch, at in branches:
                value = self.build(branch, at, way, depth, trail, lent)
                if self.judge.fits(value, pointer):
                    return value
                first = value if first is ABSENT else first
        return first

    def _declared(self, value: Any, schema: dict[str, Any], pointer: str, where: str) -> bool:
        """Whether an example names only declared properties (else the SDK's typo guard would refuse it)."""
        undeclared = self.undeclared(value, schema, pointer)
        if undeclared:
            place, _, why = undeclared[0].partition(" ")
            self.repairs.add(f"{spot(where, place)}: a field {why}; a value built from the schema is sent instead")
        return not undeclared

    def unsatisfiable(self, schema: dict[str, Any]) -> bool:
        """An allOf of a type and null (Bill's `currency`): no value fits, null included."""
        kinds = [_kind(self.resolve(part)) for part in schema.get("allOf") or []]
        return "null" in kinds and any(k not in (None, "null") for k in kinds)

    def schema_at(self, pointer: str, steps: list[str]) -> str:
        """The pointer of the schema that describes the value at `steps` below a value of the schema at
        `pointer` (into properties, allOf parts, items and the first union branch that has the step)."""
        for step in steps:
            schema, pointer = self.locate({"$ref": pointer}, pointer)
            if not isinstance(schema, dict):
                break
            properties, _ = self.merged(schema, pointer)
            branches = [f"{pointer}/{key}/{i}" for key in ("oneOf", "anyOf") for i in range(len(schema.get(key) or []))]
            if step in properties:
                pointer = self.locate(*properties[step])[1]
            elif step.isdigit() and "items" in schema:
                pointer = self.locate(schema["items"], pointer + "/items")[1]
            elif branches:
                pointer = self.schema_at(branches[0], [step])
            else:
                break
        return pointer

    def example_at(self, pointer: str, steps: list[str]) -> str | None:
        """Where the example that Prism's static mode serves for the value at `steps` is written: the
        first schema on the way down that has an example, then the steps into that example."""
        for index in range(len(steps) + 1):
            schema, pointer = self.locate({"$ref": pointer}, pointer)
            found, at = self.example(schema, pointer) if isinstance(schema, dict) else (ABSENT, pointer)
            if found is not ABSENT:
                return "/".join([at, *map(escape, steps[index:])])
            if index < len(steps):
                pointer = self.schema_at(pointer, steps[index : index + 1])
        return None

    def undeclared(self, value: Any, node: Any, pointer: str, place: str = "") -> list[str]:
        """Places in `value` naming a property the schema does not declare where it allows any (no
        `additionalProperties`): valid JSON Schema, which the SDK's typo guard refuses nonetheless."""
        schema, pointer = self.locate(node, pointer)
        if not isinstance(schema, dict):
            return []
        if isinstance(value, list) and "items" in schema:
            return [
                p
                for i, item in enumerate(value)
                for p in self.undeclared(item, schema["items"], f"{pointer}/items", f"{place}[{i}]")
            ]
        if not isinstance(value, dict):
            return []
        properties, _ = self.merged(schema, pointer)
        if not properties or "additionalProperties" in schema:
            return []
        found = []
        for key, item in value.items():
            if key in properties:
                found += self.undeclared(item, *properties[key], f"{place}.{key}")
            else:
                found.append(f"{place}.{key} (not among the properties of {pointer})")
        return found


def referenced(data: Any, ref: str) -> Any:
    """The node a local `$ref` names: each part of its fragment percent-decoded, then read as RFC 6901."""
    target = data
    for part in ref[2:].split("/"):
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        target = target[int(part)] if isinstance(target, list) else target[part]
    return target


def spot(pointer: str, place: str) -> str:
    """The pointer of a place (`.lines[0].amount`) inside the value at `pointer`: one spot, one repair,
    however deep the example it was met in."""
    steps = [index or name for index, name in re.findall(r"\[(\d+)\]|\.([^.\[]+)", place)]
    return "/".join([pointer, *map(escape, steps)])


def escape(name: str) -> str:
    """One step of a JSON pointer (RFC 6901)."""
    return name.replace("~", "~0").replace("/", "~1")


def _props(schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties")
    return properties if isinstance(properties, dict) else {}


def _kind(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None and ("properties" in schema or "additionalProperties" in schema):
        return "object"  # as the generator reads it: Azure's `tags`, a map that names no type
    return kind if isinstance(kind, str) else None


def _number(schema: dict[str, Any], integer: bool) -> int | float:
    """The smallest value the bounds allow from 1 up (or the maximum, if that is lower), on `multipleOf`."""
    low, high = schema.get("minimum"), schema.get("maximum")
    above, below = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = 1 if integer else 0.5
    value: float = 1 if integer else 1.5
    if isinstance(low, (int, float)) and not isinstance(low, bool):
        value = low + (step if above is True else 0)
    elif isinstance(above, (int, float)) and not isinstance(above, bool):
        value = above + step
    elif isinstance(high, (int, float)) and not isinstance(high, bool) and high < value:
        value = high - (step if below is True else 0)
    multiple = schema.get("multipleOf")
    if isinstance(multiple, (int, float)) and multiple > 0 and value % multiple:
        value = (value // multiple + 1) * multiple
    return int(value) if integer else value


def _string(schema: dict[str, Any]) -> str:
    text = FORMAT_VALUES.get(str(schema.get("format")), "string")
    matched = matching(schema["pattern"]) if isinstance(schema.get("pattern"), str) and "format" not in schema else None
    text = text if matched is None else matched
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    text = text.ljust(low, "x")
    return text[: int(high)] if isinstance(high, int) and high >= low else text
