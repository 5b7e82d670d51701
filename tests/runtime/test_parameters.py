"""Path, query, header and cookie arguments: their checks and their wire text."""

from __future__ import annotations

import re

import pytest

from generator.runtime._runtime.parameters import Issue, ParamRule, collect, path_segment, to_text
from generator.runtime.errors import RequestValidationError


def keywords(rule: ParamRule, value: object) -> list[str]:
    return [issue.keyword for issue in rule.issues(value)]


@pytest.mark.parametrize(
    ("value", "text"), [(True, "true"), (False, "false"), (3, "3"), (2.0, "2"), (2.5, "2.5"), ("a b", "a b")]
)
def test_wire_text_of_scalars(value: object, text: str) -> None:
    assert to_text(value) == text


def test_path_parameters_are_percent_encoded() -> None:
    rule = ParamRule(name="id", location="path", types=("string",))
    assert path_segment(rule, "a/b c?d#e%") == "a%2Fb%20c%3Fd%23e%25"
    assert path_segment(ParamRule(name="n", location="path"), True) == "true"


def test_an_empty_path_parameter_is_refused() -> None:
    with pytest.raises(RequestValidationError) as caught:
        path_segment(ParamRule(name="id", location="path"), "")
    assert [issue.keyword for issue in caught.value.issues] == ["minLength"]
    assert caught.value.target == "path parameter 'id'"


@pytest.mark.parametrize(
    ("types", "value", "ok"),
    [
        (("integer",), 3, True),
        (("integer",), 3.0, True),
        (("integer",), 3.5, False),
        (("integer",), True, False),  # JSON Schema: a boolean is no number
        (("number",), False, False),
        (("number",), 2.5, True),
        (("boolean",), True, True),
        (("array",), ("a",), True),
        (("object",), {"a": 1}, True),
        (("string", "integer"), 4, True),
        (("string",), 4, False),
    ],
)
def test_types(types: tuple[str, ...], value: object, ok: bool) -> None:
    assert (keywords(ParamRule(name="p", location="query", types=types), value) == []) is ok


def test_every_broken_rule_is_reported() -> None:
    rule = ParamRule(name="a/b~c", location="query", pattern=re.compile("^x"), pattern_text="^x", max_length=2,
                     enum=("xy", "xyz"))  # fmt: skip
    issues = rule.issues("abc")
    assert [issue.keyword for issue in issues] == ["enum", "pattern", "maxLength"]
    assert {issue.pointer for issue in issues} == {"/a~1b~0c"}
    assert "the pattern ^x" in issues[1].message


def test_a_wrong_type_is_the_only_issue() -> None:
    rule = ParamRule(name="n", location="query", types=("integer",), minimum=1)
    assert keywords(rule, "0") == ["type"]


def test_bounds() -> None:
    rule = ParamRule(name="n", location="query", minimum=1, maximum=10, min_length=2)
    assert keywords(rule, 0) == ["minimum"]
    assert keywords(rule, 11) == ["maximum"]
    assert keywords(rule, 5) == []
    assert keywords(rule, "a") == ["minLength"]
    assert keywords(rule, True) == []  # bounds apply to numbers, and a boolean is none


def test_check_raises_with_every_issue() -> None:
    rule = ParamRule(name="sort", location="query", enum=("asc", "desc"), max_length=3)
    rule.check("asc")
    with pytest.raises(RequestValidationError) as caught:
        rule.check("upwards")
    assert [issue.keyword for issue in caught.value.issues] == ["enum", "maxLength"]
    assert all(isinstance(issue, Issue) for issue in caught.value.issues)
    assert "query parameter 'sort' is invalid (2 issues)" in str(caught.value)


def test_collect_lays_out_lists_and_leaves_out_none() -> None:
    tags = ParamRule(name="tags", location="query")
    ids = ParamRule(name="ids", location="query", explode=False)
    header = ParamRule(name="X-Ids", location="header")
    assert collect([(tags, ["a", "b"]), (ids, [1, 2]), (header, (True, 3)), (tags, None), (ids, 7)]) == [
        ("tags", "a"),
        ("tags", "b"),
        ("ids", "1,2"),
        ("X-Ids", "true,3"),
        ("ids", "7"),
    ]


def test_collect_checks_every_value() -> None:
    with pytest.raises(RequestValidationError):
        collect([(ParamRule(name="limit", location="query", types=("integer",)), "ten")])
