"""Path, query, header and cookie parameters: checked against their types, then written as OpenAPI says.

Each location has its `style` (RFC 6570's simple, label, matrix and form expansions, and OpenAPI's own
spaceDelimited, pipeDelimited and deepObject) and `explode`, for strings, numbers, arrays and objects
alike. Values in a URL are percent-encoded as RFC 3986 and RFC 6570 say: everything but the
unreserved characters (a space is `%20`, never `+`), unless the document allows reserved ones. Header
values are written as they are (OpenAPI's appendix D: percent-encoding does not belong in headers).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal
from urllib.parse import quote
from uuid import UUID

import pydantic
import pydantic_core

from ._json import dumps
from ._models import BaseModel, type_adapter, unknown_values, validation_problems

Location = Literal["path", "query", "header", "cookie"]
Style = Literal["simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject"]

# RFC 3986's reserved characters, which `allowReserved` lets through unencoded.
_RESERVED = ":/?#[]@!$&'()*+,;="
# What the delimited styles put between values, already percent-encoded.
_DELIMITERS = {"spaceDelimited": "%20", "pipeDelimited": "%7C"}


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of one call: where it goes, its value as given, and the type that value must have."""

    py_name: str
    wire_name: str
    location: Location
    value: object
    type: Any
    style: Style | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    # The document gives the parameter as `content` of a JSON media type: its value is one JSON text.
    as_json: bool = False

    @property
    def described(self) -> str:
        """The parameter as the caller knows it, and as the document does when that differs."""
        if self.py_name == self.wire_name:
            return self.py_name
        return f"{self.py_name} (the {self.location} parameter {self.wire_name!r})"


def checked(param: Parameter) -> tuple[object, list[str]]:
    """The value as its type takes it, or what is wrong with it (a required value missing, a value of
    another type, a value outside an enum)."""
    value = param.value
    if value is None and _optional(param.type):
        return None, []
    try:
        value = type_adapter(param.type).validate_python(value)
    except pydantic.ValidationError as exc:
        if param.value is None:
            return None, [f"{param.described}: is required, got None"]
        return None, validation_problems(exc, param.described)
    return value, list(unknown_values(value, param.described))


def path_segment(param: Parameter, value: object) -> str:
    """What replaces `{name}` in the path template; ValueError for an empty one, with which the URL would
    address another resource (`/customers/` for `/customers/{id}`)."""
    segment = _path_expansion(param, value)
    if not segment:
        raise ValueError(f"{param.described}: a path parameter cannot be empty")
    return segment


def _path_expansion(param: Parameter, value: object) -> str:
    style = param.style or "simple"
    explode = bool(param.explode)
    name = _encode(param.wire_name, False)
    data = _data(value, param.as_json)
    if style == "matrix":
        if isinstance(data, list):
            if explode:
                return "".join(f";{name}={_text(item, param.allow_reserved)}" for item in data)
            return f";{name}=" + ",".join(_text(item, param.allow_reserved) for item in data)
        if isinstance(data, dict):
            if explode:
                return "".join(f";{pair}" for pair in _pairs(data, "=", param.allow_reserved))
            return f";{name}=" + ",".join(_pairs(data, ",", param.allow_reserved))
        text = _text(data, param.allow_reserved)
        return f";{name}={text}" if text else f";{name}"
    prefix, separator = (".", ".") if style == "label" else ("", ",")
    return prefix + _joined(data, separator if explode else ",", explode, param.allow_reserved)


