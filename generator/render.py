"""Stage 4: pair each IR object with its template and output path; returns `{relative path: text}`.

Document strings reach the output only through the filters below, which escape them for the place
they land in (a Python string or docstring, a markdown table cell). They are never parsed as templates.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2

from generator import __version__, naming
from generator.ir import Api, TypeRef

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
MARKER = ".codat-sdkgen"

_ASCII_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u00d7": "x",
    }
)
_RELATIVE_LINK = re.compile(r"\[([^\]]*)\]\((?!https?://|mailto:)[^)]*\)")
# C0/C1 controls (tab and newline aside), and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def render_api(api: Api, sha256: str, templates_dir: Path = TEMPLATES_DIR) -> dict[str, str]:
    """Every output file of the SDK and its docs, unformatted."""
    env = _environment(templates_dir)
    src = f"src/{api.package}"
    files: dict[str, str] = {}

    def emit(path: str, template: str, **context: Any) -> None:
        files[path] = env.get_template(template).render(api=api, **context)

    for static in sorted((templates_dir / "sdk" / "static").iterdir()):
        if static.is_file():
            files[f"{src}/{static.name}"] = static.read_text(encoding="utf-8")
    emit("pyproject.toml", "sdk/pyproject.toml.jinja")
    emit("README.md", "docs/README.md.jinja")
    for name in ("__init__", "_client", "_constants", "_exceptions", "_version"):
        emit(f"{src}/{name}.py", f"sdk/{name}.py.jinja")
    emit(f"{src}/models/__init__.py", "sdk/models/__init__.py.jinja")
    for module in api.modules:
        emit(f"{src}/models/{module.module_name}.py", "sdk/models/model.py.jinja", module=module)
        for schema in module.schemas:
            emit(f"docs/models/{schema.module_name}.md", "docs/model.md.jinja", schema=schema)
    emit(f"{src}/resources/__init__.py", "sdk/resources/__init__.py.jinja")
    for resource in api.resources:
        emit(
            f"{src}/resources/{resource.module_name}.py",
            "sdk/resources/resource.py.jinja",
            resource=resource,
        )
        emit(
            f"docs/sdks/{resource.module_name}/README.md",
            "docs/resource.md.jinja",
            resource=resource,
        )
    files[MARKER] = f"generator codat-sdkgen {__version__}\nsource {api.source_name} sha256 {sha256}\n"
    return files


def _environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        pyrepr=_pyrepr,
        docstring=_docstring,
        comment=_comment,
        qualify=_qualify,
        md_cell=_md_cell,
        md_text=_md_text,
        md_type=_md_type,
    )
    return env


def _pyrepr(value: object) -> str:
    """A Python literal for a string or number; repr escapes quotes, backslashes and controls."""
    return repr(value)


def _docstring(text: str, indent: str = "") -> str:
    """Text made safe inside a triple-quoted docstring, continuation lines indented.

    Typographic punctuation becomes ASCII here (the markdown docs keep it): in code it reads as a
    look-alike of a different character, which linters rightly flag.
    """
    clean = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).translate(_ASCII_PUNCTUATION)
    clean = clean.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in clean.strip().split("\n")]
    body = ("\n" + indent).join(lines).replace("\n" + indent + "\n", "\n\n")
    return body + " " if body.endswith('"') else body


def _comment(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _qualify(annotation: str, t: TypeRef) -> str:
    return naming.qualify(annotation, t.models, "models.")


def _md_escape(text: str) -> str:
    """Document text for markdown: raw HTML shown as text, and its relative links reduced to their text.

    A relative link in a description points into the page it was written for; on ours it would dangle.
    """
    text = _RELATIVE_LINK.sub(r"\1", _CONTROL.sub(" ", text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_cell(text: str) -> str:
    """Text that stays inside one markdown table cell."""
    escaped = _md_escape(text).replace("|", "\\|")
    return "<br/>".join(line.strip() for line in escaped.strip().splitlines()) or "-"


def _md_text(text: str) -> str:
    """Prose for a markdown page: its markdown kept, raw HTML shown as text."""
    return _md_escape(text).strip()


def _md_type(t: TypeRef, prefix: str) -> str:
    """A type for a docs table, each model linked to its page; safe inside a table cell."""
    if t.kind == "union" and t.args:
        arms = " \\| ".join(_md_type(arm, prefix) for arm in t.args)
        return arms + (" \\| None" if t.nullable else "")
    text = t.annotation.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
    for name in sorted(t.models, key=len, reverse=True):
        link = f"[{name}]({prefix}{naming.snake(name)}.md)"
        text = re.sub(rf"\b{re.escape(name)}\b(?!\]\()", link, text)
    return text
