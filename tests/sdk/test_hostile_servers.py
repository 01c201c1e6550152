"""A client that survives its server: servers on 127.0.0.1 that trickle, lie about their encoding,
inflate, nest, loop or hand back odd headers, each met by the sync and the async client.

Every failure is one of the SDK's own errors with httpx's cause chained; nothing hangs past the call's
timeout, no body is read past `max_response_size`, and no password of the server URL shows.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from codat_accounting import (
    APIConnectionError,
    APITimeoutError,
    AsyncCodatAccounting,
    CodatAccounting,
    ResponseDecodingError,
    ResponseTooLargeError,
    ResponseValidationError,
)

from tests.sdk.test_customers import AUTH, COMPANY, CUSTOMER

Reply = Callable[[socket.socket], None]
CUSTOMER_PATH = f"/companies/{COMPANY}/data/customers/C-1"


@contextmanager
def raw_server(reply: Reply) -> Iterator[str]:
    """A server that reads each request's head and answers it with `reply`, which writes raw bytes."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    def answer(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            head = b""
            try:
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                reply(conn)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def respond(status: str, headers: dict[str, str], body: bytes) -> Reply:
    def reply(conn: socket.socket) -> None:
        lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), f"Content-Length: {len(body)}"]
        lines.append("Connection: close")  # each answer on a connection of its own, as the server closes it
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    return reply


def trickle(conn: socket.socket) -> None:
    """A valid JSON body, one byte every 0.25 s: each read is quick, the whole is not."""
    body = b'{"id": "C-1", "customerName": "Slow", "status": "Active"}'
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
    for byte in body:
        conn.sendall(bytes([byte]))
        time.sleep(0.25)


def call(mode: str, url: str, **client_options: Any) -> Any:
    """`customers.get` through the sync or the async client, with no retries."""
    options = {"auth_header": AUTH, "server_url": url, "max_retries": 0, **client_options}
    if mode == "sync":
        with CodatAccounting(**options) as client:
            return client.customers.get(company_id=COMPANY, customer_id="C-1")

    async def called() -> Any:
        async with AsyncCodatAccounting(**options) as client:
            return await client.customers.get(company_id=COMPANY, customer_id="C-1")

    return asyncio.run(called())


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_the_timeout_bounds_the_whole_call_not_each_read(mode: str) -> None:
    with raw_server(trickle) as url:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"did not come whole within the call's timeout \(1 s\)") as caught:
            call(mode, url, timeout=1.0)
        took = time.monotonic() - started
    # The body would take 14 s; the call ends at its 1 s, give or take one quick read.
    assert 0.9 < took < 2.5
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


@pytest.mark.parametrize("mode", MODES)
def test_a_body_that_is_not_the_gzip_it_claims_is_a_decoding_error(mode: str) -> None:
    reply = respond("200 OK", {"Content-Type": "application/json", "Content-Encoding": "gzip"}, b"not gzip at all")
    with raw_server(reply) as url, pytest.raises(ResponseDecodingError, match="does not decode as gzip") as caught:
        call(mode, url)
    assert isinstance(caught.value.__cause__, httpx.DecodingError)


