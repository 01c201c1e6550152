"""Webhooks of Codat's Platform document: each of its 16 kinds parsed into its model from the document's own
example, signatures checked against ones computed by OpenSSL (not by us), and the typed result checked
by mypy --strict, as a user's receiving code is."""

from __future__ import annotations

import base64
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.output.write import write_tree
from generator.pipeline import generate
from tests.conftest import ROOT
from tests.golden.test_features import BIN

PLATFORM = ROOT.parent / "shared" / "specs" / "codat" / "Codat-Platform.json"
SECRET_KEY = bytes(range(1, 33))
SECRET = "whsec_" + base64.b64encode(SECRET_KEY).decode()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    folder = tmp_path_factory.mktemp("platform")
    write_tree(folder / "sdk", generate(PLATFORM, None, "codat_platform_hooks").files)
    sys.path.insert(0, str(folder / "sdk" / "src"))
    try:
        yield importlib.import_module("codat_platform_hooks"), folder / "sdk"
    finally:
        sys.path.remove(str(folder / "sdk" / "src"))


def _examples() -> list[tuple[str, str, dict[str, Any]]]:
    """(webhook, its body's model as the document names it, an example body) for every example given."""
    data = json.loads(PLATFORM.read_text())
    found = []
    for name, item in data["webhooks"].items():
        media = item["post"]["requestBody"]["content"]["application/json"]
        model = media["schema"]["$ref"].rsplit("/", 1)[-1]
        found += [(name, model, example["value"]) for example in media["examples"].values()]
    return found


def signed(body: bytes, message_id: str, stamp: int, key: bytes = SECRET_KEY) -> str:
    """The signature header Svix sends, computed by OpenSSL's HMAC, independently of the SDK's code."""
    ran = subprocess.run(
        ["openssl", "dgst", "-sha256", "-mac", "HMAC", "-macopt", f"hexkey:{key.hex()}", "-binary"],
        input=f"{message_id}.{stamp}.".encode() + body,
        capture_output=True,
        check=True,
        timeout=30,
    )
    return "v1," + base64.b64encode(ran.stdout).decode()


def headers(body: bytes, stamp: int | None = None, message_id: str = "msg_2a8k") -> dict[str, str]:
    stamp = int(time.time()) if stamp is None else stamp
    return {"svix-id": message_id, "svix-timestamp": str(stamp), "svix-signature": signed(body, message_id, stamp)}


def test_each_of_the_sixteen_kinds_parses_into_its_model(platform: tuple[ModuleType, Path]) -> None:
    sdk, _ = platform
    examples = _examples()
    assert len({name for name, _, _ in examples}) == 16
    for name, model, body in examples:
        event = sdk.parse_webhook(json.dumps(body).encode())
        assert type(event) is getattr(sdk.models, model), name
        assert event.event_type == body["eventType"]
    written = {"eventType": "bills.write.successful", "id": "ba29118f-5406-4e59-b05c-ba307ca38d01"}
    assert type(sdk.parse_webhook(json.dumps(written))).__name__ == "DataTypeWriteWebhook"


def test_a_signed_request_is_verified_then_parsed(platform: tuple[ModuleType, Path]) -> None:
    sdk, _ = platform
    _, model, example = _examples()[0]
    body = json.dumps(example).encode()
    event = sdk.parse_webhook(body, headers(body), secret=SECRET)
    assert type(event).__name__ == model
    rotated = headers(body)
    rotated["svix-signature"] = "v1,bm90IGl0 " + rotated["svix-signature"]  # another secret's signature first
    sdk.verify_webhook(body, rotated, SECRET)
    sdk.verify_webhook(body, {k.replace("svix", "webhook"): v for k, v in headers(body).items()}, SECRET)


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("altered", "no signature of the request is the secret's"),
        ("other secret", "no signature of the request is the secret's"),
        ("replayed", "more than 300 s from now"),
        ("from the future", "more than 300 s from now"),
        ("unsigned", "has no svix-id, svix-timestamp and svix-signature headers"),
        ("bad secret", "is not the whsec_"),
    ],
)
def test_a_request_that_does_not_check_out_is_refused(platform: tuple[ModuleType, Path], case: str, said: str) -> None:
    sdk, _ = platform
    body = json.dumps(_examples()[0][2]).encode()
    sent, secret, now = headers(body), SECRET, time.time()
    if case == "altered":
        body = body.replace(b"company", b"Company", 1)
    elif case == "other secret":
        secret = "whsec_" + base64.b64encode(bytes(32)).decode()
    elif case in ("replayed", "from the future"):
        now += -400 if case == "from the future" else 400  # well past 300 s, however slow the machine
    elif case == "unsigned":
        sent = {}
    else:
        secret = "whsec_not base64!"
    with pytest.raises(sdk.WebhookVerificationError, match=said):
        sdk.verify_webhook(body, sent, secret, now=now)
    with pytest.raises(sdk.WebhookVerificationError):
        sdk.parse_webhook(
            body, sent, secret=secret, tolerance=300 if case not in ("replayed", "from the future") else 0
        )


def test_what_is_no_event_of_the_document_is_a_webhook_error(platform: tuple[ModuleType, Path]) -> None:
    sdk, _ = platform
    with pytest.raises(sdk.WebhookError, match="is no event type the API document describes"):
        sdk.parse_webhook(b'{"eventType": "company.renamed"}')
    with pytest.raises(sdk.WebhookError, match="not JSON"):
        sdk.parse_webhook(b"<xml/>")
    with pytest.raises(sdk.WebhookError, match="is not a CompanyWebhook"):
        sdk.parse_webhook(b'{"eventType": "company.created", "generatedDate": 7}')
    assert type(sdk.parse_webhook(b"{}", event_type="client.rateLimit.reset")).__name__ == "ClientRateLimitWebhook"


def test_the_typed_result_passes_mypy_strict(platform: tuple[ModuleType, Path], tmp_path: Path) -> None:
    _, out = platform
    receiver = tmp_path / "receiver.py"
    receiver.write_text(
        "from codat_platform_hooks import models, parse_webhook\n"
        "from codat_platform_hooks.webhooks import Event\n\n\n"
        "def receive(body: bytes, headers: dict[str, str]) -> str:\n"
        "    event: Event = parse_webhook(body, headers, secret='whsec_AAAA')\n"
        "    if isinstance(event, models.CompanyWebhook):\n"
        "        return str(event.payload.name if event.payload else '')\n"
        "    if isinstance(event, models.ClientRateLimitWebhook):\n"
        "        return str(event.event_type)\n"
        "    return type(event).__name__\n"
    )
    env = {**os.environ, "MYPYPATH": str(out / "src")}
    typed = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--no-incremental", str(receiver)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert typed.returncode == 0, typed.stdout[-3000:]
