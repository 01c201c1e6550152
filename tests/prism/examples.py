"""Every Python example of a document's generated docs, run as copied against the Prism serving it.

An example calls the API's own server (its pages are written for users), so here the requests it sends
are carried to Prism at the transport: the example's code runs unchanged, client construction and all.
Prism must accept each request (no request violation, no validator 422), and the example must run to
its end within EXAMPLE_S seconds, printing what it prints. Two things stop an example that are not
ours, and each is counted apart with its proof:

- the document's defect: Prism refuses the request of an operation whose request the suite has proven
  wrong (Prism refuses the document's own example for it, tests/prism/proofs.py), or refuses a body
  that several branches of a `oneOf` take (judged as Prism judges, tests/prism/fit.py: the document's
  branches cannot be told apart, as Bank Feeds' two versions of a source account), or Prism flags its
  own response (`sl-violations` at the response) where the SDK refuses it;
- Prism's limit: it has no serializer for a binary success body, so a download answers 500 ("Cannot
  find serializer"); an example stopped there has run as far as Prism lets it.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import signal
import tempfile
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import httpx

from generator.errors import pointer_join
from tests.docexamples import doc_examples
from tests.prism.checks import request_refusals, violations
from tests.prism.values import Document

# An example makes a few calls at most (a list walks its pages); one still running after this is hung.
EXAMPLE_S = 30


@dataclass
class ExampleOutcome:
    """One example: where it is, and what stopped it (empty when it ran to its end)."""

    label: str
    requests: int = 0
    refused: list[str] = field(default_factory=list)
    error: str = ""
    prism_limit: bool = False
    # The document's defect that stopped it, and what proves it.
    defect: str = ""

    @property
    def ran(self) -> bool:
        return not self.error and not self.refused


@dataclass
class ExampleTally:
    """Every example of one document's output, run against its Prism."""

    examples: int = 0
    ran: int = 0
    requests: int = 0
    accepted: int = 0
    # Examples stopped by Prism's own limit (a download's 500), which ran up to it.
    prism_limits: list[str] = field(default_factory=list)
    # Examples stopped by the document's proven defect: label, then the proof.
    defects: dict[str, str] = field(default_factory=dict)
    # Examples Prism refused a request of, or that raised, timed out or were refused by the SDK: ours.
    failed: list[ExampleOutcome] = field(default_factory=list)
    seconds: float = 0.0


def run_examples(files: Mapping[str, bytes], document: str, url: str, doc: Document, proven: set[str]) -> ExampleTally:
    """Each example of the output `files`, in page order, its requests carried to Prism at `url`.

    Runs in a worker process of its own (tests/prism/family.py), whose working folder it may change.
    `doc` is the document (to tell which operation a request is, and to judge its body); `proven` holds the
    pointers of the document's defects the suite proved, of which those under an operation's request
    explain Prism refusing that operation's requests."""
    tally = ExampleTally()
    routes = _routes(doc.data.get("paths", {}))
    # A download example saves its file where it runs: a folder of its own, not the project's.
    servers = doc.data.get("servers") or [{}]
    base_path = httpx.URL(str(servers[0].get("url", "/"))).path if isinstance(servers[0], dict) else ""
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder), carried_to(url, base_path) as exchanges:
        for example in doc_examples(document, files):
            label = f"{example.page} example {example.index + 1}"
            exchanges.clear()
            outcome = _run_one(example.code, label)
            outcome.requests = len(exchanges)
            proofs = []
            for request, response in exchanges:
                refusals = request_refusals(response, violations(response), "")
                if refusals:
                    said = "; ".join(str(r.get("message", r))[:200] for r in refusals)
                    outcome.refused.append(f"{request.method} {request.url.path}: {said}")
                    proofs.append(_proven_request_defect(request, routes, proven, doc))
            if proofs and all(proofs):
                outcome.defect = "; ".join(dict.fromkeys(proofs))
            if outcome.error and not outcome.refused and not outcome.prism_limit and exchanges:
                request, response = exchanges[-1]
                outcome.defect = _flagged_response(response, outcome.error) or _response_defect(
                    request, response, outcome.error, routes, proven, doc
                )
            tally.examples += 1
            tally.requests += outcome.requests
            tally.accepted += outcome.requests - len(outcome.refused)
            if outcome.ran:
                tally.ran += 1
            elif outcome.prism_limit:
                tally.prism_limits.append(label)
            elif outcome.defect:
                tally.defects[label] = outcome.defect
            else:
                tally.failed.append(outcome)
    return tally


