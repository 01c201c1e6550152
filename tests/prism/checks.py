"""The checks of one exchange the SDK made with Prism: Prism's verdict on the request, and the SDK's reading
of the response (a success parsed into the method's type, a failure raised as its typed error).

A success that does not parse is the document's defect only where Prism itself flags the response as
breaking the document at that place (static examples that contradict their schemas), or where the
response reaches a schema whose `type` breaks the OpenAPI meta-schema (the Accounting document's `Item`,
which the generator reads as the enum it meant and Prism fills at random). Anything else is a finding.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

from generator.ir.api import Resource
from generator.ir.operations import Operation
from tests.prism import faults
from tests.prism.calls import Call
from tests.prism.fit import FORMAT_PATTERNS
from tests.prism.tally import OURS, Finding, Tally
from tests.prism.values import ABSENT, FORMAT_VALUES, escape

if TYPE_CHECKING:
    from tests.prism.exchange import Outcome, Target


def success_code(op: Operation) -> str:
    return op.response.status if op.response.status.isdigit() else "200"


def documents_success(target: Target, op: Operation) -> bool:
    """Whether the operation documents a success at all (a 2XX or `default`): some of Codat's do not."""
    responses = target.document.data["paths"][op.path][op.http_method.lower()]["responses"]
    return any(str(status)[:1] == "2" or str(status).lower() == "default" for status in responses)


def failure_codes(op: Operation) -> list[str]:
    """The documented failure statuses; where the document gives none (the Accounting document), a 404,
    which Prism answers with its own problem+json for a status the document does not define."""
    return [e.status for e in op.errors if e.status.isdigit()] or ["404"]


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's `sl-violations` header; past some number it starts "Too many violations!" and cuts the list."""
    header = response.headers.get("sl-violations", "[]")
    if header.startswith("Too many violations!"):
        where = "request" if '"location":["request"' in header else "response"
        return [{"location": [where], "severity": "Error", "message": header[:300], "truncated": True}]
    return list(json.loads(header))


def request_refusals(response: httpx.Response, found: list[dict[str, Any]], asked: str) -> list[dict[str, Any]]:
    """What Prism holds against the request: its errors in `sl-violations`, or its own 422's `validation`
    (whose locations leave out the leading "request"); a 422 the document defines and the call asked
    for, with no violation, is an answer."""
    refused = [v for v in found if v["location"][:1] == ["request"] and v.get("severity") == "Error"]
    if refused or response.status_code != 422 or (asked == "422" and "sl-violations" in response.headers):
        return refused
    try:
        listed = [v for v in response.json()["validation"] if isinstance(v, dict)]
    except (ValueError, KeyError, TypeError):
        listed = []
    if asked == "422" and not listed:
        return []
    return [{**v, "location": ["request", *v.get("location", [])]} for v in listed] or [
        {"location": ["request"], "message": response.text[:300]}
    ]


def refused_places(refusals: list[dict[str, Any]], call: Call) -> set[str]:
    """The arguments Prism refused, as `query.name` (Prism lower-cases parameter names) or `body`."""
    names = {f"{s.location}.{s.name}".lower(): f"{s.location}.{s.name}" for s in call.sent}
    places = set()
    for refusal in refusals:
        location = [str(step) for step in refusal.get("location", [])[1:3]]
        if location[:1] == ["body"]:
            places.add("body")
        else:
            places.add(names.get(".".join(location).lower(), ".".join(location) or "request"))
    return places


def unrouted(response: httpx.Response) -> bool:
    """Whether Prism found no operation for the request's path and method (its own 404 or 405)."""
    return response.status_code in (404, 405) and any(
        f"#{kind}" in response.text for kind in ("NO_PATH_MATCHED_ERROR", "NO_METHOD_MATCHED_ERROR")
    )


def said(found: list[dict[str, Any]]) -> str:
    return "; ".join(f"{'.'.join(map(str, v.get('location', [])))}: {v.get('message', '')}" for v in found)[:800]


