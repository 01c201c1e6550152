"""black over a pool of processes: the same bytes as in one process, and failures still name their file."""

from __future__ import annotations

import os

import pytest

from generator import TEMPLATES_DIR, cache
from generator.errors import GeneratorError
from generator.output import formatting
from generator.output.render import render_api
from generator.pipeline import generate
from tests.conftest import SPEC


@pytest.fixture
def uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_enabled", False)


def test_the_pool_formats_as_one_process_does(uncached: None, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = render_api(generate(SPEC, ("Customers",), "codat_accounting").api)
    monkeypatch.setattr(formatting, "_POOL_FROM", 10**9)
    alone = formatting.format_files(rendered)
    monkeypatch.setattr(formatting, "_POOL_FROM", 1)
    monkeypatch.setattr(formatting.os, "cpu_count", lambda: 2)  # a pool even on a one-core machine
    pooled = formatting.format_files(rendered)
    assert pooled == alone
    assert sum(text.count(b"```python") for text in pooled.values()) > 10  # the docs' examples went too


@pytest.mark.parametrize("pool_from", [1, 10**9], ids=["pool", "one process"])
def test_code_black_cannot_read_is_named_by_its_file(
    uncached: None, monkeypatch: pytest.MonkeyPatch, pool_from: int
) -> None:
    monkeypatch.setattr(formatting, "_POOL_FROM", pool_from)
    monkeypatch.setattr(formatting.os, "cpu_count", lambda: 2)
    files = {f"src/ok_{n}.py": f"x = {n}\n" for n in range(3)}
    files["docs/broken.md"] = "# Example\n\n```python\ndef (:\n```\n"
    with pytest.raises(GeneratorError) as raised:
        formatting.format_files(files)
    (problem,) = raised.value.diagnostics
    assert problem.source == "docs/broken.md" and "does not parse" in problem.message


def test_without_a_pool_one_process_formats_everything(uncached: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError("no semaphores in this sandbox")

    monkeypatch.setattr(formatting, "_POOL_FROM", 1)
    monkeypatch.setattr(formatting.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(formatting, "ProcessPoolExecutor", refused)
    assert formatting.format_files({"a.py": "x=1\n", "b.py": "y = [1,2]\n"}) == {
        "a.py": b"x = 1\n",
        "b.py": b"y = [1, 2]\n",
    }


def test_a_worker_that_dies_leaves_the_work_to_this_process(uncached: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import black

    main = os.getpid()
    real = black.format_str

    def dies_in_a_worker(code: str, *, mode: black.Mode) -> str:
        if os.getpid() != main:
            os._exit(1)
        return real(code, mode=mode)

    monkeypatch.setattr(formatting, "_POOL_FROM", 1)
    monkeypatch.setattr(formatting.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(black, "format_str", dies_in_a_worker)
    assert formatting.format_files({"a.py": "x=1\n", "b.py": "y = [1,2]\n"}) == {
        "a.py": b"x = 1\n",
        "b.py": b"y = [1, 2]\n",
    }


def test_our_runtime_modules_skip_black_because_black_leaves_them_as_they_are(
    uncached: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof the skip rests on, in the mode the generator formats with: if a template edit ever made a
    static module unstable, this fails rather than generated SDKs silently changing format."""
    stable = formatting._black_stable()
    assert len(stable) == len(list((TEMPLATES_DIR / "sdk" / "static").glob("*.py"))) >= 8
    assert [formatting._black_one(code) for code in sorted(stable)] == [(code, None) for code in sorted(stable)]
    seen: list[str] = []
    monkeypatch.setattr(formatting, "_POOL_FROM", 10**9)
    monkeypatch.setattr(formatting, "_black_one", lambda code: (seen.append(code), (code, None))[1])
    rendered = render_api(generate(SPEC, ("Customers",), "codat_accounting").api)
    formatting.format_files(rendered)
    assert seen and not stable.intersection(seen)
