"""Path, query, header and cookie arguments, and server variables: checked, then put in wire form.

There is one checker, the package's compiled validators: each location's arguments go, as
a mapping `{wire name: value}`, to the check compiled for them
(`validators.validate_<operation>_<location>_parameters`, `validate_server_variables`), so a
bad argument is reported exactly as a bad body member would be. `RequestValidationError`
lists every issue, each with its `location`, and nothing is sent. None means "not given"
(a required parameter given None is missing).

Lists follow the OpenAPI defaults: `style=form` in the query (one pair per item, or
comma-separated when `explode` is false), `style=simple` elsewhere (comma-separated).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote

from ..errors import IssueLike, RequestValidationError
from .checks import Issue, Validator
from .config import PackageConfig

Arguments = tuple[Validator, Mapping[str, object]]
"""A location's check, and its arguments by wire name."""


def check_parameters(
    config: PackageConfig,
    operation: str,
    *,
    path: Arguments | None = None,
    query: Arguments | None = None,
    header: Arguments | None = None,
    cookie: Arguments | None = None,
) -> None:
    """Check an operation's arguments, each location by its compiled check: RequestValidationError
    when any issue is an error (every issue listed), else the warnings are logged."""
    found: list[Issue] = []
    for location, arguments in (("path", path), ("query", query), ("header", header), ("cookie", cookie)):
        if arguments is not None:
            validate, values = arguments
            found += located(validate(given(values)), location)
    settle(config, found, f"call to {operation}()")


def check_server_variables(config: PackageConfig, validate: Validator, values: Mapping[str, str]) -> Mapping[str, str]:
    """The server variables the client was given, once their compiled check passes."""
    settle(config, located(validate(given(values)), "server"), "server URL")
    return values


def given(values: Mapping[str, object]) -> dict[str, object]:
    """The arguments as the compiled checks read them: JSON data, None left out."""
    return {name: json_value(value) for name, value in values.items() if value is not None}


def json_value(value: object) -> object:
    """An argument as JSON data: an Enum member is its value, a tuple a list, any mapping a dict."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {key: json_value(item) for key, item in value.items()}
    return value


def located(issues: Sequence[IssueLike], location: str) -> list[Issue]:
    """A check's issues, each saying where the value travels; pointer, keyword and message kept."""
    return [Issue(issue.pointer, issue.keyword, issue.message, issue.severity, location) for issue in issues]


def settle(config: PackageConfig, issues: Sequence[Issue], target: str) -> None:
    """Raise when any issue is an error (listing them all, warnings included); else log the warnings."""
    if not issues:
        return
    if any(issue.severity == "error" for issue in issues):
        raise RequestValidationError(issues, target=target)
    for issue in issues:
        where = f"{issue.pointer} ({issue.location})"
        config.logger.warning("%s: %s: %s [%s]", target, where, issue.message, issue.keyword)


@dataclass(frozen=True, slots=True)
class ParamEncoding:
    """How a query, header or cookie parameter goes on the wire: its name, where, and whether
    a list is sent as one pair per item (`explode`, query only) or comma-separated."""

    name: str
    location: str
    explode: bool = True


def to_text(value: object) -> str:
    """The wire text of a scalar parameter (JSON spelling for booleans, an Enum member's value)."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def path_segment(value: object) -> str:
    """A path parameter, percent-encoded (`/` and every reserved character escaped; a list comma-separated)."""
    if isinstance(value, list | tuple):
        return ",".join(quote(to_text(item), safe="") for item in value)
    return quote(to_text(value), safe="")


def collect(pairs: Sequence[tuple[ParamEncoding, object]]) -> list[tuple[str, str]]:
    """(wire name, text) pairs; None is left out, lists follow style=form/simple."""
    items: list[tuple[str, str]] = []
    for encoding, value in pairs:
        if value is None:
            continue
        if isinstance(value, list | tuple):
            if encoding.explode and encoding.location == "query":
                items.extend((encoding.name, to_text(v)) for v in value)
            else:
                items.append((encoding.name, ",".join(to_text(v) for v in value)))
        else:
            items.append((encoding.name, to_text(value)))
    return items
