"""The generated package's metadata: from the target's settings, else the document's info, never what PyPI refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.builder.package_settings import PackageSettings
from generator.config import Options, load_config
from generator.errors import GeneratorError
from generator.pipeline import checked_api
from tests.unit.docs import minimal


def _spec(tmp_path: Path, **info: object) -> Path:
    data = minimal()
    data["info"].update(info)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data))
    return spec


def test_metadata_comes_from_the_documents_info(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        version="2.1",
        summary="Things,\n kept.",
        license={"name": "Apache License 2.0", "identifier": "apache-2.0"},
        contact={"name": "Thing Co", "email": "help@example.test", "url": "https://example.test"},
        termsOfService="not a url",
    )
    api, warnings = checked_api(spec, ("Things",), "things_sdk")
    dist = api.distribution
    assert warnings == ()
    assert (dist.name, dist.version, dist.description, dist.license) == (
        "things-sdk",
        "2.1",
        "Things, kept.",
        "Apache-2.0",
    )
    assert dist.author == (("name", "Thing Co"), ("email", "help@example.test"))
    assert dist.urls == (("Homepage", "https://example.test"),)


def test_a_license_name_that_is_no_spdx_expression_and_a_bad_email_are_left_out(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        license={"name": "Proprietary, see our terms", "url": "https://example.test/terms"},
        contact={"email": "not-an-email"},
    )
    dist = checked_api(spec, ("Things",), "pkg")[0].distribution
    assert (dist.license, dist.author, dist.description) == ("", (), "Python client for the Test API")
    assert dist.urls == (("License", "https://example.test/terms"),)


def test_a_version_pep_440_refuses_is_never_published_silently(tmp_path: Path) -> None:
    """Codat's Expenses documents say `prealpha`; setuptools would refuse to build a package of it."""
    spec = _spec(tmp_path, version="prealpha")
    api, warnings = checked_api(spec, ("Things",), "pkg")
    assert (api.version, api.distribution.version) == ("prealpha", "0.0.0")
    assert [(w.pointer, w.severity) for w in warnings] == [("#/info/version", "warning")]
    assert "set `version` for the target" in warnings[0].render()
    settings = PackageSettings(
        version="1.4.0", dist_name="acme-things", license="MIT", urls={"Source": "https://x.test"}
    )
    api, warnings = checked_api(spec, ("Things",), "pkg", Options(settings=settings))
    dist = api.distribution
    assert warnings == () and (dist.version, dist.name, dist.license) == ("1.4.0", "acme-things", "MIT")
    assert ("Source", "https://x.test") in dist.urls


def test_package_settings_pypi_would_refuse_are_refused_with_their_place(tmp_path: Path) -> None:
    settings = tmp_path / "pyproject.toml"
    settings.write_text(
        '[tool.codat-sdkgen]\nversion = "prealpha"\nlicense = "GPL-7"\ndist-name = "-bad-"\n'
        'urls = { Home = "ftp://x", Docs = "https://docs.example.test" }\n'
    )
    with pytest.raises(GeneratorError) as refused:
        load_config(settings)
    assert [d.pointer for d in refused.value.diagnostics] == [
        "#/tool/codat-sdkgen/dist-name",
        "#/tool/codat-sdkgen/version",
        "#/tool/codat-sdkgen/license",
        "#/tool/codat-sdkgen/urls/Home",
    ]
    settings.write_text('[tool.codat-sdkgen]\nversion = "1.0"\nlicense = "mit OR apache-2.0"\n')
    loaded = load_config(settings).settings
    assert (loaded.version, loaded.license) == ("1.0", "MIT OR Apache-2.0")


@pytest.mark.parametrize("version", ["1.20.0+dev-539-g5e389228f", "2.23.4+0.gb463b49.dirty"])
def test_a_local_version_pypi_refuses_is_never_published(tmp_path: Path, version: str) -> None:
    """gitea.io and intellifi.nl in the public corpus: PEP 440 reads them, PyPI refuses local versions."""
    api, warnings = checked_api(_spec(tmp_path, version=version), ("Things",), "pkg")
    assert (api.version, api.distribution.version) == (version, "0.0.0")
    assert [w.pointer for w in warnings] == ["#/info/version"] and "no local part" in warnings[0].message
    settings = tmp_path / "pyproject.toml"
    settings.write_text(f'[tool.codat-sdkgen]\nversion = "{version}"\n')
    with pytest.raises(GeneratorError) as refused:
        load_config(settings)
    assert [d.pointer for d in refused.value.diagnostics] == ["#/tool/codat-sdkgen/version"]


def test_a_title_starting_with_the_and_a_contact_name_that_is_an_address(tmp_path: Path) -> None:
    """Corpus findings: "Python client for the The Plaid API", and authors called by an email or a URL."""
    for name in ("davidmasclet@gisgraphy.example", "https://pro.example.test/page#general"):
        spec = _spec(tmp_path, title="The Things API", contact={"name": name, "email": "help@example.test"})
        dist = checked_api(spec, ("Things",), "pkg")[0].distribution
        assert dist.description == "Python client for the Things API"
        assert dist.author == (("email", "help@example.test"),)
