"""A page of 10,000 realistic customers (about 11 MB of JSON), the same bytes for every SDK measured."""

from __future__ import annotations

import json
import random
from typing import Any

_CITIES = ["London", "Leeds", "Manchester", "Bristol", "Edinburgh", "Cardiff", "Belfast", "York"]
_STREETS = ["High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Mill Road"]
_FIRST = ["Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Frances", "Tim", "Radia"]
_LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Dijkstra", "Liskov", "Knuth", "Allen", "Berners-Lee"]


def _date(rng: random.Random) -> str:
    return (
        f"20{rng.randint(15, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    )


def _address(rng: random.Random, kind: str) -> dict[str, Any]:
    return {
        "type": kind,
        "line1": f"{rng.randint(1, 300)} {rng.choice(_STREETS)}",
        "city": rng.choice(_CITIES),
        "country": "United Kingdom",
        "postalCode": f"AB{rng.randint(1, 99)} {rng.randint(1, 9)}CD",
    }


def customer(rng: random.Random, n: int) -> dict[str, Any]:
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    return {
        "id": f"{n:08d}-{rng.getrandbits(32):08x}",
        "customerName": f"{name} Trading Ltd",
        "contactName": name,
        "emailAddress": f"accounts{n}@example.test",
        "phone": f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        "defaultCurrency": rng.choice(["GBP", "USD", "EUR"]),
        "registrationNumber": f"{rng.randint(10_000_000, 99_999_999)}",
        "taxNumber": f"GB{rng.randint(100_000_000, 999_999_999)}",
        "status": rng.choice(["Active", "Archived", "Unknown"]),
        "addresses": [_address(rng, "Billing"), _address(rng, "Delivery")],
        "contacts": [
            {
                "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                "email": f"contact{n}-{i}@example.test",
                "phone": [
                    {"number": f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}", "type": "Mobile"},
                    {"number": f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}", "type": "Landline"},
                ],
                "address": _address(rng, "Unknown"),
                "status": "Active",
                "modifiedDate": _date(rng),
            }
            for i in range(1)
        ],
        "metadata": {"isDeleted": rng.random() < 0.05},
        "supplementalData": {"content": {"crm": {"tier": rng.choice(["gold", "silver"]), "score": rng.randint(1, 99)}}},
        "modifiedDate": _date(rng),
        "sourceModifiedDate": _date(rng),
    }


def page(count: int = 10_000) -> bytes:
    rng = random.Random(20261124)
    body = {
        "results": [customer(rng, n) for n in range(count)],
        "pageNumber": 1,
        "pageSize": count,
        "totalResults": count,
        "_links": {
            "self": {"href": "/companies/c/data/customers"},
            "current": {"href": "/companies/c/data/customers?page=1"},
        },
    }
    return json.dumps(body).encode()
