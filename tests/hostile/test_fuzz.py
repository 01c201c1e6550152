"""Our own fuzzing: documents drawn by hypothesis from every class of hostile input, through the command.

Names come from Python's keywords, from every name the generated code reserves for itself, from all of
Unicode and from strings too long for a file name; mapping keys are numbers and dates (in YAML); schemas
nest deep; YAML documents share nodes by alias. For each document: a located refusal (exit 1, every line
`FILE[:LINE]: POINTER: reason`), or an SDK that compiles; never a traceback, a hang or a file outside
`--out`. The SDKs made are then imported together, and type-checked by one `mypy --strict` and one ruff run.

`make test` draws 25 documents; `make fuzz` draws FUZZ_EXAMPLES (2,000 by default), as many as a long
run wants (see README, "Safe on documents from elsewhere").
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import keyword
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.text.reserved import reserved
from tests.golden.test_features import BIN
from tests.hostile.checks import compile_tree

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# Documents are small: one taking longer than this is hung, not slow.
HANG_S = 60
_R = reserved()
TRICKY = sorted(
    {*keyword.kwlist, *keyword.softkwlist, "none", "true", "false", "userId", "user_id", "UserID"}
    | _R.fields
    | _R.classes
    | _R.methods
    | _R.parameters
    | _R.credentials
    | _R.client_attributes
)

names = st.one_of(
    st.sampled_from(TRICKY),
    st.text(min_size=1, max_size=24),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-", min_size=120, max_size=300),
    st.sampled_from(TRICKY).map(str.upper),
)
keys = st.one_of(names, st.integers(-5, 2030), st.dates())  # numbers and dates: YAML keys as they come


@st.composite
def schema(draw: st.DrawFn, depth: int = 0) -> dict[str, Any]:
    """An object whose properties are drawn, some nested objects, some enums, some arrays."""
    if depth >= draw(st.sampled_from([2, 3, 40, 300])):
        return {"type": "string"}
    properties: dict[Any, Any] = {}
    for key in draw(st.lists(keys, min_size=1, max_size=4, unique_by=str)):
        kind = draw(st.sampled_from(["string", "number", "enum", "object", "array", "decimal"]))
        if kind == "object":
            properties[key] = draw(schema(depth + 1))
        elif kind == "enum":
            properties[key] = {"type": "string", "enum": draw(st.lists(names, min_size=1, max_size=3, unique=True))}
        elif kind == "array":
            properties[key] = {"type": "array", "items": {"type": "integer"}}
        elif kind == "decimal":
            properties[key] = {"type": "number", "format": "decimal"}
        else:
            properties[key] = {"type": kind}
    return {"type": "object", "properties": properties}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Any]:
    """A document and the form it is written in: JSON, or YAML (keys of any scalar type, shared nodes)."""
    components = {draw(names): draw(schema()) for _ in range(draw(st.integers(1, 3)))}
    refs = [f"#/components/schemas/{name}" for name in components]
    paths: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 4))):
        params = []
        path = f"/p{index}"
        for _ in range(draw(st.integers(0, 3))):
            where = draw(st.sampled_from(["query", "header", "cookie", "path"]))
            name = draw(names)
            if where == "path":
                path += "/{" + name + "}"
            params.append({"name": name, "in": where, "required": where == "path", "schema": {"type": "string"}})
        ref = {"$ref": draw(st.sampled_from(refs))}
        operation: dict[str, Any] = {
            "operationId": draw(names),
            "tags": [draw(names)],
            "parameters": params,
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}},
        }
        if draw(st.booleans()):
            operation["requestBody"] = {"content": {"application/json": {"schema": ref}}}
        paths[path] = {draw(st.sampled_from(["get", "post", "put"])): operation}
    schemes = {draw(names): {"type": "apiKey", "in": "header", "name": "X-Key"} for _ in range(draw(st.integers(0, 2)))}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": draw(names), "version": "1"},
        "servers": [{"url": "https://api.example.test"}],
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": schemes},
    }
    if draw(st.booleans()):
        return "json", doc
    shared = draw(st.integers(0, 9))
    if shared:
        # One list, nine times over, `shared` times deep: anchors and aliases, up to a billion laughs.
        node: Any = ["lol"] * 9
        for _ in range(shared):
            node = [node] * 9
        doc["x-shared"] = node
    return "yaml", doc


def _written(form: str, doc: Any) -> str:
    if form == "json":
        return json.dumps(_text_keys(doc))
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def _text_keys(node: Any) -> Any:
    """JSON has text keys only: a drawn number or date key as the text YAML would show."""
    if isinstance(node, dict):
        return {str(key): _text_keys(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_text_keys(item) for item in node]
    return node


@contextlib.contextmanager
def _bounded(seconds: int) -> Iterator[None]:
    def hung(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"the generator ran for {seconds} s on one small document")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_drawn_hostile_documents_are_refused_in_place_or_make_a_clean_sdk(tmp_path: Path) -> None:
    outcomes: Counter[str] = Counter()
    packages: list[tuple[Path, str]] = []
    numbers = itertools.count()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(documents())
    def check(drawn: tuple[str, Any]) -> None:
        form, doc = drawn
        number = next(numbers)
        folder = tmp_path / f"doc{number}"
        folder.mkdir()
        spec = folder / f"fuzz.{form}"
        spec.write_text(_written(form, doc), encoding="utf-8")
        package = f"fuzz_{number}"
        out = folder / "out"
        err = io.StringIO()
        with _bounded(HANG_S), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            args = ["generate", "--spec", str(spec), "--out", str(out), "--all-tags", "--package", package]
            code = main([*args, "--no-cache"])
        assert sorted(p.name for p in folder.iterdir()) == (["fuzz." + form, "out"] if code == 0 else ["fuzz." + form])
        if code == 1:
            lines = [line for line in err.getvalue().splitlines() if line.strip()]
            located = re.compile(re.escape(str(spec)) + r"(:\d+)?: #")
            assert lines and all(located.match(line) for line in lines), err.getvalue()
            outcomes["refused"] += 1
            return
        assert code == 0, err.getvalue()
        assert compile_tree(out) > 5
        packages.append((out, package))
        outcomes["generated"] += 1

    check()
    assert outcomes["generated"] >= EXAMPLES // 3, outcomes
    _imported_and_type_checked(packages)


def _imported_and_type_checked(packages: list[tuple[Path, str]]) -> None:
    """Every SDK made imports (all modules, warnings as errors); mypy --strict and ruff, 100 at a time."""
    for start in range(0, len(packages), 100):
        batch = packages[start : start + 100]
        env = {**os.environ, "MYPYPATH": os.pathsep.join(str(out / "src") for out, _ in batch)}
        env["PYTHONPATH"] = env["MYPYPATH"]
        probe = "import importlib, pkgutil, sys\nfor name in sys.argv[1:]:\n    root = importlib.import_module(name)\n"
        probe += "    for m in pkgutil.walk_packages(root.__path__, name + '.'): importlib.import_module(m.name)\n"
        imported = subprocess.run(
            [sys.executable, "-W", "error", "-c", probe, *(name for _, name in batch)],
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr[-3000:]
        modules = [arg for _, name in batch for arg in ("-p", name)]
        typed = subprocess.run(  # with the generated pyproject's settings (the pydantic plugin), as a user runs it
            [str(BIN / "mypy"), "--strict", "--no-incremental", "--config-file", "pyproject.toml", *modules],
            cwd=batch[0][0],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        assert typed.returncode == 0, typed.stdout[-3000:]
        config = str(batch[0][0] / "pyproject.toml")
        linted = subprocess.run(
            [str(BIN / "ruff"), "check", "--no-cache", "--config", config, *(str(out / "src") for out, _ in batch)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert linted.returncode == 0, linted.stdout[-3000:]


@pytest.mark.parametrize("form", ["json", "yaml"])
def test_the_drawn_forms_are_what_they_claim(form: str) -> None:
    """A guard on the strategy itself: YAML really carries numeric keys and aliases to our reader."""
    text = _written(form, {"a": [[1]] * 3, 7: "x"} if form == "yaml" else {"a": 1})
    assert ("&id" in text and "7:" in text) if form == "yaml" else text.startswith("{")
