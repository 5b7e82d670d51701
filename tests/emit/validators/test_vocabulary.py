"""The keyword rule (generator/emit/validators/vocabulary.py): every keyword sdkgen cannot check
is refused, each at its name, in a schema and in every schema inside it."""

from __future__ import annotations

from generator.emit.validators import vocabulary


def test_every_unknown_keyword_of_a_node_is_refused_at_its_name() -> None:
    node = {"type": "string", "maxLenght": 3, "nullable": True, "x-vendor": 1, "dependencies": {}}
    found = vocabulary.problems(node, "/components/schemas/A")
    assert [(d.pointer, d.key) for d in found] == [
        ("/components/schemas/A/maxLenght", True),
        ("/components/schemas/A/nullable", True),
        ("/components/schemas/A/dependencies", True),
    ]
    assert "did you mean 'maxLength'?" in found[0].message
    assert found[1].message == "`nullable` is OpenAPI 3.0: in 3.1 write type: [..., 'null']"
    assert "dependentRequired" in found[2].message


def test_refusals_walk_into_subschemas() -> None:
    schema = {"type": "object", "properties": {"a": {"items": {"minimun": 1}}}}
    (found,) = vocabulary.refusals([(schema, "/paths/~1x/get/parameters/0/schema")])
    assert found.pointer == "/paths/~1x/get/parameters/0/schema/properties/a/items/minimun"
    assert "did you mean 'minimum'?" in found.message


def test_a_schema_uri_that_is_no_string_is_refused() -> None:
    (found,) = vocabulary.problems({"$schema": 7}, "")
    assert found.pointer == "/$schema" and found.message == "$schema must be a URI"
