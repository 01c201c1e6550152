"""What goes on the wire, byte for byte, for a document of every parameter style and body shape.

One inline document, generated into a package, called through its sync and async clients against a
local server that records each request as it came and checks it against the document with openapi-core
(a validator we did not write). Money (`format: decimal`) travels as JSON numbers with exactly its
digits, both ways; parameters are checked against their types and written as their `style` and
`explode` say; `None` is sent as null only where the document allows null; every body shape takes
models and dicts alike and is checked before sending.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.conftest import ROOT
from tests.contract import DOCUMENTED_HOST, Contract
from tests.httpserver import TestServer, serve


def _schema(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], status: str = "200", **media: Any) -> dict[str, Any]:
    return {status: {"description": "ok", "content": {"application/json": {"schema": schema, **media}}}}


def _param(name: str, where: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": schema, **({"required": True} if where == "path" else {}), **more}


STRINGS = {"type": "array", "items": {"type": "string"}}
INTS = {"type": "array", "items": {"type": "integer"}}
RGB = {"type": "object", "properties": {n: {"type": "integer"} for n in "RGB"}}

DOC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Wire API", "version": "1.0"},
    "servers": [{"url": DOCUMENTED_HOST}],
    "paths": {
        "/paint/{simple}": {
            "get": {
                "operationId": "paint",
                "tags": ["Wire"],
                "parameters": [
                    _param("simple", "path", STRINGS),
                    _param("ids", "query", INTS),
                    _param("tags", "query", STRINGS, explode=False),
                    _param("spaced", "query", STRINGS, style="spaceDelimited", explode=False),
                    _param("piped", "query", STRINGS, style="pipeDelimited", explode=False),
                    _param("filter", "query", RGB, style="deepObject", explode=True),
                    _param("color", "query", RGB),
                    _param("q", "query", {"type": "string"}),
                    _param("page", "query", {"type": "integer", "minimum": 1}),
                    {"name": "where", "in": "query", "content": {"application/json": {"schema": RGB}}},
                    _param("X-Ids", "header", INTS),
                    _param("X-Color", "header", RGB, explode=True),
                    _param("prefs", "cookie", STRINGS, explode=False),
                    # OpenAPI says to ignore these three: the SDK's own values stand.
                    _param("Accept", "header", {"type": "string", "default": "text/plain"}),
                    _param("Content-Type", "header", {"type": "string"}),
                    _param("Authorization", "header", {"type": "string"}),
                ],
                "responses": {"204": {"description": "painted"}},
            }
        },
        "/shade/{label}/{matrix}": {
            "get": {
                "operationId": "shade",
                "tags": ["Wire"],
                "parameters": [
                    _param("label", "path", RGB, style="label", explode=True),
                    _param("matrix", "path", STRINGS, style="matrix", explode=True),
                ],
                "responses": {"204": {"description": "shaded"}},
            }
        },
        "/payments": {
            "post": {
                "operationId": "pay",
                "tags": ["Wire"],
                "requestBody": {"required": True, "content": {"application/json": {"schema": _schema("Payment")}}},
                "responses": _json(_schema("Payment")),
            }
        },
        "/batches": {
            "post": {
                "operationId": "pay-batch",
                "tags": ["Wire"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "array", "items": _schema("Payment")}}},
                },
                "responses": _json({"type": "array", "items": _schema("Payment")}),
            }
        },
        "/ledgers": {
            "post": {
                "operationId": "post-ledger",
                "tags": ["Wire"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"type": "object", "additionalProperties": _schema("Payment")}}
                    },
                },
                "responses": {"204": {"description": "posted"}},
            }
        },
        "/methods": {
            "post": {
                "operationId": "add-method",
                "tags": ["Wire"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"oneOf": [_schema("Card"), _schema("Transfer")]}}},
                },
                "responses": {"204": {"description": "added"}},
            }
        },
        "/accounts": {
            "post": {
                "operationId": "open-account",
                "tags": ["Wire"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"anyOf": [_schema("AccountV2"), _schema("AccountV1")]}}
                    },
                },
                "responses": {"204": {"description": "opened"}},
            }
        },
        "/spend": {
            "get": {
                "operationId": "get-spend",
                "tags": ["Wire"],
                "parameters": [_param("below", "query", {"type": "number", "format": "decimal", "default": 1})],
                "responses": {"204": {"description": "none"}},
            }
        },
        "/analysis": {
            "get": {
                "operationId": "get-analysis",
                "tags": ["Wire"],
                # Properties but no `type`: the example, a bare array, fits it as JSON Schema reads it.
                "responses": _json(_schema("Analysis"), example=[{"name": "a", "spend": 1.5}]),
            }
        },
    },
    "components": {
        "schemas": {
            "Payment": {
                "type": "object",
                "required": ["amount"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "amount": {"type": "number", "format": "decimal"},
                    "fees": {"type": "array", "items": {"type": "number", "format": "decimal"}},
                    "note": {"type": "string"},
                    "memo": {"type": ["string", "null"]},
                },
                "additionalProperties": False,
            },
            "Card": {
                "type": "object",
                "required": ["cardNumber"],
                "properties": {"cardNumber": {"type": "string"}},
                "additionalProperties": False,
            },
            "Transfer": {
                "type": "object",
                "required": ["iban"],
                "properties": {"iban": {"type": "string"}},
                "additionalProperties": False,
            },
            # Bank Feeds' source accounts (anyOf here: a oneOf both take, as Codat's, breaks the document):
            # both versions take a dict of either's shape, but only the first lists its account types.
            "AccountV2": {
                "type": "object",
                "required": ["name", "kind"],
                "properties": {"name": {"type": "string"}, "kind": {"type": "string", "enum": ["checking", "loan"]}},
            },
            "AccountV1": {
                "type": "object",
                "required": ["name", "kind"],
                "properties": {"name": {"type": "string"}, "kind": {"type": "string"}},
            },
            "Analysis": {"properties": {"results": {"type": "array", "items": {"type": "object"}}}},
        }
    },
}

BIG = "12345678901234567890.123456789"


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    folder = tmp_path_factory.mktemp("wire")
    spec = folder / "wire.json"
    spec.write_text(json.dumps(DOC))
    write_tree(folder / "sdk", generate(spec, None, "wire_sdk").files)
    sys.path.insert(0, str(folder / "sdk" / "src"))
    try:
        yield importlib.import_module("wire_sdk"), spec
    finally:
        sys.path.remove(str(folder / "sdk" / "src"))


@pytest.fixture
def server(wire: tuple[ModuleType, Path]) -> Iterator[TestServer]:
    with serve(Contract(wire[1])) as running:
        yield running
    assert not running.violations, "exchanges that break the document:\n" + "\n".join(running.violations)


def client(wire: tuple[ModuleType, Path], server: TestServer) -> Any:
    return wire[0].WireSdk(server_url=server.url, max_retries=0)


def test_each_style_is_written_as_openapi_says(wire: tuple[ModuleType, Path], server: TestServer) -> None:
    server.add_template("GET", "/paint/{simple}", body=b"", status=204)
    with client(wire, server) as api:
        api.wire.paint(
            simple=["a b", "c"],
            ids=[1, 2],
            tags=["p", "q"],
            spaced=["s", "t"],
            piped=["u", "v"],
            filter={"R": 100, "G": 200},
            color={"R": 7},
            q="fish & chips",
            page=2,
            where={"R": 1, "G": 2},
            x_ids=[3, 4],
            x_color={"R": 5, "G": 6},
            prefs=["dark", "wide"],
        )
    request = server.requests[-1]
    assert request.raw_path == "/paint/a%20b,c"
    assert request.raw_query == (
        "ids=1&ids=2&tags=p,q&spaced=s%20t&piped=u%7Cv&filter%5BR%5D=100&filter%5BG%5D=200&R=7"
        "&q=fish%20%26%20chips&page=2&where=%7B%22R%22%3A1%2C%22G%22%3A2%7D"
    )
    assert request.headers["x-ids"] == "3,4"
    assert request.headers["x-color"] == "R=5,G=6"
    assert request.headers["cookie"] == "prefs=dark,wide"
    assert request.headers["accept"] == "*/*"


def test_label_and_matrix_path_parameters(wire: tuple[ModuleType, Path]) -> None:
    """Not checked by openapi-core, which looks label and matrix values up under other names
    (`.label*`) than the document's path template gives them."""
    with serve() as server:
        server.add_template("GET", "/shade/{label}/{matrix}", body=b"", status=204)
        with client(wire, server) as api:
            api.wire.shade(label={"R": 1, "G": 2, "B": 3}, matrix=["x", "y"])
    assert server.requests[-1].raw_path == "/shade/.R=1.G=2.B=3/;matrix=x;matrix=y"


