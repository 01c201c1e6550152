"""black shown only the lines it could change (black_lines) gives black's own bytes: on our SDKs, on code
written to trip each of its rules, and on our output mutated at random; and it does leave most of a large
module out of black's sight, which is what it is for."""

from __future__ import annotations

import random
import re
from pathlib import Path

import black
import pytest

from generator import LINE_LENGTH
from generator.output import black_lines
from generator.output.black_lines import black_module
from generator.output.render import render_api
from generator.pipeline import checked_api
from tests.conftest import SPEC

MODE = black.Mode(line_length=LINE_LENGTH, target_versions={black.mode.TargetVersion.PY310})
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "specs"

# Settled lines around each case, so that the shortcut is taken (and not black on the whole module).
_AROUND = '''"""A module."""

from __future__ import annotations

import os


class Client:
    """A client."""

    def __init__(self, client: object) -> None:
        self._client = client

    def call(
        self,
        *,
        name: str,
        retries: int | None = None,
    ) -> dict[str, object]:
        """Calls.

        Args:
            name: The name.
        """
        options = dict(
            method="GET",
            path="/a/{b}",
            name=name,
        )
        return options
'''

CASES = {
    "quotes": 'x = \'a\'\ny = \'say "hi"\'\nz = u"x"\nw = F"{x}"\nv = "a\\tb"\nh = "\\xAB"\nr = R"x"\n',
    "numbers": "a = 1E5\nb = 0XFF\nc = 1e+5\nd = 0xabc\ne = 1J\nf = .5\ng = 5.\nh = 1_000\ni = 1.5e-05\n",
    "parentheses": (
        "def f(x, y, a, b, g):\n    return (x)\n\n\nx = (1)\nfor (i) in (y):\n    pass\nprint((a))\ndel (a, b)\n"
        "assert (x)\nif (a):\n    pass\nwhile (b):\n    break\nwith (open(f)) as g:\n    pass\n"
        "def h() -> (int):\n    pass\n"
    ),
    "spacing": (
        "x  =  1\nf( a )\na = b [0]\nf(a , b)\nx = -  1\nx = a**-b\ny = f(x) ** 2\ny = f(x)**2\nprint(* args)\n"
        "g = lambda x :x\nc = a[1 : 2]\nd = a[x+1 :]\ne = not(x)\nclass A():\n    pass\n"
    ),
    "magic commas": (
        'f(a,)\nt = (1,)\nx = [1,]\nu = Tuple[int,]\nfoo(\n    a,\n)\ny = (\n    1,\n)\nd = {\n    "a": 1,\n}\n'
        "s = {\n    1,\n}\nz = foo(\n    a\n)\nk = Bar[\n    int,\n]\nreturn_value = (\n    a,\n    b,\n)\n"
    ),
    "long lines": (
        "def " + "n" * 115 + "(\n    self,\n    a: int,\n) -> None:\n    pass\n\n\n"
        "def g(\n    self,\n    annotated: " + " | ".join(f"models.LongModelName{i}" for i in range(8)) + ",\n"
        "    b: int = 1,\n) -> dict[str, str]:\n    pass\n\n\n"
        'options = Request(\n    method="GET",\n    json=json_body('
        + ", ".join(f"argument_number_{i}" for i in range(9))
        + '),\n    params=(\n        Parameter("a", "b", "query", a, list[models.SomeVeryLongModelNameForSelect] | '
        "None, explode=False),\n    ),\n    extra=extra,\n    **more,\n)\n"
        "errors = {\n    400: (APIStatusError, models.ErrorModelWithALongName(error=models.InnerErrorModel("
        'code="string", message="string"))),\n    **others,\n    "x": 1,\n}\n'
        'result = api.call("' + "r" * 90 + '", **arguments)\n'
        'Typed = TypedDict(\n    "Typed",\n    {\n        "a": \'float | Literal["-INF", "INF"]\',\n        "b": '
        + '"'
        + "b" * 130
        + '"'
        + ",\n    },\n    total=False,\n)\n"
        "if True:\n    frozen = frozenset(\n        {" + ", ".join(f'"field_{i}"' for i in range(12)) + "}\n    )\n"
    ),
    "docstrings": (
        'def a():\n    """Trailing spaces.   \n\n    More.   \n    """\n\n\n'
        'def b():\n    """Indented wrong.\n\n      More.\n    """\n\n\n'
        'def c():\n    """ Starts with a space."""\n\n\n'
        'def d():\n    """Ends with a quote\\""""\n\n\n'
        'def e():\n    """A backslash \\ here."""\n\n\n'
        'def f():\n    """Long last line.\n\n    ' + "w" * 116 + '"""\n\n\n'
        'def g():\n    """' + "s" * 130 + '"""\n\n\n'
        "def h():\n    '''Single quotes.'''\n\n\n"
        'def i():\n    r"""Raw."""\n\n\n'
        'class J:\n\n    """After a blank line."""\n\n\n\n    x = 1\n'
        'def k():\n    "Not triple."\n\n\n'
        'def l():\n    """\n    Starts on its own line.\n    """\n'
    ),
    "blank lines": (
        "import sys\nx = 1\n\n\n\n\ndef a():\n\n    return 1\ndef b():\n    pass\nclass C:\n    def m(self):\n"
        "        pass\n    def n(self):\n        pass\n\n\n\n    y = 2\n\n\n@overload\ndef o(x: int) -> int: ...\n"
        "@overload\ndef o(x: str) -> str: ...\ndef o(x):\n    return x\nif TYPE_CHECKING:\n    import os\n"
        "    from a import (\n        b,\n        c,\n    )\n    z = 3\n"
    ),
    "one-line compounds": (
        "if x: y = 1\nclass A: pass\ndef f(): ...\ntry: x = 1\nexcept Exception: pass\nelse: pass\n"
        "for i in x: pass\nwhile x: break\nwith a: pass\n"
    ),
    "comments": (
        "#comment\nx = 1 # trailing\ny = [\n    1,  # inside\n    2,\n]\n# type: ignore\nz = f(a)  # type: ignore\n"
        "def f():\n    #: a note\n    return 1\n"
    ),
    "statements": (
        "x = 1; y = 2\nz = 1 + \\\n    2\nif (n := len(a)) > 10:\n    pass\nmatch = 1\ntype = 2\n"
        "async def g():\n    async for a in b:\n        pass\n    async with c as d:\n        pass\n"
        "    await f()\n    return await g(\n        a,\n    )\n"
        'def h():\n    global q\n    q = yield\n    raise ValueError(\n        "a",\n    )\n'
    ),
    "wide characters": ('x = "' + "中" * 58 + '"\ny = f(\n    "' + "文" * 60 + '",\n)\n'),
    "a name like a placeholder": "_q_1 = 2\nx = _q_1\n",
}


