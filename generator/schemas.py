"""Stage 3a: JSON Schemas → IR types and model classes, with every reference resolved and every name final.

Schemas are handled in two passes over the same classification: the first finds every schema that
becomes a class (an object with properties, or a string enum) and names it from its place in the
document; the second builds types with those names. Naming sorts by pointer, so names do not depend on
the order in which operations happen to reach a schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from generator import naming
from generator.document import Document, as_text
from generator.errors import Diagnostic, GeneratorError, pointer_join, pointer_parts
from generator.ir import EnumMember, Field, ModelModule, Schema, TypeRef
from generator.literals import py_literal
from generator.model_modules import group_modules
from generator.reserved import reserved as reserved_names
from generator.typed_dicts import Shapes, plan, with_typed_dict
from generator.validate import KNOWN_FORMATS

_STRUCTURAL = frozenset({"properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf"})
_FORMATS = {
    "date-time": ("datetime.datetime", "import datetime"),
    "date": ("datetime.date", "import datetime"),
    "uuid": ("UUID", "from uuid import UUID"),
    "decimal": ("Decimal", "from decimal import Decimal"),
    "binary": ("File", "from .._types import File"),
}
# A chain of `$ref`s and one-part allOfs longer than this is no schema anyone wrote.
_MAX_LAYERS = 64
_PRIMITIVES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
ANY = TypeRef(kind="any", annotation="Any", imports=("from typing import Any",))

Kind = Literal["object", "enum", "inline"]
# Where a type was loosened (a JSON pointer), and why.
Loosening = tuple[str, str]


@dataclass(frozen=True)
class _Named:
    pointer: str
    node: dict[str, Any]
    kind: Literal["object", "enum"]


class SchemaBuilder:
    """Resolves, classifies, names and converts the schemas one set of operations reaches."""

    def __init__(self, doc: Document, reserved: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self._reserved = reserved_names().classes | reserved
        self._named: dict[str, _Named] = {}
        self._names: dict[str, str] = {}
        # Inline schemas that repeat another word for word -> the pointer of the one made a class.
        self._same_as: dict[str, str] = {}
        self._schemas: dict[str, Schema] = {}
        self._building: set[str] = set()
        # Unnamed schemas whose type is being worked out, to stop at one that contains itself.
        self._resolving: set[str] = set()
        # The TypedDicts of the models request bodies reach (`plan_typed_dicts`).
        self.shapes = Shapes({}, {}, frozenset())
        # What the ledger reads: the loosenings of each class, those of the scope being built (a class's
        # own, or an operation's), and the place each class was first reached from.
        self.loosened: dict[str, tuple[Loosening, ...]] = {}
        self._scopes: list[dict[Loosening, None]] = []
        self._reached_from: dict[str, str] = {}
        # allOf parts merged into the classes they make up (a class of their own only where used alone).
        self._merged_parts: set[str] = set()

    # ---- references -------------------------------------------------------------------------

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
            pointer = "#" + "".join("/" + p for p in _escaped(ref))
        return _repaired(node), pointer

    # ---- what the ledger reads --------------------------------------------------------------

    @contextmanager
    def scope(self) -> Iterator[dict[Loosening, None]]:
        """Collects the loosenings met while building one thing (an operation); a class met on the way
        keeps its own, since the ledger lists it apart."""
        found: dict[Loosening, None] = {}
        self._scopes.append(found)
        try:
            yield found
        finally:
            self._scopes.pop()

    def loosen(self, pointer: str, reason: str) -> None:
        """Notes that the type built at `pointer` admits more than the document says, and why."""
        if self._scopes:
            self._scopes[-1].setdefault((pointer, reason))

    def left_out(self) -> dict[str, str]:
        """Each class discovered but never built, nor merged into one (nothing generated reads or sends
        it), with the place it was first reached from."""
        built = self._schemas.keys() | self._same_as.keys() | self._merged_parts
        return {pointer: self._reached_from.get(pointer, pointer) for pointer in sorted(self._named.keys() - built)}

    # ---- pass 1: discovery ------------------------------------------------------------------

    def discover(self, node: Any, pointer: str) -> None:
        """Records every schema under `node` that becomes a class (iterative: documents nest deeply)."""
        root = pointer
        stack = [(node, pointer)]
        visited: set[str] = set()
        while stack:
            current, where = stack.pop()
            current, where = self.deref(current, where)
            if where in visited or not isinstance(current, dict):
                continue
            visited.add(where)
            kind = self.classify(current)
            if kind != "inline" and where not in self._named:
                self._named[where] = _Named(where, current, kind)
                self._reached_from[where] = root
            stack.extend(_children(current, where))

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
        if isinstance(target.get("properties"), dict) or "object" in _types(target):
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
            if isinstance(target, dict) and _shapes_type(target):
                parts.append((part, part_pointer))
        return parts

    def _null_in_parts(self, node: dict[str, Any], pointer: str) -> bool:
        """An allOf part that is `nullable: true` or `type: null` makes the whole nullable."""
        for index, part in enumerate(node.get("allOf") or []):
            target, _ = self.deref(part, pointer_join(pointer, "allOf", index))
            if isinstance(target, dict) and not _shapes_type(target) and _allows_null(target):
                return True
        return False

    def assign_names(self) -> None:
        """Names every discovered class: components by their key, the rest from their place.

        An inline schema written out again, word for word, where a component or an earlier inline
        schema already is (a `_links` object in every response) is that class, not another one.
        """
        used = set(self._reserved)
        ordered = sorted(self._named, key=lambda p: (not _is_component(p), p))
        first_of: dict[str, str] = {}
        for pointer in ordered:
            content = _content_key(self._named[pointer].node)
            if content is not None and not _is_component(pointer) and content in first_of:
                self._same_as[pointer] = first_of[content]
                continue
            if content is not None:
                first_of.setdefault(content, pointer)
            candidates = _name_candidates(self.doc, pointer, self._named[pointer].node)
            candidates = [f"{c}Model" if c in self._reserved else c for c in candidates]
            name = next((c for c in candidates if c not in used), None)
            if name is None:
                base = candidates[-1]
                name = next(f"{base}{i}" for i in range(2, 10_000) if f"{base}{i}" not in used)
            used.add(name)
            self._names[pointer] = name

    def build_all(self) -> None:
        """Builds every class discovered, used by an operation or not (a document that is its models)."""
        for pointer, named in sorted(self._named.items()):
            if pointer not in self._same_as:
                self.type_of(named.node, pointer)

    def plan_typed_dicts(self, bodies: Iterable[TypeRef]) -> None:
        """Names the TypedDicts of the models the request bodies of types `bodies` reach (built by
        then), apart from every class (built yet or not) and every name the SDK uses itself."""
        roots = list(bodies)  # worked out first: that builds the models they name
        self.shapes = plan(self._schemas.values(), roots, self._reserved | set(self._names.values()))

    # ---- pass 2: types ----------------------------------------------------------------------

    def type_of(self, node: Any, pointer: str) -> TypeRef:
        """The IR type of a schema node, nullable when `nullable: true` or `type` includes "null"."""
        nullable = isinstance(node, dict) and node.get("nullable") is True
        node, pointer = self.deref(node, pointer)
        if not isinstance(node, dict):
            self.loosen(pointer, "no schema object: any value")
            return ANY
        if pointer in self._named:
            result = self._type_of_resolved(node, pointer)
        elif pointer in self._resolving:
            # A union or array that contains itself (a JSON value) without a class on the way: no
            # annotation can spell it, so the inner occurrence is Any.
            self.loosen(pointer, "contains itself with no class between: the inner occurrence is any value")
            return ANY
        else:
            self._resolving.add(pointer)
            try:
                result = self._type_of_resolved(node, pointer)
            finally:
                self._resolving.discard(pointer)
        if nullable or _allows_null(node):
            return optional(result)
        return result

    def _type_of_resolved(self, node: dict[str, Any], pointer: str) -> TypeRef:
        if pointer in self._named:
            pointer = self._same_as.get(pointer, pointer)
            name = self._names[pointer]
            named_kind = self._named[pointer].kind
            self._ensure_built(pointer)
            return TypeRef(
                kind="model" if named_kind == "object" else "enum",
                annotation=name,
                name=name,
                models=(name,),
            )
        if isinstance(node.get("allOf"), list):
            parts = self._substantive_parts(node, pointer)
            if parts:  # one part, or several none of which is an object (else it is a named class)
                inner = self.type_of(*parts[0])
                return optional(inner) if self._null_in_parts(node, pointer) else inner
        for key in ("oneOf", "anyOf"):
            variants = node.get(key)
            if isinstance(variants, list) and variants:
                arms = [self.type_of(v, pointer_join(pointer, key, i)) for i, v in enumerate(variants)]
                tagged = self._discriminated(node, variants, arms)
                result = tagged if tagged is not None else union(arms)
                if result.kind == "any":
                    self.loosen(pointer_join(pointer, key), f"{key} given up: an arm is of any type")
                return result
        declared = _types(node)
        if declared == ["null"]:
            return TypeRef("primitive", "None", name="None")
        types = [t for t in declared if t != "null"]
        if len(types) > 1:
            return union([self._type_of_resolved({**node, "type": t}, pointer) for t in types])
        kind = types[0] if types else ("object" if "additionalProperties" in node else "")
        if kind == "array":
            items = node.get("items")
            if not items:
                self.loosen(pointer, "an array whose items the document does not describe: any values")
            item = self.type_of(items, pointer_join(pointer, "items")) if items else ANY
            return TypeRef("list", f"list[{item.annotation}]", args=(item,), **_deps(item))
        if kind == "object":
            extra = node.get("additionalProperties")
            value = (
                self.type_of(extra, pointer_join(pointer, "additionalProperties"))
                if isinstance(extra, dict) and extra
                else ANY
            )
            if value.kind == "any" and not (isinstance(extra, dict) and extra):
                self.loosen(pointer, "an object whose members the document does not describe: any values")
            return TypeRef("dict", f"dict[str, {value.annotation}]", args=(value,), **_deps(value))
        if kind in _PRIMITIVES:
            fmt = node.get("format")
            if kind == "string" and isinstance(fmt, str) and fmt in _FORMATS:
                annotation, import_line = _FORMATS[fmt]
                return TypeRef("primitive", annotation, name=annotation, imports=_nonempty(import_line))
            if kind == "number" and fmt == "decimal":
                return TypeRef("primitive", "Decimal", "Decimal", imports=("from decimal import Decimal",))
            if isinstance(fmt, str) and fmt not in KNOWN_FORMATS:
                where = pointer_join(pointer, "format")
                self.loosen(where, f"unknown format {fmt!r}, generated as its plain type {_PRIMITIVES[kind]}")
            return TypeRef("primitive", _PRIMITIVES[kind], name=_PRIMITIVES[kind])
        reason = f"type {kind!r} is no JSON Schema type" if kind else "the document gives no type"
        self.loosen(pointer, f"{reason}: any value")
        return ANY

    def _discriminated(self, node: dict[str, Any], variants: list[Any], types: list[TypeRef]) -> TypeRef | None:
        """A union whose `discriminator` names the property that tells its model variants apart.

        Each variant is tagged with its mapping key (or, without a mapping, its component name), and a
        callable discriminator reads that property from a dict or a model, so variants need no Literal.
        """
        tagged = discriminator_tags(node, variants, types)
        if tagged is None:
            return None
        wire, tags = tagged
        attr = naming.safe_snake(wire, reserved_names().fields, fallback="field")
        arms = " | ".join(
            f"Annotated[{t.annotation}, Tag({py_literal(tag)})]" for t, tag in zip(types, tags, strict=True)
        )
        return TypeRef(
            "union",
            f"Annotated[{arms}, discriminator({py_literal(wire)}, {py_literal(attr)})]",
            args=tuple(types),
            models=tuple(dict.fromkeys(m for t in types for m in t.models)),
            imports=("from typing import Annotated", "from pydantic import Tag", "from .._models import discriminator"),
        )

    def _ensure_built(self, pointer: str) -> None:
        if pointer in self._schemas or pointer in self._building:
            return
        self._building.add(pointer)
        named = self._named[pointer]
        with self.scope() as loosened:
            schema = self._enum_schema(named) if named.kind == "enum" else self._object_schema(named)
        self.loosened[pointer] = tuple(loosened)
        self._schemas[pointer] = schema
        self._building.discard(pointer)

    def _enum_schema(self, named: _Named) -> Schema:
        members: list[EnumMember] = []
        used: set[str] = set()
        for value in dict.fromkeys(named.node["enum"]):
            name = _unique(naming.enum_member(value), used, "_")
            members.append(EnumMember(name=name, value=value))
        class_name = self._names[named.pointer]
        return Schema(
            class_name=class_name,
            module_name=naming.module_name(class_name),
            kind="enum",
            pointer=named.pointer,
            description=as_text(named.node.get("description")),
            members=tuple(members),
        )

    def _object_schema(self, named: _Named) -> Schema:
        properties, required, description, accepts_more = self._merged(named.node, named.pointer)
        fields: list[Field] = []
        used: set[str] = set()
        wires = set(properties) | required
        for wire_name, (prop, prop_pointer) in properties.items():
            field_type = self.type_of(prop, prop_pointer)
            target, _ = self.deref(prop, prop_pointer)
            own = prop if isinstance(prop, dict) else {}
            read_only, write_only = _flag(own, target, "readOnly"), _flag(own, target, "writeOnly")
            # A write-only field never comes back, so a response lacking it must still parse.
            is_required = wire_name in required and not write_only
            default = self._default_repr(own, target, field_type)
            nullable = field_type.nullable or field_type.kind == "any"
            if not is_required and default is None:
                field_type = optional(field_type)
            fields.append(
                Field(
                    wire_name=wire_name,
                    py_name=_field_name(wire_name, wires, used),
                    type=field_type,
                    required=is_required,
                    default_repr=None if is_required else (default or "None"),
                    description=as_text(own.get("description"))
                    or self._annotation_description(own, prop_pointer)
                    or self._inherited_description(target, field_type),
                    deprecated=_flag(own, target, "deprecated"),
                    read_only=read_only,
                    write_only=write_only,
                    nullable=nullable,
                )
            )
        # `required` may name a property nothing defines (Codat's bank transaction `date`): the server
        # wants it, so the caller can send it; with nothing known of it, it is of any type and optional
        # (some documents' undefined names are no property at all: figshare's `array[integer](optional)`).
        for wire_name in sorted(required - properties.keys()):
            reason = f"required names {wire_name!r}, which no property defines: a field of any type"
            self.loosen(pointer_join(named.pointer, "required"), reason)
            fields.append(
                Field(
                    wire_name=wire_name,
                    py_name=_field_name(wire_name, wires, used),
                    type=ANY,
                    required=False,
                    default_repr="None",
                    description="Required by the API document, which does not say what it holds.",
                    deprecated=False,
                    nullable=True,
                )
            )
        class_name = self._names[named.pointer]
        return Schema(
            class_name=class_name,
            module_name=naming.module_name(class_name),
            kind="object",
            pointer=named.pointer,
            description=description,
            fields=tuple(fields),
            open=not fields or accepts_more,
        )

    def _default_repr(self, own: dict[str, Any], target: Any, field_type: TypeRef) -> str | None:
        """The document's default as a Python literal of the field's type, when it has a usable one."""
        node = own if "default" in own else target if isinstance(target, dict) and "default" in target else None
        return None if node is None else self.default_repr(node["default"], field_type, "")

    def default_repr(self, value: Any, t: TypeRef, prefix: str) -> str | None:
        """`value` as a Python literal of type `t` (an enum's as its member, spelt `prefix` + class), or
        None when it is not one: a default of the wrong type is an annotation no code should rely on."""
        if t.kind == "enum" and isinstance(value, str):
            member = next((m for m in self.schema_named(t.name).members if m.value == value), None)
            return f"{prefix}{t.name}.{member.name}" if member else None
        return py_literal(value) if t.kind == "primitive" and fits(value, t.name) else None

    def _annotation_description(self, own: dict[str, Any], pointer: str) -> str:
        """A description an allOf part carries beside the part that gives the type."""
        for index, part in enumerate(own.get("allOf") or []):
            target, _ = self.deref(part, pointer_join(pointer, "allOf", index))
            if isinstance(target, dict) and not _shapes_type(target) and as_text(target.get("description")):
                return as_text(target.get("description"))
        return ""

    def _inherited_description(self, target: Any, field_type: TypeRef) -> str:
        """A field without its own description borrows its type's, unless that type is a model: the
        model's page says it, and repeating a long model description in every field says it too often."""
        if field_type.kind == "model" or not isinstance(target, dict):
            return ""
        return as_text(target.get("description"))

    def _merged(self, node: dict[str, Any], pointer: str) -> tuple[dict[str, tuple[Any, str]], set[str], str, bool]:
        """Flattens allOf: properties in order (a later definition of a name wins), required united,
        and whether the object or any part lets `additionalProperties` in."""
        properties: dict[str, tuple[Any, str]] = {}
        required: set[str] = set()
        extra = node.get("additionalProperties")
        accepts_more = extra is True or (isinstance(extra, dict) and extra.get("not") != {})
        for index, part in enumerate(node.get("allOf") or []):
            target, target_pointer = self.deref(part, pointer_join(pointer, "allOf", index))
            self._merged_parts.add(target_pointer)
            if isinstance(target, dict):
                sub_props, sub_required, _, sub_accepts_more = self._merged(target, target_pointer)
                properties.update(sub_props)
                required |= sub_required
                accepts_more |= sub_accepts_more
        for name, prop in (node.get("properties") or {}).items():
            properties[name] = (prop, pointer_join(pointer, "properties", name))
        required |= {r for r in node.get("required") or [] if isinstance(r, str)}
        return properties, required, as_text(node.get("description")), accepts_more

    def refuses_more(self, schema: Schema) -> bool:
        """The document closes the object to properties it does not list (`additionalProperties` or
        `unevaluatedProperties` false, on it or a part of its allOf): a server checking the document
        refuses a field `extra_body` adds, so an example of it needs another body."""
        pending: list[tuple[Any, str]] = [(self.doc.at(schema.pointer), schema.pointer)]
        for _ in range(_MAX_LAYERS):
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

    # ---- what examples read -----------------------------------------------------------------

    def facets(self, node: Any, pointer: str) -> dict[str, Any]:
        """The keywords that describe one value, gathered along `$ref`s and one-part allOfs; the outer
        node's win, so a property's own `example` or bounds beat those of the schema it refers to."""
        layers: list[dict[str, Any]] = []
        while isinstance(node, dict) and len(layers) < _MAX_LAYERS:
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

    def properties_of(self, schema: Schema) -> dict[str, tuple[Any, str]]:
        """An object class's properties as the document writes them (allOf merged): wire name to
        (schema node, pointer)."""
        return self._merged(self.node_of(schema), schema.pointer)[0]

    # ---- output -----------------------------------------------------------------------------

    def modules(self) -> tuple[ModelModule, ...]:
        """The models package: one module per class, or per cycle of classes that refer to each other."""
        return group_modules([with_typed_dict(schema, self.shapes) for schema in self._schemas.values()])

    def schema_named(self, class_name: str) -> Schema:
        """The built class of that name (examples walk the IR, not the document)."""
        return next(s for s in self._schemas.values() if s.class_name == class_name)

    def _error(self, pointer: str, message: str) -> GeneratorError:
        return GeneratorError([Diagnostic(self.doc.source, pointer, message, line=self.doc.line_of(pointer))])


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


def _content_key(node: dict[str, Any]) -> str | None:
    """The schema's content, as text two identical schemas share (None if it cannot be written out)."""
    try:
        return json.dumps(node, sort_keys=True, default=repr)
    except (ValueError, TypeError, RecursionError):
        return None


def nested_type_schema(node: Any) -> bool:
    """A schema whose `type` holds a whole schema: an authoring slip we read as that schema."""
    return isinstance(node, dict) and isinstance(node.get("type"), dict)


def _repaired(node: Any) -> Any:
    if nested_type_schema(node):
        return {**{k: v for k, v in node.items() if k != "type"}, **node["type"]}
    return node


def optional(t: TypeRef) -> TypeRef:
    """`t | None`, unless it already admits None."""
    if t.nullable or t.kind == "any" or t.annotation == "None":
        return t
    return TypeRef(t.kind, f"{t.annotation} | None", t.name, t.args, True, t.models, t.imports)


def union(variants: list[TypeRef]) -> TypeRef:
    """One type for several; a None variant makes the union nullable instead of being listed."""
    concrete = list({v.annotation: v for v in variants if v.annotation != "None"}.values())
    has_none = len(concrete) < len(variants) or any(v.nullable for v in variants)
    concrete = [_non_null(v) for v in concrete]
    concrete = list({v.annotation: v for v in concrete}.values())
    if any(v.kind == "any" for v in concrete) or not concrete:
        return ANY
    if len(concrete) == 1:
        result = concrete[0]
    else:
        result = TypeRef(
            "union",
            " | ".join(v.annotation for v in concrete),
            args=tuple(concrete),
            models=tuple(dict.fromkeys(m for v in concrete for m in v.models)),
            imports=tuple(dict.fromkeys(i for v in concrete for i in v.imports)),
        )
    return optional(result) if has_none else result


def _non_null(t: TypeRef) -> TypeRef:
    if not t.nullable:
        return t
    return TypeRef(t.kind, t.annotation.removesuffix(" | None"), t.name, t.args, False, t.models, t.imports)


def _deps(inner: TypeRef) -> dict[str, Any]:
    return {"models": inner.models, "imports": inner.imports}


def _types(node: dict[str, Any]) -> list[str]:
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


def _allows_null(node: dict[str, Any]) -> bool:
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


def _shapes_type(node: dict[str, Any]) -> bool:
    """True for a schema that says what type a value has; False for one that only annotates, constrains
    or admits null (`description`, `maxLength`, `required`, `nullable: true`, `type: null`)."""
    if any(t != "null" for t in _types(node)):
        return True
    return any(key in node for key in _TYPE_KEYWORDS)


def _children(node: dict[str, Any], pointer: str) -> Iterator[tuple[Any, str]]:
    for key in ("allOf", "anyOf", "oneOf"):
        for index, sub in enumerate(node.get(key) or []):
            yield sub, pointer_join(pointer, key, index)
    for name, sub in (node.get("properties") or {}).items():
        yield sub, pointer_join(pointer, "properties", name)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield node[key], pointer_join(pointer, key)


def _escaped(ref: str) -> list[str]:
    return [p.replace("~", "~0").replace("/", "~1") for p in pointer_parts(unquote(ref))]


def _is_component(pointer: str) -> bool:
    parts = pointer_parts(pointer)
    return len(parts) == 3 and parts[:2] == ["components", "schemas"]


def _name_candidates(doc: Document, pointer: str, node: dict[str, Any]) -> list[str]:
    """Class names for a schema, best first: its component key, else names taken from its place."""
    parts = pointer_parts(pointer)
    if _is_component(pointer):
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


def _flag(own: dict[str, Any], target: Any, key: str) -> bool:
    """A boolean keyword set on the property itself or on the schema it refers to."""
    return own.get(key) is True or (isinstance(target, dict) and target.get(key) is True)


def _field_name(wire: str, wires: set[str], used: set[str]) -> str:
    """A field's Python name: safe, unique in its model, and never another field's wire name (with
    `populate_by_name`, a value sent under that wire name would be read into both fields)."""
    others = wires - {wire}
    return _unique(naming.safe_snake(wire, reserved_names().fields | others, fallback="field"), used, "_", others)


def _unique(name: str, used: set[str], sep: str, also: set[str] | frozenset[str] = frozenset()) -> str:
    """`name`, or it numbered, so that it is none of `used` (which it joins) and none of `also`."""
    candidate, counter = name, 2
    while candidate in used or candidate in also:
        candidate = f"{name}{sep}{counter}"
        counter += 1
    used.add(candidate)
    return candidate


def _nonempty(line: str) -> tuple[str, ...]:
    return (line,) if line else ()


def fits(value: Any, type_name: str) -> bool:
    """True when a document value (a default, an example) is a literal of that primitive type."""
    if isinstance(value, bool):
        return type_name == "bool"
    if isinstance(value, int):
        return type_name in ("int", "float")
    if isinstance(value, float):
        return type_name == "float" and value == value
    return isinstance(value, str) and type_name == "str"
