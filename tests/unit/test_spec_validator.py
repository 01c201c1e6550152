"""The Rust-decided validation reports exactly what jsonschema alone reports, only faster.

Each case validates a document twice: as shipped, and with jsonschema-rs kept out (every part then
goes to jsonschema), and compares the two lists of diagnostics.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.document import spec_validator
from generator.document.load import load_document
from generator.document.parsed import Document
from generator.document.validate import validate_document
from generator.errors import Diagnostic
from tests.unit.docs import as_document, minimal

REAL_DOC = Path(__file__).resolve().parents[3] / "shared" / "specs" / "codat-accounting.json"
CORPUS = Path(__file__).resolve().parents[1] / "hostile" / "corpus"


@contextmanager
def jsonschema_only() -> Iterator[None]:
    with mock.patch.object(spec_validator, "_plain_json", lambda value, patterns: False):
        yield


def both_ways(doc: Document) -> tuple[list[Diagnostic], list[Diagnostic]]:
    fast = validate_document(doc)
    with jsonschema_only():
        exact = validate_document(doc)
    return fast, exact


def in_document(schema: Any) -> Document:
    """A document holding `schema`, built as data so that YAML-only values (dates, int keys) survive."""
    data = minimal({"Drawn": schema})
    return Document("drawn.yaml", data, "0" * 64)


def test_the_real_document_gets_the_same_diagnostics() -> None:
    fast, exact = both_ways(load_document(REAL_DOC))
    assert fast == exact
    assert [p.pointer for p in fast if p.severity == "error"] == ["#/components/schemas/Item/definitions/itemType/type"]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.yaml")), ids=lambda p: p.stem)
def test_hostile_documents_get_the_same_diagnostics(path: Path) -> None:
    fast, exact = both_ways(load_document(path))
    assert fast == exact


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "\\p{L}+"},  # valid for jsonschema-rs, not for Python's `re`
        {"type": "object", "patternProperties": {"[": {"type": "string"}}},
        {"type": "object", "properties": {"pattern": {"type": "string", "pattern": "(?P<x>a)"}}},
        {"type": "string", "minLength": datetime.date(2020, 1, 1)},  # a YAML date
        {"type": "object", "properties": {200: {"type": "string"}}},  # a YAML integer key
        {"type": "integer", "maximum": 2**70},
        {"type": "number", "minimum": float("nan")},
        {"type": "strng"},
        {"type": {"enum": ["a"]}},
        {"allOf": [{"type": "object"}, {"required": "id"}]},
        {"discriminator": {"propertyName": 3}},
    ],
    ids=repr,
)
def test_schemas_jsonschema_rs_reads_differently_get_the_same_diagnostics(schema: Any) -> None:
    fast, exact = both_ways(in_document(schema))
    assert fast == exact


@pytest.mark.parametrize("version", ["3.1.0", "3.0.3"])
def test_a_broken_document_is_explained_by_jsonschema(version: str) -> None:
    data = {**minimal(), "openapi": version}
    data["info"] = {"version": 1}
    data["paths"]["/things/{thingId}"]["get"]["parameters"][0]["in"] = "nowhere"
    fast, exact = both_ways(as_document(data))
    assert fast == exact
    messages = {p.pointer: p.message for p in fast}
    assert messages["#/info"] == "'title' is a required property"
    assert any(
        p.startswith("#/paths/~1things~1{thingId}/get/parameters/0") and "'nowhere'" in m for p, m in messages.items()
    )


KEYWORDS = st.sampled_from(
    [
        "type",
        "minLength",
        "maxItems",
        "minimum",
        "multipleOf",
        "pattern",
        "patternProperties",
        "properties",
        "additionalProperties",
        "items",
        "prefixItems",
        "enum",
        "const",
        "required",
        "format",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "nullable",
        "discriminator",
        "xml",
        "exclusiveMinimum",
        "uniqueItems",
        "readOnly",
        "default",
        "example",
        "description",
        "$comment",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.integers(min_value=2**63, max_value=2**70),
    st.floats(),
    st.text(max_size=4),
    st.sampled_from(["string", "object", "null", "integer", "array", "\\p{L}", "[", "(?P<x>a)", "^a+$"]),
    st.dates(),
)
SCHEMAS = st.recursive(
    st.dictionaries(KEYWORDS, SCALARS, max_size=3),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(KEYWORDS | st.text(max_size=3) | st.integers(0, 3), inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS)
def test_drawn_schemas_get_the_same_diagnostics(schema: Any) -> None:
    fast, exact = both_ways(in_document(schema))
    assert fast == exact, json.dumps(schema, default=str)
