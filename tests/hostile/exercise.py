"""Run in a fresh process: import every module of a generated package and call every method.

Each call goes to a throwaway server on 127.0.0.1 that answers `{}`. Prints a JSON report: how many
calls were made, and any exception that is not one of the SDK's own errors (which would be a bug).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import pkgutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Answer(BaseHTTPRequestHandler):
    def _reply(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _reply

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _value(annotation: str) -> object:
    """A plain value of the annotated type; a model-typed body gets an empty dict."""
    for prefix, value in (("str", "1"), ("int", 1), ("float", 1.0), ("bool", True)):
        if annotation.startswith(prefix):
            return value
    return {}


def main(package: str, client_class: str) -> None:
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, package + "."):
        importlib.import_module(module.name)
    models = importlib.import_module(f"{package}.models")
    for name in models.__all__:
        getattr(models, name)
    sdk_error = importlib.import_module(f"{package}._exceptions").CodatError
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    calls, foreign = 0, []
    client_type = getattr(root, client_class)
    with client_type(auth_header="Basic x", server_url=url, max_retries=0, timeout=5) as client:
        for attr, value in vars(client_type).items():
            if not isinstance(value, property | functools.cached_property):
                continue
            resource = getattr(client, attr)
            for name, method in inspect.getmembers(resource, inspect.ismethod):
                if name.startswith("_") or name == "list_all":
                    continue
                kwargs = {
                    p.name: _value(str(p.annotation))
                    for p in inspect.signature(method).parameters.values()
                    if p.kind is p.KEYWORD_ONLY and p.default is p.empty
                }
                calls += 1
                try:
                    method(**kwargs)
                except sdk_error:
                    pass
                except Exception as exc:
                    foreign.append(f"{attr}.{name}: {type(exc).__name__}: {exc}")
    server.shutdown()
    print(json.dumps({"calls": calls, "foreign": foreign}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
