"""Which lines black leaves exactly as they are: the rules black_lines relies on to keep a line out of
black's sight, and black's layout of the one shape it lays out itself (a call too long for its line).

Each rule is a sufficient condition, written against black's own code (transform_line, the right-hand
split, the empty-line tracker, the string and docstring normalisers): a false alarm only shows the line
to black. tests/unit/test_black_lines.py holds the bytes to black's.
"""

from __future__ import annotations

import functools
import re

from generator import LINE_LENGTH


class Unsettled(Exception):
    """The module has something the shortcut does not handle: black formats it whole."""


# Strings, comments, brackets and line ends: enough of Python's tokens to find logical lines.
_TOKEN = re.compile(
    r"""
    (?P<q>(?<!\w)[rRbBuUfF]{0,2}(?:\"\"\"(?:[^"\\]++|\\[\s\S]|"(?!""))*+\"\"\"|'''(?:[^'\\]++|\\[\s\S]|'(?!''))*+'''
        |"(?:[^"\\\n]++|\\[\s\S])*+"|'(?:[^'\\\n]++|\\[\s\S])*+'))
    |(?P<c>\#[^\n]*+)
    |(?P<o>[(\[{])
    |(?P<x>[)\]}])
    |(?P<n>\n)
    |(?P<bad>["'\\])
    """,
    re.X,
)
_PLAIN_LINE = re.compile(r"[^\"'#\\\n]*+\n")
_PREFIXES = frozenset({"", "f", "b", "r", "rb", "br", "fr", "rf"})
# In code with its strings blanked and its numbers zeroed: what black would respell (odd whitespace,
# spacing around brackets, commas, colons, dots and operators, magic trailing commas, parentheses it may
# drop). Conservative: a false alarm only sends the line to black.
_RESPELT = re.compile(
    r"""[;\\\t\f\r\v]|""["\w]|\S\ \ |\s$|[(\[{]\ |\s[)\]},:]|,\s*[)\]}]|,[^\s)\]}]|:[^\s=]|:=
    |(?:[=:]|->|\b(?:return|in|if|elif|while|for|del|with|assert|await|yield|import|except|case|match|else|is
        |not|and|or|print|lambda)\b)\s*\(
    |[)\]]\ [(\[]|\s\.[A-Za-z_]|[A-Za-z_)\]]\.\s|^@\s|\S->|->\S|[!=<>]=\S|\S[!=<>]=
    |[\w)\]"][-+*/%|&^<>@]=?[\w("]|[\w)\]"]\ =[^=\s]|[^=!<>:+\-*/%&|^@\s]=\ |[(,]\s*\w+\ =\ 
    |:\ [^,()\[\]=]*[^\s=!<>]=[^=]
    |\*\*\s|\s\*\*|[\w)\]]\*\*|(?:^|[=(,\[:]\s*)[-+~*]\s|[\w)\]]\[[^\[\]]*:|\bclass\s+\w+\(\)""",
    re.X,
)
# Keywords a bracket may follow after a space (a name followed so is a call black would close up).
_BEFORE_BRACKET = frozenset(
    "and as assert await del elif else except for from if import in is lambda not or return while with yield".split()
)
_NUMBER = re.compile(r"(?<![\w.])\.?\d(?:[\w.]|(?<=[eE])[+-])*")
_PLAIN_NUMBER = re.compile(r"(?:0|[1-9][\d_]*)(?:\.\d[\d_]*)?(?:e-?\d[\d_]*)?")
COMPOUND = re.compile(r"(?:async\s+)?(if|elif|else|for|while|try|except|finally|with|def|class|match|case)\b")
# The head of an exploded bracket: what may stand before its opening bracket.
_HEAD = re.compile(
    r"""(?:(?:async\ )?def\ \w+\(|class\ \w+\(
    |(?:return\ |\w+(?:\.\w+)*(?::\ [^=]+?)?\ =\ |\w+=|(?:""|-?\d+):\ )?(?:await\ )?(?:\w+(?:\.\w+)*)?[(\[{])$""",
    re.X,
)
_CLOSE = {"(": ")", "[": "]", "{": "}"}
# An item black cannot split however long (no bracket, no operator): a string, or a name or key given one.
_UNSPLITTABLE = re.compile(r'(?:\w+=|"": )?"",')
_BRACKET = re.compile(r"[()\[\]{}]")


