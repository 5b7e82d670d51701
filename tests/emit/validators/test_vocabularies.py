"""`$schema` naming a custom meta-schema: its `$vocabulary` decides which keywords assert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import SpecError
from generator.emit.validators import compile_schemas

from .support import import_source, pairs

VOCAB = "https://json-schema.org/draft/2020-12/vocab/"


def _document(vocabulary: dict[str, bool], schema: dict[str, Any]) -> dict[str, Any]:
    """A document holding the meta-schema (by $id) and the schema that names it."""
    meta = {"$id": "https://x.test/meta", "$vocabulary": vocabulary}
    return {"$defs": {"meta": meta, "s": {"$schema": "https://x.test/meta", **schema}}}


def _module(document: dict[str, Any], pointer: str = "/$defs/s", **options: Any) -> Any:
    return import_source(compile_schemas(document, [("root", pointer)], **options), "vocabulary")


def test_keywords_of_a_left_out_vocabulary_check_nothing() -> None:
    document = _document(
        {VOCAB + "core": True, VOCAB + "applicator": True},
        {"properties": {"n": {"minimum": 10, "type": "integer"}, "bad": False}},
    )
    module = _module(document)
    assert module.validate_root({"n": 1}) == []  # validation's keywords are not keywords here
    assert module.validate_root({"n": "x"}) == []
    assert pairs(module.validate_root({"bad": 1})) == {("/bad", "false")}  # the applicators still apply


def test_every_vocabulary_in_effect_without_a_custom_dialect() -> None:
    schema = {"properties": {"n": {"minimum": 10}}}
    for dialect in ({}, {"$schema": "https://json-schema.org/draft/2020-12/schema"}):
        module = _module({"$defs": {"s": {**dialect, **schema}}})
        assert pairs(module.validate_root({"n": 1})) == {("/n", "minimum")}


def test_an_unknown_optional_vocabulary_is_ignored_and_a_required_one_refused_at_the_schema() -> None:
    optional = _document({VOCAB + "core": True, VOCAB + "validation": True, "https://x.test/vocab/mine": False}, {})
    _module({**optional, "$defs": {**optional["$defs"], "s": {"$schema": "https://x.test/meta", "type": "number"}}})
    required = _document({VOCAB + "core": True, "https://x.test/vocab/mine": True}, {"type": "number"})
    with pytest.raises(SpecError) as raised:
        compile_schemas(required, [("root", "/$defs/s")])
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.pointer == "/$defs/s/$schema"
    assert "requires the vocabulary https://x.test/vocab/mine, which sdkgen does not know" in diagnostic.message


def test_the_format_assertion_vocabulary_makes_formats_assert() -> None:
    document = _document({VOCAB + "core": True, VOCAB + "format-assertion": False}, {"format": "ipv4"})
    module = _module(document)
    assert module.validate_root("127.0.0.1") == []
    assert pairs(module.validate_root("x")) == {("", "format")}
    annotation = _document({VOCAB + "core": True, VOCAB + "format-annotation": True}, {"format": "ipv4"})
    assert _module(annotation).validate_root("x") == []


def test_a_meta_schema_read_through_the_ref_map(tmp_path: Path) -> None:
    (tmp_path / "meta.json").write_text(json.dumps({"$vocabulary": {VOCAB + "core": True}}))
    schema = {"$schema": "https://x.test/schemas/meta.json", "type": "string", "minLength": 3}
    module = import_source(
        compile_schemas(schema, [("root", "")], ref_map=(("https://x.test/schemas/", str(tmp_path)),))
    )
    assert module.validate_root(1) == []  # no validation vocabulary: type and minLength check nothing
    with pytest.raises(SpecError, match="no ref map covers it: map it to local files with `--ref-map"):
        compile_schemas(schema, [("root", "")])


SPEC = """openapi: 3.1.0
info: {title: V, version: "1"}
paths: {}
components:
  schemas:
    Meta:
      $id: https://x.test/meta
      $vocabulary:
        https://json-schema.org/draft/2020-12/vocab/core: true
        https://json-schema.org/draft/2020-12/vocab/applicator: true
    Thing:
      $schema: https://x.test/meta
      type: object
      properties:
        n: {type: integer, minimum: 10}
        gone: false
"""


def test_a_spec_providing_its_meta_schema_is_validated_and_followed(tmp_path: Path) -> None:
    from generator.emit.validators import render_validators
    from generator.ir.parse import build_api
    from generator.spec import load_spec

    path = tmp_path / "v.yaml"
    path.write_text(SPEC)
    module = import_source(render_validators(build_api(load_spec(path))), "spec_vocabulary")
    assert module.validate("Thing", {"n": 1}) == []
    assert pairs(module.validate("Thing", {"gone": 1})) == {("/gone", "false")}
    path.write_text(SPEC.replace("$id: https://x.test/meta", "$id: https://x.test/other"))
    with pytest.raises(SpecError, match="Unknown JSON Schema dialect"):
        load_spec(path)
