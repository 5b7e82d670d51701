"""Made-up instances of schemas (generator/emit/samples.py) and the README examples built from
them (generator/emit/examples.py): what the spec does not exemplify is filled in with values
the package's own validators accept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.adapters.jsonschema_values import ValueChecker
from generator.emit import examples as examples_module
from generator.emit.examples import Checks, examples
from generator.emit.pattern_samples import pattern_sample
from generator.emit.samples import Sampler, Variant
from generator.ir.parse import build_api
from generator.spec import load_spec
from tests.conftest import SPECS

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Kind": {"type": "string", "enum": ["circle", "square"]},
            "Base": {
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "secret": {"type": "string", "writeOnly": True},
                },
            },
            "Circle": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"required": ["radius"], "properties": {"kind": {"const": "circle"}, "radius": {"type": "number"}}},
                ]
            },
            "Square": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"required": ["side"], "properties": {"kind": {"const": "square"}, "side": {"type": "integer"}}},
                ]
            },
            "Open1": {"type": "object", "required": ["tag"], "properties": {"tag": {"type": "string"}}},
            "Open2": {
                "type": "object",
                "required": ["tag"],
                "properties": {"tag": {"type": "string"}, "extra": {"type": "string"}},
            },
        }
    }
}


def sample(schema: Any, direction: str = "request", **variant: Any) -> Any:
    value = Sampler(DOCUMENT, direction, Variant(**variant)).sample(schema)  # type: ignore[arg-type]
    return value


def valid(schema: Any, value: Any) -> bool:
    return ValueChecker(DOCUMENT).problem(schema, value) is None


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "uuid"},
        {"type": "string", "minLength": 12},
        {"type": "string", "maxLength": 3},
        {"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$", "minLength": 34, "maxLength": 34},
        {"type": "string", "pattern": r"^\+[1-9]\d{1,14}$"},
        {"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 7},
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        {"type": "integer", "maximum": -5},
        {"type": ["string", "null"], "enum": [None, "a"]},
        {"const": {"a": 1}},
        {"type": "array", "minItems": 3, "uniqueItems": True, "items": {"type": "string"}},
        {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}], "items": False},
        {"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}},
        {"type": "object", "required": ["a"], "dependentRequired": {"a": ["b"]}, "properties": {"a": {}, "b": {}}},
        {"$ref": "#/components/schemas/Circle"},
        {"oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}]},
    ],
)
def test_a_sample_is_an_instance_of_its_schema(schema: Any) -> None:
    value = sample(schema)
    assert valid(schema, value), value


def test_a_discriminator_picks_its_first_mapped_branch() -> None:
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
        "discriminator": {"propertyName": "kind", "mapping": {"square": "#/components/schemas/Square"}},
    }
    value = sample(schema)
    assert value["kind"] == "square" and "side" in value and valid(schema, value)


def test_branches_a_oneof_cannot_tell_apart_are_told_apart() -> None:
    # Both branches accept {"tag": ...}: JSON Schema's oneOf needs the other one to fail.
    schema = {"oneOf": [{"$ref": "#/components/schemas/Open1"}, {"$ref": "#/components/schemas/Open2"}]}
    value = sample(schema)
    assert valid(schema, value), value
    assert "extra" in value  # a member of the other branch, of a type it refuses


def test_read_only_members_stay_out_of_requests_and_write_only_out_of_responses() -> None:
    schema = {
        "type": "object",
        "required": ["id", "secret"],
        "properties": {"id": {"type": "string", "readOnly": True}, "secret": {"type": "string", "writeOnly": True}},
    }
    response = sample(schema, optional=True, direction="response")
    assert "secret" not in response and "id" in response
    request = sample(schema, optional=True)
    assert "secret" in request
    assert "id" not in request  # required holds for responses only: the client refuses it in a request


def test_examples_and_defaults_are_used_when_valid() -> None:
    assert sample({"type": "integer", "default": 20, "minimum": 1}) == 20
    assert sample({"type": "integer", "default": 0, "minimum": 1}) == 1
    assert sample({"type": "string", "example": "hello"}) == "hello"
    assert sample({"type": "string", "example": "hello"}, examples=False) == "example"


def test_binary_strings_of_a_multipart_body_are_bytes() -> None:
    assert sample({"type": "string", "format": "binary"}, files=True) == b"example"


@pytest.mark.parametrize(
    "pattern", [r"^[A-Z]{2}-\d+$", r"^(SM|MM)[0-9a-f]{32}$", r"^[^@\s]+@[a-z]+\.test$", r"^v\d+(\.\d+){2}$"]
)
def test_pattern_samples_match(pattern: str) -> None:
    text = pattern_sample(pattern)
    assert text is not None and re.search(pattern, text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(?=.*[A-Z])(?=.*\d)[A-Za-z\d]{8,}$",  # a password rule: lookaheads the plain walk skips
        r"^(?=.*[!@#])(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{12,64}$",
        r"^(?!admin$)[a-z]{5}$",  # the plain sample `aaaaa` already holds
        r"^(?!a)[a-c]{3}$",  # ... here it does not
        r"^(?=.*[~^])[^a-z]{4}$",
        r"^(?<!x)(ab|cd)\1$",
    ],
)
def test_lookaround_patterns_get_samples_that_match(pattern: str) -> None:
    text = pattern_sample(pattern)
    assert text is not None and re.search(pattern, text), text
    pattern_sample.cache_clear()
    assert pattern_sample(pattern) == text  # seeded: the same sample every run


def test_a_pattern_nothing_matches_has_no_sample() -> None:
    assert pattern_sample(r"^(?=a)b\w{40,}$") is None


def test_a_pattern_sample_grows_to_the_minimum_length() -> None:
    text = pattern_sample("^[a-z]+$", 10)
    assert text is not None and len(text) >= 10


SPEC = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things/{thingId}:
    post:
      operationId: makeThing
      parameters:
        - name: thingId
          in: path
          required: true
          schema: {type: string, pattern: '^th_[0-9]{4}$'}
        - name: mode
          in: header
          required: true
          example: bogus
          schema: {type: string, enum: [fast, slow]}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [a]
              properties:
                a: {type: string}
                b: {type: integer}
              x-rules:
                - id: needs-b
                  rule: "has(self.b)"
                  message: b is needed
            example: {b: 2}
      responses:
        "200": {description: ok}
"""


