"""Document text never brings ASCII look-alikes into code: literals are ASCII escapes, prose is made ASCII."""

from __future__ import annotations

import ast

import pytest

from generator.text.literals import ascii_look_alikes, py_literal


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
        "x\u00b8y",
        "\u043e",
    ],
)
def test_literals_keep_the_value_in_plain_ascii_source(value: str) -> None:
    """Every character beyond ASCII is an escape: ruff knows thousands that read as others (a cedilla
    for a comma, a Cyrillic o for a Latin one), and no rule of ours could list them all."""
    literal = py_literal(value)
    assert ast.literal_eval(literal) == value
    assert literal.isascii(), literal


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
