"""`readOnly` members of request bodies (generator/runtime/_runtime/directions.py): refused when
sent, never asked for."""

from __future__ import annotations

from typing import Any

from generator.runtime._runtime.directions import without_read_only
from generator.runtime._runtime.parameters import Issue


def validate(data: Any) -> list[Issue]:
    """A stand-in for a compiled validator that requires `id` at the top and in each item."""
    issues = []
    if isinstance(data, dict):
        if "id" not in data:
            issues.append(Issue("", "required", "missing required member 'id'"))
        for index, item in enumerate(data.get("items", [])):
            if "id" not in item:
                issues.append(Issue(f"/items/{index}", "required", "missing required member 'id'"))
        if "name" not in data:
            issues.append(Issue("", "required", "missing required member 'name'"))
    return issues


READ_ONLY = (((), "id"), (("items", "*"), "id"))


def test_a_read_only_member_is_never_required() -> None:
    check = without_read_only(validate, READ_ONLY)
    assert check({"name": "x", "items": [{}]}) == []
    (issue,) = check({"items": []})
    assert issue.message == "missing required member 'name'"  # other requirements stay


def test_a_read_only_member_sent_is_refused_where_it_is() -> None:
    check = without_read_only(validate, READ_ONLY)
    issues = check({"name": "x", "id": 1, "items": [{}, {"id": 2}]})
    assert [(issue.pointer, issue.keyword) for issue in issues] == [("", "readOnly"), ("/items/1", "readOnly")]
    assert "'id' is read-only" in issues[0].message


def test_a_write_only_member_is_not_required_in_a_response() -> None:
    from generator.runtime._runtime.directions import not_required

    check = not_required(validate, READ_ONLY)
    assert check({"name": "x", "items": [{}]}) == []
    assert check({"name": "x", "id": 1}) == []  # carried anyway: not refused in this direction