def test_examples_are_ones_the_package_validators_accept(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC, encoding="utf-8")
    api = build_api(load_spec(path))
    (operation,) = api.operations
    (example,) = examples(api, operation, [("thingId", "thing_id"), ("mode", "mode")], Checks(api))
    assert "thing_id='th_0000'," in example.call
    assert "mode='fast'," in example.call  # the spec's example is not one of the values
    # The spec's body example lacks `a`: completed; the x-rule needs `b`, which it has.
    assert "'a': 'example'," in example.call and "'b': 2," in example.call
    assert example.runnable


def test_an_x_rule_picks_the_variant_that_satisfies_it(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC.replace("            example: {b: 2}\n", ""), encoding="utf-8")
    api = build_api(load_spec(path))
    (operation,) = api.operations
    (example,) = examples(api, operation, [("thingId", "thing_id"), ("mode", "mode")], Checks(api))
    assert "'b': 1," in example.call  # the minimal body breaks the rule; with its optional members it holds


def test_a_body_whose_patterns_need_lookaheads_has_a_runnable_example(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    member = "                b: {type: integer}\n"
    password = "                password: {type: string, pattern: '^(?=.*[A-Z])(?=.*[0-9])[A-Za-z0-9]{8,}$'}\n"
    text = SPEC.replace(member, member + password).replace("required: [a]", "required: [a, password]")
    path.write_text(text, encoding="utf-8")
    api = build_api(load_spec(path))
    (operation,) = api.operations
    (example,) = examples(api, operation, [("thingId", "thing_id"), ("mode", "mode")], Checks(api))
    assert example.runnable and "'password': " in example.call


def test_a_body_no_value_satisfies_has_no_example(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        SPEC.replace("              type: object\n", "              allOf: [{type: string}, {type: integer}]\n"),
        encoding="utf-8",
    )
    api = build_api(load_spec(path))
    (operation,) = api.operations
    (example,) = examples(api, operation, [("thingId", "thing_id"), ("mode", "mode")], Checks(api))
    assert not example.runnable


def test_variants_are_sampled_only_until_one_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sampling is most of the README's cost: a variant is made only when those before it were refused."""
    path = tmp_path / "api.yaml"
    path.write_text(SPEC.replace("            example: {b: 2}\n", ""), encoding="utf-8")
    api = build_api(load_spec(path))
    (operation,) = api.operations
    made: list[Variant] = []

    class Counting(Sampler):
        def __init__(self, document: Any, direction: Any, variant: Variant | None = None) -> None:
            made.append(variant or Variant())
            super().__init__(document, direction, variant or Variant())

    monkeypatch.setattr(examples_module, "Sampler", Counting)
    (example,) = examples(api, operation, [("thingId", "thing_id"), ("mode", "mode")], Checks(api))
    assert example.runnable
    # thingId and mode: the first variant passes; the body: the third (its rule needs `b`).
    assert len(made) == 1 + 1 + 3


def test_example_checks_compile_the_validators_a_function_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large compiled module held whole in the compiler is hundreds of MB at 1,000 operations:
    the checks compile and run it in pieces, which define the same functions."""
    from generator.emit import examples as module
    from generator.emit.validators import compile_schemas

    api = build_api(load_spec(SPECS / "eventapp.yaml"))
    checks = Checks(api)
    source = compile_schemas(api.document, [(f"example_{i}", p) for i, p in enumerate(checks._pointers)])
    whole: dict[str, Any] = {}
    exec(compile(source, "<whole>", "exec"), whole)
    sizes: list[int] = []

    def recording(text: str, filename: str, mode: str) -> Any:
        sizes.append(len(text))
        return compile(text, filename, mode)

    monkeypatch.setattr(module, "compile", recording, raising=False)
    pieces = module._executed(source)
    assert len(sizes) > 3 and max(sizes) < len(source) and sum(sizes) == len(source)
    assert {name for name in pieces if name.startswith("validate_")} == {
        name for name in whole if name.startswith("validate_")
    }
    session = {"resource": [{"eventid": "x"}]}
    assert pieces["validate_example_0"](session) == whole["validate_example_0"](session)
