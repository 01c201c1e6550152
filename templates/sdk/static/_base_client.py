"""HTTP plumbing shared by every client: request building, retries, error mapping and parsing."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import gc
import json
import logging
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast
from urllib.parse import quote

import httpx
import pydantic

from ._auth import ClientCredentials, Credentials, Requirement
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RequestValidationError,
    ResponseValidationError,
    make_status_error,
)
from ._models import BaseModel, tolerant, type_adapter, unknown_values
from ._response import APIResponse, AsyncAPIResponse, response_mode
from ._retries import RetryConfig
from ._streaming import AsyncBinaryResponse, BinaryResponse
from ._types import NOT_GIVEN, FileContent, NotGiven, Timeout

T = TypeVar("T")
_Client = TypeVar("_Client", bound="BaseClient")
log = logging.getLogger(__package__ or "codat")

# A response validation error's message lists this many failing fields (`problems` has them all).
_SHOWN_PROBLEMS = 5
# ... and shows this much of each wrong value.
_SHOWN_INPUT = 60


@dataclass(frozen=True)
class RequestOptions:
    """Everything one operation call needs to send, as the generated resources describe it."""

    method: str
    path: str
    operation_id: str
    # The call as the caller wrote it (`customers.get`), for messages.
    call: str = ""
    # Whether sending it twice does what sending it once does (method, or the document's mark).
    idempotent: bool = False
    path_params: Mapping[str, object] = field(default_factory=dict)
    query: Mapping[str, object] = field(default_factory=dict)
    headers: Mapping[str, object] = field(default_factory=dict)
    cookies: Mapping[str, object] = field(default_factory=dict)
    json_body: object | None = None
    # A form's fields (urlencoded, or multipart beside `files`).
    data: Mapping[str, object] | None = None
    content: bytes | None = None
    files: Mapping[str, FileContent] | None = None
    content_type: str | None = None
    accept: str = "application/json"
    timeout: Timeout | NotGiven = NOT_GIVEN
    retries: RetryConfig | int | NotGiven | None = NOT_GIVEN
    extra_headers: Mapping[str, str] | None = None
    security: Requirement = ()
    # The document's schema for each failure status ("404", "4XX", "default"), to parse the body by.
    errors: Mapping[str, Any] = field(default_factory=dict)


class BaseClient:
    """What the sync and async clients share; only sending and sleeping differ between them."""

    # What a raw or streamed call hands back (its parse is awaited on the async client).
    _response_class: type[APIResponse[Any]] | type[AsyncAPIResponse[Any]]

    def __init__(
        self,
        *,
        base_url: str,
        credentials: Credentials,
        user_agent: str,
        timeout: Timeout,
        retry_config: RetryConfig,
        default_headers: Mapping[str, str] | None,
        pause_collector: bool = False,
        strict_responses: bool = False,
    ) -> None:
        self.base_url = _checked_base_url(base_url)
        self.timeout = _checked_timeout(timeout, "timeout")
        self.retry_config = _checked_retry_config(retry_config)
        self._credentials = credentials
        self._owns_http_client = False
        # The caller's opt-in to pausing the process's cycle collector while a large body decodes.
        self._pause_collector = pause_collector
        # Off: a body lacking required fields is returned with what it has (a debug log says what).
        self._strict_responses = strict_responses
        self._default_headers = {"User-Agent": user_agent, **(default_headers or {})}
        # The retry loop's clock; tests replace it together with the sleep function.
        self._clock: Callable[[], float] = time.monotonic

    def with_options(
        self: _Client,
        *,
        server_url: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        retry_config: RetryConfig | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> _Client:
        """A copy of this client with other settings, sharing its connection pool and credentials.

        Only what is given changes (`default_headers` are added to the current ones). The copy never
        closes the shared connections: closing this client, or its `http_client`, does.
        """
        clone = copy.copy(self)
        # Resources are created on first use and hold their client: the copy makes its own.
        resources = {
            name for cls in type(self).__mro__ for name, v in vars(cls).items() if isinstance(v, cached_property)
        }
        clone.__dict__ = {k: v for k, v in self.__dict__.items() if k not in resources}
        clone._owns_http_client = False
        if server_url is not None:
            clone.base_url = _checked_base_url(server_url)
        if not isinstance(timeout, NotGiven):
            clone.timeout = _checked_timeout(timeout, "timeout")
        if retry_config is not None:
            clone.retry_config = _checked_retry_config(retry_config)
        if max_retries is not None:
            clone.retry_config = clone.retry_config.with_max_retries(checked_max_retries(max_retries))
        if default_headers:
            clone._default_headers = {**self._default_headers, **default_headers}
        return clone

    def __repr__(self) -> str:
        # Never the credentials: a repr ends up in logs and tracebacks.
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _url(self, options: RequestOptions) -> str:
        path = options.path
        for name, value in options.path_params.items():
            segment = _path_segment(value)
            if not segment:
                # `GET /customers/` would address the collection, not the record the caller meant.
                raise ValueError(f"{options.call or options.operation_id}: path parameter {name!r} is empty")
            path = path.replace("{" + name + "}", segment)
        return self.base_url + path

    def _safe_url(self, request: httpx.Request) -> str:
        """The request's URL for messages and logs: credentials sent in the query masked."""
        url = request.url
        for name in self._credentials.secret_query_names() & set(url.params.keys()):
            url = url.copy_set_param(name, "***")
        return str(url)

    def _build_request(
        self, client: httpx.Client | httpx.AsyncClient, options: RequestOptions, tokens: Mapping[str, str]
    ) -> httpx.Request:
        credentials = self._credentials.place(self._credentials.choose(options.security, options.operation_id), tokens)
        headers = {**self._default_headers, "Accept": options.accept, **credentials.headers}
        if options.content_type is not None and options.files is None:
            headers["Content-Type"] = options.content_type  # multipart: httpx writes it with the boundary
        headers.update(_query(options.headers))
        cookies = {**_query(options.cookies), **credentials.cookies}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={quote(value, safe='')}" for name, value in cookies.items())
        headers.update(options.extra_headers or {})
        timeout = (
            self.timeout if isinstance(options.timeout, NotGiven) else _checked_timeout(options.timeout, "timeout")
        )
        return client.build_request(
            options.method,
            self._url(options),
            params={**_query(options.query), **credentials.query},
            headers=headers,
            json=options.json_body,
            data=_form(options.data) if options.data is not None else None,
            content=options.content,
            files=options.files,
            timeout=timeout if timeout is not None else httpx.Timeout(None),
        )

    def _token_sources(self, options: RequestOptions) -> dict[str, ClientCredentials]:
        """The OAuth2 token sources the scheme chosen for this call needs a token from."""
        keys = self._credentials.choose(options.security, options.operation_id)
        return {k: self._credentials.token_sources[k] for k in keys if k in self._credentials.token_sources}

    def _status_error(self, response: httpx.Response, options: RequestOptions) -> APIStatusError:
        """The error for a failure status, its body parsed by the document's schema for that status."""
        status = str(response.status_code)
        schema = next(
            (options.errors[k] for k in (status, status[0] + "XX", "default") if k in options.errors),
            None,
        )
        error: Any = None
        if schema is not None and response.content:
            try:
                error = type_adapter(schema).validate_json(response.content)
            except (pydantic.ValidationError, TypeError):
                error = None
        keys = self._credentials.choose(options.security, options.call or options.operation_id)
        return make_status_error(
            response, error, url=self._safe_url(response.request), hint=self._credentials.hint(keys)
        )

    def _policy(self, options: RequestOptions) -> RetryConfig | None:
        retries = options.retries
        if isinstance(retries, NotGiven):
            return self.retry_config
        if retries is None or retries == 0:
            return None
        if isinstance(retries, int) and not isinstance(retries, bool) and retries > 0:
            return self.retry_config.with_max_retries(retries)
        if isinstance(retries, RetryConfig):
            return retries
        raise TypeError(
            f"{options.call or options.operation_id}: retries must be a RetryConfig, a number of retries (0 or more)"
            f" or None, not {retries!r}"
        )

    def _next_wait(
        self,
        policy: RetryConfig | None,
        retry: int,
        started: float,
        response: httpx.Response | None,
        failure: httpx.TransportError | None = None,
        options: RequestOptions | None = None,
    ) -> float | None:
        """Seconds to wait before retrying, or None when this outcome is final."""
        if policy is None:
            return None
        if response is not None and not policy.retries_status(response.status_code):
            return None
        if failure is not None and not _retryable(failure, options, policy):
            return None
        wait = policy.delay(retry, response)
        return wait if policy.allows(retry, self._clock() - started, wait) else None

    def _parse(self, response: httpx.Response, cast_to: type[T], options: RequestOptions) -> T:
        stream: type[BinaryResponse | AsyncBinaryResponse] | None = (
            BinaryResponse
            if cast_to is BinaryResponse
            else AsyncBinaryResponse if cast_to is AsyncBinaryResponse else None
        )
        if stream is not None:
            return cast(T, stream(response))
        if cast_to is type(None) or cast_to is bytes or (cast_to is str and not _is_json(options.accept)):
            raw: Any = None if cast_to is type(None) else response.content if cast_to is bytes else response.text
            return cast(T, raw)
        try:
            with _collector_paused(len(response.content) if self._pause_collector else 0):
                if isinstance(cast_to, type) and issubclass(cast_to, BaseModel):
                    parsed: Any = cast_to.model_validate_json(response.content)
                else:
                    parsed = type_adapter(cast(Any, cast_to)).validate_json(response.content)
            if self._strict_responses:
                self._strict_check(parsed, options, response)
            return cast(T, parsed)
        except pydantic.ValidationError as exc:
            if not self._strict_responses:
                tolerated = self._tolerated(response, cast_to, options)
                if tolerated is not None:
                    return cast(T, tolerated[0])
            problems = _validation_problems(exc, "response")
            shown = "; ".join(problems[:_SHOWN_PROBLEMS]) + ("; ..." if len(problems) > _SHOWN_PROBLEMS else "")
            raise ResponseValidationError(
                f"{options.call or options.operation_id}: the response body does not match "
                f"{getattr(cast_to, '__name__', cast_to)} ({len(problems)} "
                f"{'problem' if len(problems) == 1 else 'problems'}: {shown})",
                response=response,
                problems=problems,
            ) from exc

    def _tolerated(self, response: httpx.Response, cast_to: Any, options: RequestOptions) -> tuple[Any] | None:
        """A body whose only fault is a required field left out, as its model with what was there;
        None when it has a real conflict (a value of the wrong type), which the caller raises."""
        missing: list[str] = []
        try:
            result = tolerant(cast_to, json.loads(response.content), "response", missing)
        except (pydantic.ValidationError, ValueError):
            return None
        log.debug("%s: the response lacks required fields, returned without them: %s", options.call, ", ".join(missing))
        return (result,)

    def _strict_check(self, result: Any, options: RequestOptions, response: httpx.Response) -> None:
        """With `strict_responses=True`, a field or enum value the document does not list is an error too."""
        problems = list(unknown_values(result, "response"))
        if problems:
            raise ResponseValidationError(
                f"{options.call or options.operation_id}: the response has what the API document does not list"
                f" ({len(problems)}: {'; '.join(problems[:_SHOWN_PROBLEMS])})",
                response=response,
                problems=problems,
            )

    def _handed_back(self, response: httpx.Response, cast_to: Any, options: RequestOptions) -> object:
        """The response itself, for `with_raw_response` and `with_streaming_response`, to parse later."""
        parse = functools.partial(self._parse, response, cast_to, options)
        streams = cast_to is BinaryResponse or cast_to is AsyncBinaryResponse
        return self._response_class(response, parse, body_streams=streams)

    def _connection_error(
        self, exc: httpx.TransportError, request: httpx.Request, options: RequestOptions, retries: int
    ) -> APIConnectionError:
        """What went wrong, where: the host, the cause (refused, DNS, TLS, a timeout and its limit, a
        connection that broke after sending), and why it was not retried when that is the reason."""
        where = f"{request.method} {self._safe_url(request)}"
        cause = _cause(exc, request)
        if retries:
            cause += f" (after {retries} {'retry' if retries == 1 else 'retries'})"
        elif not _before_sending(exc) and not _idempotent(options, request):
            cause += f"; not retried, since {request.method} is not idempotent and the server may have acted on it"
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request, f"{where}: {cause}")
        return APIConnectionError(request, f"{where}: {cause}")

    def _log(self, options: RequestOptions, request: httpx.Request, outcome: str, started: float, attempt: int) -> None:
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s %s -> %s in %.3fs (attempt %d, %s)",
                request.method,
                self._safe_url(request),
                outcome,
                time.monotonic() - started,
                attempt,
                options.operation_id,
            )


