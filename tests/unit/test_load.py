"""load: YAML or JSON by content, line numbers for YAML, one clear error for what cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.document.load import load_document, parse_document
from generator.errors import GeneratorError


def test_yaml_keeps_line_numbers_by_pointer() -> None:
    text = b"openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a~b/c:\n    get: {}\n"
    doc = parse_document(text, "spec.yaml")
    assert doc.data["info"]["title"] == "T"
    assert doc.line_of("#/info/title") == 3
    assert doc.line_of("#/paths/~1a~0b~1c/get") == 7
    assert doc.line_of("#/paths/~1a~0b~1c/get/responses/200") == 7  # nearest known ancestor


def test_json_is_read_as_json_whatever_the_file_is_called() -> None:
    doc = parse_document(b'  {"openapi": "3.1.0", "paths": {}}', "spec.yaml")
    assert doc.data == {"openapi": "3.1.0", "paths": {}}
    assert len(doc.sha256) == 64


@pytest.mark.parametrize(
    ("raw", "message", "line"),
    [
        (b"openapi: 3.1.0\ninfo: [unclosed\n", "invalid YAML", 3),
        (b'{"openapi": "3.1.0",\n "info": }', "invalid JSON", 2),
        (b"[1, 2]", "the document is list, not a mapping", 1),
        (b"", "the document is empty, not a mapping", 1),
        (b"\xff\xfe\x00garbage", "not UTF-8", None),
    ],
)
def test_unreadable_documents_give_one_located_error(raw: bytes, message: str, line: int | None) -> None:
    with pytest.raises(GeneratorError) as caught:
        parse_document(raw, "bad.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert message in diagnostic.message
    assert diagnostic.line == line
    rendered = diagnostic.render()
    assert rendered.startswith("bad.yaml") and "\n" not in rendered


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError, match="cannot read the document"):
        load_document(tmp_path / "nope.yaml")
