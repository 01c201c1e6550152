"""Defaults that fit the document given, not ours: every tag, names from the document's title, said.

Installed as a tool, `generate --spec Codat-Lending.yaml --out x` stopped at `unknown tag 'Customers'`,
and a document titled "Ext API" became the package codat_accounting, silently (issue 26). This
repository's own settings say what `make generate` makes of spec/, so generated/ is as it was.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from generator.text.naming import package_from_title
from generator.text.reserved import PACKAGES_TAKEN
from tests.commands import run_generator as run
from tests.commands import snapshot
from tests.conftest import GENERATED, ROOT, SPEC
from tests.unit.docs import minimal

FAMILY = ROOT.parent / "shared" / "specs" / "codat"


@pytest.mark.parametrize(
    ("title", "package"),
    [
        ("Codat Lending API", "codat_lending"),
        ("Accounting API", "accounting"),
        ("Bank Feeds API (v2)", "bank_feeds_v2"),
        ("Sync for Expenses (v1)", "sync_for_expenses_v1"),
        ("Ext API", "ext"),
        ("API", "api_client"),
        ("", "api_client"),
        ("JSON", "json_sdk"),  # would shadow the standard library's json
        ("3D Secure", "sdk_3d_secure"),
        ("class", "class_sdk"),
        ("Café API", "cafe"),
        ("A " * 80, "a_" * 29 + "a"),
    ],
)
def test_a_package_name_from_a_title(title: str, package: str) -> None:
    assert package_from_title(title, PACKAGES_TAKEN) == package


def test_with_no_settings_every_tag_and_the_titles_names(tmp_path: Path) -> None:
    data = minimal()
    data["info"]["title"] = "Ext API"
    data["tags"].append({"name": "Others"})
    other = json.loads(json.dumps(data["paths"]["/things/{thingId}"]))
    other["get"] |= {"tags": ["Others"], "operationId": "get-other"}
    data["paths"]["/others/{thingId}"] = other
    (tmp_path / "ext.json").write_text(json.dumps(data))
    result = run("generate", "--spec", "ext.json", "--out", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "note: named from the document's title 'Ext API': package ext, distribution ext, client Ext,"
        " environment variables EXT_* (choose with --package, or `package` in [tool.codat-sdkgen])"
    ]
    source = tmp_path / "x" / "src" / "ext"
    assert sorted(p.name for p in (source / "resources").glob("*.py")) == ["__init__.py", "others.py", "things.py"]
    client = (source / "_client.py").read_text()
    assert "class Ext(SyncAPIClient)" in client and "class AsyncExt(AsyncAPIClient)" in client
    assert 'SERVER_URL_ENV = "EXT_SERVER_URL"' in (source / "_constants.py").read_text()
    assert tomllib.loads((tmp_path / "x" / "pyproject.toml").read_text())["project"]["name"] == "ext"
    again = run("generate", "--spec", "ext.json", "--out", "x", cwd=tmp_path)  # the no-op run says it too
    assert "is up to date" in again.stdout and again.stderr == result.stderr


@pytest.mark.realdoc
def test_a_codat_document_of_no_customers_tag_generates_as_installed(tmp_path: Path) -> None:
    result = run("generate", "--spec", str(FAMILY / "Codat-Bank-Feeds-v2.json"), "--out", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "unknown tag" not in result.stderr
    assert "package bank_feeds_v2, distribution bank-feeds-v2, client BankFeedsV2" in result.stderr
    assert (tmp_path / "x" / "src" / "bank_feeds_v2" / "_client.py").is_file()


def test_no_document_is_a_usage_error(tmp_path: Path) -> None:
    result = run("generate", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "codat-sdkgen: error: no document: give --spec PATH|URL, or `spec` in [tool.codat-sdkgen] of pyproject.toml\n"
    )


def test_this_repositorys_settings_name_what_make_generate_makes() -> None:
    """Our own defaults are explicit in pyproject.toml, so generated/ stays the Customers tag of spec/
    as codat_accounting, whatever the tool's defaults."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["codat-sdkgen"]
    assert settings == {
        "spec": "spec/codat-accounting.yaml",
        "tags": ["Customers"],
        "out": "generated",
        "package": "codat_accounting",
    }
    before = snapshot(GENERATED)
    result = run("generate", "--check", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and snapshot(GENERATED) == before
    assert SPEC.is_file()