def test_headers_the_sdk_sets_itself_are_no_arguments(wire: tuple[ModuleType, Path]) -> None:
    names = set(inspect.signature(wire[0].resources.wire.Wire.paint).parameters)
    assert not names & {"accept", "content_type", "authorization"}
    assert {"x_ids", "x_color", "prefs", "q"} <= names


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ({"page": "two"}, r"page: Input should be a valid integer"),
        ({"ids": ["1", "x"]}, r"ids\[1\]: Input should be a valid integer"),
        ({"simple": None}, r"simple: is required, got None"),
        ({"simple": []}, r"simple: a path parameter cannot be empty"),
        ({"simple": [""]}, r"simple: a path parameter cannot be empty"),
        ({"x_color": {"R": "red"}}, r"x_color \(the header parameter 'X-Color'\)\.R: Input should be a valid integer"),
    ],
)
def test_parameters_are_checked_before_sending(
    wire: tuple[ModuleType, Path], server: TestServer, arguments: dict[str, Any], said: str
) -> None:
    call = {"simple": ["a"], **arguments}
    with client(wire, server) as api, pytest.raises(wire[0].RequestValidationError, match=r"wire\.paint: .*" + said):
        api.wire.paint(**call)
    assert server.requests == []


def test_decimals_travel_with_exactly_their_digits(wire: tuple[ModuleType, Path], server: TestServer) -> None:
    answer = b'{"id":"p1","amount":%s,"fees":[0.10,1E+2]}' % BIG.encode()
    server.add("POST", "/payments", body=answer, headers={"Content-Type": "application/json"})
    models = wire[0].models
    with client(wire, server) as api:
        paid = api.wire.pay(payment=models.Payment(amount=Decimal("10.50"), fees=[Decimal("0.10"), Decimal(BIG)]))
    assert server.requests[-1].body == b'{"amount":10.50,"fees":[0.10,%s]}' % BIG.encode()
    assert paid.amount == Decimal(BIG) and str(paid.amount) == BIG
    assert [str(fee) for fee in paid.fees] == ["0.10", "1E+2"]