def logical_lines(code: str) -> list[tuple[str, list[str], bool]]:
    """Each logical line's text, its string tokens, and whether it has a comment.

    A physical line with no quote, comment or backslash (most of them) is taken whole, its brackets
    counted; the others are read token by token, as a string may carry them over several lines.
    """
    lines: list[tuple[str, list[str], bool]] = []
    depth = start = at = 0
    strings: list[str] = []
    comment = False
    end = len(code)
    while at < end:
        plain = _PLAIN_LINE.match(code, at)
        if plain is not None:
            depth += _net_brackets(plain.group())
            at = plain.end()
        else:
            for token in _TOKEN.finditer(code, at):
                kind = token.lastgroup
                if kind == "n":
                    at = token.end()
                    break
                if kind == "o":
                    depth += 1
                elif kind == "x":
                    depth -= 1
                elif kind == "q":
                    strings.append(token.group())
                elif kind == "c":
                    comment = True
                else:
                    raise Unsettled  # a quote or backslash outside any string: a continuation line, or worse
            else:
                raise Unsettled  # no newline at the end
        if depth < 0:
            raise Unsettled
        if depth == 0:
            lines.append((code[start : at - 1], strings, comment))
            start, strings, comment = at, [], False
    if depth:
        raise Unsettled  # unbalanced
    return lines


def _width(line: str) -> int:
    """The line's width as black measures it (East Asian wide characters count two)."""
    if line.isascii():
        return len(line)
    from black.strings import str_width

    return int(str_width(line))


def settled(text: str, indent: str, stripped: str, strings: list[str]) -> bool:
    """Whether black leaves this logical line exactly as it is."""
    if len(strings) == 1 and strings[0] == stripped:  # a string statement: black may see a docstring
        return _settled_docstring(stripped, indent)
    code, respelt = blanked(text, strings)
    if respelt:
        return False
    if "\n" not in text:
        return _width(text) <= LINE_LENGTH and _plain_code(code)
    found = frame(text.split("\n"), code.split("\n"), 0, True, respelt)
    return found is not None and found[0] == text.count("\n") + 1 and found[2]


def _settled_docstring(value: str, indent: str) -> bool:
    """A docstring black's docstring rules leave as it is (and so also a string black does not see as one)."""
    from black.strings import fix_multiline_docstring

    if not value.startswith('"""') or "\\" in value or len(value) < 7:
        return False
    body = value[3:-3]
    if body[0] in ' "' or body[-1] == '"' or body[0].isspace():
        return False
    if "\n" not in body:
        return body == body.strip()
    if fix_multiline_docstring(body, indent) != body:
        return False
    last = body.rsplit("\n", 1)[1]
    return len(last) + 3 <= LINE_LENGTH


def plain_string(token: str) -> bool:
    """A string black writes as it is: a lower-case prefix, no escapes to respell, and double quotes
    (or single ones around a double quote, which black keeps rather than add an escape)."""
    quote = 0
    while token[quote] not in "\"'":
        quote += 1
    if token[:quote] not in _PREFIXES or "\\" in token or token[quote : quote + 3] in ('"""', "'''"):
        return False
    return token[quote] == '"' or ('"' in token and "'" not in token[quote + 1 : -1])


def blanked(text: str, strings: list[str]) -> tuple[str, frozenset[int]]:
    """`text` with each string token's content removed, so only code is checked, and the lines (by
    index) with a string black would respell."""
    if not strings:
        return text, frozenset()
    out: list[str] = []
    respelt: set[int] = set()
    at = 0
    for token in strings:
        found = text.index(token, at)
        out.append(text[at:found])
        out.append('""')
        if not plain_string(token):
            respelt.add(text.count("\n", 0, found))
        at = found + len(token)
    out.append(text[at:])
    return "".join(out), frozenset(respelt)


@functools.lru_cache(maxsize=1 << 16)  # the same short lines come back in every operation
def _plain_code(code: str, statement: bool = True) -> bool:
    """One physical line of code, strings blanked, that black spells the same way (`statement`: a
    whole statement, not a piece of one)."""
    stripped = code.lstrip(" ")
    numbers = _NUMBER.findall(stripped)
    if any(not _PLAIN_NUMBER.fullmatch(n) for n in numbers):
        return False
    if numbers:
        stripped = _NUMBER.sub("0", stripped)
    if _RESPELT.search(stripped):
        return False
    if any(m.group(1) not in _BEFORE_BRACKET for m in re.finditer(r"\b(\w+) [(\[]", stripped)):
        return False  # a call or subscript black closes up
    if not statement:
        return True
    outside = _depth0(stripped)
    if "," in outside or re.search(r"[^=!<>:+\-*/%&|^@\s]=|=[^=\s]", outside):
        return False  # a bare tuple (black may put it in parentheses), or an assignment not spaced
    compound = COMPOUND.match(stripped)
    return compound is None or stripped.endswith(":")


