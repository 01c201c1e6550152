"""What one document and mode of the Prism suite called and what came back; plain data, so that a worker
process can hand it to pytest or to the corpus runner."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Who is at fault for a finding: our generator or SDK, or the suite itself. The document's own defects
# are no findings: each is proven (Prism refuses its example, or flags its response) and listed apart.
OURS = "ours"
SUITE = "suite"


@dataclass(frozen=True)
class Finding:
    """Something the suite found wrong that is not the document's fault: the test fails on it."""

    owner: str  # OURS or SUITE
    fault: str  # the class of fault (tests/prism/faults.py), one line
    label: str  # the request: mode, variant, method, path, the SDK's call, the status asked
    detail: str  # what happened: Prism's words, the exception, the parse problems


@dataclass
class Tally:
    """One document and mode."""

    operations: int = 0
    requests: int = 0
    accepted: int = 0
    refused_for_defect: int = 0  # requests Prism refused for the document's proven defect (then repaired, if it can be)
    successes: int = 0
    parsed: int = 0
    lenient: int = 0
    failures: int = 0
    typed_errors: int = 0
    response_violations: int = 0
    prism_cannot_serve: int = 0
    proofs: int = 0  # requests outside the SDK that put the document's own example to Prism
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    # The document's defects met, by pointer: what proves each (Prism's refusal or flag).
    defects: dict[str, str] = field(default_factory=dict)
    # Examples the document writes with fields its schema does not declare (JSON Schema allows them;
    # the SDK refuses them as typos), by pointer.
    undeclared: dict[str, str] = field(default_factory=dict)
    # Where Prism itself falls short (words for a format it does not know, a query array it cannot read, a
    # header it does not ignore), by pointer: worked around, neither side blamed.
    prism_limits: dict[str, str] = field(default_factory=dict)
    repairs: list[str] = field(default_factory=list)

    def faults(self) -> Counter[tuple[str, str]]:
        """How many requests show each fault, by owner and fault."""
        return Counter((f.owner, f.fault) for f in self.findings)