def test_a_list_body_takes_models_and_dicts_and_parses_decimals_async(
    wire: tuple[ModuleType, Path], server: TestServer
) -> None:
    server.add("POST", "/batches", body=b'[{"amount":0.10}]', headers={"Content-Type": "application/json"})
    sdk = wire[0]

    async def pay() -> Any:
        async with sdk.AsyncWireSdk(server_url=server.url, max_retries=0) as api:
            return await api.wire.pay_batch(
                body=[sdk.models.Payment(amount=Decimal("1.5")), {"amount": Decimal("2.25"), "note": "dict"}]
            )

    paid = asyncio.run(pay())
    assert server.requests[-1].body == b'[{"amount":1.5},{"amount":2.25,"note":"dict"}]'
    assert str(paid[0].amount) == "0.10"


def test_union_and_map_bodies_are_checked_and_written_alike(wire: tuple[ModuleType, Path], server: TestServer) -> None:
    sdk = wire[0]
    server.add("POST", "/methods", status=204)
    server.add("POST", "/ledgers", status=204)
    with client(wire, server) as api:
        api.wire.add_method(body=sdk.models.Transfer(iban="GB00"))
        api.wire.add_method(body={"cardNumber": "4111"})
        api.wire.post_ledger(body={"rent": sdk.models.Payment(amount=Decimal("900.00")), "food": {"amount": 12}})
        sent = [r.body for r in server.requests]
        with pytest.raises(sdk.RequestValidationError, match=r"body\['food'\]\.amont: Payment has no such field"):
            api.wire.post_ledger(body={"food": {"amount": 1, "amont": 2}})
        with pytest.raises(sdk.RequestValidationError, match=r"body"):
            api.wire.add_method(body={"cardNumbr": "4111"})
    assert sent == [b'{"iban":"GB00"}', b'{"cardNumber":"4111"}', b'{"rent":{"amount":900.00},"food":{"amount":12}}']
    assert len(server.requests) == 3


