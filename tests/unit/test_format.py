"""black over a pool of processes: the same bytes as in one process, and failures still name their file."""

from __future__ import annotations

import pytest

from generator import cache, write
from generator.errors import GeneratorError
from generator.pipeline import generate
from generator.render import render_api
from tests.conftest import SPEC


@pytest.fixture
def uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_enabled", False)


def test_the_pool_formats_as_one_process_does(uncached: None, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = render_api(generate(SPEC, ("Customers",), "codat_accounting").api)
    monkeypatch.setattr(write, "_POOL_FROM", 10**9)
    alone = write.format_files(rendered)
    monkeypatch.setattr(write, "_POOL_FROM", 1)
    monkeypatch.setattr(write.os, "cpu_count", lambda: 2)  # a pool even on a one-core machine
    pooled = write.format_files(rendered)
    assert pooled == alone
    assert sum(text.count(b"```python") for text in pooled.values()) > 10  # the docs' examples went too


@pytest.mark.parametrize("pool_from", [1, 10**9], ids=["pool", "one process"])
def test_code_black_cannot_read_is_named_by_its_file(
    uncached: None, monkeypatch: pytest.MonkeyPatch, pool_from: int
) -> None:
    monkeypatch.setattr(write, "_POOL_FROM", pool_from)
    monkeypatch.setattr(write.os, "cpu_count", lambda: 2)
    files = {f"src/ok_{n}.py": f"x = {n}\n" for n in range(3)}
    files["docs/broken.md"] = "# Example\n\n```python\ndef (:\n```\n"
    with pytest.raises(GeneratorError) as raised:
        write.format_files(files)
    (problem,) = raised.value.diagnostics
    assert problem.source == "docs/broken.md" and "does not parse" in problem.message
