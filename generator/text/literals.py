"""Python literals for document values, written as black writes them, and free of ASCII look-alikes.

black rewrites every single-quoted string to double quotes, and that rewrite is the larger part of
its time on our templates' output; a literal already in its final form costs it nothing. Linters
(ruff's RUF001-RUF003) flag characters that pass for others (an en space, a fullwidth comma, a
cedilla): a literal writes every character beyond ASCII as an escape, so the value is unchanged;
prose turns the typographic ones into their ASCII twin.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# C0/C1 controls (tab and newline aside), the Unicode line and paragraph separators, and the
# bidirectional controls that make text read otherwise than it runs ("Trojan Source", CVE-2021-42574).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def plain_lines(text: str) -> str:
    """Document text with every line break a newline and every other control character a space."""
    return CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


_QUOTES = {"Pi": "'", "Pf": "'"}
# Marks written for an apostrophe that ruff reads as a backtick or quote (RUF001-003): the acute
# accent, the modifier letters prime, turned comma and apostrophe, and the prime.
_APOSTROPHES = frozenset("\u00b4\u02b9\u02bb\u02bc\u02ca\u02cb\u2032\u2035")


def py_literal(value: str | int | float | bool | None) -> str:
    """ascii(), as black would write it: a string in double quotes when that needs no more escapes,
    an exponent without `+`; an infinity or NaN (YAML has them) as the expression that makes one.

    Every character beyond ASCII is an escape: the value is the document's, exactly, while the source
    shows no character that reads as another (ruff's RUF001 knows thousands) or reorders the line.
    """
    text = ascii(value)
    if isinstance(value, str) and text.startswith("'") and '"' not in value:
        return f'"{text[1:-1]}"'
    if isinstance(value, float):
        return text.replace("e+", "e") if math.isfinite(value) else f'float("{text}")'
    return text


def toml_string(value: str) -> str:
    """A TOML basic string of `value`, every character beyond printable ASCII escaped as TOML writes
    it (`\\uXXXX`, `\\UXXXXXXXX`): JSON's escapes, which Jinja's `tojson` writes, spell a character
    beyond U+FFFF as a surrogate pair, which no TOML reader takes."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            point = ord(char)
            out.append(f"\\u{point:04X}" if point <= 0xFFFF else f"\\U{point:08X}")
    return '"' + "".join(out) + '"'


def ascii_look_alikes(text: str) -> str:
    """Prose with each character that passes for an ASCII one (typographic quotes and dashes, odd
    spaces, fullwidth and other compatibility forms) replaced by that ASCII character."""
    return text if text.isascii() else _NON_ASCII.sub(lambda m: look_alike(m.group()) or m.group(), text)


@functools.cache
def look_alike(char: str) -> str | None:
    """The ASCII text a non-ASCII character is read as, or None when it reads as itself."""
    category = unicodedata.category(char)
    if category == "Zs":
        return " "
    if category == "Pd" or char == "\u2212":
        return "-"
    if category in _QUOTES:
        return '"' if "DOUBLE" in unicodedata.name(char, "") or "GUILLEMET" in unicodedata.name(char, "") else "'"
    if char in "\u00d7\u2715":
        return "x"
    if char in _APOSTROPHES:
        return "'"
    if char == "\u2026":
        return "..."
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded != char and folded.isascii() and folded.isprintable() else None
