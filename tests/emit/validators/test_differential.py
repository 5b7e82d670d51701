"""Differential tests: the compiled validators against `jsonschema.Draft202012Validator`.

For generated schemas and instances, the verdict and the set of (pointer, keyword) pairs
must agree. jsonschema's errors are flattened the way sdkgen reports issues: one per
failing keyword at the failing value; anyOf/oneOf/not are single errors on both sides.
Differences by design are kept out of the generators: `pattern` uses only constructs that
ECMA-262 and Python read alike (jsonschema runs Python's `re`), `multipleOf` only integers
(jsonschema divides floats), no unevaluated*/discriminator/format.

The in-suite run is small; `SDKGEN_FUZZ=1 pytest tests/emit/validators/test_differential.py`
runs the long "fuzz" profile (or set SDKGEN_FUZZ to a number of examples).
"""

from __future__ import annotations

import os
import sys
import types
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from generator.emit.validators import compile_schemas

from .support import api_source

_FUZZ = os.environ.get("SDKGEN_FUZZ", "")
_FUZZ_EXAMPLES = int(_FUZZ) if _FUZZ.isdigit() and int(_FUZZ) > 1 else 3000
settings.register_profile(
    "sdkgen-quick", max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
settings.register_profile(
    "sdkgen-fuzz", max_examples=_FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)
PROFILE = "sdkgen-fuzz" if _FUZZ else "sdkgen-quick"

KEYS = ["a", "b", "c", "x-1", "aa"]
PATTERNS = ["^a", "b", "^x-", "[0-9]", "a{2}", "^(a|b)+", "[^a]"]


def _json_leaf() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 12),
        st.sampled_from([0.0, 1.0, 2.5, -1.5, 3.0]),
        st.text(alphabet="ab-x01", max_size=4),
    )


JSON = st.recursive(
    _json_leaf(),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12,
)


def _keyword_strategies(children: st.SearchStrategy[Any] | None) -> dict[str, st.SearchStrategy[Any]]:
    types_ = st.sampled_from(["null", "boolean", "object", "array", "number", "string", "integer"])
    keywords: dict[str, st.SearchStrategy[Any]] = {
        "type": st.one_of(types_, st.lists(types_, min_size=1, max_size=3, unique=True)),
        "enum": st.lists(_json_leaf(), min_size=1, max_size=3),
        "const": _json_leaf(),
        "minLength": st.integers(0, 3),
        "maxLength": st.integers(0, 3),
        "pattern": st.sampled_from(PATTERNS),
        "minimum": st.integers(-2, 5),
        "maximum": st.sampled_from([-1, 0, 3, 4.5]),
        "exclusiveMinimum": st.integers(-2, 5),
        "exclusiveMaximum": st.integers(0, 8),
        "multipleOf": st.integers(1, 3),
        "minItems": st.integers(0, 2),
        "maxItems": st.integers(0, 3),
        "uniqueItems": st.booleans(),
        "minProperties": st.integers(0, 2),
        "maxProperties": st.integers(0, 3),
        "required": st.lists(st.sampled_from(KEYS), max_size=2, unique=True),
        "dependentRequired": st.dictionaries(
            st.sampled_from(KEYS), st.lists(st.sampled_from(KEYS), max_size=2, unique=True), max_size=2
        ),
        "propertyNames": st.fixed_dictionaries({"maxLength": st.integers(0, 2)}),
    }
    if children is not None:
        ref_or_child = st.one_of(children, st.just({"$ref": "#"}))
        keywords |= {
            "properties": st.dictionaries(st.sampled_from(KEYS), ref_or_child, max_size=3),
            "patternProperties": st.dictionaries(st.sampled_from(PATTERNS[:3]), children, max_size=2),
            "additionalProperties": children,
            "items": ref_or_child,
            "prefixItems": st.lists(children, min_size=1, max_size=2),
            "contains": children,
            "minContains": st.integers(0, 2),
            "maxContains": st.integers(0, 2),
            "allOf": st.lists(children, min_size=1, max_size=2),
            "anyOf": st.lists(children, min_size=1, max_size=3),
            "oneOf": st.lists(children, min_size=1, max_size=3),
            "not": children,
            "if": children,
            "then": children,
            "else": children,
            "dependentSchemas": st.dictionaries(st.sampled_from(KEYS), children, max_size=2),
        }
    return keywords


