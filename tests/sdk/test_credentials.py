"""Credentials given as callables: called for each request, awaited by the async client, checked."""

from __future__ import annotations

import asyncio
import itertools

import codat_accounting
import pytest
from codat_accounting import AsyncCodatAccounting, CodatAccounting

from tests.httpserver import TestServer
from tests.sdk.test_customers import BASE, COMPANY, CUSTOMER

KEYS = ("Basic b2xk", "Basic bmV3")


def test_a_callable_credential_is_called_for_each_request(server: TestServer) -> None:
    server.add("GET", f"{BASE}/data/customers/C-1", json_body=CUSTOMER)
    rotated = itertools.cycle(KEYS)
    with CodatAccounting(auth_header=lambda: next(rotated), server_url=server.url) as client:
        client.customers.get(company_id=COMPANY, customer_id="C-1")
        client.customers.get(company_id=COMPANY, customer_id="C-1")
    assert [r.headers["authorization"] for r in server.requests] == list(KEYS)


def test_the_async_client_awaits_a_credential_that_must_be(server: TestServer) -> None:
    server.add("GET", f"{BASE}/data/customers/C-1", json_body=CUSTOMER)
    fetched = iter(KEYS)

    async def from_vault() -> str:
        await asyncio.sleep(0)
        return next(fetched)

    async def calls() -> None:
        async with AsyncCodatAccounting(auth_header=from_vault, server_url=server.url) as client:
            await client.customers.get(company_id=COMPANY, customer_id="C-1")
            await client.customers.get(company_id=COMPANY, customer_id="C-1")

    asyncio.run(calls())
    assert [r.headers["authorization"] for r in server.requests] == list(KEYS)


@pytest.mark.parametrize(("returned", "said"), [(42, "int"), ("", "an empty str"), (None, "NoneType")])
def test_a_callable_that_returns_no_credential_is_a_clear_error(
    server: TestServer, returned: object, said: str
) -> None:
    with (
        CodatAccounting(auth_header=lambda: returned, server_url=server.url) as client,  # type: ignore[arg-type, return-value]
        pytest.raises(
            codat_accounting.CodatError, match=f"auth_header: its callable returned {said}, not the credential"
        ),
    ):
        client.customers.get(company_id=COMPANY, customer_id="C-1")
    assert server.requests == []


def test_the_sync_client_refuses_a_coroutine_and_says_why(server: TestServer) -> None:
    async def from_vault() -> str:
        return KEYS[0]

    with (
        CodatAccounting(auth_header=from_vault, server_url=server.url) as client,  # type: ignore[arg-type]
        pytest.raises(codat_accounting.CodatError, match="returned an awaitable; the sync client calls it"),
    ):
        client.customers.get(company_id=COMPANY, customer_id="C-1")
    assert server.requests == []


def test_a_credential_that_is_neither_text_nor_callable_is_refused_at_once() -> None:
    with pytest.raises(TypeError, match="auth_header must be a str or a callable that returns one, not int"):
        CodatAccounting(auth_header=1234)  # type: ignore[arg-type]
