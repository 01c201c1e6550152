"""Each triage rule on its own: which problem is fatal, which is repaired with a warning, which goes unsaid."""

from __future__ import annotations

from typing import Any

from generator.document.parsed import Document
from generator.document.triage import (
    REQUIRED_UNDEFINED,
    is_fatal,
    nested_type,
    nothing_to_generate,
    reach,
    repair,
    repeated_value,
    triage,
    undefined_required,
    unknown_member,
    unnested,
    unused_annotation,
    warning_within_reach,
)
from generator.errors import Diagnostic
from tests.unit.docs import as_document, minimal

THING = "#/components/schemas/Thing"
OTHER = "#/components/schemas/Other"


def problem(pointer: str, message: str = "is not valid", **fields: Any) -> Diagnostic:
    return Diagnostic("test.json", pointer, message, **fields)


def document(**schemas: Any) -> Document:
    return as_document(minimal(schemas=schemas))


def test_reach_is_what_the_tags_use() -> None:
    doc = document(Other={"type": "string"})
    reached = reach(doc, ("Things",))
    assert THING in reached
    assert OTHER not in reached
    assert reach(doc, ()) == {"#/components/schemas"}  # no tag asked for: the models alone


def test_a_warning_is_said_only_within_reach() -> None:
    warning = problem(f"{THING}/format", severity="warning")
    assert warning_within_reach(warning, {THING}) == [warning]
    assert warning_within_reach(warning, {OTHER}) == []


def test_a_nested_type_is_repaired() -> None:
    doc = document(Other={"type": {"type": "string"}})
    [warning] = nested_type(doc, problem(f"{OTHER}/type")) or []
    assert warning.severity == "warning"
    assert "holds a schema" in warning.hint
    assert nested_type(doc, problem(f"{THING}/type")) is None  # a plain `type`: another problem
    assert nested_type(doc, problem(f"{OTHER}/format")) is None
    assert nested_type(doc, problem("#/components/schemas/Missing/type")) is None
    assert unnested({"type": {"type": "string"}, "title": "T"}) == {"type": "string", "title": "T"}
    assert unnested({"type": "string"}) == {"type": "string"}


def test_a_repeated_value_is_read_once() -> None:
    doc = document()
    assert repeated_value(doc, problem(f"{THING}/enum", "has non-unique elements"))
    assert repeated_value(doc, problem(f"{THING}/required", "has non-unique elements"))
    assert repeated_value(doc, problem(f"{THING}/properties", "has non-unique elements")) is None
    assert repeated_value(doc, problem(f"{THING}/enum", "is not of type 'array'")) is None


def test_an_undefined_required_name_is_an_optional_field() -> None:
    doc = document(Other={"type": "object", "required": ["id", "ghost"], "properties": {"id": {"type": "string"}}})
    [warning] = undefined_required(doc, problem(OTHER, f"{REQUIRED_UNDEFINED} 'ghost'")) or []
    assert warning.message == "required names properties the schema does not define: 'ghost'"
    assert warning.severity == "warning"
    assert undefined_required(doc, problem(OTHER, "is not valid")) is None


def test_a_required_name_a_composed_part_defines_goes_unsaid() -> None:
    composed = {"allOf": [{"$ref": THING}], "required": ["id"]}
    doc = document(Other=composed)
    assert undefined_required(doc, problem(OTHER, f"{REQUIRED_UNDEFINED} 'id'")) == []


def test_an_unknown_member_is_never_read_unless_it_blocked_the_check() -> None:
    doc = document()
    message = "unexpected keyword 'x-thing'"
    assert unknown_member(doc, problem(THING, message))
    assert unknown_member(doc, problem(THING, message, blocking=True)) is None
    assert unknown_member(doc, problem(THING, "is not valid")) is None


def test_an_unused_annotation_is_dropped() -> None:
    doc = document()
    [warning] = unused_annotation(doc, problem(f"{THING}/properties/id/example")) or []
    assert "`example`" in warning.hint
    assert unused_annotation(doc, problem(f"{THING}/properties/example")) is None  # a property named so
    assert unused_annotation(doc, problem(f"{THING}/properties/id/example", blocking=True)) is None


def test_the_first_repair_that_applies_decides() -> None:
    doc = document()
    assert repair(doc, problem(f"{THING}/enum", "has non-unique elements")) is not None
    assert repair(doc, problem(f"{THING}/properties/id", "is not valid")) is None


def test_fatal_where_the_tags_reach_and_outside_paths_and_components() -> None:
    assert is_fatal(problem(f"{THING}/properties"), {THING})
    assert not is_fatal(problem(f"{OTHER}/properties"), {THING})
    assert is_fatal(problem("#/info/title"), set())  # the whole document
    assert not is_fatal(problem("#/paths/~1other/get"), {THING})


def test_nothing_to_generate_is_fatal() -> None:
    empty = as_document({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}})
    [fatal] = nothing_to_generate(empty)
    assert fatal.message == "the document has no operations, webhooks or schemas"
    assert nothing_to_generate(document()) == []


def test_triage_sorts_problems_in_order() -> None:
    doc = document(Other={"type": "string"})
    outside = problem(f"{OTHER}/properties/x", "is not valid")
    inside = problem(f"{THING}/properties/id", "is not valid")
    repeated = problem(f"{THING}/enum", "has non-unique elements")
    fatal, warnings = triage(doc, [outside, inside, repeated], {THING}, strict=False)
    assert fatal == [inside]
    assert [w.pointer for w in warnings] == [outside.pointer, repeated.pointer]
    assert warnings[0].hint == "not used by the chosen tags"


def test_strict_repairs_nothing() -> None:
    doc = document()
    repeated = problem(f"{THING}/enum", "has non-unique elements")
    outside = problem(f"{OTHER}/pattern", "is not valid")
    fatal, warnings = triage(doc, [repeated, outside], {THING}, strict=True)
    assert fatal == [repeated, outside]
    assert warnings == []


def test_a_blocking_problem_is_fatal_anywhere() -> None:
    blocking = problem(f"{OTHER}/allOf", "a composition cycle", blocking=True)
    fatal, _ = triage(document(), [blocking], {THING}, strict=False)
    assert fatal == [blocking]


def test_with_no_problem_an_empty_document_is_the_fatal_one() -> None:
    empty = as_document({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}})
    fatal, warnings = triage(empty, [], set(), strict=False)
    assert [f.pointer for f in fatal] == ["#/paths"]
    assert warnings == []
