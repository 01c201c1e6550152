"""A real HTTP server on 127.0.0.1 for SDK tests: canned responses in, recorded requests out."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.contract import Contract


@dataclass(frozen=True)
class Recorded:
    method: str
    raw_path: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    # The query string as it came, percent-encoding and all.
    raw_query: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Canned:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # A body made on the fly, chunk by chunk, and its length: large downloads never sit in memory here.
    chunks: Callable[[], Iterator[bytes]] | None = None
    length: int = 0
    delay: float = 0.0
    # Set on responses a test serves off the document on purpose (robustness tests); the rest must match it.
    off_contract: bool = False


class TestServer:
    """Answers each request with the next canned response for its method and path (the last repeats)."""

    __test__ = False

    def __init__(self, contract: Contract | None = None) -> None:
        self.requests: list[Recorded] = []
        self.contract = contract
        self.violations: list[str] = []
        self._routes: dict[tuple[str, str], deque[Canned]] = {}
        self._templates: list[tuple[str, re.Pattern[str]]] = []
        self._handlers: dict[tuple[str, str], Callable[[Recorded], Canned]] = {}
        self._lock = threading.Lock()
        self.url = ""

    def add(
        self,
        method: str,
        path: str,
        status: int = 200,
        json_body: Any = None,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        chunks: Callable[[], Iterator[bytes]] | None = None,
        length: int = 0,
        delay: float = 0.0,
        off_contract: bool = False,
    ) -> None:
        if body is None:
            body = b"" if json_body is None else json.dumps(json_body).encode()
        canned_headers = dict(headers or {})
        if json_body is not None:
            canned_headers.setdefault("Content-Type", "application/json")
        with self._lock:
            canned = Canned(status, body, canned_headers, chunks, length, delay, off_contract)
            self._routes.setdefault((method, path), deque()).append(canned)

    def add_template(
        self,
        method: str,
        template: str,
        json_body: Any = None,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        status: int = 200,
    ) -> None:
        """Answers any path matching an OpenAPI path template such as `/things/{thingId}`."""
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        self.add(method, pattern, status, json_body=json_body, body=body, headers=headers)
        with self._lock:
            self._templates.append((method, re.compile(pattern)))

    def _check(self, record: Recorded, canned: Canned) -> None:
        if self.contract is None:
            return
        body = canned.body if canned.chunks is None else next(iter(canned.chunks()), b"")
        served = None if canned.off_contract else (canned.status, canned.headers, body)
        problems = self.contract.check(
            record.method, record.raw_path, record.query, record.headers, record.body, served
        )
        with self._lock:
            self.violations.extend(problems)

    def add_handler(self, method: str, path: str, handler: Callable[[Recorded], Canned]) -> None:
        """Answers a route by computing the response from the request (e.g. from its query)."""
        with self._lock:
            self._handlers[(method, path)] = handler

    def _answer(self, method: str, path: str, record: Recorded) -> Canned:
        handler = self._handlers.get((method, path))
        if handler is not None:
            return handler(record)
        with self._lock:
            queue = self._routes.get((method, path))
            if queue is None:
                key = next((p.pattern for m, p in self._templates if m == method and p.match(path)), None)
                queue = self._routes.get((method, key)) if key else None
            if not queue:
                return Canned(
                    599, b'{"error": "no canned response"}', {"Content-Type": "application/json"}, off_contract=True
                )
            return queue.popleft() if len(queue) > 1 else queue[0]


@contextmanager
def serve(contract: Contract | None = None) -> Iterator[TestServer]:
    state = TestServer(contract)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)

            record = Recorded(
                self.command,
                parts.path,
                unquote(parts.path),
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                body,
                parts.query,
            )
            with state._lock:
                state.requests.append(record)
            canned = state._answer(self.command, parts.path, record)
            state._check(record, canned)
            if canned.delay:
                time.sleep(canned.delay)
            try:
                self.send_response(canned.status)
                for name, value in canned.headers.items():
                    self.send_header(name, value)
                length = canned.length if canned.chunks is not None else len(canned.body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if canned.chunks is None:
                    self.wfile.write(canned.body)
                else:
                    for chunk in canned.chunks():
                        self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
