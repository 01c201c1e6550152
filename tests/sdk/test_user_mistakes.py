"""The SDK as a new user meets it: editors' type checkers, typos, dropped connections, setup
mistakes and the errors they read. Each test reproduces a finding of issue 12 against a real
server on 127.0.0.1 (or a transport that fails the way a network does)."""

from __future__ import annotations

import inspect
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import codat_accounting
import httpx
import pytest
from codat_accounting import CodatAccounting, models

from tests.conftest import GENERATED, ROOT
from tests.httpserver import TestServer
from tests.prism.server import PYRIGHT, node_tool_or_skip
from tests.sdk.test_customers import AUTH, BASE, COMPANY, CONNECTION, CUSTOMER, PUSH, PUSH_SUMMARY
from tests.sdk.test_runtime import unused_port

DOCS = sorted([GENERATED / "README.md", *(GENERATED / "docs").rglob("*.md")])
CODE = re.compile(r"```python\n(.*?)```", re.S)
GET_PATH = f"{BASE}/data/customers/C-1042"


def client_for(url: str, **kwargs: Any) -> CodatAccounting:
    client = CodatAccounting(auth_header=AUTH, server_url=url, **kwargs)
    client._sleep = lambda seconds: None
    return client


# ---- models that editors understand -------------------------------------------------------------


def test_models_take_python_names_and_send_wire_names() -> None:
    parameters = inspect.signature(models.Customer).parameters
    assert "customer_name" in parameters and "customerName" not in parameters
    customer = models.Customer(customer_name="Acme", status=models.CustomerStatus.ACTIVE)
    assert customer.to_wire() == {"customerName": "Acme", "status": "Active"}
    parsed = models.Customer.model_validate(CUSTOMER)
    assert parsed.customer_name == "Acme Wholesale Ltd" and parsed.addresses and parsed.addresses[0].postal_code


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("examples")
    count = 0
    for doc in DOCS:
        for code in CODE.findall(doc.read_text(encoding="utf-8")):
            (folder / f"example_{count:02d}_{doc.stem.lower()}.py").write_text(code, encoding="utf-8")
            count += 1
    assert count >= 17
    return folder


def test_the_docs_examples_type_check_under_mypy_without_its_plugin(examples: Path) -> None:
    """No config file: the pydantic plugin is off, as in a user's project that never turned it on."""
    env = {**os.environ, "MYPYPATH": str(GENERATED / "src")}
    checked = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mypy"), "--strict", "--no-incremental", "."],
        cwd=examples,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert checked.returncode == 0, checked.stdout


