"""naming: pure string rules, as tables."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.text import naming
from generator.text.reserved import reserved


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "expected"),
    [
        ("create-customer", "post", "/c/{companyId}/push/customers", "create"),
        ("download-customer-attachment", "get", "/a/{attachmentId}/download", "download_attachment"),
        ("get-create-update-customers-model", "get", "/c/{c}/options/customers", "get_create_update_model"),
        ("list-customers", "get", "/c/{companyId}/data/customers", "list"),
        ("list-customer-attachments", "get", "/c/{customerId}/attachments", "list_attachments"),
        ("get-customer-attachment", "get", "/c/{customerId}/attachments/{attachmentId}", "get_attachment"),
        ("update-customer", "put", "/c/{customerId}", "update"),
        ("get-customer", "get", "/c/data/customers/{customerId}", "get"),
        # The real document's names: a GET of a collection reads a list.
        ("get-customers", "get", "/c/{companyId}/data/customers", "list"),
        ("get-customer-attachments", "get", "/c/{customerId}/attachments", "list_attachments"),
    ],
)
def test_method_name_drops_the_tag_noun(operation_id: str, method: str, path: str, expected: str) -> None:
    assert naming.method_name(operation_id, "Customers", method, path) == expected


def test_method_name_handles_multi_word_tags() -> None:
    assert naming.method_name("create-bank-account", "Bank accounts", "post", "/x") == "create"
    assert naming.method_name("get-bank-account-transactions", "Bank account transactions", "get", "/x/{y}") == "get"


def test_method_name_keeps_the_whole_id_when_only_the_noun_is_left() -> None:
    assert naming.method_name("customers", "Customers", "get", "/customers/{id}") == "customers"


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("customerName", "customer_name", "CustomerName"),
        ("_links", "links", "Links"),
        ("banking-accountBalances", "banking_account_balances", "BankingAccountBalances"),
        ("Push Option Choice", "push_option_choice", "PushOptionChoice"),
        ("HTTPStatusCode", "http_status_code", "HttpStatusCode"),
        ("Ünïcode näme", "unicode_name", "UnicodeName"),
        ("ISO4217", "iso_4217", "Iso4217"),
    ],
)
def test_case_conversions(text: str, snake: str, pascal: str) -> None:
    assert naming.snake(text) == snake
    assert naming.pascal(text) == pascal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("class", "class_"),
        ("from", "from_"),
        ("1099code", "value_1099_code"),
        ("", "value"),
        ("json", "json_"),
        ("list", "list_"),
        ("model_config", "model_config_"),
        ("type", "type"),
        ("id", "id"),
        ("match", "match"),
        ("case", "case"),
    ],
)
def test_safe_snake_avoids_keywords_reserved_names_and_leading_digits(text: str, expected: str) -> None:
    assert naming.safe_snake(text, reserved().fields) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("customers", "customer"),
        ("addresses", "address"),
        ("categories", "category"),
        ("taxes", "tax"),
        ("address", "address"),
        ("status", "status"),
        ("analysis", "analysis"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert naming.singular(word) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("TimedOut", "TIMED_OUT"), ("banking-accounts", "BANKING_ACCOUNTS"), ("1099", "VALUE_1099"), ("", "EMPTY")],
)
def test_enum_member(value: str, expected: str) -> None:
    assert naming.enum_member(value) == expected


def test_qualify_prefixes_whole_names_only() -> None:
    annotation = "list[Customer] | dict[str, CustomerStatus] | None"
    assert naming.qualify(annotation, ("Customer", "CustomerStatus"), "models.") == (
        "list[models.Customer] | dict[str, models.CustomerStatus] | None"
    )


@pytest.mark.parametrize(
    ("function", "text", "expected"),
    [
        (naming.safe_snake, "l", "l_"),
        (naming.safe_snake, "L", "l_"),
        (naming.safe_pascal, "i", "I_"),
        (naming.safe_pascal, "o", "O_"),
        (naming.enum_member, "I", "I_"),
        (naming.enum_member, "o", "O_"),
        (naming.enum_member, "l", "L"),
        (naming.module_name, "Class", "class_"),
        (naming.module_name, "CustomerContact", "customer_contact"),
    ],
)
def test_names_that_read_as_digits_or_keywords_get_an_underscore(
    function: Callable[[str], str], text: str, expected: str
) -> None:
    assert function(text) == expected


def test_import_and_dunder_all_orders_are_ruffs() -> None:
    """Orders read off ruff (I001, RUF022): natural numbers, case folded for imports, not for __all__."""
    modules = ["ab", "a_9", "aB", "a10", "a9", "a_b"]
    assert sorted(modules, key=naming.module_order) == ["a9", "a10", "a_9", "a_b", "aB", "ab"]
    members = ["a10", "a9", "X10", "X9", "Abc", "abc", "ABC", "aBc", "A_b", "Ab", "a_1", "a1", "B2", "b"]
    assert sorted(members, key=naming.member_order) == [
        *("ABC", "B2", "X9", "X10"),
        *("A_b", "Ab", "Abc"),
        *("a1", "a9", "a10", "a_1", "aBc", "abc", "b"),
    ]
    names = ["x10", "x9", "X10", "X9", "Abc", "abc", "ABC", "aBc", "A_b", "Ab", "a_1", "a1"]
    assert sorted(names, key=naming.dunder_all_order) == [
        *("ABC", "X9", "X10"),
        *("A_b", "Ab", "Abc"),
        *("a1", "aBc", "a_1", "abc", "x9", "x10"),
    ]


def test_digit_runs_with_leading_zeros_sort_as_ruff_sorts_them(tmp_path: Path) -> None:
    """The fuzz found `_636` written before `_03380406`, which ruff's isort (strnatcmp) puts after: a run
    with a leading zero compares from the left. Drawn names, sorted by ruff itself and by us."""
    rng = random.Random(2026)
    names = sorted(
        {
            "m_"
            + "_".join(
                rng.choice(["0", "00", "007", "05", "5", "10", "636", "03380406", "9", "a", "b0", "0b"])
                for _ in range(rng.randint(1, 3))
            )
            for _ in range(80)
        }
    )
    source = tmp_path / "imports.py"
    source.write_text("".join(f"from .{n} import X as X{n}\n" for n in rng.sample(names, len(names))))
    ruff = Path(sys.executable).parent / "ruff"
    subprocess.run([str(ruff), "check", "--isolated", "--select", "I", "--fix", "-q", str(source)], check=False)
    by_ruff = [line.split()[1].removeprefix(".") for line in source.read_text().splitlines()]
    assert by_ruff == sorted(names, key=naming.module_order)


def test_suffixes_give_the_names_a_scan_from_two_gives_without_a_cap() -> None:
    used = {"Item2", "Item4", "Other3", "Big7"}
    suffixes = naming.Suffixes(used)
    for base, name in [
        ("Item", "Item3"),
        ("Item", "Item5"),
        ("Other", "Other2"),
        ("Item", "Item6"),
        ("Other", "Other4"),
    ]:
        assert name == next(f"{base}{i}" for i in range(2, 99) if f"{base}{i}" not in used)
        assert suffixes.free(base) == name
        used.add(name)
    big = [suffixes.free("Big") for _ in range(10_050)]  # past the old cap of 10,000, which raised StopIteration
    assert big == [f"Big{i}" for i in range(2, 10_053) if i != 7]
    used.add("Big10053")  # taken meanwhile, where Big got to: skipped
    assert suffixes.free("Big") == "Big10054"
