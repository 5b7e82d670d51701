"""The schema compiler: located refusals, ECMA-262 patterns, pointers, discriminator, formats."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import jsonschema
import pytest

from generator.diagnostics import SpecError
from generator.emit.validators import compile_schemas
from generator.emit.validators.regex import PatternError, translate

from .support import compile_module, import_source, pairs


@pytest.mark.parametrize(
    ("schema", "pointer", "message"),
    [
        ({"properties": {"a": {"maxLenght": 3}}}, "/properties/a/maxLenght", "unknown JSON Schema keyword"),
        ({"items": {"$dynamicRef": "#x"}}, "/items/$dynamicRef", "$dynamicRef '#x': no $anchor 'x'"),
        ({"$ref": "https://example.com/s.json"}, "/$ref", "--ref-map https://example.com/=DIR"),
        ({"$ref": "#/$defs/missing"}, "/$ref", "unresolvable $ref"),
        ({"$ref": "#nowhere"}, "/$ref", "no $anchor"),
        ({"pattern": "\\p{Alphabetic}"}, "/pattern", "cannot compute it"),
        ({"pattern": "\\p{Script=Klingon}"}, "/pattern", "not a Unicode"),
        ({"patternProperties": {"(?<=a+)b": {}}}, "/patternProperties/(?<=a+)b", "pattern"),
        ({"pattern": "a\\qb"}, "/pattern", "escape \\q"),
        ({"type": "text"}, "/type", "unknown type 'text'"),
        ({"type": ["string", "txt"]}, "/type/1", "unknown type 'txt'"),
        ({"nullable": True}, "/nullable", "type: [..., 'null']"),
        ({"minimum": 0, "exclusiveMinimum": True}, "/exclusiveMinimum", "in 3.1 write `exclusiveMinimum: <limit>`"),
        ({"dependencies": {}}, "/dependencies", "dependentRequired"),
        ({"minLength": -1}, "/minLength", "non-negative integer"),
        ({"multipleOf": 0}, "/multipleOf", "> 0"),
        ({"$schema": "http://json-schema.org/draft-07/schema#"}, "/$schema", "only JSON Schema 2020-12"),
        ({"oneOf": [], "type": "object"}, "/oneOf", "non-empty list"),
    ],
)
def test_unsupported_constructs_are_refused_where_they_are(schema: Any, pointer: str, message: str) -> None:
    with pytest.raises(SpecError) as raised:
        compile_schemas({"components": {"schemas": {"S": schema}}}, [("S", "/components/schemas/S")])
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.pointer == "/components/schemas/S" + pointer
    assert message in diagnostic.message


def test_annotations_and_extensions_are_ignored() -> None:
    schema = {
        "title": "t",
        "description": "d",
        "examples": [1],
        "example": 1,
        "default": 1,
        "deprecated": True,
        "readOnly": True,
        "writeOnly": False,
        "$comment": "c",
        "contentMediaType": "text/plain",
        "contentEncoding": "base64",
        "format": "int32",
        "x-anything": {"nested": True},
        "xml": {"name": "n"},
        "externalDocs": {"url": "https://example.com"},
    }
    assert compile_module(schema).validate_root(3) == []


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("^\\d+$", "123", True),
        ("^\\d+$", "١٢٣", False),  # Arabic-Indic digits are not ECMA \d
        ("^\\w+$", "héllo", False),
        ("^[\\w-]+$", "a-b_c", True),
        ("^abc$", "abc\n", False),  # $ is the end of input, not before a final newline
        ("^.$", "\r", False),
        ("^\\s$", "\u00a0", True),
        ("^\\s$", "\u001c", False),  # Python's \s, not ECMA's
        ("^\\S$", "\ufeff", False),
        ("\\bfoo\\b", "é foo", True),
        ("^[^]$", "\n", True),
        ("^a[]", "a", False),
        ("^(?<year>\\d{4})-\\k<year>$", "2024-2024", True),
        ("^\\cJ$", "\n", True),
        ("^\\x41\\u0042$", "AB", True),
        ("^[[]$", "[", True),
        ("^\\/$", "/", True),
        ("^\\0$", "\x00", True),
        ("^\\p{L}+$", "école", True),  # Unicode property escapes, expanded from unicodedata
        ("^\\p{Letter}+$", "a1", False),
        ("^\\P{L}+$", "12-", True),
        ("^[\\p{Lu}\\d]+$", "ÉA1", True),
        ("^[^\\p{Lu}]+$", "éa", True),
        ("^[\\P{Ll}]$", "a", False),
        ("^\\p{digit}+$", "৪২", True),  # digit: ECMA's alias of Decimal_Number
        ("^\\p{gc=Nd}$", "x", False),
        ("^\\p{General_Category=Uppercase_Letter}$", "Ω", True),
        ("^\\p{Script=Greek}+$", "αβγ", True),
        ("^\\p{sc=Grek}$", "a", False),
        ("^\\p{Script=Greek}$", "\u0342", False),  # Inherited, but Greek by Script_Extensions
        ("^\\p{scx=Greek}$", "\u0342", True),
        ("^\\p{Any}$", "\U0001f432", True),
        ("^\\p{ASCII}+$", "é", False),
        ("^\\p{Assigned}$", "\u0378", False),
        ("^\\p{Cn}$", "\u0378", True),
    ],
)
def test_ecma_patterns(pattern: str, text: str, matches: bool) -> None:
    assert (re.compile(translate(pattern), re.ASCII).search(text) is not None) == matches


@pytest.mark.parametrize(
    "pattern",
    [
        "\\p{Emoji}",
        "\\p{L",
        "\\p{Script=Nope}",
        "\\p{Block=Greek}",
        "[\\D]",
        "(?P<x>a)",
        "(?i)a",
        "a*+",
        "\\a",
        "[\\W]",
        "(?#c)",
    ],
)
def test_untranslatable_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(PatternError):
        translate(pattern)


def test_pointers_escape_member_names() -> None:
    schema = {"additionalProperties": {"type": "integer"}, "properties": {"a/b~c": {"type": "string"}}}
    issues = compile_module(schema).validate_root({"a/b~c": 1, "x~/y": "no"})
    assert pairs(issues) == {("/a~1b~0c", "type"), ("/x~0~1y", "type")}


def test_additional_properties_point_at_the_object_and_name_the_member() -> None:
    schema = {"properties": {"a": {}}, "patternProperties": {"^x-": {}}, "additionalProperties": False}
    issues = compile_module(schema).validate_root({"a": 1, "x-ok": 2, "b": 3, "c": 4})
    assert [(i.pointer, i.keyword) for i in issues] == [("", "additionalProperties")] * 2
    assert sorted(i.message for i in issues) == ["unexpected member 'b'", "unexpected member 'c'"]


def test_json_semantics_for_enum_const_and_unique_items() -> None:
    module = compile_module({"enum": [1, [0], {"a": False}]})
    assert module.validate_root(1.0) == []
    assert pairs(module.validate_root(True)) == {("", "enum")}
    assert pairs(module.validate_root([False])) == {("", "enum")}
    assert module.validate_root({"a": False}) == []
    unique = compile_module({"uniqueItems": True})
    assert pairs(unique.validate_root([1, True])) == set()
    assert pairs(unique.validate_root([1, 1.0])) == {("", "uniqueItems")}
    assert pairs(unique.validate_root([{"a": [1]}, {"a": [1.0]}])) == {("", "uniqueItems")}


def test_recursive_schemas() -> None:
    tree = {
        "$defs": {
            "node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                    "v": {"type": "integer"},
                },
            }
        },
        "$ref": "#/$defs/node",
    }
    module = compile_module(tree)
    data = {"v": 1, "children": [{"v": 2, "children": [{"v": "x"}]}]}
    assert pairs(module.validate_root(data)) == {("/children/0/children/0/v", "type")}


DISCRIMINATED = {
    "components": {
        "schemas": {
            "Pet": {
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "kind", "mapping": {"cat": "Cat", "dog": "#/components/schemas/Dog"}},
            },
            "Cat": {
                "type": "object",
                "required": ["kind", "lives"],
                "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer", "maximum": 9}},
            },
            "Dog": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"const": "dog"}, "good": {"type": "boolean"}},
            },
        }
    }
}


def test_discriminator_dispatches_and_reports_the_branch_errors() -> None:
    from .support import import_source

    module = import_source(compile_schemas(DISCRIMINATED, [("Pet", "/components/schemas/Pet")]))
    assert module.validate_pet({"kind": "cat", "lives": 9}) == []
    assert module.validate_pet({"kind": "dog", "good": True}) == []
    assert pairs(module.validate_pet({"kind": "cat", "lives": 10})) == {("/lives", "maximum")}
    assert pairs(module.validate_pet({"kind": "dog", "good": "yes"})) == {("/good", "type")}
    assert pairs(module.validate_pet("cat")) == {("", "oneOf")}  # not an object: no discriminator member to name


def test_an_unknown_or_missing_discriminator_value_is_one_issue_naming_the_member() -> None:
    """Instead of `must match exactly one of the 2 alternatives under 'oneOf', matched 0`."""
    from .support import import_source

    module = import_source(compile_schemas(DISCRIMINATED, [("Pet", "/components/schemas/Pet")]))
    allowed = """discriminator member 'kind' must be one of "cat", "dog", got """
    assert module.validate_pet({"kind": "bird"}) == [module.Issue("/kind", "discriminator", allowed + '"bird"')]
    [issue] = module.validate_pet({"kind": 3, "lives": 1})
    assert (issue.pointer, issue.message) == ("/kind", allowed + "3")
    assert module.validate_pet({"lives": 1}) == [
        module.Issue("", "discriminator", """missing discriminator member 'kind' (one of "cat", "dog")""")
    ]


UNDISCRIMINATED = {
    "components": {
        "schemas": {
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
            "Either": {"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]},
            "Cat": {
                "type": "object",
                "additionalProperties": False,
                "required": ["meows"],
                "properties": {"meows": {"type": "boolean"}, "color": {"enum": ["red", "green"]}},
            },
            "Dog": {
                "type": "object",
                "additionalProperties": False,
                "required": ["barks"],
                "properties": {"barks": {"type": "boolean"}},
            },
        }
    }
}


def test_the_one_alternative_failing_only_by_an_addition_is_reported_instead_of_the_union() -> None:
    """An enum value or a member a closed object does not list, in the only branch that fails
    by nothing else: that issue (which a client reading a response takes with a warning), not
    `must match exactly one of the 2 alternatives`. The verdict stays an error."""
    from .support import import_source

    module = import_source(
        compile_schemas(UNDISCRIMINATED, [("Pet", "/components/schemas/Pet"), ("Either", "/components/schemas/Either")])
    )
    for check in (module.validate_pet, module.validate_either):
        assert check({"meows": True, "color": "red"}) == []
        assert pairs(check({"meows": True, "color": "purple"})) == {("/color", "enum")}
        assert pairs(check({"meows": True, "claws": 10})) == {("", "additionalProperties")}
        assert pairs(check({"meows": "yes"})) != {("/meows", "type")}  # another mismatch: the union's issue
        assert pairs(check({"meows": True, "barks": True})) in ({("", "oneOf")}, {("", "anyOf")})  # two candidates
    assert pairs(module.validate_pet({"meows": "yes"})) == {("", "oneOf")}
    assert pairs(module.validate_either({"meows": "yes"})) == {("", "anyOf")}


FORMATS = [
    ("date", "2024-02-29", "2023-02-29"),
    ("date-time", "2024-02-29T23:59:60Z", "2024-02-29 10:00:00Z"),
    ("time", "10:00:00.5+02:00", "10:00:00"),
    ("uuid", "d812a64f-8865-4289-9024-9a120792c3d8", "d812a64f88654289"),
    ("email", '"joe bloggs"@[IPv6:::1]', "joe@@example.com"),
    ("uri", "https://example.com/a?b#c", "//example.com/a"),
    ("uri-reference", "//example.com/a", "/%zz"),
    ("ipv4", "192.168.0.1", "192.168.00.1"),
    ("ipv6", "::1", "1::2::3"),
    ("duration", "P1Y2M3DT4H", "P1D2H"),
    ("json-pointer", "/a~1b/0", "/a~2"),
    ("relative-json-pointer", "1+2/a", "/a"),
]


@pytest.mark.parametrize(("fmt", "good", "bad"), FORMATS)
def test_formats_asserted_only_on_request(fmt: str, good: str, bad: str) -> None:
    asserting = compile_module({"format": fmt}, assert_formats=True)
    assert asserting.validate_root(good) == []
    assert pairs(asserting.validate_root(bad)) == {("", "format")}
    assert asserting.validate_root(12) == []  # formats apply to strings only
    assert compile_module({"format": fmt}).validate_root(bad) == []


def test_every_format_sdkgen_checks_is_tested_here() -> None:
    from generator.emit.validators.keywords.scalars import FORMATS as CHECKED

    assert {fmt for fmt, _, _ in FORMATS} == set(CHECKED)


def test_asserting_a_format_sdkgen_cannot_check_is_a_located_refusal(tmp_path: Any) -> None:
    """`--assert-formats` must not silently skip a format JSON Schema defines (hostname, ...):
    exit 2 at the `format`; without the flag the same spec generates (formats are annotations)."""
    from click.testing import CliRunner

    from generator.cli import main

    from .support import ROOT

    text = (ROOT / "specs" / "zuddl.yaml").read_text(encoding="utf-8")
    spec = tmp_path / "zuddl.yaml"
    spec.write_text(text.replace("format: uuid", "format: hostname", 1), encoding="utf-8")
    refused = CliRunner().invoke(main, ["lint", "--assert-formats", str(spec)])
    assert refused.exit_code == 2, refused.output
    assert "zuddl.yaml:" in refused.output and "format 'hostname' cannot be asserted" in refused.output
    assert "Traceback" not in refused.output
    assert CliRunner().invoke(main, ["lint", str(spec)]).exit_code == 0


def test_every_refused_schema_is_reported_in_one_run() -> None:
    """Two schemas with unsupported keywords: both refusals, each at its own pointer, not just the first."""
    document = {
        "$defs": {
            "a": {"type": "object", "properties": {"x": {"maxItemz": 1}}},
            "b": {"items": {"$dynamicRef": "#meta"}},
            "c": {"type": "string"},
        }
    }
    with pytest.raises(SpecError) as raised:
        compile_schemas(document, [("A", "/$defs/a"), ("B", "/$defs/b"), ("C", "/$defs/c")])
    pointers = [d.pointer for d in raised.value.diagnostics]
    assert pointers == ["/$defs/a/properties/x/maxItemz", "/$defs/b/items/$dynamicRef"], raised.value


def test_all_issues_are_reported() -> None:
    schema = {"type": "object", "required": ["a", "b"], "properties": {"c": {"maxLength": 1}, "d": {"minimum": 3}}}
    issues = compile_module(schema).validate_root({"c": "long", "d": 1})
    assert sorted((i.pointer, i.keyword) for i in issues) == [
        ("", "required"),
        ("", "required"),
        ("/c", "maxLength"),
        ("/d", "minimum"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "location", "message"),
    [
        (
            "          minItems: 1\n",
            "          minItems: 1\n          maxItemz: 3\n",
            ":137:",
            "did you mean 'maxItems'?",
        ),
        (
            "isoInstant(self.endtime) > isoInstant(self.starttime)",
            "isoInstant(self.endtme) > isoInstant(self.starttime)",
            ":352:",
            "did you mean 'endtime'?",
        ),
        (
            'rule: "!has(self.rsvp_capacity)',
            'rule: "!has(self.rsvp_capacity) &&& ',
            ":361:",
            "malformed CEL rule: unexpected '&' at column 28",
        ),
        ("            !has(self.starttime)", "            later(self.starttime)", ":352:", "unknown function later()"),
    ],
)
def test_spec_errors_are_located_in_the_yaml(tmp_path: Any, old: str, new: str, location: str, message: str) -> None:
    """Through the CLI: `sdkgen lint` exits 2 with FILE:LINE:COL and the message."""
    from click.testing import CliRunner

    from generator.cli import main

    from .support import ROOT

    text = (ROOT / "specs" / "eventapp.yaml").read_text(encoding="utf-8")
    assert old in text
    spec = tmp_path / "eventapp.yaml"
    spec.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(spec)])
    assert result.exit_code == 2, result.output
    assert f"eventapp.yaml{location}" in result.output and message in result.output, result.output
    assert "Traceback" not in result.output


def test_deeply_nested_code_renders_in_linear_time() -> None:
    # Each level used to simplify and render its subtree again (x5 per level): a 9 KB spec of
    # circular schemas took two minutes to generate.
    import time

    from generator.emit.validators.codetree import For, If, Node, Scope, render

    nodes: list[Node] = ["issues.append(x0)"]
    for level in range(9, 0, -1):
        loop = For(f"for i{level}, x{level} in enumerate(v{level})", [If(f"x{level} is not None", nodes, ["pass"])])
        nodes = [Scope([f"v{level} = data{level}"], [If(f"isinstance(v{level}, list)", [loop])])]
    started = time.perf_counter()
    lines = render(nodes, 0)
    assert time.perf_counter() - started < 2
    assert lines[:3] == ["v1 = data1", "if isinstance(v1, list):", "    for x1 in v1:"]
    assert len(lines) == 55


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"$ref": "#"}, "/$ref"),
        ({"allOf": [{"$ref": "#"}]}, "/allOf/0/$ref"),
        ({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"anyOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}, None),
    ],
)
def test_cycles_that_never_descend_are_refused(schema: Any, pointer: str | None) -> None:
    with pytest.raises(SpecError, match="cyclic \\$ref") as raised:
        compile_schemas(schema, [("root", "")])
    if pointer is not None:
        assert raised.value.diagnostics[0].pointer == pointer


def test_recursion_through_members_and_items_is_fine() -> None:
    module = compile_module({"properties": {"a": {"$ref": "#"}}, "items": {"$ref": "#"}, "maxProperties": 1})
    assert pairs(module.validate_root({"a": {"a": {"a": {}, "b": 1}}})) == {("/a/a", "maxProperties")}


def test_malformed_schemas_are_refused_never_crash() -> None:
    """Whatever a spec holds where a schema belongs: compiled, or a located SpecError."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from generator.emit.validators.keywords import ASSERTION_KEYWORDS

    names = [*sorted(ASSERTION_KEYWORDS), "x-rules", "discriminator", "format", "a"]
    leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 5), st.floats(-2, 5), st.text(max_size=3))
    values = st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(names), inner, max_size=3)
        ),
        max_leaves=8,
    )

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.dictionaries(st.sampled_from(names), values, max_size=4))
    def check(schema: dict[str, Any]) -> None:
        with contextlib.suppress(SpecError):
            compile_schemas(schema, [("root", "")], assert_formats=True)

    check()


