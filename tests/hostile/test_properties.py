"""Property test: names and descriptions drawn by hypothesis, from all of Unicode, always stay data."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import GeneratorError
from generator.output.write import write_tree
from generator.pipeline import generate
from tests.hostile.checks import broken_tables, compile_tree, python_constants

text = st.text(max_size=40)
names = st.text(min_size=1, max_size=20)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A small valid document whose every free-form string is drawn."""
    tag = draw(names)
    properties = draw(st.lists(names, min_size=1, max_size=4, unique_by=lambda n: n))
    enum = draw(st.lists(text, min_size=1, max_size=4, unique=True))
    schema = {
        "type": "object",
        "description": draw(text),
        "properties": {
            **{p: {"type": "string", "description": draw(text)} for p in properties},
            "kind": {"type": "string", "enum": enum, "description": draw(text)},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(text), "version": draw(text), "description": draw(text)},
        "servers": [{"url": "https://api.example.test"}],
        "security": [{"auth_header": []}],
        "tags": [{"name": tag, "description": draw(text)}],
        "paths": {
            "/things": {
                "get": {
                    "tags": [tag],
                    "operationId": draw(names),
                    "summary": draw(text),
                    "description": draw(text),
                    "parameters": [
                        {"name": draw(names), "in": "query", "description": draw(text), "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": draw(text),
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {"auth_header": {"type": "apiKey", "in": "header", "name": "Authorization"}},
            "schemas": {"Thing": schema},
        },
    }


def test_drawn_strings_never_become_code() -> None:
    outcomes: Counter[str] = Counter()

    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(documents())
    def check(data: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            _check(Path(tmp), data, outcomes)

    check()
    # The property means little if nearly every drawn document were refused.
    assert outcomes["generated"] >= 30, outcomes


def _check(folder: Path, data: dict[str, Any], outcomes: Counter[str]) -> None:
    spec = folder / "drawn.json"
    spec.write_text(json.dumps(data), encoding="utf-8")
    try:
        result = generate(spec, None, "drawn")
    except GeneratorError as exc:  # a refusal is fine, as long as it is a located one-line diagnostic
        assert all(d.pointer.startswith("#") and "\n" not in d.render() for d in exc.diagnostics)
        outcomes["refused"] += 1
        return
    outcomes["generated"] += 1
    out = folder / "sdk"
    write_tree(out, result.files)
    compile_tree(out)
    values, aliases = python_constants(out / "src" / "drawn")
    thing = data["components"]["schemas"]["Thing"]
    assert set(thing["properties"]["kind"]["enum"]) <= values
    assert set(thing["properties"]) <= aliases
    for page in out.rglob("*.md"):
        assert list(broken_tables(page.read_text(encoding="utf-8"))) == [], page
