"""Stage 5: pair each IR object with its template and output path; returns `{relative path: text}`.

Document strings reach the output only through the filters below, which escape them for the place
they land in (a Python string or docstring, a markdown table cell). They are never parsed as templates.
"""

from __future__ import annotations

import difflib
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2

from generator import LINE_LENGTH, MARKER, TEMPLATES_DIR, cache
from generator.errors import Diagnostic, GeneratorError
from generator.history.changelog import SURFACE_FILE
from generator.ir.api import Api
from generator.ir.models import TypeRef
from generator.progress import QUIET, Progress, Tick
from generator.text import markdown, naming
from generator.text.literals import CONTROL, ascii_look_alikes, plain_lines, py_literal, toml_string


def render_api(
    api: Api, overrides: Path | None = None, tests: bool = True, progress: Progress = QUIET
) -> dict[str, str]:
    """Every output file of the SDK and its docs, unformatted and not yet stamped (see `stamp_files`).

    `overrides` is a user's templates folder: a file there replaces ours of the same relative name.
    `tests`: the package's own tests, a module per resource that has operations.
    """
    with progress.stage("rendering files", "file") as tick:
        return _rendered(api, overrides, tests, tick)


def _rendered(api: Api, overrides: Path | None, tests: bool, tick: Tick) -> dict[str, str]:
    search = [overrides, TEMPLATES_DIR] if overrides is not None else [TEMPLATES_DIR]
    env = _environment(search)
    src = f"src/{api.package}"
    files: dict[str, str] = {}

    def emit(path: str, template: str, **context: Any) -> None:
        try:
            files[path] = env.get_template(template).render(api=api, **context)
        except jinja2.TemplateError as exc:
            raise GeneratorError([_template_problem(exc, template, search)]) from None
        tick(1)

    static = {p.name: p for folder in reversed(search) for p in _static_files(folder)}  # the user's win
    for name, source in sorted(static.items()):
        files[f"{src}/{name}"] = source.read_text(encoding="utf-8")
    emit("pyproject.toml", "sdk/pyproject.toml.jinja", tests=tests)
    emit("README.md", "docs/README.md.jinja")
    for name in ("__init__", "_client", "_constants", "_exceptions", "_version"):
        emit(f"{src}/{name}.py", f"sdk/{name}.py.jinja")
    emit(f"{src}/models/__init__.py", "sdk/models/__init__.py.jinja")
    for module in api.modules:
        emit(f"{src}/models/{module.module_name}.py", "sdk/models/model.py.jinja", module=module)
        for schema in module.schemas:
            emit(f"docs/models/{schema.module_name}.md", "docs/model.md.jinja", schema=schema)
    if api.webhooks:
        emit(f"{src}/webhooks.py", "sdk/webhooks.py.jinja")
        emit("docs/webhooks.md", "docs/webhooks.md.jinja")
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
    if tests:
        files["tests/__init__.py"] = ""
        emit("tests/conftest.py", "sdk/tests/conftest.py.jinja")
        for resource in api.resources:
            if resource.tests:
                emit(f"tests/test_{resource.module_name}.py", "sdk/tests/test_resource.py.jinja", resource=resource)
    # The same bytes whatever the document and generator version: those are in the output's record
    # (changelog.SURFACE_FILE), so an edit of the document changes no file that does not show it.
    files[MARKER] = f"codat-sdkgen writes this folder; {SURFACE_FILE} records from what, and how\n"
    return files