# `type: object` with `properties`, `if`/`then` and `unevaluatedProperties: false`: the members
# `then` evaluates count. The unevaluated check used to run before the applicators (so `b` was
# "unexpected" even when `then` declared it), and inside a `-> bool` twin (under anyOf) the
# annotating call passed the pointer `p`, which such a function does not have (NameError).
_IF_THEN_UNEVALUATED: dict[str, Any] = {
    "type": "object",
    "unevaluatedProperties": False,
    "properties": {"a": {"type": "string"}},
    "if": {"properties": {"a": {"const": "x"}}},
    "then": {"required": ["b"], "properties": {"b": {"type": "integer"}}},
}


@pytest.mark.parametrize(
    "schema",
    [
        _IF_THEN_UNEVALUATED,
        {"properties": {"n": _IF_THEN_UNEVALUATED}},
        {"anyOf": [{"properties": {"n": _IF_THEN_UNEVALUATED}}, {"type": "string"}]},
        {"oneOf": [{"items": _IF_THEN_UNEVALUATED}, {"type": "string"}]},
    ],
    ids=["top", "member", "member-under-anyOf", "items-under-oneOf"],
)
def test_unevaluated_properties_sees_what_if_then_evaluated(schema: Any) -> None:
    import jsonschema

    module = compile_module(schema)
    for inner in ({"a": "x", "b": 1}, {"a": "x"}, {"a": "y"}, {"a": "y", "b": 1}, {"a": "x", "b": "1"}):
        for instance in (inner, {"n": inner}, [inner]):
            expected = jsonschema.Draft202012Validator(schema).is_valid(instance)
            issues = module.validate_root(instance)
            assert (not issues) == expected, (instance, issues)


