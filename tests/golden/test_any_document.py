"""Document shapes real documents use, each generating an SDK that type-checks, lints, imports and behaves.

One inline document holds them all: every kind of security scheme with per-operation requirements and
public operations, untagged operations without operationIds, server variables, path-level and cookie
parameters, form and multipart bodies, several content types, `default` responses, optional paging,
union responses, a method named like a builtin, error schemas per status, and schema names that
collide with the SDK's own.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import inspect
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from generator.config import Options
from generator.errors import GeneratorError
from generator.output.write import write_tree
from generator.pipeline import checked_api, generate
from tests.doclinks import broken_links
from tests.golden.test_features import assert_type_checks_and_lints, run_python
from tests.httpserver import Canned, TestServer, serve

JSON = {"Content-Type": "application/json"}

THING = {"$ref": "#/components/schemas/Thing"}


def json_response(schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema}}}}


ERRORS = {
    "404": {
        "description": "missing",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotFound"}}},
    },
    "4XX": {
        "description": "refused",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BadRequestError"}}},
    },
}

DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shapes API", "version": "2.0"},
    "servers": [
        {
            "url": "https://{region}.shapes.test/{base}",
            "variables": {"region": {"default": "eu"}, "base": {"default": "v2"}},
        }
    ],
    "security": [{"bearer": []}, {"key_in_query": []}],
    "tags": [{"name": "Things"}, {"name": "Empty", "description": "declared, but no operation uses it"}],
    # A member OpenAPI does not define, which nothing reads (googleapis.com's documents have one).
    "source": {"url": {}},
    "paths": {
        # A tag named like a class of the SDK's own (telnyx.com), described with an acute accent for an
        # apostrophe, which ruff reads as a backtick (hetras-certification.net).
        "/credentials": {
            "get": {
                "tags": ["Credentials"],
                "operationId": "list-credentials",
                "description": "The key\u00b4s owner.",
                "responses": json_response(
                    {"type": "object", "properties": {"mark": {"type": "string", "enum": ["it\u00b4s", "none"]}}}
                ),
            }
        },
        "/things": {
            "parameters": [{"name": "X-Trace", "in": "header", "schema": {"type": "string"}}],
            "get": {
                "tags": ["Things"],
                "operationId": "list-things",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer", "default": 10}},
                    {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/Status"}},
                    {
                        "name": "order",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["asc", "desc"], "default": "desc"},
                    },
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                ],
                "responses": {**json_response({"$ref": "#/components/schemas/Things"}), **ERRORS},
            },
            "post": {
                "tags": ["Things"],
                "operationId": "create-thing",
                "security": [{"oauth": ["things:write"]}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": THING},
                        "application/xml": {"schema": THING},
                    },
                },
                "responses": {**json_response(THING, "201"), **ERRORS},
            },
        },
        "/things/search": {
            "post": {
                "tags": ["Things"],
                "operationId": "search",
                "security": [{"basic": []}],
                "requestBody": {
                    "content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Query"}}}
                },
                "responses": json_response(
                    {"type": "array", "items": {"oneOf": [THING, {"$ref": "#/components/schemas/Other"}]}}
                ),
            }
        },
        "/things/{thingId}/photo": {
            "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "put": {
                "tags": ["Things"],
                "operationId": "upload-photo",
                "security": [{"oidc": []}, {"key_in_cookie": []}],
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/Photo"}}},
                },
                "responses": {
                    "default": {"description": "the stored thing", "content": {"application/json": {"schema": THING}}}
                },
            },
        },
        "/list": {
            "get": {
                "tags": ["Things"],
                "operationId": "list",
                "x-speakeasy-name-override": "list",
                "responses": json_response({"oneOf": [{"type": "array", "items": THING}, {"type": "string"}]}),
            }
        },
        "/health": {"get": {"security": [], "responses": json_response({"type": "string"})}},
        "/echo/{value}": {
            "get": {
                "security": [{}, {"key_in_header": []}],
                "parameters": [{"name": "value", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "default": {"description": "echo", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "basic": {"type": "http", "scheme": "basic"},
            "key_in_query": {"type": "apiKey", "in": "query", "name": "api_key"},
            "key_in_header": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "key_in_cookie": {"type": "apiKey", "in": "cookie", "name": "token"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {"things:write": "write things"}}
                },
            },
            "oidc": {
                "type": "openIdConnect",
                "openIdConnectUrl": "https://id.shapes.test/.well-known/openid-configuration",
            },
        },
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "example": 42},
                    "l": {"type": "integer"},
                    "born": {"allOf": [{"description": "when it was made"}, {"$ref": "#/components/schemas/DateTime"}]},
                    "died": {"allOf": [{"$ref": "#/components/schemas/DateTime"}], "nullable": True},
                    "size": {"allOf": [{"$ref": "#/components/schemas/Size"}, {"nullable": True, "description": "cm"}]},
                    "tags": {"allOf": [{"type": "array", "items": {"type": "string"}}, {"maxItems": 3}]},
                    "status": {"allOf": [{"$ref": "#/components/schemas/Status"}], "default": "On"},
                    "base": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"$ref": "#/components/schemas/Extra"}]},
                    "config": {"$ref": "#/components/schemas/RetryConfig"},
                    "invoice": {"$ref": "#/components/schemas/InvoiceTransferData"},
                    # ABCMeta's `register`: pydantic warns when a field shadows it (mastercard.com, visma.net).
                    "register": {"type": "string"},
                    # A union that contains itself with no class on the way (vercel.com).
                    "value": {"$ref": "#/components/schemas/JsonValue"},
                    # A property named by punctuation only, holding a list of objects (spoonacular.com).
                    "suggests": {
                        "type": "object",
                        "properties": {
                            "_": {"type": "array", "items": {"type": "object", "properties": {"t": {"type": "string"}}}}
                        },
                    },
                },
            },
            "JsonValue": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "number"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/JsonValue"}},
                ]
            },
            # A cycle whose names ruff orders without regard to case (s before T), described with tabs.
            "InvoiceTransferData": {
                "type": "object",
                "description": "Moves money.\n\tIndented by a tab,\n    and by spaces.",
                "properties": {"next": {"$ref": "#/components/schemas/InvoicesFromInvoice"}},
            },
            "InvoicesFromInvoice": {
                "type": "object",
                "properties": {"back": {"$ref": "#/components/schemas/InvoiceTransferData"}},
            },
            "Things": {
                "type": "object",
                "properties": {
                    "results": {"type": "array", "items": THING},
                    "pageNumber": {"type": "integer"},
                    "pageSize": {"type": "integer"},
                    "totalResults": {"type": "integer"},
                },
            },
            "Other": {"type": "object", "properties": {"other": {"type": "boolean"}}},
            "DateTime": {"type": "string", "examples": ["2024-01-02T03:04:05Z"]},
            "Size": {"type": "number"},
            "Status": {"type": "string", "enum": ["On", "Off", "I"]},
            "Base": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Extra": {"type": "object", "properties": {"b": {"type": "string"}}},
            "RetryConfig": {"type": "object", "properties": {"attempts": {"type": "integer"}}},
            "BadRequestError": {
                "type": "object",
                "properties": {"message": {"type": "string"}, "code": {"type": "integer"}},
            },
            "NotFound": {"type": "object", "properties": {"detail": {"type": "string"}}},
            "Shapes": {"type": "object", "properties": {"unused": {"type": "string"}}},
            "Query": {
                "type": "object",
                "properties": {"q": {"type": "string"}, "limit": {"type": "integer"}, "exact": {"type": "boolean"}},
            },
            "Photo": {
                "type": "object",
                "required": ["image"],
                "properties": {"image": {"type": "string", "format": "binary"}, "caption": {"type": "string"}},
            },
        },
    },
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shapes")
    spec = root / "shapes.json"
    spec.write_text(json.dumps(DOC))
    write_tree(root / "sdk", generate(spec, None, "shapes").files)
    return root / "sdk"


def test_every_shape_type_checks_lints_and_imports_under_warnings_as_errors(package: Path) -> None:
    assert_type_checks_and_lints(package, "shapes")
    run_python(
        package,
        "import warnings; warnings.simplefilter('error')\n"
        "import importlib, pkgutil, shapes\n"
        "for m in pkgutil.walk_packages(shapes.__path__, 'shapes.'): importlib.import_module(m.name)\n"
        "import shapes.models as models; [getattr(models, n) for n in models.__all__]",
    )
    docs = [package / "README.md", *sorted((package / "docs").rglob("*.md"))]
    assert [link for doc in docs for link in broken_links(doc)] == []
    assert "Credentials: `bearer` or `key_in_query`" in (package / "docs/sdks/things/README.md").read_text()


@pytest.fixture(scope="module")
def shapes(package: Path) -> Iterator[Any]:
    """The generated package, imported into this process (its name is used by no other test)."""
    sys.path.insert(0, str(package / "src"))
    try:
        yield importlib.import_module("shapes")
    finally:
        sys.path.remove(str(package / "src"))


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serve() as running:
        yield running


@pytest.fixture(autouse=True)
def no_credentials_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SHAPES_"):
            monkeypatch.delenv(name)


PAGE = {"results": [{"name": "a"}], "pageNumber": 1, "pageSize": 10, "totalResults": 1}


def test_server_variables_take_their_defaults(shapes: Any) -> None:
    assert shapes._constants.DEFAULT_SERVER_URL == "https://eu.shapes.test/v2"


def test_constructor_arguments_and_environment_variables_are_named_after_the_schemes(shapes: Any) -> None:
    parameters = inspect.signature(shapes.Shapes).parameters
    credentials = [
        name
        for name in parameters
        if name not in ("server_url", "timeout", "max_retries", "retry_config", "http_client", "default_headers")
        and name not in ("pause_collector", "strict_responses", "max_response_size")
    ]
    assert credentials == [
        "bearer",
        "basic_username",
        "basic_password",
        "key_in_query",
        "key_in_header",
        "key_in_cookie",
        "oauth",
        "oauth_client_id",
        "oauth_client_secret",
        "oidc",
    ]
    assert all(parameters[name].kind is inspect.Parameter.KEYWORD_ONLY for name in credentials)
    assert [a.env for a in shapes._constants.CREDENTIAL_ARGS][:3] == [
        "SHAPES_BEARER",
        "SHAPES_BASIC_USERNAME",
        "SHAPES_BASIC_PASSWORD",
    ]


def test_public_operations_send_nothing_and_others_refuse_before_sending(shapes: Any, server: TestServer) -> None:
    server.add("GET", "/health", json_body="fine")
    with shapes.Shapes(server_url=server.url) as client:
        assert client.default.get_health() == "fine"
        with pytest.raises(
            shapes.CodatError, match=r"list-things needs credentials: pass bearer=\.\.\. or set SHAPES_BEARER"
        ):
            client.things.list_things()
    assert [r.path for r in server.requests] == ["/health"]
    assert "authorization" not in server.requests[0].headers and not server.requests[0].query


def test_bearer_token_cookie_and_path_level_header(shapes: Any, server: TestServer) -> None:
    server.add("GET", "/things", json_body=PAGE)
    with shapes.Shapes(bearer="tok", server_url=server.url) as client:
        page = client.things.list_things(page=2, session="s 1", x_trace="t-9", status=shapes.models.Status.ON)
    assert page.results is not None and page.results[0].name == "a"
    (sent,) = server.requests
    assert sent.headers["authorization"] == "Bearer tok"
    assert sent.headers["cookie"] == "session=s%201" and sent.headers["x-trace"] == "t-9"
    assert sent.query == {"page": ["2"], "status": ["On"]}


def test_api_key_in_query_from_the_environment_is_sent_and_never_logged(
    shapes: Any, server: TestServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SHAPES_KEY_IN_QUERY", "sekret")
    server.add("GET", "/things", json_body=PAGE)
    with caplog.at_level(logging.DEBUG, logger="shapes"), shapes.Shapes(server_url=server.url) as client:
        client.things.list_things()
    assert server.requests[0].query == {"api_key": ["sekret"]}
    assert caplog.records and not any("sekret" in r.getMessage() for r in caplog.records)


def test_basic_credentials_and_a_form_body(shapes: Any, server: TestServer) -> None:
    server.add("POST", "/things/search", json_body=[{"name": "x"}, {"other": True}])
    with shapes.Shapes(basic_username="ann", basic_password="p:w", server_url=server.url) as client:
        found = client.things.search(query=shapes.models.Query(q="red box", limit=3, exact=True))
    assert [type(item).__name__ for item in found] == ["Thing", "Other"]
    (sent,) = server.requests
    assert sent.headers["authorization"] == "Basic " + base64.b64encode(b"ann:p:w").decode()
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qs(sent.body.decode()) == {"q": ["red box"], "limit": ["3"], "exact": ["true"]}


def test_oauth2_client_credentials_fetches_reuses_and_refreshes_its_token(shapes: Any, server: TestServer) -> None:
    issued = iter(["t1", "t2", "t3"])
    server.add_handler(
        "POST",
        "/oauth/token",
        lambda _: Canned(200, json.dumps({"access_token": next(issued), "expires_in": 3600}).encode(), JSON),
    )
    server.add("POST", "/things", json_body={"name": "made"}, status=201)
    server.add("POST", "/things", status=401, json_body={"message": "revoked"})
    server.add("POST", "/things", json_body={"name": "again"}, status=201)
    with shapes.Shapes(oauth_client_id="app", oauth_client_secret="s3cret", server_url=server.url) as client:
        assert client.things.create(thing={"name": "made"}).name == "made"
        assert client.things.create(thing={"name": "again"}).name == "again"
    paths = [(r.path, r.headers.get("authorization")) for r in server.requests]
    basic = "Basic " + base64.b64encode(b"app:s3cret").decode()
    assert paths == [
        ("/oauth/token", basic),
        ("/things", "Bearer t1"),
        ("/things", "Bearer t1"),  # refused: the token is fetched again, once
        ("/oauth/token", basic),
        ("/things", "Bearer t2"),
    ]
    assert parse_qs(server.requests[0].body.decode()) == {
        "grant_type": ["client_credentials"],
        "scope": ["things:write"],
    }


def test_an_expiring_token_is_fetched_again_before_it_is_sent(shapes: Any, server: TestServer) -> None:
    issued = iter(["t1", "t2"])
    server.add_handler(
        "POST",
        "/oauth/token",
        lambda _: Canned(200, json.dumps({"access_token": next(issued), "expires_in": 60}).encode(), JSON),
    )
    server.add("POST", "/things", json_body={"name": "n"}, status=201)
    now = [1000.0]
    with shapes.Shapes(oauth_client_id="app", oauth_client_secret="s", server_url=server.url) as client:
        client._clock = lambda: now[0]
        client.things.create(thing={"name": "n"})
        now[0] += 20  # 40 s left: still good
        client.things.create(thing={"name": "n"})
        now[0] += 20  # 20 s left: inside the margin
        client.things.create(thing={"name": "n"})
    assert [r.headers.get("authorization") for r in server.requests if r.path == "/things"] == [
        "Bearer t1",
        "Bearer t1",
        "Bearer t2",
    ]


def test_a_token_given_directly_is_sent_without_fetching(shapes: Any, server: TestServer) -> None:
    server.add("POST", "/things", json_body={"name": "n"}, status=201)
    with shapes.Shapes(oauth="ready", server_url=server.url) as client:
        client.things.create(thing={"name": "n"})
    assert [(r.path, r.headers["authorization"]) for r in server.requests] == [("/things", "Bearer ready")]


def test_multipart_fields_and_files_with_an_api_key_cookie(shapes: Any, server: TestServer) -> None:
    server.add("PUT", "/things/t%201/photo", json_body={"name": "pictured"})
    with shapes.Shapes(key_in_cookie="c00kie", server_url=server.url) as client:
        stored = client.things.upload_photo(thing_id="t 1", photo={"image": b"\x89PNG\x00", "caption": "me"})
    assert stored.name == "pictured"
    (sent,) = server.requests
    assert sent.headers["cookie"] == "token=c00kie"
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="caption"\r\n\r\nme' in sent.body
    assert b'name="image"; filename="image"' in sent.body and b"\x89PNG\x00" in sent.body


def test_optional_credentials_are_sent_when_given(shapes: Any, server: TestServer) -> None:
    server.add("GET", "/echo/x", body=b"x", headers={"Content-Type": "text/plain"})
    with shapes.Shapes(server_url=server.url) as anonymous:
        assert anonymous.default.get_echo_value(value="x") == "x"
    with shapes.Shapes(key_in_header="k1", server_url=server.url) as keyed:
        keyed.default.get_echo_value(value="x")
    assert [r.headers.get("x-api-key") for r in server.requests] == [None, "k1"]


def test_error_bodies_are_parsed_by_the_schema_for_their_status(shapes: Any, server: TestServer) -> None:
    server.add("GET", "/things", status=404, json_body={"detail": "no such page"})
    server.add("GET", "/things", status=400, json_body={"message": "bad status", "code": 7})
    server.add("GET", "/things", status=418, body=b"<html>teapot</html>")
    with shapes.Shapes(bearer="t", server_url=server.url, max_retries=0) as client:
        with pytest.raises(shapes.NotFoundError, match="no such page") as missing:
            client.things.list_things()
        with pytest.raises(shapes.BadRequestError, match="bad status") as bad:
            client.things.list_things()
        with pytest.raises(shapes.APIStatusError, match="teapot") as teapot:
            client.things.list_things()
    assert isinstance(missing.value.error, shapes.models.NotFound)
    assert isinstance(bad.value.error, shapes.models.BadRequestErrorModel) and bad.value.error.code == 7
    assert teapot.value.error is None and teapot.value.body == b"<html>teapot</html>"


def test_a_union_response_and_an_optional_page_that_starts_at_the_documented_minimum(
    shapes: Any, server: TestServer
) -> None:
    server.add("GET", "/list", json_body="just text")
    server.add("GET", "/list", json_body=[{"name": "n"}])
    server.add("GET", "/things", json_body={**PAGE, "pageNumber": 1, "totalResults": 1})
    with shapes.Shapes(bearer="t", server_url=server.url) as client:
        assert client.things.list() == "just text"
        assert [t.name for t in client.things.list()] == ["n"]
        assert [t.name for t in client.things.list_things_all()] == ["a"]
    assert server.requests[-1].query == {"page": ["1"]}


def test_async_client_fetches_tokens_too(shapes: Any, server: TestServer) -> None:
    server.add_handler(
        "POST", "/oauth/token", lambda _: Canned(200, b'{"access_token": "at", "expires_in": 100}', JSON)
    )
    server.add("POST", "/things", json_body={"name": "n"}, status=201)

    async def main() -> list[str]:
        async with shapes.AsyncShapes(oauth_client_id="a", oauth_client_secret="b", server_url=server.url) as client:
            made = await asyncio.gather(*(client.things.create(thing={"name": "n"}) for _ in range(3)))
            return [m.name for m in made]

    assert asyncio.run(main()) == ["n", "n", "n"]
    assert [r.path for r in server.requests].count("/oauth/token") == 1


WEBHOOKS_ONLY: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Hooks", "version": "1"},
    "webhooks": {
        "order.created": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                "responses": {"200": {"description": "received"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "state": {"type": "string", "enum": ["new", "paid"]}},
            },
            "Unused": {"type": "object", "properties": {"x": {"type": "string"}}},
        }
    },
}


def test_a_member_openapi_does_not_define_is_a_warning_unless_strict(tmp_path: Path) -> None:
    spec = tmp_path / "shapes.json"
    spec.write_text(json.dumps(DOC))
    _, warnings = checked_api(spec, None, "shapes")
    unknown = [w for w in warnings if w.pointer == "#/source"]
    assert len(unknown) == 1 and unknown[0].message == "unexpected keyword 'source'"
    assert "never read" in unknown[0].hint
    with pytest.raises(GeneratorError) as refused:
        checked_api(spec, None, "shapes", Options(strict=True))
    assert any(d.pointer == "#/source" for d in refused.value.diagnostics)


def test_a_document_of_webhooks_only_generates_their_models(tmp_path: Path) -> None:
    spec = tmp_path / "hooks.json"
    spec.write_text(json.dumps(WEBHOOKS_ONLY))
    result = generate(spec, None, "hooks")
    write_tree(tmp_path / "sdk", result.files)
    assert result.api.resources == ()
    assert [(w.name, w.model) for w in result.api.webhooks] == [("order.created", "Order")]
    assert sorted(s.class_name for m in result.api.modules for s in m.schemas) == ["Order", "OrderState"]
    assert_type_checks_and_lints(tmp_path / "sdk", "hooks")
    out = run_python(
        tmp_path / "sdk",
        "import warnings; warnings.simplefilter('error')\n"
        "from hooks import models\n"
        'order = models.Order.model_validate_json(b\'{"id": "o1", "state": "refunded", "extra": 1}\')\n'
        "print(order.id, order.state.value)",
    )
    assert out.strip() == "o1 refunded"
    assert broken_links(tmp_path / "sdk" / "README.md") == []


def test_a_document_of_components_only_generates_all_of_them(tmp_path: Path) -> None:
    doc = {**WEBHOOKS_ONLY, "webhooks": {}}
    spec = tmp_path / "models.json"
    spec.write_text(json.dumps(doc))
    result = generate(spec, None, "models_only")
    assert sorted(s.class_name for m in result.api.modules for s in m.schemas) == ["Order", "OrderState", "Unused"]


def test_a_document_with_nothing_to_generate_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "empty.json"
    spec.write_text(json.dumps({"openapi": "3.1.0", "info": {"title": "E", "version": "1"}, "paths": {}}))
    with pytest.raises(GeneratorError) as caught:
        generate(spec, None, "empty")
    assert [d.message for d in caught.value.diagnostics] == ["the document has no operations, webhooks or schemas"]
