"""The reserved names are filed in the cache (reading them was a sixth of a warm run): a warm run reads
the same sets a cold one computes, an entry that does not read is computed anew, and a change to what
they are read from (a template) files them apart."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import TEMPLATES_DIR
from generator.cache import cache_dir
from generator.text import reserved as module


def _fresh(templates: Path) -> module.Reserved:
    module.reserved.cache_clear()
    return module.reserved(templates)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, copy)
    yield copy
    module.reserved.cache_clear()


def _entries() -> list[Path]:
    return [p for p in (cache_dir() / "reserved").rglob("*") if p.is_file()]


def test_a_warm_run_reads_what_a_cold_one_computes(templates: Path) -> None:
    computed = module._read(templates)
    assert _fresh(templates) == computed and len(_entries()) == 1
    assert _fresh(templates) == computed and len(_entries()) == 1
    assert "model_dump" in computed.fields and "self" in computed.parameters


def test_an_entry_that_does_not_read_is_computed_anew(templates: Path) -> None:
    computed = _fresh(templates)
    (entry,) = _entries()
    for broken in ("not json", '{"fields": ["a"]}', "[1, 2]"):
        entry.write_text(broken)
        assert _fresh(templates) == computed
        assert entry.read_text() != broken


def test_a_changed_template_reads_the_names_anew(templates: Path) -> None:
    before = _fresh(templates)
    resource = templates / "sdk" / "resources" / "resource.py.jinja"
    resource.write_text(resource.read_text() + "\n    def added_by_a_template(self) -> None: ...\n")
    after = _fresh(templates)
    assert len(_entries()) == 2
    assert "added_by_a_template" in after.methods and "added_by_a_template" not in before.methods
