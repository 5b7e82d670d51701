"""Path, query, header and cookie arguments, and server variables: checked, then put in wire form.

There is one checker, the package's compiled validators: each location's arguments go, as
a mapping `{wire name: value}`, to the check compiled for them
(`validators.validate_<operation>_<location>_parameters`, `validate_server_variables`), so a
bad argument is reported exactly as a bad body member would be. `RequestValidationError`
lists every issue, each with its `location`, and nothing is sent. None means "not given"
(a required parameter given None is missing).

Then each value goes on the wire as OpenAPI's `style` and `explode` say (RFC 6570 expansion,
and the examples table of the specification): path `simple`, `label`, `matrix`; query `form`,
`spaceDelimited`, `pipeDelimited`, `deepObject`; header `simple`; cookie `form`. The query is
percent-encoded here, not by httpx, because the delimiters a style adds must stay apart from
the same characters inside a value (`a,b` as one item is `a%2Cb`), and `allowReserved` keeps
reserved characters that httpx would escape. A parameter declared with `content` is sent as
its media type's text: compact JSON for a JSON media type.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote, quote_plus, unquote_plus

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
    """An argument as JSON data: an Enum member is its value, a datetime, date or UUID its text, a
    tuple a list, any mapping a dict."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime.datetime | datetime.date | uuid.UUID):
        return to_text(value)  # the string the spec describes (`format: date-time`, `date`, `uuid`)
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
    """How a parameter goes on the wire, as its OpenAPI declaration says: its name and location,
    `style` ("" for the location's default: `simple` in a path or header, `form` in a query or
    cookie), `explode`, `allow_reserved` (query), and for a parameter declared with `content`
    instead of `schema`, that media type (JSON ones are sent as compact JSON text)."""

    name: str
    location: str
    explode: bool = True
    style: str = ""
    allow_reserved: bool = False
    media_type: str | None = None


# The path default (`simple`, not exploded) for `path_segment` called without an encoding.
_PATH_DEFAULT = ParamEncoding(name="", location="path", explode=False)
# RFC 3986 reserved characters `allowReserved` lets through, less those a query cannot carry
# as they are (`#`, `[`, `]`) and those application/x-www-form-urlencoded gives a meaning (`&`, `=`, `+`).
_RESERVED_ALLOWED = ":/?@!$'()*,;"
_PERCENT_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")
# The delimiters of the query styles, percent-encoded as RFC 3986 requires (OpenAPI's examples table).
_QUERY_DELIMITERS = {"spaceDelimited": "%20", "pipeDelimited": "%7C"}


