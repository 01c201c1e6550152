"""The README's ledger table: for each of Codat's documents (every tag), how many operations and schemas
come out typed, loosened or left out, and the main reasons.

    python benchmarks/ledger.py            # prints the table
    python benchmarks/ledger.py --write    # replaces it in README.md, between its markers

Each document is built as `codat-sdkgen generate --spec DOC --all-tags` builds it (its ledger is decided
before anything is rendered), one after another.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.builder.ledger import STATUSES  # noqa: E402
from generator.ir.api import LedgerEntry  # noqa: E402
from generator.pipeline import checked_api  # noqa: E402

SHARED = ROOT.parent / "shared" / "specs"
README = ROOT / "README.md"
BEGIN, END = "<!-- ledger table: benchmarks/ledger.py --write -->", "<!-- end of the ledger table -->"


def documents() -> list[Path]:
    family = sorted(p for p in (SHARED / "codat").iterdir() if p.suffix in (".json", ".yaml"))
    return [*family, SHARED / "codat-accounting.json"]


def _kind(reason: str) -> str:
    """A reason without what names one place (a format, a property), so that like reasons count together."""
    return re.sub(r"#/[^\s,]+", "…", re.sub(r"'[^']*'", "'…'", reason.split(": ", 1)[0]))


def row(spec: Path) -> str:
    api, _ = checked_api(spec, None, None)
    ledger: tuple[LedgerEntry, ...] = api.ledger
    cells = []
    for kind in ("operation", "schema"):
        counts = Counter(e.status for e in ledger if e.kind == kind)
        cells.append(" / ".join(str(counts[status]) for status in STATUSES))
    reasons = Counter(_kind(p.reason) for e in ledger if e.status != "typed" for p in e.places)
    main = "; ".join(f"{reason} ({n})" for reason, n in reasons.most_common(3)) or "—"
    return f"| {spec.name} | {cells[0]} | {cells[1]} | {main} |"


def table() -> str:
    lines = [
        "| document | operations typed / loosened / left out | schemas typed / loosened / left out | main reasons"
        " (places) |",
        "|---|---|---|---|",
    ]
    for spec in documents():
        lines.append(row(spec))
        print(lines[-1], file=sys.stderr)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    args = parser.parse_args()
    made = table()
    if not args.write:
        print(made)
        return 0
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{README}: no markers {BEGIN!r} … {END!r} to write the table between", file=sys.stderr)
        return 1
    head, rest = text.split(BEGIN, 1)
    README.write_text(head + BEGIN + "\n" + made + "\n" + END + rest.split(END, 1)[1], encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