@pytest.mark.parametrize("mode", MODES)
def test_a_gzip_bomb_is_not_inflated_past_the_size_limit(mode: str) -> None:
    bomb = gzip.compress(b" " * (256 << 20), compresslevel=9)
    assert len(bomb) < 300_000
    reply = respond("200 OK", {"Content-Type": "application/json", "Content-Encoding": "gzip"}, bomb)
    tracemalloc.start()
    try:
        with raw_server(reply) as url, pytest.raises(ResponseTooLargeError, match="larger than max_response_size"):
            call(mode, url, max_response_size=16 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Reading stops at the first chunk past the limit: what one network read of 64 KiB inflates to (gzip's
    # ratio tops out near 1,000, and zlib's output buffer grows by doubling), nowhere near the 256 MiB.
    assert peak < 200 << 20


def test_the_default_size_limit_is_far_above_a_real_page() -> None:
    page = 10_000 * len(str(CUSTOMER))
    with CodatAccounting(auth_header=AUTH) as client:
        assert client.max_response_size >= 10 * page
        assert client.with_options(max_response_size=1 << 20).max_response_size == 1 << 20
    with pytest.raises(TypeError, match="max_response_size must be a number of bytes"):
        CodatAccounting(auth_header=AUTH, max_response_size=0)


@pytest.mark.parametrize("mode", MODES)
def test_json_nested_past_any_reason_is_a_validation_error(mode: str) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    reply = respond("200 OK", {"Content-Type": "application/json"}, deep)
    with raw_server(reply) as url, pytest.raises(ResponseValidationError, match="recursion limit"):
        call(mode, url)


@pytest.mark.parametrize("mode", MODES)
def test_a_failure_whose_body_nests_past_reason_still_raises_its_status(mode: str) -> None:
    deep = b'{"message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    reply = respond("404 Not Found", {"Content-Type": "application/json"}, deep)
    with raw_server(reply) as url, pytest.raises(Exception) as caught:
        call(mode, url)
    assert type(caught.value).__name__ == "NotFoundError"


@pytest.mark.parametrize("mode", MODES)
def test_a_redirect_loop_on_a_client_that_follows_redirects_is_a_connection_error(mode: str) -> None:
    reply = respond("302 Found", {"Location": CUSTOMER_PATH}, b"")
    with raw_server(reply) as url:
        http = httpx.Client(follow_redirects=True) if mode == "sync" else httpx.AsyncClient(follow_redirects=True)
        with pytest.raises(APIConnectionError, match="redirected too many times") as caught:
            call(mode, url, http_client=http)
    assert isinstance(caught.value.__cause__, httpx.TooManyRedirects)


@pytest.mark.parametrize("header", ["²", "٣", "1e3", "-1"])
def test_retry_after_takes_ascii_digits_or_a_date_only(header: str) -> None:
    reply = respond("503 Service Unavailable", {"Retry-After": header, "Content-Type": "application/json"}, b"{}")
    with raw_server(reply) as url, CodatAccounting(auth_header=AUTH, server_url=url, max_retries=1) as client:
        waits: list[float] = []
        client._sleep = waits.append
        with pytest.raises(Exception) as caught:
            client.customers.get(company_id=COMPANY, customer_id="C-1")
    assert type(caught.value).__name__ == "InternalServerError"
    assert len(waits) == 1 and waits[0] <= 60  # the policy's own backoff, not a ValueError


@pytest.mark.parametrize("mode", MODES)
def test_a_password_in_the_server_url_never_shows(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="codat_accounting")
    with raw_server(respond("404 Not Found", {"Content-Type": "application/json"}, b"{}")) as url:
        secret_url = url.replace("http://", "http://user:s3cr3t-pw@")
        with CodatAccounting(auth_header=AUTH, server_url=secret_url) as client:
            assert "s3cr3t" not in repr(client) and "user:***@" in repr(client)
        with pytest.raises(Exception) as caught:
            call(mode, secret_url)
    assert type(caught.value).__name__ == "NotFoundError"
    assert "s3cr3t" not in str(caught.value) and "user:***@" in str(caught.value)
    with pytest.raises(APIConnectionError) as failed:
        call(mode, "http://user:s3cr3t-pw@127.0.0.1:9")  # nothing listens on the discard port
    assert "s3cr3t" not in str(failed.value)
    with pytest.raises(ValueError) as invalid:
        CodatAccounting(auth_header=AUTH, server_url="ftp://user:s3cr3t-pw@host")
    assert "s3cr3t" not in str(invalid.value)
    assert caplog.records and all("s3cr3t" not in record.getMessage() for record in caplog.records)
