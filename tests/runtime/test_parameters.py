"""Path, query, header and cookie arguments, and server variables: handed to their compiled
check as JSON data, every issue located, then put in wire form."""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from typing import Any

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
