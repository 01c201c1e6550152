"""openapi-spec-validator, with every finding located by a full JSON pointer from the document root.

The validator checks each Schema Object on its own and reports paths relative to it. We give each
checked node its place in the document by identity (the validator hands back the document's own
dicts), so every problem carries a full pointer.

Its two JSON Schema passes (the document against the OpenAPI meta-schema, each Schema Object against
the OpenAPI 3.1 dialect) are most of a cold run in the pure-Python jsonschema: about two seconds on
the real document. jsonschema-rs decides first, in milliseconds; only what it cannot pass is checked
again by jsonschema, so a valid part costs nothing and every message reads as jsonschema writes it.
"""

from __future__ import annotations

import dataclasses
import decimal  # noqa: F401  (see below)
import enum  # noqa: F401
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

# jsonschema-rs imports `decimal` and `enum` from its native code at its first use, and panics (a Rust
# message, exit 1) if that import raises: a SIGINT or SIGTERM landing there raised KeyboardInterrupt in it.
# Imported first, its import is a lookup in sys.modules that runs no Python code, so no signal handler.
import jsonschema_rs
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.validators import validator_for
from jsonschema_path import SchemaPath
from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID, OAS31_BASE_DIALECT_METASCHEMA
from openapi_schema_validator._specifications import REGISTRY as DIALECT_REGISTRY
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from openapi_spec_validator.validation.keywords import KeywordValidator, OpenAPIV31SchemaValidator

from generator.document.located import diag, short
from generator.document.parsed import Document
from generator.errors import Diagnostic, pointer_join


def spec_errors(doc: Document, version: str, report_crash: bool) -> Iterator[Diagnostic]:
    v31 = version.startswith("3.1.")
    base = OpenAPIV31SpecValidator if v31 else OpenAPIV30SpecValidator
    pointers = functools.cache(lambda: _index_nodes(doc.data))  # built at the first problem, if any
    located = {
        name: _located(_decided_first(cls), pointers, "default" if name == "default" else None)
        for name, cls in base.keyword_validators.items()
    }
    meta_schema = dict(schema_v31 if v31 else schema_v30)
    members = {"keyword_validators": located, "schema_validator": _DecidedFirst(meta_schema)}
    validator = type("LocatedSpecValidator", (base,), members)(_without_path_extensions(doc.data))
    # The two passes often find the same problem: one report per pointer and reason.
    reasons: dict[str, list[str]] = {}
    try:
        for err in validator.iter_errors():
            checked = getattr(err, "sdkgen_base", None)
            where, message, keyword = explain(err)
            pointer = pointer_join(checked or "#", *where)
            known = reasons.setdefault(pointer, [])
            if not any(reason in message for reason in known):
                known.append(message.split(" (found ", 1)[0])
                yield diag(doc, pointer, message, _HINTS.get(keyword, ""))
    except RecursionError:
        yield diag(doc, "#", "the document nests too deeply to validate")
    except Exception as exc:
        # The validator's own failure, not the document's: what it checked before stands.
        if report_crash:
            stopped = diag(doc, "#", f"openapi-spec-validator stopped: {short(str(exc))}", "the rest was not validated")
            yield dataclasses.replace(stopped, severity="warning")


def _without_path_extensions(data: dict[str, Any]) -> dict[str, Any]:
    """The document with `x-` members of `paths` set aside: openapi-spec-validator reads every member
    there as a path item and stops at an extension's value (`x-codegen-contextRoot: /apis`)."""
    paths = data.get("paths")
    if not isinstance(paths, dict) or not any(isinstance(k, str) and k.startswith("x-") for k in paths):
        return data
    return {**data, "paths": {k: v for k, v in paths.items() if not (isinstance(k, str) and k.startswith("x-"))}}


