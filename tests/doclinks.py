"""Markdown link checking: every relative link and anchor in a generated docs tree must resolve."""

from __future__ import annotations

import re
from pathlib import Path

LINK = re.compile(r"\]\(([^)\s]+)\)")


def slugs(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings of a page."""
    headings = re.findall(r"^#+ (.+)$", markdown, re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def broken_links(doc: Path) -> list[str]:
    """Each relative link of `doc` whose page or anchor does not exist."""
    text = doc.read_text()
    broken = []
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        page = (doc.parent / path).resolve() if path else doc
        if not page.is_file() or path.endswith("/.md"):
            broken.append(f"{doc.name}: {target} (no such page)")
        elif anchor and anchor not in slugs(page.read_text()):
            broken.append(f"{doc.name}: {target} (no such anchor)")
    return broken