def test_the_docs_examples_type_check_under_pyright_strict(examples: Path) -> None:
    pyright = node_tool_or_skip(PYRIGHT, "pyright type-checks the docs' examples")
    config = {"typeCheckingMode": "strict", "pythonVersion": "3.10", "extraPaths": [str(GENERATED / "src")]}
    (examples / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    checked = subprocess.run(
        [str(pyright), "--pythonpath", sys.executable],
        cwd=examples,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 0, checked.stdout[-4000:]
    assert "0 errors" in checked.stdout


# ---- outgoing data is checked, incoming data tolerated ------------------------------------------


@pytest.mark.parametrize(
    ("customer", "said"),
    [
        ({"customerNme": "X", "status": "Active"}, "customer.customerNme: Customer has no such field; did you mean"),
        (models.Customer(customer_nme="X", status="Active"), "customer.customer_nme: Customer has no such field"),
        ({"customerName": "X", "status": "Enabled"}, "'Enabled' is not a CustomerStatus (one of 'Unknown', 'Active'"),
        (
            {"customerName": "X", "status": "Active", "addresses": [{"type": "Billing", "line1": 7}]},
            "customer.addresses[0].line1: Input should be a valid string (got 7)",
        ),
    ],
)
def test_a_typo_in_a_request_is_refused_before_anything_is_sent(server: TestServer, customer: Any, said: str) -> None:
    with client_for(server.url) as client, pytest.raises(codat_accounting.RequestValidationError) as caught:
        client.customers.create(company_id=COMPANY, connection_id=CONNECTION, customer=customer)
    assert str(caught.value).startswith("customers.create: not sent: ")
    assert said in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert server.requests == []


def test_responses_keep_unknown_fields_and_members(server: TestServer) -> None:
    newer = {**CUSTOMER, "status": "Suspended", "loyaltyTier": "gold"}
    server.add("GET", GET_PATH, json_body=newer, off_contract=True)
    with client_for(server.url) as client:
        customer = client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert customer.status == "Suspended" and not customer.status.is_listed()
    assert customer.model_extra == {"loyaltyTier": "gold"}


# ---- writes are never repeated unless that is safe ----------------------------------------------


@contextmanager
def dropping_server() -> Iterator[tuple[str, list[bytes]]]:
    """Reads each request in full, then closes the connection without answering: the server may
    well have acted on it. Records what it read."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = re.search(rb"content-length: *(\d+)", head, re.I)
                while length and len(body) < int(length.group(1)):
                    body += connection.recv(65536)
                received.append(head.split(b"\r\n", 1)[0])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", received
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_create_whose_connection_dropped_after_sending_is_sent_once() -> None:
    with dropping_server() as (url, received), client_for(url, max_retries=8) as client:
        with pytest.raises(codat_accounting.APIConnectionError) as caught:
            client.customers.create(
                company_id=COMPANY, connection_id=CONNECTION, customer={"customerName": "X", "status": "Active"}
            )
    assert received == [f"POST {PUSH} HTTP/1.1".encode()]
    message = str(caught.value)
    assert message.startswith(f"POST {url}{PUSH}: 127.0.0.1:")
    assert "closed the connection without a complete response" in message
    assert "not retried, since POST is not idempotent" in message


def test_a_get_whose_connection_dropped_is_retried() -> None:
    with dropping_server() as (url, received), client_for(url, max_retries=2) as client:
        with pytest.raises(codat_accounting.APIConnectionError, match=r"\(after 2 retries\)"):
            client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert len(received) == 3


def test_an_idempotency_key_makes_a_write_safe_to_retry() -> None:
    with dropping_server() as (url, received), client_for(url, max_retries=1) as client:
        with pytest.raises(codat_accounting.APIConnectionError):
            client.customers.create(
                company_id=COMPANY,
                connection_id=CONNECTION,
                customer={"customerName": "X", "status": "Active"},
                extra_headers={"Idempotency-Key": "a1"},
            )
    assert len(received) == 2


def test_a_refused_connection_is_retried_for_a_write_and_names_the_host() -> None:
    port = unused_port()
    attempts: list[float] = []
    with client_for(f"http://127.0.0.1:{port}", max_retries=2) as client:
        client._sleep = attempts.append
        with pytest.raises(codat_accounting.APIConnectionError) as caught:
            client.customers.create(
                company_id=COMPANY, connection_id=CONNECTION, customer={"customerName": "X", "status": "Active"}
            )
    assert len(attempts) == 2
    assert f"127.0.0.1:{port} refused the connection" in str(caught.value)


# ---- fail fast and clearly on setup mistakes ----------------------------------------------------


def test_a_server_url_without_a_scheme_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match=r"did you mean 'https://127.0.0.1:8765'\?"):
        CodatAccounting(auth_header=AUTH, server_url="127.0.0.1:8765")
    with pytest.raises(ValueError, match="not an http:// or https:// URL"):
        CodatAccounting(auth_header=AUTH, server_url="ftp://files.example")


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ({"timeout": "3"}, "timeout must be a number of seconds"),
        ({"timeout": -1}, "timeout must be a number of seconds"),
        ({"max_retries": "3"}, "max_retries must be a number of retries"),
        ({"retry_config": 3}, "retry_config must be a RetryConfig"),
    ],
)
def test_wrong_client_settings_are_refused_at_once(arguments: dict[str, Any], said: str) -> None:
    with pytest.raises(TypeError, match=said):
        CodatAccounting(auth_header=AUTH, server_url="https://api.example", **arguments)


def test_wrong_call_settings_and_empty_ids_are_refused_before_sending(server: TestServer) -> None:
    with client_for(server.url) as client:
        with pytest.raises(TypeError, match=r"customers.get: retries must be a RetryConfig.*not '3'"):
            client.customers.get(company_id=COMPANY, customer_id="C-1042", retries="3")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="timeout must be"):
            client.customers.get(company_id=COMPANY, customer_id="C-1042", timeout="3")  # type: ignore[arg-type]
        with pytest.raises(
            codat_accounting.RequestValidationError,
            match=r"customers\.get: .*customer_id \(the path parameter 'customerId'\): a path parameter cannot be",
        ):
            client.customers.get(company_id=COMPANY, customer_id="")
        with pytest.raises(
            codat_accounting.RequestValidationError, match=r"customers\.get: .*customer_id .*: is required, got None"
        ):
            client.customers.get(company_id=COMPANY, customer_id=None)  # type: ignore[arg-type]
        with pytest.raises(
            codat_accounting.RequestValidationError,
            match=r"customers\.list: .*page_size .*: Input should be a valid integer.*'ten'",
        ):
            client.customers.list(company_id=COMPANY, page_size="ten")  # type: ignore[arg-type]
    assert server.requests == []


def failing_transport(error: Exception) -> httpx.Client:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.Client(transport=httpx.MockTransport(fail))


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (httpx.ConnectError("[Errno -2] Name or service not known"), "the host name 'api.example' did not resolve"),
        (
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
            "the TLS handshake with api.example failed",
        ),
        (httpx.ConnectTimeout("timed out"), "connecting to api.example timed out after 10.0 s"),
        (httpx.ReadTimeout("timed out"), "api.example sent no response within 60.0 s"),
    ],
)
def test_connection_errors_name_the_host_and_the_cause(error: Exception, said: str) -> None:
    client = CodatAccounting(
        auth_header=AUTH, server_url="https://api.example", http_client=failing_transport(error), max_retries=0
    )
    with pytest.raises(codat_accounting.APIConnectionError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert str(caught.value).startswith(f"GET https://api.example{GET_PATH}: ")
    assert said in str(caught.value)
    assert isinstance(caught.value, codat_accounting.APITimeoutError) == isinstance(error, httpx.TimeoutException)


# ---- errors with context ------------------------------------------------------------------------


def test_a_status_error_says_the_call_the_message_and_the_correlation_id(server: TestServer) -> None:
    body = {"statusCode": 404, "service": "ClientsApi", "error": "No customer C-1042", "correlationId": "corr-77"}
    server.add("GET", GET_PATH, 404, body)
    with client_for(server.url) as client, pytest.raises(codat_accounting.NotFoundError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert str(caught.value) == (
        f"404 Not Found from GET {server.url}{GET_PATH}: No customer C-1042 (request id corr-77)"
    )
    assert caught.value.request_id == "corr-77" and caught.value.response.status_code == 404


def test_a_401_hints_at_the_expected_header(server: TestServer) -> None:
    server.add("GET", GET_PATH, 401, {"statusCode": 401, "error": "Unauthorized"})
    with client_for(server.url) as client, pytest.raises(codat_accounting.AuthenticationError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert "the server expects credentials in the Authorization header" in str(caught.value)
    assert '"Basic " followed by your Codat API key encoded in base64' in str(caught.value)
    assert AUTH not in str(caught.value)


def test_a_response_validation_error_lists_the_failing_fields(server: TestServer) -> None:
    broken = {**CUSTOMER, "customerName": 12, "addresses": [{"type": "Billing", "line1": ["x"]}]}
    server.add("GET", GET_PATH, json_body=broken, off_contract=True)
    with client_for(server.url) as client, pytest.raises(codat_accounting.ResponseValidationError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert caught.value.problems == [
        "response.customerName: Input should be a valid string (got 12)",
        "response.addresses[0].line1: Input should be a valid string (got ['x'])",
    ]
    assert "customers.get: the response body does not match Customer (2 problems: response.customerName" in str(
        caught.value
    )


def test_the_push_summary_still_parses(server: TestServer) -> None:
    server.add("POST", PUSH, json_body=PUSH_SUMMARY)
    with client_for(server.url) as client:
        summary = client.customers.create(
            company_id=COMPANY, connection_id=CONNECTION, customer=models.Customer(customer_name="X", status="Active")
        )
    assert server.requests[0].json() == {"customerName": "X", "status": "Active"}
    assert str(summary.push_operation_key) == PUSH_SUMMARY["pushOperationKey"]


def test_help_on_a_method_says_its_arguments_returns_and_errors() -> None:
    from codat_accounting.resources.customers import AsyncCustomers, Customers

    doc = inspect.getdoc(Customers.create) or ""
    args, returns, raises = (doc.split(f"\n{name}:\n", 1)[1] for name in ("Args", "Returns", "Raises"))
    assert "company_id: Codat's identifier for the company" in args
    assert "customer: " in args and "retries: " in args
    assert returns.lstrip().startswith("The push operation")
    assert "RequestValidationError: " in raises and "NotFoundError: 404." in raises
    assert "InternalServerError: 500, 503." in raises
    download = inspect.getdoc(AsyncCustomers.download_attachment) or ""
    assert "The body as an AsyncBinaryResponse, streamed" in download
