"""The Prism suite's figures as text: the pytest summary and the corpus runner's (`--prism`) print the same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tests.prism.examples import ExampleTally
from tests.prism.family import DocumentRun
from tests.prism.tally import Tally

HEADER = [
    "| document, mode | operations | requests, accepted | successes parsed | failures typed | defects | findings |",
    "| --- | --- | --- | --- | --- | --- | --- |",
]


def table(runs: Iterable[DocumentRun]) -> list[str]:
    """One row per document and mode, then the totals."""
    lines = list(HEADER)
    totals: Counter[str] = Counter()
    for run in runs:
        if run.error:
            lines.append(f"| {run.name} | could not run: {run.error.splitlines()[-1][:200]} | | | | | |")
        for mode, t in run.modes.items():
            lines.append(
                f"| {run.name}, {mode} | {t.operations} | {t.requests}, {t.accepted} | {t.parsed} of {t.successes} "
                f"({t.lenient} lacking required fields) | {t.typed_errors} of {t.failures} | {len(t.defects)} | "
                f"{len(t.findings)} |"
            )
            totals.update(operations=t.operations, requests=t.requests, accepted=t.accepted, findings=len(t.findings))
        totals.update(seconds=round(run.seconds.get("total", 0.0)))
        totals.update(cpu=round(run.seconds.get("cpu ours", 0.0) + run.seconds.get("cpu prism", 0.0)))
    lines.append(
        f"totals: {totals['operations']} operations called, {totals['requests']} requests, {totals['accepted']} "
        f"accepted, {totals['findings']} findings; {totals['seconds']} s of documents' wall time, "
        f"{totals['cpu']} s of CPU (ours and Prism's)"
    )
    return lines


EXAMPLES_HEADER = [
    "| document | docs examples | run to the end | stopped by a document defect | stopped by Prism's limit | "
    "failed | requests, accepted |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
]


def examples_table(runs: Iterable[DocumentRun]) -> list[str]:
    """One row per document whose docs examples were run, then the totals."""
    lines = list(EXAMPLES_HEADER)
    totals: Counter[str] = Counter()
    for run in runs:
        e = run.examples
        if e is None:
            continue
        lines.append(
            f"| {run.name} | {e.examples} | {e.ran} | {len(e.defects)} | {len(e.prism_limits)} | {len(e.failed)} | "
            f"{e.requests}, {e.accepted} |"
        )
        totals.update(examples=e.examples, ran=e.ran, failed=len(e.failed), seconds=round(e.seconds))
    lines.append(
        f"totals: {totals['examples']} examples, {totals['ran']} run to the end, {totals['failed']} failed; "
        f"{totals['seconds']} s"
    )
    return lines


def example_failures(e: ExampleTally) -> list[str]:
    """Each failed example: where it is, what stopped it, and the requests Prism refused."""
    lines = []
    for outcome in e.failed:
        lines.append(f"  {outcome.label}: {outcome.error or 'ran, but Prism refused a request'}")
        lines += [f"    refused: {refusal}" for refusal in outcome.refused]
    return lines


def findings(tally: Tally, examples: int) -> list[str]:
    """A mode's findings grouped by fault, with as many example requests of each."""
    lines = []
    for (owner, fault), count in sorted(tally.faults().items()):
        lines.append(f"  {owner}: {fault} ({count} requests)")
        shown = [f for f in tally.findings if (f.owner, f.fault) == (owner, fault)][:examples]
        lines += [f"    {f.label}: {f.detail}" for f in shown]
    return lines


def details(run: DocumentRun) -> list[str]:
    """A document's timings, findings (an example each), proven defects by pointer, and repairs."""
    seconds = ", ".join(f"{step} {value:.1f} s" for step, value in run.seconds.items())
    lines = [f"{run.name}: {seconds}"]
    if run.error:
        return [*lines, f"  could not run: {run.error}"]
    for mode, t in run.modes.items():
        lines.append(
            f"  {mode}: {t.refused_for_defect} requests refused for the document's defects, {t.proofs} of its "
            f"examples put to Prism outside the SDK, {t.response_violations} responses Prism flags, "
            f"{t.prism_cannot_serve} it cannot write; {t.seconds:.1f} s"
        )
        if t.findings:
            lines += [f"  {mode} findings:", *findings(t, examples=1)]
    for title, attribute in (
        ("document defect", "defects"),
        ("example naming undeclared fields", "undeclared"),
        ("Prism's own limit", "prism_limits"),
    ):
        found: dict[str, tuple[str, list[str]]] = {}
        for mode, t in run.modes.items():
            for pointer, why in getattr(t, attribute).items():
                found.setdefault(pointer, (why, []))[1].append(mode)
        lines += [
            f"  {title} ({', '.join(modes)}): {pointer}: {why}" for pointer, (why, modes) in sorted(found.items())
        ]
    repairs = sorted({r for t in run.modes.values() for r in t.repairs})
    lines += [f"  repaired: {r}" for r in repairs]
    if run.examples is not None:
        lines += [
            f"  docs example stopped by the document's defect: {label}: {why}"
            for label, why in run.examples.defects.items()
        ]
        lines += [f"  docs example stopped by Prism's limit: {label}" for label in run.examples.prism_limits]
        lines += example_failures(run.examples)
    return lines


def faults_across(runs: Iterable[DocumentRun]) -> list[str]:
    """Each fault found, with the documents and requests that show it and one example."""
    documents: Counter[tuple[str, str]] = Counter()
    requests: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], str] = {}
    for run in runs:
        seen: set[tuple[str, str]] = set()
        for t in run.modes.values():
            for f in t.findings:
                key = (f.owner, f.fault)
                requests[key] += 1
                example.setdefault(key, f"{run.name}: {f.label}: {f.detail}")
                seen.add(key)
        documents.update(seen)
    lines = ["| owner | fault | documents | requests | example |", "| --- | --- | ---: | ---: | --- |"]
    for key, count in sorted(documents.items(), key=lambda item: (-item[1], item[0])):
        cell = example[key][:400].replace("|", "\\|")
        lines.append(f"| {key[0]} | {key[1]} | {count} | {requests[key]} | {cell} |")
    return lines
