"""Words the generator and its SDKs show people: counted nouns, escapes, sentences cut whole, titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.builder.api import BuildOptions, build_api
from generator.builder.distribution import client_subject
from generator.history.diff import Change, verdict
from generator.output.write import stale_files
from generator.text.markdown import inline_markdown, plain_prose
from generator.text.naming import counted
from tests.unit.docs import as_document, minimal

# Codat Platform's own description of its one security scheme: four markdown links in two sentences.
PLATFORM_AUTH = (
    'The word "Basic" followed by a space and your API key. [API keys](https://docs.codat.io/platform-api#/schemas/'
    "ApiKeyDetails) are tokens used to control access to the API. You can get an API key via [the Codat Portal]"
    "(https://app.codat.io/developers/api-keys), via [the API](https://docs.codat.io/platform-api#/operations/"
    "list-api-keys), or [read more](https://docs.codat.io/using-the-api/authentication) about authentication at Codat."
)


def test_a_count_of_one_takes_the_singular() -> None:
    assert [counted(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert counted(1, "line differs", "lines differ") == "1 line differs"
    assert counted(3, "line differs", "lines differ") == "3 lines differ"


@pytest.mark.parametrize(
    ("category", "reason"),
    [
        ("breaking", "1 breaking change, e.g. client.things.get(): removed"),
        ("addition", "1 addition, nothing breaking"),
        ("docs", "1 documentation change only"),
    ],
)
def test_one_change_is_counted_in_the_singular(category: str, reason: str) -> None:
    change = Change(category, "client.things", "client.things.get()", "removed", None, None)  # type: ignore[arg-type]
    assert verdict([change])[1] == [reason]


def test_one_changed_line_is_counted_in_the_singular(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"one\ntwo\n")
    assert stale_files(tmp_path, {"a.txt": b"one\n"}).files == ("changed: a.txt (1 line differs)",)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("3.0.0", "3.0.0"),  # a version mid-sentence: no `\3.0.0`
        ("2024-01-01", "2024-01-01"),
        ("1. first", "1\\. first"),  # would start an ordered list at the start of a line of ours
        ("12) twelfth", "12\\) twelfth"),
        ("# not a heading", "\\# not a heading"),
        ("- not an item", "\\- not an item"),
    ],
)
def test_inline_markdown_escapes_only_what_would_start_a_block(text: str, shown: str) -> None:
    assert inline_markdown(text) == shown


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("Accounting API", "the Accounting API"),
        ("The Accounting API", "the Accounting API"),
        ("Bank Feeds API (v2)", "the Bank Feeds API (v2)"),
        ("Lending", "Lending"),
        ("Bill pay (synchronous solution)", "Bill pay (synchronous solution)"),
        ("", "the API"),
    ],
)
def test_what_a_package_is_a_client_for(title: str, subject: str) -> None:
    assert client_subject(title) == subject


def test_a_title_without_api_reads_as_a_sentence_in_the_package_and_readme() -> None:
    data = minimal()
    data["info"]["title"] = "Lending"
    api = build_api(as_document(data), BuildOptions(tags=("Things",)))
    assert api.subject == "Lending" and api.distribution.description == "Python client for Lending"


def test_a_message_keeps_whole_sentences_and_only_the_text_of_links() -> None:
    assert plain_prose(PLATFORM_AUTH, 240) == (
        'The word "Basic" followed by a space and your API key. API keys are tokens used to control access to the'
        " API. You can get an API key via the Codat Portal, via the API, or read more about authentication at Codat."
    )
    cut = plain_prose(PLATFORM_AUTH, 120)
    assert cut == (
        'The word "Basic" followed by a space and your API key. API keys are tokens used to control access to the'
        " API."
    )
    assert "[" not in plain_prose("[a link](https://example.test/" + "x" * 300 + ")", 40)
    assert plain_prose("one " * 100, 30) == "one one one one one one one ..."
    assert plain_prose("**Bold**, <b>tagged</b> and 2*3*4.\n\nA second paragraph.", 240) == "Bold, tagged and 2*3*4."


def test_the_401_hint_of_a_scheme_described_with_links_is_whole_sentences() -> None:
    data = minimal()
    data["components"]["securitySchemes"]["auth_header"]["description"] = PLATFORM_AUTH
    (scheme,) = build_api(as_document(data), BuildOptions(tags=("Things",))).schemes
    assert scheme.hint.startswith('the Authorization header: The word "Basic" followed by a space and your API key.')
    assert scheme.hint.endswith("or read more about authentication at Codat.")
    assert "](" not in scheme.hint and "[" not in scheme.hint
