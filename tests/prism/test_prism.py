"""Every operation of Codat's 21 documents, called through the SDK we generate, against Stoplight Prism.

Prism is a mock server nobody here wrote: it validates each request against the document (a request that
breaks it gets a 4XX and an `sl-violations` header) and answers from the document, with its examples
(static mode) or with random data that conforms to the schemas (dynamic mode, seeded per request so a run
repeats). Arguments come from the document's own examples where they fit, else from values built to fit
its schemas (tests/prism/calls.py: four sets per operation, optional parameters and fields included).
For each operation and mode the suite asks for the success and for every documented failure status
(`Prefer: code=...`), through `with_raw_response` (sync client in static mode, async in dynamic mode):

- Prism must accept every request: no 4XX of its validator, no request violation;
- every success must parse into the operation's return type (a response lacking required fields is
  tolerated by our SDK's default, and counted);
- every failure status must raise the SDK's typed error for it, its body parsed by the document's schema.

Where the document contradicts itself, the suite proves it (Prism refuses the document's own example, or
flags the response at the very place the SDK could not parse) and works around it without editing the
document; each such defect is listed by JSON pointer in the terminal summary. Anything else that goes
wrong is a finding, ours or the suite's (tests/prism/faults.py), and fails the document's test.
Each document runs in a worker process of its own with a Prism of its own, two at a time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.commands import run_without_node
from tests.conftest import REAL_DOC, ROOT
from tests.prism import report
from tests.prism.family import MODES, DocumentRun, Job, run_documents
from tests.prism.server import PRISM, node_tool_or_skip

FAMILY = ROOT.parent / "shared" / "specs" / "codat"
SPECS = [*sorted(FAMILY.glob("Codat-*")), REAL_DOC]
DOCUMENTS = {spec.name: Job(spec, "prism_" + spec.stem.lower().replace("-", "_"), spec.name) for spec in SPECS}
SUMMARY: dict[str, DocumentRun] = {}
WALL: list[float] = []


@pytest.fixture(scope="session")
def family(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocumentRun]:
    """Every document the session's tests ask for, run once, several at a time."""
    node_tool_or_skip(PRISM, "the Prism contract suite")
    wanted = {
        item.callspec.params["document"]
        for item in request.session.items
        if hasattr(item, "callspec") and "document" in item.callspec.params
    }
    missing = [name for name in sorted(wanted) if not DOCUMENTS[name].spec.is_file()]
    if missing:
        pytest.fail(f"the shared documents are missing: {missing}")
    started = time.perf_counter()
    jobs = [DOCUMENTS[name] for name in sorted(wanted)]
    for run in run_documents(
        jobs,
        tmp_path_factory.mktemp("prism"),
        workers=max(1, min(len(jobs), os.cpu_count() or 1)),
        examples=True,
    ):
        SUMMARY[run.name] = run
    WALL.append(time.perf_counter() - started)
    return SUMMARY


@pytest.mark.realdoc
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_prism_accepts_every_request_and_every_response_parses(
    family: dict[str, DocumentRun], document: str, mode: str
) -> None:
    run = family[document]
    assert not run.error, run.error
    tally = run.modes[mode]
    assert not tally.findings, f"{len(tally.findings)} findings:\n" + "\n".join(report.findings(tally, examples=5))
    assert tally.accepted + tally.refused_for_defect == tally.requests > 0
    assert tally.typed_errors == tally.failures


@pytest.mark.realdoc
@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_every_docs_example_runs_against_prism(family: dict[str, DocumentRun], document: str) -> None:
    """Each Python example of the document's README and docs pages, run as copied with its requests carried
    to Prism: every request accepted and the example run to its end, but where the document's own defect
    or Prism's limit stops it (each proven, tests/prism/examples.py)."""
    run = family[document]
    assert not run.error, run.error
    examples = run.examples
    assert examples is not None and examples.examples > 0
    assert not examples.failed, f"{len(examples.failed)} examples failed:\n" + "\n".join(
        report.example_failures(examples)
    )
    assert examples.ran + len(examples.prism_limits) + len(examples.defects) == examples.examples


def test_the_family_is_there() -> None:
    assert len(DOCUMENTS) == 21, f"expected Codat's 20 documents in {FAMILY} and the real Accounting document"


def test_without_node_the_suite_is_skipped_and_says_why(tmp_path: Path) -> None:
    """A machine without node runs every other test: the suite skips, naming what is missing."""
    name = test_prism_accepts_every_request_and_every_response_parses.__name__
    ran = run_without_node(__file__, name, tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert f"{len(DOCUMENTS) * len(MODES)} skipped" in ran.stdout
    assert "node and npm are not installed" in ran.stdout


def pytest_terminal_summary_lines() -> list[str]:
    """The table of every document and mode, the faults found, then what each document proved."""
    if not SUMMARY:
        return []
    runs = [SUMMARY[name] for name in sorted(SUMMARY)]
    lines = [f"{len(runs)} documents in {WALL[0] if WALL else 0:.0f} s", *report.table(runs)]
    if any(run.examples is not None for run in runs):
        lines += ["", *report.examples_table(runs)]
    if any(t.findings for run in runs for t in run.modes.values()):
        lines += ["", *report.faults_across(runs)]
    return lines + [line for run in runs for line in report.details(run)]
