"""Bodies given as dicts, typed by the TypedDict beside each request model.

One inline document whose request models have keys no class body can hold (`from`, a keyword, and
`line-items`), a nested model, an enum, an amount, a read-only field, a list body and a multipart body
with a file. Type checkers (mypy --strict and pyright strict, without the pydantic plugin, through the
machinery of the docs examples' check) refuse a misspelt, missing or read-only key, a nested typo, an
unlisted enum value and text for a file, and pass the right dicts; at run time, through the sync and
async clients against a local server that checks each exchange against the document with openapi-core,
a dict goes on the wire byte for byte as the same model does, and a misspelt key is still refused
before sending.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.contract import DOCUMENTED_HOST, Contract
from tests.httpserver import TestServer, serve
from tests.sdk.test_uploads import parts
from tests.typecheck import configure, pyright_or_skip, run_mypy, run_pyright

AMOUNT = {"type": "number", "format": "decimal"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _post(operation_id: str, schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {
        "post": {
            "operationId": operation_id,
            "tags": ["Ledger"],
            "requestBody": {"required": True, "content": {media: {"schema": schema}}},
            "responses": {"204": {"description": "done"}},
        }
    }


# OpenAPI 3.0: openapi-core reads a 3.1 document's `format: binary` as text and would refuse every file.
DOC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Ledger API", "version": "1.0"},
    "servers": [{"url": DOCUMENTED_HOST}],
    "paths": {
        "/transfers": _post("create-transfer", _ref("Transfer")),
        "/transfers/batch": _post("create-transfer-batch", {"type": "array", "items": _ref("Transfer")}),
        "/receipts": _post("upload-receipt", _ref("Receipt"), "multipart/form-data"),
    },
    "components": {
        "schemas": {
            "Transfer": {
                "type": "object",
                "required": ["from", "amount", "status"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "from": {"type": "string"},
                    "to": {"type": "string"},
                    "amount": AMOUNT,
                    "status": {"type": "string", "enum": ["pending", "booked"]},
                    "line-items": {"type": "array", "items": _ref("LineItem")},
                    "memo": {"type": "string", "nullable": True},
                },
            },
            "LineItem": {
                "type": "object",
                "required": ["description"],
                "additionalProperties": False,
                "properties": {"description": {"type": "string"}, "amount": AMOUNT},
            },
            "Receipt": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
            },
        }
    },
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path, Path]]:
    """The SDK imported, the document, and the SDK's folder."""
    folder = tmp_path_factory.mktemp("ledger")
    spec = folder / "ledger.json"
    spec.write_text(json.dumps(DOC))
    write_tree(folder / "sdk", generate(spec, None, "ledger_sdk").files)
    sys.path.insert(0, str(folder / "sdk" / "src"))
    try:
        yield importlib.import_module("ledger_sdk"), spec, folder / "sdk"
    finally:
        sys.path.remove(str(folder / "sdk" / "src"))


@pytest.fixture
def server(ledger: tuple[ModuleType, Path, Path]) -> Iterator[TestServer]:
    with serve(Contract(ledger[1])) as running:
        for path in ("/transfers", "/transfers/batch", "/receipts"):
            running.add("POST", path, 204)
        yield running
    assert not running.violations, "exchanges that break the document:\n" + "\n".join(running.violations)


# ---- what a type checker makes of them ----------------------------------------------------------

RIGHT = """\
from decimal import Decimal

from ledger_sdk import AsyncLedgerSdk, LedgerSdk, models

D = Decimal("900.00")


def send(client: LedgerSdk) -> None:
    line: models.LineItemDict = {"description": "Rent", "amount": D}
    transfer: models.TransferDict = {"from": "acc-1", "amount": D, "status": "pending", "line-items": [line]}
    client.ledger.create_transfer(transfer=transfer)
    client.ledger.create_transfer(transfer={"from": "acc-1", "amount": D, "status": "booked", "memo": None})
    booked = models.TransferStatus.BOOKED
    client.ledger.create_transfer_batch(body=[transfer, models.Transfer(from_="acc-2", amount=D, status=booked)])
    client.ledger.upload_receipt(receipt={"file": ("r.pdf", b"%PDF-1.7", "application/pdf"), "note": "March"})


async def send_async(client: AsyncLedgerSdk) -> None:
    await client.ledger.create_transfer(transfer={"from": "acc-1", "amount": D, "status": "pending", "to": "acc-2"})
"""

# Each line marked `# wrong` must be an error, and nothing else.
WRONG = """\
from decimal import Decimal

from ledger_sdk import LedgerSdk, models

D = Decimal("1")


def send(c: LedgerSdk) -> None:
    c.ledger.create_transfer(transfer={"form": "a", "amount": D, "status": "pending"})  # wrong
    c.ledger.create_transfer(transfer={"amount": D, "status": "pending"})  # wrong
    c.ledger.create_transfer(transfer={"from": "a", "amount": D, "status": "sent"})  # wrong
    c.ledger.create_transfer(transfer={"from": "a", "amount": D, "status": "booked", "id": "t1"})  # wrong
    c.ledger.create_transfer(transfer={"from": "a", "amount": "1", "status": "booked"})  # wrong
    t: models.TransferDict = {"from": "a", "amount": D, "status": "booked", "line-items": [{"text": "x"}]}  # wrong
    c.ledger.create_transfer(transfer=t)
    c.ledger.create_transfer_batch(body=[{"from": "a", "amount": D, "status": "pending", "memo": 7}])  # wrong
    c.ledger.upload_receipt(receipt={"file": "r.pdf"})  # wrong
"""