def test_a_union_body_takes_the_branch_that_lists_its_value(wire: tuple[ModuleType, Path], server: TestServer) -> None:
    """A dict both branches take (pydantic would keep the first) goes as the branch whose enum lists its
    value; one that fits no branch without a typo is still refused."""
    sdk = wire[0]
    server.add("POST", "/accounts", status=204)
    with client(wire, server) as api:
        api.wire.open_account(body={"name": "a", "kind": "loan"})
        api.wire.open_account(body={"name": "b", "kind": "brokerage"})
        with pytest.raises(sdk.RequestValidationError, match=r"body\.kind: 'brokerage' is not a"):
            api.wire.open_account(body=sdk.models.AccountV2(name="c", kind="brokerage"))
        with pytest.raises(sdk.RequestValidationError, match=r"no such field"):
            api.wire.open_account(body={"name": "d", "kind": "brokerage", "nmae": "d"})
    assert [r.json() for r in server.requests] == [{"name": "a", "kind": "loan"}, {"name": "b", "kind": "brokerage"}]


def test_an_amount_parameter_takes_a_number_and_keeps_its_digits(
    wire: tuple[ModuleType, Path], server: TestServer
) -> None:
    server.add("GET", "/spend", status=204)
    with client(wire, server) as api:
        api.wire.get_spend(below=1)
        api.wire.get_spend(below=2.5)
        api.wire.get_spend(below=Decimal("1000.10"))
        with pytest.raises(wire[0].RequestValidationError, match="below"):
            api.wire.get_spend(below="lots")  # type: ignore[arg-type]
    assert [r.raw_query for r in server.requests] == ["below=1", "below=2.5", "below=1000.10"]


def test_none_is_sent_as_null_only_where_the_document_allows_null(
    wire: tuple[ModuleType, Path], server: TestServer
) -> None:
    server.add("POST", "/payments", json_body={"amount": 1})
    models = wire[0].models
    with client(wire, server) as api:
        api.wire.pay(payment=models.Payment(amount=Decimal(1), note=None, memo=None))
        api.wire.pay(payment={"amount": 2, "note": None})
        api.wire.pay(payment=models.Payment(amount=Decimal(3), id="server-set"))
    assert [r.body for r in server.requests] == [b'{"amount":1,"memo":null}', b'{"amount":2}', b'{"amount":3}']


def test_a_response_that_fits_an_untyped_schema_parses(wire: tuple[ModuleType, Path], server: TestServer) -> None:
    server.add("GET", "/analysis", json_body=[{"name": "a", "spend": 1.5}])
    server.add("GET", "/analysis", json_body={"results": [{"name": "a"}]})
    with client(wire, server) as api:
        listed = api.wire.get_analysis()
        modelled = api.wire.get_analysis()
    assert listed == [{"name": "a", "spend": 1.5}]
    assert isinstance(modelled, wire[0].models.Analysis) and modelled.results == [{"name": "a"}]


