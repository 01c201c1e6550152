"""The Prism suite over many documents: each generated, imported and served by a Prism of its own, in a
worker process of its own, several at once.

Both the pytest suite (tests/prism/test_prism.py) and the corpus runner (`benchmarks/corpus/run.py
--prism`) call `run_documents`; each document comes back as a `DocumentRun` of plain data. A worker is a
process, not a thread: the SDK's side of an exchange (pydantic, httpx) is Python work that a second
core can do beside the first, while each Prism is a node process of its own.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import json
import multiprocessing
import resource
import sys
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import yaml

from generator.output.write import write_tree
from generator.pipeline import Generation, generate
from tests.prism.examples import ExampleTally, run_examples
from tests.prism.exchange import Target, run_mode
from tests.prism.server import PrismFailed, installed_prism, prism_mock
from tests.prism.tally import Tally
from tests.prism.values import Document

MODES = ("static", "dynamic")
# What each role of a credential argument gets: anything Prism's security check takes as present.
_CREDENTIALS = {"value": "Basic eA==", "username": "user", "password": "secret"}


@dataclass(frozen=True)
class Job:
    """One document to run: its file, the package name its SDK gets, and its name in reports."""

    spec: Path
    package: str
    name: str


@dataclass
class DocumentRun:
    """One document's outcome: a tally per mode, the wall time of each step, or why it could not run."""

    name: str
    modes: dict[str, Tally] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str = ""
    # Its docs' Python examples run against its Prism, when asked for.
    examples: ExampleTally | None = None


def run_documents(
    jobs: list[Job], folder: Path, workers: int = 2, modes: tuple[str, ...] = MODES, examples: bool = False
) -> Iterator[DocumentRun]:
    """Each job's run, as each finishes; the largest documents start first, so the last to end is small.
    With `examples`, each document's docs examples are run against its Prism too (tests/prism/examples.py)."""
    installed_prism()
    ordered = sorted(jobs, key=lambda job: -job.spec.stat().st_size)
    context = multiprocessing.get_context("spawn")  # a clean interpreter: no pytest, no other SDK imported
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(run_document, job, folder / job.package, modes, examples) for job in ordered]
        for future in concurrent.futures.as_completed(futures):
            yield future.result()


def run_document(job: Job, folder: Path, modes: tuple[str, ...] = MODES, examples: bool = False) -> DocumentRun:
    """Generate the document's all-tags SDK into `folder`, import it, serve the document with Prism, and
    call every operation in each mode. Times are wall seconds of each step, and CPU seconds, which other
    load on the machine does not inflate: ours (this process and black's workers) and Prism's."""
    run = DocumentRun(job.name)
    started, cpu = time.perf_counter(), time.process_time()
    warnings.filterwarnings("ignore", ".* is deprecated by the API document", DeprecationWarning)
    children = _children_cpu()
    try:
        generation, package = _sdk(job, folder / "sdk")
        text = job.spec.read_text(encoding="utf-8")
        data = json.loads(text) if job.spec.suffix == ".json" else yaml.safe_load(text)
        run.seconds["generate"] = time.perf_counter() - started
        black, children = _children_cpu() - children, _children_cpu()
        api = generation.api
        credentials = {
            c.arg_name: _CREDENTIALS[c.role] for s in api.schemes for c in s.credentials if c.role in _CREDENTIALS
        }
        invalid = tuple(
            w.pointer.removesuffix("/type")
            for w in generation.warnings
            if w.pointer.endswith("/type") and "#/components/" in w.pointer
        )
        with prism_mock(job.spec, folder / "prism.log", seed=job.name) as url:
            run.seconds["prism start"] = time.perf_counter() - started - run.seconds["generate"]
            for mode in modes:
                began = time.perf_counter()
                target = Target(job.name, Document(data), api, package, url, credentials, invalid)
                run.modes[mode] = run_mode(target, mode)
                run.modes[mode].seconds = run.seconds[mode] = time.perf_counter() - began
            if examples:
                began = time.perf_counter()
                proven = {pointer for tally in run.modes.values() for pointer in tally.defects}
                run.examples = run_examples(generation.files, job.name, url, Document(data), proven)
                run.examples.seconds = run.seconds["examples"] = time.perf_counter() - began
        run.seconds["cpu ours"] = time.process_time() - cpu + black
        run.seconds["cpu prism"] = _children_cpu() - children
    except PrismFailed as exc:
        run.error = str(exc)
    except Exception:  # one document's crash is its own result, never the whole run's
        run.error = traceback.format_exc(limit=8)
    run.seconds["total"] = time.perf_counter() - started
    return run


def _sdk(job: Job, out: Path) -> tuple[Generation, ModuleType]:
    """The document's all-tags SDK, written to `out` and imported."""
    generation = generate(job.spec, None, job.package)
    write_tree(out, generation.files)
    sys.path.insert(0, str(out / "src"))
    return generation, importlib.import_module(job.package)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
