"""Document text never brings ASCII look-alikes into code: escaped in literals, made ASCII in prose."""

from __future__ import annotations

import ast

import pytest

from generator.literals import ascii_look_alikes, py_literal


@pytest.mark.parametrize(
    "value",
    [
        "a\u2002b",
        "en \u2013 dash",
        "full\uff0cwidth",
        "\u2139nfo",
        "caf\u00e9",
        "\u041f\u0440\u0438\u0432\u0435\u0442",
        "\U0001f600",
    ],
)
def test_literals_keep_the_value_and_escape_only_look_alikes(value: str) -> None:
    literal = py_literal(value)
    assert ast.literal_eval(literal) == value
    assert all(ascii_look_alikes(ch) == ch for ch in literal), literal


@pytest.mark.parametrize(
    ("prose", "plain"),
    [
        ("\u201cquoted\u201d and it\u2019s", '"quoted" and it\'s'),
        ("a\u00a0b\u2002c\u3000d", "a b c d"),
        ("x \u2212 y \u00d7 z \u2014 w", "x - y x z - w"),
        ("\uff21\uff22\uff0c \ufb01ne", "AB, fine"),
        ("na\u00efve caf\u00e9 \u00bd", "na\u00efve caf\u00e9 \u00bd"),
    ],
)
def test_prose_turns_look_alikes_into_their_ascii_twin(prose: str, plain: str) -> None:
    assert ascii_look_alikes(prose) == plain
