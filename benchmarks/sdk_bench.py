"""Measures one SDK from inside its own virtualenv; prints JSON. Run by run.py, once per SDK.

    python sdk_bench.py parse ours|speakeasy PAGE.json RUNS
    python sdk_bench.py stream ours|speakeasy URL

`parse` goes through each SDK's own `customers.list` (an httpx MockTransport hands it the bytes, so
no network is timed) and, for `create`, each SDK's own request-body serialisation.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx


def _median(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _transport(body: bytes) -> httpx.MockTransport:
    headers = {"Content-Type": "application/json"}
    return httpx.MockTransport(lambda request: httpx.Response(200, content=body, headers=headers))


def parse_ours(body: bytes, runs: int) -> dict[str, float]:
    from codat_accounting import CodatAccounting, models
    from codat_accounting._base_client import json_body
    from codat_accounting._json import dumps

    def client(**options: Any) -> CodatAccounting:
        transport = httpx.Client(transport=_transport(body))
        return CodatAccounting(auth_header="Basic x", server_url="http://sdk.test", http_client=transport, **options)

    default, paused = client(), client(pause_collector=True)
    page = default.customers.list(company_id="c", page_size=10_000)
    assert len(page.results or []) == 10_000
    customers = list(page.results or [])

    def serialise() -> None:
        for customer in customers:
            dumps(json_body(customer, models.Customer, "customers.create", "customer"))

    return {
        # The default client leaves the collector alone; pydantic's own decode of the same model from
        # the same bytes, with the collector in the same state, is the floor it is measured against.
        "parse": _median(lambda: default.customers.list(company_id="c", page_size=10_000), runs),
        "validate_json": _median(lambda: models.Customers.model_validate_json(body), runs),
        "parse_collector_paused": _median(lambda: paused.customers.list(company_id="c", page_size=10_000), runs),
        "serialise": _median(serialise, runs),
    }


def parse_speakeasy(body: bytes, runs: int) -> dict[str, float]:
    from typing import Optional

    from codat_accounting import CodatAccounting, utils
    from codat_accounting.models import shared

    client = CodatAccounting(
        security=shared.Security(auth_header="Basic x"),
        server_url="http://sdk.test",
        client=httpx.Client(transport=_transport(body)),
    )
    request = {"company_id": "c", "page": 1, "page_size": 10_000}
    page = client.customers.list(request=request)
    assert page is not None and len(page.results or []) == 10_000
    customers = list(page.results or [])
    body_type = Optional[shared.Customer]  # noqa: UP045 - spelled as the package spells it

    def serialise() -> None:
        for customer in customers:
            utils.serialize_request_body(customer, False, True, "json", body_type)

    return {
        "parse": _median(lambda: client.customers.list(request=request), runs),
        "serialise": _median(serialise, runs),
    }


def stream_ours(url: str) -> int:
    from codat_accounting import CodatAccounting

    with CodatAccounting(auth_header="Basic x", server_url=url) as client:
        baseline = _rss("VmRSS")
        download = client.customers.download_attachment(
            company_id="c", connection_id="d", customer_id="e", attachment_id="f"
        )
        received = sum(len(chunk) for chunk in download.iter_bytes())
        return _report(baseline, received)


def stream_speakeasy(url: str) -> int:
    from codat_accounting import CodatAccounting
    from codat_accounting.models import shared

    client = CodatAccounting(security=shared.Security(auth_header="Basic x"), server_url=url)
    baseline = _rss("VmRSS")
    response: Any = client.customers.download_attachment(
        request={"company_id": "c", "connection_id": "d", "customer_id": "e", "attachment_id": "f"}
    )
    received = sum(len(chunk) for chunk in response.iter_bytes())
    return _report(baseline, received)


def _rss(field: str) -> int:
    """A line of /proc/self/status in bytes (VmRSS: now; VmHWM: the peak so far)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(field)


def _report(baseline: int, received: int) -> int:
    print(json.dumps({"received": received, "baseline": baseline, "peak_above_baseline": _rss("VmHWM") - baseline}))
    return 0


def main(argv: list[str]) -> int:
    command, sdk = argv[0], argv[1]
    if command == "parse":
        body = Path(argv[2]).read_bytes()
        runs = int(argv[3])
        result = (parse_ours if sdk == "ours" else parse_speakeasy)(body, runs)
        if sdk == "ours":
            result["json_loads"] = _median(lambda: json.loads(body), runs)
        print(json.dumps(result))
        return 0
    return (stream_ours if sdk == "ours" else stream_speakeasy)(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