def _routes(paths: Mapping[str, Any]) -> list[tuple[re.Pattern[str], str]]:
    """Each path template as a pattern of the paths it serves, the most literal first."""
    found = [(re.compile("^" + re.sub(r"\\{[^}]*\\}", "[^/]+", re.escape(path)) + "$"), path) for path in paths]
    return sorted(found, key=lambda route: route[1].count("{"))


def _proven_request_defect(
    request: httpx.Request, routes: list[tuple[re.Pattern[str], str]], proven: set[str], doc: Document
) -> str:
    """What proves the document wrong about the request's operation, or "" when nothing does."""
    path = request.url.path
    template = next((t for pattern, t in routes if pattern.match(path)), None)
    if template is None:
        return ""
    operation = pointer_join("#/paths", template, request.method.lower())
    places = (operation + "/requestBody", operation + "/parameters")
    known = next((p for p in sorted(proven) if p.startswith(places)), "")
    if known or not request.content:
        return known
    try:
        body = json.loads(request.content)
    except ValueError:
        return ""
    body_schema = doc.locate(doc.data["paths"][template][request.method.lower()].get("requestBody", {}), "")[0]
    media = body_schema.get("content", {}).get("application/json") if isinstance(body_schema, dict) else None
    if not isinstance(media, dict) or "schema" not in media:
        return ""
    at = _ambiguous(
        doc, body, media["schema"], pointer_join(operation, "requestBody", "content", "application/json", "schema")
    )
    return f"{at}: several of its branches take the body sent" if at else ""


def _ambiguous(doc: Document, value: Any, node: Any, pointer: str, depth: int = 0) -> str:
    """The pointer of a `oneOf` that more than one branch of takes `value` (which Prism must refuse)."""
    node, pointer = doc.locate(node, pointer)
    if not isinstance(node, dict) or depth > 20:
        return ""
    if isinstance(node.get("oneOf"), list):
        taking = [i for i in range(len(node["oneOf"])) if doc.judge.fits(value, f"{pointer}/oneOf/{i}")]
        if len(taking) > 1:
            return pointer + "/oneOf"
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        for item in value:
            found = _ambiguous(doc, item, node["items"], pointer + "/items", depth + 1)
            if found:
                return found
    if isinstance(value, dict) and isinstance(node.get("properties"), dict):
        for name, item in value.items():
            if name in node["properties"]:
                found = _ambiguous(
                    doc, item, node["properties"][name], pointer_join(pointer, "properties", name), depth + 1
                )
                if found:
                    return found
    return ""


def _flagged_response(response: httpx.Response, error: str) -> str:
    """Prism's own flag on the response an example could not read: proof the document's example is wrong."""
    if "ResponseValidationError" not in error:
        return ""
    flagged = [v for v in violations(response) if v["location"][:1] == ["response"] and v.get("severity") == "Error"]
    return "Prism flags its response: " + str(flagged[0].get("message", ""))[:200] if flagged else ""


def _response_defect(
    request: httpx.Request,
    response: httpx.Response,
    error: str,
    routes: list[tuple[re.Pattern[str], str]],
    proven: set[str],
    doc: Document,
) -> str:
    """The document's defect behind an answer the example could not take: an operation that documents no
    success (Prism can only answer one of its failures), or a parse failure of a response whose schema
    reaches a defect the suite proved (a schema breaking the meta-schema, a place Prism flags)."""
    method = request.method.lower()
    template = next((t for pattern, t in routes if pattern.match(request.url.path)), None)
    if template is None:
        return ""
    operation = pointer_join("#/paths", template, method)
    responses = doc.data["paths"][template][method].get("responses", {})
    if not response.is_success and not any(str(code).startswith("2") or code == "default" for code in responses):
        return f"{operation}/responses: documents no success, so Prism answers a failure"
    if "ResponseValidationError" not in error:
        return ""
    reached = {operation + "/responses", *doc.reached(responses)}
    return next((p for p in sorted(proven) if any(p == r or p.startswith(r + "/") for r in reached)), "")


