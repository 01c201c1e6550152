"""black's output for a rendered module, with black shown only the logical lines it could change.

The templates write black's layout, so in a large SDK nearly every logical line is already black's:
docstrings, short statements, and bracketed lists exploded one item per line behind a magic trailing
comma. Parsing those again was most of a large document's run (Microsoft Graph's 106 MB: about 1,200
CPU-seconds of black). A line black provably leaves as it is (settled.py has the rules: one physical line
within the length in the spelling black writes, a docstring black's docstring rules leave alone, an
exploded bracket whose every piece is settled; a call too long for its line is laid out by black's rule
for it) becomes a placeholder of the same kind (a `def` keeps its name, a docstring stays a docstring, a
block opener stays one), so black still decides every blank line and formats every other line where it
stands; then the placeholders are put back, and an item black split is kept for the next module that has
it. Anything unexpected (a directive in a comment, a tab, a placeholder black moved) and the module goes
to black whole: the answer is black's either way.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from generator import LINE_LENGTH
from generator.output.settled import COMPOUND, Unsettled, blanked, frame, laid_out_call, logical_lines, settled

_DEF = re.compile(r"((?:async )?def \w+)\(")
_CLASS = re.compile(r"(class \w+)[(:]")
_MARK = "_q_"
_PLACED = re.compile(rf"{_MARK}(\d+)")
_MERGING = frozenset({"{}", "import {}", "{},", "{}: {},"})  # placeholders that can stand for a run


# Items of exploded brackets that black split, by their text and place: the same item comes back in
# many modules of a large SDK (the same error table in every test), and black's answer for it is kept.
_ITEMS: dict[tuple[str, str], str] = {}
_ITEMS_KEPT = 20_000


def black_module(code: str, mode: Any) -> str:
    """black's output for `code` (a module), from black shown only its unsettled lines.

    The module must compile first: a settled line is never parsed by black, and code that does not
    parse must still fail as black fails on it (a template's bug, named by its file).
    """
    import black

    try:
        with warnings.catch_warnings():  # an odd escape in a string is black's to judge, not a warning here
            warnings.simplefilter("ignore")
            compile(code, "<generated>", "exec", dont_inherit=True)
        skeleton = _Skeleton(code)
        if skeleton.settled:
            return skeleton.restored(str(black.format_str(skeleton.text, mode=mode)))
    except (SyntaxError, ValueError, Unsettled, black.parsing.InvalidInput):
        pass
    return str(black.format_str(code, mode=mode))  # black's own answer, or its error about the module


class _Skeleton:
    """The module with each settled logical line replaced by its placeholder, and what each stands for."""

    def __init__(self, code: str) -> None:
        if _MARK in code or "fmt:" in code or "\r" in code or "\t" in code or "\f" in code:
            raise Unsettled
        self.parts: list[str] = []
        # each placeholder's line in black's output, what it stands for, and for a line that marks
        # where an item black formats begins, the key its output is kept under
        self.settled: list[tuple[str, str, tuple[str, str] | None]] = []
        self._last = ""  # the template of the line just placed, while it can take in the next
        for text, strings, comment in logical_lines(code):
            self._add_logical(text, strings, comment)
        self.text = "\n".join(self.parts) + "\n"

    def _add_logical(self, text: str, strings: list[str], comment: bool) -> None:
        stripped = text.lstrip(" ")
        indent = text[: len(text) - len(stripped)]
        if comment or not stripped or len(indent) % 4:
            self._verbatim(text)
        elif settled(text, indent, stripped, strings):
            self._place(indent + _placeholder(text), text)
        elif "\n" not in text and (laid := laid_out_call(text, strings, item=False)) is not None:
            self._place(indent + _placeholder(text), laid)
        elif "\n" in text and not any("\n" in s for s in strings):
            lines = text.split("\n")
            code, respelt = blanked(text, strings)
            found = frame(lines, code.split("\n"), 0, True, respelt)
            if found is None or found[0] != len(lines):
                self._verbatim(text)
                return
            for line, template, key in found[1]:  # the last is the closing line, verbatim
                if template is None:
                    self._verbatim(line)
                elif key is None:
                    self._place(template, line)
                elif key in _ITEMS:
                    self._place(template, _ITEMS[key])
                else:  # black formats the item here, and its answer is kept for the next time
                    self._place(template, "", key)
                    self._verbatim(line)
        else:
            self._verbatim(text)

    def _verbatim(self, text: str) -> None:
        """Adds text for black to see; no placeholder before it takes in what follows."""
        self.parts.append(text)
        self._last = ""

    def _place(self, template: str, original: str, key: tuple[str, str] | None = None) -> None:
        """Adds the placeholder for `original`, unless the one just placed takes it in: runs of plain
        statements, imports, or items of one bracket, are one placeholder to black."""
        if key is None and template == self._last and self.parts and self.parts[-1] == self.settled[-1][0]:
            line, before, _ = self.settled[-1]
            self.settled[-1] = (line, before + "\n" + original, None)
            return
        mark = f"{_MARK}{len(self.settled)}"
        line = template.format(mark, mark)
        if len(line) > LINE_LENGTH:  # black would split the placeholder (a long name kept in it)
            self._verbatim(original)
            return
        self.settled.append((line, original, key))
        self.parts.append(line)
        self._last = template if key is None and template.lstrip(" ") in _MERGING else ""

    def restored(self, formatted: str) -> str:
        """black's output of the skeleton with each placeholder replaced by the lines it stood for."""
        out: list[str] = []
        kept: list[tuple[tuple[str, str], list[str]]] = []
        capture: list[str] | None = None
        inner = 0
        expected = 0
        for line in formatted.split("\n"):
            if capture is not None:
                depth = len(line) - len(line.lstrip(" "))
                if not capture or depth > inner or (depth == inner and line[inner : inner + 1] in (")", "]", "}")):
                    capture.append(line)
                else:
                    capture = None
            found = _PLACED.search(line)
            if found is None:
                out.append(line)
                continue
            index = int(found.group(1))
            placed, original, key = self.settled[index] if index < len(self.settled) else ("", "", None)
            if index != expected or line != placed or capture is not None:
                raise Unsettled  # black moved or respelt a placeholder
            expected += 1
            if key is None:
                out.append(original)
            else:
                capture, inner = [], len(line) - len(line.lstrip(" "))
                kept.append((key, capture))
        if expected != len(self.settled):
            raise Unsettled
        if len(_ITEMS) > _ITEMS_KEPT:
            _ITEMS.clear()
        for key, lines in kept:
            if not lines:
                raise Unsettled
            _ITEMS[key] = "\n".join(lines)
        return "\n".join(out)


def _placeholder(text: str) -> str:
    """A one-line statement of the same kind as `text`, for black's blank-line rules; {} for its mark."""
    stripped = text.lstrip(" ")
    if stripped.startswith('"""'):
        return '"""{}"""'
    found = _DEF.match(stripped) or _CLASS.match(stripped)
    if found:
        return found.group(1) + "({}):"
    compound = COMPOUND.match(stripped)
    if compound:
        keyword = stripped[: compound.end()]
        if compound.group(1) in ("else", "try", "finally"):
            return keyword + ":  # {}"
        if compound.group(1) == "for":
            return keyword + " {} in {}:"
        return keyword + " {}:"
    if stripped.startswith(("import ", "from ")):
        return "import {}"
    if stripped.startswith("@"):
        return "@{}"
    keyword = stripped.split(" ", 1)[0]
    if keyword in ("pass", "break", "continue"):
        return keyword + "  # {}"
    if keyword in ("return", "raise", "del", "assert", "global", "nonlocal"):
        return keyword + " {}"
    return "{}"