def to_text(value: object) -> str:
    """The wire text of a scalar parameter (JSON spelling for booleans, an Enum member's value, a
    datetime or date in ISO 8601; a list or mapping nested in a parameter value, which no style
    defines, as compact JSON)."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()  # RFC 3339 / ISO 8601, as `format: date-time` and `date` say
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple | Mapping):
        return json_text(value)
    return str(value)


def json_text(value: object) -> str:
    """Compact JSON text of an argument (a `content: application/json` parameter's wire form)."""
    return json.dumps(json_value(value), separators=(",", ":"), ensure_ascii=False)


def _is_json(media_type: str) -> bool:
    essence = media_type.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def _content_text(encoding: ParamEncoding, value: object) -> str:
    """A `content` parameter's text: JSON for a JSON media type, else the value's own text."""
    assert encoding.media_type is not None
    return json_text(value) if _is_json(encoding.media_type) else to_text(value)


# -- the value's shape: RFC 6570 knows strings, lists and associative arrays; null is undefined


def _items(value: list[object] | tuple[object, ...]) -> list[str]:
    return [to_text(item) for item in value if item is not None]


def _members(value: Mapping[object, object]) -> list[tuple[str, str]]:
    return [(to_text(key), to_text(item)) for key, item in value.items() if item is not None]


def _flat(members: Sequence[tuple[str, str]], escape: Callable[[str], str]) -> list[str]:
    """An object not exploded: keys and values alternating (`R,100,G,200`)."""
    return [escape(text) for member in members for text in member]


# -- escaping per location


def _path_escape(text: str) -> str:
    return quote(text, safe="")  # `/` and every reserved character too: a value is one segment


def query_escape(text: str) -> str:
    """A query name or value as application/x-www-form-urlencoded spells it (`urllib.parse.urlencode`'s way)."""
    return quote_plus(text, safe="")


def _reserved_escape(text: str) -> str:
    """`allowReserved`: RFC 6570 reserved expansion: the reserved characters a query may carry and
    percent-encoded triples pass as they are, everything else is percent-encoded."""
    return "".join(
        piece if _PERCENT_TRIPLE.fullmatch(piece) else quote(piece, safe=_RESERVED_ALLOWED)
        for piece in _PERCENT_TRIPLE.split(text)
    )


def _cookie_escape(text: str) -> str:
    return quote(text, safe="")  # `style: form` is RFC 6570 form expansion: percent-encoded


def _as_is(text: str) -> str:
    return text


# -- the styles


def path_segment(value: object, encoding: ParamEncoding = _PATH_DEFAULT) -> str:
    """A path parameter in its style (`simple`, `label` or `matrix`), percent-encoded (`/` and every
    reserved character escaped); the style's delimiters stay as they are."""
    if encoding.media_type is not None:
        return _path_escape(_content_text(encoding, value))
    style, explode, name = encoding.style or "simple", encoding.explode, _path_escape(encoding.name)
    if isinstance(value, list | tuple):
        items = [_path_escape(text) for text in _items(value)]
        if not items:
            return ""  # an empty list is undefined (RFC 6570): nothing, not even the prefix
        if style == "label":
            return "." + ("." if explode else ",").join(items)
        if style == "matrix":
            if explode:
                return "".join(f";{name}" + (f"={item}" if item else "") for item in items)
            return f";{name}=" + ",".join(items)
        return ",".join(items)
    if isinstance(value, Mapping):
        members = [(_path_escape(key), _path_escape(text)) for key, text in _members(value)]
        if not members:
            return ""
        if explode:
            pairs = [f"{key}={text}" for key, text in members]
            if style == "matrix":
                return "".join(f";{key}" + (f"={text}" if text else "") for key, text in members)
            return ("." + ".".join(pairs)) if style == "label" else ",".join(pairs)
        flat = ",".join(_flat(members, _as_is))
        return "." + flat if style == "label" else f";{name}=" + flat if style == "matrix" else flat
    text = _path_escape(to_text(value))
    if style == "label":
        return "." + text
    if style == "matrix":
        return f";{name}" + (f"={text}" if text else "")
    return text


def collect(pairs: Sequence[tuple[ParamEncoding, object]]) -> list[tuple[str, str]]:
    """(name, value) pairs of the query (percent-encoded, ready to join), the headers or the
    cookies, each parameter in its style; None (not given) is left out."""
    items: list[tuple[str, str]] = []
    for encoding, value in pairs:
        if value is None:
            continue
        if encoding.location == "query":
            items += _query_pairs(encoding, value)
        elif encoding.location == "header":
            items += _header_pairs(encoding, value)
        else:
            items += _cookie_pairs(encoding, value)
    return items


def _query_pairs(encoding: ParamEncoding, value: object) -> list[tuple[str, str]]:
    name = query_escape(encoding.name)
    if encoding.media_type is not None:
        return [(name, query_escape(_content_text(encoding, value)))]
    escape = _reserved_escape if encoding.allow_reserved else query_escape
    style = encoding.style or "form"
    delimiter = "," if style == "form" else _QUERY_DELIMITERS.get(style)
    if style == "deepObject" and isinstance(value, Mapping):
        return [(query_escape(key), escape(text)) for key, text in _deep_members(encoding.name, value)]
    if isinstance(value, list | tuple):
        items = [escape(text) for text in _items(value)]
        if encoding.explode or delimiter is None:  # (deepObject of a list: one pair per item too)
            return [(name, item) for item in items]
        return [(name, delimiter.join(items))] if items else []
    if isinstance(value, Mapping):
        members = _members(value)
        if encoding.explode or delimiter is None:
            return [(query_escape(key), escape(text)) for key, text in members]
        return [(name, delimiter.join(_flat(members, escape)))] if members else []
    return [(name, escape(to_text(value)))]


def _deep_members(prefix: str, value: Mapping[object, object]) -> list[tuple[str, str]]:
    """`deepObject`: `color[R]=100`; a nested object goes one level deeper (`a[b][c]`) and a nested
    list repeats its key per item (OpenAPI leaves both undefined)."""
    found: list[tuple[str, str]] = []
    for key, item in value.items():
        name = f"{prefix}[{to_text(key)}]"
        if isinstance(item, Mapping):
            found += _deep_members(name, item)
        elif isinstance(item, list | tuple):
            found += [(name, text) for text in _items(item)]
        elif item is not None:
            found.append((name, to_text(item)))
    return found


def _header_pairs(encoding: ParamEncoding, value: object) -> list[tuple[str, str]]:
    """`simple` (the only header style), not percent-encoded: a header value is not a URI part."""
    if encoding.media_type is not None:
        return [(encoding.name, _content_text(encoding, value))]
    if isinstance(value, list | tuple):
        items = _items(value)
        return [(encoding.name, ",".join(items))] if items else []
    if isinstance(value, Mapping):
        members = _members(value)
        if not members:
            return []
        if encoding.explode:
            return [(encoding.name, ",".join(f"{key}={text}" for key, text in members))]
        return [(encoding.name, ",".join(_flat(members, _as_is)))]
    return [(encoding.name, to_text(value))]


def _cookie_pairs(encoding: ParamEncoding, value: object) -> list[tuple[str, str]]:
    """`form` (percent-encoded), or OpenAPI 3.2's `cookie` (as it is); exploded values are
    cookies of their own (`color=blue; color=black`, `R=100; G=200`)."""
    if encoding.media_type is not None:
        return [(encoding.name, _content_text(encoding, value))]
    escape = _as_is if encoding.style == "cookie" else _cookie_escape
    name = escape(encoding.name)
    if isinstance(value, list | tuple):
        items = [escape(text) for text in _items(value)]
        if encoding.explode:
            return [(name, item) for item in items]
        return [(name, ",".join(items))] if items else []
    if isinstance(value, Mapping):
        members = _members(value)
        if encoding.explode:
            return [(escape(key), escape(text)) for key, text in members]
        return [(name, ",".join(_flat(members, escape)))] if members else []
    return [(name, escape(to_text(value)))]


def query_string(pairs: Sequence[tuple[str, str]]) -> str:
    """The query of percent-encoded pairs (`collect`'s, and `query_pair`'s)."""
    return "&".join(f"{name}={value}" for name, value in pairs)


def query_pair(name: str, value: str) -> tuple[str, str]:
    """A plain name and value as a query pair (credentials, `extra_query`, the next page's cursor)."""
    return query_escape(name), query_escape(value)


def query_value(pairs: Sequence[tuple[str, str]], name: str) -> str | None:
    """The (decoded) value of the first pair named `name`."""
    wanted = query_escape(name)
    return next((unquote_plus(value) for key, value in pairs if key == wanted), None)
