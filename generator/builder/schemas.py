"""Stage 4a, second pass: JSON Schemas → IR types and model classes, every reference resolved, every name final.

The second pass over what `schema_index` found and named: each schema's type, built with those names,
and each class's fields, with what the ledger reads (where a type admits more than the document says)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from generator.builder.model_modules import group_modules
from generator.builder.schema_index import (
    Loosening,
    Named,
    SchemaIndex,
)
from generator.builder.schema_nodes import (
    allows_null,
    discriminator_tags,
    fits,
    flag,
    shapes_type,
    types_of,
)
from generator.builder.type_refs import ANY, deps, optional, union
from generator.builder.typed_dicts import Shapes, plan, with_typed_dict
from generator.document.parsed import Document, as_text
from generator.document.validate import KNOWN_FORMATS
from generator.errors import pointer_join
from generator.ir.models import EnumMember, Field, ModelModule, Schema, TypeRef
from generator.text import naming
from generator.text.literals import py_literal
from generator.text.reserved import reserved as reserved_names


class SchemaBuilder(SchemaIndex):
    """Converts the schemas the index found into IR types and classes, and groups the classes into modules."""

    def __init__(self, doc: Document, reserved: frozenset[str] = frozenset()) -> None:
        super().__init__(doc, reserved)
        self._schemas: dict[str, Schema] = {}
        self._by_class_name: dict[str, Schema] = {}  # examples look a class up by name for each field they write
        self._building: set[str] = set()
        # Unnamed schemas whose type is being worked out, to stop at one that contains itself.
        self._resolving: set[str] = set()
        # The TypedDicts of the models request bodies reach (`plan_typed_dicts`).
        self.shapes = Shapes({}, {}, frozenset())
        # What the ledger reads: the loosenings of each class, and those of the scope being built (a
        # class's own, or an operation's).
        self.loosened: dict[str, tuple[Loosening, ...]] = {}
        self._scopes: list[dict[Loosening, None]] = []
        # allOf parts merged into the classes they make up (a class of their own only where used alone).
        self._merged_parts: set[str] = set()

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
        if nullable or allows_null(node):
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
        declared = types_of(node)
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
            return TypeRef("list", f"list[{item.annotation}]", args=(item,), **deps(item))
        if kind == "object":
            extra = node.get("additionalProperties")
            value = (
                self.type_of(extra, pointer_join(pointer, "additionalProperties"))
                if isinstance(extra, dict) and extra
                else ANY
            )
            if value.kind == "any" and not (isinstance(extra, dict) and extra):
                self.loosen(pointer, "an object whose members the document does not describe: any values")
            return TypeRef("dict", f"dict[str, {value.annotation}]", args=(value,), **deps(value))
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
        self._by_class_name.setdefault(schema.class_name, schema)
        self._building.discard(pointer)

    def _enum_schema(self, named: Named) -> Schema:
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

    def _object_schema(self, named: Named) -> Schema:
        properties, required, description, accepts_more = self._merged(named.node, named.pointer)
        fields: list[Field] = []
        used: set[str] = set()
        wires = set(properties) | required
        for wire_name, (prop, prop_pointer) in properties.items():
            field_type = self.type_of(prop, prop_pointer)
            target, _ = self.deref(prop, prop_pointer)
            own = prop if isinstance(prop, dict) else {}
            read_only, write_only = flag(own, target, "readOnly"), flag(own, target, "writeOnly")
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
                    deprecated=flag(own, target, "deprecated"),
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
            if isinstance(target, dict) and not shapes_type(target) and as_text(target.get("description")):
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

    def properties_of(self, schema: Schema) -> dict[str, tuple[Any, str]]:
        """An object class's properties as the document writes them (allOf merged): wire name to
        (schema node, pointer)."""
        return self._merged(self.node_of(schema), schema.pointer)[0]

    def modules(self) -> tuple[ModelModule, ...]:
        """The models package: one module per class, or per cycle of classes that refer to each other."""
        return group_modules([with_typed_dict(schema, self.shapes) for schema in self._schemas.values()])

    def schema_named(self, class_name: str) -> Schema:
        """The built class of that name (examples walk the IR, not the document)."""
        return self._by_class_name[class_name]


_FORMATS = {
    "date-time": ("datetime.datetime", "import datetime"),
    "date": ("datetime.date", "import datetime"),
    "uuid": ("UUID", "from uuid import UUID"),
    "decimal": ("Decimal", "from decimal import Decimal"),
    "binary": ("File", "from .._types import File"),
}


_PRIMITIVES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}


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
