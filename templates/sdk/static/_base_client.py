"""HTTP plumbing shared by every client: request building, retries, error mapping and parsing."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import gc
import logging
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any, TypeVar, cast
from urllib.parse import quote

import anyio
import httpx
import pydantic

from ._auth import ClientCredentials, Credentials, Requirement, Role, Values
from ._exceptions import (
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    RequestValidationError,
    ResponseDecodingError,
    ResponseTooLargeError,
    ResponseValidationError,
    make_status_error,
    shown_url,
)
from ._files import FilePart, is_file
from ._json import dumps, loads
from ._models import EXACT, BaseModel, tolerant, type_adapter, unknown_values, validation_problems
from ._params import Parameter, checked, cookie_value, header_value, path_segment, query_pairs
from ._response import APIResponse, AsyncAPIResponse, response_mode
from ._retries import RetryConfig
from ._streaming import AsyncBinaryResponse, BinaryResponse
from ._types import NOT_GIVEN, FileContent, NotGiven, Timeout

T = TypeVar("T")
_Client = TypeVar("_Client", bound="BaseClient")
log = logging.getLogger(__package__ or "codat")

# A response validation error's message lists this many failing fields (`problems` has them all).
_SHOWN_PROBLEMS = 5
# How much of a body that is not JSON a message shows (a page of HTML: its first line or two).
_SHOWN_BODY = 80


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
    # Path, query, header and cookie parameters, in the document's order, checked before sending.
    params: tuple[Parameter, ...] = ()
    # A form's fields (urlencoded, or multipart beside `files`).
    data: Mapping[str, object] | None = None
    # A JSON body, checked (`json_body`), to be written with `extra_body`'s fields.
    json: object | None = None
    # Raw bytes.
    content: bytes | None = None
    files: Mapping[str, FileContent] | None = None
    content_type: str | None = None
    accept: str = "application/json"
    timeout: Timeout | NotGiven = NOT_GIVEN
    retries: RetryConfig | int | NotGiven | None = NOT_GIVEN
    extra_headers: Mapping[str, str] | None = None
    # What the document does not declare, sent as given: the caller's way round the typo guard.
    extra_query: Mapping[str, object] | None = None
    extra_body: Mapping[str, object] | None = None
    security: Requirement = ()
    # The document's schema for each failure status ("404", "4XX", "default"), to parse the body by.
    errors: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """A call's parameters as they travel: the URL without its query, the query's encoded pieces, the
    parameters' headers and the Cookie header's pieces."""

    url: str
    query: list[str]
    headers: dict[str, str]
    cookies: list[str]
    # The body as it travels: JSON written, or a form's fields (extra_body's among them), and files.
    content: bytes | None
    data: Mapping[str, object] | None
    files: dict[str, FilePart]

    @property
    def repeatable(self) -> bool:
        """Whether another attempt can send the same body (a file that cannot be rewound is sent once)."""
        return all(part.repeatable for part in self.files.values())

    def close(self) -> None:
        """Closes the files the call opened from paths."""
        for part in self.files.values():
            part.close()


@dataclass(frozen=True)
class Deadline:
    """When an attempt must be over (a `time.monotonic()` reading), and the timeout it comes from."""

    at: float
    seconds: float


class AttemptTimeout(httpx.ReadTimeout):
    """The call's timeout ran out before the whole response had come (a server sending it slowly)."""

    def __init__(self, seconds: float, request: httpx.Request) -> None:
        super().__init__(f"the response did not come whole within {seconds:g} s", request=request)
        self.seconds = seconds


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
        max_response_size: int,
    ) -> None:
        self.base_url = _checked_base_url(base_url)
        self.max_response_size = _checked_size(max_response_size)
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
        max_response_size: int | None = None,
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
        if max_response_size is not None:
            clone.max_response_size = _checked_size(max_response_size)
        return clone

    def __repr__(self) -> str:
        # Never the credentials (nor a password in the server URL): a repr ends up in logs and tracebacks.
        return f"{type(self).__name__}(base_url={shown_url(self.base_url)!r})"

    def _prepared(self, options: RequestOptions) -> Prepared:
        """The call's parameters checked against their types and written as their styles say, and its
        body written, once for every attempt; RequestValidationError before anything is sent when one
        is wrong."""
        path, query, headers, cookies, problems = options.path, [], {}, [], []
        for param in options.params:
            value, found = checked(param)
            problems += found
            if found or value is None:
                continue
            if param.location == "path":
                try:
                    path = path.replace("{" + param.wire_name + "}", path_segment(param, value))
                except ValueError as exc:
                    problems.append(str(exc))
            elif param.location == "query":
                query += query_pairs(param, value)
            elif param.location == "header":
                headers[param.wire_name] = header_value(param, value)
            else:
                cookies.append(cookie_value(param, value))
        for name, value in (options.extra_query or {}).items():
            query += query_pairs(Parameter(name, name, "query", value, Any), value)
        if problems:
            raise RequestValidationError(options.call or options.operation_id, problems)
        content, data = options.content, options.data
        if options.extra_body and not _is_json(options.content_type or ""):
            data = {**(options.data or {}), **options.extra_body}
        elif options.json is not None or options.extra_body:
            content = _written(options.json, options.extra_body or {}, options.call or options.operation_id)
        files = _parts(options.files or {}, options.call or options.operation_id)
        return Prepared(self.base_url + path, query, headers, cookies, content, data, files)

    def _safe_url(self, request: httpx.Request) -> str:
        """The request's URL for messages and logs: credentials in its userinfo or query masked."""
        return shown_url(request.url, self._credentials.secret_query_names())

    def _deadline(self, options: RequestOptions) -> Deadline | None:
        """When an attempt must be over: the call's timeout bounds the whole of it (connect, send and
        every read), where httpx's own bounds each read, so a server trickling its body byte by byte
        cannot hold a call for ever. An `httpx.Timeout` bounds it by its longest phase."""
        timeout = self.timeout if isinstance(options.timeout, NotGiven) else options.timeout
        if isinstance(timeout, httpx.Timeout):
            phases = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t is not None]
            timeout = max(phases) if phases else None
        return None if timeout is None else Deadline(time.monotonic() + float(timeout), float(timeout))

    def _checked_part(self, response: httpx.Response, size: int, deadline: Deadline | None) -> None:
        """Stops reading a body that grew past `max_response_size` (decompressed: a small gzip bomb
        would otherwise fill the memory) or that is still coming when the attempt's time is up."""
        if size > self.max_response_size:
            raise ResponseTooLargeError(
                f"{response.request.method} {self._safe_url(response.request)}: the response body is larger than"
                f" max_response_size ({self.max_response_size} bytes, decompressed); it was not read further",
                response,
            )
        if deadline is not None and time.monotonic() > deadline.at:
            raise AttemptTimeout(deadline.seconds, request=response.request)

    def _undecodable(self, exc: httpx.DecodingError, response: httpx.Response) -> ResponseDecodingError:
        encoding = response.headers.get("content-encoding", "its Content-Encoding")
        return ResponseDecodingError(
            f"{response.request.method} {self._safe_url(response.request)}: the response body does not decode"
            f" as {encoding} says: {exc}",
            response,
        )

    def _redirect_loop(self, exc: httpx.TooManyRedirects, request: httpx.Request) -> APIConnectionError:
        return APIConnectionError(
            request, f"{request.method} {self._safe_url(request)}: redirected too many times (a loop?): {exc}"
        )

    def _build_request(
        self,
        client: httpx.Client | httpx.AsyncClient,
        options: RequestOptions,
        prepared: Prepared,
        values: Values,
        tokens: Mapping[str, str],
    ) -> httpx.Request:
        keys = self._credentials.choose(options.security, options.operation_id)
        credentials = self._credentials.place(keys, values, tokens)
        headers = {**self._default_headers, "Accept": options.accept, **credentials.headers}
        has_body = prepared.content is not None or prepared.data is not None
        if options.content_type is not None and options.files is None and has_body:
            headers["Content-Type"] = options.content_type  # multipart: httpx writes it with the boundary
        headers.update(prepared.headers)
        cookies = [
            *prepared.cookies,
            *(f"{name}={quote(value, safe='')}" for name, value in credentials.cookies.items()),
        ]
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        headers.update(options.extra_headers or {})
        timeout = (
            self.timeout if isinstance(options.timeout, NotGiven) else _checked_timeout(options.timeout, "timeout")
        )
        query = [*prepared.query, *(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in credentials.query.items())]
        return client.build_request(
            options.method,
            prepared.url + ("?" + "&".join(query) if query else ""),
            headers=headers,
            data=_form(prepared.data) if prepared.data is not None else None,
            content=prepared.content,
            files={name: part.for_attempt() for name, part in prepared.files.items()} or None,
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
                error = _decoded(response.content, schema)
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
                parsed: Any = _decoded(response.content, cast_to)
            if self._strict_responses:
                self._strict_check(parsed, options, response)
            return cast(T, parsed)
        except pydantic.ValidationError as exc:
            if not self._strict_responses:
                tolerated = self._tolerated(response, cast_to, options)
                if tolerated is not None:
                    return cast(T, tolerated[0])
            problems = validation_problems(exc, "response")
            media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if media and not _is_json(media) and all(e["type"] == "json_invalid" for e in exc.errors()):
                # Not JSON, and not labelled as JSON: a proxy's or a login page's HTML, most often.
                begins = repr(response.content[:_SHOWN_BODY]) + ("..." if len(response.content) > _SHOWN_BODY else "")
                raise ResponseValidationError(
                    f"{options.call or options.operation_id}: the response is {media}, not the JSON of "
                    f"{getattr(cast_to, '__name__', cast_to)} the API document describes (status "
                    f"{response.status_code}, {len(response.content)} bytes: {begins})",
                    response=response,
                    problems=problems,
                ) from exc
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
            result = tolerant(cast_to, _json_data(response.content, cast_to), "response", missing)
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
        prepared = self._prepared(options)
        try:
            return self._attempts(options, cast_to, prepared)
        finally:
            prepared.close()

    def _attempts(self, options: RequestOptions, cast_to: type[T], prepared: Prepared) -> T:
        mode = response_mode.get()
        policy = self._policy(options)
        if not prepared.repeatable:
            policy = None  # a file that cannot be rewound cannot be sent again: its call is tried once
        started = self._clock()
        retry = 0
        sources = self._token_sources(options)
        refreshed = False
        while True:
            # Credentials given as callables are called for each attempt: a rotated key is picked up.
            values = self._credentials.resolved(self._credentials.choose(options.security, options.operation_id))
            tokens = {k: self._token(s, values[k]) for k, s in sources.items()}
            request = self._build_request(self._http, options, prepared, values, tokens)
            sent_at = time.monotonic()
            deadline = self._deadline(options)
            try:
                response = self._http.send(request, stream=True)
                if response.is_success and not (cast_to is BinaryResponse or mode == "stream"):
                    self._read(response, deadline)
            except httpx.TransportError as exc:
                self._log(options, request, type(exc).__name__, sent_at, retry + 1)
                wait = self._next_wait(policy, retry, started, None, exc, options)
                if wait is None:
                    raise self._connection_error(exc, request, options, retry) from exc
                self._sleep(wait)
                retry += 1
                continue
            except httpx.TooManyRedirects as exc:
                raise self._redirect_loop(exc, request) from exc
            self._log(options, request, str(response.status_code), sent_at, retry + 1)
            if response.is_success and mode != "parsed":
                return cast(T, self._handed_back(response, cast_to, options))
            if response.is_success:
                return self._parse(response, cast_to, options)
            if response.status_code == 401 and sources and not refreshed and prepared.repeatable:
                # The token may have been revoked before its time: fetch a new one, once.
                response.close()
                for source in sources.values():
                    source.invalidate()
                refreshed = True
                continue
            wait = self._next_wait(policy, retry, started, response)
            if wait is None:
                self._read_failure(response, deadline)
                raise self._status_error(response, options)
            response.close()
            self._sleep(wait)
            retry += 1

    def _read(self, response: httpx.Response, deadline: Deadline | None) -> None:
        """Reads the body as `httpx.Response.read()` does, but bounded: no larger, decompressed, than
        `max_response_size`, and over by the attempt's deadline."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                self._checked_part(response, size, deadline)
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            raise self._undecodable(exc, response) from exc
        finally:
            response.close()
        response._content = b"".join(chunks)  # what read() itself keeps: `content` is then the body

    def _read_failure(self, response: httpx.Response, deadline: Deadline | None) -> None:
        """A failure's body, for its error; one that cannot be read is left empty: the status stands."""
        try:
            self._read(response, deadline)
        except (httpx.TransportError, APIResponseError):
            response._content = b""

    def _token(self, source: ClientCredentials, values: Mapping[Role, str]) -> str:
        with source.lock:
            token = source.current(self._clock())
            if token is not None:
                return token
            response = self._http.send(source.build_request(self._http, self.base_url, values))
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
        prepared = self._prepared(options)
        try:
            return await self._attempts(options, cast_to, prepared)
        finally:
            prepared.close()

    async def _attempts(self, options: RequestOptions, cast_to: type[T], prepared: Prepared) -> T:
        mode = response_mode.get()
        policy = self._policy(options)
        if not prepared.repeatable:
            policy = None  # a file that cannot be rewound cannot be sent again: its call is tried once
        started = self._clock()
        retry = 0
        sources = self._token_sources(options)
        refreshed = False
        while True:
            # Credentials given as callables are called (and awaited) for each attempt.
            values = await self._credentials.aresolved(self._credentials.choose(options.security, options.operation_id))
            tokens = {k: await self._token(s, values[k]) for k, s in sources.items()}
            request = self._build_request(self._http, options, prepared, values, tokens)
            sent_at = time.monotonic()
            deadline = self._deadline(options)
            try:
                with _failing_after(deadline, request):
                    response = await self._http.send(request, stream=True)
                    if response.is_success and not (cast_to is AsyncBinaryResponse or mode == "stream"):
                        await self._read(response, deadline)
            except httpx.TransportError as exc:
                self._log(options, request, type(exc).__name__, sent_at, retry + 1)
                wait = self._next_wait(policy, retry, started, None, exc, options)
                if wait is None:
                    raise self._connection_error(exc, request, options, retry) from exc
                await self._sleep(wait)
                retry += 1
                continue
            except httpx.TooManyRedirects as exc:
                raise self._redirect_loop(exc, request) from exc
            self._log(options, request, str(response.status_code), sent_at, retry + 1)
            if response.is_success and mode != "parsed":
                return cast(T, self._handed_back(response, cast_to, options))
            if response.is_success:
                return self._parse(response, cast_to, options)
            if response.status_code == 401 and sources and not refreshed and prepared.repeatable:
                await response.aclose()
                for source in sources.values():
                    source.invalidate()
                refreshed = True
                continue
            wait = self._next_wait(policy, retry, started, response)
            if wait is None:
                await self._read_failure(response, deadline, request)
                raise self._status_error(response, options)
            await response.aclose()
            await self._sleep(wait)
            retry += 1

    async def _read(self, response: httpx.Response, deadline: Deadline | None) -> None:
        """Reads the body as `httpx.Response.aread()` does, but bounded: no larger, decompressed, than
        `max_response_size`, and over by the attempt's deadline."""
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                self._checked_part(response, size, deadline)
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            raise self._undecodable(exc, response) from exc
        finally:
            await response.aclose()
        response._content = b"".join(chunks)  # what aread() itself keeps: `content` is then the body

    async def _read_failure(self, response: httpx.Response, deadline: Deadline | None, request: httpx.Request) -> None:
        """A failure's body, for its error; one that cannot be read is left empty: the status stands."""
        try:
            with _failing_after(deadline, request):
                await self._read(response, deadline)
        except (httpx.TransportError, APIResponseError):
            response._content = b""

    async def _token(self, source: ClientCredentials, values: Mapping[Role, str]) -> str:
        async with source.async_lock:
            token = source.current(self._clock())
            if token is not None:
                return token
            response = await self._http.send(source.build_request(self._http, self.base_url, values))
            if not response.is_success:
                raise make_status_error(response, None, url=self._safe_url(response.request))
            return source.store(response, self._clock())


@contextlib.contextmanager
def _failing_after(deadline: Deadline | None, request: httpx.Request) -> Iterator[None]:
    """Cancels what the async client awaits inside once the attempt's deadline passes, as an
    AttemptTimeout: the response headers too, which the deadline checks between body chunks miss."""
    if deadline is None:
        yield
        return
    try:
        with anyio.fail_after(max(0.0, deadline.at - time.monotonic())):
            yield
    except TimeoutError:
        raise AttemptTimeout(deadline.seconds, request=request) from None


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


def _decoded(content: bytes, tp: Any) -> Any:
    """A JSON body as type `tp`. A type that holds a Decimal reads numbers with their digits (pydantic's
    own JSON reader takes them through a float, and `0.10` or a 30-digit amount would change); any
    other takes pydantic's faster path."""
    if not _holds_decimal(tp):
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp.model_validate_json(content)
        return type_adapter(tp).validate_json(content)
    try:
        data = loads(content)
    except ValueError:
        return type_adapter(tp).validate_json(content)  # pydantic's own account of the broken JSON
    return type_adapter(tp).validate_python(data, context=_RESPONSE)


_RESPONSE = {"response": True}


def _json_data(content: bytes, tp: Any) -> Any:
    """The body as plain data, numbers read as `_decoded` reads them for `tp`."""
    return loads(content, exact=_holds_decimal(tp))


@functools.lru_cache(maxsize=256)
def _holds_decimal(tp: Any) -> bool:
    """Whether a value of `tp` may hold a Decimal anywhere (its core schema, definitions included)."""
    stack: list[Any] = [type_adapter(tp).core_schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "decimal":
                return True
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False


def json_body(body: object, tp: Any, call: str, argument: str) -> Any:
    """A JSON request body of any shape (a model, a union, a list or map of models, a scalar), models
    and dicts alike, checked against its type, as the data it sends (Decimals kept); None: no body."""
    if body is None:
        return None
    return _request_data(_checked_body(body, tp, call, argument), tp)


def _written(data: object, extra: Mapping[str, object], call: str) -> bytes:
    """A JSON body's bytes, with `extra_body`'s fields added to its object, every Decimal's digits kept."""
    if extra:
        if data is not None and not isinstance(data, dict):
            raise RequestValidationError(call, ["extra_body: the body is not an object, so it takes no fields"])
        data = {**(data or {}), **extra}
    try:
        return dumps(data)
    except ValueError as exc:
        raise RequestValidationError(call, [f"body: {exc}"]) from None


def form_body(body: object, model: type[BaseModel], call: str, argument: str) -> dict[str, Any] | None:
    """A form's fields: the model as set (a dict checked against it first), each value as text."""
    if body is None:
        return None
    return _checked_body(body, model, call, argument).to_wire()  # type: ignore[no-any-return]


def multipart_body(
    body: object, model: type[BaseModel], call: str, argument: str
) -> tuple[dict[str, object], dict[str, FileContent]]:
    """A multipart body as its fields and its file parts: every file (a field of the document's
    `format: binary`, given as bytes, a path, an open file or a tuple with its name) is a part of its
    own, everything else a field as a form writes it."""
    if body is None:
        return {}, {}
    checked = _checked_body(body, model, call, argument)
    # Files are taken as given, not dumped: pydantic would read an open file as it dumped it.
    files: dict[str, FileContent] = {}
    file_fields: set[str] = set()
    for name, info in type(checked).model_fields.items():
        value = getattr(checked, name)
        if name in checked.model_fields_set and is_file(value):
            files[info.serialization_alias or name] = value
            file_fields.add(name)
    fields = checked.model_dump(
        mode="json", by_alias=True, exclude_unset=True, exclude=file_fields, context={"request": True}
    )
    return fields, files


def _checked_body(body: object, tp: Any, call: str, argument: str) -> Any:
    """The body as its type, refused before anything is sent when the server could not take it as
    meant: a misspelt field would be dropped or rejected there, a value outside an enum likewise."""
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(body, tp):
        checked: Any = body
    else:
        try:
            checked = type_adapter(tp).validate_python(body)
        except pydantic.ValidationError as exc:
            raise RequestValidationError(call, validation_problems(exc, argument)) from exc
    problems = list(unknown_values(checked, argument))
    if problems and not isinstance(body, BaseModel):
        # A union may have taken a branch that only tolerates a value another branch lists (an open
        # enum's): validated again taking listed values only, the body fits that other branch.
        try:
            exact = type_adapter(tp).validate_python(body, context=EXACT)
        except pydantic.ValidationError:
            exact = None
        if exact is not None and not any(unknown_values(exact, argument)):
            return exact
    if problems:
        raise RequestValidationError(call, problems)
    return checked


def _request_data(value: Any, tp: Any) -> Any:
    """A checked body as plain data: wire names, only what was set, the request's shape (no read-only
    fields, no null the document does not allow), Decimals still Decimals for `dumps`."""
    if isinstance(value, BaseModel):
        return value.to_request()
    return type_adapter(tp).dump_python(value, mode="python", by_alias=True, exclude_unset=True, context=_REQUEST)


_REQUEST = {"request": True}


def _parts(files: Mapping[str, object], call: str) -> dict[str, FilePart]:
    """The request's file parts, paths opened; none left open when one of them is refused."""
    parts: dict[str, FilePart] = {}
    try:
        for name, given in files.items():
            parts[name] = FilePart.of(name, given)
    except ValueError as exc:
        for part in parts.values():
            part.close()
        raise RequestValidationError(call, [str(exc)]) from None
    return parts


def _form(data: Mapping[str, object]) -> dict[str, Any]:
    """Form fields as text: lists repeat their field, None leaves it out, booleans are `true` and
    `false`; a nested object, which a form cannot hold, is sent as JSON."""
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        items = value if isinstance(value, list | tuple) else [value]
        texts = [dumps(v).decode() if isinstance(v, dict) else _form_text(v) for v in items if v is not None]
        fields[name] = texts if isinstance(value, list | tuple) else texts[0]
    return fields


def _form_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def _is_json(content_type: str) -> bool:
    base = content_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _checked_base_url(url: object) -> str:
    """The server URL, refused at once when httpx could never send to it (every call would fail)."""
    if not isinstance(url, str):
        raise TypeError(f"server_url must be a str, not {type(url).__name__}")
    # Never the password of a URL with userinfo in the message, though the URL itself is unusable.
    shown = re.sub(r"(//[^/?#@]*?:)[^/?#]*@", r"\1***@", url)
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"server_url {shown!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        hint = f"; did you mean 'https://{shown}'?" if "://" not in url else ""
        raise ValueError(f"server_url {shown!r} is not an http:// or https:// URL with a host{hint}")
    return url.rstrip("/")


def _checked_size(size: object) -> int:
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise TypeError(f"max_response_size must be a number of bytes (1 or more), not {size!r}")
    return size


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
    if isinstance(exc, AttemptTimeout):
        return f"the response from {host} did not come whole within the call's timeout ({exc.seconds:g} s)"
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