def judge(
    target: Target,
    resource: Resource,
    op: Operation,
    code: str,
    mode: str,
    outcome: Outcome,
    found: list[dict[str, Any]],
    label: str,
    tally: Tally,
) -> None:
    """The checks of an exchange Prism accepted."""
    response = outcome.response
    assert response is not None
    flagged = [v for v in found if v["location"][:1] == ["response"]]
    tally.response_violations += bool(flagged)
    accept = response.request.headers.get("accept", "")
    fault = faults.unexpected_status(accept, _media_types(target, op, code))
    if response.status_code != int(code) and fault != faults.ACCEPT and _cannot_serve(response):
        # Prism cannot write a binary body, or one with no schema: the request was accepted, the 500 typed.
        tally.prism_cannot_serve += 1
        if not isinstance(outcome.error, target.package.InternalServerError):
            detail = f"Prism's 500 raised {type(outcome.error).__name__}"
            tally.findings.append(Finding(OURS, faults.WRONG_ERROR, label, detail))
        return
    if not code.startswith("2"):
        tally.failures += 1
    if response.status_code != int(code):
        answer = f"{response.status_code} ({response.headers.get('content-type')})"
        detail = f"{answer} to Accept: {accept}: {response.text[:200]}"
        tally.findings.append(Finding(OURS, fault, label, detail))
    elif code.startswith("2"):
        _success(target, resource, op, mode, outcome, flagged, label, tally)
    else:
        _failure(target, op, code, outcome.error, label, tally)


def _success(
    target: Target,
    resource: Resource,
    op: Operation,
    mode: str,
    outcome: Outcome,
    flagged: list[dict[str, Any]],
    label: str,
    tally: Tally,
) -> None:
    tally.successes += 1
    error = outcome.parse_error
    if error is not None:
        problems = list(getattr(error, "problems", None) or [str(error)])
        unexplained = [p for p in problems if not _flagged_at(p, flagged)]
        invalid = next((p for p in target.invalid_schemas if _reaches(target, op, p)), None)
        if unexplained and invalid is not None:
            tally.defects[invalid] = (
                f"breaks the OpenAPI meta-schema, so Prism and the SDK read it apart: {unexplained[0]}"
            )
        elif (
            unexplained and mode == "dynamic" and _words_for_formats(target, resource, op, outcome, unexplained, tally)
        ):
            tally.parsed += 1
        elif unexplained:
            owner, fault = faults.parse_failure(target.document, _response_schema(target, op), outcome, unexplained)
            tally.findings.append(Finding(owner, fault, label, "; ".join(unexplained)[:600]))
        else:
            # A required field left out is tolerated alone; listed are the conflicts that made the parse fail.
            for problem in [p for p in problems if ": Field required" not in p] or problems:
                tally.defects[_place_pointer(target, op, mode, problem)] = f"Prism flags the response here: {problem}"[
                    :300
                ]
        return
    expected = _expected_type(target, op)
    if expected is not None and not isinstance(outcome.result, expected):
        detail = f"parsed as {type(outcome.result).__name__}, not {expected.__name__}"
        tally.findings.append(Finding(OURS, faults.WRONG_TYPE, label, detail))
        return
    tally.parsed += 1


def _words_for_formats(
    target: Target, resource: Resource, op: Operation, outcome: Outcome, problems: list[str], tally: Tally
) -> bool:
    """Whether the body parses once the strings Prism made up for formats it cannot generate (Codat's
    `decimal`, written as a string) hold a value of the format; the places are noted as Prism's limit."""
    doc, schema = target.document, _response_schema(target, op)
    assert outcome.response is not None
    body = outcome.response.json()
    places = []
    for problem in problems:
        steps = faults.steps(problem)
        pointer = doc.schema_at(schema, steps)
        node = doc.resolve({"$ref": pointer})
        known = FORMAT_VALUES.get(str(node.get("format"))) if isinstance(node, dict) else None
        if known is None or node.get("format") in FORMAT_PATTERNS or not steps or not faults.put(body, steps, known):
            return False
        places.append(pointer)
    try:
        target.package._models.tolerant(target.evaluate(resource, op.response.returns), body, "response", [])
    except Exception:  # the body still does not parse: the words were not the only fault
        return False
    for pointer in places:
        tally.prism_limits[pointer] = f"Prism fills `format: {doc.resolve({'$ref': pointer}).get('format')}` with words"
    return True


