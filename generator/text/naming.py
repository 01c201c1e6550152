"""Pure string functions that turn document names into Python identifiers. No I/O, no document access."""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Names that read as digits in many fonts (pycodestyle's E741-E743): never given to anything.
AMBIGUOUS = frozenset({"l", "I", "O"})


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`1 file`, `2 files`: a number with its noun, singular for one."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


class Suffixes:
    """The first of `base2`, `base3`, ... not in `used`, which only grows: each base remembers where it
    got to, so n names sharing a base cost n checks, not n²/2, and have no cap (the same names as a scan
    from 2 each time)."""

    def __init__(self, used: set[str]) -> None:
        self.used = used
        self._next: dict[str, int] = {}

    def free(self, base: str) -> str:
        number = self._next.get(base, 2)
        while f"{base}{number}" in self.used:
            number += 1
        self._next[base] = number + 1
        return f"{base}{number}"


def package_from_title(title: str, taken: frozenset[str] = frozenset()) -> str:
    """An import name for an SDK from its document's title: `Codat Lending API` → `codat_lending`.

    The word API says nothing of which one, so it goes (`Bank Feeds API (v2)` → `bank_feeds_v2`); a
    title of no letters is `api_client`, one naming a module in `taken` (`JSON`) takes `_sdk`.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    name = "_".join(w for w in re.findall(r"[a-z0-9]+", ascii_title) if w != "api") or "api_client"
    if len(name) > 60:  # a title that is a sentence: its first words
        name = name[:60].rsplit("_", 1)[0]
    if name[0].isdigit():
        name = "sdk_" + name
    if keyword.iskeyword(name) or name in taken:
        name += "_sdk"
    return name


def words(text: str) -> list[str]:
    """Splits any name (camelCase, kebab-case, spaced, accented) into lower-case ASCII words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [w.lower() for w in _WORD.findall(ascii_text)]


def snake(text: str) -> str:
    """`customerName` → `customer_name`; empty when the name has no letters or digits."""
    return "_".join(words(text))


def pascal(text: str) -> str:
    """`push option-type` → `PushOptionType`."""
    return "".join(w[:1].upper() + w[1:] for w in words(text))


def upper_snake(text: str) -> str:
    """`banking-accountBalances` → `BANKING_ACCOUNT_BALANCES`."""
    return snake(text).upper()


def singular(word: str) -> str:
    """English singular of a lower-case word, good enough for API nouns (`addresses` → `address`)."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 1:
        return word[:-1]
    return word


def safe_snake(text: str, reserved: frozenset[str] = frozenset(), fallback: str = "value") -> str:
    """A snake_case identifier that is not a keyword, not reserved and does not start with a digit."""
    name = snake(text) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    # Soft keywords (match, case, type) are valid names, and their set varies by Python version.
    if keyword.iskeyword(name) or name in reserved or name in AMBIGUOUS:
        name += "_"
    return name


def safe_pascal(text: str, fallback: str = "Model") -> str:
    """A PascalCase class name that does not start with a digit, and is not `I` or `O`."""
    name = pascal(text) or fallback
    name = f"{fallback}{name}" if name[0].isdigit() else name
    return name + "_" if name in AMBIGUOUS else name


def module_name(class_name: str) -> str:
    """The module (and docs page) of a model class: `CustomerContact` → `customer_contact`."""
    return file_safe(safe_snake(class_name, fallback="model"))


# A file name's bytes are capped (255 on most file systems): longer names keep their start and gain a
# digest of the whole, so they stay apart and stay the same from run to run.
_MAX_FILE_STEM = 100


def file_safe(name: str) -> str:
    """A name that becomes a file or folder, shortened past what file systems allow, by a stable rule."""
    if len(name) <= _MAX_FILE_STEM:
        return name
    # In letters, not hex: a run of digits would sort by its value in ruff's isort and by its text here.
    digest = hashlib.sha256(name.encode()).hexdigest()[:8].translate(_HEX_AS_LETTERS)
    return f"{name[: _MAX_FILE_STEM - 9].rstrip('_')}_{digest}"


_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def enum_member(value: str) -> str:
    """The member name for an enum value: `TimedOut` → `TIMED_OUT`, `1099` → `VALUE_1099`."""
    name = upper_snake(value) or "EMPTY"
    if name[0].isdigit():
        name = f"VALUE_{name}"
    return name + "_" if name in AMBIGUOUS else name


def method_name(operation_id: str, tag: str, http_method: str, path: str) -> str:
    """An operation's method name: its operationId without the tag's noun, in snake_case.

    `create-customer` → `create`, `get-create-update-customers-model` → `get_create_update_model`.
    A GET whose operationId ends in the collection its path ends in reads a list, so `get` becomes
    `list` there (`get-customers` → `list`), which keeps it apart from the single-record `get`.
    """
    op_words = words(operation_id) or words(f"{http_method} {path}")
    noun = words(tag)
    kept = _without_noun(op_words, noun) if noun else op_words
    if not kept:
        kept = op_words
    last_segment = path.rstrip("/").rsplit("/", 1)[-1]
    collection = (
        http_method == "get"
        and kept[:1] == ["get"]
        and not last_segment.startswith("{")
        and bool(op_words)
        and words(last_segment)[-1:] == op_words[-1:]
        and singular(op_words[-1]) != op_words[-1]
    )
    if collection:
        kept = ["list", *kept[1:]]
    return safe_snake("_".join(kept), fallback="call")


def _without_noun(op_words: list[str], noun: list[str]) -> list[str]:
    """Removes the first run of words that spells the noun, in singular or plural."""
    forms = {tuple(noun), (*noun[:-1], singular(noun[-1]))}
    size = len(noun)
    for start in range(len(op_words) - size + 1):
        window = tuple(op_words[start : start + size])
        if window in forms or (*window[:-1], singular(window[-1])) in forms:
            return op_words[:start] + op_words[start + size :]
    return op_words


def qualify(annotation: str, names: tuple[str, ...], prefix: str) -> str:
    """Spells each of `names` in an annotation through a namespace: `list[Customer]` → `list[models.Customer]`."""
    if not names:
        return annotation
    pattern = r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b"
    return re.sub(pattern, prefix + r"\1", annotation)


_Natural = tuple[tuple[str, tuple[int, int, str]], ...]


def _natural(text: str) -> _Natural:
    """Natural order as ruff's isort has it (strnatcmp's): `a9` before `a10`, digit runs comparing as
    numbers, but a run with a leading zero compares digit by digit from the left, as a fraction would
    (`_03380406` before `_05` before `_1` before `_636`)."""
    return tuple((part, _digit_run(digits)) for part, digits in re.findall(r"(\D*)(\d*)", text))


def _digit_run(digits: str) -> tuple[int, int, str]:
    if not digits:
        return (-1, 0, "")
    if digits.startswith("0"):
        return (0, 0, digits)
    return (1, len(digits), digits)


def _member_kind(name: str) -> int:
    """isort's order by type: CONSTANTS, then Classes, then the rest."""
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


def module_order(name: str) -> tuple[_Natural, _Natural]:
    """The order of import statements by module, as ruff's isort sorts them (natural, case folded)."""
    return _natural(name.lower()), _natural(name)


def member_order(name: str) -> tuple[int, _Natural, _Natural]:
    """The order of the names one from-import brings in, as ruff's isort sorts them."""
    return _member_kind(name), _natural(name.lower()), _natural(name)


def dunder_all_order(name: str) -> tuple[int, _Natural]:
    """The order ruff wants `__all__` in (RUF022): by type, then natural and case-sensitive."""
    return _member_kind(name), _natural(name)