def _located(
    cls: type[KeywordValidator], pointers: Callable[[], dict[int, str]], keyword: str | None
) -> type[KeywordValidator]:
    """A subclass of a keyword validator that stamps each error with the checked node's pointer.

    The `default` validator is handed the schema whose default it checks: its errors lie in `keyword`.
    """
    parent_call: Callable[..., Iterator[ValidationError]] = cls.__call__

    def __call__(self: KeywordValidator, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        for err in parent_call(self, *args, **kwargs):
            if not isinstance(err, OpenAPIValidationError):
                err = OpenAPIValidationError.create_from(err)
            base = _place(where, pointers()) if where is not None else None
            if base is not None and keyword is not None:
                base = pointer_join(base, keyword)
            if base is not None and not hasattr(err, "sdkgen_base"):
                err.sdkgen_base = base  # type: ignore[attr-defined]
            yield err

    def __init__(self: KeywordValidator, *args: Any, **kwargs: Any) -> None:
        cls.__init__(self, *args, **kwargs)
        for name in ("visited_schema_ids", "meta_checked_schema_ids"):
            if isinstance(getattr(self, name, None), list):
                setattr(self, name, _SeenIds())

    return type(cls.__name__, (cls,), {"__call__": __call__, "__init__": __init__})


class _SeenIds(list[int]):
    """The Schema Object check's record of schemas seen, asked `in` once per schema: a set answers
    that at once where the list it replaces was searched from the start (a minute on large documents)."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._ids.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._ids


def _place(where: SchemaPath, pointers: dict[int, str]) -> str | None:
    """The pointer of a checked node: found by identity, or for a scalar (`items: 5`) through its parent."""
    found = pointers.get(id(where.read_value()))
    if found is None and where.parts:
        parent = pointers.get(id(where.parent.read_value()))
        found = pointer_join(parent, where.parts[-1]) if parent is not None else None
    return found


# What to do about a problem, by the JSON Schema keyword of the specification's schema that failed.
_HINTS = {
    "additionalProperties": "an OpenAPI object takes only the fields the specification lists, and x- extensions",
    "required": "the specification requires it here",
    "type": "the specification gives this field that type",
    "enum": "the specification allows only the values it lists here",
    "const": "the specification allows only that value here",
    "anyOf": "each form is one the specification allows here",
    "oneOf": "each form is one the specification allows here",
    "uniqueItems": "remove the repeated value",
    "minItems": "give at least one, or leave the field out",
    "minProperties": "give at least one, or leave the field out",
    "format": "the specification expects that format here",
    "pattern": "the specification expects a value of that form here",
    "$ref": "a $ref must name a place in the document (#/components/...) or, with --allow-external-refs, a file",
}


def explain(err: ValidationError) -> tuple[list[str | int], str, str]:
    """Where under the checked node the problem is, a message with the reason first, and the keyword
    of the specification's schema that failed (for the hint).

    Under `anyOf`/`oneOf`, a failure deeper in the value than the alternatives themselves is the
    cause (jsonschema's `best_match` descends to it), and so is the one alternative left once the
    Reference Object form is set aside for a value without `$ref`; alternatives that all fail at the
    value itself are listed, each with its reason. An unexpected keyword is pointed at itself. The
    value comes last, and only the value is ever shortened.
    """
    while err.validator in ("anyOf", "oneOf") and err.context:
        deeper = [c for c in err.context if len(c.absolute_path) > len(err.absolute_path)]
        candidates = deeper or [c for c in err.context if not _wants_ref(c)]
        if len(candidates) != 1 and not deeper:
            reasons = list(dict.fromkeys(_reason(c)[0] for c in err.context))
            shown = "; ".join(reasons[:4]) + ("; ..." if len(reasons) > 4 else "")
            message = f"matches none of the {len(err.context)} allowed forms: {shown} (found {_value(err.instance)})"
            return list(err.absolute_path), message, str(err.validator)
        cause = best_match(candidates)
        if cause is None or cause is err:
            break
        err = cause
    path: list[str | int] = list(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict) and isinstance(err.schema, dict):
        extra = _unexpected(err.instance, err.schema)
        if extra:
            return [*path, extra[0]], _unexpected_message(extra), "additionalProperties"
    if err.validator == "unevaluatedProperties" and isinstance(err.instance, dict):
        extra = [name for name in _UNEVALUATED.findall(err.message) if name in err.instance]
        if extra:
            return [*path, extra[0]], _unexpected_message(extra), "additionalProperties"
    reason, value = _reason(err)
    return path, f"{reason} (found {value})" if value else reason, str(err.validator)


# jsonschema names the properties `unevaluatedProperties: false` refused as quoted reprs.
_UNEVALUATED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _unexpected_message(names: list[str]) -> str:
    return f"unexpected {'keyword' if len(names) == 1 else 'keywords'} {', '.join(repr(name) for name in names)}"


def _unexpected(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The keys `additionalProperties: false` refused: named by neither `properties` nor a pattern."""
    named = schema.get("properties") or {}
    patterns = [re.compile(p) for p in schema.get("patternProperties") or {}]
    return sorted(k for k in instance if k not in named and not any(p.search(k) for p in patterns))


def _wants_ref(err: ValidationError) -> bool:
    """The Reference Object alternative failing on a value that is no reference: not the cause."""
    return (
        err.validator == "required"
        and isinstance(err.validator_value, list)
        and "$ref" in err.validator_value
        and isinstance(err.instance, dict)
        and "$ref" not in err.instance
    )


def _reason(err: ValidationError) -> tuple[str, str]:
    """jsonschema writes the value first (`{...} is not of type 'array'`): split it from the reason."""
    shown = repr(err.instance)
    if err.message.startswith(shown) and len(err.message) > len(shown):
        reason = " ".join(err.message[len(shown) :].split()).removeprefix("is ")
        return _READABLE.get(reason, reason), _value(err.instance)
    return " ".join(err.message.split()), ""


# Reasons whose words read wrongly once the value is moved behind them.
_READABLE = {"for not nullable": "null where the schema is not nullable"}


def _value(instance: Any) -> str:
    return short(repr(instance), _VALUE_CHARS)


_VALUE_CHARS = 100


def _index_nodes(data: Any) -> dict[int, str]:
    index: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(data, "#")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict | list):
            if id(node) in index:
                continue
            index[id(node)] = pointer
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((v, pointer_join(pointer, k)) for k, v in items if isinstance(v, dict | list))
    return index


class _DecidedFirst:
    """The document's meta-schema pass: jsonschema-rs passes a valid document, jsonschema explains the rest."""

    def __init__(self, meta_schema: dict[str, Any]) -> None:
        self.schema = meta_schema
        self._fast = jsonschema_rs.validator_for(meta_schema)
        self._exact = validator_for(meta_schema)(meta_schema)

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if _plain_json(instance, patterns=False) and self._fast.is_valid(instance):
            return iter(())
        return self._exact.iter_errors(instance)


_OAS31_DIALECT = jsonschema_rs.validator_for(
    OAS31_BASE_DIALECT_METASCHEMA,
    registry=jsonschema_rs.Registry(
        [
            (uri, DIALECT_REGISTRY[uri].contents)
            for uri in DIALECT_REGISTRY
            if uri.startswith("https://spec.openapis.org/")
        ]
    ),
)


def _decided_first(cls: type[KeywordValidator]) -> type[KeywordValidator]:
    """The Schema Object check of OpenAPI 3.1's own dialect, passed by jsonschema-rs where it can."""
    if not issubclass(cls, OpenAPIV31SchemaValidator):
        return cls

    def _get_schema_checker(self: OpenAPIV31SchemaValidator, schema: SchemaPath, value: Any) -> Callable[[Any], None]:
        exact = cls._get_schema_checker(self, schema, value)
        if self._get_schema_dialect_id(schema, value) != OAS31_BASE_DIALECT_ID:
            return exact

        def check(instance: Any) -> None:
            # The dialect asserts `format: regex` by Python's `re`, which jsonschema-rs does not use.
            if not (_plain_json(instance, patterns=True) and _OAS31_DIALECT.is_valid(instance)):
                exact(instance)

        return check

    return type(cls.__name__, (cls,), {"_get_schema_checker": _get_schema_checker})


_INT64 = range(-(2**63), 2**63)


def _plain_json(value: Any, patterns: bool) -> bool:
    """True when jsonschema-rs reads `value` as jsonschema does: JSON types only (no YAML dates,
    binaries or non-string keys, no integer beyond 64 bits), and, with `patterns`, every `pattern` and
    `patternProperties` key compiling as a Python regular expression."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if not all(isinstance(key, str) for key in node):
                return False
            if patterns and not _compiles(node):
                return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, bool) or node is None or isinstance(node, str):
            continue
        elif isinstance(node, int):
            if node not in _INT64:
                return False
        elif not (isinstance(node, float) and node == node and abs(node) != float("inf")):
            return False
    return True


def _compiles(node: dict[str, Any]) -> bool:
    candidates = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
    if isinstance(node.get("patternProperties"), dict):
        candidates.extend(node["patternProperties"])
    try:
        for pattern in candidates:
            re.compile(pattern)
    except re.error:
        return False
    return True