def unused_overrides(overrides: Path) -> list[Diagnostic]:
    """A warning for each file of a templates folder that replaces none of ours (`docs/modle.md.jinja`),
    naming the closest of ours: a misspelt name would otherwise be silently unused."""
    ours = sorted(
        p.relative_to(TEMPLATES_DIR).as_posix()
        for p in TEMPLATES_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    problems = []
    for path in sorted(overrides.rglob("*")):
        name = path.relative_to(overrides).as_posix()
        if (
            not path.is_file()
            or name in ours
            or any(part.startswith(".") or part == "__pycache__" for part in path.parts)
        ):
            continue
        close = difflib.get_close_matches(name, ours, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "files here replace ours of the same relative name"
        problems.append(Diagnostic(str(path), "#", "replaces none of codat-sdkgen's templates", "warning", hint=hint))
    return problems


def _template_problem(exc: jinja2.TemplateError, template: str, search: list[Path]) -> Diagnostic:
    """A template that does not parse or names what its context lacks, located by file and line.

    A syntax error says where; an error while rendering is found in the traceback, whose frames Jinja
    points at the template's own lines (the innermost frame of a template file is where it failed).
    """
    source, line = None, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        source, line = exc.filename, exc.lineno
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith(".jinja"):
                source, line = frame.filename, frame.lineno
    if source is None:
        source = next((str(folder / template) for folder in search if (folder / template).is_file()), template)
    ours = Path(source).resolve().is_relative_to(TEMPLATES_DIR.resolve())
    hint = "a bug of codat-sdkgen's own templates" if ours else "a template of --templates"
    message = f"template error: {exc.message or type(exc).__name__}"
    return Diagnostic(source, "#", message, line=line, hint=hint)


def render_report(report: dict[str, Any], old_name: str, new_name: str) -> str:
    """The change report (diff.as_json) as markdown: the summary first, then a section per resource."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for change in report["changes"]:
        sections.setdefault(change["section"], []).append(change)
    labels = {"breaking": "breaking", "addition": "addition", "docs": "docs"}
    return (
        _environment([TEMPLATES_DIR])
        .get_template("docs/changes.md.jinja")
        .render(report=report, sections=list(sections.items()), labels=labels, old_name=old_name, new_name=new_name)
    )


def _static_files(folder: Path) -> list[Path]:
    static = folder / "sdk" / "static"
    return [p for p in static.iterdir() if p.is_file()] if static.is_dir() else []


def stamp_files(files: dict[str, bytes], api: Api) -> dict[str, bytes]:
    """Heads each file with a line saying it is generated, and from which document.

    The line names neither the document's hash nor the generator's version: with them, a one-word
    edit of the document changed every file (86 for the Customers tag), and the real change was lost
    in the review. They live in the output's one record (changelog.SURFACE_FILE) instead.
    """
    stamp = f"Generated by codat-sdkgen from {api.source_name}; hand edits are merged into each regeneration."
    return {path: _stamped(path, content, stamp) for path, content in files.items()}


def _stamped(path: str, content: bytes, stamp: str) -> bytes:
    if path.endswith((".py", ".toml")):
        return f"# {stamp}\n".encode() + content
    if path.endswith(".md"):
        return f"<!-- {stamp} -->\n".encode() + content
    return content


def _environment(search: list[Path]) -> jinja2.Environment:
    compiled = cache.folder_for("jinja")  # Jinja checks each template's source against what it compiled
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        dunder_all_sorted=lambda names: sorted(names, key=naming.dunder_all_order),
        members_sorted=lambda names: sorted(names, key=naming.member_order),
        module_name=naming.module_name,
        pyrepr=py_literal,
        toml=toml_string,
        docstring=_docstring,
        docline=_docline,
        comment=_comment,
        qualify=_qualify,
        md_cell=markdown.cell_markdown,
        md_cell_code=lambda text: markdown.code_text(text).replace("|", "\\|"),
        md_code=markdown.code_text,
        md_inline=markdown.inline_markdown,
        md_text=markdown.safe_markdown,
        md_type=_md_type,
    )
    return env


def _docstring(text: str, indent: str = "", closes: bool = False) -> str:
    """Text made safe inside a triple-quoted docstring, continuation lines indented.

    Typographic punctuation becomes ASCII here (the markdown docs keep it): in code it reads as a
    look-alike of a different character, which linters rightly flag. With `closes` (the closing
    quotes follow), a long last line sends them to a line of their own, as black would.
    """
    # Tabs become spaces: a docstring line indented by both is one ruff flags (E101).
    clean = ascii_look_alikes(plain_lines(text)).expandtabs(4)
    clean = clean.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in clean.strip().split("\n")]
    body = "\n".join(indent + line if line and n else line for n, line in enumerate(lines))
    if body.endswith('"'):
        body += " "
    if closes and len(lines) > 1 and len(body.rsplit("\n", 1)[-1]) + len('"""') > LINE_LENGTH:
        body += "\n" + indent
    return body


def _docline(text: str) -> str:
    """A description's first paragraph as one line of a docstring section (Args, Returns)."""
    first = CONTROL.sub(" ", text.replace("\r\n", "\n")).strip().split("\n\n", 1)[0]
    line = _docstring(" ".join(first.split()))
    return line if line.endswith((".", "!", "?", ":")) else line + "."


def _comment(text: str) -> str:
    return " ".join(ascii_look_alikes(CONTROL.sub(" ", text)).split())


def _qualify(annotation: str, t: TypeRef) -> str:
    return naming.qualify(annotation, t.models, "models.")


def _md_type(t: TypeRef, prefix: str) -> str:
    """A type for a docs table, each model linked to its page; safe inside a table cell."""
    if t.kind == "union" and t.args:
        arms = " \\| ".join(_md_type(arm, prefix) for arm in t.args)
        return arms + (" \\| None" if t.nullable else "")
    text = t.annotation.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
    for name in sorted(t.models, key=len, reverse=True):
        link = f"[{name}]({prefix}{naming.module_name(name)}.md)"
        text = re.sub(rf"\b{re.escape(name)}\b(?!\]\()", link, text)
    return text
