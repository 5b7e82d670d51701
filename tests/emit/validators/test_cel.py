"""x-rules: CEL parsed with cel-python's grammar and compiled to plain Python."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from generator.diagnostics import SpecError
from generator.emit.validators.cel import compile_rule, rule_statements
from generator.emit.validators.codetree import render

from .support import compile_module, pairs

PROPERTIES = {name: {} for name in ("a", "b", "name", "tags", "start", "end", "flag", "kind")}


def rule(expression: str, **extra: Any) -> dict[str, Any]:
    return {"id": "r", "rule": expression, "message": "broken", **extra}


def module_for(expression: str, **extra: Any) -> Any:
    schema = {"type": "object", "properties": PROPERTIES, "x-rules": [rule(expression, **extra)]}
    return compile_module(schema)


@pytest.mark.parametrize(
    ("expression", "data", "passes"),
    [
        ("self.a == 1", {"a": 1}, True),
        ("self.a == 1", {"a": 1.0}, True),
        ("self.a == 1", {"a": True}, False),  # JSON semantics: true is not 1
        ("self.a != 'x'", {"a": "y"}, True),
        ("self.a < self.b", {"a": 1, "b": 2}, True),
        ("self.a <= self.b", {"a": 2, "b": 2}, True),
        ("self.a > self.b", {"a": 2, "b": 2}, False),
        ("self.a >= 3", {"a": 2}, False),
        ("has(self.a) && !has(self.b)", {"a": 0}, True),
        ("has(self.a) || has(self.b)", {}, False),
        ("!(self.flag == true)", {"flag": False}, True),
        ("self.flag ? self.a == 1 : self.a == 2", {"flag": True, "a": 1}, True),
        ("self.flag ? self.a == 1 : self.a == 2", {"flag": False, "a": 1}, False),
        ("size(self.name) <= 3", {"name": "🎉🎉🎉"}, True),  # code points
        ("self.name.size() > 3", {"name": "abc"}, False),
        ("self.kind in ['x', 'y']", {"kind": "y"}, True),
        ("self.kind in ['x', 'y']", {"kind": "z"}, False),
        ("1 in self.tags", {"tags": [True]}, False),
        ("self.name.startsWith('ab') && self.name.endsWith('z')", {"name": "abcz"}, True),
        ("self.name.contains('bc')", {"name": "abcz"}, True),
        ("self.a + 1 == self.b * 2 - 1", {"a": 2, "b": 2}, True),
        ("-self.a == -1", {"a": 1}, True),
        ("self.a == null", {"a": None}, True),
        ("self.tags[0] == 'x'", {"tags": ["x"]}, True),
        ("1u == 1 && 2.5 > 2", {}, True),
        ('"double" == "double"', {}, True),
        # evaluation errors (a missing member read without has(), wrong types): the rule does not fire
        ("self.a == 1", {}, True),
        ("self.a < 3", {"a": "x"}, True),
    ],
)
def test_rule_semantics(expression: str, data: dict[str, Any], passes: bool) -> None:
    issues = module_for(expression).validate_root(data)
    assert (issues == []) == passes, issues


@pytest.mark.parametrize(
    ("start", "end", "comparable", "later"),
    [
        ("2025-01-01T10:00:00Z", "2025-01-01T11:00:00Z", True, True),
        ("2025-01-01T10:00:00+01:00", "2025-01-01T09:30:00Z", True, True),
        ("2025-01-01", "2025-01-02", True, True),
        ("2025-01-01T10:00:00", "2025-01-01T10:00:00", True, False),
        ("2025-01-01T10:00:00", "2025-01-01T11:00:00Z", False, False),
        ("soon", "2025-01-01", False, False),
    ],
)
def test_iso_extension_functions(start: str, end: str, comparable: bool, later: bool) -> None:
    data = {"start": start, "end": end}
    assert (module_for("isoComparable(self.start, self.end)").validate_root(data) == []) == comparable
    expression = "!isoComparable(self.start, self.end) || isoInstant(self.end) > isoInstant(self.start)"
    assert (module_for(expression).validate_root(data) == []) == (not comparable or later)


def test_issue_carries_id_severity_message_and_field_path() -> None:
    module = module_for("self.a == 1", severity="warning", fieldPath=".a", message="a must be 1")
    [issue] = module.validate_root({"a": 2})
    assert tuple(issue) == ("/a", "x-rules/r", "a must be 1", "warning")
    [issue] = module_for("self.a == 1").validate_root({"a": 2})
    assert (issue.pointer, issue.severity) == ("", "error")


def test_rules_only_apply_to_objects() -> None:
    module = module_for("has(self.a)")
    assert pairs(module.validate_root([])) == {("", "type")}
    assert pairs(module.validate_root({})) == {("", "x-rules/r")}


def test_warnings_do_not_decide_composition() -> None:
    schema = {
        "anyOf": [
            {"properties": {"a": {}}, "x-rules": [rule("has(self.a)", severity="warning")]},
            {"type": "string"},
        ]
    }
    module = compile_module(schema)
    assert pairs(module.validate_root({})) == set()


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("self.a ==", "malformed CEL rule"),
        ("self.a == 1 &&", "malformed CEL rule"),
        ("self.nope == 1", "declares no property 'nope'"),
        ("has(self.nope)", "declares no property 'nope'"),
        ("frobnicate(self.a)", "unknown function frobnicate()"),
        ("self.a.frobnicate()", "unknown method .frobnicate()"),
        ("other.a == 1", "unknown identifier 'other'"),
        ("self.a / 2 == 1", "not supported"),
        ("self.tags.all(t, t != '')", "unknown method .all()"),
        ("{'a': 1} == self.a", "not supported"),
        ("b'x' == self.a", "not supported"),
        ("has(self)", "field selection"),
    ],
)
def test_refusals_are_located_at_the_rule(expression: str, message: str) -> None:
    with pytest.raises(SpecError) as raised:
        compile_rule(rule(expression), "/components/schemas/S/x-rules/0", PROPERTIES)
    [diagnostic] = raised.value.diagnostics
    assert message in diagnostic.message
    assert diagnostic.pointer == "/components/schemas/S/x-rules/0/rule"


@pytest.mark.parametrize(
    ("entry", "pointer", "message"),
    [
        ({"id": "r", "rule": "true"}, "/x-rules/0", "'message'"),
        ({"id": "r", "rule": "true", "message": "m", "severity": "fatal"}, "/x-rules/0/severity", "severity"),
        ({"id": "r", "rule": "true", "message": "m", "fieldPath": "a"}, "/x-rules/0/fieldPath", "fieldPath"),
        ({"id": "r", "rule": "true", "message": "m", "fieldPath": ".zz"}, "/x-rules/0/fieldPath", "'zz'"),
        ({"id": "r", "rule": "true", "message": "m", "when": 1}, "/x-rules/0/when", "unknown x-rules member"),
    ],
)
def test_malformed_entries(entry: dict[str, Any], pointer: str, message: str) -> None:
    with pytest.raises(SpecError) as raised:
        compile_rule(entry, "/x-rules/0", PROPERTIES)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.pointer == pointer and message in diagnostic.message


def test_eventapp_rules_keep_their_ids_and_severities() -> None:
    import yaml

    from .support import ROOT

    spec = yaml.safe_load((ROOT / "specs" / "eventapp.yaml").read_text())
    session = spec["components"]["schemas"]["SessionCreate"]
    rules = [compile_rule(r, "/x", session["properties"]) for r in session["x-rules"]]
    assert [(r.rule_id, r.severity) for r in rules] == [
        ("endtime-after-starttime", "error"),
        ("rsvp-capacity-needs-rsvp", "warning"),
        ("capacity-needs-fixed-rsvp", "warning"),
    ]


@pytest.mark.parametrize(
    ("expression", "safe"),
    [
        ("!has(self.a) || self.a == 1", True),
        ("has(self.a) && self.a == 'x'", True),
        ("self.a == 1", False),  # self.a may be missing
        ("has(self.a) && self.a < 3", False),  # ordering values of unknown type can raise
        ("!isoComparable(self.start, self.end) || isoInstant(self.end) > isoInstant(self.start)", False),  # missing
        (
            "!has(self.start) || !has(self.end) || !isoComparable(self.start, self.end)"
            " || isoInstant(self.end) > isoInstant(self.start)",
            True,
        ),
        ("isoInstant(self.end) > isoInstant(self.start)", False),
        ("has(self.name) && size(self.name) > 2", False),
        ("has(self.a) ? self.a == 1 : true", True),
    ],
)
def test_rules_that_cannot_raise_are_inlined(expression: str, safe: bool) -> None:
    """Safe rules are inlined into the validator; the others run in a function under try/except."""
    assert compile_rule(rule(expression), "/r", PROPERTIES).safe is safe


def test_unknown_field_suggests_the_close_one() -> None:
    with pytest.raises(SpecError, match="did you mean 'name'"):
        compile_rule(rule("self.nmae == 'x'"), "/r", PROPERTIES)


def test_an_iso_comparable_guard_parses_each_date_once() -> None:
    """Under `isoComparable(a, b)`, `isoInstant(a)` is the instant the guard parsed, not a second parse."""
    expression = (
        "!has(self.start) || !has(self.end) || !isoComparable(self.start, self.end)"
        " || isoInstant(self.end) > isoInstant(self.start)"
    )
    compiled = compile_rule(rule(expression), "/r", PROPERTIES)
    assert compiled.expression.count("_iso_pair(") == 1 and "_iso_instant(" not in compiled.expression
    assert "iso1[1] > iso1[0]" in compiled.expression
    unguarded = compile_rule(rule("isoComparable(self.start, self.end) || isoInstant(self.end) > 0"), "/r", PROPERTIES)
    assert "_iso_instant(" in unguarded.expression  # not guarded there: parsed (and may raise)
    module = module_for(expression)
    assert module.validate_root({"start": "2024-01-01T10:00:00Z", "end": "2024-01-01T09:00:00Z"}) != []
    assert module.validate_root({"start": "2024-01-01T10:00:00", "end": "2024-01-01T09:00:00Z"}) == []
    assert module.validate_root({"start": "2024-01-01", "end": "2024-01-02"}) == []


DATE_ORDER = (
    "!has(self.start) || !has(self.end) || !isoComparable(self.start, self.end)"
    " || isoInstant(self.end) > isoInstant(self.start)"
)


@pytest.mark.parametrize(
    "expression",
    [
        DATE_ORDER,
        "!has(self.start) || !has(self.end) || !isoComparable(self.start, self.end) || has(self.flag) && self.flag"
        " || isoInstant(self.end) >= isoInstant(self.start)",
        "!has(self.start) || !has(self.end) || !isoComparable(self.start, self.end)"
        " || !has(self.a) || !has(self.b) || !isoComparable(self.a, self.b)"
        " || isoInstant(self.end) > isoInstant(self.start) && isoInstant(self.b) > isoInstant(self.a)",
    ],
)
def test_date_order_rules_become_statements_that_decide_like_the_expression(expression: str) -> None:
    """A `||` chain with `!isoComparable(a, b)` in it is emitted as statements (the instants parsed
    in a try statement, no helper call) and gives the verdicts the expression form gives."""
    compiled = compile_rule(rule(expression), "/r", PROPERTIES)
    names = iter(range(100))
    translated = rule_statements(compiled, PROPERTIES, "v", lambda prefix: f"{prefix}{next(names)}", ["FAILED"])
    assert translated is not None
    text = "\n".join(render(translated[0]))
    assert "try:" in text and "_iso_pair" not in text and text.count("FAILED") == 1
    assert translated[1] == {"iso"}
    statements = compile_module({"type": "object", "properties": PROPERTIES, "x-rules": [rule(expression)]})
    expression_only = compile_module(
        {"type": "object", "properties": PROPERTIES, "x-rules": [rule(f"false || ({expression})")]}
    )
    values = ["2025-01-01T10:00:00Z", "2025-01-01T11:00:00+01:00", "2025-01-01", "2025-01-01T10:00:00", "x", 3, None]
    for start, end, a, flag in itertools.product(values, [*values[:4], "x"], [*values[:3], None], (True, False)):
        data = {"start": start, "end": end, "a": a, "b": end, "flag": flag}
        for absent in ((), ("start",), ("end",), ("a",)):
            case = {k: v for k, v in data.items() if k not in absent and v is not None}
            assert statements.validate_root(case) == expression_only.validate_root(case), case


def test_other_rules_keep_the_expression_form() -> None:
    for expression in ("!has(self.a) || self.a == 1", "isoComparable(self.start, self.end)"):
        compiled = compile_rule(rule(expression), "/r", PROPERTIES)
        assert rule_statements(compiled, PROPERTIES, "v", str, ["FAILED"]) is None
    unsafe = compile_rule(rule("!isoComparable(self.start, self.end) || self.a < 3"), "/r", PROPERTIES)
    assert rule_statements(unsafe, PROPERTIES, "v", str, ["FAILED"]) is None  # raises on some data: a function
    wrapped = compile_rule(rule(f"false || ({DATE_ORDER})"), "/r", PROPERTIES)
    assert wrapped.safe and rule_statements(wrapped, PROPERTIES, "v", str, ["FAILED"]) is None