def _schema(children: st.SearchStrategy[Any] | None) -> st.SearchStrategy[Any]:
    """A schema object with up to four keywords."""
    strategies = _keyword_strategies(children)
    names = st.lists(st.sampled_from(sorted(strategies)), max_size=4, unique=True)
    return names.flatmap(lambda chosen: st.fixed_dictionaries({n: strategies[n] for n in chosen}))


SCHEMAS = st.recursive(st.one_of(st.booleans(), _schema(None)), _schema, max_leaves=8)


def _exec(source: str) -> types.ModuleType:
    module = types.ModuleType("differential_case")
    sys.modules[module.__name__] = module
    exec(compile(source, "<validators>", "exec"), module.__dict__)
    return module


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def reference(schema: Any, instance: Any) -> set[tuple[str, str]]:
    validator = jsonschema.Draft202012Validator(schema)
    return {
        (_pointer(e.absolute_path), str(e.validator) if e.validator else "false")
        for e in validator.iter_errors(instance)
    }


def ours(module: types.ModuleType, function: str, instance: Any) -> set[tuple[str, str]]:
    issues = getattr(module, function)(instance)
    return {(i.pointer, i.keyword) for i in issues if i.severity == "error" and not i.keyword.startswith("x-rules/")}


def agree(found: set[tuple[str, str]], expected: set[tuple[str, str]]) -> bool:
    """Equal, allowing for a jsonschema bug: when it descends into a `false` subschema
    (`properties: {a: false}`, `items: false` inside prefixItems...) its error loses the
    last path element, so it points at the parent of the value sdkgen (correctly) names."""
    if found == expected:
        return True
    adjusted = {
        (pointer.rsplit("/", 1)[0], keyword)
        if keyword == "false" and (pointer, keyword) not in expected and pointer
        else (pointer, keyword)
        for pointer, keyword in found
    }
    return adjusted == expected


@settings.get_profile(PROFILE)
@given(schema=SCHEMAS, data=st.data())
def test_generated_schemas_agree_with_jsonschema(schema: Any, data: st.DataObject) -> None:
    module = _exec(compile_schemas(schema, [("root", "")]))
    for instance in data.draw(st.lists(JSON, min_size=1, max_size=4), label="instances"):
        expected = reference(schema, instance)
        found = ours(module, "validate_root", instance)
        assert agree(found, expected), (schema, instance, found, expected)


@pytest.mark.parametrize(
    ("spec", "name"),
    [("zuddl.yaml", "CreateSessionRequest"), ("zuddl.yaml", "Session"), ("eventapp.yaml", "CreateSessionsRequest")],
)
def test_api_schemas_agree_with_jsonschema(spec: str, name: str) -> None:
    import yaml

    from .support import ROOT

    document = yaml.safe_load((ROOT / "specs" / spec).read_text())
    whole = {**document, "$ref": f"#/components/schemas/{name}"}
    standalone = {"$ref": f"#/$defs/{name}", "$defs": document["components"]["schemas"]}
    standalone = _rewrite_refs(standalone)
    module = _exec(api_source(spec))
    function = "validate_" + "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")

    @settings.get_profile(PROFILE)
    @given(instance=st.one_of(from_schema(_without_rules(standalone)), JSON, _mutated(standalone)))
    def check(instance: Any) -> None:
        found, expected = ours(module, function, instance), reference(whole, instance)
        assert agree(found, expected), (instance, found, expected)

    check()


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (v.replace("#/components/schemas/", "#/$defs/") if k == "$ref" else _rewrite_refs(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(v) for v in node]
    return node


def _without_rules(node: Any) -> Any:
    """The schema instances are generated from: no x-rules, and no allOf/dependentRequired,
    which make hypothesis-jsonschema slow (jsonschema still judges with the full schema)."""
    dropped = {"example", "allOf", "dependentRequired"}
    if isinstance(node, dict):
        return {k: _without_rules(v) for k, v in node.items() if not k.startswith("x-") and k not in dropped}
    if isinstance(node, list):
        return [_without_rules(v) for v in node]
    return node


def _mutated(schema: Any) -> st.SearchStrategy[Any]:
    """Valid instances with one member replaced or added: near misses find more bugs."""

    def mutate(value: Any, key: str, replacement: Any) -> Any:
        if isinstance(value, dict):
            return {**value, key: replacement}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            return [{**value[0], key: replacement}, *value[1:]]
        return value

    keys = st.sampled_from(["title", "startDateTime", "tags", "resource", "eventid", "sessiontype", "capacity", "x"])
    return st.builds(mutate, from_schema(_without_rules(schema)), keys, JSON)
