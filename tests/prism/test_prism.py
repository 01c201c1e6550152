"""Every operation of two real Codat documents, called through the SDK we generate, against Stoplight Prism.

Prism is a mock server nobody here wrote: it validates each request against the document (a request that
breaks it gets 422 and an `sl-violations` header) and answers from the document, with its examples
(static mode) or with random data that conforms to the schemas (dynamic mode, seeded per request so a run
repeats). Arguments come from the document's own examples (tests/prism/values.py), not from our IR. For
each operation and mode the suite asks Prism for the success response and for every documented failure
status (`Prefer: code=...`), through `with_raw_response` (sync in static mode, async in dynamic mode):

- Prism must accept every request: no 422, no request violation;
- every success must parse into the operation's return type (our default is tolerant of a response that
  lacks required fields; those are counted, not failed);
- every failure status must raise the SDK's typed error for it, its body parsed by the document's schema.

One exception, the document's own defect: the real Accounting document's `Item` schema breaks the OpenAPI
meta-schema (`#/components/schemas/Item/definitions/itemType/type` holds a schema instead of a type name).
We read it as the enum it meant; Prism fills it with an object (dynamic) or leaves it null (the static
examples), so a failure to parse a response that holds an Item is counted as that defect, and printed.
Any other failure to parse must be at a place Prism itself flags as breaking the document.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml

from generator.ir import Api, Operation, Resource
from generator.pipeline import generate
from generator.write import write_tree
from tests.conftest import REAL_DOC, ROOT
from tests.prism.server import prism_mock, prism_or_skip
from tests.prism.values import ABSENT, Document

PLATFORM = ROOT.parent / "shared" / "specs" / "codat" / "Codat-Platform.json"
DOCUMENTS = {"accounting": (REAL_DOC, "prism_accounting"), "platform": (PLATFORM, "prism_platform")}
MODES = ("static", "dynamic")
# What the invalid `Item` schema reaches: responses holding an Item, which dynamic mode fills at random.
INVALID_SCHEMA = "#/components/schemas/Item"
FILE = ("statement.pdf", b"%PDF-1.7 body", "application/pdf")


@dataclass
class Tally:
    """One document and mode: what was called and what came back."""

    operations: int = 0
    requests: int = 0
    accepted: int = 0
    successes: int = 0
    parsed: int = 0
    lenient: int = 0
    document_defect: int = 0
    typed_errors: int = 0
    response_violations: int = 0
    prism_cannot_serve: int = 0
    problems: list[str] = field(default_factory=list)
    # The document's own defects the run met: refused examples, responses that break their schemas, repairs.
    example_defects: list[str] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)


SUMMARY: dict[tuple[str, str], Tally] = {}


@dataclass(frozen=True)
class Target:
    name: str
    document: Document
    api: Api
    package: ModuleType
    url: str
    credentials: dict[str, str]


@pytest.fixture(scope="module", params=sorted(DOCUMENTS))
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    prism = prism_or_skip()
    name = str(request.param)
    spec, package = DOCUMENTS[name]
    if not spec.is_file():
        pytest.fail(f"the shared document is missing: {spec}")
    folder = tmp_path_factory.mktemp(f"prism-{name}")
    result = generate(spec, None, package)
    write_tree(folder / "sdk", result.files)
    sys.path.insert(0, str(folder / "sdk" / "src"))
    try:
        module = importlib.import_module(package)
        data = json.loads(spec.read_text()) if spec.suffix == ".json" else yaml.safe_load(spec.read_text())
        credentials = {c.arg_name: "Basic eA==" for s in result.api.schemes for c in s.credentials}
        with prism_mock(prism, spec, folder / "prism.log", seed=name) as url:
            yield Target(name, Document(data), result.api, module, url, credentials)
    finally:
        sys.path.remove(str(folder / "sdk" / "src"))


@pytest.mark.realdoc
@pytest.mark.filterwarnings("ignore:.* is deprecated by the API document:DeprecationWarning")
@pytest.mark.parametrize("mode", MODES)
def test_prism_accepts_every_request_and_every_response_parses(target: Target, mode: str) -> None:
    tally = SUMMARY.setdefault((target.name, mode), Tally())
    with _lenient_log() as lenient:
        for resource in target.api.resources:
            for op in resource.operations:
                tally.operations += 1
                try:
                    call = _arguments(target, op)
                except (KeyError, ValueError) as exc:
                    tally.problems.append(f"{op.http_method} {op.path}: no arguments from the document: {exc!r}")
                    continue
                for code in [_success_code(op), *_failure_codes(op)]:
                    call = _exchange(target, resource, op, code, mode, tally, call)
    tally.lenient = len(lenient)
    tally.repairs = sorted(set(target.document.repairs))
    assert not tally.problems, f"{len(tally.problems)} problems:\n" + "\n".join(tally.problems)
    assert tally.accepted == tally.requests > 0


def test_without_node_the_suite_is_skipped_and_says_why(tmp_path: Path) -> None:
    """A machine without node runs every other test: the suite skips, naming what is missing."""
    name = test_prism_accepts_every_request_and_every_response_parses.__name__
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", f"{__file__}::{name}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PATH": str(tmp_path)},
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"{len(DOCUMENTS) * len(MODES)} skipped" in ran.stdout
    assert "node and npm are not installed" in ran.stdout


@dataclass(frozen=True)
class Call:
    """One operation's arguments: as the SDK takes them, and as they travel (for Prism's own judgement)."""

    kwargs: dict[str, Any]
    path: str
    query: dict[str, Any]
    body: Any = ABSENT
    body_schema: Any = None


def _exchange(
    target: Target, resource: Resource, op: Operation, code: str, mode: str, tally: Tally, call: Call
) -> Call:
    """One request and its checks; the arguments the next status of the operation should use."""
    label = f"{mode} {op.http_method} {op.path} ({resource.attr_name}.{op.method_name}) asking {code}"
    prefer = f"code={code}, dynamic={'true' if mode == 'dynamic' else 'false'}, seed={op.operation_id}-{code}"
    tally.requests += 1
    try:
        outcome = _call(target, resource, op, call.kwargs, prefer, mode)
    except target.package.RequestValidationError as exc:
        tally.requests -= 1
        reason = _example_breaks_schema(target, op, call, exc.problems)
        if reason is None:
            tally.problems.append(f"{label}: the SDK refused a body the document's schema accepts: {exc}")
            return call
        tally.example_defects.append(f"{op.http_method} {op.path}: {reason}")
        assert op.body is not None
        built = target.document.value(call.body_schema, examples=False)
        rebuilt = Call({**call.kwargs, op.body.py_name: built}, call.path, call.query, ABSENT, call.body_schema)
        return _exchange(target, resource, op, code, mode, tally, rebuilt)
    response = outcome.response
    violations = _violations(response)
    broken = [v["message"] for v in violations if v["location"][0] == "request" and v["severity"] == "Error"]
    if response.status_code == 422 or broken:
        tally.problems.append(f"{label}: Prism refused the request: {broken or _validation(response)}")
        return call
    tally.accepted += 1
    flagged = [v for v in violations if v["location"][0] == "response"]
    tally.response_violations += bool(flagged)
    if code.startswith("2") and op.response.kind == "stream" and _cannot_serialize(response):
        # Prism has no serializer for binary bodies: the request was accepted, the 500 must be typed.
        tally.prism_cannot_serve += 1
        if not isinstance(outcome.error, target.package.InternalServerError):
            tally.problems.append(f"{label}: Prism's 500 raised {type(outcome.error).__name__}")
    elif response.status_code != int(code):
        tally.problems.append(f"{label}: Prism answered {response.status_code}: {response.text[:300]}")
    elif code.startswith("2"):
        _check_success(target, op, outcome, flagged, label, tally)
    else:
        _check_failure(target, op, code, outcome.error, label, tally)
    return call


def _example_breaks_schema(target: Target, op: Operation, call: Call, problems: list[str]) -> str | None:
    """Why the document's own example, which the SDK refused, breaks the document's schema; None when
    nothing but the SDK says so. Prism is the judge: it gets the example as it is, outside the SDK. The
    SDK also refuses fields a closed model does not define (a typo, to it), which JSON Schema lets pass:
    those must be undefined in the document's schema at that place too."""
    if call.body is ABSENT:
        return None
    credential = next(iter(target.credentials.values()))
    header = next((s.param_name for s in target.api.schemes if s.kind == "api_key"), "Authorization")
    response = httpx.request(
        op.http_method,
        target.url + call.path,
        params=call.query,
        json=call.body,
        headers={header: credential, "Prefer": f"code={_success_code(op)}"},
        timeout=30,
    )
    broken = [v for v in _violations(response) if v["location"][:2] == ["request", "body"]]
    if response.status_code == 422 or broken:
        return "Prism refuses the document's example too: " + (_validation(response) if not broken else str(broken))
    undefined = [_undefined_field(target.document, call.body_schema, problem) for problem in problems]
    if undefined and all(undefined):
        return "the example names fields its schema does not define: " + ", ".join(map(str, undefined))
    return None


