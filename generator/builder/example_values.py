"""One example value as Python source: the document's own where it fits, else one made to fit.

A value is written for the SDK's type (the IR) and checked against the schema's own words (format,
pattern, lengths, bounds, the discriminator of a union), so that it type-checks where it is passed and
an API validating requests by the document accepts it. Each value carries the imports it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from generator.builder.example_scalars import (
    Source,
    as_json,
    count_fits,
    fitted_scalar,
    joined,
    json_literal,
    made_scalar,
)
from generator.builder.schema_nodes import discriminator_tags
from generator.ir.models import EnumMember, Field, Schema, TypeRef
from generator.text.literals import py_literal

if TYPE_CHECKING:
    from generator.builder.schemas import SchemaBuilder

# Optional enum fields are shown (their first member) only this close to the top of an example.
_ENUM_DEPTH = 3
# A model that (through required fields) contains itself is not expanded deeper than this.
_MAX_DEPTH = 12


class ValueWriter:
    """Writes example values of IR types, reading the document's schemas for their examples and rules.

    With `as_dicts`, a model that has a TypedDict is written as a dict keyed by wire names, and an enum
    as its value: what a dict body holds.
    """

    def __init__(self, schemas: SchemaBuilder, as_dicts: bool = False) -> None:
        self.schemas = schemas
        self.as_dicts = as_dicts

    def value(
        self, t: TypeRef, facets: Mapping[str, Any], given: Sequence[Any] = (), chain: tuple[str, ...] = ()
    ) -> Source:
        """The first of `given`, then of the schema's own examples, that fits; else one made up."""
        for candidate in (*given, *examples_of(facets)):
            found = self.fitted(t, facets, candidate, chain)
            if found is not None:
                return found
        return self._made(t, facets, chain)

    def fitted(self, t: TypeRef, facets: Mapping[str, Any], value: Any, chain: tuple[str, ...]) -> Source | None:
        """`value` (a document value) written as type `t`, or None when it does not fit the type and
        the schema. A null never fits: an example shows a value, and a required one may not be None."""
        value = as_json(value)
        if value is None:
            return None
        if t.kind == "model":
            return self.model(t, value, chain) if isinstance(value, dict) else None
        if t.kind == "enum":
            return self._member(t, value)
        if t.kind == "list":
            return self._list(t, facets, value, chain)
        if t.kind == "dict":
            return self._dict(t, facets, value, chain)
        if t.kind == "union":
            return self._union_fitted(t, facets, value, chain)
        if t.kind == "any":
            return json_literal(value)
        return fitted_scalar(t.name, facets, value)

    def model(
        self, t: TypeRef, given: dict[str, Any] | None, chain: tuple[str, ...], forced: Mapping[str, str] | None = None
    ) -> Source:
        """`models.Name(...)`: the fields `given` holds that fit, each required field, and (with nothing
        given) the optional scalars the document gives an example for. `forced` fixes a field's value,
        as a discriminated union's tag."""
        schema = self.schemas.schema_named(t.name)
        as_dict = self.as_dicts and t.name in self.schemas.shapes.dicts
        if len(chain) > 2 * _MAX_DEPTH:  # a document whose models require themselves
            return Source("{}") if as_dict else Source(f"models.{t.name}()", models=True)
        if given is None:
            own = self.schemas.facets(self.schemas.node_of(schema), schema.pointer)
            given = next((e for e in examples_of(own) if isinstance(e, dict)), None)
        fields = self._fields(schema, given, (*chain, t.name), forced or {})
        if as_dict:
            entries = [
                Source(f"{py_literal(f.wire_name)}: {part.text}", part.imports, part.models) for f, part in fields
            ]
            return joined(entries, "{", "}")
        parts = [Source(f"{f.py_name}={part.text}", part.imports, part.models) for f, part in fields]
        return joined(parts, f"models.{t.name}(", ")", models=True)

    def _fields(
        self, schema: Schema, given: dict[str, Any] | None, chain: tuple[str, ...], forced: Mapping[str, str]
    ) -> Iterable[tuple[Field, Source]]:
        properties = self.schemas.properties_of(schema)
        for field in schema.fields:
            node = properties.get(field.wire_name)
            facets = self.schemas.facets(*node) if node else {}
            if field.wire_name in forced:
                found = self.fitted(field.type, {}, forced[field.wire_name], chain)
                if found is not None:
                    yield field, found
                    continue
            if not field.required and (field.read_only or field.deprecated or self._admits_nothing(node)):
                continue  # never sent, discouraged, or refused whatever it holds: shown only when required
            if given is not None:
                present = field.wire_name in given
                if present and given[field.wire_name] is not None:
                    found = self.fitted(field.type, facets, given[field.wire_name], chain)
                    if found is not None:
                        yield field, found
                        continue
                if field.required:
                    yield field, self.value(field.type, facets, (), chain)
                continue
            if field.required:
                yield field, self.value(field.type, facets, (), chain)
            elif field.type.kind in ("primitive", "enum"):
                shown = next(
                    (s for e in examples_of(facets) if (s := self.fitted(field.type, facets, e, chain)) is not None),
                    None,
                )
                if shown is None and field.type.kind == "enum" and len(chain) < _ENUM_DEPTH:
                    shown = self._made(field.type, facets, chain)
                if shown is not None:
                    yield field, shown

    def _admits_nothing(self, node: tuple[Any, str] | None) -> bool:
        """An allOf of `type: null` and a type that is not null, which no value satisfies (the generator
        reads it as nullable, and the SDK's type lets callers send it; an example leaves it out)."""
        if node is None or not isinstance(node[0], dict) or not isinstance(node[0].get("allOf"), list):
            return False
        types = [self.schemas.facets(part, node[1]).get("type") for part in node[0]["allOf"]]
        return "null" in types and any(isinstance(t, str) and t != "null" for t in types)

    def _member(self, t: TypeRef, value: Any) -> Source | None:
        members = self.schemas.schema_named(t.name).members
        member = next((m for m in members if m.value == value), None)
        return None if member is None else self._enum(t, member)

    def _enum(self, t: TypeRef, member: EnumMember) -> Source:
        if self.as_dicts:
            return Source(py_literal(member.value))
        return Source(f"models.{t.name}.{member.name}", models=True)

    def _list(self, t: TypeRef, facets: Mapping[str, Any], value: Any, chain: tuple[str, ...]) -> Source | None:
        if not isinstance(value, list) or not t.args or not count_fits(len(value), facets, "Items"):
            return None
        item_facets = self._inner(facets, "items")
        items = [self.fitted(t.args[0], item_facets, item, chain) for item in value]
        if any(item is None for item in items):
            return None
        return joined([i for i in items if i is not None], "[", "]")

    def _dict(self, t: TypeRef, facets: Mapping[str, Any], value: Any, chain: tuple[str, ...]) -> Source | None:
        if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
            return None
        if not t.args:  # a form's Mapping[str, object]
            return json_literal(value)
        value_facets = self._inner(facets, "additionalProperties")
        entries: list[Source] = []
        for key, item in value.items():
            found = self.fitted(t.args[0], value_facets, item, chain)
            if found is None:
                return None
            entries.append(Source(f"{py_literal(key)}: {found.text}", found.imports, found.models))
        return joined(entries, "{", "}")

    def _union_fitted(self, t: TypeRef, facets: Mapping[str, Any], value: Any, chain: tuple[str, ...]) -> Source | None:
        tagged = self._tags(t, facets)
        if tagged is not None:
            wire, tags = tagged
            if not isinstance(value, dict) or value.get(wire) not in tags:
                return None
            arm = t.args[tags.index(value[wire])]
            return self.model(arm, value, chain, {wire: value[wire]})
        for arm, arm_facets in zip(t.args, self._arm_facets(t, facets), strict=True):
            found = self.fitted(arm, arm_facets, value, chain)
            if found is not None:
                return found
        return None

    def _made(self, t: TypeRef, facets: Mapping[str, Any], chain: tuple[str, ...]) -> Source:
        """A value made up to fit type `t` and the schema's rules."""
        if t.kind == "model":
            if t.nullable and (t.name in chain or len(chain) > _MAX_DEPTH):
                return Source("None")  # a model that holds itself ends where the document allows null
            return self.model(t, None, chain)
        if t.kind == "enum":
            return self._enum(t, self.schemas.schema_named(t.name).members[0])
        if t.kind == "list" and t.args:
            item = t.args[0]
            if facets.get("maxItems") == 0 or (item.kind == "model" and item.name in chain):
                return Source("[]")
            return joined([self.value(item, self._inner(facets, "items"), (), chain)], "[", "]")
        if t.kind in ("list", "dict"):
            return Source("[]" if t.kind == "list" else "{}")
        if t.kind == "union" and t.args:
            tagged = self._tags(t, facets)
            if tagged is not None:
                wire, tags = tagged
                return self.model(t.args[0], None, chain, {wire: tags[0]})
            return self.value(t.args[0], self._arm_facets(t, facets)[0], (), chain)
        if t.kind == "any":
            return Source('"string"')
        return made_scalar(t.name, facets)

    def _tags(self, t: TypeRef, facets: Mapping[str, Any]) -> tuple[str, list[str]] | None:
        """The discriminating property and the tag of each arm, for a discriminated union."""
        if not t.annotation.startswith("Annotated["):
            return None
        variants = facets.get("oneOf") or facets.get("anyOf")
        return discriminator_tags(dict(facets), variants, t.args) if isinstance(variants, list) else None

    def _arm_facets(self, t: TypeRef, facets: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
        """Each arm's own schema: the union's variants but those only admitting null, when they pair
        with its arms one to one; else the union's schema itself (`type: [string, integer]`)."""
        variants = facets.get("oneOf") or facets.get("anyOf")
        if isinstance(variants, list):
            own = [self.schemas.facets(v, "") for v in variants]
            own = [f for f in own if f.get("type") not in ("null", ["null"])]
            if len(own) == len(t.args):
                return own
        return [facets for _ in t.args]

    def _inner(self, facets: Mapping[str, Any], key: str) -> dict[str, Any]:
        node = facets.get(key)
        return self.schemas.facets(node, "") if isinstance(node, dict) else {}


def examples_of(facets: Mapping[str, Any]) -> list[Any]:
    """The schema's examples: its `examples` list, then its `example`."""
    examples = facets.get("examples")
    found = list(examples) if isinstance(examples, list) else []
    return [*found, facets["example"]] if "example" in facets else found