def test_one_of_branches_with_min_length_one_count_as_booleans() -> None:
    # `minLength: 1` was tested as `not v`, so a branch's verdict could be the str itself:
    # oneOf adds verdicts up, and `"" + False` raised TypeError (OpenAI's skill_id).
    branch = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "minLength": 1}}}
    schema = {"oneOf": [branch, {**branch, "properties": {**branch["properties"], "x": {"type": "integer"}}}]}
    module = compile_module(schema)
    assert pairs(module.validate_root({"id": ""})) == {("", "oneOf")}
    assert pairs(module.validate_root({"id": "a"})) == {("", "oneOf")}  # both match
    assert pairs(module.validate_root({"id": "a", "x": "no"})) == set()


def test_discriminated_branches_are_parenthesised_in_or_chains() -> None:
    # `a and b or c and d` is right but ruff's RUF021 (selected for generated code) refuses it;
    # OpenAI's discriminated anyOf of events produced ~900 of them.
    def event(tag: str) -> dict[str, Any]:
        return {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "const": tag}}}

    schemas: dict[str, Any] = {name: event(name.lower()) for name in "ABC"}
    schemas["E"] = {
        "anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in "ABC"],
        "discriminator": {"propertyName": "type"},
    }
    document = {"components": {"schemas": schemas}}
    source = compile_schemas(document, [(name, f"/components/schemas/{name}") for name in schemas])
    for line in source.splitlines():
        assert not re.search(r"\) or type\(\w+\) is dict and", line), line
    module = import_source(source)
    assert module.validate("E", {"type": "b"}) == []
    assert pairs(module.validate("E", {"type": "d"})) == {("/type", "discriminator")}