def _undefined_field(doc: Document, schema: Any, problem: str) -> str | None:
    """The place of a field the SDK found no field for, when the document defines none there either."""
    place, _, reason = problem.partition(": ")
    if "has no such field" not in reason:
        return None
    steps = re.findall(r"\[(\d+)\]|\.?([^.\[]+)", place)[1:]  # the first is the argument's own name
    node = doc.resolve(schema)
    for index, name in steps[:-1]:
        node = doc.resolve(node.get("items", {}) if index else doc.properties_of(node).get(name, {}))
    last = steps[-1][1] if steps else ""
    return None if last in doc.properties_of(node) else place


def _cannot_serialize(response: httpx.Response) -> bool:
    return response.status_code == 500 and "Cannot find serializer" in response.text


def _violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's `sl-violations` header; past some number it starts "Too many violations!" and cuts the list."""
    header = response.headers.get("sl-violations", "[]")
    if header.startswith("Too many violations!"):
        where = "request" if '"location":["request"' in header else "response"
        return [{"location": [where], "severity": "Error", "message": header[:300], "truncated": True}]
    return list(json.loads(header))


def _validation(response: httpx.Response) -> str:
    try:
        return "; ".join(f"{'.'.join(map(str, v['location']))}: {v['message']}" for v in response.json()["validation"])
    except (ValueError, KeyError, TypeError):
        return response.text[:500]


