"""Path, query, header and cookie arguments: checked against their schema, then put in wire form.

A bad argument raises `RequestValidationError` before anything is sent. Lists follow the
OpenAPI defaults: `style=form` in the query (one pair per item, or comma-separated when
`explode` is false), `style=simple` elsewhere (comma-separated).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ..errors import RequestValidationError


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with an argument, shaped like the validators' issues."""

    pointer: str
    keyword: str
    message: str
    severity: str = "error"


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (Mapping,),
}


@dataclass(frozen=True, slots=True)
class ParamRule:
    """The schema of one path, query, header or cookie parameter, checked before sending."""

    name: str
    location: str
    types: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    pattern_text: str | None = None  # the spec's ECMA-262 pattern, for messages
    enum: tuple[object, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    explode: bool = True

    def issues(self, value: object) -> list[Issue]:
        """Every way `value` breaks the schema (JSON Schema semantics: True is no integer)."""
        pointer = "/" + self.name.replace("~", "~0").replace("/", "~1")
        if self.types and not any(_is_type(value, kind) for kind in self.types):
            return [Issue(pointer, "type", f"expected {' or '.join(self.types)}, got {type(value).__name__}")]
        found: list[Issue] = []
        if self.enum is not None and value not in self.enum:
            found.append(Issue(pointer, "enum", f"must be one of {list(self.enum)!r}"))
        if isinstance(value, str):
            if self.pattern is not None and self.pattern.search(value) is None:
                found.append(
                    Issue(pointer, "pattern", f"does not match the pattern {self.pattern_text or self.pattern.pattern}")
                )
            length = len(value)
            if self.min_length is not None and length < self.min_length:
                found.append(Issue(pointer, "minLength", f"is shorter than {self.min_length} characters"))
            if self.max_length is not None and length > self.max_length:
                found.append(Issue(pointer, "maxLength", f"is longer than {self.max_length} characters"))
            if self.location == "path" and not value:
                found.append(Issue(pointer, "minLength", "a path parameter cannot be empty"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                found.append(Issue(pointer, "minimum", f"is less than {self.minimum}"))
            if self.maximum is not None and value > self.maximum:
                found.append(Issue(pointer, "maximum", f"is greater than {self.maximum}"))
        return found

    def check(self, value: object) -> None:
        # The common case (a string matching its pattern) is decided without building issues.
        if type(value) is str and self.types in ((), ("string",)) and value and self._plain_ok(value):
            return
        issues = self.issues(value)
        if issues:
            raise RequestValidationError(issues, target=f"{self.location} parameter {self.name!r}")

    def _plain_ok(self, value: str) -> bool:
        return (
            self.enum is None
            and (self.pattern is None or self.pattern.search(value) is not None)
            and (self.min_length is None or len(value) >= self.min_length)
            and (self.max_length is None or len(value) <= self.max_length)
        )


def _is_type(value: object, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _JSON_TYPES.get(kind, (object,)))


def to_text(value: object) -> str:
    """The wire text of a scalar parameter (JSON spelling for booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def path_segment(rule: ParamRule, value: object) -> str:
    """A checked, percent-encoded path parameter (`/` and every reserved character escaped)."""
    rule.check(value)
    return quote(to_text(value), safe="")


def collect(pairs: Sequence[tuple[ParamRule, object]]) -> list[tuple[str, str]]:
    """Checked (wire name, text) pairs; None is left out, lists follow style=form/simple."""
    items: list[tuple[str, str]] = []
    for rule, value in pairs:
        if value is None:
            continue
        rule.check(value)
        if isinstance(value, list | tuple):
            if rule.explode and rule.location == "query":
                items.extend((rule.name, to_text(v)) for v in value)
            else:
                items.append((rule.name, ",".join(to_text(v) for v in value)))
        else:
            items.append((rule.name, to_text(value)))
    return items
