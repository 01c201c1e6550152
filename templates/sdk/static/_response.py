"""Raw and streamed responses: `client.X.with_raw_response.op(...)` and `.with_streaming_response`.

Either gives the HTTP response (status, headers, the `httpx.Response` itself) beside the typed result,
which `.parse()` returns exactly as the plain call would. The wrappers keep each method's signature,
so type checkers see the same arguments. Failure statuses still raise the typed errors.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, Literal, ParamSpec, TypeVar, cast

import httpx

P = ParamSpec("P")
R = TypeVar("R")

# How the call in progress hands back its response: parsed (the default), raw (read), or streamed.
response_mode: contextvars.ContextVar[Literal["parsed", "raw", "stream"]] = contextvars.ContextVar(
    "response_mode", default="parsed"
)


def warn_deprecated(message: str) -> None:
    """A DeprecationWarning at the caller's line, past the SDK's own frames (the method, and the raw or
    streamed wrapper with its contextlib frame when there is one), so that warning filters and reports
    name the caller's code."""
    package = __name__.rpartition(".")[0] + "."
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and (
        frame.f_globals.get("__name__", "").startswith(package) or frame.f_code.co_filename == contextlib.__file__
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, DeprecationWarning, stacklevel=level)


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_response.request.method

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.method} {self.url.copy_with(query=None)}>"


class APIResponse(_Response, Generic[R]):
    """One call's HTTP response and, through `parse()`, its typed result."""

    def __init__(self, response: httpx.Response, parse: Callable[[], R], body_streams: bool = False) -> None:
        super().__init__(response)
        self._parse = parse
        # A download's result is itself the streamed body: parse() must not read it first.
        self._body_streams = body_streams
        self._parsed: list[R] = []

    def parse(self) -> R:
        """The typed result, as the plain call returns it (the body is read first when streamed)."""
        if not self._parsed:
            if not self._body_streams:
                self.http_response.read()
            self._parsed.append(self._parse())
        return self._parsed[0]

    def read(self) -> bytes:
        """The body's bytes (read from the network first when streamed)."""
        return self.http_response.read()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks, as it arrives (streamed responses)."""
        return self.http_response.iter_bytes(chunk_size)

    def close(self) -> None:
        self.http_response.close()


class AsyncAPIResponse(_Response, Generic[R]):
    """One async call's HTTP response and, through `await parse()`, its typed result."""

    def __init__(self, response: httpx.Response, parse: Callable[[], R], body_streams: bool = False) -> None:
        super().__init__(response)
        self._parse = parse
        self._body_streams = body_streams
        self._parsed: list[R] = []

    async def parse(self) -> R:
        """The typed result, as the plain call returns it (the body is read first when streamed)."""
        if not self._parsed:
            if not self._body_streams:
                await self.http_response.aread()
            self._parsed.append(self._parse())
        return self._parsed[0]

    async def read(self) -> bytes:
        return await self.http_response.aread()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    async def close(self) -> None:
        await self.http_response.aclose()


def to_raw_response_wrapper(method: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """`method` made to return its APIResponse, body read."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = response_mode.set("raw")
        try:
            return cast(APIResponse[R], method(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


def to_streamed_response_wrapper(
    method: Callable[P, R],
) -> Callable[P, contextlib.AbstractContextManager[APIResponse[R]]]:
    """`method` made to return a context manager of its APIResponse, body not read until asked."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> contextlib.AbstractContextManager[APIResponse[R]]:
        @contextlib.contextmanager
        def streamed() -> Iterator[APIResponse[R]]:
            token = response_mode.set("stream")
            try:
                response = cast(APIResponse[R], method(*args, **kwargs))
            finally:
                response_mode.reset(token)
            try:
                yield response
            finally:
                response.close()

        return streamed()

    return wrapped


def async_to_raw_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]:
    """The async `method` made to return its AsyncAPIResponse, body read."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
        token = response_mode.set("raw")
        try:
            return cast(AsyncAPIResponse[R], await method(*args, **kwargs))
        finally:
            response_mode.reset(token)

    return wrapped


def async_to_streamed_response_wrapper(
    method: Callable[P, Awaitable[R]],
) -> Callable[P, contextlib.AbstractAsyncContextManager[AsyncAPIResponse[R]]]:
    """The async `method` made to return an async context manager of its AsyncAPIResponse."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> contextlib.AbstractAsyncContextManager[AsyncAPIResponse[R]]:
        @contextlib.asynccontextmanager
        async def streamed() -> AsyncIterator[AsyncAPIResponse[R]]:
            token = response_mode.set("stream")
            try:
                response = cast(AsyncAPIResponse[R], await method(*args, **kwargs))
            finally:
                response_mode.reset(token)
            try:
                yield response
            finally:
                await response.close()

        return streamed()

    return wrapped
