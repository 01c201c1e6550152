"""The Prism suite's own parts, on inline documents and without Prism: the values it builds must fit what
they claim to fit, and its blame must follow the evidence, or the suite would hide faults or invent them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.prism import faults
from tests.prism.fit import Judge
from tests.prism.pattern import matching
from tests.prism.values import Document

SCHEMAS: dict[str, Any] = {
    "Bill": {
        "type": "object",
        "required": ["id"],
        "examples": [{"id": "b-1", "note": "from the example", "lines": [{"amount": 3}], "extra": 1}],
        "properties": {
            "id": {"type": "string"},
            "note": {"type": "string", "nullable": True},
            "rate": {"type": "number", "format": "decimal", "minimum": 2},
            "lines": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
            "kind": {"type": "string", "enum": ["First", "Last"]},
            "owner": {"$ref": "#/components/schemas/Bill"},
        },
    },
    "Line": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "integer"}}},
    "Either": {
        "oneOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "string", "pattern": "^[a-z]{4}$"}}},
        ]
    },
}
DOCUMENT: dict[str, Any] = {"openapi": "3.1.0", "paths": {}, "components": {"schemas": SCHEMAS}}
BILL = "#/components/schemas/Bill"


@pytest.mark.parametrize("pattern", ["[a-z]{4}", "^.{1,27}$", r"^[A-Za-z0-9\s\-',&@.,?!\s]+$", r"^\d{3}-(x|y)\1?$"])
def test_a_pattern_gets_a_string_it_matches(pattern: str) -> None:
    text = matching(pattern)
    assert text is not None and re.search(pattern, text)


def test_the_judge_reads_nullable_as_prism_does() -> None:
    judge = Judge(DOCUMENT)
    assert judge.fits({"id": "x", "note": None}, BILL)
    assert judge.problems({"id": "x", "rate": 1}, BILL) == [".rate: 1 is less than the minimum of 2"]


def test_each_fill_builds_what_it_promises() -> None:
    doc = Document(DOCUMENT)
    required, full = doc.build({"$ref": BILL}, BILL, "required"), doc.build({"$ref": BILL}, BILL, "all")
    assert required == {"id": "b-1"}  # from the schema's own example, which has no place for `rate`
    assert set(full) == {"id", "note", "rate", "lines", "kind"}  # `owner` is the Bill itself: not again
    assert full["kind"] == "Last" and full["rate"] == 2 and full["lines"] == [{"amount": 3}]
    assert doc.judge.fits(required, BILL) and doc.judge.fits(full, BILL)


def test_an_enclosing_example_lends_its_parts_and_its_undeclared_field_is_left_out() -> None:
    doc = Document(DOCUMENT)
    built = doc.build({"$ref": BILL}, BILL, "example")
    # The top's optional fields are filled too: from the example where it has them, else built.
    assert built == {"id": "b-1", "note": "from the example", "rate": 2, "lines": [{"amount": 3}], "kind": "First"}
    assert doc.undeclared(SCHEMAS["Bill"]["examples"][0], {"$ref": BILL}, BILL) == [
        f".extra (not among the properties of {BILL})"
    ]
    repaired = f"{BILL}/examples/0/extra: a field (not among the properties of {BILL})"
    assert f"{repaired}; a value built from the schema is sent instead" in doc.repairs


def test_a_oneof_gets_a_value_exactly_one_branch_takes() -> None:
    doc = Document(DOCUMENT)
    either = "#/components/schemas/Either"
    first, last = doc.build({"$ref": either}, either, "required"), doc.build({"$ref": either}, either, "all")
    assert first == {"a": "string"} and last == {"b": "aaaa"}


@pytest.mark.parametrize(
    ("accept", "documented", "fault"),
    [
        ("application/octet-stream", ["application/json"], faults.ACCEPT),
        ("application/octet-stream, application/json", ["application/json"], faults.UNEXPECTED_STATUS),
        ("*/*", ["application/json"], faults.UNEXPECTED_STATUS),
        ("application/*", ["application/json"], faults.UNEXPECTED_STATUS),
    ],
)
def test_another_status_is_blamed_on_accept_only_when_it_excludes_the_documented_type(
    accept: str, documented: list[str], fault: str
) -> None:
    assert faults.unexpected_status(accept, documented) == fault
