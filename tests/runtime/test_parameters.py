"""Path, query, header and cookie arguments, and server variables: handed to their compiled
check as JSON data, every issue located, then put in wire form."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

import pytest

from generator.runtime._runtime.checks import Issue
from generator.runtime._runtime.config import PackageConfig
from generator.runtime._runtime.parameters import (
    ParamEncoding,
    check_parameters,
    check_server_variables,
    collect,
    given,
    path_segment,
    query_pair,
    query_string,
    query_value,
    to_text,
)
from generator.runtime.errors import RequestValidationError

CONFIG = PackageConfig(
    name="pkg",
    user_agent="pkg/1",
    api_key_env="PKG_API_KEY",
    base_url_env="PKG_BASE_URL",
    server_url=None,
    schemes={},
    secret_headers=frozenset(),
    secret_query=frozenset(),
)


class Kind(enum.StrEnum):
    CIRCLE = "circle"


class Size(enum.Enum):
    SMALL = 1


class Recording:
    """A stand-in for a compiled check: records what it is given, returns the issues it is told to."""

    def __init__(self, *issues: Issue) -> None:
        self.issues = list(issues)
        self.seen: list[object] = []

    def __call__(self, data: Any) -> list[Issue]:
        self.seen.append(data)
        return self.issues


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "true"), (False, "false"), (3, "3"), (2.0, "2"), (2.5, "2.5"), ("a b", "a b"), (Kind.CIRCLE, "circle")],
)
def test_wire_text_of_scalars(value: object, text: str) -> None:
    assert to_text(value) == text


def test_path_parameters_are_percent_encoded() -> None:
    assert path_segment("a/b c?d#e%") == "a%2Fb%20c%3Fd%23e%25"
    assert path_segment(True) == "true"
    assert path_segment(["a,b", "c d"]) == "a%2Cb,c%20d"  # style=simple: the separating commas stay


def test_collect_lays_out_lists_and_leaves_out_none() -> None:
    tags = ParamEncoding(name="tags", location="query")
    ids = ParamEncoding(name="ids", location="query", explode=False)
    header = ParamEncoding(name="X-Ids", location="header")
    assert collect([(tags, ["a", "b"]), (ids, [1, 2]), (header, (True, 3)), (tags, None), (ids, 7)]) == [
        ("tags", "a"),
        ("tags", "b"),
        ("ids", "1,2"),
        ("X-Ids", "true,3"),
        ("ids", "7"),
    ]


def test_the_checks_see_json_data_without_the_arguments_not_given() -> None:
    assert given({"a": None, "b": (1, Kind.CIRCLE), "c": {"d": Size.SMALL}, "e": False}) == {
        "b": [1, "circle"],
        "c": {"d": 1},
        "e": False,
    }
    query, path = Recording(), Recording()
    check_parameters(CONFIG, "op", path=(path, {"id": "x"}), query=(query, {"limit": None, "kind": [Kind.CIRCLE]}))
    assert path.seen == [{"id": "x"}] and query.seen == [{"kind": ["circle"]}]


def test_every_issue_of_every_location_is_raised_with_its_location() -> None:
    path = Recording(Issue("/id", "pattern", "must match the pattern ^x"))
    query = Recording(Issue("/kind/0", "enum", 'must be one of "circle"'), Issue("", "required", "missing 'q'"))
    with pytest.raises(RequestValidationError) as caught:
        check_parameters(CONFIG, "list_shapes", path=(path, {"id": "y"}), query=(query, {"kind": ["triangle"]}))
    error = caught.value
    assert [(i.pointer, i.keyword, getattr(i, "location", None)) for i in error.issues] == [
        ("/id", "pattern", "path"),
        ("/kind/0", "enum", "query"),
        ("", "required", "query"),
    ]
    assert str(error) == (
        "call to list_shapes() is invalid (3 issues):\n"
        "  /id (path parameter): must match the pattern ^x [pattern]\n"
        '  /kind/0 (query parameter): must be one of "circle" [enum]\n'
        "  (query parameters): missing 'q' [required]"
    )


def test_warnings_are_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    header = Recording(Issue("/X-Trace", "x-rules/short", "should be short", "warning"))
    with caplog.at_level(logging.WARNING, logger="pkg"):
        check_parameters(CONFIG, "op", header=(header, {"X-Trace": "long"}))
    assert "call to op(): /X-Trace (header): should be short [x-rules/short]" in caplog.text


def test_server_variables_are_checked_and_handed_on() -> None:
    values: Mapping[str, str] = {"region": "eu"}
    assert check_server_variables(CONFIG, Recording(), values) is values
    refusing = Recording(Issue("/region", "enum", 'must be one of "eu", "us"'))
    with pytest.raises(RequestValidationError) as caught:
        check_server_variables(CONFIG, refusing, {"region": "mars"})
    assert str(caught.value) == (
        'server URL is invalid (1 issue):\n  /region (server variable): must be one of "eu", "us" [enum]'
    )
    assert caught.value.target == "server URL"


# The examples table of the OpenAPI specification (3.1.1, "Style Examples"; percent-encoded as
# RFC 3986 requires): the parameter `color` as a string, a list and an object, every style.
BLUE = "blue"
COLORS = ["blue", "black", "brown"]
RGB = {"R": 100, "G": 200, "B": 150}

PATH_TABLE = [
    ("matrix", False, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("matrix", True, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("label", False, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, "blue", "blue,black,brown", "R=100,G=200,B=150"),
]
QUERY_TABLE = [
    ("form", False, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("spaceDelimited", False, None, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, None, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", True, None, None, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]


def query(encoding: ParamEncoding, value: object) -> str:
    return query_string(collect([(encoding, value)]))


@pytest.mark.parametrize(("style", "explode", "string", "array", "object_"), PATH_TABLE)
def test_path_styles_follow_the_examples_table(
    style: str, explode: bool, string: str, array: str, object_: str
) -> None:
    encoding = ParamEncoding(name="color", location="path", style=style, explode=explode)
    assert path_segment(BLUE, encoding) == string
    assert path_segment(COLORS, encoding) == array
    assert path_segment(RGB, encoding) == object_


@pytest.mark.parametrize(("style", "explode", "string", "array", "object_"), QUERY_TABLE)
def test_query_styles_follow_the_examples_table(
    style: str, explode: bool, string: str | None, array: str | None, object_: str
) -> None:
    encoding = ParamEncoding(name="color", location="query", style=style, explode=explode)
    if string is not None:
        assert query(encoding, BLUE) == string
    if array is not None:
        assert query(encoding, COLORS) == array
    assert query(encoding, RGB) == object_


@pytest.mark.parametrize(
    ("explode", "string", "array", "object_"), [row[1:] for row in PATH_TABLE if row[0] == "simple"]
)
def test_header_simple_follows_the_examples_table(explode: bool, string: str, array: str, object_: str) -> None:
    encoding = ParamEncoding(name="X-Color", location="header", explode=explode)
    assert collect([(encoding, BLUE), (encoding, COLORS), (encoding, RGB)]) == [
        ("X-Color", string),
        ("X-Color", array),
        ("X-Color", object_),
    ]


def test_cookie_form_sends_exploded_values_as_cookies_of_their_own() -> None:
    plain = ParamEncoding(name="color", location="cookie", explode=False)
    exploded = ParamEncoding(name="color", location="cookie")
    assert collect([(plain, BLUE), (plain, COLORS), (plain, RGB)]) == [
        ("color", "blue"),
        ("color", "blue,black,brown"),
        ("color", "R,100,G,200,B,150"),
    ]
    assert collect([(exploded, COLORS), (exploded, RGB)]) == [
        ("color", "blue"),
        ("color", "black"),
        ("color", "brown"),
        ("R", "100"),
        ("G", "200"),
        ("B", "150"),
    ]
    # form is percent-encoded (a `;` would end the cookie); OpenAPI 3.2's `cookie` style is not
    assert collect([(plain, "a b;c")]) == [("color", "a%20b%3Bc")]
    assert collect([(ParamEncoding(name="c", location="cookie", style="cookie"), "a=b")]) == [("c", "a=b")]


def test_empty_values() -> None:
    """The empty string is a value (`;color`, `.`, `color=`); an empty list or object, like null,
    is undefined in RFC 6570: nothing is sent."""
    matrix = ParamEncoding(name="color", location="path", style="matrix", explode=False)
    label = ParamEncoding(name="color", location="path", style="label", explode=False)
    assert (path_segment("", matrix), path_segment("", label)) == (";color", ".")
    assert path_segment([], label) == path_segment({}, matrix) == ""
    form = ParamEncoding(name="color", location="query", explode=False)
    assert query(form, "") == "color="
    assert collect([(form, []), (form, {}), (ParamEncoding(name="color", location="query"), [])]) == []
    assert query(form, ["a", None, "b"]) == "color=a,b"
    assert query(ParamEncoding(name="o", location="query"), {"a": None, "b": 1}) == "b=1"


def test_delimiters_stay_apart_from_the_same_characters_in_values() -> None:
    form = ParamEncoding(name="tags", location="query", explode=False)
    assert query(form, ["a,b", "c d", "e&f=g+h"]) == "tags=a%2Cb,c+d,e%26f%3Dg%2Bh"
    pipes = ParamEncoding(name="p", location="query", style="pipeDelimited", explode=False)
    assert query(pipes, ["a|b", "c"]) == "p=a%7Cb%7Cc"  # the one ambiguity the style itself has
    label = ParamEncoding(name="id", location="path", style="label", explode=True)
    assert path_segment(["a.b", "c/d e"], label) == ".a.b.c%2Fd%20e"
    assert path_segment("a b", ParamEncoding(name="id", location="path", style="label", explode=False)) == ".a%20b"
    assert path_segment({"k y": "v,w"}) == "k%20y,v%2Cw"
    deep = ParamEncoding(name="filter", location="query", style="deepObject")
    assert query(deep, {"a b": "c&d", "n": {"x": True}, "tags": ["p", "q"]}) == (
        "filter%5Ba+b%5D=c%26d&filter%5Bn%5D%5Bx%5D=true&filter%5Btags%5D=p&filter%5Btags%5D=q"
    )


def test_allow_reserved_keeps_the_reserved_characters_a_query_may_carry() -> None:
    reserved = ParamEncoding(name="next", location="query", allow_reserved=True)
    assert query(reserved, "https://x.test/a?b=c,d;e@f!$'()*") == "next=https://x.test/a?b%3Dc,d;e@f!$'()*"
    # `[`, `]`, `#` are not allowed in a query; `&`, `=`, `+` are form syntax; a percent-encoded
    # triple passes as it is, a lone `%` and a space are encoded
    assert query(reserved, "[a]#b&c=d+e %41 100%") == "next=%5Ba%5D%23b%26c%3Dd%2Be%20%41%20100%25"
    assert query(ParamEncoding(name="next", location="query"), "a/b:c") == "next=a%2Fb%3Ac"


def test_content_parameters_are_sent_as_their_media_type() -> None:
    value = {"minArea": 1, "kinds": ["x"], "name": "é ü"}
    json_query = ParamEncoding(name="filter", location="query", media_type="application/json")
    text = '{"minArea":1,"kinds":["x"],"name":"é ü"}'
    assert collect([(json_query, value)]) == [("filter", quote_plus(text, safe=""))]
    assert query_value(collect([(json_query, value)]), "filter") == text
    vendor = ParamEncoding(name="X-Filter", location="header", media_type="application/vnd.api+json")
    assert collect([(vendor, {"a": [1, 2.5]})]) == [("X-Filter", '{"a":[1,2.5]}')]
    path = ParamEncoding(name="q", location="path", media_type="application/json")
    assert path_segment({"a": "b/c"}, path) == "%7B%22a%22%3A%22b%2Fc%22%7D"
    plain = ParamEncoding(name="token", location="cookie", media_type="text/plain")
    assert collect([(plain, "a b")]) == [("token", "a b")]


def test_query_pairs_of_plain_names_and_values() -> None:
    assert query_pair("api key", "a+b/c") == ("api+key", "a%2Bb%2Fc")
    assert query_value([query_pair("cursor", "x=/+ y")], "cursor") == "x=/+ y"
    assert query_value([("a", "1")], "b") is None
