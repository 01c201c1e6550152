"""load: YAML or JSON by content, line numbers for YAML, one clear error for what cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.document.load import load_document, parse_document
from generator.document.parsed import HTTP_METHODS, UNTAGGED, Document
from generator.errors import GeneratorError

FAMILY = Path(__file__).resolve().parents[2].parent / "shared" / "specs" / "codat"


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


def _walked(doc: Document) -> tuple[list[str], dict[str, list[str]]]:
    """Tags and their operations' pointers by walking every path for every question, as the document's
    index must answer them (declared tags first, then first use; `default` last for untagged ones)."""
    ops = [
        (f"#/paths/{p.replace('~', '~0').replace('/', '~1')}/{m}", op)
        for p, item in doc.data.get("paths", {}).items()
        if isinstance(item, dict)
        for m in HTTP_METHODS
        if isinstance(op := item.get(m), dict)
    ]
    tags_of = [[t for t in op.get("tags") or [] if isinstance(t, str)] for _, op in ops]
    names: list[str] = []
    for name in [t.get("name") for t in doc.data.get("tags") or [] if isinstance(t, dict)] + [
        t for ts in tags_of for t in ts
    ]:
        if isinstance(name, str) and name not in names:
            names.append(name)
    if any(not tags for tags in tags_of) and UNTAGGED not in names:
        names.append(UNTAGGED)
    by_tag = {
        name: [p for (p, _), tags in zip(ops, tags_of, strict=True) if name in tags or (name == UNTAGGED and not tags)]
        for name in names
    }
    return names, by_tag


def _indexed(doc: Document) -> tuple[list[str], dict[str, list[str]]]:
    return doc.tags(), {name: [entry[0] for entry in doc.tag_operations(name)] for name in doc.tags()}


def test_tags_and_their_operations_are_indexed_as_a_walk_would_find_them() -> None:
    text = b"""openapi: 3.1.0
info: {title: T, version: '1'}
tags: [{name: b}, {name: declared-only}, {name: b}, {name: 3}]
paths:
  /one: {get: {tags: [a, a, 7]}, post: {}}
  /two: {put: {tags: [default]}, delete: {tags: [b, a]}}
  /three: {patch: {}, get: {tags: [c]}}
  /four: nothing
"""
    doc = parse_document(text, "spec.yaml")
    assert _indexed(doc) == _walked(doc)
    assert doc.tags() == ["b", "declared-only", "a", "default", "c"]
    assert [p for p, *_ in doc.tag_operations("default")] == [
        "#/paths/~1one/post",
        "#/paths/~1two/put",
        "#/paths/~1three/patch",
    ]
    assert doc.tag_operations("nope") == []


@pytest.mark.parametrize("name", sorted(p.name for p in FAMILY.glob("Codat-*")))
def test_the_index_answers_as_a_walk_on_every_family_document(name: str) -> None:
    doc = load_document(FAMILY / name)
    assert _indexed(doc) == _walked(doc)
