"""Example values of the SDK's scalar types (str, numbers, Decimal, dates, UUID, bytes) and of free JSON,
as Python source with the imports they need: a document's value when it fits the type and the schema's
format, pattern, lengths and bounds, or one made up to fit them."""

from __future__ import annotations

import datetime
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.text.literals import py_literal

_DATETIME = "import datetime"
_DECIMAL = "from decimal import Decimal"
_UUID = "from uuid import UUID"
_SAMPLE_UUID = "8a210b68-6988-11ed-a1eb-0242ac120002"
# Strings of a format a validator checks (JSON Schema's formats), or that names what it holds.
_FORMAT_TEXT = {
    "uuid": _SAMPLE_UUID,
    "guid": _SAMPLE_UUID,
    "date-time": "2022-10-23T00:00:00Z",
    "date": "2022-10-23",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "uri-reference": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "ISO4217": "GBP",
    "ISO3166 Alpha-3": "GBR",
}
# A file to upload, as the examples give it: its name, its content and its media type. The README's
# section on uploads writes the same file in each form a call takes.
FILE_NAME = "statement.pdf"
FILE_BYTES = 'b"%PDF-1.7"'
FILE_PLACEHOLDER = f'("{FILE_NAME}", {FILE_BYTES}, "application/pdf")'
_PLACEHOLDERS = {
    "bool": "True",
    "bytes": 'b"..."',
    "FileContent": FILE_PLACEHOLDER,
    "File": FILE_PLACEHOLDER,
    "None": "None",
}
# A made-up string is lengthened to a schema's minLength up to this; past it, no example is sensible.
_MAX_PADDING = 256


@dataclass(frozen=True, slots=True)
class Source:
    """A value as Python source, with the standard-library import lines it needs and whether it
    uses the package's `models`."""

    text: str
    imports: frozenset[str] = frozenset()
    models: bool = False


def joined(parts: Sequence[Source], opening: str, closing: str, models: bool = False) -> Source:
    """Several values written into one, between `opening` and `closing`, with what they all need."""
    return Source(
        opening + ", ".join(p.text for p in parts) + closing,
        frozenset().union(*(p.imports for p in parts)),
        models or any(p.models for p in parts),
    )