# A piece of an exploded bracket for the skeleton: its text; the placeholder template standing for it
# (None: the text stays, for black); and for an item black must format, the key its output is kept under.
_Piece = tuple[str, "str | None", "tuple[str, str] | None"]


def frame(
    lines: list[str], codes: list[str], at: int, top: bool, respelt: frozenset[int]
) -> tuple[int, list[_Piece], bool] | None:
    """The exploded bracket opened at the end of lines[at]: the index after it, its pieces, and whether
    all of it is settled. None when it is not a bracket black must keep exploded for reasons that do not
    depend on lengths: a magic trailing comma, a head black splits at this bracket, no tail to split
    first (then the items are black's one by one, whatever their lengths)."""
    head = codes[at].strip()
    indent = len(codes[at]) - len(codes[at].lstrip(" "))
    opening = head[-1:]
    if opening not in _CLOSE or not _HEAD.fullmatch(head):
        return None
    is_def = head.startswith(("def ", "async def "))
    before = head[-2:-1]
    called = before.isalnum() or before == "_"
    if opening == "[" and (called or before in "])"):
        return None  # a subscript: its trailing comma is magic only sometimes
    if not is_def and _width(lines[at]) > LINE_LENGTH:
        return None  # black would weigh a second split whose choice depends on every line's length
    settled = (
        at not in respelt
        and not codes[at].endswith(" ")
        and _plain_code(head[:-1].rstrip(" "), statement=False)
        and _width(lines[at]) <= LINE_LENGTH
    )
    pieces: list[_Piece] = [(lines[at], None, None)]
    inner = " " * (indent + 4)
    if opening == "{" and ":" in _depth0(codes[at + 1]):
        template = inner + "{}: {},"
    elif opening == "(" and not called:  # a tuple: one placeholder per item, as one alone is no longer magic
        template = inner + "{}.item,"
    else:
        template = inner + "{},"
    place = f"{opening}{'d' if is_def else 'c' if called else 'a'}"
    items = 0
    line = at + 1
    while line < len(codes) and codes[line].startswith(inner) and codes[line][len(inner) : len(inner) + 1] != " ":
        item = codes[line][len(inner) :]
        if item[-1:] in _CLOSE:
            nested = frame(lines, codes, line, False, respelt)
            if nested is None:  # black's to format: one item, to its closing bracket
                end = _closing(codes, line)
                if end < 0 or not codes[end - 1].endswith(","):
                    return None
                text = "\n".join(lines[line:end])
                pieces.append((text, template, (place, text)))
                settled = False
            else:
                end, inside, whole = nested
                if whole:
                    pieces.append(("\n".join(lines[line:end]), template, None))
                else:
                    pieces.extend(inside)
                settled = settled and whole
            line = end
        elif not item.endswith(","):
            return None
        else:
            plain = line not in respelt and _plain_item(item) and not item.startswith("**")
            laid = None
            if plain and _width(lines[line]) > LINE_LENGTH and _UNSPLITTABLE.fullmatch(item) is None:
                laid = laid_out_call(lines[line], _strings(lines[line]), item=True)  # black's lines, by its rule
                plain = False
            if laid is not None:
                pieces.append((laid, template, None))
            else:
                pieces.append((lines[line], template, None if plain else (place, lines[line])))
            settled = settled and plain
            line += 1
        items += 1
    if line >= len(codes) or items == 0 or not codes[line].startswith(" " * indent + _CLOSE[opening]):
        return None
    if opening == "(" and items == 1 and not called:
        return None  # a one-item tuple: its comma is not magic
    tail = codes[line][indent + 1 :]
    if top:
        if is_def:
            ok = tail == ":" or (tail.startswith(" -> ") and tail.endswith(":") and _plain_code(tail[4:-1], False))
        else:
            ok = tail in ("", ":") if head.startswith("class ") else tail == ""
    else:
        ok = tail == ","
    if not ok:
        return None
    pieces.append((lines[line], None, None))
    return line + 1, pieces, settled and line not in respelt and _width(lines[line]) <= LINE_LENGTH


