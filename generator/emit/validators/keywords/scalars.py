"""Keywords for strings and numbers: each is one condition and one message. Most can also
serve inside a single-expression verdict; `multipleOf` and asserted formats are left to
`-> bool` functions."""

from __future__ import annotations

import math

from generator.diagnostics import SpecError
from generator.emit.validators.keywords.base import Group, Keyword, Site
from generator.emit.validators.literals import py_value
from generator.emit.validators.messages import number_text
from generator.spec.validate import boolean_exclusive_hint

# Formats `--assert-formats` checks, and what each one's check needs besides its own helper.
FORMATS: dict[str, tuple[str, ...]] = {
    "date": ("re",),
    "date-time": ("re",),
    "time": ("re",),
    "duration": ("re",),
    "uuid": ("re",),
    "email": ("re", "format_ipv4", "format_ipv6"),
    "uri": ("re", "format_ipv6"),
    "uri-reference": ("re", "format_ipv6"),
    "ipv4": (),
    "ipv6": (),
    "json-pointer": ("re",),
    "relative-json-pointer": ("re",),
}
# Formats JSON Schema 2020-12 defines that sdkgen cannot check faithfully: asserting them is
# refused (the specification requires that of an implementation), never silently skipped.
# Formats neither list names (int64, password, ...) stay annotations, as the specification says.
UNCHECKED_FORMATS = frozenset(
    {"hostname", "idn-hostname", "idn-email", "iri", "iri-reference", "uri-template", "regex"}
)


def _min_length(s: Site) -> str | None:
    limit = s.count("minLength")
    if limit == 0:
        return None
    # `== ""`, not `not v`: negated into a predicate, `v` would be a str, not a bool, and a
    # oneOf adds its branches' verdicts up (`"" + False` raises TypeError).
    return f"len({s.var}) < {limit}" if limit > 1 else f'{s.var} == ""'


def _min_length_message(s: Site) -> str:
    limit = s.count("minLength")
    return "must not be empty" if limit == 1 else f"must be at least {limit} characters long"


def _pattern(s: Site) -> str:
    source = s.node["pattern"]
    if not isinstance(source, str):
        raise SpecError.at("pattern must be a string", pointer=s.where("pattern"))
    regex = s.emitter.regex(source, s.where("pattern"), s.hint)
    return f"{regex}.search({s.var}) is None"


def _format(s: Site) -> str | None:
    """Checked only under `--assert-formats`; otherwise `format` is an annotation."""
    fmt = s.node["format"]
    if not s.emitter.assert_formats or not isinstance(fmt, str):
        return None
    if fmt in FORMATS:
        s.emitter.plan.helpers.update(("format_" + fmt.replace("-", "_"), *FORMATS[fmt]))
        return f"not _is_{fmt.replace('-', '_')}({s.var})"
    if fmt in UNCHECKED_FORMATS:
        raise SpecError.at(
            f"format {fmt!r} cannot be asserted: sdkgen checks {', '.join(FORMATS)}; generate without "
            "--assert-formats to keep formats as annotations",
            pointer=s.where("format"),
        )
    return None


def _bound(name: str, fails_when: str, must_be: str) -> Keyword:
    """minimum, maximum and their exclusive forms: `v <op> limit` fails."""

    def fails(s: Site) -> str:
        limit = s.node[name]
        if isinstance(limit, bool) and name.startswith("exclusive"):
            raise SpecError.at(f"{name} must be a number: {boolean_exclusive_hint(name)}", pointer=s.where(name))
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not math.isfinite(limit):
            raise SpecError.at(f"{name} must be a number", pointer=s.where(name))
        return f"{s.var} {fails_when} {py_value(limit)}"

    number: Group = "number"
    return Keyword(
        name,
        "assertion",
        number,
        fails=fails,
        message=lambda s: f"must be {must_be} {number_text(s.node[name])}",
        predicate=True,
    )


def _multiple_of(s: Site) -> str:
    factor = s.node["multipleOf"]
    if isinstance(factor, bool) or not isinstance(factor, int | float) or not factor > 0:
        raise SpecError.at("multipleOf must be a number > 0", pointer=s.where("multipleOf"))
    s.emitter.plan.helpers.add("multiple")
    var = s.var
    if isinstance(factor, int):
        return f"(type({var}) is int and {var} % {factor}) or (type({var}) is float and not _multiple({var}, {factor}))"
    return f"not _multiple({var}, {py_value(factor)})"


STRING_KEYWORDS = (
    Keyword("minLength", "assertion", "string", fails=_min_length, message=_min_length_message, predicate=True),
    Keyword(
        "maxLength",
        "assertion",
        "string",
        fails=lambda s: f"len({s.var}) > {s.count('maxLength')}",
        message=lambda s: f"must be at most {s.count('maxLength')} characters long",
        predicate=True,
    ),
    Keyword(
        "pattern",
        "assertion",
        "string",
        fails=_pattern,
        message=lambda s: f"must match the pattern {s.node['pattern']}",
        predicate=True,
    ),
    Keyword("format", "format", "string", fails=_format, message=lambda s: f"must be a valid {s.node['format']}"),
)
NUMBER_KEYWORDS = (
    _bound("minimum", "<", ">="),
    _bound("maximum", ">", "<="),
    _bound("exclusiveMinimum", "<=", ">"),
    _bound("exclusiveMaximum", ">=", "<"),
    Keyword(
        "multipleOf",
        "assertion",
        "number",
        fails=_multiple_of,
        message=lambda s: f"must be a multiple of {number_text(s.node['multipleOf'])}",
    ),
)
