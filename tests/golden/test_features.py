"""An inline document full of awkward shapes generates an SDK that type-checks, lints and behaves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def returning(schema: dict[str, Any]) -> dict[str, Any]:
    """The responses of an operation that answers 200 with JSON of `schema`."""
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


OK = returning({"$ref": "#/components/schemas/Thing"})

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Awkward API", "version": "0.1.0"},
    "servers": [{"url": "https://api.example.test"}],
    "security": [{"auth_header": []}],
    "tags": [{"name": "Things"}, {"name": "Other things"}],
    "paths": {
        "/things": {
            "post": {
                "tags": ["Things", "Other things"],
                "operationId": "create-thing",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                },
                "responses": OK,
            },
            "get": {"operationId": "ping", "responses": {"default": {"description": "anything"}}},
        },
        "/things/{thingId}/notes": {
            "get": {
                "tags": ["Things"],
                "operationId": "get-thing-notes",
                "deprecated": True,
                "x-speakeasy-deprecation-message": "Use [the notes API](https://notes.example.test) instead.\nIt goes.",
                "x-speakeasy-deprecation-replacement": "ping",
                "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}},
            }
        },
        "/stamps": {
            "get": {
                "tags": ["Stamps"],
                "operationId": "list-stamps",
                "responses": returning({"type": "array", "items": {"type": "string", "format": "date-time"}}),
            }
        },
        "/stamps/keys": {
            "get": {
                "tags": ["Stamps"],
                "operationId": "get-stamp-keys",
                "responses": returning(
                    {"type": "object", "additionalProperties": {"type": "string", "format": "uuid"}}
                ),
            }
        },
        "/things/{thingId}": {
            "delete": {
                "tags": ["Things"],
                "operationId": "delete-thing",
                "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}, "default": {"description": "error"}},
            }
        },
    },
    "components": {
        "securitySchemes": {"auth_header": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["secret", "kind"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "secret": {"type": "string", "writeOnly": True},
                    "count": {"type": "integer", "format": "int64", "default": 5},
                    "kind": {"type": "string", "enum": ["small", "large", "x-large", "1st"]},
                    "shade": {"$ref": "#/components/schemas/Shade"},
                    "legacy": {"type": "string", "deprecated": True},
                    "class": {"type": "string"},
                    "2fa": {"type": "boolean"},
                    "display name": {"type": "string"},
                    "naïve.value": {"type": "number", "format": "decimal"},
                    "Case": {"type": "string"},
                    "case": {"type": "string"},
                    "when": {"type": "string", "format": "date-time"},
                    "day": {"type": "string", "format": "date"},
                    "key": {"type": "string", "format": "uuid"},
                    "blob": {"type": "string", "format": "binary"},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "anything": {},
                    "either": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Shade"}]},
                    "parent": {"$ref": "#/components/schemas/Thing"},
                    "partner": {"$ref": "#/components/schemas/Partner"},
                    "tint": {"$ref": "#/components/schemas/shade"},
                    "pet": {"$ref": "#/components/schemas/Pet"},
                },
            },
            "Partner": {
                "type": "object",
                "properties": {"things": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}},
            },
            "Shade": {"type": "string", "enum": ["light", "dark"], "default": "light"},
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "petType", "mapping": {"doggo": "#/components/schemas/Dog"}},
            },
            "Cat": {"type": "object", "properties": {"petType": {"type": "string"}, "purr": {"type": "string"}}},
            "Dog": {"type": "object", "properties": {"petType": {"type": "string"}, "bark": {"type": "string"}}},
            "shade": {"type": "object", "properties": {"x": {"type": "string"}}},
        },
    },
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("awkward")
    spec = root / "awkward.json"
    spec.write_text(json.dumps(DOC))
    write_tree(root / "sdk", generate(spec, None, "awkward").files)
    return root / "sdk"


# The start of a script that drives the generated client against a local server.
WITH_SERVER = "from tests.httpserver import serve\nfrom awkward import Awkward\nwith serve() as server:\n"


def run_python(package: Path, code: str) -> str:
    prelude = f"import sys; sys.path[:0] = [{str(package / 'src')!r}, {str(ROOT)!r}]\n"
    ran = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, timeout=120, check=False
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    return ran.stdout


def assert_type_checks_and_lints(package: Path, name: str) -> None:
    """`mypy --strict` and ruff (with the package's own pyproject) report nothing on a generated SDK."""
    typed = subprocess.run(
        [str(BIN / "mypy"), "--strict", f"src/{name}"], cwd=package, capture_output=True, text=True, timeout=300
    )
    assert typed.returncode == 0, typed.stdout[-3000:]
    linted = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "src"], cwd=package, capture_output=True, text=True, timeout=120
    )
    assert linted.returncode == 0, linted.stdout