def query_pairs(param: Parameter, value: object) -> list[str]:
    """The parameter's `name=value` pieces of the query string, each percent-encoded."""
    style = param.style or "form"
    explode = (style == "form") if param.explode is None else param.explode
    name = _encode(param.wire_name, False)
    data = _data(value, param.as_json)
    reserved = param.allow_reserved
    if isinstance(data, dict):
        if style == "deepObject":
            return [f"{_encode(key, False)}={_text(item, reserved)}" for key, item in _deep(param.wire_name, data)]
        if style in _DELIMITERS:
            return [f"{name}=" + _DELIMITERS[style].join(_pairs(data, _DELIMITERS[style], reserved))]
        if explode:
            return list(_pairs(data, "=", reserved))
        return [f"{name}=" + ",".join(_pairs(data, ",", reserved))]
    if isinstance(data, list):
        if not data:
            return []  # RFC 6570: an empty list is undefined, and an undefined variable is left out
        if style in _DELIMITERS:
            return [f"{name}=" + _DELIMITERS[style].join(_text(item, reserved) for item in data)]
        if explode:
            return [f"{name}={_text(item, reserved)}" for item in data]
        return [f"{name}=" + ",".join(_text(item, reserved) for item in data)]
    return [f"{name}={_text(data, reserved)}"]


def header_value(param: Parameter, value: object) -> str:
    """The header's value (style simple): an array's items or an object's members joined by commas."""
    return _joined(_data(value, param.as_json), ",", bool(param.explode), None)


def cookie_value(param: Parameter, value: object) -> str:
    """The `name=value` text of the parameter in the Cookie header (style form, as the style table writes
    it: several values of an exploded array repeat the name after `&`)."""
    pairs = query_pairs(param, value)
    return "&".join(pairs) if pairs else f"{_encode(param.wire_name, False)}="


@functools.lru_cache(maxsize=256)
def _optional(tp: Any) -> bool:
    """Whether None is a value of `tp` (an optional parameter, not sent when None)."""
    try:
        type_adapter(tp).validate_python(None)
    except pydantic.ValidationError:
        return False
    return True


def _data(value: object, as_json: bool = False) -> Any:
    """A parameter value as plain data: a model as its wire-named fields, an enum as its value; the
    whole value as JSON text for a parameter given as JSON content."""
    if as_json:
        return dumps(_data(value)).decode("utf-8")
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python", by_alias=True, exclude_unset=True, context={"request": True})
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_data(item) for item in value if item is not None]
    if isinstance(value, Mapping):
        return {str(_data(key)): _data(item) for key, item in value.items() if item is not None}
    return value


def _text(value: Any, allow_reserved: bool | None) -> str:
    """One value as text, percent-encoded for a URL (`allow_reserved` None: for a header, as it is)."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Enum):
        text = str(value.value)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, (int, float, Decimal, UUID)):
        text = str(value)
    elif isinstance(value, (datetime.date, datetime.time)):
        text = str(pydantic_core.to_jsonable_python(value))
    elif isinstance(value, (dict, list)):
        # A value nested inside an array or an object: no style says how, so it travels as JSON.
        text = dumps(value).decode("utf-8")
    else:
        text = str(value)
    return text if allow_reserved is None else _encode(text, allow_reserved)


def _encode(text: str, allow_reserved: bool) -> str:
    if text and not text.strip("."):
        # A value of only dots would make a dot-segment (`..`), which servers and proxies resolve.
        return text.replace(".", "%2E")
    return quote(text, safe=_RESERVED if allow_reserved else "")


def _pairs(data: dict[str, Any], between: str, allow_reserved: bool | None) -> Iterator[str]:
    for key, item in data.items():
        yield f"{_text(key, allow_reserved)}{between}{_text(item, allow_reserved)}"


def _joined(data: Any, separator: str, explode: bool, allow_reserved: bool | None) -> str:
    """Simple and label expansion: items by `separator`, members as `k=v` (exploded) or `k,v`."""
    if isinstance(data, list):
        return separator.join(_text(item, allow_reserved) for item in data)
    if isinstance(data, dict):
        return separator.join(_pairs(data, "=" if explode else ",", allow_reserved))
    return "" if data is None else _text(data, allow_reserved)


def _deep(name: str, data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """deepObject's `name[key]` pairs; nested objects go one bracket deeper, arrays repeat the key."""
    for key, item in data.items():
        inner = f"{name}[{key}]"
        if isinstance(item, dict):
            yield from _deep(inner, item)
        elif isinstance(item, list):
            yield from ((inner, element) for element in item)
        else:
            yield inner, item
