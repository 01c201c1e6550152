"""The change report's rules, each on a small pair of inline documents."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.builder.api import BuildOptions, build_api
from generator.cli import main
from generator.history.diff import as_json, diff, verdict
from generator.history.surface import surface
from tests.unit.docs import as_document, minimal

Doc = dict[str, Any]


def _base() -> Doc:
    doc = minimal(
        schemas={
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string", "description": "Its id."},
                    "size": {"type": "integer"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                },
            },
            "Kind": {"type": "string", "enum": ["big", "small"]},
            "NewThing": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "kind": {"$ref": "#/components/schemas/Kind"}},
            },
        }
    )
    get = doc["paths"]["/things/{thingId}"]["get"]
    get["parameters"].append({"name": "verbose", "in": "query", "schema": {"type": "boolean"}})
    doc["paths"]["/things"] = {
        "post": {
            "tags": ["Things"],
            "operationId": "create-thing",
            "summary": "Create thing",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}},
            },
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                }
            },
        }
    }
    return doc


def _changes(edit: Callable[[Doc], None]) -> list[tuple[str, str, str]]:
    old = _base()
    new = copy.deepcopy(old)
    edit(new)
    surfaces = [surface(build_api(as_document(d), BuildOptions(tags=("Things",)))) for d in (old, new)]
    return [(c.category, c.surface, c.message) for c in diff(*surfaces)]


def _get(doc: Doc) -> Doc:
    return doc["paths"]["/things/{thingId}"]["get"]


def _schemas(doc: Doc) -> Doc:
    return doc["components"]["schemas"]


def test_a_document_against_itself_reports_nothing_and_its_verdict_is_none() -> None:
    assert _changes(lambda d: None) == []
    assert verdict([]) == ("none", ["the SDK's surface is the same"])


def test_methods_removed_and_added() -> None:
    def move(doc: Doc) -> None:
        doc["paths"]["/things"]["post"]["operationId"] = "make-thing"

    assert _changes(lambda d: d["paths"].pop("/things")) == [
        ("breaking", "client.things.create()", "removed (POST /things)"),
        ("breaking", "models.NewThing", "removed"),  # nothing else uses it
    ]
    assert _changes(move) == [
        ("breaking", "client.things.create()", "renamed client.things.make() (the same operation, POST /things)")
    ]

    def moved(doc: Doc) -> None:
        doc["paths"]["/v2/things"] = doc["paths"].pop("/things")

    def verb(doc: Doc) -> None:
        doc["paths"]["/things"]["put"] = doc["paths"]["/things"].pop("post")

    assert _changes(moved) == [("addition", "client.things.create()", "now sends POST /v2/things (was POST /things)")]
    assert _changes(verb) == [("breaking", "client.things.create()", "now sends PUT /things (was POST /things)")]


def test_parameters_required_added_removed_and_their_types() -> None:
    def required(doc: Doc) -> None:
        _get(doc)["parameters"][1]["required"] = True

    def added(doc: Doc) -> None:
        _get(doc)["parameters"] += [
            {"name": "page", "in": "query", "schema": {"type": "integer"}},
            {"name": "scope", "in": "query", "required": True, "schema": {"type": "string"}},
        ]

    assert _changes(required) == [("breaking", "client.things.get(verbose=...)", "optional parameter made required")]
    assert _changes(lambda d: _get(d)["parameters"].pop(1)) == [
        ("breaking", "client.things.get(verbose=...)", "parameter removed")
    ]
    assert _changes(added) == [
        ("breaking", "client.things.get(scope=...)", "new required parameter"),
        ("addition", "client.things.get(page=...)", "new optional parameter"),
    ]
    assert [c[0] for c in _changes(lambda d: _get(d)["parameters"][1]["schema"].update(type="string"))] == ["breaking"]
    assert _changes(lambda d: _get(d)["parameters"][1]["schema"].update(type=["boolean", "string"])) == [
        ("addition", "client.things.get(verbose=...)", "type bool | None -> bool | str | None (widened)")
    ]


def test_fields_by_where_callers_meet_the_model() -> None:
    """Thing is only received, NewThing only sent: a field made optional is breaking only in what callers
    get back, a new required field only in what they send."""
    assert _changes(lambda d: _schemas(d)["Thing"].update(required=[])) == [
        ("breaking", "models.Thing.id", "now optional")
    ]
    assert _changes(lambda d: _schemas(d)["NewThing"].update(required=["name"])) == [
        ("breaking", "models.NewThing.name", "now required")
    ]
    assert _changes(lambda d: _schemas(d)["Thing"].update(required=["id", "size"])) == [
        ("addition", "models.Thing.size", "now required")
    ]
    assert _changes(lambda d: _schemas(d)["Thing"]["properties"].pop("size")) == [
        ("breaking", "models.Thing.size", "field removed")
    ]
    assert _changes(lambda d: _schemas(d)["Thing"]["properties"]["size"].update(type="string")) == [
        ("breaking", "models.Thing.size", "type int | None -> str | None")
    ]
    assert _changes(lambda d: _schemas(d)["Thing"]["properties"]["id"].update(description="The id.")) == [
        ("docs", "models.Thing.id", "description changed")
    ]


def test_enum_members_by_where_callers_meet_the_enum() -> None:
    """Kind is sent (NewThing) and received (Thing): a member removed is breaking, one added is not (the
    SDK's enums are open: an unknown value still parses)."""
    assert _changes(lambda d: _schemas(d)["Kind"].update(enum=["big"])) == [
        ("breaking", "models.Kind", "member 'small' removed")
    ]
    assert _changes(lambda d: _schemas(d)["Kind"].update(enum=["big", "small", "huge"])) == [
        ("addition", "models.Kind", "new member 'huge'")
    ]


def test_a_renamed_schema_that_keeps_its_shape_is_not_breaking_for_callers_of_methods() -> None:
    def rename(doc: Doc) -> None:
        schemas = _schemas(doc)
        schemas["Item"] = schemas.pop("Thing")
        text = json.dumps(doc).replace("#/components/schemas/Thing", "#/components/schemas/Item")
        doc.clear()
        doc.update(json.loads(text))

    changes = _changes(rename)
    assert [(c[0], c[1]) for c in changes] == [
        ("breaking", "client.things.create()"),
        ("breaking", "client.things.get()"),
        ("addition", "models.Thing"),
    ]
    assert changes[0][2] == "returns models.Item, not models.Thing"
    assert changes[2][2].startswith("renamed models.Item: methods are unchanged")


def test_an_all_of_reshuffle_that_changes_nothing_reports_nothing() -> None:
    def reshuffle(doc: Doc) -> None:
        thing = _schemas(doc)["Thing"]
        _schemas(doc)["Base"] = {
            "type": "object",
            "required": ["id"],
            "properties": {"id": thing["properties"].pop("id")},
        }
        thing["required"] = []
        _schemas(doc)["Thing"] = {"allOf": [{"$ref": "#/components/schemas/Base"}, thing]}

    assert _changes(reshuffle) == []


def test_authentication_and_the_server() -> None:
    def auth(doc: Doc) -> None:
        doc["components"]["securitySchemes"]["auth_header"]["name"] = "X-Api-Key"

    assert [c[0] for c in _changes(auth)] == ["breaking"]
    assert _changes(lambda d: d.update(servers=[{"url": "https://eu.example.test"}])) == [
        (
            "breaking",
            "CodatAccounting(server_url=...)",
            "the default server is 'https://eu.example.test', not 'https://api.example.test'",
        )
    ]


def test_diff_command_fails_on_breaking_exactly_when_there_is_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, same, breaking = tmp_path / "old.json", tmp_path / "same.json", tmp_path / "breaking.json"
    old.write_text(json.dumps(_base()))
    changed = _base()
    changed["info"]["description"] = "Now described."
    same.write_text(json.dumps(changed))
    changed["paths"].pop("/things")
    breaking.write_text(json.dumps(changed))
    assert main(["diff", str(old), str(same), "--fail-on", "breaking"]) == 0
    assert main(["diff", str(old), str(breaking), "--fail-on", "breaking"]) == 1
    assert main(["diff", str(old), str(breaking)]) == 0
    capsys.readouterr()
    assert main(["diff", str(old), str(breaking), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "major" and report["counts"] == {"breaking": 2, "addition": 0, "docs": 0}
    assert as_json([])["verdict"] == "none"


def test_errors_defaults_retries_and_deprecation() -> None:
    def not_found(doc: Doc) -> None:
        _get(doc)["responses"]["404"] = {"description": "none such"}

    def retries(doc: Doc) -> None:
        doc["x-speakeasy-retries"] = {
            "strategy": "backoff",
            "backoff": {"initialInterval": 500, "maxInterval": 60000, "maxElapsedTime": 3600000, "exponent": 1.5},
            "statusCodes": [503],
            "retryConnectionErrors": True,
        }

    assert _changes(not_found) == [("addition", "client.things.get()", "a 404 raises NotFoundError")]
    # The SDK leaves an optional query parameter's default to the server: the document's default is no
    # change of the SDK. Where the SDK does send a default (a pager's first page), a new one breaks.
    old = surface(build_api(as_document(_base()), BuildOptions(tags=("Things",))))
    new = copy.deepcopy(old)
    new["methods"]["things.get"]["params"]["verbose"]["default"] = "True"
    assert [(c.category, c.message) for c in diff(old, new)] == [("breaking", "default None -> True")]
    assert [c[:2] for c in _changes(retries)] == [("addition", "CodatAccounting(retry_config=...)")]
    assert _changes(lambda d: _get(d).update(deprecated=True)) == [("docs", "client.things.get()", "deprecated")]
    assert _changes(lambda d: _get(d).update(summary="Fetch a thing")) == [
        ("docs", "client.things.get()", "description changed"),  # the summary stands in for a missing description
        ("docs", "client.things.get()", "summary changed"),
    ]
