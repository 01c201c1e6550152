"""Contract checks: requests the SDK sends and responses the tests serve, validated against spec/ by openapi-core."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

# openapi-core finds operations by server URL; the SDK under test talks to 127.0.0.1 instead.
DOCUMENTED_HOST = "https://api.codat.io"


@dataclass
class _Request:
    path: str
    method: str
    body: bytes | None
    content_type: str
    parameters: RequestParameters
    host_url: str = DOCUMENTED_HOST


@dataclass
class _Response:
    status_code: int
    content_type: str
    data: bytes
    headers: Headers = field(default_factory=Headers)


@functools.lru_cache(maxsize=2)
def _openapi(spec: Path) -> OpenAPI:
    return OpenAPI.from_file_path(str(spec))


class Contract:
    """Validates one exchange at a time; returns what breaks the document, as readable lines."""

    def __init__(self, spec: Path) -> None:
        self.openapi = _openapi(spec)

    def check(
        self,
        method: str,
        raw_path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
        response: tuple[int, dict[str, str], bytes] | None,
    ) -> list[str]:
        request = _Request(
            path=raw_path,
            method=method.lower(),
            body=body or None,
            content_type=headers.get("content-type", ""),
            parameters=RequestParameters(
                query=ImmutableMultiDict([(k, v) for k, values in query.items() for v in values]),
                header=Headers(list(headers.items())),
                cookie=ImmutableMultiDict(),
            ),
        )
        problems = [f"request {method} {raw_path}: {e}" for e in _errors(self.openapi.validate_request, request)]
        if response is not None and not problems:
            status, response_headers, data = response
            lowered = {k.lower(): v for k, v in response_headers.items()}
            served = _Response(status, lowered.get("content-type", ""), data, Headers(list(response_headers.items())))
            problems += [
                f"response {status} to {method} {raw_path}: {e}"
                for e in _errors(lambda r: self.openapi.validate_response(r, served), request)
            ]
        return problems


def _errors(validate: object, request: _Request) -> list[str]:
    try:
        validate(request)  # type: ignore[operator]
    except Exception as exc:  # openapi-core raises one error, which may hold several schema errors
        details = getattr(exc, "schema_errors", None) or getattr(exc, "__cause__", None)
        text = f"{type(exc).__name__}: {exc}" + (f" ({details})" if details else "")
        return [text if len(text) < 400 else text[:200] + "…" + text[-200:]]
    return []
