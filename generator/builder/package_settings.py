"""What a target may set of its published package, and the checks its values pass: a version PyPI
accepts, an SPDX license, a distribution name, URLs. Apart from builder/distribution.py (which builds
the package's metadata from the document) so that reading settings, as the fast `--check` does, does not
import the IR.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from packaging.version import InvalidVersion, Version

_URL = re.compile(r"https?://[^\s\"'<>]+")
_EMAIL = re.compile(r"[^@\s\"<>,]+@[^@\s\"<>,]+\.[^@\s\"<>,]+")
_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class PackageSettings:
    """What a target may set of its package; None leaves it to the document."""

    dist_name: str | None = None
    version: str | None = None
    description: str | None = None
    license: str | None = None
    urls: Mapping[str, str] = field(default_factory=dict)


def pypi_version(version: str) -> str | None:
    """The version in its normalised form, or None when PyPI would refuse it: PEP 440 does not accept
    it, or it has a local part (`1.20.0+dev.539`: a build's own label, never uploaded)."""
    try:
        parsed = Version(version)
    except InvalidVersion:
        return None
    return None if parsed.local else str(parsed)


def spdx(expression: str) -> str | None:
    """The license expression in its canonical SPDX form, or None when it is not one."""
    if not expression:
        return None
    # Imported here: the SPDX list is a fiftieth of a cold run, and most documents state no license.
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        return str(canonicalize_license_expression(expression))
    except InvalidLicenseExpression:
        return None


def valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def valid_url(url: str) -> bool:
    return _URL.fullmatch(url) is not None


def valid_email(address: str) -> bool:
    return _EMAIL.fullmatch(address) is not None
