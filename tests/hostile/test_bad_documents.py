"""Bad documents as a CI job would meet them: one located line, exit 1, bounded time and memory, output kept."""

from __future__ import annotations

import json
import resource
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from tests.commands import run_generator, snapshot
from tests.conftest import SPEC

MEMORY_CAP = 2 * 2**30  # far above what generation needs; a runaway parse hits it instead of the machine


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_capped(*args: str) -> subprocess.CompletedProcess[str]:
    return run_generator(*args, preexec_fn=_capped, timeout=60)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kept") / "out"
    assert main(["generate", "--spec", str(SPEC), "--out", str(out)]) == 0
    return out


def _truncated(_: Path) -> bytes:
    text = SPEC.read_bytes()
    return text[: text.index(b"{", len(text) // 3) + 1]


def _fifty_megabytes(_: Path) -> bytes:
    return SPEC.read_bytes() + b"\n# " + b"x" * (50 * 2**20) + b"\n"


def _deep_json(_: Path) -> bytes:
    return b'{"openapi": "3.1.0", "x": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_000 + b"}"


def _deep_yaml(levels: int) -> Callable[[Path], bytes]:
    return lambda _: b"openapi: 3.1.0\nx: " + b"[" * levels + b"]" * levels + b"\n"


def _spec_with(old: str, new: str) -> Callable[[Path], bytes]:
    def make(_: Path) -> bytes:
        text = SPEC.read_text()
        assert old in text
        return text.replace(old, new, 1).encode()

    return make


def _cycle(_: Path) -> bytes:
    text = SPEC.read_text()
    marker = "  schemas:\n"
    loop = (
        "    LoopA:\n      allOf: [{$ref: '#/components/schemas/LoopB'}]\n"
        "    LoopB:\n      $ref: '#/components/schemas/LoopA'\n"
    )
    return text.replace(marker, marker + loop, 1).encode()


def _billion_laughs(_: Path) -> bytes:
    """379 bytes whose nine levels of aliases stand for 387 million strings."""
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"{n}: &{n} [{','.join(['*' + p] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    return ("openapi: 3.1.0\ninfo: {title: L, version: '1'}\n" + "\n".join(levels) + "\npaths: {}\n").encode()


CASES: dict[str, tuple[Callable[[Path], bytes], str, str]] = {
    "billion-laughs-yaml": (_billion_laughs, "#", "an alias bomb"),
    "alias-of-itself-yaml": (lambda _: b"openapi: 3.1.0\nx: &x [1, *x]\n", "#", "a node that contains it"),
    "list-as-key-yaml": (lambda _: b"openapi: 3.1.0\npaths:\n  ? [a, b]\n  : {}\n", "#", "must be text, not a list"),
    "lone-surrogate-json": (
        lambda _: b'{"openapi": "3.1.0", "info": {"title": "half \\ud800 a pair", "version": "1"}, "paths": {}}',
        "#/info/title",
        "lone UTF-16 surrogate",
    ),
    "lone-surrogate-key-json": (
        lambda _: b'{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "x-a": {"\\udc00": 1}}',
        "#/x-a",
        "lone UTF-16 surrogate",
    ),
    "lone-surrogate-in-a-list-json": (
        lambda _: b'{"openapi": "3.1.0", "tags": [{"name": "a"}, {"name": "b\\udfff"}], "paths": {}}',
        "#/tags/1/name",
        "lone UTF-16 surrogate",
    ),
    "truncated-yaml": (_truncated, "#", "invalid YAML"),
    "garbage-bytes": (lambda _: b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "#", "not UTF-8 text"),
    "json-array": (lambda _: b'[{"openapi": "3.1.0"}]', "#", "not a mapping"),
    "openapi-2": (lambda _: json.dumps({"swagger": "2.0", "info": {}, "paths": {}}).encode(), "#/swagger", "2.0"),
    "no-paths": (lambda _: b"openapi: 3.1.0\ninfo: {title: T, version: '1'}\n", "#/paths", "no `paths`"),
    "external-file-ref": (
        _spec_with("$ref: '#/components/schemas/Metadata'", "$ref: 'shared.yaml#/Metadata'"),
        "#/components/schemas/Customer/allOf/0/properties/metadata/$ref",
        "--allow-external-refs",
    ),
    "external-url-ref": (
        _spec_with("$ref: '#/components/schemas/Metadata'", "$ref: 'https://schemas.example.test/m.json'"),
        "#/components/schemas/Customer/allOf/0/properties/metadata/$ref",
        "--allow-external-refs",
    ),
    "fifty-megabytes": (_fifty_megabytes, "#", "over the 32 MiB limit"),
    "ten-thousand-deep-json": (_deep_json, "#", "nests deeper than 256 levels"),
    # "#" and a line: PyYAML 6.0.4 and later refuse such nesting while reading, before our own check can.
    "ten-thousand-deep-yaml": (_deep_yaml(10_000), "#", "nests deeper than 256 levels"),
    "three-hundred-deep-yaml": (_deep_yaml(300), "#/x/0/0/0", "nests deeper than 256 levels"),
    "schema-cycle": (_cycle, "#/components/schemas/LoopA", "made of itself"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_document_fails_cleanly(case: str, output: Path, tmp_path: Path) -> None:
    make, pointer, expected = CASES[case]
    spec = tmp_path / ("bad.json" if "json" in case else "bad.yaml")
    spec.write_bytes(make(tmp_path))
    before = snapshot(output)
    result = run_capped("generate", "--spec", str(spec), "--out", str(output))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{spec}") and expected in first, first
    assert f": {pointer}" in first, first
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(output) == before
    assert not list(output.parent.glob(".sdkgen-*"))


def test_fifty_megabytes_is_read_when_the_limit_is_raised(tmp_path: Path) -> None:
    spec = tmp_path / "big.yaml"
    spec.write_bytes(_fifty_megabytes(tmp_path))
    result = run_capped("generate", "--max-size", "64", "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "src" / "codat_accounting" / "models" / "customer.py").is_file()