@pytest.mark.parametrize(
    ("schema", "nested"),
    [
        ({"type": "string", "enum": ["a", "b"]}, True),
        ({"type": ["string", "null"], "enum": ["a", None]}, True),
        ({"type": "integer", "enum": [1, 2.0]}, True),  # 2.0 is an integer
        ({"type": "integer", "const": 3}, True),
        ({"type": "integer", "enum": [1, 2.5]}, False),  # 2.5 passes the enum, fails the type
        ({"type": "string", "enum": ["a", 1]}, False),
        ({"type": "string", "maxLength": 1, "enum": ["a"]}, False),  # the type's group has its own check
    ],
)
def test_a_type_every_listed_value_has_is_checked_only_where_the_enum_fails(schema: Any, nested: bool) -> None:
    source = compile_schemas(schema, [("root", "")])
    body = source[source.index("def validate_root") :]
    lines = body.splitlines()
    type_issue = next(line for line in lines if '"type", _NOT_' in line)
    value_issue = next(line for line in lines if "_ENUM_ISSUE)" in line or "_CONST_ISSUE)" in line)
    depth = len(type_issue) - len(type_issue.lstrip())
    assert (depth > len(value_issue) - len(value_issue.lstrip())) is nested, body
    module = compile_module(schema)
    reference = jsonschema.Draft202012Validator(schema)
    for value in [*schema.get("enum", [schema.get("const")]), "zz", 7, None, True, 2.5]:
        found = sorted(i.keyword for i in module.validate_root(value))
        assert found == sorted(error.validator for error in reference.iter_errors(value)), (schema, value)
