"""Runtime behaviour of the generated SDK, sync and async, against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import itertools
import json
import logging
import socket
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import codat_accounting
import pytest
from codat_accounting import AsyncCodatAccounting, CodatAccounting, RetryConfig, models

from tests.httpserver import Canned, Recorded, TestServer, serve
from tests.sdk.test_customers import ATTACHMENT, AUTH, BASE, COMPANY, CONNECTION, CUSTOMER, PAGE

GET_PATH = f"{BASE}/data/customers/C-1042"
LIST_PATH = f"{BASE}/data/customers"
DOWNLOAD_PATH = f"{BASE}/connections/{CONNECTION}/data/customers/C-1042/attachments/{ATTACHMENT}/download"
DOWNLOAD_IDS = {
    "company_id": COMPANY,
    "connection_id": CONNECTION,
    "customer_id": "C-1042",
    "attachment_id": ATTACHMENT,
}


class FakeTime:
    """A sleep that only advances a clock, so retry delays are checked without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def clock(self) -> float:
        return self.now


def sync_client(server: TestServer, clock: FakeTime | None = None, **kwargs: Any) -> CodatAccounting:
    client = CodatAccounting(auth_header=AUTH, server_url=server.url, **kwargs)
    if clock is not None:
        client._sleep, client._clock = clock.sleep, clock.clock
    return client


def async_client(server: TestServer, clock: FakeTime | None = None, **kwargs: Any) -> AsyncCodatAccounting:
    client = AsyncCodatAccounting(auth_header=AUTH, server_url=server.url, **kwargs)
    if clock is not None:
        client._sleep, client._clock = clock.async_sleep, clock.clock
    return client


def page(number: int, size: int, total: int, count: int) -> dict[str, Any]:
    results = [{**CUSTOMER, "id": f"C-{number}-{i}"} for i in range(count)]
    return {**PAGE, "results": results, "pageNumber": number, "pageSize": size, "totalResults": total}


def unnumbered(count: int) -> dict[str, Any]:
    """A page that says nothing of its number, size or total."""
    body = page(1, count, count, count)
    return {k: v for k, v in body.items() if k not in ("pageNumber", "pageSize", "totalResults")}


# ---- pagination ---------------------------------------------------------------------------------


