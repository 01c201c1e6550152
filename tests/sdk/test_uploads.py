"""Uploads as a caller makes them: a file given as bytes, a path, an open file, or a tuple naming it,
in a multipart body of declared fields and in one of no declared parts (Codat's attachment uploads),
through the sync and async clients, against a local server that parses what came with the standard
library's MIME parser and checks the exchange against the document with openapi-core.
"""

from __future__ import annotations

import asyncio
import email.policy
import hashlib
import importlib
import io
import json
import os
import sys
from collections.abc import Iterator
from email.parser import BytesParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.contract import DOCUMENTED_HOST, Contract
from tests.httpserver import Recorded, TestServer, serve

# OpenAPI 3.0: openapi-core reads a 3.1 document's `format: binary` as text and would refuse every file.
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Upload API", "version": "1.0"},
    "servers": [{"url": DOCUMENTED_HOST}],
    "paths": {
        "/documents": {
            "post": {
                "operationId": "upload-document",
                "tags": ["Files"],
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Document"}}},
                },
                "responses": {"200": {"description": "stored", "content": {"application/json": {"schema": {}}}}},
            }
        },
        "/attachments": {
            "post": {
                "operationId": "upload-attachment",
                "tags": ["Files"],
                "requestBody": {"required": True, "content": {"multipart/form-data": {}}},
                "responses": {"204": {"description": "stored"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Document": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "note": {"type": "string"},
                    "folder": {"type": "string"},
                },
            }
        }
    },
}

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    folder = tmp_path_factory.mktemp("uploads")
    spec = folder / "uploads.json"
    spec.write_text(json.dumps(DOC))
    write_tree(folder / "sdk", generate(spec, None, "upload_sdk").files)
    sys.path.insert(0, str(folder / "sdk" / "src"))
    try:
        yield importlib.import_module("upload_sdk"), spec
    finally:
        sys.path.remove(str(folder / "sdk" / "src"))


@pytest.fixture
def server(sdk: tuple[ModuleType, Path]) -> Iterator[TestServer]:
    with serve(Contract(sdk[1])) as running:
        running.add("POST", "/documents", json_body={"id": "d1"})
        running.add("POST", "/attachments", 204)
        yield running
    assert not running.violations, "exchanges that break the document:\n" + "\n".join(running.violations)


