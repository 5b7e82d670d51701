"""The keyword table: one entry per keyword, and the compiler's keyword sets derived from it."""

from __future__ import annotations

from typing import Any

import pytest

from generator.diagnostics import SpecError
from generator.emit.validators import compile_schemas
from generator.emit.validators.keywords import ASSERTION_KEYWORDS, KEYWORDS, TABLE

from .support import compile_module, import_source

# Every one-condition keyword: a schema, a value that fails it, and the message it must give.
# A keyword added to the table with a condition needs a line here.
ONE_CONDITION: dict[str, tuple[dict[str, Any], Any, str]] = {
    "enum": ({"enum": ["a", 1]}, "b", 'must be one of "a", 1'),
    "const": ({"const": {"k": 1}}, {"k": 2}, 'must be {"k": 1}'),
    "not": ({"not": {"type": "string"}}, "s", "must not match the schema under 'not'"),
    "minProperties": ({"type": "object", "minProperties": 2}, {"a": 1}, "must have at least 2 members"),
    "maxProperties": ({"type": "object", "maxProperties": 1}, {"a": 1, "b": 2}, "must have at most 1 members"),
    "minItems": ({"type": "array", "minItems": 1}, [], "must have at least 1 item"),
    "maxItems": ({"type": "array", "maxItems": 2.0}, [1, 2, 3], "must have at most 2 items"),
    "uniqueItems": ({"type": "array", "uniqueItems": True}, [1, 1.0], "items must be unique"),
    "minLength": ({"type": "string", "minLength": 1}, "", "must not be empty"),
    "maxLength": ({"type": "string", "maxLength": 2}, "abc", "must be at most 2 characters long"),
    "pattern": ({"type": "string", "pattern": "^a"}, "b", "must match the pattern ^a"),
    "format": ({"type": "string", "format": "uuid"}, "nope", "must be a valid uuid"),
    "minimum": ({"type": "number", "minimum": 2.5}, 2, "must be >= 2.5"),
    "maximum": ({"type": "integer", "maximum": 3}, 4, "must be <= 3"),
    "exclusiveMinimum": ({"type": "number", "exclusiveMinimum": 0}, 0, "must be > 0"),
    "exclusiveMaximum": ({"type": "number", "exclusiveMaximum": 1}, 1.0, "must be < 1"),
    "multipleOf": ({"type": "number", "multipleOf": 0.5}, 0.75, "must be a multiple of 0.5"),
}


def test_every_keyword_has_one_entry() -> None:
    names = [keyword.name for keyword in TABLE]
    assert len(names) == len(set(names))
    assert set(KEYWORDS) == set(names)


def test_entries_are_complete() -> None:
    """A condition comes with its message; a checking keyword without a check names its owner."""
    for keyword in TABLE:
        if keyword.fails is not None:
            assert keyword.message is not None, keyword.name
            assert keyword.emit is None, f"{keyword.name}: one condition or statements, not both"
        if keyword.checking and not keyword.has_check and keyword.name != "type":  # type: the walker's dispatch
            assert keyword.owner in KEYWORDS and KEYWORDS[keyword.owner].has_check, keyword.name
        if keyword.kind in ("annotation", "identifier"):
            assert not keyword.has_check and not keyword.predicate, keyword.name


def test_the_assertion_keywords_are_json_schema_2020_12s() -> None:
    assert {
        *("type", "enum", "const", "properties", "additionalProperties", "patternProperties", "propertyNames"),
        *("minProperties", "maxProperties", "required", "dependentRequired", "dependentSchemas", "items"),
        *("prefixItems", "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems"),
        *("minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
        *("multipleOf", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "unevaluatedProperties"),
        *("unevaluatedItems", "$ref", "$dynamicRef"),
    } == ASSERTION_KEYWORDS


def test_the_table_drives_which_keywords_are_known() -> None:
    """Any entry is known (a refusal may concern its value, never the keyword); others are not."""
    for keyword in TABLE:
        try:
            compile_schemas({keyword.name: 1}, [("root", "")])
        except SpecError as error:
            assert "unknown JSON Schema keyword" not in str(error), keyword.name
    with pytest.raises(SpecError, match="did you mean 'minLength'"):
        compile_schemas({"minLenght": 1}, [("root", "")])


def test_every_one_condition_keyword_is_listed_here() -> None:
    assert {k.name for k in TABLE if k.fails is not None} == set(ONE_CONDITION)


@pytest.mark.parametrize("name", sorted(ONE_CONDITION))
def test_a_one_condition_keyword_reports_its_message(name: str) -> None:
    schema, bad, message = ONE_CONDITION[name]
    module = compile_module(schema, assert_formats=True)
    assert [(i.pointer, i.keyword, i.message) for i in module.validate_root(bad)] == [("", name, message)]


@pytest.mark.parametrize("name", sorted(ONE_CONDITION))
def test_the_predicate_flag_decides_the_single_expression_form(name: str) -> None:
    """Under `not`, a predicate keyword is one inline expression; others get a `-> bool` function.
    Either way the verdict is the same."""
    schema, bad, _ = ONE_CONDITION[name]
    source = compile_schemas({"not": schema}, [("root", "")], assert_formats=True)
    assert ("def _is_" not in source) == all(KEYWORDS[k].predicate for k in schema), source
    module = import_source(source)
    assert module.validate_root(bad) == []