def test_the_typed_dicts_are_written_beside_their_models(ledger: tuple[ModuleType, Path, Path]) -> None:
    """Functional syntax where a key is no name, a class where all are; the read-only `id` is no key."""
    models_folder = ledger[2] / "src" / "ledger_sdk" / "models"
    transfer = (models_folder / "transfer.py").read_text()
    assert 'TransferDict = TypedDict(\n    "TransferDict",' in transfer
    assert (
        '"from": Required["str"],' in transfer
        and '"line-items": "Sequence[LineItem | LineItemDict] | None",' in transfer
    )
    assert '"id"' not in transfer.split("TransferDict = TypedDict(", 1)[1]
    line_item = (models_folder / "line_item.py").read_text()
    assert "class LineItemDict(TypedDict, total=False):" in line_item
    assert "    description: Required[str]\n    amount: Decimal | None\n" in line_item
    assert "ReceiptDict" in dir(ledger[0].models) and "TransferDict" in ledger[0].models.__all__


@pytest.fixture(scope="module")
def snippets(ledger: tuple[ModuleType, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("typed")
    shutil.copytree(ledger[2] / "src", root / "src")
    folder = root / "examples" / "ledger_examples"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "right.py").write_text(RIGHT)
    (folder / "wrong.py").write_text(WRONG)
    configure(root)
    return root


def _judged(errors: list[tuple[str, int, str]]) -> tuple[set[int], list[tuple[str, int, str]]]:
    """The lines of `wrong.py` with an error, and every error anywhere else."""
    wrong = {line for path, line, _ in errors if path.endswith("wrong.py")}
    return wrong, [e for e in errors if not e[0].endswith("wrong.py")]


WRONG_LINES = {number for number, line in enumerate(WRONG.splitlines(), 1) if line.endswith("# wrong")}


def test_mypy_strict_refuses_each_wrong_dict_and_passes_the_right_ones(snippets: Path) -> None:
    checked = run_mypy(snippets, ["examples/ledger_examples"], timeout=300)
    wrong, elsewhere = _judged(checked.errors)
    assert elsewhere == [], checked.output
    assert wrong == WRONG_LINES, checked.output


def test_pyright_strict_refuses_each_wrong_dict_and_passes_the_right_ones(snippets: Path) -> None:
    checked = run_pyright(pyright_or_skip("pyright type-checks dict bodies"), snippets, timeout=300)
    wrong, elsewhere = _judged(checked.errors)
    assert elsewhere == [], checked.output[-4000:]
    assert wrong == WRONG_LINES, checked.output[-4000:]


# ---- what goes on the wire ----------------------------------------------------------------------

MODE = pytest.mark.parametrize("mode", ["sync", "async"])


def _calls(sdk: ModuleType, server: TestServer, mode: str, *calls: Callable[[Any], Any]) -> None:
    """Each call made with one client of the mode: `call(client)` returns its result, or its awaitable."""
    if mode == "sync":
        with sdk.LedgerSdk(server_url=server.url, max_retries=0) as api:
            for call in calls:
                call(api)
        return

    async def run() -> None:
        async with sdk.AsyncLedgerSdk(server_url=server.url, max_retries=0) as api:
            for call in calls:
                await call(api)

    asyncio.run(run())


SENT = (
    b'{"from":"acc-1","amount":900.00,"status":"pending",'
    b'"line-items":[{"description":"Rent","amount":900.00}],"memo":null}'
)


@MODE
def test_a_dict_body_is_sent_byte_for_byte_as_its_model(
    ledger: tuple[ModuleType, Path, Path], server: TestServer, mode: str
) -> None:
    sdk = ledger[0]
    models = sdk.models
    # Keys in another order than the model's fields, an enum as its text, a nested model as a dict.
    as_dict = {
        "line-items": [{"description": "Rent", "amount": Decimal("900.00")}],
        "memo": None,
        "status": "pending",
        "amount": Decimal("900.00"),
        "from": "acc-1",
    }
    as_model = models.Transfer(
        from_="acc-1",
        amount=Decimal("900.00"),
        status=models.TransferStatus.PENDING,
        line_items=[models.LineItem(description="Rent", amount=Decimal("900.00"))],
        memo=None,
    )
    _calls(
        sdk,
        server,
        mode,
        lambda api: api.ledger.create_transfer(transfer=as_dict),
        lambda api: api.ledger.create_transfer(transfer=as_model),
        lambda api: api.ledger.create_transfer_batch(
            body=[as_dict, {"from": "acc-2", "amount": 1, "status": "booked"}]
        ),
    )
    first, second, batch = (r.body for r in server.requests)
    assert first == second == SENT
    assert batch == b"[" + SENT + b',{"from":"acc-2","amount":1,"status":"booked"}]'
    assert all(r.headers["content-type"] == "application/json" for r in server.requests)


@MODE
def test_a_dict_multipart_body_sends_its_file_as_a_part(
    ledger: tuple[ModuleType, Path, Path], server: TestServer, mode: str
) -> None:
    receipt = {"file": ("r.pdf", b"%PDF-1.7", "application/pdf"), "note": "March"}
    _calls(ledger[0], server, mode, lambda api: api.ledger.upload_receipt(receipt=receipt))
    assert parts(server.requests[-1]) == {
        "file": ("r.pdf", "application/pdf", b"%PDF-1.7"),
        "note": (None, "text/plain", b"March"),
    }


@MODE
def test_a_misspelt_key_is_still_refused_before_sending(
    ledger: tuple[ModuleType, Path, Path], server: TestServer, mode: str
) -> None:
    sdk = ledger[0]
    typo = {"form": "acc-1", "from": "acc-1", "amount": 1, "status": "pending"}
    with pytest.raises(sdk.RequestValidationError, match=re.escape("transfer.form: Transfer has no such field")):
        _calls(sdk, server, mode, lambda api: api.ledger.create_transfer(transfer=typo))
    assert server.requests == []