def test_it_type_checks_lints_and_imports_without_warnings(package: Path) -> None:
    assert_type_checks_and_lints(package, "awkward")
    run_python(
        package,
        "import warnings; warnings.simplefilter('error')\n"
        "import awkward.models as m; [getattr(m, n) for n in m.__all__]",
    )


def test_names_are_safe_and_keep_the_wire_name(package: Path) -> None:
    out = run_python(
        package,
        "from awkward.models import Thing\n"
        "print(sorted((n, f.serialization_alias) for n, f in Thing.model_fields.items()))\n"
        "import awkward.models as m; print(m.__all__)",
    )
    fields, classes = out.splitlines()
    assert fields == str(
        sorted(
            [
                ("id", "id"),
                ("secret", "secret"),
                ("count", "count"),
                ("kind", "kind"),
                ("shade", "shade"),
                ("legacy", "legacy"),
                ("class_", "class"),
                ("field_2_fa", "2fa"),
                ("display_name", "display name"),
                ("naive_value", "naïve.value"),
                ("case", "case"),
                ("case_", "Case"),
                ("when", "when"),
                ("day", "day"),
                ("key", "key"),
                ("blob", "blob"),
                ("labels", "labels"),
                ("anything", "anything"),
                ("either", "either"),
                ("parent", "parent"),
                ("partner", "partner"),
                ("tint", "tint"),
                ("pet", "pet"),
            ]
        )
    )
    dicts = ["CatDict", "DogDict", "PartnerDict", "Shade2Dict", "ThingDict"]
    assert classes == str(sorted(["Cat", "Dog", "Partner", "Shade", "Shade2", "Thing", "ThingKind", *dicts]))


def test_resources_for_several_tags_untagged_operations_and_odd_responses(package: Path) -> None:
    out = run_python(
        package,
        "from awkward.resources import things, other_things, default\n"
        "print(sorted(n for n in vars(things.Things) if not n.startswith(('_', 'with_'))))\n"
        "print(sorted(n for n in vars(other_things.OtherThings) if not n.startswith(('_', 'with_'))))\n"
        "print(sorted(n for n in vars(default.Default) if not n.startswith(('_', 'with_'))))\n"
        "import inspect\n"
        "print(inspect.signature(things.Things.list_notes).return_annotation,"
        " inspect.signature(things.Things.delete).return_annotation)",
    )
    assert out.splitlines() == ["['create', 'delete', 'list_notes']", "['create_thing']", "['ping']", "str None"]


def test_types_defaults_read_only_and_deprecation_at_run_time(package: Path) -> None:
    out = run_python(
        package,
        "import warnings, datetime, decimal, uuid\n"
        "from awkward.models import Thing, ThingKind, Shade\n"
        "t = Thing.model_validate({'id': 'T1', 'kind': 'x-large', 'when': '2024-01-02T03:04:05Z', 'day': '2024-01-02',"
        " 'key': '8a210b68-6988-11ed-a1eb-0242ac120002', 'naïve.value': '1.10', 'shade': 'dark', 'labels': {'a': 'b'},"
        " 'parent': {'kind': 'small', 'secret': 's'}, 'partner': {'things': [{'kind': '1st'}]}})\n"
        "print(t.kind is ThingKind.X_LARGE, t.count, type(t.when).__name__, type(t.day).__name__, type(t.key).__name__,"
        " t.naive_value == decimal.Decimal('1.10'), t.shade is Shade.DARK, t.parent.kind.name,"
        " t.partner.things[0].kind.name)\n"
        "body = Thing(id='T9', secret='s3', kind=ThingKind.SMALL, class_='c').to_wire()\n"
        "print(sorted(body))\n"
        "from awkward.models import Cat, Dog\n"
        "pets = [Thing.model_validate({'kind': 'small', 'secret': 's', 'pet': p}).pet"
        " for p in ({'petType': 'doggo', 'bark': 'woof'}, {'petType': 'Cat', 'purr': 'rr'})]\n"
        "print([type(p).__name__ for p in pets], Thing(kind='small', secret='s', pet=Dog(pet_type='doggo')).pet)\n"
        "from awkward._models import unknown_values\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    list(unknown_values(Thing(kind='small', secret='s', legacy='old'), 'thing'))\n"
        "    t.legacy\n"
        "print([w.category.__name__ for w in caught])",
    )
    assert out.splitlines() == [
        "True 5 datetime date UUID True True SMALL VALUE_1_ST",
        "['class', 'kind', 'secret']",
        "['Dog', 'Cat'] pet_type='doggo' bark=None",
        "['DeprecationWarning']",
    ]