def whole(code: str) -> str:
    return str(black.format_str(code, mode=MODE))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_rule_gives_black_s_own_answer(name: str) -> None:
    code = _AROUND + "\n\n" + CASES[name]
    assert black_module(code, MODE) == whole(code)


def test_the_cases_take_the_shortcut_where_they_can() -> None:
    """Not vacuous: the shortcut runs (a skeleton with placeholders) on every case it can read."""
    taken = []
    for name, case in sorted(CASES.items()):
        try:
            skeleton = black_lines._Skeleton(_AROUND + "\n\n" + case)
        except black_lines.Unsettled:
            continue
        assert skeleton.settled, name
        taken.append(name)
    assert len(taken) >= len(CASES) - 3  # a tab, a backslash or a placeholder's name sends the rest whole


@pytest.mark.parametrize(
    "code",
    ["x = 1\n\tdef (:\n", "def f(:\n    pass\n" + _AROUND, _AROUND + "x = (\n", _AROUND + "return )\n"],
    ids=["tab", "bad def", "unclosed", "unopened"],
)
def test_code_black_cannot_read_fails_as_black_fails(code: str) -> None:
    with pytest.raises(black.parsing.InvalidInput) as ours:
        black_module(code, MODE)
    with pytest.raises(black.parsing.InvalidInput) as blacks:
        whole(code)
    assert str(ours.value) == str(blacks.value)


def _rendered(spec: Path, tags: tuple[str, ...] | None) -> dict[str, str]:
    api, _ = checked_api(spec, tags, "sdk")
    return {path: text for path, text in render_api(api).items() if path.endswith(".py")}


