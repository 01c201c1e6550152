"""The generated Customers SDK against a real HTTP server on 127.0.0.1: every operation, sync and async."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import codat_accounting
import httpx
import pytest
from codat_accounting import AsyncCodatAccounting, CodatAccounting, models

from tests.httpserver import TestServer

AUTH = "Basic c2VjcmV0LWtleQ=="
COMPANY = "8a210b68-6988-11ed-a1eb-0242ac120002"
CONNECTION = "2e9d2c44-f675-40ba-8049-353bfcb5e171"
ATTACHMENT = "0f1c2d3e-4a5b-6c7d-8e9f-a0b1c2d3e4f5"
BASE = f"/companies/{COMPANY}"
PUSH = f"{BASE}/connections/{CONNECTION}/push/customers"

CUSTOMER: dict[str, Any] = {
    "id": "C-1042",
    "customerName": "Acme Wholesale Ltd",
    "contactName": "Ada Lovelace",
    "emailAddress": "accounts@acme.example",
    "defaultCurrency": "GBP",
    "status": "Active",
    "addresses": [{"type": "Billing", "line1": "1 High Street", "city": "Leeds", "postalCode": "LS1 1AA"}],
    "contacts": [{"name": "Ada", "status": "Active", "phone": [{"number": "01224 658 999", "type": "Mobile"}]}],
    "metadata": {"isDeleted": False},
    "supplementalData": {"content": {"extra": {"loyaltyTier": "gold"}}},
    "modifiedDate": "2023-01-05T10:00:00Z",
    "sourceModifiedDate": "2023-01-04T09:00:00Z",
}
PUSH_SUMMARY: dict[str, Any] = {
    "data": CUSTOMER,
    "companyId": COMPANY,
    "pushOperationKey": "5a4c1f2e-0000-4000-8000-000000000001",
    "dataConnectionKey": CONNECTION,
    "requestedOnUtc": "2023-01-05T10:00:00Z",
    "status": "Pending",
    "statusCode": 202,
    "dataType": "customers",
    "changes": [{"type": "Created", "recordRef": {"id": "C-1042", "dataType": "customers"}}],
}
PAGE: dict[str, Any] = {
    "results": [CUSTOMER],
    "pageNumber": 2,
    "pageSize": 50,
    "totalResults": 51,
    "_links": {
        "self": {"href": "/companies/x/data/customers"},
        "current": {"href": "/companies/x/data/customers?page=2"},
    },
}
ATTACHMENT_BODY: dict[str, Any] = {
    "id": ATTACHMENT,
    "name": "statement.pdf",
    "contentType": "application/pdf",
    "fileSize": 1024,
    "includeWhenSent": True,
    "dateCreated": "2023-01-01T00:00:00Z",
}
PUSH_OPTION: dict[str, Any] = {
    "displayName": "Customer",
    "required": True,
    "type": "Object",
    "properties": {
        "customerName": {
            "displayName": "Name",
            "description": "The customer's name",
            "required": True,
            "type": "String",
            "validation": {"warnings": [{"field": "customerName", "details": "at most 100 characters"}]},
            "properties": {
                "nested": {
                    "displayName": "Nested",
                    "description": "a nested property",
                    "required": False,
                    "type": "String",
                }
            },
        }
    },
}


def client_for(server: TestServer) -> CodatAccounting:
    return CodatAccounting(auth_header=AUTH, server_url=server.url, max_retries=0)


def test_list_sends_paging_query_and_parses_the_page(server: TestServer) -> None:
    server.add("GET", f"{BASE}/data/customers", json_body=PAGE)
    with client_for(server) as client:
        page = client.customers.list(
            company_id=COMPANY, page=2, page_size=50, query="status=Active", order_by="-modifiedDate"
        )
    request = server.requests[-1]
    assert request.method == "GET"
    assert request.query == {
        "page": ["2"],
        "pageSize": ["50"],
        "query": ["status=Active"],
        "orderBy": ["-modifiedDate"],
    }
    assert request.headers["authorization"] == AUTH
    assert request.headers["user-agent"].startswith("codat-accounting-python/")
    assert isinstance(page, models.Customers)
    assert page.total_results == 51 and page.page_number == 2
    customer = page.results[0] if page.results else None
    assert customer is not None and customer.customer_name == "Acme Wholesale Ltd"
    assert customer.status is models.CustomerStatus.ACTIVE
    assert customer.addresses and customer.addresses[0].type is models.AccountingAddressType.BILLING
    assert customer.contacts and customer.contacts[0].phone and customer.contacts[0].phone[0].number == "01224 658 999"
    assert customer.supplemental_data and customer.supplemental_data.content == {"extra": {"loyaltyTier": "gold"}}
    assert page.links.self.href == "/companies/x/data/customers"


def test_list_omits_unset_optional_query_and_sends_default_page(server: TestServer) -> None:
    server.add("GET", f"{BASE}/data/customers", json_body=PAGE)
    with client_for(server) as client:
        client.customers.list(company_id=COMPANY)
    assert server.requests[-1].query == {"page": ["1"]}


def test_get_parses_the_customer(server: TestServer) -> None:
    server.add("GET", f"{BASE}/data/customers/C-1042", json_body=CUSTOMER)
    with client_for(server) as client:
        customer = client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert server.requests[-1].method == "GET"
    assert customer.id == "C-1042"
    assert customer.metadata is not None and customer.metadata.is_deleted is False


def test_create_posts_the_model_by_wire_name_without_unset_fields(server: TestServer) -> None:
    server.add("POST", PUSH, json_body=PUSH_SUMMARY)
    customer = models.Customer(
        customer_name="Acme Wholesale Ltd",
        status=models.CustomerStatus.ACTIVE,
        addresses=[models.AccountingAddress(type=models.AccountingAddressType.BILLING, city="Leeds")],
        email_address=None,
    )
    with client_for(server) as client:
        result = client.customers.create(
            company_id=COMPANY, connection_id=CONNECTION, customer=customer, timeout_in_minutes=5
        )
    request = server.requests[-1]
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.query == {"timeoutInMinutes": ["5"]}
    assert request.json() == {
        "customerName": "Acme Wholesale Ltd",
        "status": "Active",
        "addresses": [{"type": "Billing", "city": "Leeds"}],
        "emailAddress": None,
    }
    assert isinstance(result, models.CreateCustomerResponse)
    assert result.status is models.PushOperationStatus.PENDING
    assert result.data is not None and result.data.id == "C-1042"
    assert str(result.push_operation_key) == PUSH_SUMMARY["pushOperationKey"]


def test_create_accepts_a_plain_dict_with_wire_or_python_names(server: TestServer) -> None:
    server.add("POST", PUSH, json_body=PUSH_SUMMARY)
    with client_for(server) as client:
        client.customers.create(
            company_id=COMPANY, connection_id=CONNECTION, customer={"customerName": "A", "status": "Active"}
        )
        client.customers.create(
            company_id=COMPANY, connection_id=CONNECTION, customer={"customer_name": "B", "status": "Archived"}
        )
    assert [r.json() for r in server.requests] == [
        {"customerName": "A", "status": "Active"},
        {"customerName": "B", "status": "Archived"},
    ]


def test_update_puts_with_force_update(server: TestServer) -> None:
    server.add("PUT", f"{PUSH}/C-1042", json_body={**PUSH_SUMMARY, "status": "Success"})
    with client_for(server) as client:
        result = client.customers.update(
            company_id=COMPANY,
            connection_id=CONNECTION,
            customer_id="C-1042",
            customer=models.Customer(status=models.CustomerStatus.ARCHIVED),
            force_update=True,
        )
    request = server.requests[-1]
    assert request.method == "PUT"
    assert request.query == {"forceUpdate": ["true"]}
    assert request.json() == {"status": "Archived"}
    assert result.status is models.PushOperationStatus.SUCCESS


def test_get_create_update_model_parses_recursive_properties(server: TestServer) -> None:
    server.add("GET", f"{BASE}/connections/{CONNECTION}/options/customers", json_body=PUSH_OPTION)
    with client_for(server) as client:
        option = client.customers.get_create_update_model(company_id=COMPANY, connection_id=CONNECTION)
    assert option.type is models.PushOptionType.OBJECT
    assert option.properties is not None
    name = option.properties["customerName"]
    assert isinstance(name, models.PushOptionProperty)
    assert name.properties is not None and name.properties["nested"].display_name == "Nested"
    assert name.validation is not None and name.validation.warnings is not None
    assert name.validation.warnings[0].details == "at most 100 characters"


def test_attachments_list_get_and_download(server: TestServer) -> None:
    base = f"{BASE}/connections/{CONNECTION}/data/customers/C-1042/attachments"
    server.add("GET", base, json_body={"attachments": [ATTACHMENT_BODY]})
    server.add("GET", f"{base}/{ATTACHMENT}", json_body=ATTACHMENT_BODY)
    content = bytes(range(256)) * 4
    server.add(
        "GET", f"{base}/{ATTACHMENT}/download", body=content, headers={"Content-Type": "application/octet-stream"}
    )
    ids = {"company_id": COMPANY, "connection_id": CONNECTION, "customer_id": "C-1042"}
    with client_for(server) as client:
        listed = client.customers.list_attachments(**ids)
        one = client.customers.get_attachment(**ids, attachment_id=ATTACHMENT)
        with client.customers.download_attachment(**ids, attachment_id=ATTACHMENT) as download:
            assert download.content_type == "application/octet-stream"
            data = download.read()
    assert listed.attachments is not None and listed.attachments[0].file_size == 1024
    assert one.name == "statement.pdf" and one.include_when_sent is True
    assert data == content
    # The failures' media type too: a server choosing by Accept answers a failed download with its JSON.
    assert server.requests[-1].headers["accept"] == "application/octet-stream, application/json"


def test_not_found_raises_the_typed_error_with_parsed_body(server: TestServer) -> None:
    error = {
        "statusCode": 404,
        "service": "PublicApi",
        "error": "Customer not found",
        "correlationId": "abc-123",
        "canBeRetried": "Unknown",
    }
    server.add("GET", f"{BASE}/data/customers/missing", status=404, json_body=error)
    with client_for(server) as client, pytest.raises(codat_accounting.NotFoundError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="missing")
    exc = caught.value
    assert isinstance(exc, codat_accounting.APIStatusError)
    assert exc.status_code == 404
    assert exc.error is not None and exc.error.correlation_id == "abc-123"
    assert exc.response.status_code == 404 and json.loads(exc.body) == error
    assert "Customer not found" in str(exc)
    assert AUTH not in str(exc) and AUTH not in repr(exc)


def test_error_body_of_another_shape_still_raises_with_raw_body(server: TestServer) -> None:
    server.add(
        "GET",
        f"{BASE}/data/customers/x",
        status=401,
        body=b"<html>denied</html>",
        headers={"Content-Type": "text/html"},
        off_contract=True,
    )
    with client_for(server) as client, pytest.raises(codat_accounting.AuthenticationError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="x")
    assert caught.value.error is None and caught.value.body == b"<html>denied</html>"


def test_unknown_enum_values_and_fields_from_the_server_do_not_raise(server: TestServer) -> None:
    newer = {**CUSTOMER, "status": "Suspended", "loyaltyTier": "gold"}
    server.add("GET", f"{BASE}/data/customers/C-1042", json_body=newer, off_contract=True)
    with client_for(server) as client:
        customer = client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert customer.status.value == "Suspended" and isinstance(customer.status, models.CustomerStatus)
    assert customer.model_extra == {"loyaltyTier": "gold"}


@pytest.mark.parametrize("customer_id", ["a/b", "a?b=c", "a#b", "..", ".", "a b", "ünï"])
def test_path_parameters_stay_one_segment(server: TestServer, customer_id: str) -> None:
    with client_for(server) as client, pytest.raises(codat_accounting.APIStatusError):
        client.customers.get(company_id=COMPANY, customer_id=customer_id)
    request = server.requests[-1]
    prefix = f"{BASE}/data/customers/"
    assert request.raw_path.startswith(prefix)
    segment = request.raw_path[len(prefix) :]
    assert "/" not in segment and request.path[len(prefix) :] == customer_id


def test_retries_a_503_then_succeeds_with_bounded_delays(server: TestServer) -> None:
    route = f"{BASE}/data/customers/C-1042"
    server.add("GET", route, status=503, json_body={"statusCode": 503, "error": "busy"})
    server.add("GET", route, status=503, json_body={"statusCode": 503, "error": "busy"})
    server.add("GET", route, json_body=CUSTOMER)
    waits: list[float] = []
    with CodatAccounting(auth_header=AUTH, server_url=server.url) as client:
        client._sleep = waits.append
        customer = client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert customer.id == "C-1042"
    assert len(server.requests) == 3
    assert len(waits) == 2
    assert 0.375 <= waits[0] <= 0.5 and 0.5625 <= waits[1] <= 0.75


def test_client_repr_hides_credentials(server: TestServer) -> None:
    with client_for(server) as client:
        assert AUTH not in repr(client) and server.url in repr(client)


def test_missing_credentials_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CODAT_ACCOUNTING_AUTH_HEADER", raising=False)
    with pytest.raises(codat_accounting.CodatError, match="CODAT_ACCOUNTING_AUTH_HEADER"):
        CodatAccounting()


def test_caller_http_client_is_used_and_left_open(server: TestServer) -> None:
    server.add("GET", f"{BASE}/data/customers/C-1042", json_body=CUSTOMER)
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]})
    with CodatAccounting(auth_header=AUTH, server_url=server.url, http_client=http) as client:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert seen == [f"{server.url}{BASE}/data/customers/C-1042"]
    assert not http.is_closed
    http.close()


def test_async_client_runs_every_kind_of_operation(server: TestServer) -> None:
    server.add("GET", f"{BASE}/data/customers", json_body=PAGE)
    server.add("POST", PUSH, json_body=PUSH_SUMMARY)
    base = f"{BASE}/connections/{CONNECTION}/data/customers/C-1042/attachments/{ATTACHMENT}"
    server.add("GET", f"{base}/download", body=b"%PDF-1.7", headers={"Content-Type": "application/octet-stream"})
    server.add("GET", f"{BASE}/data/customers/gone", status=404, json_body={"statusCode": 404, "error": "gone"})

    async def scenario() -> tuple[models.Customers, models.CreateCustomerResponse, bytes]:
        async with AsyncCodatAccounting(auth_header=AUTH, server_url=server.url, max_retries=0) as client:
            page = await client.customers.list(company_id=COMPANY, page_size=10)
            created = await client.customers.create(
                company_id=COMPANY, connection_id=CONNECTION, customer={"status": "Active"}
            )
            download = await client.customers.download_attachment(
                company_id=COMPANY, connection_id=CONNECTION, customer_id="C-1042", attachment_id=ATTACHMENT
            )
            data = await download.read()
            with pytest.raises(codat_accounting.NotFoundError):
                await client.customers.get(company_id=COMPANY, customer_id="gone")
            return page, created, data

    page, created, data = asyncio.run(scenario())
    assert page.total_results == 51 and created.status_code == 202 and data == b"%PDF-1.7"
    assert [r.method for r in server.requests] == ["GET", "POST", "GET", "GET"]
    assert server.requests[1].json() == {"status": "Active"}
