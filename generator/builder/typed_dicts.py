"""Stage 4a, request shapes: a TypedDict beside each model that a request body reaches.

A body argument takes a model or a dict. The dict is checked against the model at run time, before
anything is sent; its TypedDict lets a type checker (mypy, pyright, an editor) see the same keys
before anything runs, so a misspelt key is flagged where it is written. Its keys are the wire names a
dict body carries, required where the model requires them (where the run-time check refuses a dict
without them); its values mirror the model's field types, a nested model also taken as its own
TypedDict, a list as any `Sequence` and a map as any `Mapping` (read-only containers, so a list of
TypedDicts passes where a list of models or TypedDicts is taken), and an enum also as its listed
values, which are what the run-time check lets through. A read-only field the model does not require
is no key: a request never sends it.

Names are final here: `{Model}Dict`, numbered where that is a class's name, another TypedDict's or a
name the SDK uses itself.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.ir.models import DictKey, Field, Schema, TypeRef
from generator.text import naming
from generator.text.literals import py_literal

_ANY = "dict[str, Any]"


@dataclass(frozen=True)
class Shapes:
    """What annotations of dict bodies need to know of the models: each TypedDict's name (by class),
    each enum's listed values, and which models take fields they do not list."""

    dicts: Mapping[str, str]
    enums: Mapping[str, tuple[str, ...]]
    open: frozenset[str]


def dict_fields(schema: Schema) -> tuple[Field, ...]:
    """The fields that are keys of the model's TypedDict: all but the read-only ones it does not require."""
    return tuple(f for f in schema.fields if f.required or not f.read_only)


def plan(schemas: Iterable[Schema], roots: Iterable[TypeRef], taken: Iterable[str]) -> Shapes:
    """The TypedDicts of the models the body types `roots` reach through the keys of dict bodies, named
    apart from every class and every name in `taken`."""
    by_name = {s.class_name: s for s in schemas}
    reached: set[str] = set()
    stack = [name for t in roots for name in t.models]
    while stack:
        name = stack.pop()
        schema = by_name.get(name)
        if schema is None or schema.kind != "object" or name in reached:
            continue
        reached.add(name)
        stack.extend(m for f in dict_fields(schema) for m in f.type.models)
    used = set(taken) | set(by_name)
    suffixes = naming.Suffixes(used)
    dicts: dict[str, str] = {}
    for name in sorted(reached, key=naming.member_order):
        base = f"{name}Dict"
        candidate = base if base not in used else suffixes.free(base)
        used.add(candidate)
        dicts[name] = candidate
    enums = {s.class_name: tuple(m.value for m in s.members) for s in by_name.values() if s.kind == "enum"}
    return Shapes(dicts, enums, frozenset(s.class_name for s in by_name.values() if s.open))


def with_typed_dict(schema: Schema, shapes: Shapes) -> Schema:
    """The model with its TypedDict's name and keys, when a request body reaches it."""
    name = shapes.dicts.get(schema.class_name)
    if name is None:
        return schema
    keys = tuple(
        DictKey(f.wire_name, accepted(f.type, shapes, ""), f.required, *_needs(f.type, shapes))
        for f in dict_fields(schema)
    )
    functional = not all(_class_key(key.wire_name) for key in keys)
    # ruff's UP013 takes a functional TypedDict whose keys are all names for one it could write as a class.
    names_only = functional and all(
        k.wire_name.isidentifier() and not keyword.iskeyword(k.wire_name) and not k.wire_name.startswith("__")
        for k in keys
    )
    return dataclasses.replace(
        schema, dict_name=name, dict_keys=keys, dict_functional=functional, dict_names_only=names_only
    )


def accepted(t: TypeRef, shapes: Shapes, prefix: str) -> str:
    """What a value of type `t` may be given as in a request: each model also as its TypedDict (and as
    any dict, where the model takes fields it does not list), each enum also as its listed values,
    lists as `Sequence` and maps as `Mapping`. `prefix` qualifies the SDK's classes (`models.`)."""
    arms = _arms(t, shapes, prefix)
    # Any dict goes last, and not at all beside a mapping that takes it already.
    arms = [arm for arm in arms if arm != _ANY] + ([_ANY] if _ANY in arms and "Mapping[str, Any]" not in arms else [])
    return " | ".join([*arms, "None"] if t.nullable else arms)


def _arms(t: TypeRef, shapes: Shapes, prefix: str) -> list[str]:
    if t.kind == "model":
        arms = [prefix + t.name]
        if t.name in shapes.dicts:
            arms.append(prefix + shapes.dicts[t.name])
        return [*arms, _ANY] if t.name in shapes.open or t.name not in shapes.dicts else arms
    if t.kind == "enum" and shapes.enums.get(t.name):
        return [prefix + t.name, f"Literal[{', '.join(py_literal(v) for v in shapes.enums[t.name])}]"]
    if t.kind == "list" and t.args:
        return [f"Sequence[{accepted(t.args[0], shapes, prefix)}]"]
    if t.kind == "dict" and t.args:
        return [f"Mapping[str, {accepted(t.args[0], shapes, prefix)}]"]
    if t.kind == "union" and t.args:
        return list(dict.fromkeys(arm for variant in t.args for arm in _arms(variant, shapes, prefix)))
    annotation = t.annotation.removesuffix(" | None") if t.nullable else t.annotation
    return [naming.qualify(annotation, t.models, prefix)]


def vocabulary(annotation: str) -> tuple[str, ...]:
    """The import lines of the typing names an annotation uses (`Sequence`, `Mapping`, `Literal`, `Any`),
    the text of its string literals (an enum's values) aside."""
    written = _STRING.sub('""', annotation)
    return tuple(line for pattern, line in _VOCABULARY if pattern.search(written))


def _needs(t: TypeRef, shapes: Shapes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The import lines the accepted form of `t` needs beyond those of the model's field, and the
    classes whose TypedDicts it names."""
    return vocabulary(accepted(t, shapes, "")), tuple(m for m in t.models if m in shapes.dicts)


# A string literal of an annotation (an enum's value), whose text is no name the annotation uses.
_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")
_VOCABULARY = (
    (re.compile(r"(?<![\w.])Sequence\["), "from collections.abc import Sequence"),
    (re.compile(r"(?<![\w.])Mapping\["), "from collections.abc import Mapping"),
    (re.compile(r"(?<![\w.])Literal\["), "from typing import Literal"),
    (re.compile(r"(?<![\w.])Any\b"), "from typing import Any"),
)


def _class_key(wire_name: str) -> bool:
    """Whether a key can be written in a TypedDict's class body: a name (ASCII: Python would fold
    other letters to their NFKC form), no keyword, not one Python mangles (`__x`), and none that
    reads as a digit (`l`, which linters refuse as a name)."""
    return (
        wire_name.isidentifier()
        and wire_name.isascii()
        and not keyword.iskeyword(wire_name)
        and not (wire_name.startswith("__") and not wire_name.endswith("__"))
        and wire_name not in naming.AMBIGUOUS
    )
