"""Every row of the OpenAPI specification's style table (3.1.1, "Style Examples"), in every location that
takes the style, through the SDK's own parameter writer.

The table's parameter is `color`, as a string `"blue"`, an array `["blue", "black", "brown"]` and an object
`{"R": 100, "G": 200, "B": 150}`. Its first value column (called "undefined" since 3.1.1, "empty" before)
shows what RFC 6570 writes for an empty string, which is what it is here (but for an empty path
segment, which the SDK refuses); a None is a parameter not sent.
"""

from __future__ import annotations

from typing import Any

import pytest
from codat_accounting._params import (
    Location,
    Parameter,
    Style,
    cookie_value,
    header_value,
    path_segment,
    query_pairs,
)

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}
NA = None
COLUMNS = ("empty", "string", "array", "object")

# style, explode, then the table's four columns: empty string, string, array, object (None: n/a).
TABLE: list[tuple[Style, bool, str | None, str | None, str | None, str | None]] = [
    ("matrix", False, ";color", ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("matrix", True, ";color", ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("label", False, ".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True, ".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False, "", "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, "", "blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("form", False, "color=", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True, "color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("spaceDelimited", False, NA, NA, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, NA, NA, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", True, NA, NA, NA, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]
# Where each style is written: the path's, the query's, the headers' and the cookies' own.
LOCATIONS: dict[Style, tuple[Location, ...]] = {
    "matrix": ("path",),
    "label": ("path",),
    "simple": ("path", "header"),
    "form": ("query", "cookie"),
    "spaceDelimited": ("query",),
    "pipeDelimited": ("query",),
    "deepObject": ("query",),
}
CASES = [
    pytest.param(location, style, explode, value, expected, id=f"{location}-{style}-explode={explode}-{kind}")
    for style, explode, *columns in TABLE
    for location in LOCATIONS[style]
    for kind, value, expected in zip(COLUMNS, ("", STRING, ARRAY, OBJECT), columns, strict=True)
    if expected is not None
]


def written(location: Location, style: Style, explode: bool, value: Any) -> str:
    """The parameter as the request carries it: a path segment, the query's pieces joined as the query
    string joins them, a header's value, or the parameter's part of the Cookie header."""
    param = Parameter("color", "color", location, value, Any, style=style, explode=explode)
    if location == "path":
        return path_segment(param, value)
    if location == "query":
        return "&".join(query_pairs(param, value))
    if location == "header":
        return header_value(param, value)
    return cookie_value(param, value)


@pytest.mark.parametrize(("location", "style", "explode", "value", "expected"), CASES)
def test_each_row_of_the_style_table(
    location: Location, style: Style, explode: bool, value: Any, expected: str
) -> None:
    if location == "path" and expected == "":
        # An empty segment would address another resource (`/customers/` for `/customers/{id}`): refused.
        with pytest.raises(ValueError, match="a path parameter cannot be empty"):
            written(location, style, explode, value)
    else:
        assert written(location, style, explode, value) == expected


def test_every_row_and_location_is_covered() -> None:
    """Each of the 11 rows, in each location that takes its style, for each value it defines."""
    assert len(CASES) == 4 * 4 + 2 * 4 * 2 + 2 * 4 * 2 + 2 + 2 + 1


@pytest.mark.parametrize(
    ("value", "query", "path"),
    [
        ("a b", "q=a%20b", "a%20b"),
        ("a+b&c=d", "q=a%2Bb%26c%3Dd", "a%2Bb%26c%3Dd"),
        ("x/y?z#w", "q=x%2Fy%3Fz%23w", "x%2Fy%3Fz%23w"),
        ("ünï", "q=%C3%BCn%C3%AF", "%C3%BCn%C3%AF"),
        ("-._~", "q=-._~", "-._~"),
        ("[1]|%", "q=%5B1%5D%7C%25", "%5B1%5D%7C%25"),
    ],
)
def test_values_are_percent_encoded_as_rfc_3986_says(value: str, query: str, path: str) -> None:
    """Everything but the unreserved characters is escaped; a space is `%20`, never `+`."""
    assert written("query", "form", True, {"q": value}) == query
    assert written("path", "simple", False, value) == path


def test_allow_reserved_lets_reserved_characters_through_in_the_query() -> None:
    param = Parameter("path", "path", "query", None, Any, allow_reserved=True)
    assert query_pairs(param, "/a/b:c,d") == ["path=/a/b:c,d"]
    assert query_pairs(param, "a b") == ["path=a%20b"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, "flag=true"), (False, "flag=false"), (3, "flag=3"), (2.5, "flag=2.5"), ([], "")],
)
def test_scalars_are_written_as_json_writes_them_and_an_empty_array_is_left_out(value: Any, expected: str) -> None:
    param = Parameter("flag", "flag", "query", value, Any)
    assert "&".join(query_pairs(param, value)) == expected


def test_dot_segments_are_escaped_in_the_path() -> None:
    """`..` as a whole segment would be resolved by the server or a proxy into the parent resource."""
    assert written("path", "simple", False, "..") == "%2E%2E"
    assert written("path", "simple", False, ".") == "%2E"
    assert written("path", "simple", False, "a.b") == "a.b"


def test_headers_are_not_percent_encoded() -> None:
    """OpenAPI's appendix D: percent-encoding does not belong in a header's value."""
    assert written("header", "simple", False, "a b/c") == "a b/c"
    assert written("header", "simple", True, {"k": "v w"}) == "k=v w"
