"""What shows that a request Prism refused is the document's fault, or Prism's own limit, rather than ours.

Each answers for one refusal, from the document itself: the value refused was the document's own example
and breaks its schema; the body's media type is a form but its schema no object; Prism requires what
OpenAPI says to ignore, or cannot read what OpenAPI allows.
"""

from __future__ import annotations

from typing import Any

from generator.ir.operations import Operation
from tests.prism import checks
from tests.prism.calls import Call, doubled
from tests.prism.values import Document, escape


def prism_limit(
    doc: Document, op: Operation, call: Call, refusals: list[dict[str, Any]], headers: tuple[tuple[str, str], ...]
) -> tuple[str, str, Call, tuple[tuple[str, str], ...]] | None:
    """Where Prism refuses what OpenAPI allows: the pointer, why, and the call and extra headers it takes.
    It requires a header parameter OpenAPI says to ignore (sent then), and cannot read a one-item query
    array whose schema is nullable (its deserializer wraps a lone value for `type: array` alone), which
    it reads with two."""
    header_only = all(r.get("location", [])[1:2] == ["header"] for r in refusals)
    if call.ignored_headers and not headers and header_only:
        names = ", ".join(name for name, _ in call.ignored_headers)
        pointer = f"#/paths/{escape(op.path)}/{op.http_method.lower()}/parameters"
        why = f"Prism requires header parameters OpenAPI says to ignore ({names}): sent"
        return pointer, why, call, call.ignored_headers
    places = checks.refused_places(refusals, call)
    lone = [
        s.schema
        for s in call.sent
        if f"{s.location}.{s.name}" in places
        and s.location == "query"
        and isinstance(s.value, list)
        and len(s.value) == 1
        and _nullable_array(doc, s.schema)
    ]
    if places and len(lone) == len(places):
        why = "Prism cannot read a one-item query array whose schema is nullable: sent with two"
        return ", ".join(sorted(lone)), why, doubled(op, call, places), headers
    return None


def _nullable_array(doc: Document, pointer: str) -> bool:
    schema = doc.resolve({"$ref": pointer})
    kind = schema.get("type") if isinstance(schema, dict) else None
    return (kind == "array" and schema.get("nullable") is True) or (
        isinstance(kind, list) and {"array", "null"} <= set(kind)
    )


def form_without_fields(doc: Document, op: Operation) -> str | None:
    """The schema of a form body (multipart or urlencoded) that is not an object: every form is a set of
    named fields, so none fits, and Prism refuses each upload as the document's own contradiction."""
    if op.body is None or op.body.content_type.split(";")[0] not in (
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    ):
        return None
    method = op.http_method.lower()
    body, pointer = doc.locate(
        doc.data["paths"][op.path][method]["requestBody"], f"#/paths/{escape(op.path)}/{method}/requestBody"
    )
    schema, at = doc.locate(
        body["content"][op.body.content_type].get("schema", {}),
        f"{pointer}/content/{escape(op.body.content_type)}/schema",
    )
    return (
        at
        if isinstance(schema, dict) and schema.get("type") not in (None, "object") and "properties" not in schema
        else None
    )


def document_value_breaks(doc: Document, call: Call, place: str) -> bool:
    """Whether the value Prism refused at `place` is the document's own example, and breaks its schema."""
    sent = next((s for s in call.sent if f"{s.location}.{s.name}" == place or s.location == place), None)
    return sent is not None and sent.from_example and not doc.judge.fits(sent.value, sent.schema)
