"""Base classes of every generated model: tolerant of what newer API versions add."""

from __future__ import annotations

import difflib
import functools
import types
import typing
from collections.abc import Iterator
from enum import Enum
from typing import Any, ClassVar

import pydantic
from pydantic import (
    AliasChoices,
    AliasGenerator,
    ConfigDict,
    Discriminator,
    GetCoreSchemaHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationInfo,
)
from pydantic_core import CoreSchema, core_schema

# A validation problem shows this much of the wrong value.
_SHOWN_INPUT = 60


class BaseModel(pydantic.BaseModel):
    """Accepts wire names and Python names alike; keeps fields the server adds later."""

    model_config = ConfigDict(
        populate_by_name=True,
        extra="allow",
        protected_namespaces=(),
    )

    accepts_unknown_fields: ClassVar[bool] = False
    """Whether the API document lets a request carry fields this model does not list."""

    __nullable__: ClassVar[frozenset[str]] = frozenset()
    """Fields the document lets a request send as null: a None in any other field is left out."""

    __read_only__: ClassVar[frozenset[str]] = frozenset()
    """Fields the server sets: a request leaves them out."""

    @pydantic.model_serializer(mode="wrap")
    def _request_shape(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        """A request body holds what the document lets a request send: not the server's read-only
        fields, and no null where the document allows none (`field=None` then means "leave it out")."""
        data: dict[str, Any] = handler(self)
        if not (info.context and info.context.get("request")):
            return data
        fields = type(self).model_fields
        left_out = self.__read_only__ | {
            name
            for name in self.model_fields_set
            if name not in self.__nullable__ and name in fields and self.__dict__.get(name) is None
        }
        for name in left_out:
            data.pop((fields[name].serialization_alias or name) if info.by_alias else name, None)
        return data

    def to_wire(self) -> dict[str, Any]:
        """The JSON-ready body for a request: wire names, only the fields that were set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, context={"request": True})

    def to_request(self) -> dict[str, Any]:
        """The request's data with Python values (Decimals kept), wire names, only the fields set."""
        return self.model_dump(mode="python", by_alias=True, exclude_unset=True, context={"request": True})


def wire_names(**names: str) -> ConfigDict:
    """A model's config naming the wire name of each field whose Python name differs.

    An alias generator, not each field's `alias`: type checkers (mypy without its plugin, pyright)
    and `inspect.signature` then offer the Python names, while the wire names are what is parsed
    and sent. The Python names parse too (`populate_by_name`).
    """
    return ConfigDict(
        alias_generator=AliasGenerator(
            validation_alias=lambda name: AliasChoices(names.get(name, name)),
            serialization_alias=lambda name: names.get(name, name),
        )
    )


def unknown_values(value: object, place: str) -> Iterator[str]:
    """What a request is about to send that the API document does not allow: fields a model does not
    have (typos, which a server would drop or reject) and values outside an enum. Responses are not
    checked this way: a newer server may add either."""
    if isinstance(value, BaseModel):
        model = type(value)
        if value.model_extra and not model.accepts_unknown_fields:
            known = ", ".join(model.model_fields) or "none"
            for name in value.model_extra:
                yield f"{place}.{name}: {model.__name__} has no such field{_did_you_mean(name, model)} (its fields: {known})"
        for name in value.model_fields_set & set(model.model_fields):
            # Read past the attribute: a deprecated field's would warn the caller of a read they never made.
            yield from unknown_values(value.__dict__.get(name), f"{place}.{name}")
    elif isinstance(value, OpenEnum):
        if not value.is_listed():
            listed = ", ".join(repr(member.value) for member in type(value))
            yield f"{place}: {value.value!r} is not a {type(value).__name__} (one of {listed})"
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from unknown_values(item, f"{place}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unknown_values(item, f"{place}[{key!r}]")


def tolerant(tp: Any, value: Any, place: str, missing: list[str]) -> Any:
    """`value` as type `tp`, where the only fault is a required field the server left out: the model
    is built with what was there (the absent field None) and `missing` says where. A value of the
    wrong type still raises pydantic's ValidationError: that is not a gap to tolerate but a conflict.
    """
    try:
        return type_adapter(tp).validate_python(value, context={"response": True})
    except pydantic.ValidationError as exc:
        if any(error["type"] != "missing" for error in exc.errors()):
            raise
        failure = exc
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(value, dict):
        fields: dict[str, Any] = {}
        present: set[str] = set()
        known: set[str] = set()
        for name, field in tp.model_fields.items():
            wire = field.serialization_alias or name
            known |= {wire, name}
            key = wire if wire in value else name if name in value else None
            if key is not None:
                fields[name] = tolerant(field.annotation, value[key], f"{place}.{wire}", missing)
                present.add(name)
            elif field.is_required():
                fields[name] = None
                missing.append(f"{place}.{wire}")
        extra = {key: item for key, item in value.items() if key not in known}
        return tp.model_construct(_fields_set=present, **fields, **extra)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list and isinstance(value, list) and args:
        return [tolerant(args[0], item, f"{place}[{index}]", missing) for index, item in enumerate(value)]
    if origin is dict and isinstance(value, dict) and len(args) == 2:
        return {key: tolerant(args[1], item, f"{place}[{key!r}]", missing) for key, item in value.items()}
    if origin in (typing.Union, types.UnionType):
        for arm in args:
            try:
                return tolerant(arm, value, place, missing)
            except pydantic.ValidationError:
                continue
    raise failure


def validation_problems(exc: pydantic.ValidationError, argument: str) -> list[str]:
    """Each of pydantic's findings as one line: where (from the argument the caller passed), what, and
    the value that failed, shortened."""
    problems = []
    for error in exc.errors(include_url=False):
        place = argument + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
        shown = repr(error["input"])
        shown = shown if len(shown) <= _SHOWN_INPUT else shown[: _SHOWN_INPUT - 3] + "..."
        problems.append(f"{place}: {error['msg']} (got {shown})")
    return problems


@functools.lru_cache(maxsize=256)
def type_adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    """One adapter per type, built once: building one costs far more than using it."""
    return pydantic.TypeAdapter(tp)


def _did_you_mean(name: str, model: type[BaseModel]) -> str:
    names = {python: python for python in model.model_fields}
    names.update({str(field.serialization_alias): python for python, field in model.model_fields.items()})
    folded = {key.replace("_", "").lower(): python for key, python in names.items()}
    close = difflib.get_close_matches(name.replace("_", "").lower(), folded, n=1, cutoff=0.75)
    return f"; did you mean {folded[close[0]]}?" if close else ""


class OpenEnum(str, Enum):
    """A string enum that accepts values it does not list, so a new server value never raises."""

    def is_listed(self) -> bool:
        """Whether the value is one the API document lists (not one a newer server sent)."""
        return type(self).__members__.get(self._name_) is self

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.with_info_after_validator_function(_listed_when_exact, handler(source))


def _listed_when_exact(value: OpenEnum, info: ValidationInfo) -> OpenEnum:
    """An unlisted value, refused when a request's body is matched exactly (see `exactly`): a union
    then takes the branch that lists it, not the first that merely tolerates it."""
    if isinstance(info.context, dict) and info.context.get("exact") and not value.is_listed():
        raise ValueError(f"{value.value!r} is not a listed {type(value).__name__}")
    return value


EXACT = {"exact": True}
"""The validation context under which open enums take only the values they list."""


@functools.cache
def discriminator(wire_name: str, attribute: str) -> Discriminator:
    """Tells the variants of a union apart by one property, read from a dict or a model.

    The variants need no Literal field for it; cached, so the same union is the same type (and
    the same cached validator) every time an annotation names it.
    """

    def read(value: Any) -> Any:
        return value.get(wire_name) if isinstance(value, dict) else getattr(value, attribute, None)

    return Discriminator(read)
