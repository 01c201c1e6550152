"""JSON as money needs it: a `Decimal` travels as a JSON number with exactly its digits, both ways.

The standard encoder (and pydantic's) writes a Decimal as a string or through a float; an amount of
`12345678901234567890.123456789` or `0.10` would reach the server as something else. Requests are
written by `dumps`, which keeps every digit; responses whose type holds a Decimal are read by
`loads`, whose numbers keep the text the server wrote until their field's type takes them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from typing import Any

import pydantic_core

__all__ = ["JsonNumber", "dumps", "loads"]


class JsonNumber(float):
    """A JSON number with a fraction or an exponent, as the server wrote it.

    It is a float everywhere a float is expected; a `Decimal` field built from it takes its text, so
    no digit is lost to binary floating point. Only fields the document leaves untyped keep it.
    """

    text: str

    def __new__(cls, text: str) -> JsonNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number

    def __reduce__(self) -> tuple[type[JsonNumber], tuple[str]]:
        return JsonNumber, (self.text,)

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def loads(content: bytes | str, exact: bool = True) -> Any:
    """JSON text as Python data, each number with a fraction or an exponent a `JsonNumber` (a float when
    not `exact`); ValueError for text that is not JSON or nests deeper than the interpreter can read."""
    try:
        return json.loads(content, parse_float=JsonNumber if exact else float)
    except RecursionError:
        raise ValueError("the JSON nests too deeply to read") from None


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON of request data: Decimals as numbers with their own digits.

    Raises ValueError for what JSON cannot hold (NaN, infinities), rather than writing invalid JSON.
    """
    parts: list[str] = []
    _write(value, parts.append)
    return "".join(parts).encode("utf-8")


def _write(value: Any, out: Callable[[str], object]) -> None:
    if isinstance(value, str):
        out(encode_basestring(value))
    elif value is None:
        out("null")
    elif value is True or value is False:
        out("true" if value else "false")
    elif isinstance(value, JsonNumber):
        out(value.text)
    elif isinstance(value, int) and not isinstance(value, Enum):
        out(int.__repr__(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a JSON number")
        out(float.__repr__(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} is not a JSON number")
        out(str(value))
    elif isinstance(value, dict):
        out("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out(",")
            out(encode_basestring(_key(key)))
            out(":")
            _write(item, out)
        out("}")
    elif isinstance(value, (list, tuple)):
        out("[")
        for index, item in enumerate(value):
            if index:
                out(",")
            _write(item, out)
        out("]")
    else:
        # Dates, UUIDs, enums, bytes, sets and models: as pydantic writes them in JSON.
        _write(pydantic_core.to_jsonable_python(value), out)


def _key(key: object) -> str:
    if isinstance(key, Enum):
        key = key.value
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    if isinstance(key, (int, float, Decimal)):
        return str(key)
    raise TypeError(f"a JSON object's key must be a string, not {type(key).__name__}")
