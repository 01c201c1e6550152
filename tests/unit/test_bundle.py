"""External references, copied into the document only when the user allows it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.document.bundle import bundle_external_refs
from generator.document.load import load_document
from generator.document.validate import validate_document
from generator.errors import GeneratorError
from tests.unit.docs import minimal


def write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_targets_land_in_components_under_free_names_and_refs_inside_them_follow(tmp_path: Path) -> None:
    data = minimal({"Thing": {"type": "object", "properties": {"part": {"$ref": "parts.yaml#/Thing"}}}})
    spec = write(tmp_path / "api.yaml", data)
    write(
        tmp_path / "parts.yaml",
        {
            "Thing": {"type": "object", "properties": {"next": {"$ref": "#/Thing"}, "tag": {"$ref": "#/Tag"}}},
            "Tag": {"type": "string"},
        },
    )
    doc = bundle_external_refs(load_document(spec))
    schemas = doc.data["components"]["schemas"]
    assert schemas["Thing"]["properties"]["part"] == {"$ref": "#/components/schemas/Thing2"}
    assert schemas["Thing2"]["properties"] == {
        "next": {"$ref": "#/components/schemas/Thing2"},
        "tag": {"$ref": "#/components/schemas/Tag"},
    }
    assert validate_document(doc) == []
    assert doc.sha256 != load_document(spec).sha256  # the external file is part of what was read


def test_an_external_path_item_is_copied_in_place(tmp_path: Path) -> None:
    data = minimal()
    data["paths"]["/more"] = {"$ref": "paths.yaml#/more"}
    spec = write(tmp_path / "api.yaml", data)
    operation = {"operationId": "list-more", "tags": ["Things"], "responses": {"204": {"description": "none"}}}
    write(tmp_path / "paths.yaml", {"more": {"get": operation}})
    doc = bundle_external_refs(load_document(spec))
    assert doc.data["paths"]["/more"] == {"get": operation}
    assert sorted(op["operationId"] for *_, op in doc.tag_operations("Things")) == ["get-thing", "list-more"]


def test_refs_inside_an_external_path_item_land_in_components_cycles_included(tmp_path: Path) -> None:
    data = minimal()
    data["paths"]["/nodes"] = {"$ref": "paths.yaml#/nodes"}
    spec = write(tmp_path / "api.yaml", data)
    node = {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/Node"}}}}
    content = {"application/json": {"schema": {"$ref": "#/Node"}}}
    operation = {
        "operationId": "get-nodes",
        "tags": ["Things"],
        "responses": {"200": {"description": "ok", "content": content}},
    }
    write(tmp_path / "paths.yaml", {"nodes": {"get": operation}, "Node": node})
    doc = bundle_external_refs(load_document(spec))
    schema = doc.data["paths"]["/nodes"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Node"}
    children = doc.data["components"]["schemas"]["Node"]["properties"]["children"]
    assert children["items"] == {"$ref": "#/components/schemas/Node"}
    assert validate_document(doc) == []


def test_a_missing_file_or_target_is_one_located_error(tmp_path: Path) -> None:
    data = minimal({"Thing": {"$ref": "parts.yaml#/Nope"}})
    spec = write(tmp_path / "api.yaml", data)
    with pytest.raises(GeneratorError) as missing_file:
        bundle_external_refs(load_document(spec))
    assert "cannot read the document" in missing_file.value.diagnostics[0].message
    write(tmp_path / "parts.yaml", {"Other": {"type": "string"}})
    with pytest.raises(GeneratorError) as missing_target:
        bundle_external_refs(load_document(spec))
    (problem,) = missing_target.value.diagnostics
    assert problem.pointer == "#/components/schemas/Thing/$ref" and "points at nothing" in problem.message


def test_a_document_without_external_refs_is_returned_as_it_is(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path / "api.yaml", minimal()))
    assert bundle_external_refs(doc) is doc
