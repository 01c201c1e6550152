"""Whether a value fits a schema of the document, judged as Prism judges it.

Prism validates with ajv, as draft-07 JSON Schema, after reading OpenAPI's own keywords its way
(@stoplight/http-spec): `nullable: true` adds the null type (and null to an enum), boolean
`exclusiveMinimum`/`exclusiveMaximum` become the numbers draft-07 wants, `int32`/`int64` become ranges
and `byte` a pattern. The suite asks this judge before it sends a value it read from the document, so
that an example which breaks its own schema is told apart from a request our SDK got wrong.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from jsonschema import Draft7Validator, FormatChecker

_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**53) + 1, 2**53 - 1)}
# Formats as ajv-formats checks them (full mode), for the formats Codat's documents and the corpus use most.
FORMAT_PATTERNS = {
    "uuid": r"(urn:uuid:)?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}",
    "date-time": r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d(:?\d\d)?)",
    "date": r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])",
    "time": r"\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d(:?\d\d)?)?",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uri": r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]*",
    "url": r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s]*",
    "uri-reference": r"[^\s]*",
    "hostname": r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*",
    "ipv4": r"((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)",
    "ipv6": r"[0-9a-fA-F:.]*:[0-9a-fA-F:.]*",
    "duration": r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?",
    "json-pointer": r"(/([^/~]|~[01])*)*",
}


class Judge:
    """Validates values against the document's schemas by JSON pointer, `$ref`s followed as Prism does."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._root = _as_prism_reads(copy.deepcopy(data))
        self._checker = FormatChecker(formats=())
        for name, pattern in FORMAT_PATTERNS.items():
            self._checker.checks(name)(_matcher(pattern))
        for name in _RANGES:  # ajv-formats: a whole number (Prism's reader adds the range)
            self._checker.checks(name)(_whole)
        self._validators: dict[str, Draft7Validator] = {}

    def problems(self, value: Any, pointer: str) -> list[str]:
        """What breaks the schema at `pointer` (`#/components/schemas/X`), each as `place: message`."""
        validator = self._validator(pointer)
        found = []
        for error in validator.iter_errors(value):
            place = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
            found.append(f"{place or '.'}: {error.message[:200]}")
        return sorted(found)

    def fits(self, value: Any, pointer: str) -> bool:
        return self._validator(pointer).is_valid(value)

    def _validator(self, pointer: str) -> Draft7Validator:
        if pointer not in self._validators:
            # The whole document is the root, so that its own `#/components/...` references resolve in it.
            self._validators[pointer] = Draft7Validator({**self._root, "$ref": pointer}, format_checker=self._checker)
        return self._validators[pointer]


def _matcher(pattern: str) -> Callable[[object], bool]:
    compiled = re.compile(pattern)
    return lambda value: not isinstance(value, str) or compiled.fullmatch(value) is not None


def _whole(value: object) -> bool:
    return not isinstance(value, float) or value.is_integer()


def _as_prism_reads(node: Any) -> Any:
    """The document with OpenAPI's schema keywords rewritten in place as Prism's reader rewrites them."""
    if isinstance(node, list):
        for item in node:
            _as_prism_reads(item)
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if "nullable" in node and not isinstance(node["nullable"], dict):
        if node["nullable"] is True and isinstance(kind, str):
            node["type"] = [kind, "null"]
            if isinstance(node.get("enum"), list):
                node["enum"] = [*node["enum"], None]
        if isinstance(kind, str):
            del node["nullable"]
    for keyword, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(keyword), bool):
            if node[keyword] and isinstance(node.get(bound), (int, float)):
                node[keyword] = node.pop(bound)
            else:
                del node[keyword]
    known = node.get("format")
    if isinstance(known, str) and known in _RANGES:
        low, high = _RANGES[known]
        node["minimum"] = max(_number(node.get("minimum"), low), low)
        node["maximum"] = min(_number(node.get("maximum"), high), high)
    elif known == "byte":
        node["pattern"] = r"^[\w\d+\/=]*$"
    for value in node.values():
        _as_prism_reads(value)
    return node


def _number(value: Any, default: float) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else default