@dataclass
class Outcome:
    """What one call gave: a parsed result, a parse failure, or a status error."""

    response: httpx.Response
    result: Any = None
    parse_error: Exception | None = None
    error: Any = None


def _call(target: Target, resource: Resource, op: Operation, kwargs: dict[str, Any], prefer: str, mode: str) -> Outcome:
    """One call through `with_raw_response`, parsed while the client is open: the sync client in static mode,
    the async one in dynamic mode. No retries: a 429 or 503 asked of Prism is an answer to check."""
    pkg, options = target.package, {"server_url": target.url, "max_retries": 0, **target.credentials}
    kwargs = {**kwargs, "extra_headers": {"Prefer": prefer}}
    if mode == "static":
        with getattr(pkg, target.api.client_class)(**options) as client:
            try:
                raw = getattr(getattr(client, resource.attr_name).with_raw_response, op.method_name)(**kwargs)
            except pkg.APIStatusError as exc:
                return Outcome(exc.response, error=exc)
            try:
                result = raw.parse()
                if op.response.kind == "stream":
                    result.read()
            except pkg.ResponseValidationError as exc:
                return Outcome(raw.http_response, parse_error=exc)
            return Outcome(raw.http_response, result=result)

    async def called() -> Outcome:
        async with getattr(pkg, target.api.async_client_class)(**options) as client:
            try:
                raw = await getattr(getattr(client, resource.attr_name).with_raw_response, op.method_name)(**kwargs)
            except pkg.APIStatusError as exc:
                return Outcome(exc.response, error=exc)
            try:
                result = await raw.parse()
                if op.response.kind == "stream":
                    await result.read()
            except pkg.ResponseValidationError as exc:
                return Outcome(raw.http_response, parse_error=exc)
            return Outcome(raw.http_response, result=result)

    return asyncio.run(called())


def _check_success(
    target: Target, op: Operation, outcome: Outcome, flagged: list[dict[str, Any]], label: str, tally: Tally
) -> None:
    """The result is of the operation's type. A type conflict may fail the parse only where Prism itself
    flags the body as breaking the document at that place: Codat's examples that contradict its schemas
    (a list for an object, `accounting` for a uuid), and the invalid Item schema."""
    tally.successes += 1
    error = outcome.parse_error
    if error is not None:
        unexplained = [p for p in getattr(error, "problems", [str(error)]) if not _flagged_at(p, flagged)]
        if unexplained and _reaches(target, op, INVALID_SCHEMA):
            tally.document_defect += 1
            tally.defects.append(f"{label}: the invalid Item schema: {unexplained[0]}")
        elif unexplained:
            tally.problems.append(f"{label}: the response did not parse: {'; '.join(unexplained)}")
        else:
            tally.document_defect += 1
            tally.defects.append(f"{label}: {error.problems[0]}")
        return
    expected = _expected_type(target, op)
    if expected is not None and not isinstance(outcome.result, expected):
        tally.problems.append(f"{label}: parsed as {type(outcome.result).__name__}, not {expected.__name__}")
        return
    tally.parsed += 1