@pytest.fixture(scope="module")
def accounting() -> dict[str, str]:
    return _rendered(SHARED / "codat-accounting.json", None)


@pytest.mark.parametrize(
    "spec, tags",
    [(SPEC, ("Customers",)), (SHARED / "codat" / "Codat-Platform.json", None)],
    ids=["customers", "platform"],
)
def test_our_sdks_format_as_black_formats_them(spec: Path, tags: tuple[str, ...] | None) -> None:
    files = _rendered(spec, tags)
    assert [p for p, code in sorted(files.items()) if black_module(code, MODE) != whole(code)] == []


def test_accounting_formats_as_black_formats_it_and_black_sees_a_third(accounting: dict[str, str]) -> None:
    large = {path: code for path, code in accounting.items() if len(code) > 20_000}
    assert len(large) > 20
    assert [p for p, code in sorted(large.items()) if black_module(code, MODE) != whole(code)] == []
    shown = sum(len(black_lines._Skeleton(code).text) for code in large.values())
    assert shown < sum(map(len, large.values())) / 3


def test_an_item_black_split_is_reused_where_it_comes_back(accounting: dict[str, str]) -> None:
    black_lines._ITEMS.clear()
    tests = sorted(code for path, code in accounting.items() if path.startswith("tests/test_"))[:6]
    assert [black_module(code, MODE) == whole(code) for code in tests] == [True] * len(tests)
    assert black_lines._ITEMS  # kept: the next module with the same item leaves it out of black's sight
    again = tests[0]
    skeleton = black_lines._Skeleton(again)
    assert not any(key is not None for _, _, key in skeleton.settled)  # every split item was known
    assert black_module(again, MODE) == whole(again)


_MUTATIONS = (
    lambda line, rng: line.replace(" = ", " =  ", 1),
    lambda line, rng: line.replace('"', "'", 2),
    lambda line, rng: line.replace(",", "", 1) if line.endswith(",") else line + ",",
    lambda line, rng: re.sub(r"\b([a-z_]{3,})\b", lambda m: m.group(1) * 12, line, count=1),
    lambda line, rng: line + "   ",
    lambda line, rng: "  " + line if line.strip() else line,
    lambda line, rng: line + "\n",
    lambda line, rng: line.replace("(", "( ", 1),
    lambda line, rng: line.replace("1", "1E5", 1),
    lambda line, rng: line + "  # note",
    lambda line, rng: re.sub(r'"([^"\\]*)"', lambda m: f'"{m.group(1)}{"x" * rng.randint(1, 60)}"', line, count=1),
    lambda line, rng: re.sub(r"\b([a-z_]{3,})\b", lambda m: m.group(1) + "_" * rng.randint(1, 50), line, count=1),
)


def test_our_output_mutated_at_random_formats_as_black_formats_it(accounting: dict[str, str]) -> None:
    """Descriptions, names and values reach the code from documents nobody here wrote: whatever the
    lines, the answer is black's (or black's error)."""
    rng = random.Random(28)
    modules = sorted(code for code in accounting.values() if 5_000 < len(code) < 60_000)
    checked = 0
    for _ in range(150):
        lines = rng.choice(modules).split("\n")
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(lines))
            lines[at] = rng.choice(_MUTATIONS)(lines[at], rng)
        code = "\n".join(lines)
        try:
            expected = whole(code)
        except black.parsing.InvalidInput:
            with pytest.raises(black.parsing.InvalidInput):
                black_module(code, MODE)
            continue
        assert black_module(code, MODE) == expected
        checked += 1
    assert checked > 60


def test_code_from_a_user_s_templates_is_formatted_by_black_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's templates may spell code any way; the settled lines trust ours."""
    from generator import cache
    from generator.output import formatting

    monkeypatch.setattr(cache, "_enabled", False)
    shown: list[str] = []
    monkeypatch.setattr(formatting, "black_module", lambda code, mode: shown.append(code) or whole(code))
    code = _AROUND + "\n\nx  =  1\n"
    assert formatting.format_files({"a.py": code}, ours=False) == {"a.py": whole(code).encode()}
    assert shown == []
    assert formatting.format_files({"b.py": code}) == {"b.py": whole(code).encode()}
    assert shown == [code]
