"""The document's descriptions as markdown on our pages: CommonMark passed through, made safe.

Descriptions are CommonMark (OpenAPI says so), written for the vendor's own docs site: blockquotes,
entities, emphasis, links, and often raw HTML (`<a className=... href=...>`). Escaping all of it shows
the markup instead of rendering it; passing all of it through lets a description break our page
(an open fence swallows the rest, a heading shifts our anchors, `<script>` or an unclosed
`<details>` ends up in the rendered page). So the markdown is kept and only what could break the page
is changed: headings become bold lines (no anchors of their own), code fences are tilde fences that
are always closed (backtick fences are our examples'), relative links become their text, and HTML is
reduced to a harmless subset: links become markdown links, a few inline formatting tags stay without
attributes, comments and script-like elements go with their content, other tags go and leave their
text, and `<word>` that is no HTML element is shown as text.
"""

from __future__ import annotations

import html
import re

from generator.text.literals import CONTROL, plain_lines

_FENCE = re.compile(r"^([ \t]{0,3})(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^[ \t]{0,3}(=+|-{2,})[ \t]*$")
# Bounded repeats keep every pattern linear in the text's length, whatever a hostile document holds.
_RELATIVE_LINK = re.compile(r"(!?)\[([^\]\n]{0,1000})\]\((?!https?://|mailto:)[^)\n]{0,2000}\)")
_CODE_SPAN = re.compile(r"(`{1,16})(.{1,4000}?)(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_DROPPED_WITH_CONTENT = re.compile(
    r"<(script|style|iframe|object|embed|template|textarea|noscript|svg|math)\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I
)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)(/?)>")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^\s<>]*>", re.I)
# Formatting that renders the same everywhere and can carry nothing harmful once its attributes go.
_KEPT = frozenset({"b", "strong", "i", "em", "code", "sub", "sup", "kbd"})
# Block tags written as the markdown that means the same (an HTML block would stop markdown inside it).
_AS_MARKDOWN = {"p": "\n\n", "div": "\n\n", "ul": "\n\n", "ol": "\n\n", "li": "\n- ", "br": "<br/>", "hr": "\n\n"}
# Every element name of HTML: a tag among these is markup; `<base64 key>` and the like are text.
_HTML_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code
    col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer
    form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map mark
    menu meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp
    script search section select slot small source span strong style sub summary sup table tbody td template
    textarea tfoot th thead time title tr track u ul var video wbr center big tt strike marquee blink frame
    frameset""".split()
)


def safe_markdown(text: str) -> str:
    """A description as markdown blocks for a page."""
    lines = plain_lines(text).strip("\n").split("\n")
    out: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None and match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
            out.append(_prose("\n".join(prose)))
            prose = []
            fence = "~" * max(3, len(match.group(2)))
            out.append(f"{match.group(1)}{fence}{_info(match.group(3))}")
        elif fence is not None:
            if match and len(match.group(2)) >= 3 and not match.group(3).strip():
                out.append(f"{match.group(1)}{fence}")
                fence = None
            else:
                out.append(line.replace("~" * len(fence), "~" * (len(fence) - 1)) if "~~~" in line else line)
        else:
            prose.append(line)
    out.append(_prose("\n".join(prose)))
    if fence is not None:
        out.append(fence)
    return "\n".join(part for part in out if part != "").strip()


def inline_markdown(text: str) -> str:
    """A short text (a title, a summary) on one line within ours: no block of its own."""
    flat = " ".join(_prose(CONTROL.sub(" ", text), blocks=False).split())
    # A line of ours may begin with it (a heading's text, a list item): no marker of its own there.
    # An ordered-list marker is digits, then `.` or `)`, then a space: the punctuation is what a
    # backslash escapes (a backslash before a digit is shown as written: `(version \3.0.0)`).
    flat = re.sub(r"^(\d{1,9})([.)])(?=\s|$)", r"\1\\\2", flat)
    return re.sub(r"^([#>+\-*=])", r"\\\1", flat)


_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]{0,1000})\]\([^)\n]{0,2000}\)")
_EMPHASIS = re.compile(r"(?<![\w*\\])(\*{1,3}|_{2,3})(?=\S)(.{1,1000}?)(?<=\S)\1(?![\w*])")


def plain_prose(text: str, limit: int) -> str:
    """A description's first paragraph as plain text on one line, for a message (an exception's, a
    warning's): links reduced to their text, tags and emphasis marks gone, and cut, where it must
    be, after the last whole sentence that fits (else the last whole word, then `...`), never
    inside a link."""
    first = plain_lines(text).strip().split("\n\n", 1)[0]
    words = _MARKDOWN_LINK.sub(lambda m: m.group(1), _TAG.sub("", _COMMENT.sub("", first)))
    words = html.unescape(" ".join(_EMPHASIS.sub(lambda m: m.group(2), words).split()))
    if len(words) <= limit:
        return words
    head = words[: limit + 1]
    sentence = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if sentence > limit // 3:
        return head[: sentence + 1]
    return head.rsplit(" ", 1)[0].rstrip(",;:") + " ..."


def cell_markdown(text: str) -> str:
    """A description inside one table cell: its lines joined by `<br/>`, pipes escaped."""
    lines = []
    for line in safe_markdown(text).split("\n"):
        stripped = line.strip()
        if _FENCE.match(stripped):
            continue
        lines.append(re.sub(r"^(?:>\s?)+", "", stripped))
    return "<br/>".join(line for line in lines if line).replace("|", "\\|") or "-"


def code_text(text: str) -> str:
    """Text to sit inside single backticks: one line, no backtick to end the span early."""
    return " ".join(CONTROL.sub(" ", text).split()).replace("`", "'")


def _info(info: str) -> str:
    """A fence's info string, minus what could end it or start another."""
    return re.sub(r"[`~]", "", info).strip()[:40]


