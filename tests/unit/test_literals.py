"""Document values become Python literals that mean the same value and that black leaves as they are."""

from __future__ import annotations

import tomllib

import black
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.text.literals import py_literal, toml_string

MODE = black.Mode(line_length=120)


@settings(max_examples=300, derandomize=True)
@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none()))
def test_a_literal_means_its_value_and_is_already_black_formatted(value: str | int | float | bool | None) -> None:
    literal = py_literal(value)
    meant = eval(literal)
    assert meant == value or (meant != meant and value != value)  # NaN is the one value unequal to itself
    line = f"x = {literal}\n"
    both_quotes = isinstance(value, str) and "'" in value and '"' in value
    if not both_quotes:  # with both, black weighs escapes; its rewrite is still right, only slower
        assert black.format_str(line, mode=MODE) == line


def test_strings_take_double_quotes_unless_they_hold_one() -> None:
    assert py_literal("it's") == '"it\'s"'
    assert py_literal('say "hi"') == "'say \"hi\"'"
    assert py_literal("a\\b\n") == '"a\\\\b\\n"'


@settings(max_examples=300, derandomize=True)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))) | st.just("beyond the BMP \U000f1883"))
def test_a_toml_string_reads_back_as_the_value(value: str) -> None:
    """tomllib (the standard library's TOML reader) reads it back: JSON's surrogate-pair escapes would not."""
    written = toml_string(value)
    assert written.isascii()
    assert tomllib.loads(f"key = {written}")["key"] == value