def serve_pages(server: TestServer, size: int, counts: dict[int, int]) -> None:
    """Serves page N (from the `page` query) with counts[N] customers, of sum(counts) in all."""

    def answer(request: Recorded) -> Canned:
        number = int(request.query["page"][0])
        body = page(number, size, sum(counts.values()), counts.get(number, 0))
        return Canned(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    server.add_handler("GET", LIST_PATH, answer)


def test_list_all_walks_every_page_lazily_and_stops_at_the_total(server: TestServer) -> None:
    serve_pages(server, 2, {1: 2, 2: 2, 3: 1})
    with sync_client(server) as client:
        pager = client.customers.list_all(company_id=COMPANY, page_size=2)
        assert server.requests == []  # nothing is fetched before iteration
        first_two = list(itertools.islice(pager, 2))
        assert [c.id for c in first_two] == ["C-1-0", "C-1-1"] and len(server.requests) == 1
        every = [c.id for c in client.customers.list_all(company_id=COMPANY, page_size=2)]
    assert every == ["C-1-0", "C-1-1", "C-2-0", "C-2-1", "C-3-0"]
    assert [r.query["page"] for r in server.requests[1:]] == [["1"], ["2"], ["3"]]
    assert all(r.query["pageSize"] == ["2"] for r in server.requests)


@pytest.mark.parametrize(
    ("pages", "expected_requests"),
    [
        ([page(1, 2, 99, 2), page(2, 2, 99, 0)], 2),  # an empty page ends it, whatever the total says
        ([page(1, 3, 99, 2)], 1),  # a short page ends it
        ([page(1, 2, 2, 2)], 1),  # the page that reaches the total ends it
        # A server that ignores the page asked for (a mock serving one example) answers page 1 again:
        # the walk ends there, its items once, rather than going round for ever.
        ([page(1, 2, 99, 2), page(1, 2, 99, 2)], 2),
    ],
)
def test_list_all_stops_on_the_last_page(
    server: TestServer, pages: list[dict[str, Any]], expected_requests: int
) -> None:
    for body in pages:
        server.add("GET", LIST_PATH, json_body=body)
    with sync_client(server) as client:
        items = list(client.customers.list_all(company_id=COMPANY, page_size=pages[0]["pageSize"]))
    assert len(server.requests) == expected_requests
    assert len(items) == sum(len(p["results"]) for p in {p["pageNumber"]: p for p in pages}.values())


def test_list_all_ends_on_a_repeated_page_that_does_not_number_itself() -> None:
    """A server that ignores the page asked for and leaves out the page's number, size and total (which
    the document requires, so the contract-checking server is not used): Prism serving Accounting's list
    examples does. The same items again end the walk, sync and async, where it went round for ever."""
    body = json.dumps(unnumbered(2)).encode()
    with serve() as bare:
        bare.add_handler("GET", LIST_PATH, lambda request: Canned(200, body, {"Content-Type": "application/json"}))
        with sync_client(bare) as client:
            items = list(itertools.islice(client.customers.list_all(company_id=COMPANY), 10))  # bounded if it loops
        assert [c.id for c in items] == ["C-1-0", "C-1-1"] and len(bare.requests) == 2

        async def walk() -> list[str]:
            ids: list[str] = []
            async with async_client(bare) as client:
                async for customer in client.customers.list_all(company_id=COMPANY):
                    ids.append(customer.id)
                    if len(ids) == 10:  # bounded if it loops
                        break
            return ids

        assert asyncio.run(walk()) == ["C-1-0", "C-1-1"] and len(bare.requests) == 4


def test_async_list_all_and_pages(server: TestServer) -> None:
    serve_pages(server, 2, {1: 2, 2: 2, 3: 2, 4: 1})

    async def scenario() -> tuple[list[str], int]:
        async with async_client(server) as client:
            ids = [c.id async for c in client.customers.list_all(company_id=COMPANY, page=3, page_size=2)]
            pages = [p async for p in client.customers.list_all(company_id=COMPANY, page=3, page_size=2).pages()]
            return [i for i in ids if i], len(pages)

    ids, page_count = asyncio.run(scenario())
    assert ids == ["C-3-0", "C-3-1", "C-4-0"] and page_count == 2
    assert [r.query["page"] for r in server.requests] == [["3"], ["4"], ["3"], ["4"]]


# ---- streaming downloads ------------------------------------------------------------------------

SIZE = 50 * 1024 * 1024
BLOCK = bytes(range(256)) * 256  # 64 KiB, reused: the server side allocates nothing per chunk


def blocks() -> Iterator[bytes]:
    for _ in range(SIZE // len(BLOCK)):
        yield BLOCK


def test_a_50_mb_download_streams_to_a_file_in_bounded_memory(server: TestServer, tmp_path: Path) -> None:
    server.add("GET", DOWNLOAD_PATH, chunks=blocks, length=SIZE, headers={"Content-Type": "application/octet-stream"})
    target = tmp_path / "statement.bin"
    with sync_client(server, max_retries=0) as client:
        tracemalloc.start()
        try:
            written = client.customers.download_attachment(**DOWNLOAD_IDS).write_to(target)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert written == SIZE == target.stat().st_size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while streaming 50 MiB"
    expected = hashlib.sha256()
    for block in blocks():
        expected.update(block)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == expected.hexdigest()


def test_download_iterates_in_chunks_and_async_streams_too(server: TestServer) -> None:
    size = 1024 * 1024
    server.add(
        "GET",
        DOWNLOAD_PATH,
        chunks=lambda: iter([BLOCK] * 16),
        length=size,
        headers={"Content-Type": "application/octet-stream"},
    )
    with sync_client(server) as client:
        chunks = list(client.customers.download_attachment(**DOWNLOAD_IDS).iter_bytes(chunk_size=4096))
    assert sum(map(len, chunks)) == size and max(map(len, chunks)) <= 4096

    async def scenario() -> int:
        async with async_client(server) as client:
            download = await client.customers.download_attachment(**DOWNLOAD_IDS)
            return sum([len(chunk) async for chunk in download])

    assert asyncio.run(scenario()) == size


def test_a_failed_download_raises_with_the_error_body(server: TestServer) -> None:
    server.add("GET", DOWNLOAD_PATH, status=404, json_body={"statusCode": 404, "error": "no such file"})
    with sync_client(server, max_retries=0) as client, pytest.raises(codat_accounting.NotFoundError) as caught:
        client.customers.download_attachment(**DOWNLOAD_IDS)
    assert caught.value.error is not None and caught.value.error.error == "no such file"


# ---- typed errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, codat_accounting.BadRequestError),
        (401, codat_accounting.AuthenticationError),
        (402, codat_accounting.PaymentRequiredError),
        (403, codat_accounting.PermissionDeniedError),
        (404, codat_accounting.NotFoundError),
        (409, codat_accounting.ConflictError),
        (422, codat_accounting.UnprocessableEntityError),
        (429, codat_accounting.RateLimitError),
        (500, codat_accounting.InternalServerError),
        (503, codat_accounting.InternalServerError),
        (418, codat_accounting.APIStatusError),
    ],
)
def test_each_status_family_raises_its_error(server: TestServer, status: int, error_class: type[Exception]) -> None:
    body = {"statusCode": status, "service": "PublicApi", "error": f"failed with {status}", "correlationId": "c-1"}
    # get-customer documents only some of these statuses; the others test statuses the document does not list.
    server.add("GET", GET_PATH, status=status, json_body=body, off_contract=status in (400, 409, 418, 422))
    with sync_client(server, max_retries=0) as client, pytest.raises(error_class) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    exc = caught.value
    assert type(exc) is error_class and isinstance(exc, codat_accounting.CodatError)
    assert isinstance(exc, codat_accounting.APIStatusError)
    assert exc.status_code == status and exc.response.status_code == status
    assert exc.error is not None and exc.error.error == f"failed with {status}"
    assert exc.body.startswith(b"{") and f"failed with {status}" in str(exc)


