"""The compiler's parts on their own: references, planning, literals and wording."""

from __future__ import annotations

import re

import pytest

from generator.diagnostics import SpecError
from generator.emit.validators.literals import Ptr, py_str, py_text, py_value
from generator.emit.validators.messages import not_allowed, plural, short_json
from generator.emit.validators.model import Entry, Function
from generator.emit.validators.planning import Plan, hint_for
from generator.emit.validators.references import References


def _references(document: object) -> References:
    references = References(document)
    references.index_document()
    return references


def test_references_follow_ids_anchors_and_pointers() -> None:
    document = {
        "$defs": {
            "a": {"$id": "https://example.com/a.json", "$defs": {"b": {"$anchor": "here", "type": "string"}}},
            "c~/d": {"type": "integer"},
        }
    }
    references = _references(document)
    assert references.resolve("#/$defs/c~0~1d", "") == "/$defs/c~0~1d"
    assert references.resolve("#/$defs/c~0%7E1d", "") == "/$defs/c~0~1d"  # percent-encoded in a URI fragment
    assert references.resolve("https://example.com/a.json#here", "") == "/$defs/a/$defs/b"
    assert references.resolve("#here", "/$defs/a") == "/$defs/a/$defs/b"  # against a.json, its base
    assert references.resolve("a.json#/$defs/b", "/$defs/a/$defs/b") == "/$defs/a/$defs/b"  # relative to a.json


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("https://other.example/s.json", "no ref map covers it: map it to local files with `--ref-map"),
        ("#nowhere", "no $anchor 'nowhere'"),
        ("#/$defs/missing", "nothing at /$defs/missing"),
    ],
)
def test_references_refuse_what_they_cannot_follow(ref: str, message: str) -> None:
    with pytest.raises(SpecError, match=re.escape(message)) as raised:
        _references({"$defs": {}}).resolve(ref, "/$defs")
    assert raised.value.diagnostics[0].pointer == "/$defs/$ref"


def test_a_plan_names_functions_once_per_schema_and_mode() -> None:
    plan = Plan()
    first = plan.function_for("/components/schemas/Pet")
    assert first == "_check_pet"
    assert plan.function_for("/components/schemas/Pet") == first
    assert plan.function_for("/components/schemas/Pet", boolean=True) == "_is_pet"
    assert plan.function_for("/components/schemas/Pet", annotating=True) == "_check_pet_annotated"
    assert plan.function_for("/components/schemas/pet") == "_check_pet_2"  # same stem, another schema
    assert [name for _, _, name, _ in plan.queue] == ["_check_pet", "_is_pet", "_check_pet_annotated", "_check_pet_2"]


def test_a_plan_shares_equal_constants() -> None:
    plan = Plan()
    one = plan.constant("values", "frozenset({1})", "pet")
    assert plan.constant("values", "frozenset({1})", "owner") == one == "_PET_VALUES"
    assert plan.constant("values", "frozenset({2})", "pet") == "_PET_VALUES_2"


def test_a_plan_refuses_cycles_that_never_descend() -> None:
    plan = Plan()
    plan.applies_in_place("/a", "/b", "/a/$ref")
    plan.applies_in_place("/b", "/c", "/b/allOf/0/$ref")
    plan.check_cycles()
    plan.applies_in_place("/c", "/a", "/c/$ref")
    with pytest.raises(SpecError, match="cyclic \\$ref"):
        plan.check_cycles()


def test_a_plan_inlines_a_validator_nothing_else_calls() -> None:
    plan = Plan()
    plan.compiled = [Function("_check_a", "", "", ["pass"]), Function("_check_b", "", "", ["_check_b(v, p, e)"])]
    public = [Entry("A", "validate_a", "_check_a", ""), Entry("B", "validate_b", "_check_b", "")]
    plan.inline_entries(public, lambda entry: [f"# {entry.schema_name} inline"], lambda: None)
    assert public[0].lines == ["# A inline"] and public[1].lines is None  # b calls itself: it stays a function
    assert [fn.name for fn in plan.compiled] == ["_check_b"]


def test_hints_are_readable_stems() -> None:
    assert hint_for("") == "root"
    assert hint_for("/components/schemas/Pet/properties/owner/items") == "pet_owner"
    assert hint_for("/$defs/a/allOf/0") == "a_all_of"


def test_literals() -> None:
    assert py_str('say "hi"') == '"say \\"hi\\""'
    assert py_value({"a": [1, 2.5, None, True]}) == '{"a": [1, 2.5, None, True]}'
    long = py_text("word " * 20, width=30)
    assert long.startswith("(") and eval(long) == "word " * 20
    assert Ptr().const("a/b").index("i").code() == '"/a~1b/" + str(i)'
    assert Ptr((("str", "p"),)).key("k").code() == 'p + "/" + _esc(k)'


def test_wording() -> None:
    assert plural(1, "item") == "1 item" and plural(0, "item") == "0 items"
    assert not_allowed("a", None) == "member 'a' is not allowed here"
    assert not_allowed(None, "use b") == "this value is not allowed here: use b"
    assert short_json("x" * 100, 10) == '"xxxxxx...'


def test_an_issue_known_at_generation_is_built_once_at_import() -> None:
    from generator.emit.validators import compile_schemas

    from .support import import_source

    schema = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"maxLength": 2}, "b": {"items": {"minimum": 1}}},
    }
    source = compile_schemas(schema, [("root", "")])
    assert '_REQUIRED_A_ISSUE = Issue("", "required", "missing required member \'a\'")' in source
    assert "e.append(_A_MAX_LENGTH_ISSUE)" in source
    assert '"/b/" + str(' in source  # an item's pointer is known only at run time: built then
    module = import_source(source, "constant_issues")
    first, second = module.validate_root({}), module.validate_root({"a": "abc"})
    assert first == [module.Issue("", "required", "missing required member 'a'")]
    assert second == [module.Issue("/a", "maxLength", "must be at most 2 characters long", "error")]
    assert type(first[0]) is module.Issue and first[0] is module.validate_root({})[0]


def test_a_try_statement_renders_with_its_else_and_goes_when_nothing_is_left_in_it() -> None:
    from generator.emit.validators.codetree import If, Try, render

    kept = Try(["a = parse(x)"], "ValueError", [If("a > 1", ["fail()"])])
    assert render([kept], 0) == [
        "try:",
        "    a = parse(x)",
        "except ValueError:",
        "    pass",
        "else:",
        "    if a > 1:",
        "        fail()",
    ]
    assert render([If("x", [Try(["a = parse(x)"], "ValueError", [If("a > 1", [])])])], 0) == []