def _failure(target: Target, op: Operation, code: str, error: Any, label: str, tally: Tally) -> None:
    pkg = target.package
    documented = next((e for e in op.errors if e.status == code), None)
    expected: Any = getattr(pkg, documented.exception) if documented else _error_class_for(pkg, int(code))
    if not isinstance(error, expected) or error.status_code != int(code):
        tally.findings.append(
            Finding(OURS, faults.WRONG_ERROR, label, f"raised {type(error).__name__}, not {expected.__name__}")
        )
        return
    if documented is not None and documented.type is not None and documented.type.kind == "model":
        model = getattr(pkg.models, documented.type.name)
        if not isinstance(error.error, model):
            tally.findings.append(
                Finding(OURS, faults.ERROR_BODY, label, f"not parsed as {model.__name__}: {error.body[:300]!r}")
            )
            return
    tally.typed_errors += 1


def _error_class_for(pkg: Any, status: int) -> type:
    named = {400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError", 404: "NotFoundError"}
    return getattr(pkg, "InternalServerError" if status >= 500 else named.get(status, "APIStatusError"))  # type: ignore[no-any-return]


def _cannot_serve(response: httpx.Response) -> bool:
    """Prism's 500 for a body it cannot write: no serializer for the media type, or no schema to fill."""
    said = response.text
    return response.status_code == 500 and ("Cannot find serializer" in said or "schema is not defined" in said)


def _flagged_at(problem: str, flagged: list[dict[str, Any]]) -> bool:
    """Whether Prism flagged the response at the problem's place, or above or below it; a cut-off list
    ("Too many violations!") is taken as flagging the whole body."""
    place = faults.steps(problem)
    for violation in flagged:
        location = [str(step) for step in violation["location"][2:]]
        if violation.get("truncated") or location[: len(place)] == place[: len(location)]:
            return True
    return False


def _response_media(target: Target, op: Operation) -> tuple[Any, str]:
    doc = target.document
    method = op.http_method.lower()
    response, pointer = doc.locate(
        doc.data["paths"][op.path][method]["responses"][op.response.status],
        f"#/paths/{escape(op.path)}/{method}/responses/{op.response.status}",
    )
    content = response.get("content") or {}
    media_type = op.response.content_type if op.response.content_type in content else next(iter(content), "")
    return content.get(media_type, {}), f"{pointer}/content/{escape(media_type)}"


def _media_types(target: Target, op: Operation, code: str) -> list[str]:
    doc = target.document
    responses = doc.data["paths"][op.path][op.http_method.lower()]["responses"]
    response = doc.resolve(responses.get(code, responses.get(int(code), responses.get("default", {}))))
    return list(response.get("content") or {}) if isinstance(response, dict) else []


def _response_schema(target: Target, op: Operation) -> str:
    media, pointer = _response_media(target, op)
    return target.document.locate(media.get("schema", {}), pointer + "/schema")[1]


def _place_pointer(target: Target, op: Operation, mode: str, problem: str) -> str:
    """Where the document writes what broke: in static mode the example Prism served (the media's own,
    else the first on the way down the schema), in dynamic mode the schema at that place."""
    doc = target.document
    steps = faults.steps(problem)
    media, pointer = _response_media(target, op)
    schema = _response_schema(target, op)
    if mode == "static":
        example, at = doc.example(media, pointer)
        if example is not ABSENT:
            return "/".join([at, *map(escape, steps)])
        return doc.example_at(schema, steps) or doc.schema_at(schema, steps)
    return doc.schema_at(schema, steps)


def _expected_type(target: Target, op: Operation) -> type | None:
    if op.response.kind == "model":
        return getattr(target.package.models, op.response.type.name)  # type: ignore[no-any-return]
    if op.response.kind == "none":
        return type(None)
    return None


def _reaches(target: Target, op: Operation, pointer: str) -> bool:
    """Whether the success response's schema reaches `pointer` through its `$ref`s."""
    doc = target.document
    node = doc.data["paths"][op.path][op.http_method.lower()]
    reached = doc.reached(doc.resolve(node["responses"][op.response.status]))
    return any(ref == pointer or ref.startswith(pointer + "/") for ref in reached)