def test_a_success_that_is_not_json_names_the_operation_and_shows_the_bytes(server: TestServer) -> None:
    server.add(
        "GET", GET_PATH, body=b"<html>maintenance</html>", headers={"Content-Type": "text/html"}, off_contract=True
    )
    with sync_client(server) as client, pytest.raises(codat_accounting.ResponseValidationError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    message = str(caught.value)
    assert message == (
        "customers.get: the response is text/html, not the JSON of Customer the API document describes"
        " (status 200, 24 bytes: b'<html>maintenance</html>')"
    )
    assert "Invalid JSON" not in message and caught.value.response.status_code == 200


def test_a_success_that_is_broken_json_labelled_as_json_says_so(server: TestServer) -> None:
    server.add("GET", GET_PATH, body=b'{"id": ', headers={"Content-Type": "application/json"}, off_contract=True)
    with sync_client(server) as client, pytest.raises(codat_accounting.ResponseValidationError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert "Invalid JSON" in str(caught.value) and "text/html" not in str(caught.value)


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_errors_are_retried_then_raised() -> None:
    clock = FakeTime()
    client = CodatAccounting(auth_header=AUTH, server_url=f"http://127.0.0.1:{unused_port()}", max_retries=3)
    client._sleep, client._clock = clock.sleep, clock.clock
    with client, pytest.raises(codat_accounting.APIConnectionError) as caught:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert not isinstance(caught.value, codat_accounting.APITimeoutError)
    assert len(clock.waits) == 3
    no_retry = RetryConfig(retry_connection_errors=False)
    with CodatAccounting(auth_header=AUTH, server_url=f"http://127.0.0.1:{unused_port()}", retry_config=no_retry) as c2:
        c2._sleep = clock.sleep
        with pytest.raises(codat_accounting.APIConnectionError):
            c2.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert len(clock.waits) == 3


def test_timeouts_client_default_and_per_call(server: TestServer) -> None:
    server.add("GET", GET_PATH, json_body=CUSTOMER, delay=0.5)
    with sync_client(server, timeout=0.1, max_retries=0) as client:
        with pytest.raises(codat_accounting.APITimeoutError):
            client.customers.get(company_id=COMPANY, customer_id="C-1042")
        customer = client.customers.get(company_id=COMPANY, customer_id="C-1042", timeout=5.0)
    assert customer.id == "C-1042"


# ---- retries ------------------------------------------------------------------------------------


def test_backoff_grows_by_the_documented_exponent_within_jitter(server: TestServer) -> None:
    clock = FakeTime()
    for _ in range(4):
        server.add("GET", GET_PATH, status=503, json_body={"statusCode": 503})
    server.add("GET", GET_PATH, json_body=CUSTOMER)
    with sync_client(server, clock) as client:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert len(server.requests) == 5
    for attempt, wait in enumerate(clock.waits):
        base = 0.5 * 1.5**attempt
        assert 0.75 * base <= wait <= base


def test_retry_after_in_seconds_and_as_a_date_is_honoured(server: TestServer) -> None:
    clock = FakeTime()
    when = email.utils.format_datetime(
        __import__("datetime").datetime.fromtimestamp(time.time() + 5, tz=__import__("datetime").timezone.utc),
        usegmt=True,
    )
    server.add("GET", GET_PATH, status=429, json_body={"statusCode": 429}, headers={"Retry-After": "3"})
    server.add("GET", GET_PATH, status=503, json_body={"statusCode": 503}, headers={"Retry-After": when})
    server.add("GET", GET_PATH, json_body=CUSTOMER)
    with sync_client(server, clock) as client:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert clock.waits[0] == 3.0
    assert 3.0 <= clock.waits[1] <= 5.0


def test_the_elapsed_time_cap_ends_retrying(server: TestServer) -> None:
    clock = FakeTime()
    server.add("GET", GET_PATH, status=500, json_body={"statusCode": 500})
    policy = RetryConfig(
        max_retries=100, initial_interval=1.0, exponent=2.0, max_interval=60.0, max_elapsed_time=10.0, jitter=0
    )
    with sync_client(server, clock, retry_config=policy) as client, pytest.raises(codat_accounting.InternalServerError):
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert clock.waits == [1.0, 2.0, 4.0]  # the next wait (8 s) would pass 10 s in all
    assert len(server.requests) == 4


def test_per_call_retries_override_the_client(server: TestServer) -> None:
    clock = FakeTime()
    server.add("GET", GET_PATH, status=500, json_body={"statusCode": 500})
    with sync_client(server, clock, max_retries=5) as client:
        for retries, expected in ((0, 1), (None, 1), (2, 3)):
            server.requests.clear()
            with pytest.raises(codat_accounting.InternalServerError):
                client.customers.get(company_id=COMPANY, customer_id="C-1042", retries=retries)
            assert len(server.requests) == expected, retries
        server.requests.clear()
        server.add("GET", f"{BASE}/data/customers/new", status=404, json_body={"statusCode": 404})
        only_404 = RetryConfig(max_retries=1, status_codes=("404",), jitter=0)
        with pytest.raises(codat_accounting.NotFoundError):
            client.customers.get(company_id=COMPANY, customer_id="new", retries=only_404)
        assert len(server.requests) == 2


def test_statuses_outside_the_policy_are_not_retried(server: TestServer) -> None:
    clock = FakeTime()
    server.add("GET", GET_PATH, status=400, json_body={"statusCode": 400}, off_contract=True)
    with sync_client(server, clock) as client, pytest.raises(codat_accounting.BadRequestError):
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert len(server.requests) == 1 and clock.waits == []


def test_async_retries_with_the_same_policy(server: TestServer) -> None:
    clock = FakeTime()
    server.add("GET", GET_PATH, status=502, json_body={"statusCode": 502}, off_contract=True)
    server.add("GET", GET_PATH, status=408, json_body={"statusCode": 408}, off_contract=True)
    server.add("GET", GET_PATH, json_body=CUSTOMER)

    async def scenario() -> models.Customer:
        async with async_client(server, clock) as client:
            return await client.customers.get(company_id=COMPANY, customer_id="C-1042")

    assert asyncio.run(scenario()).id == "C-1042"
    assert len(server.requests) == 3 and len(clock.waits) == 2


# ---- logging, secrets, lifecycle ----------------------------------------------------------------


def test_debug_log_names_each_attempt_and_never_the_credentials(
    server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeTime()
    server.add("GET", GET_PATH, status=503, json_body={"statusCode": 503})
    server.add("GET", GET_PATH, json_body=CUSTOMER)
    with caplog.at_level(logging.DEBUG, logger="codat_accounting"), sync_client(server, clock) as client:
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    records = [r for r in caplog.records if r.name == "codat_accounting"]
    messages = [r.getMessage() for r in records]
    assert len(messages) == 2
    assert messages[0].startswith(f"GET {server.url}{GET_PATH} -> 503 in ") and "attempt 1" in messages[0]
    assert " -> 200 in " in messages[1] and "attempt 2" in messages[1] and "get-customer" in messages[1]
    assert all(AUTH not in m and "c2VjcmV0" not in m for m in messages)


def test_clients_close_their_own_http_client_but_not_a_callers() -> None:
    with CodatAccounting(auth_header=AUTH) as client:
        pass
    assert client._http.is_closed

    async def scenario() -> bool:
        async with AsyncCodatAccounting(auth_header=AUTH) as async_client_:
            pass
        return async_client_._http.is_closed

    assert asyncio.run(scenario())


def test_default_headers_and_extra_headers_are_sent(server: TestServer) -> None:
    server.add("GET", GET_PATH, json_body=CUSTOMER)
    with sync_client(server, default_headers={"X-Team": "ledger"}) as client:
        client.customers.get(company_id=COMPANY, customer_id="C-1042", extra_headers={"X-Trace": "t-1"})
    headers = server.requests[-1].headers
    assert headers["x-team"] == "ledger" and headers["x-trace"] == "t-1"
    assert headers["user-agent"] == f"codat-accounting-python/{codat_accounting.__version__}"


def test_a_timed_out_attempt_is_retried(server: TestServer) -> None:
    clock = FakeTime()
    server.add("GET", GET_PATH, json_body=CUSTOMER, delay=0.5)
    server.add("GET", GET_PATH, json_body=CUSTOMER)
    with sync_client(server, clock, timeout=0.1) as client:
        assert client.customers.get(company_id=COMPANY, customer_id="C-1042").id == "C-1042"
    assert len(clock.waits) == 1


def test_async_failures_timeouts_and_a_callers_client(server: TestServer) -> None:
    import httpx

    clock = FakeTime()
    server.add("GET", GET_PATH, json_body=CUSTOMER, delay=0.5)
    server.add("GET", f"{BASE}/data/customers/busy", status=503, json_body={"statusCode": 503})

    async def scenario() -> tuple[bool, int]:
        http = httpx.AsyncClient()
        async with async_client(server, clock, timeout=0.1, http_client=http) as client:
            with pytest.raises(codat_accounting.APITimeoutError):
                await client.customers.get(company_id=COMPANY, customer_id="C-1042", retries=0)
            with pytest.raises(codat_accounting.InternalServerError):
                await client.customers.get(company_id=COMPANY, customer_id="busy", retries=0)
        unreachable = AsyncCodatAccounting(
            auth_header=AUTH, server_url=f"http://127.0.0.1:{unused_port()}", max_retries=2
        )
        unreachable._sleep, unreachable._clock = clock.async_sleep, clock.clock
        async with unreachable:
            with pytest.raises(codat_accounting.APIConnectionError):
                await unreachable.customers.get(company_id=COMPANY, customer_id="C-1042")
        left_open = not http.is_closed
        await http.aclose()
        return left_open, len(clock.waits)

    left_open, waits = asyncio.run(scenario())
    assert left_open and waits == 2
    assert [r.path.rsplit("/", 1)[-1] for r in server.requests] == ["C-1042", "busy"]


class CollectorSpy:
    """Stands in for the `gc` module inside the SDK: records what changes the collector, does it for real."""

    RECORDED = frozenset({"disable", "enable", "freeze", "unfreeze"})

    def __init__(self) -> None:
        import gc

        self.real = gc
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        action = getattr(self.real, name)
        if name not in self.RECORDED:
            return action

        def recorded() -> None:
            self.calls.append(name)
            action()

        return recorded


@pytest.fixture
def collector(monkeypatch: pytest.MonkeyPatch) -> Iterator[CollectorSpy]:
    from codat_accounting import _base_client

    spy = CollectorSpy()
    monkeypatch.setattr(_base_client, "gc", spy)
    enabled = spy.real.isenabled()
    yield spy
    (spy.real.enable if enabled else spy.real.disable)()


# One pause: the decoded objects go to the oldest generation before the collector is back on.
PAUSED = ["disable", "freeze", "unfreeze", "enable"]


def big_page(count: int = 4000) -> dict[str, Any]:
    return {**PAGE, "results": [{**CUSTOMER, "id": f"C-{n}"} for n in range(count)], "pageSize": count}


def test_by_default_the_collector_is_left_alone(server: TestServer, collector: CollectorSpy) -> None:
    server.add("GET", LIST_PATH, json_body=big_page())
    with sync_client(server) as client:
        assert len(client.customers.list(company_id=COMPANY, page_size=4000).results or []) == 4000

    async def scenario() -> None:
        async with async_client(server) as aclient:
            await aclient.customers.list(company_id=COMPANY, page_size=4000)

    asyncio.run(scenario())
    assert collector.calls == []


def test_a_large_page_decodes_with_the_collector_paused_then_restored(
    server: TestServer, collector: CollectorSpy
) -> None:
    body = big_page()
    assert len(json.dumps(body)) > 1 << 20
    server.add("GET", LIST_PATH, json_body=body)
    server.add("GET", LIST_PATH, json_body=PAGE)
    with sync_client(server, pause_collector=True) as client:
        assert len(client.customers.list(company_id=COMPANY, page_size=4000).results or []) == 4000
        assert collector.calls == PAUSED and collector.isenabled()
        client.customers.list(company_id=COMPANY)
    assert collector.calls == PAUSED  # a small page is decoded as it is


def test_the_collector_stays_off_when_the_program_turned_it_off(server: TestServer, collector: CollectorSpy) -> None:
    server.add("GET", LIST_PATH, json_body=big_page())
    collector.real.disable()
    with sync_client(server, pause_collector=True) as client:
        client.customers.list(company_id=COMPANY, page_size=4000)
    assert collector.calls == ["disable"] and not collector.isenabled()


def test_a_failed_large_decode_restores_the_collector(server: TestServer, collector: CollectorSpy) -> None:
    broken = big_page()
    broken["results"][-1] = {**CUSTOMER, "status": 42}
    server.add("GET", LIST_PATH, json_body=broken, off_contract=True)
    with sync_client(server, pause_collector=True) as client, pytest.raises(codat_accounting.ResponseValidationError):
        client.customers.list(company_id=COMPANY, page_size=4000)
    assert collector.calls == PAUSED and collector.isenabled()


def test_overlapping_pauses_restore_the_collector_once_the_last_ends(collector: CollectorSpy) -> None:
    from codat_accounting._base_client import _collector_paused

    with _collector_paused(1 << 21):
        with _collector_paused(1 << 21):
            assert not collector.isenabled()
        assert not collector.isenabled()
    assert collector.isenabled() and collector.calls == PAUSED


def test_a_large_page_goes_straight_to_the_oldest_generation_and_frozen_objects_stay_frozen(
    server: TestServer,
) -> None:
    import gc

    server.add("GET", LIST_PATH, json_body=big_page())
    server.add("GET", LIST_PATH, json_body=big_page())
    with sync_client(server, pause_collector=True) as client:
        page = client.customers.list(company_id=COMPANY, page_size=4000)
        oldest = {id(o) for o in gc.get_objects(generation=2)}
        # A young pass would have left them in the middle generation.
        assert id(page) in oldest and id((page.results or [])[-1]) in oldest

        kept_frozen = [["a pre-fork server's object"]]
        gc.freeze()
        try:
            client.customers.list(company_id=COMPANY, page_size=4000)
            assert gc.get_freeze_count() > 0 and gc.isenabled()
            assert id(kept_frozen) not in {id(o) for o in gc.get_objects()}  # the generations hold no frozen object
        finally:
            gc.unfreeze()
        assert id(kept_frozen) in {id(o) for o in gc.get_objects()}


def test_with_options_is_a_copy_sharing_the_pool_that_never_closes_it(server: TestServer) -> None:
    server.add("GET", GET_PATH, json_body=CUSTOMER)
    clock = FakeTime()
    with sync_client(server, clock) as client:
        first = client.customers
        copy = client.with_options(timeout=5.0, max_retries=1, default_headers={"X-Team": "finance"})
        assert copy.customers is not first and copy.customers._client is copy and client.customers is first
        assert copy._http is client._http and copy.timeout == 5.0 and copy.retry_config.max_retries == 1
        assert client.timeout != 5.0 and client.retry_config.max_retries == 8
        copy.customers.get(company_id=COMPANY, customer_id="C-1042")
        copy.close()  # the pool is the original's: still open
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
        other = client.with_options(server_url=server.url + "/")
        other.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert client._http.is_closed
    assert [r.headers.get("x-team") for r in server.requests] == ["finance", None, None]
    with pytest.raises(ValueError, match="not an http"):
        client.with_options(server_url="localhost:1")
    with pytest.raises(TypeError, match="max_retries"):
        client.with_options(max_retries=-1)


def test_async_with_options_shares_the_pool(server: TestServer) -> None:
    server.add("GET", GET_PATH, json_body=CUSTOMER)

    async def scenario() -> str:
        async with async_client(server) as client:
            copy = client.with_options(default_headers={"X-Team": "ops"})
            assert copy._http is client._http
            customer = await copy.customers.get(company_id=COMPANY, customer_id="C-1042")
            await copy.close()
            assert not client._http.is_closed
            return customer.id or ""

    assert asyncio.run(scenario()) == "C-1042"
    assert server.requests[0].headers["x-team"] == "ops"


def test_with_raw_response_gives_status_headers_and_the_parsed_result(server: TestServer) -> None:
    server.add("GET", GET_PATH, json_body=CUSTOMER, headers={"X-RateLimit-Remaining": "41"})
    server.add("GET", DOWNLOAD_PATH, body=b"%PDF-1.7", headers={"Content-Type": "application/octet-stream"})
    with sync_client(server) as client:
        response = client.customers.with_raw_response.get(company_id=COMPANY, customer_id="C-1042")
        assert response.status_code == 200 and response.headers["x-ratelimit-remaining"] == "41"
        assert response.method == "GET" and response.url.path == GET_PATH
        customer = response.parse()
        assert isinstance(customer, models.Customer) and customer.id == "C-1042" and response.parse() is customer
        assert json.loads(response.read()) == CUSTOMER
        with client.customers.with_streaming_response.get(company_id=COMPANY, customer_id="C-1042") as streamed:
            assert streamed.headers["x-ratelimit-remaining"] == "41"
            assert not streamed.http_response.is_closed and streamed.parse().id == "C-1042"
        assert streamed.http_response.is_closed
        raw_download = client.customers.with_raw_response.download_attachment(**DOWNLOAD_IDS)
        with raw_download.parse() as download:
            assert download.read() == b"%PDF-1.7"


def test_with_raw_response_still_raises_typed_errors(server: TestServer) -> None:
    server.add("GET", GET_PATH, 404, {"statusCode": 404, "error": "gone"}, headers={"X-Request-Id": "r-9"})
    with sync_client(server) as client, pytest.raises(codat_accounting.NotFoundError) as caught:
        client.customers.with_raw_response.get(company_id=COMPANY, customer_id="C-1042")
    assert caught.value.response.headers["x-request-id"] == "r-9" and "GET" in str(caught.value)


def test_async_raw_and_streamed_responses(server: TestServer) -> None:
    server.add("GET", GET_PATH, json_body=CUSTOMER, headers={"X-RateLimit-Remaining": "7"})

    async def scenario() -> tuple[str, str, str]:
        async with async_client(server) as client:
            raw = await client.customers.with_raw_response.get(company_id=COMPANY, customer_id="C-1042")
            async with client.customers.with_streaming_response.get(company_id=COMPANY, customer_id="C-1042") as s:
                streamed = await s.parse()
            return raw.headers["x-ratelimit-remaining"], (await raw.parse()).id or "", streamed.id or ""

    assert asyncio.run(scenario()) == ("7", "C-1042", "C-1042")


def test_a_response_lacking_required_fields_returns_what_was_there(
    server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Servers drift from their document (Prism's static responses are its own examples, which omit
    required fields): the data they did send is not thrown away for what they did not."""
    partial = {key: value for key, value in CUSTOMER.items() if key != "status"}
    partial["addresses"] = [{"line1": "1 High Street", "city": "Leeds"}]  # no `type`, required
    server.add("GET", GET_PATH, json_body=partial, off_contract=True)
    with sync_client(server) as client, caplog.at_level(logging.DEBUG, logger="codat_accounting"):
        customer = client.customers.get(company_id=COMPANY, customer_id="C-1042")
    assert customer.customer_name == "Acme Wholesale Ltd" and customer.status is None
    assert customer.addresses and customer.addresses[0].city == "Leeds" and customer.addresses[0].type is None
    assert customer.supplemental_data and customer.modified_date == CUSTOMER["modifiedDate"]
    assert "lacks required fields" in caplog.text
    assert "response.status" in caplog.text and "response.addresses[0].type" in caplog.text


def test_a_type_conflict_still_raises_and_strict_responses_raise_on_every_mismatch(server: TestServer) -> None:
    server.add("GET", GET_PATH, json_body={**CUSTOMER, "customerName": 12}, off_contract=True)
    with sync_client(server) as client, pytest.raises(codat_accounting.ResponseValidationError):
        client.customers.get(company_id=COMPANY, customer_id="C-1042")
    partial = {key: value for key, value in CUSTOMER.items() if key != "status"}
    for body, said in (
        (partial, "response.status: Field required"),
        ({**CUSTOMER, "loyaltyTier": "gold"}, "response.loyaltyTier: Customer has no such field"),
        ({**CUSTOMER, "status": "Suspended"}, "'Suspended' is not a CustomerStatus"),
    ):
        with serve() as strict_server:
            strict_server.add("GET", GET_PATH, json_body=body)
            with sync_client(strict_server, strict_responses=True) as client:
                with pytest.raises(codat_accounting.ResponseValidationError) as caught:
                    client.customers.get(company_id=COMPANY, customer_id="C-1042")
            assert said in str(caught.value)
