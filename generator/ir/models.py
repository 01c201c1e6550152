"""The IR of the models package: types as annotations spell them, and the classes and modules they name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TypeKind = Literal["model", "enum", "list", "dict", "union", "primitive", "any"]


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A Python type, both as structure (for examples and docs) and as a finished annotation."""

    kind: TypeKind
    annotation: str
    name: str = ""
    args: tuple[TypeRef, ...] = ()
    nullable: bool = False
    models: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Field:
    wire_name: str
    py_name: str
    type: TypeRef
    required: bool
    default_repr: str | None
    description: str
    deprecated: bool
    read_only: bool = False
    write_only: bool = False
    # The document lets the field be null; a None in any other optional field means "leave it out".
    nullable: bool = False

    @property
    def assignment(self) -> str:
        """What follows the annotation in the class body (the wire name is the class's `wire_names`)."""
        if self.deprecated:
            default = "" if self.default_repr is None else f"default={self.default_repr}, "
            return f" = Field({default}deprecated=True)"
        return "" if self.default_repr is None else f" = {self.default_repr}"


@dataclass(frozen=True, slots=True)
class DictKey:
    """One key of a model's TypedDict: the wire name a dict body carries, and the type of its value."""

    wire_name: str
    # As the models module spells it: nested models also as their TypedDicts, lists as `Sequence`.
    annotation: str
    required: bool
    # Import lines the annotation needs beyond the model field's (`Sequence`, `Literal`), and the
    # classes whose TypedDicts it names.
    imports: tuple[str, ...] = ()
    models: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Schema:
    class_name: str
    module_name: str
    kind: Literal["object", "enum"]
    pointer: str
    description: str
    fields: tuple[Field, ...] = ()
    members: tuple[EnumMember, ...] = ()
    # The document lets an object carry properties beyond its fields (`additionalProperties`, or no
    # properties at all): a request may send them. Other objects' unknown fields are typos.
    open: bool = False
    # The TypedDict beside the model, for a model a request body reaches: a dict body's keys as a type
    # checker sees them (None for the others). `dict_functional`: written as `X = TypedDict("X", {...})`,
    # since some key cannot be a name in a class body; `dict_names_only`: though every key is a name
    # (some non-ASCII, or reading as a digit), which ruff would have written as a class.
    dict_name: str | None = None
    dict_keys: tuple[DictKey, ...] = ()
    dict_functional: bool = False
    dict_names_only: bool = False

    @property
    def wire_names(self) -> tuple[tuple[str, str], ...]:
        """(Python name, wire name) of each field whose names differ.

        They become the class's alias generator rather than each field's `alias`: type checkers
        (mypy without its plugin, pyright) and `inspect.signature` then offer the Python names, which
        every page of the docs uses, while the wire names are what is parsed and sent.
        """
        return tuple((f.py_name, f.wire_name) for f in self.fields if f.py_name != f.wire_name)

    @property
    def nullable_fields(self) -> tuple[str, ...]:
        """Python names of the fields a request may send as null."""
        return tuple(f.py_name for f in self.fields if f.nullable)

    @property
    def read_only_fields(self) -> tuple[str, ...]:
        """Python names of the fields the server sets, which a request leaves out."""
        return tuple(f.py_name for f in self.fields if f.read_only)


@dataclass(frozen=True, slots=True)
class ModelModule:
    """One module of the models package; schemas that refer to each other in a cycle share one."""

    module_name: str
    schemas: tuple[Schema, ...]
    std_imports: tuple[str, ...]
    pydantic_imports: tuple[str, ...]
    # The SDK's own (`from .._models import ...`) and the other models this module's classes use.
    local_imports: tuple[str, ...]
    # Import lines from other packages than pydantic (typing_extensions' TypedDict and Required).
    third_party_imports: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """What the module defines for others: each class, and each TypedDict beside one."""
        return tuple(name for s in self.schemas for name in (s.class_name, s.dict_name) if name)