BANK_FEEDS = ROOT.parent / "shared" / "specs" / "codat" / "Codat-Bank-Feeds.json"


@pytest.mark.realdoc
def test_bank_feeds_sends_and_reads_amounts_with_every_digit(tmp_path: Path) -> None:
    """The core write of Codat's Bank Feeds API, generated from Codat's own document: amounts reach the
    wire as JSON numbers with exactly the digits given, and the push's echo parses to equal Decimals."""
    result = generate(BANK_FEEDS, None, "bank_feeds_wire")
    write_tree(tmp_path / "sdk", result.files)
    resource, method, body = next(
        (r.attr_name, op.method_name, op.body.py_name)
        for r in result.api.resources
        for op in r.operations
        if op.operation_id == "create-bank-transactions" and op.body is not None
    )
    sys.path.insert(0, str(tmp_path / "sdk" / "src"))
    try:
        sdk = importlib.import_module("bank_feeds_wire")
        transactions = [
            {"id": "t1", "date": "2023-08-22T10:21:00", "description": "Fee", "amount": Decimal("10.50")},
            {"id": "t2", "date": "2023-08-22T10:22:00", "description": "Sale", "amount": Decimal(BIG)},
        ]
        echo = b'{"data":{"accountId":"a","transactions":[{"id":"t1","amount":10.50},{"id":"t2","amount":%s}]}}'
        with serve() as server:
            server.add_template(
                "POST",
                "/companies/{companyId}/connections/{connectionId}/push/bankAccounts/{accountId}/bankTransactions",
                body=echo % BIG.encode(),
                headers={"Content-Type": "application/json"},
            )
            with getattr(sdk, result.api.client_class)(auth_header="Basic eA==", server_url=server.url) as client:
                pushed = getattr(getattr(client, resource), method)(
                    company_id="c",
                    connection_id="d",
                    account_id="a",
                    **{body: {"accountId": "a", "transactions": transactions}},
                )
        sent = server.requests[-1].body
        assert b'"amount":10.50' in sent and b'"amount":' + BIG.encode() in sent
        assert [t["amount"] for t in json.loads(sent, parse_float=Decimal)["transactions"]] == [
            Decimal("10.50"),
            Decimal(BIG),
        ]
        amounts = [t.amount for t in pushed.data.transactions]
        assert amounts == [Decimal("10.50"), Decimal(BIG)] and [str(a) for a in amounts] == ["10.50", BIG]
    finally:
        sys.path.remove(str(tmp_path / "sdk" / "src"))
        for name in [m for m in sys.modules if m.split(".")[0] == "bank_feeds_wire"]:
            del sys.modules[name]


def test_extra_query_and_extra_body_send_what_the_document_does_not_declare(wire: tuple[ModuleType, Path]) -> None:
    """The way round the typo guard: a field the model refuses goes in `extra_body`, as given (off the
    document by design, so the server here checks nothing against it)."""
    models = wire[0].models
    with serve() as server, client(wire, server) as api:
        server.add("POST", "/payments", json_body={"amount": 1})
        with pytest.raises(wire[0].RequestValidationError, match="Payment has no such field"):
            api.wire.pay(payment={"amount": 1, "tip": Decimal("0.50")})
        api.wire.pay(
            payment=models.Payment(amount=Decimal("1.00")),
            extra_body={"tip": Decimal("0.50")},
            extra_query={"trace": "a b", "ids": [1, 2]},
        )
        with pytest.raises(wire[0].RequestValidationError, match="extra_body: the body is not an object"):
            api.wire.pay_batch(body=[], extra_body={"x": 1})
    (request,) = server.requests[-1:]
    assert request.body == b'{"amount":1.00,"tip":0.50}'
    assert request.raw_query == "trace=a%20b&ids=1&ids=2"
