"""Every operation of one generated SDK, called against a running Prism in one mode, and each exchange judged.

Static mode uses the sync client (its calls run in worker threads), dynamic mode the async one, each a
single client for the whole mode, with a bounded number of requests in flight: Prism answers one request
at a time anyway, and the overlap hides our side's work behind its own.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic

from generator.ir.api import Api, Resource
from generator.ir.operations import Operation
from tests.prism import checks, faults, proofs
from tests.prism.calls import IGNORED_HEADERS, SUCCESS_VARIANTS, Call, arguments, rebuilt
from tests.prism.tally import OURS, SUITE, Finding, Tally
from tests.prism.values import Document, escape

IN_FLIGHT = 6


@dataclass(frozen=True)
class Target:
    """A generated SDK, imported, beside the raw document and a Prism serving it."""

    name: str
    document: Document
    api: Api
    package: ModuleType
    url: str
    credentials: dict[str, str]
    # Schemas that break the OpenAPI meta-schema where their `type` is (the generator's warnings).
    invalid_schemas: tuple[str, ...] = ()

    def evaluate(self, resource: Resource, annotation: str) -> Any:
        """A type annotation of the generated code, as the resource's module reads it."""
        namespace = vars(sys.modules[f"{self.package.__name__}.resources.{resource.module_name}"])
        return eval(annotation, namespace)  # our own generated annotation, not input


@dataclass
class Outcome:
    """What one call through the SDK gave."""

    response: httpx.Response | None = None
    result: Any = None
    parse_error: Any = None
    error: Any = None  # the SDK's APIStatusError
    refused: Any = None  # the SDK's RequestValidationError, or pydantic's error building the typed body
    crashed: BaseException | None = None


@dataclass
class _Mode:
    target: Target
    mode: str
    tally: Tally
    client: Any
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(IN_FLIGHT))


def run_mode(target: Target, mode: str) -> Tally:
    """Every operation in one mode ("static": examples, sync client; "dynamic": generated, async client)."""
    tally = Tally()
    with _lenient_log(target.package.__name__) as lenient:
        asyncio.run(_run(target, mode, tally))
    tally.lenient = len(lenient)
    tally.repairs = sorted(target.document.repairs)
    tally.findings.sort(key=lambda f: (f.owner, f.fault, f.label))
    return tally


async def _run(target: Target, mode: str, tally: Tally) -> None:
    pkg = target.package
    options = {"server_url": target.url, "max_retries": 0, **target.credentials}
    # Node closes a connection idle for 5 s; one the pool kept longer fails when reused (a ReadError).
    limits = httpx.Limits(max_connections=2 * IN_FLIGHT, keepalive_expiry=1.0)
    if mode == "static":
        http: httpx.Client | httpx.AsyncClient
        with (
            httpx.Client(limits=limits) as http,
            getattr(pkg, target.api.client_class)(http_client=http, **options) as client,
        ):
            await _operations(_Mode(target, mode, tally, client))
    else:
        async with (
            httpx.AsyncClient(limits=limits) as http,
            getattr(pkg, target.api.async_client_class)(http_client=http, **options) as client,
        ):
            await _operations(_Mode(target, mode, tally, client))


async def _operations(run: _Mode) -> None:
    await asyncio.gather(*(_operation(run, r, op) for r in run.target.api.resources for op in r.operations))


async def _operation(run: _Mode, resource: Resource, op: Operation) -> None:
    run.tally.operations += 1
    label = f"{run.mode} {op.http_method} {op.path} ({_access(resource)}.{op.method_name})"
    ignored = [p.wire_name for p in op.header_params if p.wire_name.lower() in IGNORED_HEADERS]
    if ignored:
        run.tally.findings.append(Finding(OURS, faults.HEADER_ARGUMENT, label, f"arguments for {', '.join(ignored)}"))
    try:
        calls = [arguments(run.target.document, op, variant) for variant in (*SUCCESS_VARIANTS, "minimal")]
    except (KeyError, ValueError, TypeError, IndexError) as exc:
        run.tally.findings.append(Finding(SUITE, faults.NO_ARGUMENTS, label, repr(exc)))
        return
    success = checks.success_code(op)
    if not checks.documents_success(run.target, op):
        success = checks.failure_codes(op)[0]
        where = f"#/paths/{escape(op.path)}/{op.http_method.lower()}/responses"
        run.target.document.repairs.add(f"{where}: no success status; its success calls ask {success}")
    await asyncio.gather(
        *(_exchange(run, resource, op, success, call) for call in calls[:-1]),
        *(_exchange(run, resource, op, code, calls[-1]) for code in checks.failure_codes(op)),
    )