def _closing(codes: list[str], at: int) -> int:
    """The index after the line that closes the bracket opened at the end of codes[at], or -1."""
    depth = 0
    for index in range(at, len(codes)):
        depth += _net_brackets(codes[index])
        if depth <= 0:
            return index + 1 if depth == 0 else -1
    return -1


def _net_brackets(code: str) -> int:
    """How many more brackets `code` opens than it closes (code with no strings or comments in it)."""
    return code.count("(") + code.count("[") + code.count("{") - code.count(")") - code.count("]") - code.count("}")


# A call too long for its line, alone in a statement or as an item of an exploded bracket, in the
# spelling settled lines have: black splits it at its own parentheses, whatever else is in the line
# (nothing else has a bracket), and lays out the arguments on one line if they fit, one per line with a
# trailing comma if not.
_CALL_ITEM = re.compile(r"(?:\w+=)?[A-Za-z_][\w.]*\(")
_CALL_STATEMENT = re.compile(r"(?:[A-Za-z_][\w.]* = |return )?(?:await )?[A-Za-z_][\w.]*\(")
_ARGUMENT_TOKEN = re.compile(r'"[^"\\]*"|\'[^\'\\]*\'|[()\[\]{},]')
_STRING = re.compile(r'(?<!\w)[rbf]{0,2}(?:"[^"\\\n]*"|\'[^\'\\\n]*\')')


def _strings(line: str) -> list[str]:
    """The string tokens of one line of settled spelling (no escapes, no triple quotes)."""
    return _STRING.findall(line)


def laid_out_call(text: str, strings: list[str], item: bool) -> str | None:
    """black's lines for `text`, a call too long for one line (see above); None when it is not that."""
    if _width(text) <= LINE_LENGTH or any(not plain_string(s) for s in strings):
        return None
    stripped = text.lstrip(" ")
    indent = text[: len(text) - len(stripped)]
    tail = ")," if item else ")"
    head = (_CALL_ITEM if item else _CALL_STATEMENT).match(stripped)
    if head is None or not stripped.endswith(tail) or '"' in head.group() or "'" in head.group():
        return None
    inside = stripped[head.end() : len(stripped) - len(tail)]
    arguments = _arguments(inside)
    if not arguments or ", ".join(arguments) != inside:
        return None
    for argument in arguments:
        code, respelt = blanked(argument, _strings(argument))
        if respelt or not _plain_item(code + ","):
            return None
    first = indent + head.group()
    if not _plain_code(head.group()[:-1], statement=False) or _width(first) > LINE_LENGTH:
        return None
    inner = indent + "    "
    if _width(inner + inside) <= LINE_LENGTH:
        return "\n".join((first, inner + inside, indent + tail))
    lines = [inner + argument + "," for argument in arguments]
    if len(arguments) < 2 or any(_width(line) > LINE_LENGTH for line in lines):
        return None
    return "\n".join((first, *lines, indent + tail))


def _arguments(inside: str) -> list[str] | None:
    """The arguments between a call's parentheses, split at its own commas; None when unbalanced."""
    arguments: list[str] = []
    depth = start = 0
    for token in _ARGUMENT_TOKEN.finditer(inside):
        mark = token.group()
        if mark in "([{":
            depth += 1
        elif mark in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif mark == "," and depth == 0:
            arguments.append(inside[start : token.start()].strip())
            start = token.end()
    arguments.append(inside[start:].strip())
    return arguments if depth == 0 and all(arguments) else None


@functools.lru_cache(maxsize=1 << 16)
def _plain_item(item: str) -> bool:
    """One item of an exploded bracket: settled code with its one comma at the end."""
    body = item[:-1]
    if not body or "," in _depth0(body) or re.search(r"\b(?:for|if|lambda)\b", body):
        return False
    return _plain_code(body, statement=False)


def _depth0(code: str) -> str:
    """The characters of `code` outside its brackets."""
    if "(" not in code and "[" not in code and "{" not in code:
        return code
    out: list[str] = []
    depth = start = 0
    for bracket in _BRACKET.finditer(code):
        if depth == 0:
            out.append(code[start : bracket.start()])
        depth += 1 if bracket.group() in "([{" else -1
        start = bracket.end()
    if depth == 0:
        out.append(code[start:])
    return "".join(out)
