"""The contract check itself: it must reject requests and responses that break spec/."""

from __future__ import annotations

import json

from tests.conftest import SPEC
from tests.contract import Contract
from tests.sdk.test_customers import AUTH, BASE, CUSTOMER

HEADERS = {"authorization": AUTH, "accept": "application/json"}
JSON = {"Content-Type": "application/json"}


def check(path: str, query: dict[str, list[str]], response: tuple[int, dict[str, str], bytes] | None) -> list[str]:
    return Contract(SPEC).check("GET", path, query, HEADERS, b"", response)


def test_a_good_exchange_passes() -> None:
    assert check(f"{BASE}/data/customers/C-1", {}, (200, JSON, json.dumps(CUSTOMER).encode())) == []


def test_requests_that_break_the_document_are_reported() -> None:
    (problem,) = check(f"{BASE}/data/customers", {"page": ["0"]}, None)  # page starts at 1
    assert problem.startswith(f"request GET {BASE}/data/customers:") and "page" in problem
    assert check("/companies/not-a-uuid/data/customers", {"page": ["1"]}, None)
    assert Contract(SPEC).check("GET", f"{BASE}/data/customers/C-1", {}, {}, b"", None)  # no credentials


def test_responses_that_break_the_document_are_reported() -> None:
    missing_status = {k: v for k, v in CUSTOMER.items() if k != "status"}
    assert check(f"{BASE}/data/customers/C-1", {}, (200, JSON, json.dumps(missing_status).encode()))
    assert check(f"{BASE}/data/customers/C-1", {}, (418, JSON, b"{}"))
    assert check(f"{BASE}/data/customers/C-1", {}, (200, {"Content-Type": "text/html"}, b"<html/>"))