async def _exchange(run: _Mode, resource: Resource, op: Operation, code: str, call: Call) -> None:
    """One request and its checks; a fault of the suite's own code is a finding of its own, not a crash."""
    label = f"{run.mode} {call.variant} {op.http_method} {op.path} ({_access(resource)}.{op.method_name}) asking {code}"
    try:
        await _checked_exchange(run, resource, op, code, call, label)
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        detail = f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
        run.tally.findings.append(Finding(SUITE, faults.SUITE_CRASH, label, detail))


async def _checked_exchange(
    run: _Mode,
    resource: Resource,
    op: Operation,
    code: str,
    call: Call,
    label: str,
    retried: bool = False,
    headers: tuple[tuple[str, str], ...] = (),
) -> None:
    """One request and its checks; a document's own value that Prism proves wrong is repaired and sent again,
    and where Prism itself falls short the request is sent again the way it can take (`headers`: the ones
    OpenAPI says to ignore, which Prism requires)."""
    target, tally = run.target, run.tally
    prefer = f"code={code}, dynamic={'true' if run.mode == 'dynamic' else 'false'}, seed={op.operation_id}-{code}"
    async with run.gate:
        outcome = await _call(run, resource, op, call, {**dict(headers), "Prefer": prefer})
    if outcome.refused is not None:
        retry = await _refused_by_sdk(run, op, call, outcome.refused, label)
        if retry is not None:
            await _exchange(run, resource, op, code, retry)
        return
    if isinstance(outcome.crashed, target.package.APIConnectionError) and not retried:
        # A connection to Prism that broke (a busy machine): sent again once, on a new connection.
        await _checked_exchange(run, resource, op, code, call, label, True, headers)
        return
    if outcome.crashed is not None or outcome.response is None:
        owner, fault = faults.crash(outcome.crashed)
        tally.findings.append(Finding(owner, fault, label, f"{type(outcome.crashed).__name__}: {outcome.crashed}"))
        return
    tally.requests += 1
    response = outcome.response
    if ("#" in op.path or "?" in op.path) and checks.unrouted(response):
        tally.refused_for_defect += 1
        where = f"#/paths/{escape(op.path)}"
        tally.defects[where] = (
            f"a path holding a fragment or a query, which no path matches: Prism answers {response.status_code}"
        )
        return
    violations = checks.violations(response)
    refusals = checks.request_refusals(response, violations, code)
    limit = proofs.prism_limit(target.document, op, call, refusals, headers) if refusals else None
    if limit is not None:
        pointer, why, retry, extra = limit
        tally.requests -= 1
        tally.prism_limits[pointer] = why
        await _checked_exchange(run, resource, op, code, retry, label, retried, extra)
        return
    if refusals:
        places = checks.refused_places(refusals, call)
        proven = {p for p in places if proofs.document_value_breaks(target.document, call, p)}
        if call.variant == "example" and proven and proven == places:
            tally.refused_for_defect += 1
            for place in sorted(proven):
                sent = next(s for s in call.sent if f"{s.location}.{s.name}" == place or s.location == place)
                tally.defects[sent.pointer] = f"Prism refuses the document's own example: {checks.said(refusals)}"
            await _exchange(run, resource, op, code, rebuilt(target.document, op, call, proven))
            return
        impossible = proofs.form_without_fields(target.document, op) if places == {"body"} else None
        if impossible is not None:
            tally.refused_for_defect += 1
            tally.defects[impossible] = (
                f"a form body's schema that is no object, so no form fits: {checks.said(refusals)}"
            )
            return
        owner, fault = faults.refusal(target.document, call, refusals, response.request)
        tally.findings.append(Finding(owner, fault, label, f"Prism refused the request: {checks.said(refusals)}"))
        return
    tally.accepted += 1
    checks.judge(target, resource, op, code, run.mode, outcome, violations, label, tally)


async def _refused_by_sdk(run: _Mode, op: Operation, call: Call, refused: Any, label: str) -> Call | None:
    """Why the SDK refused to send, and the call to make instead when the document is at fault: a
    parameter's example breaks its schema where the wire would hide it (48 for a string), Prism refuses
    the document's body example too, or the example names fields its schema does not declare."""
    doc, tally, body = run.target.document, run.tally, call.body
    problems = list(getattr(refused, "problems", None) or [str(refused)])
    misfits = {
        f"{s.location}.{s.name}"
        for s in call.sent
        if s.location != "body" and s.from_example and not doc.fitting(s.value, s.pointer, s.schema)
    }
    if call.variant == "example" and misfits:
        return rebuilt(doc, op, call, misfits)
    if call.variant == "example" and body is not None and body.from_example:
        tally.proofs += 1
        response = await asyncio.to_thread(_raw_request, run.target, op, call)
        verdict = checks.request_refusals(response, checks.violations(response), checks.success_code(op))
        broken = [v for v in verdict if v["location"][:2] == ["request", "body"]]
        if broken:
            tally.defects[body.pointer] = f"Prism refuses the document's own example too: {checks.said(broken)}"
            return rebuilt(doc, op, call, {"body"})
        undeclared = doc.undeclared(body.value, {"$ref": body.schema}, body.schema)
        if undeclared:
            tally.undeclared[body.pointer] = "; ".join(undeclared)
            return rebuilt(doc, op, call, {"body"})
    owner, fault = faults.sdk_refusal(doc, call, problems)
    tally.findings.append(Finding(owner, fault, label, "; ".join(problems)[:600]))
    return None