def parts(request: Recorded) -> dict[str, tuple[str | None, str, bytes]]:
    """Each part of a multipart request: its file name, media type and content."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    found: dict[str, tuple[str | None, str, bytes]] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found[name] = (part.get_filename(), part.get_content_type(), payload)
    return found


def test_every_form_of_file_reaches_the_server_with_its_name_and_type(
    sdk: tuple[ModuleType, Path], server: TestServer, tmp_path: Path
) -> None:
    module = sdk[0]
    report = tmp_path / "march report.pdf"
    report.write_bytes(PDF)
    opened = report.open("rb")
    opened.seek(9)  # an open file is sent whole, wherever the caller left it
    with module.UploadSdk(server_url=server.url, max_retries=0) as api:
        api.files.upload_document(document=module.models.Document(file=PDF, note="March", folder="2026/03"))
        api.files.upload_document(document={"file": report, "note": "from a path"})
        api.files.upload_document(document={"file": opened})
        api.files.upload_document(document={"file": ("scan.png", io.BytesIO(b"\x89PNG"), "image/png")})
        api.files.upload_attachment(file=("notes.txt", b"hello"))
        api.files.upload_attachment(file=report)
    opened.close()
    sent = [parts(request) for request in server.requests]
    assert sent[0] == {
        "file": ("file", "application/octet-stream", PDF),
        "note": (None, "text/plain", b"March"),
        "folder": (None, "text/plain", b"2026/03"),
    }
    assert sent[1]["file"] == ("march report.pdf", "application/pdf", PDF)
    assert sent[1]["note"][2] == b"from a path"
    assert sent[2] == {"file": ("march report.pdf", "application/pdf", PDF)}
    assert sent[3] == {"file": ("scan.png", "image/png", b"\x89PNG")}
    assert sent[4] == {"file": ("notes.txt", "text/plain", b"hello")}
    assert sent[5] == {"file": ("march report.pdf", "application/pdf", PDF)}


def test_async_uploads_a_file_read_as_it_is_sent(
    sdk: tuple[ModuleType, Path], server: TestServer, tmp_path: Path
) -> None:
    """A file of several megabytes arrives whole and unchanged, from a path and from an open file."""
    big = tmp_path / "ledger.csv"
    with big.open("wb") as out:
        for n in range(200_000):
            out.write(f"{n},{n * 7 % 1000}.25\n".encode())
    digest = hashlib.sha256(big.read_bytes()).hexdigest()

    async def run() -> None:
        async with sdk[0].AsyncUploadSdk(server_url=server.url, max_retries=0) as api:
            await api.files.upload_document(document={"file": big, "folder": "ledgers"})
            with big.open("rb") as handle:
                await api.files.upload_attachment(file=("ledger.csv", handle, "text/csv"))

    asyncio.run(run())
    first, second = (parts(request) for request in server.requests)
    assert (first["file"][0], hashlib.sha256(first["file"][2]).hexdigest()) == ("ledger.csv", digest)
    assert first["folder"][2] == b"ledgers"
    assert second["file"][:2] == ("ledger.csv", "text/csv")
    assert hashlib.sha256(second["file"][2]).hexdigest() == digest


def test_a_retry_sends_the_same_file_again(sdk: tuple[ModuleType, Path], tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    with serve(Contract(sdk[1])) as server, report.open("rb") as handle:
        for _ in range(2):
            server.add("POST", "/attachments", 503, off_contract=True)
            server.add("POST", "/attachments", 204)
        with sdk[0].UploadSdk(server_url=server.url, max_retries=2) as api:
            api.with_options(retry_config=fast(sdk[0])).files.upload_attachment(file=report)
            api.with_options(retry_config=fast(sdk[0])).files.upload_attachment(file=handle)
    assert [parts(r)["file"][2] for r in server.requests] == [PDF] * 4


class Pipe(io.RawIOBase):
    """A stream that cannot seek, as a pipe or a socket is: read once, it is gone."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_a_file_that_cannot_be_rewound_is_sent_once(sdk: tuple[ModuleType, Path]) -> None:
    """Sending it again would send nothing, or its tail: the failure is the caller's to see."""
    module = sdk[0]
    with serve() as server:
        server.add("POST", "/attachments", 503)
        server.add("POST", "/attachments", 204)
        with module.UploadSdk(server_url=server.url, max_retries=2, retry_config=fast(module)) as api:
            with pytest.raises(module.APIStatusError) as caught:
                api.files.upload_attachment(file=("pipe.bin", Pipe(PDF)))
    assert caught.value.status_code == 503
    assert len(server.requests) == 1
    assert parts(server.requests[0])["file"][2] == PDF


def test_a_file_opened_from_a_path_is_closed_after_the_call(sdk: tuple[ModuleType, Path], tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    module = sdk[0]
    descriptors = len(os.listdir("/proc/self/fd"))
    with serve() as server:
        server.add("POST", "/documents", 400, json_body={"error": "no"})
        with module.UploadSdk(server_url=server.url, max_retries=0) as api:
            for _ in range(5):
                with pytest.raises(module.APIStatusError):
                    api.files.upload_document(document={"file": report})
    assert len(os.listdir("/proc/self/fd")) <= descriptors
    assert len(server.requests) == 5


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("report.pdf", "text is no file: give a path as pathlib.Path"),
        (42, "a file is bytes, a path, an open binary file"),
        (("report.pdf", "text"), "a file is bytes, a path, an open binary file"),
    ],
)
def test_what_is_no_file_is_refused_before_sending(sdk: tuple[ModuleType, Path], given: object, problem: str) -> None:
    module = sdk[0]
    with serve() as server, module.UploadSdk(server_url=server.url, max_retries=0) as api:
        with pytest.raises(module.RequestValidationError, match=r"document\.file") as in_model:
            api.files.upload_document(document={"file": given})
        assert problem in str(in_model.value)
        if not isinstance(given, str):
            with pytest.raises(module.RequestValidationError, match=r"files\.upload_attachment: not sent: file: "):
                api.files.upload_attachment(file=given)
    assert server.requests == []


def test_a_missing_file_is_refused_naming_it_not_its_folders(sdk: tuple[ModuleType, Path], tmp_path: Path) -> None:
    module = sdk[0]
    with serve() as server, module.UploadSdk(server_url=server.url, max_retries=0) as api:
        with pytest.raises(module.RequestValidationError) as caught:
            api.files.upload_attachment(file=tmp_path / "secret-folder" / "gone.pdf")
    assert "file: cannot open 'gone.pdf': No such file or directory" in str(caught.value)
    assert "secret-folder" not in str(caught.value)
    assert server.requests == []


def fast(module: ModuleType) -> Any:
    """A retry policy that retries 503 at once, so the tests do not wait."""
    return module.RetryConfig(max_retries=2, initial_interval=0.0, max_interval=0.0)