def _prose(text: str, blocks: bool = True) -> str:
    """Markdown outside code fences, code spans left as they are."""
    if not text.strip():
        return ""
    pieces: list[str] = []
    last = 0
    # Code spans are taken out first: HTML and headings inside them are shown as written.
    for span in _CODE_SPAN.finditer(text):
        pieces.append(_outside_code(text[last : span.start()], blocks))
        pieces.append(span.group(0))
        last = span.end()
    pieces.append(_outside_code(text[last:], blocks))
    return "".join(pieces)


def _outside_code(text: str, blocks: bool) -> str:
    text = _COMMENT.sub("", text)
    text = _DROPPED_WITH_CONTENT.sub("", text)
    text = _TAG.sub(_Tags().replace, text)
    text = _RELATIVE_LINK.sub(lambda m: m.group(2), text)
    if not blocks:
        return text
    lines: list[str] = []
    for line in text.split("\n"):
        heading = _HEADING.match(line)
        if heading:
            title = (heading.group(2) or "").strip()
            lines += ["", f"**{title}**", ""] if title else [""]
        elif _SETEXT.match(line) and lines and lines[-1].strip():
            lines[-1:] = ["", f"**{lines[-1].strip()}**", ""]
        else:
            lines.append(line)
    return "\n".join(lines)


class _Tags:
    """Replaces the tags of one text, left to right: `<a href="https://...">text</a>` becomes
    `[text](https://...)` (the open links kept on a stack, so an unclosed one costs nothing more),
    a link to anywhere else leaves its text."""

    def __init__(self) -> None:
        self._links: list[str | None] = []

    def replace(self, match: re.Match[str]) -> str:
        closing, name, attributes, self_closing = match.groups()
        if _AUTOLINK.fullmatch(match.group(0)) or attributes.startswith(":"):
            return match.group(0)
        lowered = name.lower()
        if lowered not in _HTML_ELEMENTS:
            return "&lt;" + match.group(0)[1:]  # `<base64 key>`: words in angle brackets, not markup
        if lowered == "a":
            return self._link(closing == "/", attributes)
        if lowered in _AS_MARKDOWN:
            return "" if closing and lowered == "li" else _AS_MARKDOWN[lowered]
        if lowered not in _KEPT:
            return ""
        return f"<{closing}{lowered}{self_closing}>"

    def _link(self, closing: bool, attributes: str) -> str:
        if closing:
            target = self._links.pop() if self._links else None
            return f"]({target})" if target else ""
        href = _HREF.search(attributes)
        target = html.unescape(next((g for g in href.groups() if g is not None), "")) if href else ""
        if not re.match(r"(?:https?://|mailto:)", target, re.I):
            self._links.append(None)
            return ""
        self._links.append(target.replace(" ", "%20").replace("(", "%28").replace(")", "%29"))
        return "["