class SyncAPIClient(BaseClient):
    """Sends with an `httpx.Client`; one it created is closed with the client, a caller's is not."""

    _response_class = APIResponse

    def __init__(self, *, http_client: httpx.Client | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.Client()
        self._sleep: Callable[[float], None] = time.sleep

    def close(self) -> None:
        """Closes the HTTP connections, when this client opened them."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def request(self, options: RequestOptions, cast_to: type[T]) -> T:
        """Sends one operation call, retrying as the policy allows, and parses the answer (or, for
        `with_raw_response` and `with_streaming_response`, hands back the response to parse)."""
        mode = response_mode.get()
        policy = self._policy(options)
        started = self._clock()
        retry = 0
        sources = self._token_sources(options)
        refreshed = False
        while True:
            request = self._build_request(self._http, options, {k: self._token(s) for k, s in sources.items()})
            sent_at = time.monotonic()
            try:
                response = self._http.send(request, stream=cast_to is BinaryResponse or mode == "stream")
            except httpx.TransportError as exc:
                self._log(options, request, type(exc).__name__, sent_at, retry + 1)
                wait = self._next_wait(policy, retry, started, None, exc, options)
                if wait is None:
                    raise self._connection_error(exc, request, options, retry) from exc
                self._sleep(wait)
                retry += 1
                continue
            self._log(options, request, str(response.status_code), sent_at, retry + 1)
            if response.is_success and mode != "parsed":
                return cast(T, self._handed_back(response, cast_to, options))
            if response.is_success:
                return self._parse(response, cast_to, options)
            if response.status_code == 401 and sources and not refreshed:
                # The token may have been revoked before its time: fetch a new one, once.
                response.close()
                for source in sources.values():
                    source.invalidate()
                refreshed = True
                continue
            wait = self._next_wait(policy, retry, started, response)
            if wait is None:
                response.read()
                raise self._status_error(response, options)
            response.close()
            self._sleep(wait)
            retry += 1

    def _token(self, source: ClientCredentials) -> str:
        with source.lock:
            token = source.current(self._clock())
            if token is not None:
                return token
            response = self._http.send(source.build_request(self._http, self.base_url))
            if not response.is_success:
                raise make_status_error(response, None, url=self._safe_url(response.request))
            return source.store(response, self._clock())


class AsyncAPIClient(BaseClient):
    """Sends with an `httpx.AsyncClient`; one it created is closed with the client, a caller's is not."""

    _response_class = AsyncAPIResponse

    def __init__(self, *, http_client: httpx.AsyncClient | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        self._sleep: Callable[[float], Any] = asyncio.sleep

    async def close(self) -> None:
        """Closes the HTTP connections, when this client opened them."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def request(self, options: RequestOptions, cast_to: type[T]) -> T:
        """Sends one operation call, retrying as the policy allows, and parses the answer (or, for
        `with_raw_response` and `with_streaming_response`, hands back the response to parse)."""
        mode = response_mode.get()
        policy = self._policy(options)
        started = self._clock()
        retry = 0
        sources = self._token_sources(options)
        refreshed = False
        while True:
            tokens = {k: await self._token(s) for k, s in sources.items()}
            request = self._build_request(self._http, options, tokens)
            sent_at = time.monotonic()
            try:
                response = await self._http.send(request, stream=cast_to is AsyncBinaryResponse or mode == "stream")
            except httpx.TransportError as exc:
                self._log(options, request, type(exc).__name__, sent_at, retry + 1)
                wait = self._next_wait(policy, retry, started, None, exc, options)
                if wait is None:
                    raise self._connection_error(exc, request, options, retry) from exc
                await self._sleep(wait)
                retry += 1
                continue
            self._log(options, request, str(response.status_code), sent_at, retry + 1)
            if response.is_success and mode != "parsed":
                return cast(T, self._handed_back(response, cast_to, options))
            if response.is_success:
                return self._parse(response, cast_to, options)
            if response.status_code == 401 and sources and not refreshed:
                await response.aclose()
                for source in sources.values():
                    source.invalidate()
                refreshed = True
                continue
            wait = self._next_wait(policy, retry, started, response)
            if wait is None:
                await response.aread()
                raise self._status_error(response, options)
            await response.aclose()
            await self._sleep(wait)
            retry += 1

    async def _token(self, source: ClientCredentials) -> str:
        async with source.async_lock:
            token = source.current(self._clock())
            if token is not None:
                return token
            response = await self._http.send(source.build_request(self._http, self.base_url))
            if not response.is_success:
                raise make_status_error(response, None, url=self._safe_url(response.request))
            return source.store(response, self._clock())


# Bodies from this size up are decoded with CPython's cycle collector paused (see below).
_LARGE_BODY = 1 << 20
_collector_lock = threading.Lock()
_collector_pauses = 0
_collector_was_enabled = False


@contextlib.contextmanager
def _collector_paused(size: int) -> Iterator[None]:
    """Pauses the cycle collector while a large body becomes models, for a client made with
    `pause_collector=True` (the collector is the whole process's: the SDK leaves it alone otherwise).

    Decoding builds a tree of many small objects that cannot hold a reference cycle; meanwhile the
    collector, triggered every few hundred allocations, keeps rescanning the whole heap and finds
    nothing: on a 10 MB page that is most of the decode time. Pauses nest across threads; the last
    one out restores the collector as it found it (left off if the program had turned it off).
    """
    global _collector_pauses, _collector_was_enabled
    if size < _LARGE_BODY:
        yield
        return
    with _collector_lock:
        if _collector_pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_pauses += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses -= 1
            if _collector_pauses == 0 and _collector_was_enabled:
                _promote_to_oldest_generation()
                gc.enable()


def _promote_to_oldest_generation() -> None:
    """Moves what a decode built straight to the collector's oldest generation, unscanned.

    Re-enabled, the collector would otherwise start with one young pass over every object of the
    page only to find them all alive (0.2 s for a 10 MB page, as long as the decode itself); they
    would reach the oldest generation after two such passes anyway. `freeze()` then `unfreeze()` is
    the standard library's way to move every tracked object there; it is skipped when the program
    keeps objects frozen of its own (a pre-fork server), which `unfreeze()` would thaw. Young
    garbage cycles moved along with them are collected by the next full collection.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def serialize_body(body: object, model: type[BaseModel], call: str, argument: str) -> dict[str, Any] | None:
    """A request body as JSON data: a model as set, a dict checked against the model first."""
    if body is None:
        return None
    return _checked_body(body, model, call, argument).to_wire()


def multipart_body(
    body: object, model: type[BaseModel], call: str, argument: str
) -> tuple[dict[str, object], dict[str, FileContent]]:
    """A multipart body as its fields and its file parts: every bytes value (the document's
    `format: binary`) is a file named after its field, everything else a field as a form writes it."""
    if body is None:
        return {}, {}
    checked = _checked_body(body, model, call, argument)
    values = checked.model_dump(by_alias=True, exclude_unset=True, context={"request": True})
    files: dict[str, FileContent] = {name: (name, v) for name, v in values.items() if isinstance(v, bytes)}
    python_names = {field.serialization_alias or name: name for name, field in type(checked).model_fields.items()}
    fields = checked.model_dump(
        mode="json",
        by_alias=True,
        exclude_unset=True,
        exclude={python_names.get(name, name) for name in files},
        context={"request": True},
    )
    return fields, files


def _checked_body(body: object, model: type[BaseModel], call: str, argument: str) -> BaseModel:
    """The body as its model, refused before anything is sent when the server could not take it as
    meant: a misspelt field would be dropped or rejected there, a value outside an enum likewise."""
    if isinstance(body, BaseModel):
        checked = body
    else:
        try:
            checked = model.model_validate(body)
        except pydantic.ValidationError as exc:
            raise RequestValidationError(call, _validation_problems(exc, argument)) from exc
    problems = list(unknown_values(checked, argument))
    if problems:
        raise RequestValidationError(call, problems)
    return checked


def _validation_problems(exc: pydantic.ValidationError, argument: str) -> list[str]:
    problems = []
    for error in exc.errors(include_url=False):
        place = argument + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
        shown = repr(error["input"])
        shown = shown if len(shown) <= _SHOWN_INPUT else shown[: _SHOWN_INPUT - 3] + "..."
        problems.append(f"{place}: {error['msg']} (got {shown})")
    return problems


def _path_segment(value: object) -> str:
    text = value.value if hasattr(value, "value") and isinstance(value.value, str) else str(value)
    # Every reserved character is escaped, and so are dot-segments, which servers would resolve.
    if text in (".", ".."):
        return text.replace(".", "%2E")
    return quote(text, safe="")


def _query(query: Mapping[str, object]) -> dict[str, str]:
    """Query or header parameters as text; None means "not sent"."""
    params: dict[str, str] = {}
    for name, value in query.items():
        if value is None:
            continue
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        elif hasattr(value, "value"):
            params[name] = str(value.value)
        else:
            params[name] = str(value)
    return params


def _form(data: Mapping[str, object]) -> dict[str, Any]:
    """Form fields as text: lists repeat their field, None leaves it out, other values are written as
    the query does; a nested object, which a form cannot hold, is sent as JSON."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        items = value if isinstance(value, list | tuple) else [value]
        texts = [json.dumps(v) if isinstance(v, dict) else _query({name: v}).get(name, "") for v in items]
        fields[name] = texts if isinstance(value, list | tuple) else texts[0]
    return fields


def _is_json(content_type: str) -> bool:
    base = content_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _checked_base_url(url: object) -> str:
    """The server URL, refused at once when httpx could never send to it (every call would fail)."""
    if not isinstance(url, str):
        raise TypeError(f"server_url must be a str, not {type(url).__name__}")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"server_url {url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        hint = f"; did you mean 'https://{url}'?" if "://" not in url else ""
        raise ValueError(f"server_url {url!r} is not an http:// or https:// URL with a host{hint}")
    return url.rstrip("/")


def checked_max_retries(max_retries: object) -> int:
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise TypeError(f"max_retries must be a number of retries (0 or more), not {max_retries!r}")
    return max_retries


def _checked_retry_config(retry_config: object) -> RetryConfig:
    if not isinstance(retry_config, RetryConfig):
        raise TypeError(f"retry_config must be a RetryConfig, not {type(retry_config).__name__}")
    return retry_config


def _checked_timeout(timeout: object, name: str) -> Timeout:
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > 0:
        return float(timeout)
    raise TypeError(f"{name} must be a number of seconds above 0, an httpx.Timeout or None, not {timeout!r}")


# Failures raised before any byte of the request left: retrying cannot repeat a write.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures no retry can mend: the request itself cannot be sent as given.
_NEVER_RETRIED = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)


def _before_sending(exc: httpx.TransportError) -> bool:
    return isinstance(exc, _NOT_SENT)


def _idempotent(options: RequestOptions | None, request: httpx.Request) -> bool:
    """Idempotent by method or the document's mark, or made so by an Idempotency-Key the server dedupes by."""
    return (options is not None and options.idempotent) or "idempotency-key" in request.headers


def _retryable(exc: httpx.TransportError, options: RequestOptions | None, policy: RetryConfig) -> bool:
    """A connection failure is retried when the policy says so and repeating it is safe: nothing was
    sent yet, or the operation is idempotent. A POST whose connection broke after sending may have
    been acted on (a customer created), and sending it again would do it twice."""
    if not policy.retry_connection_errors or isinstance(exc, _NEVER_RETRIED):
        return False
    return _before_sending(exc) or (exc.request is not None and _idempotent(options, exc.request))


def _cause(exc: httpx.TransportError, request: httpx.Request) -> str:
    host = request.url.host + (f":{request.url.port}" if request.url.port else "")
    text = " ".join(str(e) for e in _chain(exc)).lower()
    limit = request.extensions.get("timeout", {})
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connecting to {host} timed out after {limit.get('connect')} s"
    if isinstance(exc, httpx.ReadTimeout):
        return f"{host} sent no response within {limit.get('read')} s"
    if isinstance(exc, httpx.WriteTimeout):
        return f"sending to {host} timed out after {limit.get('write')} s"
    if isinstance(exc, httpx.PoolTimeout):
        return f"no free connection to {host} within {limit.get('pool')} s"
    if isinstance(exc, httpx.ConnectError):
        if any(isinstance(e, ssl.SSLError) for e in _chain(exc)) or "ssl" in text or "certificate" in text:
            return f"the TLS handshake with {host} failed: {exc}"
        if "refused" in text:
            return f"{host} refused the connection (is the server running, and on that port?)"
        if any(w in text for w in ("name or service", "nodename", "name resolution", "getaddrinfo", "no address")):
            return f"the host name {request.url.host!r} did not resolve (DNS): {exc}"
        return f"could not connect to {host}: {exc or type(exc).__name__}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{host} closed the connection without a complete response: {exc or type(exc).__name__}"
    return f"the connection to {host} failed: {type(exc).__name__}: {exc}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
