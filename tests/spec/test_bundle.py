"""$ref bundling: sibling files hoisted or inlined, every $ref local, bad refs located."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import Location, SpecError
from generator.spec import DEFAULT_MAX_SPEC_BYTES, load_spec
from generator.spec.bundle import bundle_spec, check_ref_cycles
from generator.spec.pointers import resolve_pointer
from tests.conftest import SPECS
from tests.spec.support import MINIMAL, error_of, write


def test_unresolvable_local_ref(tmp_path: Path) -> None:
    text = (SPECS / "zuddl.yaml").read_text().replace('schemas/SessionFile"', 'schemas/SessionFiel"')
    path = write(tmp_path, "z.yaml", text)
    assert error_of(path).startswith("z.yaml:229:19: unresolvable $ref '#/components/schemas/SessionFiel'")


def test_sibling_file_components_are_hoisted(tmp_path: Path) -> None:
    write(
        tmp_path,
        "common.yaml",
        """\
        components:
          schemas:
            Thing:
              type: object
              properties:
                child: {$ref: "#/components/schemas/Thing"}
                tag: {$ref: "#/components/schemas/Tag"}
            Tag: {type: string, maxLength: 3}
        """,
    )
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Box:\n      type: object\n"
            '      properties:\n        thing: {$ref: "common.yaml#/components/schemas/Thing"}\n',
        ),
    )
    spec = load_spec(main, "main.yaml")
    schemas = spec.data["components"]["schemas"]
    assert schemas["Box"]["properties"]["thing"] == {"$ref": "#/components/schemas/Thing"}
    assert schemas["Thing"]["properties"]["child"] == {"$ref": "#/components/schemas/Thing"}
    assert schemas["Tag"] == {"type": "string", "maxLength": 3}
    assert set(spec.referenced_files) == {"common.yaml"}
    assert str(spec.locate("/components/schemas/Tag/maxLength")) == "common.yaml:8:36"


def test_sibling_file_non_component_is_inlined(tmp_path: Path) -> None:
    write(tmp_path, "name.yaml", "type: string\nminLength: 1\n")
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Name:\n      $ref: name.yaml\n      description: a name\n",
        ),
    )
    spec = load_spec(main, "main.yaml")
    assert resolve_pointer(spec.data, "/components/schemas/Name") == {
        "type": "string",
        "minLength": 1,
        "description": "a name",
    }


def test_ref_to_missing_file(tmp_path: Path) -> None:
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace("paths: {}", "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: gone.yaml\n"),
    )
    assert error_of(main).startswith("main.yaml:9:13: $ref to a missing file 'gone.yaml'")


def test_cyclic_inlined_refs(tmp_path: Path) -> None:
    write(tmp_path, "loop.yaml", "type: object\nproperties:\n  again: {$ref: 'loop.yaml'}\n")
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace("paths: {}", "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: loop.yaml\n"),
    )
    message = error_of(main)
    assert message.startswith("loop.yaml:3:17: cyclic $ref"), message


def test_remote_refs_are_refused(tmp_path: Path) -> None:
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace(
            "paths: {}", "paths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: https://example.com/a.yaml\n"
        ),
    )
    message = error_of(main)
    assert (
        "a remote reference no ref map covers: map it to local files with `--ref-map https://example.com/=DIR`"
        in message
    )


def test_refs_inside_extensions_are_left_to_their_tool(tmp_path: Path) -> None:
    # Cohere's spec: x-fern-examples code samples `$ref` TypeScript files that are not there.
    path = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.1.0
        info: {title: t, version: "1"}
        paths:
          /things:
            get:
              responses:
                "200": {description: ok}
              x-fern-examples:
                - code-samples:
                    - sdk: typescript
                      code: {$ref: ./snippets/list-things.ts}
        components:
          schemas:
            Thing:
              type: object
              properties:
                x-count: {$ref: "#/components/schemas/Count"}
              x-codeSamples: [{source: {$ref: ./snippets/thing.js}}]
            Count: {type: integer}
        """,
    )
    spec = load_spec(path)
    operation = spec.data["paths"]["/things"]["get"]
    assert operation["x-fern-examples"][0]["code-samples"][0]["code"] == {"$ref": "./snippets/list-things.ts"}
    assert spec.referenced_files == {}
    # a property named x-... is a schema, not an extension: its $ref is still checked
    broken = path.read_text().replace('schemas/Count"}', 'schemas/Cont"}')
    assert "unresolvable $ref '#/components/schemas/Cont'" in error_of(write(tmp_path, "b.yaml", broken))


def test_a_sibling_component_that_clashes_with_the_spec_s_own_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "components:\n  schemas:\n    Thing: {type: string}\n")
    main = write(
        tmp_path,
        "main.yaml",
        MINIMAL.replace(
            "paths: {}",
            "paths: {}\ncomponents:\n  schemas:\n    Thing: {type: integer}\n"
            '    Box: {$ref: "common.yaml#/components/schemas/Thing"}\n',
        ),
    )
    message = error_of(main)
    assert message.startswith(
        "main.yaml:9:17: $ref to common.yaml#/components/schemas/Thing clashes with the spec's own "
        "components/schemas/Thing; rename one of them"
    ), message
    assert message.endswith("\nmain.yaml:8:12: (see also)")


def test_ref_cycles_that_never_descend_are_refused_and_others_allowed() -> None:
    data = {
        "components": {
            "schemas": {
                "A": {"allOf": [{"$ref": "#/components/schemas/B"}]},
                "B": {"not": {"$ref": "#/components/schemas/A"}},
                "Tree": {"properties": {"children": {"items": {"$ref": "#/components/schemas/Tree"}}}},
            }
        }
    }
    with pytest.raises(SpecError) as caught:
        check_ref_cycles(data, lambda pointer: Location("f.yaml", pointer=pointer))
    (diagnostic,) = caught.value.diagnostics
    assert str(diagnostic) == (
        "f.yaml#/components/schemas/B/not/$ref: cyclic $ref: A refers back to itself without descending "
        "into a property or item"
    )
    del data["components"]["schemas"]["B"]["not"]
    check_ref_cycles(data, lambda pointer: Location("f.yaml", pointer=pointer))


def test_bundling_does_not_validate(tmp_path: Path) -> None:
    path = write(tmp_path, "api.yaml", MINIMAL.replace("title: t", "title: 12"))
    spec = bundle_spec(path, "api.yaml", DEFAULT_MAX_SPEC_BYTES)
    assert spec.data["info"]["title"] == 12
    assert spec.referenced_files == {}


def test_a_top_level_list_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "api.yaml", "- openapi: 3.1.0\n")
    assert error_of(path) == "api.yaml:1:1: an OpenAPI document must be a mapping at the top level"
