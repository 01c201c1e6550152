"""Every Python example of every generated output type-checks as copied, under mypy and pyright, strict.

The outputs are those of Codat's 20 current documents and of the real Accounting document, each with
every tag: README.md and every docs page. Each example becomes a module of its own beside the packages'
sources, and ONE mypy run and ONE pyright run check them all (a process per example would take an
hour). Neither checker gets the pydantic mypy plugin that the generated pyproject turns on for the
package itself: a user's project may not have it, and the examples must not need it. Counts and
timings are printed at the end of the run.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.commands import run_without_node
from tests.docexamples import DocExample, doc_examples, family, generated
from tests.typecheck import Checked, configure, pyright_or_skip, run_mypy, run_pyright

# An argument passed as None: an example shows values, and a required one is never None.
NONE_ARGUMENT = re.compile(r"\b\w+=None\b")
TIMINGS: dict[str, float] = {}
COUNTS: Counter[str] = Counter()
_PYRIGHT_REASON = "pyright type-checks the docs' examples"


@dataclass(frozen=True)
class Examples:
    """The folder the checkers run in: `src/` holds every package, `examples/` one module per example."""

    root: Path
    modules: dict[str, DocExample]


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Examples:
    root = tmp_path_factory.mktemp("examples")
    modules: dict[str, DocExample] = {}
    started = time.perf_counter()
    for document, (path, package) in family().items():
        if not path.is_file():
            pytest.fail(f"the shared document is missing: {path}")
        files = generated(document).files
        for name, data in files.items():
            if name.startswith("src/"):
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_bytes(data)
        folder = root / "examples" / f"{package}_examples"
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text("")
        for number, example in enumerate(doc_examples(document, files)):
            module = folder / f"e{number:04d}.py"
            module.write_text(example.code, encoding="utf-8")
            modules[module.relative_to(root).as_posix()] = example
            COUNTS[document] += 1
        _assert_every_example_was_found(files)
    configure(root)
    TIMINGS["generate and extract"] = time.perf_counter() - started
    return Examples(root, modules)


def _assert_every_example_was_found(files: dict[str, bytes]) -> None:
    """Each operation's section of a resource page has its example: the extraction misses none."""
    for name, data in files.items():
        if name.startswith("docs/sdks/"):
            page = data.decode()
            assert page.count("### Example Usage") == page.count("```python\n"), name


@pytest.mark.realdoc
def test_every_example_passes_values_not_none(examples: Examples) -> None:
    found = [f"{_where(ex)}: {m.group()}" for ex in examples.modules.values() for m in NONE_ARGUMENT.finditer(ex.code)]
    assert found == []


@pytest.mark.realdoc
def test_every_example_type_checks_under_mypy_strict_without_the_pydantic_plugin(examples: Examples) -> None:
    packages = sorted({path.rsplit("/", 1)[0] for path in examples.modules})
    started = time.perf_counter()
    checked = run_mypy(examples.root, packages)
    TIMINGS["mypy"] = time.perf_counter() - started
    assert not checked.errors and checked.returncode == 0, _report(examples, checked)


@pytest.mark.realdoc
def test_every_example_type_checks_under_pyright_strict(pyright: Path, examples: Examples) -> None:
    started = time.perf_counter()
    checked = run_pyright(pyright, examples.root)
    TIMINGS["pyright"] = time.perf_counter() - started
    assert checked.files_analyzed is not None and checked.files_analyzed >= len(examples.modules)
    assert not checked.errors, _report(examples, checked)


@pytest.fixture(scope="module")
def pyright() -> Path:
    """Requested before `examples`, so a machine without node skips at once instead of generating."""
    return pyright_or_skip(_PYRIGHT_REASON)


def test_without_node_the_pyright_check_is_skipped_and_says_why(tmp_path: Path) -> None:
    name = test_every_example_type_checks_under_pyright_strict.__name__
    ran = run_without_node(__file__, name, tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 skipped" in ran.stdout
    assert f"node and npm are not installed: {_PYRIGHT_REASON} needs them" in ran.stdout


def _where(example: DocExample) -> str:
    return f"{example.document} {example.page} (example {example.index + 1})"


def _report(examples: Examples, checked: Checked) -> str:
    """The errors by example (an error outside the examples, in a package, as the checker put it)."""
    if not checked.errors:
        return checked.output[-3000:]
    shown = [
        (
            f"{_where(examples.modules[path])}, line {line}: {message}"
            if path in examples.modules
            else f"{path}:{line}: {message}"
        )
        for path, line, message in checked.errors[:40]
    ]
    first = next((examples.modules[path] for path, _, _ in checked.errors if path in examples.modules), None)
    tail = f"\n\nthe first example:\n{first.code}" if first else ""
    return f"{len(checked.errors)} errors:\n" + "\n".join(shown) + tail


def pytest_terminal_summary_lines() -> list[str]:
    """Examples per document and the time of each step, for the terminal summary (tests/conftest.py)."""
    if not COUNTS:
        return []
    lines = [f"{document:36} {count} examples" for document, count in sorted(COUNTS.items())]
    lines.append(f"{'all':36} {sum(COUNTS.values())} examples")
    lines.append(", ".join(f"{step} {seconds:.1f}s" for step, seconds in TIMINGS.items()))
    return lines
