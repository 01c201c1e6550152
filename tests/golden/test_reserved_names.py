"""Every name the generated code uses itself, given by a document in every position a name can take.

The reserved sets (generator/text/reserved.py) are read off the runtime and the templates; this document takes
each of them as a schema name, a property name, a tag, an operationId, a parameter name and a security
scheme name. The SDK it makes compiles, imports, passes mypy --strict and ruff, and sends and parses
every wire name unchanged against a local server.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.ir.api import Api
from generator.output.write import write_tree
from generator.pipeline import generate
from generator.text.reserved import reserved
from tests.golden.test_features import assert_type_checks_and_lints
from tests.httpserver import serve

RESERVED = reserved()
# Names that become reserved ones only once cased for their place: `none` is the class `None`.
CASED = {"none", "true", "false", "True"}
CLASSES = sorted(RESERVED.classes | CASED)
# Property names: every name a field may not take, plus two that meet in one Python name.
PROPERTIES = sorted(RESERVED.fields | {"userId", "user_id"})
# Parameter names, each in the query but two: one as a header, one as a cookie.
HEADER, COOKIE = "fetch", "read"
PARAMETERS = sorted((RESERVED.parameters | {"userId", "user_id"}) - {HEADER, COOKIE})


def _document() -> dict[str, Any]:
    ok = {"204": {"description": "ok"}}
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Everything"}}}}
    echo = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Everything"}}},
        }
    }
    paths: dict[str, Any] = {
        "/everything": {"post": {"operationId": "echo", "tags": ["Names"], "requestBody": body, "responses": echo}},
        "/parameters/{path}": {
            "get": {
                "operationId": "parameters",
                "tags": ["Names"],
                "parameters": [
                    {"name": "path", "in": "path", "required": True, "schema": {"type": "string"}},
                    *({"name": n, "in": "query", "schema": {"type": "string"}} for n in PARAMETERS),
                    {"name": HEADER, "in": "header", "schema": {"type": "string"}},
                    {"name": COOKIE, "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": ok,
            }
        },
    }
    # Every name a method may not take, as an operationId; every name a resource attribute or class may
    # not take, as a tag.
    for index, name in enumerate(sorted(RESERVED.methods)):
        paths[f"/methods/{index}"] = {"get": {"operationId": name, "tags": ["Names"], "responses": ok}}
    for index, name in enumerate(sorted(RESERVED.client_attributes | RESERVED.resource_classes | CASED)):
        paths[f"/tags/{index}"] = {"get": {"operationId": f"call-{index}", "tags": [name], "responses": ok}}
    schemas: dict[str, Any] = {
        "Everything": {"type": "object", "properties": {n: {"type": "string"} for n in PROPERTIES}},
        **{name: {"type": "object", "properties": {"value": {"type": "string"}}} for name in CLASSES},
    }
    # Every class name a schema may not take is used, so that its class is generated.
    schemas["Everything"]["properties"]["classes"] = {
        "type": "array",
        "items": {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in CLASSES]},
    }
    schemes = {
        name: {"type": "apiKey", "in": "header", "name": f"X-{index}"}
        for index, name in enumerate(sorted(RESERVED.credentials))
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Names", "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "security": [{name: [] for name in schemes}],  # all at once: every credential argument is sent
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": schemes},
    }


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, ModuleType, Path]]:
    folder = tmp_path_factory.mktemp("names")
    spec = folder / "names.json"
    spec.write_text(json.dumps(_document()))
    result = generate(spec, None, "names_sdk")
    write_tree(folder / "sdk", result.files)
    sys.path.insert(0, str(folder / "sdk" / "src"))
    try:
        yield result.api, importlib.import_module("names_sdk"), folder / "sdk"
    finally:
        sys.path.remove(str(folder / "sdk" / "src"))


def test_the_sdk_of_every_reserved_name_type_checks_and_lints(names: tuple[Api, ModuleType, Path]) -> None:
    api, _, out = names
    assert len(api.resources) > len(RESERVED.client_attributes)
    assert_type_checks_and_lints(out, "names_sdk")


def test_no_generated_name_is_one_the_sdk_uses(names: tuple[Api, ModuleType, Path]) -> None:
    api, _, _ = names
    fields = [f.py_name for m in api.modules for s in m.schemas for f in s.fields]
    assert not set(fields) & RESERVED.fields
    assert not {s.class_name for m in api.modules for s in m.schemas} & RESERVED.classes
    assert not {r.attr_name for r in api.resources} & RESERVED.client_attributes
    assert not {r.class_name for r in api.resources} & RESERVED.resource_classes
    methods = {op.method_name for r in api.resources for op in r.operations}
    assert not methods & RESERVED.methods
    assert not {p.py_name for r in api.resources for op in r.operations for p in op.parameters} & RESERVED.parameters
    assert not {c.arg_name for s in api.schemes for c in s.credentials} & RESERVED.credentials


def test_every_wire_name_goes_out_and_comes_back_unchanged(names: tuple[Api, ModuleType, Path]) -> None:
    api, sdk, _ = names
    everything = next(s for m in api.modules for s in m.schemas if s.class_name == "Everything")
    values = {f.py_name: f"v-{f.wire_name}" for f in everything.fields if f.wire_name != "classes"}
    answer = {f.wire_name: f"r-{f.wire_name}" for f in everything.fields if f.wire_name != "classes"}
    operations = {op.operation_id: op for r in api.resources for op in r.operations}
    parameters = operations["parameters"]
    query = {p.py_name: f"q-{p.wire_name}" for p in parameters.query_params}
    header, cookie = parameters.header_params[0].py_name, parameters.cookie_params[0].py_name
    credentials = {c.arg_name: f"k-{c.arg_name}" for s in api.schemes for c in s.credentials}
    with serve() as server:
        server.add("POST", "/everything", json_body=answer)
        server.add("GET", "/parameters/p", status=204)
        with getattr(sdk, api.client_class)(server_url=server.url, **credentials) as client:
            echoed = client.names.echo(everything=sdk.models.Everything(**values))
            client.names.parameters(path="p", **{header: "h", cookie: "c"}, **query)
    sent, asked = server.requests
    assert sent.json() == {f.wire_name: f"v-{f.wire_name}" for f in everything.fields if f.wire_name != "classes"}
    assert {f.wire_name: getattr(echoed, f.py_name) for f in everything.fields if f.wire_name != "classes"} == answer
    assert asked.query == {p.wire_name: [f"q-{p.wire_name}"] for p in parameters.query_params}
    assert asked.headers[HEADER] == "h" and asked.headers["cookie"] == f"{COOKIE}=c"
    for index, scheme in enumerate(sorted(RESERVED.credentials)):
        arg = next(c.arg_name for s in api.schemes if s.key == scheme for c in s.credentials)
        assert sent.headers[f"x-{index}"] == f"k-{arg}"
