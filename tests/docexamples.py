"""The Python examples of generated docs, and the documents whose outputs the tests read them from.

Shared by the tests that type-check the examples (tests/golden/test_examples.py) and any that run them:
`doc_examples` yields every ```python block of an output's README.md and docs pages, each with the
document and page it came from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.pipeline import Generation, generate
from tests.conftest import REAL_DOC, ROOT

CODE = re.compile(r"```python\n(.*?)```", re.S)
FAMILY = ROOT.parent / "shared" / "specs" / "codat"


@dataclass(frozen=True)
class DocExample:
    """One ```python block: the API document its output came from, the page (its path in the output),
    its place among that page's examples, and its code."""

    document: str
    page: str
    index: int
    code: str


def doc_pages(files: Mapping[str, bytes]) -> list[str]:
    """The output's markdown pages that show examples: README.md, then docs/, in path order."""
    return sorted((p for p in files if p == "README.md" or (p.startswith("docs/") and p.endswith(".md"))), key=_order)


def doc_examples(document: str, files: Mapping[str, bytes]) -> Iterator[DocExample]:
    """Every Python example of one generated output (`generate(...).files`, or `read_output`)."""
    for page in doc_pages(files):
        for index, code in enumerate(CODE.findall(files[page].decode())):
            yield DocExample(document, page, index, code)


def read_output(folder: Path) -> dict[str, bytes]:
    """A generated output on disk, as `generate` returns it: relative path to bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def family() -> dict[str, tuple[Path, str]]:
    """Codat's current documents and the real Accounting document: name to (path, package name)."""
    found = sorted(p for p in FAMILY.iterdir() if p.suffix in (".json", ".yaml")) if FAMILY.is_dir() else []
    documents = {p.name: (p, "codat_" + p.stem.removeprefix("Codat-").lower().replace("-", "_")) for p in found}
    return {**documents, REAL_DOC.name: (REAL_DOC, "codat_accounting")}


@functools.cache
def generated(document: str) -> Generation:
    """One family document's output with every tag, generated once per test session."""
    path, package = family()[document]
    return generate(path, None, package)


def _order(page: str) -> tuple[bool, str]:
    return page != "README.md", page
