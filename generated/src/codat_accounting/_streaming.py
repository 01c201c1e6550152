"""Binary response bodies that are read as they arrive, so a large download never sits in memory."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import BinaryIO

import httpx

DEFAULT_CHUNK_SIZE = 64 * 1024


class _Body:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        value: str | None = self.response.headers.get("content-type")
        return value


class BinaryResponse(_Body):
    """A streamed body: iterate it in chunks, `write_to` a file, or `read()` it whole. Close when done."""

    def iter_bytes(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """The body in chunks of at most `chunk_size` bytes; the connection is released at the end."""
        try:
            yield from self.response.iter_bytes(chunk_size)
        finally:
            self.response.close()

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_bytes()

    def read(self) -> bytes:
        """The whole body (held in memory)."""
        try:
            return self.response.read()
        finally:
            self.response.close()

    def write_to(self, target: str | os.PathLike[str] | BinaryIO, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
        """Writes the body to a path or an open binary file, chunk by chunk; returns the byte count."""
        if isinstance(target, str | os.PathLike):
            with open(target, "wb") as file:
                return self.write_to(file, chunk_size)
        written = 0
        for chunk in self.iter_bytes(chunk_size):
            target.write(chunk)
            written += len(chunk)
        return written

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryResponse(_Body):
    """A streamed body for the async client: `async for` chunks, `await write_to(...)`, `await read()`."""

    async def iter_bytes(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> AsyncIterator[bytes]:
        """The body in chunks of at most `chunk_size` bytes; the connection is released at the end."""
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        finally:
            await self.response.aclose()

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self.iter_bytes()

    async def read(self) -> bytes:
        """The whole body (held in memory)."""
        try:
            return await self.response.aread()
        finally:
            await self.response.aclose()

    async def write_to(self, target: str | os.PathLike[str] | BinaryIO, chunk_size: int = DEFAULT_CHUNK_SIZE) -> int:
        """Writes the body to a path or an open binary file, chunk by chunk; returns the byte count."""
        if isinstance(target, str | os.PathLike):
            with open(target, "wb") as file:
                return await self.write_to(file, chunk_size)
        written = 0
        async for chunk in self.iter_bytes(chunk_size):
            target.write(chunk)
            written += len(chunk)
        return written

    async def close(self) -> None:
        await self.response.aclose()

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
