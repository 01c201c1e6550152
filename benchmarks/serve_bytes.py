"""A server on 127.0.0.1 that answers every GET with SIZE bytes made on the fly; prints its port."""

from __future__ import annotations

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SIZE = int(sys.argv[1])
CHUNK = b"\0" * (1 << 16)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(SIZE))
        self.end_headers()
        left = SIZE
        while left > 0:
            piece = CHUNK[: min(left, len(CHUNK))]
            self.wfile.write(piece)
            left -= len(piece)

    def log_message(self, format: str, *args: Any) -> None:
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
