"""`readOnly` and `writeOnly` members: each `required` that names one holds in one direction only.

OpenAPI's `readOnly` says the server sets a member: a request must not carry it, and a
`required` that names it holds for responses only; `writeOnly` is the other way round (a
password a response never carries). A schema's validator (JSON Schema, which knows no
direction) is wrapped here: an issue asking for such a member is dropped (`not_required`), and
a read-only member a request body carries is an issue of its own (`without_read_only`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..errors import IssueLike
from .checks import Issue

ReadOnly = tuple[tuple[tuple[str, ...], str], ...]
"""Where read-only members sit: (the keys leading to their object, `*` for any item or member; the member)."""

Validator = Callable[[Any], Sequence[IssueLike]]


def not_required(validate: Validator, members: ReadOnly) -> Validator:
    """`validate` without the issues that ask for `members` (write-only ones, in a response)."""

    def check(data: Any) -> list[IssueLike]:
        return [issue for issue in validate(data) if not _asks_for(issue, members)]

    return check


def without_read_only(validate: Validator, read_only: ReadOnly) -> Validator:
    """`validate` for a request body: read-only members refused, never required."""

    def check(data: Any) -> list[IssueLike]:
        issues = [issue for issue in validate(data) if not _asks_for(issue, read_only)]
        for pointer, member in _present(data, read_only):
            message = f"{member!r} is read-only: the server sets it, so a request leaves it out"
            issues.append(Issue(pointer, "readOnly", message))
        return issues

    return check


def _asks_for(issue: IssueLike, read_only: ReadOnly) -> bool:
    if issue.keyword != "required":
        return False
    tokens = _tokens(issue.pointer)
    return any(issue.message.endswith(repr(member)) and _matches(tokens, path) for path, member in read_only)


def _tokens(pointer: str) -> tuple[str, ...]:
    if not pointer:
        return ()
    return tuple(token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/"))


def _matches(tokens: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return len(tokens) == len(path) and all(want in ("*", token) for token, want in zip(tokens, path, strict=True))


def _present(data: Any, read_only: ReadOnly) -> Iterator[tuple[str, str]]:
    """(pointer of the object, member) for each read-only member the data carries."""
    for path, member in read_only:
        for pointer, holder in _objects(data, path, ""):
            if isinstance(holder, dict) and member in holder:
                yield pointer, member


def _objects(data: Any, path: tuple[str, ...], pointer: str) -> Iterator[tuple[str, Any]]:
    if not path:
        yield pointer, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
        for key, value in items:
            yield from _objects(value, rest, f"{pointer}/{_escape(str(key))}")
    elif isinstance(data, dict) and head in data:
        yield from _objects(data[head], rest, f"{pointer}/{_escape(head)}")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