def _flagged_at(problem: str, flagged: list[dict[str, Any]]) -> bool:
    """Whether Prism flagged the response at the problem's place (`response.results[0].id`), or above or
    below it; a cut-off list ("Too many violations!") is taken as flagging the whole body."""
    place = [step for pair in re.findall(r"\[(\d+)\]|\.([^.\[:]+)", problem.partition(":")[0]) for step in pair if step]
    for violation in flagged:
        location = [str(step) for step in violation["location"][2:]]
        if violation.get("truncated") or location[: len(place)] == place[: len(location)]:
            return True
    return False


def _check_failure(target: Target, op: Operation, code: str, error: Any, label: str, tally: Tally) -> None:
    pkg = target.package
    documented = next((e for e in op.errors if e.status == code), None)
    expected = getattr(pkg, documented.exception) if documented else _error_class_for(pkg, int(code))
    if not isinstance(error, expected) or error.status_code != int(code):
        tally.problems.append(f"{label}: raised {type(error).__name__}, not {expected.__name__}")
        return
    if documented is not None and documented.type is not None and documented.type.kind == "model":
        model = getattr(pkg.models, documented.type.name)
        if not isinstance(error.error, model):
            tally.problems.append(f"{label}: the error body was not parsed as {model.__name__}: {error.body[:300]!r}")
            return
    tally.typed_errors += 1


def _error_class_for(pkg: ModuleType, status: int) -> type:
    named = {400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError", 404: "NotFoundError"}
    return getattr(pkg, "InternalServerError" if status >= 500 else named.get(status, "APIStatusError"))


def _success_code(op: Operation) -> str:
    return op.response.status if op.response.status.isdigit() else "200"


def _failure_codes(op: Operation) -> list[str]:
    """The documented failure statuses; where the document gives none (the Accounting document), a 404,
    which Prism answers with its own problem+json for a status the document does not define."""
    codes = [e.status for e in op.errors if e.status.isdigit()]
    return codes or ["404"]


def _arguments(target: Target, op: Operation) -> Call:
    doc = target.document
    item = doc.data["paths"][op.path]
    node = item[op.http_method.lower()]
    by_wire = {(p.location, p.wire_name): p.py_name for p in (*op.path_params, *op.query_params, *op.header_params)}
    kwargs: dict[str, Any] = {}
    path, query = op.path, {}
    for param in doc.parameters(item, node):
        value = doc.parameter_value(param)
        if value is ABSENT or (param["in"], param["name"]) not in by_wire:
            continue
        kwargs[by_wire[(param["in"], param["name"])]] = value
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", quote(str(value), safe=""))
        elif param["in"] == "query":
            query[param["name"]] = value
    if op.body is None:
        return Call(kwargs, path, query)
    if op.body.kind in ("file", "multipart"):
        return Call({**kwargs, op.body.py_name: FILE}, path, query)
    media = doc.resolve(node["requestBody"])["content"][op.body.content_type]
    body = doc.body_value(media)
    return Call({**kwargs, op.body.py_name: body}, path, query, body, media.get("schema", {}))


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
    start = doc.resolve(node["responses"][op.response.status])
    seen: set[str] = set()
    stack: list[Any] = [start]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                if ref.startswith(pointer):
                    return True
                if ref not in seen:
                    seen.add(ref)
                    stack.append(doc.resolve({"$ref": ref}))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return False


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "lacks required fields" in record.getMessage():
            self.lines.append(record.getMessage())


@contextmanager
def _lenient_log() -> Iterator[list[str]]:
    """The SDK's debug lines for responses returned without required fields the server left out."""
    handler = _Collect()
    loggers = [logging.getLogger(package) for _, package in DOCUMENTS.values()]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)


def pytest_terminal_summary_lines() -> list[str]:
    """Per document and mode, what was called and what came back, then the document defects met."""
    lines = []
    for (name, mode), t in SUMMARY.items():
        lines.append(
            f"{name} {mode}: {t.operations} operations, {t.requests} requests, {t.accepted} accepted by Prism; "
            f"{t.parsed} of {t.successes} successes parsed, {t.lenient} of them lacking required fields, "
            f"{t.document_defect} not, where Prism flags the body as breaking the document; "
            f"{t.prism_cannot_serve} binary successes Prism cannot serve; {t.typed_errors} failures raised as "
            f"typed errors; {t.response_violations} responses Prism flagged against the document"
        )
        lines += [f"  example refused: {line}" for line in sorted(set(t.example_defects))]
        lines += [f"  response against the document: {line}" for line in t.defects]
        lines += [f"  repaired: {line}" for line in t.repairs]
    return lines
