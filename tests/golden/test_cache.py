"""The no-op run: answered from the cache only while every input and the output are as they were."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from importlib import metadata
from pathlib import Path

import pytest

import generator.cache
from generator.cache import inputs_key
from tests.commands import run_generator
from tests.conftest import SPEC

HIT = "inputs unchanged since the last run"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    spec = tmp_path / "spec.yaml"
    shutil.copy(SPEC, spec)
    return spec, tmp_path / "out"


def run(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return run_generator("generate", *args, env={"XDG_CACHE_HOME": str(cache)})


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_a_second_run_is_answered_from_the_cache_and_writes_nothing(setup: tuple[Path, Path], tmp_path: Path) -> None:
    spec, out = setup
    first = run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c")
    assert first.returncode == 0 and HIT not in first.stdout
    before = mtimes(out)
    second = run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c")
    assert second.returncode == 0 and HIT in second.stdout
    assert mtimes(out) == before
    checked = run("--check", "--spec", str(spec), "--out", str(out), cache=tmp_path / "c")
    assert checked.returncode == 0 and HIT in checked.stdout


def test_warnings_are_repeated_on_a_hit(real_doc: Path, tmp_path: Path) -> None:
    args = ("--spec", str(real_doc), "--out", str(tmp_path / "out"))
    first = run(*args, cache=tmp_path / "c")
    second = run(*args, cache=tmp_path / "c")
    assert HIT in second.stdout and "Item/definitions/itemType/type" in first.stderr
    assert second.stderr == first.stderr


def test_a_changed_document_misses(setup: tuple[Path, Path], tmp_path: Path) -> None:
    spec, out = setup
    assert run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c").returncode == 0
    spec.write_text(spec.read_text().replace("title: Accounting API", "title: Changed Accounting API", 1))
    again = run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c")
    assert again.returncode == 0 and HIT not in again.stdout
    assert "Python client for the Changed Accounting API" in (out / "README.md").read_text()


def test_an_edited_output_misses_and_is_kept_a_removed_file_repaired(setup: tuple[Path, Path], tmp_path: Path) -> None:
    spec, out = setup
    assert run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c").returncode == 0
    readme = (out / "README.md").read_bytes()
    (out / "README.md").write_text("edited by hand")
    again = run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c")
    assert HIT not in again.stdout and (out / "README.md").read_text() == "edited by hand"
    assert f"{out / 'README.md'}: holds hand edits" in again.stdout
    (out / "README.md").unlink()
    assert HIT not in run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c").stdout
    assert (out / "README.md").read_bytes() == readme


def test_changed_user_templates_miss(setup: tuple[Path, Path], tmp_path: Path) -> None:
    spec, out = setup
    templates = tmp_path / "tpl" / "docs"
    templates.mkdir(parents=True)
    (templates / "model.md.jinja").write_text("# one\n")
    args = ("--spec", str(spec), "--out", str(out), "--templates", str(tmp_path / "tpl"))
    assert run(*args, cache=tmp_path / "c").returncode == 0
    (templates / "model.md.jinja").write_text("# two\n")
    again = run(*args, cache=tmp_path / "c")
    assert HIT not in again.stdout and (out / "docs" / "models" / "customer.md").read_text().endswith("# two\n")


def test_the_key_covers_our_templates_the_generator_version_and_its_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = SPEC.read_bytes()
    settings = {"tags": ["Customers"], "package": "codat_accounting"}
    base = inputs_key(document, settings, None)
    assert inputs_key(document, settings, None) == base
    assert inputs_key(document + b"\n", settings, None) != base
    assert inputs_key(document, {**settings, "package": "other"}, None) != base

    copy = tmp_path / "templates"
    shutil.copytree(generator.cache.TEMPLATES_DIR, copy)
    monkeypatch.setattr(generator.cache, "TEMPLATES_DIR", copy)
    assert inputs_key(document, settings, None) == base
    (copy / "docs" / "model.md.jinja").write_text("changed")
    changed_templates = inputs_key(document, settings, None)
    assert changed_templates != base
    monkeypatch.setattr(generator.cache, "__version__", "9.9.9")
    versioned = inputs_key(document, settings, None)
    assert versioned not in (base, changed_templates)
    real = generator.cache.installed_versions
    monkeypatch.setattr(generator.cache, "installed_versions", lambda names: {**real(names), "black": "0"})
    assert inputs_key(document, settings, None) not in (base, changed_templates, versioned)


def test_library_versions_are_read_as_importlib_metadata_reads_them() -> None:
    """The digest reads versions from the dist-info folders' names (importlib.metadata's import is a
    fifth of the fast check): the same answer for every distribution installed here."""
    names = tuple(sorted({d.metadata["Name"] for d in metadata.distributions()}))
    found = generator.cache.installed_versions(names)
    assert found == {name: metadata.version(name) for name in names}
    assert generator.cache.installed_versions(("no-such-distribution",)) == {}


def test_no_cache_runs_every_stage(setup: tuple[Path, Path], tmp_path: Path) -> None:
    spec, out = setup
    assert run("--spec", str(spec), "--out", str(out), cache=tmp_path / "c").returncode == 0
    again = run("--no-cache", "--spec", str(spec), "--out", str(out), cache=tmp_path / "c")
    assert again.returncode == 0 and HIT not in again.stdout and "(unchanged)" in again.stdout


def test_a_document_edit_reformats_only_the_files_it_changes(
    setup: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.output import formatting
    from generator.pipeline import generate

    spec, _ = setup
    before = generate(spec, ("Customers",), "codat_accounting").files
    spec.write_text(spec.read_text().replace("that buys from the company.", "that buys from the firm.", 1))
    formatted: list[str] = []
    real = formatting._black_one

    def counted(code: str) -> tuple[str, str | None]:
        formatted.append(code)
        return real(code)

    monkeypatch.setattr(formatting, "_black_one", counted)
    after = generate(spec, ("Customers",), "codat_accounting").files
    stamped = [path for path in after if path.endswith((".py", ".md", ".toml"))]
    changed = [path for path in stamped if after[path].split(b"\n", 1)[1] != before[path].split(b"\n", 1)[1]]
    assert changed == ["docs/models/customer.md", "src/codat_accounting/models/customer.py"]
    assert len(formatted) == 1 and "that buys from the firm." in formatted[0]
    # No stamp names the document's hash (issue 26): the files the edit does not show are the same bytes.
    assert [path for path in after if after[path] != before[path]] == [*changed, ".codat-sdkgen-surface.json"]


OLD = 40 * 86_400  # seconds: older than the 30 days a file may go unused


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_what_no_run_used_for_30_days_is_pruned_and_what_a_run_used_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    store = generator.cache.Store("black", "salt")
    for key in ("used", "unused", "recent"):
        store.put(key, key * 100)
    _age(store.folder / "used", OLD)
    _age(store.folder / "unused", OLD)
    assert store.get("used") == "used" * 100  # a run reads it: it is used now
    removed = generator.cache.prune()
    assert (removed.files, sorted(p.name for p in store.folder.iterdir())) == (1, ["recent", "used"])


def test_past_the_size_cap_the_least_recently_used_go_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("CODAT_SDKGEN_CACHE_MAX_MIB", str(1500 / 2**20))  # 1,500 bytes
    store = generator.cache.Store("black", "salt")
    for age, key in enumerate(("newest", "middle", "oldest")):
        store.put(key, "x" * 600)
        _age(store.folder / key, 60 * (age + 1))
    generator.cache.prune()
    assert sorted(p.name for p in store.folder.iterdir()) == ["middle", "newest"]


def test_a_generating_run_prunes_once_a_day_and_cache_clear_empties_it(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    spec, out = setup
    cache = tmp_path / "c"
    stale = cache / "codat-sdkgen" / "black" / "from-a-year-ago" / "entry"
    stale.parent.mkdir(parents=True)
    stale.write_text("x")
    _age(stale, 365 * 86_400)
    assert run("--spec", str(spec), "--out", str(out), cache=cache).returncode == 0
    assert not stale.exists() and (cache / "codat-sdkgen" / ".pruned").is_file()

    stale.parent.mkdir(parents=True)
    stale.write_text("x")
    _age(stale, 365 * 86_400)
    spec.write_text(spec.read_text().replace("Accounting API", "Accounting API, edited"))
    assert run("--spec", str(spec), "--out", str(out), cache=cache).returncode == 0
    assert stale.exists()  # pruned less than a day ago: this run leaves it

    cleared = run_generator("cache", "clear", env={"XDG_CACHE_HOME": str(cache)})
    assert cleared.returncode == 0 and cleared.stdout.startswith("removed ")
    assert int(cleared.stdout.split()[1]) > 10 and not (cache / "codat-sdkgen").exists()
    again = run("--spec", str(spec), "--out", str(out), cache=cache)
    assert again.returncode == 0 and HIT not in again.stdout


def test_no_cache_holds_for_its_own_run_only(
    setup: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program that runs the CLI in-process (a test runner, a build tool) keeps its cache afterwards."""
    from generator.cli import main

    spec, out = setup
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    store = generator.cache.Store("probe", "salt")
    assert main(["generate", "--no-cache", "--spec", str(spec), "--out", str(out)]) == 0
    assert not (tmp_path / "c" / "codat-sdkgen" / "validation").exists()
    store.put("key", "value")
    assert store.get("key") == "value"