def _run_one(code: str, label: str) -> ExampleOutcome:
    """Runs one example as a module of its own, its output kept from the test's, bounded in time."""
    outcome = ExampleOutcome(label)
    handlers, level = logging.root.handlers[:], logging.root.level  # the logging example configures it
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.setitimer(signal.ITIMER_REAL, EXAMPLE_S)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(code, f"<{label}>", "exec"), {"__name__": "__example__"})
    except _PrismLimit as exc:
        outcome.error, outcome.prism_limit = str(exc), True
    except BaseException as exc:  # whatever stops an example (SystemExit too) is its outcome
        if isinstance(exc, KeyboardInterrupt):
            raise
        outcome.error = "".join(traceback.format_exception_only(exc)).strip()[:500]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        logging.root.handlers[:], logging.root.level = handlers, level
    return outcome


class _Hung(BaseException):
    """A BaseException, so that no `except Exception` of the SDK's (a retry loop's) takes it for its own."""


class _PrismLimit(BaseException):
    """Raised at the transport on Prism's answer that it cannot write the body: the example has run as far
    as Prism lets it, and retrying the 500 (as the document's retry policy says) would only wait."""


def _hung(signum: int, frame: FrameType | None) -> None:
    raise _Hung(f"still running after {EXAMPLE_S} s")


def _cannot_serve(response: httpx.Response) -> bool:
    """Whether the answer is Prism's 500 for a body it cannot write (binary, or with no schema)."""
    if response.status_code != 500:
        return False
    try:
        problem = response.json()
        said = f"{problem.get('title', '')} {problem.get('detail', '')}"
    except (ValueError, AttributeError):
        return False
    return "Cannot find serializer" in said or "schema is not defined" in said


@contextlib.contextmanager
def carried_to(url: str, base_path: str = "") -> Iterator[list[tuple[httpx.Request, httpx.Response]]]:
    """Every request httpx sends in this process goes to `url`'s host instead, `base_path` (the path of
    the document's server, which Prism serves the paths below) taken off, and each exchange is kept (its
    response read, so its headers and body can be judged after the example is done). Prism's answer that
    it cannot write a body stops the example there (_PrismLimit)."""
    target = httpx.URL(url)
    base = base_path.rstrip("/")
    exchanges: list[tuple[httpx.Request, httpx.Response]] = []
    sync_send = httpx.HTTPTransport.handle_request
    async_send = httpx.AsyncHTTPTransport.handle_async_request

    def moved(request: httpx.Request) -> None:
        path = request.url.raw_path
        if base and path.startswith(base.encode() + b"/"):
            path = path[len(base) :]
        request.url = request.url.copy_with(scheme=target.scheme, host=target.host, port=target.port, raw_path=path)
        request.headers["Host"] = target.netloc.decode("ascii")

    def kept(request: httpx.Request, status: int, headers: httpx.Headers, content: bytes) -> httpx.Response:
        exchanges.append((request, httpx.Response(status, headers=headers, content=content)))
        if _cannot_serve(exchanges[-1][1]):
            raise _PrismLimit(f"{request.method} {request.url.path}: Prism cannot write the body")
        return httpx.Response(status, headers=headers, content=content)

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        moved(request)
        response = sync_send(self, request)
        return kept(request, response.status_code, response.headers, _body(response))

    async def handle_async(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        moved(request)
        response = await async_send(self, request)
        content = b"".join([chunk async for chunk in response.aiter_raw()])
        await response.aclose()
        return kept(request, response.status_code, response.headers, content)

    patched: Any = httpx.HTTPTransport
    patched_async: Any = httpx.AsyncHTTPTransport
    patched.handle_request, patched_async.handle_async_request = handle, handle_async
    try:
        yield exchanges
    finally:
        patched.handle_request, patched_async.handle_async_request = sync_send, async_send


def _body(response: httpx.Response) -> bytes:
    try:
        return b"".join(response.iter_raw())
    finally:
        response.close()