def fitted_scalar(name: str, facets: Mapping[str, Any], value: Any) -> Source | None:
    """A document value as a Python value of a primitive type, when it is one the schema allows."""
    if name == "str":
        return Source(py_literal(value)) if isinstance(value, str) and _text_fits(value, facets) else None
    if name == "bool":
        return Source(py_literal(value)) if isinstance(value, bool) else None
    if name in ("int", "float", "Decimal"):
        if not _number_fits(value, name, facets):
            return None
        if name == "Decimal":  # the digits as the document writes them, not the float's binary expansion
            return Source(f'Decimal("{value!r}")', frozenset({_DECIMAL}))
        return Source(py_literal(value))
    if not isinstance(value, str):
        return None
    if name == "datetime.datetime":
        moment = _parsed(datetime.datetime.fromisoformat, value)
        return None if not isinstance(moment, datetime.datetime) else _datetime_source(moment)
    if name == "datetime.date":
        day = _parsed(datetime.date.fromisoformat, value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        return None if not isinstance(day, datetime.date) else _date_source(day)
    if name == "UUID":
        parsed = _parsed(uuid.UUID, value)
        return None if parsed is None else Source(f'UUID("{parsed}")', frozenset({_UUID}))
    return None


def made_scalar(name: str, facets: Mapping[str, Any]) -> Source:
    """A value of a primitive type made up to keep to the schema's format, lengths, pattern and bounds."""
    if name == "str":
        return Source(py_literal(_made_text(facets)))
    if name in ("int", "float", "Decimal"):
        low, high = _bounds(facets, name == "int")
        number: int | float = 1 if name == "int" else 1.0
        number = max(number, low) if low is not None else number
        number = min(number, high) if high is not None else number
        if name == "int":
            return Source(py_literal(math.ceil(number)))
        if name == "Decimal":
            text = "1.00" if number == 1 else repr(number)
            return Source(f'Decimal("{text}")', frozenset({_DECIMAL}))
        return Source(py_literal(float(number)))
    if name == "datetime.datetime":
        return _datetime_source(datetime.datetime(2022, 10, 23, tzinfo=datetime.UTC))
    if name == "datetime.date":
        return _date_source(datetime.date(2022, 10, 23))
    if name == "UUID":
        return Source(f'UUID("{_SAMPLE_UUID}")', frozenset({_UUID}))
    return Source(_PLACEHOLDERS.get(name, "None"))


def _made_text(facets: Mapping[str, Any]) -> str:
    """A string the schema accepts: one for its format, else "string", fitted to its length and pattern."""
    base = _FORMAT_TEXT.get(str(facets.get("format")), "string")
    low: int = facets["minLength"] if isinstance(facets.get("minLength"), int) else 0
    high: int | None = facets["maxLength"] if isinstance(facets.get("maxLength"), int) else None
    padded = base + base[-1:] * max(0, min(low, _MAX_PADDING) - len(base))
    candidates = [base, base[:high] if high is not None else base, padded]
    candidates.append(candidates[-1][:high] if high is not None else candidates[-1])
    return next((c for c in candidates if _text_fits(c, facets)), base)


def _text_fits(value: str, facets: Mapping[str, Any]) -> bool:
    """True when a string meets the schema's length, pattern and (checked) format."""
    low, high = facets.get("minLength"), facets.get("maxLength")
    if (isinstance(low, int) and len(value) < low) or (isinstance(high, int) and len(value) > high):
        return False
    pattern = facets.get("pattern")
    if isinstance(pattern, str):
        try:
            if re.search(pattern, value) is None:
                return False
        except re.error:
            pass  # an ECMA-262 pattern Python cannot read: nothing to check it by
    checks = {
        "uuid": lambda v: _parsed(uuid.UUID, v) is not None,
        "date-time": lambda v: getattr(_parsed(datetime.datetime.fromisoformat, v), "tzinfo", None) is not None,
        "date": lambda v: re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None,
        "email": lambda v: re.fullmatch(r"[^@\s]+@[^@\s]+", v) is not None,
        "uri": lambda v: re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", v) is not None,
    }
    check = checks.get(str(facets.get("format")))
    return check is None or check(value)


def _number_fits(value: Any, name: str, facets: Mapping[str, Any]) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if name == "int" and not isinstance(value, int):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    low, high = _bounds(facets, False)
    exclusive_low, exclusive_high = _exclusive(facets)
    return (
        (low is None or value >= low)
        and (high is None or value <= high)
        and (exclusive_low is None or value > exclusive_low)
        and (exclusive_high is None or value < exclusive_high)
    )


def _bounds(facets: Mapping[str, Any], whole: bool) -> tuple[float | None, float | None]:
    """The inclusive bounds a made-up number keeps to (an exclusive bound moved inside by one unit, or
    by a hundredth for a fraction)."""
    step = 1 if whole else 0.01
    low, high = _number(facets.get("minimum")), _number(facets.get("maximum"))
    exclusive_low, exclusive_high = _exclusive(facets)
    if exclusive_low is not None:
        low = max(low, exclusive_low + step) if low is not None else exclusive_low + step
    if exclusive_high is not None:
        high = min(high, exclusive_high - step) if high is not None else exclusive_high - step
    return low, high


def _exclusive(facets: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """Exclusive bounds, as OpenAPI 3.1 writes them (numbers) or 3.0 (flags on minimum and maximum)."""
    bounds: list[float | None] = []
    for key, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = facets.get(key)
        bounds.append(_number(facets.get(plain)) if flag is True else _number(flag))
    return bounds[0], bounds[1]


def _number(value: Any) -> float | None:
    """A bound as a float, when it is a finite number (YAML has infinities; huge integers overflow)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def count_fits(count: int, facets: Mapping[str, Any], noun: str) -> bool:
    low, high = facets.get(f"min{noun}"), facets.get(f"max{noun}")
    return not (isinstance(low, int) and count < low) and not (isinstance(high, int) and count > high)


def _datetime_source(moment: datetime.datetime) -> Source:
    """`datetime.datetime(...)` without trailing zero parts; a time without a zone is taken as UTC,
    since a date-time on the wire (RFC 3339) must say its offset."""
    parts = [moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, moment.microsecond]
    while len(parts) > 3 and parts[-1] == 0:
        parts.pop()
    offset = moment.utcoffset()
    if offset is None or not offset:
        zone = "datetime.timezone.utc"
    else:
        minutes = int(offset.total_seconds()) // 60
        span = f"hours={minutes // 60}" if minutes % 60 == 0 else f"minutes={minutes}"
        zone = f"datetime.timezone(datetime.timedelta({span}))"
    args = ", ".join(str(p) for p in parts)
    return Source(f"datetime.datetime({args}, tzinfo={zone})", frozenset({_DATETIME}))


def _date_source(day: datetime.date) -> Source:
    return Source(f"datetime.date({day.year}, {day.month}, {day.day})", frozenset({_DATETIME}))


def _parsed(parse: Any, value: str) -> Any:
    try:
        return parse(value)
    except (ValueError, TypeError, OverflowError):
        return None


def as_json(value: Any) -> Any:
    """A YAML date or time as the string JSON would carry (a document's examples are JSON values)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def json_literal(value: Any) -> Source | None:
    """A JSON value as a Python literal, for a value of any type (None when it holds something else)."""
    value = as_json(value)
    if value is None or isinstance(value, str | bool | int):
        return Source(py_literal(value))
    if isinstance(value, float):
        return Source(py_literal(value)) if math.isfinite(value) else None
    if isinstance(value, list):
        items = [json_literal(item) for item in value]
        return None if any(i is None for i in items) else joined([i for i in items if i is not None], "[", "]")
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        entries = [(key, json_literal(item)) for key, item in value.items()]
        if any(entry is None for _, entry in entries):
            return None
        return joined([Source(f"{py_literal(k)}: {e.text}") for k, e in entries if e is not None], "{", "}")
    return None