def test_deprecated_operations_warn_at_the_callers_line(package: Path) -> None:
    """The warning names the line that called, through the raw, streamed and async wrappers too: filters
    by module (`-W error::DeprecationWarning:myapp`) and pytest's report rely on it. The Prism suite saw
    them blamed on the SDK's own `_response.py`."""
    out = run_python(
        package,
        "import asyncio, warnings\n"
        "from awkward import AsyncAwkward\n"
        + WITH_SERVER
        + "    server.add('GET', '/things/t1/notes', body=b'hello', headers={'Content-Type': 'text/plain'})\n"
        "    client = Awkward(auth_header='k', server_url=server.url)\n"
        "    async def call_async() -> None:\n"
        "        async with AsyncAwkward(auth_header='k', server_url=server.url) as aclient:\n"
        "            await (await aclient.things.with_raw_response.list_notes(thing_id='t1')).parse()\n"
        "    with client, warnings.catch_warnings(record=True) as caught:\n"
        "        warnings.simplefilter('always')\n"
        "        print(client.things.list_notes(thing_id='t1'))\n"
        "        client.things.with_raw_response.list_notes(thing_id='t1').parse()\n"
        "        with client.things.with_streaming_response.list_notes(thing_id='t1') as streamed:\n"
        "            streamed.parse()\n"
        "        asyncio.run(call_async())\n"
        "    print([(w.category.__name__, w.filename, w.lineno) for w in caught])",
    )
    printed, blamed = out.splitlines()
    assert printed == "hello"
    assert blamed == str([("DeprecationWarning", "<string>", line) for line in (14, 15, 16, 11)])


NOTES = "Use the notes API instead. It goes."
LINKED = "Use [the notes API](https://notes.example.test) instead. It goes."


def test_a_deprecation_says_what_replaces_it_in_the_warning_the_docstring_and_the_docs(package: Path) -> None:
    said = "things.list_notes is deprecated by the API document; use default.ping instead: " + NOTES
    out = run_python(
        package,
        "import warnings\nfrom awkward import Awkward\n"
        + WITH_SERVER
        + "    server.add('GET', '/things/t1/notes', body=b'hello', headers={'Content-Type': 'text/plain'})\n"
        "    client = Awkward(auth_header='k', server_url=server.url)\n"
        "    with client, warnings.catch_warnings(record=True) as caught:\n"
        "        warnings.simplefilter('always')\n"
        "        client.things.list_notes(thing_id='t1')\n"
        "    print(caught[0].message)\n"
        "    print(client.things.list_notes.__doc__)",
    )
    assert out.splitlines()[0] == said
    assert f"Deprecated: use `default.ping` instead. {LINKED}" in out
    page = (package / "docs" / "sdks" / "things" / "README.md").read_text()
    assert f"calling it warns. Use `default.ping` instead. {LINKED}" in page


def test_responses_of_standard_library_types_parse(package: Path) -> None:
    """A response that is no model (a list of datetimes, a map of UUIDs) still names its types' modules."""
    out = run_python(
        package,
        WITH_SERVER + "    server.add('GET', '/stamps', json_body=['2024-01-02T03:04:05Z'])\n"
        "    server.add('GET', '/stamps/keys', json_body={'a': '8a210b68-6988-11ed-a1eb-0242ac120002'})\n"
        "    with Awkward(auth_header='k', server_url=server.url) as client:\n"
        "        stamps, keys = client.stamps.list(), client.stamps.list_keys()\n"
        "print(type(stamps[0]).__name__, type(keys['a']).__name__)",
    )
    assert out.strip() == "datetime UUID"


def test_a_document_without_models_generates_an_empty_models_package(tmp_path: Path) -> None:
    doc = {**DOC, "paths": {"/stamps": DOC["paths"]["/stamps"]}, "tags": [{"name": "Stamps"}]}
    doc["components"] = {"securitySchemes": DOC["components"]["securitySchemes"]}
    spec = tmp_path / "plain.json"
    spec.write_text(json.dumps(doc))
    write_tree(tmp_path / "sdk", generate(spec, None, "awkward").files)
    out = run_python(tmp_path / "sdk", "from awkward import models; print(models.__all__, dir(models))")
    assert out.strip() == "[] []"
