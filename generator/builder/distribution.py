"""The generated package as it is published: its name, version, description, license, authors and URLs.

Each comes from the target's settings when given, else from the document's `info` (`version`,
`summary`, `license`, `contact`, `termsOfService`) and `externalDocs`. What PyPI would refuse (a
version PEP 440 does not accept or with a local part, a license that is no SPDX expression, a link
that is no URL) is left to a setting rather than published wrong.
"""

from __future__ import annotations

import re

from generator.builder.package_settings import PackageSettings, pypi_version, spdx, valid_email, valid_url
from generator.document.parsed import Document, as_mapping, as_text
from generator.errors import Diagnostic
from generator.ir.api import Distribution

# Used when the document's version is not one PyPI accepts and the target sets none (with a warning).
FALLBACK_VERSION = "0.0.0"


def client_subject(title: str) -> str:
    """What the package is a client for, as a sentence names it: `the Accounting API` for a title that
    says it is an API, the title alone otherwise (`Lending`, not `the Lending`)."""
    title = re.sub(r"^the\s+", "", " ".join(title.split()), flags=re.I) or "API"
    return f"the {title}" if re.search(r"\bAPIs?\b", title, flags=re.I) else title


def distribution(doc: Document, package: str, settings: PackageSettings) -> Distribution:
    info = as_mapping(doc.data.get("info"))
    license_node, contact = as_mapping(info.get("license")), as_mapping(info.get("contact"))
    version = settings.version or pypi_version(as_text(info.get("version"))) or FALLBACK_VERSION
    description = (
        settings.description
        or as_text(info.get("summary"))
        or f"Python client for {client_subject(as_text(info.get('title')))}"
    )
    license_ = settings.license or next(
        (found for key in ("identifier", "name") if (found := spdx(as_text(license_node.get(key))))), ""
    )
    docs = as_text(as_mapping(doc.data.get("externalDocs")).get("url"))
    links = [
        ("Homepage", as_text(contact.get("url")) or docs),
        ("Documentation", docs),
        ("Terms of service", as_text(info.get("termsOfService"))),
        ("License", as_text(license_node.get("url"))),
    ]
    urls = {label: url for label, url in links if valid_url(url)} | dict(settings.urls)
    name = " ".join(as_text(contact.get("name")).split())
    if valid_url(name) or valid_email(name):  # a link or an address written where a name goes
        name = ""
    author = [("name", name), ("email", as_text(contact.get("email")))]
    return Distribution(
        name=settings.dist_name or package.replace("_", "-"),
        version=version,
        description=" ".join(description.split()),
        license=license_,
        author=tuple((key, value) for key, value in author if value and (key == "name" or valid_email(value))),
        urls=tuple(urls.items()),
    )


def version_warnings(doc: Document, settings: PackageSettings) -> list[Diagnostic]:
    """A warning when the package cannot take the document's version and no setting gives one."""
    stated = as_text(as_mapping(doc.data.get("info")).get("version"))
    if settings.version or pypi_version(stated):
        return []
    message = f"{stated!r} is not a version PyPI accepts (PEP 440, with no local part), so the package cannot carry it"
    hint = f"the package is {FALLBACK_VERSION}; set `version` for the target in [tool.codat-sdkgen]"
    return [Diagnostic(doc.source, "#/info/version", message, hint=hint, severity="warning")]
