"""The generated docs: every relative link and anchor resolves, and every Python example runs."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from tests.conftest import GENERATED, SPEC
from tests.doclinks import broken_links
from tests.httpserver import TestServer
from tests.sdk.test_customers import ATTACHMENT_BODY, CUSTOMER, PAGE, PUSH_OPTION, PUSH_SUMMARY

DOCS = sorted([GENERATED / "README.md", *(GENERATED / "docs").rglob("*.md")])
CODE = re.compile(r"```python\n(.*?)```", re.S)
OPERATION_CALL = re.compile(r"client\.\w+\.\w+\(")

CANNED: dict[str, dict[str, Any]] = {
    "list": {"json_body": PAGE},
    "get": {"json_body": CUSTOMER},
    "create": {"json_body": PUSH_SUMMARY},
    "update": {"json_body": PUSH_SUMMARY},
    "get_create_update_model": {"json_body": PUSH_OPTION},
    "list_attachments": {"json_body": {"attachments": [ATTACHMENT_BODY]}},
    "get_attachment": {"json_body": ATTACHMENT_BODY},
    "download_attachment": {"body": b"%PDF-1.7", "headers": {"Content-Type": "application/octet-stream"}},
}


def test_every_page_of_the_layout_exists() -> None:
    page = (GENERATED / "docs" / "sdks" / "customers" / "README.md").read_text()
    order = [line for line in page.splitlines() if line.startswith("#")]
    assert order[:4] == ["# Customers", "## Overview", "### Available Operations", "## create"]
    # list_all, the pagination helper, has its own section with all four, as every operation's has.
    for section in ("### Example Usage", "### Parameters", "### Response", "### Errors"):
        assert page.count(section) == 9
    assert "## list_all" in page and "* [list_all](#list_all)" in page
    download = page.split("## download_attachment", 1)[1].split("\n## ", 1)[0]
    assert "**BinaryResponse**" in download and ") as download:" in download
    assert len(list((GENERATED / "docs" / "models").glob("*.md"))) == 32


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(GENERATED).as_posix())
def test_relative_links_and_anchors_resolve(doc: Path) -> None:
    assert broken_links(doc) == []


def test_every_python_example_runs_against_a_local_server(
    server: TestServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    api = generate(SPEC, ("Customers",), "codat_accounting").api
    for op in api.resources[0].operations:
        server.add_template(op.http_method, op.path, **CANNED[op.method_name])
    monkeypatch.setenv("CODAT_ACCOUNTING_SERVER_URL", server.url)
    monkeypatch.chdir(tmp_path)  # an example writes a downloaded file
    logger = logging.getLogger("codat_accounting")
    monkeypatch.setattr(logger, "level", logger.level)  # an example turns on DEBUG
    examples = [(doc, code) for doc in DOCS for code in CODE.findall(doc.read_text())]
    assert len(examples) == 23
    for doc, code in examples:
        before = len(server.requests)
        exec(compile(code, f"{doc.name} example", "exec"), {"__name__": "__example__"})
        if OPERATION_CALL.search(code):
            assert len(server.requests) > before, f"an example in {doc.name} sent nothing:\n{code}"
    operations = {(op.http_method, op.path) for op in api.resources[0].operations}
    called = {
        (r.method, template)
        for r in server.requests
        for (m, template) in operations
        if m == r.method and _matches(template, r.raw_path)
    }
    assert called == operations
    assert all(r.headers["authorization"] == "Basic BASE_64_ENCODED(API_KEY)" for r in server.requests)
    assert (tmp_path / "attachment.bin").read_bytes() == b"%PDF-1.7"


def _matches(template: str, path: str) -> bool:
    return re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)), path) is not None


def test_the_retry_section_gives_times_in_seconds_as_retry_config_takes_them() -> None:
    readme = (GENERATED / "README.md").read_text()
    retries = readme.split("## Retries", 1)[1].split("\n## ", 1)[0]
    assert "the first wait is 0.5 s" in retries and "up to 60 s" in retries and "3600 s in all" in retries
    assert " ms" not in retries
    assert "retried only for idempotent operations" in retries