def _raw_request(target: Target, op: Operation, call: Call) -> httpx.Response:
    """The call's arguments sent as the document writes them, outside the SDK, for Prism to judge."""
    scheme = next((s for s in target.api.schemes if s.location == "header"), None)
    headers = {**call.headers(), "Prefer": f"code={checks.success_code(op)}"}
    if scheme is not None:
        headers[scheme.param_name] = scheme.prefix + next(iter(target.credentials.values()))
    body = call.body
    return httpx.request(
        op.http_method,
        target.url + call.path(op.path),
        params=call.query(),
        json=body.value if body is not None else None,
        headers=headers,
        timeout=30,
    )


async def _call(run: _Mode, resource: Resource, op: Operation, call: Call, headers: dict[str, str]) -> Outcome:
    """One call through `with_raw_response`, parsed while the client is open. No retries: a 429 or 503
    asked of Prism is an answer to check."""
    kwargs = {**call.kwargs, "extra_headers": headers}
    if call.typed_body and op.body is not None:
        try:
            kwargs[op.body.py_name] = _typed(run.target, resource, op, kwargs[op.body.py_name])
        except pydantic.ValidationError as exc:
            return Outcome(refused=exc)
    owner = run.client
    for step in _access(resource).split("."):  # a nested group: client.accounts_receivable.invoices
        owner = getattr(owner, step)
    method = getattr(owner.with_raw_response, op.method_name)
    pkg = run.target.package
    if run.mode == "static":
        return await asyncio.to_thread(_sync_call, pkg, method, kwargs, op)
    try:
        raw = await method(**kwargs)
        try:
            result = await raw.parse()
            if op.response.kind == "stream":
                await result.read()
        except pkg.ResponseValidationError as exc:
            return Outcome(raw.http_response, parse_error=exc)
        return Outcome(raw.http_response, result=result)
    except pkg.APIStatusError as exc:
        return Outcome(exc.response, error=exc)
    except pkg.RequestValidationError as exc:
        return Outcome(refused=exc)
    except Exception as exc:  # whatever else the SDK raises is a finding, named by its type
        return Outcome(crashed=exc)


def _access(resource: Resource) -> str:
    return resource.access or resource.attr_name


def _sync_call(pkg: ModuleType, method: Any, kwargs: dict[str, Any], op: Operation) -> Outcome:
    try:
        raw = method(**kwargs)
        try:
            result = raw.parse()
            if op.response.kind == "stream":
                result.read()
        except pkg.ResponseValidationError as exc:
            return Outcome(raw.http_response, parse_error=exc)
        return Outcome(raw.http_response, result=result)
    except pkg.APIStatusError as exc:
        return Outcome(exc.response, error=exc)
    except pkg.RequestValidationError as exc:
        return Outcome(refused=exc)
    except Exception as exc:  # whatever else the SDK raises is a finding, named by its type
        return Outcome(crashed=exc)


def _typed(target: Target, resource: Resource, op: Operation, value: Any) -> Any:
    """The body as the SDK's own type (a model, or a list or union of models), as a typed caller passes it:
    read by the models alone (the annotation's TypedDict arms would leave dicts), each value taking the
    branch that lists it, as a caller picks the model whose enum has the value."""
    assert op.body is not None
    if value is None:
        return None
    pkg = target.package
    if op.body.type.kind == "model":
        return getattr(pkg.models, op.body.type.name).model_validate(value)
    adapter = pkg._models.type_adapter(target.evaluate(resource, op.body.check_as))
    try:
        return adapter.validate_python(value, context=pkg._models.EXACT)
    except pydantic.ValidationError:
        return adapter.validate_python(value)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "lacks required fields" in record.getMessage():
            self.lines.append(record.getMessage())


@contextmanager
def _lenient_log(package: str) -> Iterator[list[str]]:
    """The SDK's debug lines for responses returned without required fields the server left out."""
    handler, logger = _Collect(), logging.getLogger(package)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
