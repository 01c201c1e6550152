"""Who is at fault for what the Prism suite finds, and which known fault it is.

A finding is ours (the generator or the SDK it makes) or the suite's own; the document's defects are not
findings, they are proven and listed apart. A finding is named by the fault it shows, so that a fix of
one fault can be checked against the requests that showed it. The values the suite sends are checked
by the judge (tests/prism/fit.py) before blame is laid: a value that breaks its schema is the suite's.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import httpx

from tests.prism.calls import Call
from tests.prism.tally import OURS, SUITE
from tests.prism.values import Document

if TYPE_CHECKING:
    from tests.prism.exchange import Outcome

DECIMAL_AS_STRING = "a `format: decimal` number sent as a JSON string"
BODY_UNCHECKED = "a union, list or map body handed to httpx unchecked (a model is not JSON serializable)"
UNTYPED_AS_OBJECT = "a response schema with properties but no type read as an object only"
NONE_AS_NULL = "None given for an optional non-nullable field or parameter sent as null"
PARAMETER = "a query, path or header parameter not sent as its schema and style say"
HEADER_ARGUMENT = "a header parameter named Accept, Content-Type or Authorization made an argument"
SDK_REFUSES = "the SDK refuses a body the document's schema accepts"
SDK_REFUSES_PARAMETER = "the SDK refuses a parameter value the document's schema accepts"
REFUSED = "Prism refuses a request the SDK built from values that fit the document"
PARSE = "a response that Prism does not flag fails to parse"
WRONG_TYPE = "a success parsed into another type than the method's"
WRONG_ERROR = "a failure status raised another error than its typed one"
ERROR_BODY = "a failure's body not parsed by the document's schema for it"
UNEXPECTED_STATUS = "Prism answered another status than the one asked"
ACCEPT = "Accept names the success's media type only, so a negotiating server cannot send the documented failure"
CRASH = "the SDK raised an unexpected exception"
NO_ARGUMENTS = "the suite could not read arguments from the document"
SUITE_CRASH = "the suite's own code raised"
MISFIT = "the suite sent a value its own judge says breaks the schema"
_MISSING = object()


def crash(exc: BaseException | None) -> tuple[str, str]:
    if isinstance(exc, TypeError) and "JSON serializable" in str(exc):
        return OURS, BODY_UNCHECKED
    return OURS, CRASH


def unexpected_status(accept: str, documented: list[str]) -> str:
    """Another status than the one asked: a content negotiation the request's Accept header lost, when
    it admits none of the media types the document gives that status."""
    accepted = [part.split(";")[0].strip() for part in accept.split(",") if part.strip()]
    if documented and not any(_admits(a, m) for a in accepted for m in documented):
        return ACCEPT
    return UNEXPECTED_STATUS


def _admits(accepted: str, media_type: str) -> bool:
    kind, _, sub = accepted.partition("/")
    other_kind, _, other_sub = media_type.partition("/")
    return accepted == "*/*" or (kind == other_kind and sub in ("*", other_sub))


def sdk_refusal(doc: Document, call: Call, problems: list[str]) -> tuple[str, str]:
    """The SDK refused to send: ours when what it refused fits its schema, else the suite's (it built a misfit)."""
    if any(not s.from_example and not doc.judge.fits(s.value, s.schema) for s in call.sent):
        return SUITE, MISFIT
    if all(re.search(r"\(the (path|query|header|cookie) parameter ", problem) for problem in problems):
        return OURS, SDK_REFUSES_PARAMETER
    return OURS, SDK_REFUSES


def refusal(doc: Document, call: Call, refusals: list[dict[str, Any]], request: httpx.Request) -> tuple[str, str]:
    """Prism refused what the SDK sent; the fault, read from what went on the wire at the refused place."""
    misfits = [s for s in call.sent if not s.from_example and not doc.judge.fits(s.value, s.schema)]
    if misfits:
        return SUITE, MISFIT
    wire = _wire_body(request)
    for found in refusals:
        location = [str(step) for step in found.get("location", [])]
        message = str(found.get("message", ""))
        if location[1:2] == ["body"]:
            value = _at(wire, location[2:])
            if value is None and _given_none(call, location[2:]):
                return OURS, NONE_AS_NULL
            if isinstance(value, str) and "must be number" in message:
                return OURS, DECIMAL_AS_STRING
        elif location[1:2] in (["query"], ["path"], ["header"]):
            return OURS, PARAMETER
    return OURS, REFUSED


def parse_failure(doc: Document, schema: str, outcome: Outcome, problems: list[str]) -> tuple[str, str]:
    """A success that did not parse where Prism flags nothing: which fault of ours it shows."""
    response = outcome.response
    try:
        body = response.json() if response is not None else None
    except ValueError:
        return OURS, PARSE
    for problem in problems:
        place = steps(problem)
        value = _at(body, place)
        node = doc.resolve({"$ref": doc.schema_at(schema, place)})
        if isinstance(value, list) and isinstance(node, dict) and "properties" in node and "type" not in node:
            return OURS, UNTYPED_AS_OBJECT
    return OURS, PARSE


def _given_none(call: Call, place: list[str]) -> bool:
    body = call.body
    return body is not None and bool(place) and f"{body.name}.{place[0]}" in call.nones


def _wire_body(request: httpx.Request) -> Any:
    try:
        return json.loads(request.content)
    except (ValueError, httpx.RequestNotRead):
        return None


def put(body: Any, place: list[str], value: Any) -> bool:
    """Sets the value at `place` in a parsed body; whether there was one to replace."""
    parent = _at(body, place[:-1])
    last = place[-1]
    if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        parent[int(last)] = value
    elif isinstance(parent, dict) and last in parent:
        parent[last] = value
    else:
        return False
    return True


def _at(value: Any, place: list[str]) -> Any:
    for step in place:
        if isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return _MISSING
    return value


def steps(problem: str) -> list[str]:
    """`response.results[0].id: message` as its steps below the body: results, 0, id."""
    return [step for pair in re.findall(r"\[(\d+)\]|\.([^.\[:]+)", problem.partition(":")[0]) for step in pair if step]
