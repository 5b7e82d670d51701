"""--lenient: each vendor defect of the list is a located warning with its repair made; the repairs,
printed as an overlay and saved beside the spec, make it generate strictly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.inputs import LoadOptions
from generator.pipeline import Rendered, render_spec

LENIENT = LoadOptions(lenient=True)


def spec_text(version: str, schemas: str, info: str = '  title: Shop\n  version: "1"\n', extra: str = "") -> str:
    return (
        f"openapi: {version}\ninfo:\n{info}{extra}"
        "paths:\n"
        "  /items:\n"
        "    get:\n"
        "      operationId: listItems\n"
        "      responses:\n"
        '        "200":\n'
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {$ref: '#/components/schemas/Item'}\n"
        "components:\n"
        "  schemas:\n" + textwrap.indent(textwrap.dedent(schemas), "    ")
    )


def render(path: Path, load: LoadOptions | None = None) -> Rendered:
    return render_spec(path, concurrent=False, load=load)


# (id, OpenAPI version, the Item schema (line 17 of the spec is its first line), warning expected)
CASES = [
    (
        "nullable-3.1",
        "3.1.0",
        "Item:\n  type: object\n  properties:\n    name: {type: string, nullable: true}\n",
        "shop.yaml:20:40: warning: `nullable: true` is OpenAPI 3.0: in this 3.1 document read as type: ['string',",
    ),
    (
        "nullable-ref-3.1",
        "3.1.0",
        "Item:\n  type: object\n  properties:\n    next: {$ref: '#/components/schemas/Item', nullable: true}\n",
        "shop.yaml:20:61: warning: `nullable: true` is OpenAPI 3.0: in this 3.1 document read as anyOf: [...",
    ),
    (
        "null-type-3.0",
        "3.0.3",
        "Item:\n  type: object\n  properties:\n    name:\n      anyOf:\n        - {type: string}\n"
        "        - {type: 'null'}\n",
        "shop.yaml:23:15: warning: a `{type: 'null'}` branch of `anyOf` is not OpenAPI 3.0: read as `nullable: true`",
    ),
    (
        "undefined-required",
        "3.1.0",
        "Item:\n  type: object\n  required: [id, name]\n  properties:\n    id: {type: string}\n",
        "shop.yaml:19:22: warning: required 'name' not defined in properties: dropped from `required`",
    ),
    (
        "empty-oneOf",
        "3.1.0",
        "Item:\n  type: object\n  properties:\n    kind:\n      oneOf: []\n",
        "shop.yaml:21:18: warning: `oneOf: []` removed (an empty list of schemas)",
    ),
    (
        "default-null",
        "3.1.0",
        "Item:\n  type: object\n  properties:\n    name:\n      type: string\n      default: null\n",
        "shop.yaml:22:20: warning: `default: null` dropped: the schema does not accept null",
    ),
    (
        "default-breaks-schema",
        "3.0.3",
        "Item:\n  type: object\n  properties:\n    count:\n      type: integer\n      default: '12'\n",
        "shop.yaml:22:20: warning: the default value '12' breaks its own schema ('12' is not of type 'integer')",
    ),
    (
        "unknown-keyword",
        "3.1.0",
        "Item:\n  type: object\n  unresolvedProperites: false\n",
        "shop.yaml:19:29: warning: unknown schema keyword 'unresolvedProperites' dropped, as JSON Schema ignores it",
    ),
    (
        "boolean-exclusive-3.1",
        "3.1.0",
        "Item:\n  type: object\n  properties:\n    n: {type: integer, minimum: 1, exclusiveMinimum: true}\n",
        "shop.yaml:20:58: warning: a boolean exclusiveMinimum is OpenAPI 3.0: read as `exclusiveMinimum: 1`",
    ),
    (
        "untranslatable-pattern",
        "3.1.0",
        "Item:\n  type: object\n  properties:\n    name: {type: string, pattern: '^\\p{L}+$'}\n",
        "shop.yaml:20:39: warning: pattern '^\\\\p{L}+$' cannot be checked in Python",
    ),
]


@pytest.mark.parametrize(("version", "schemas", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_each_defect_is_refused_strictly_and_repaired_leniently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, schemas: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = Path("shop.yaml")
    spec.write_text(spec_text(version, schemas))
    with pytest.raises(SpecError):
        render(spec)
    lenient = render(spec, LENIENT)
    assert [str(w) for w in lenient.warnings if expected in str(w)], [str(w) for w in lenient.warnings]
    assert lenient.repair_overlay is not None
    # The printed overlay, saved beside the spec, applies by itself: the spec is strict-clean,
    # and the package is the lenient one (its manifest lists the overlay besides).
    Path("shop.overlay.yaml").write_text(lenient.repair_overlay)
    strict = render(spec)
    assert strict.warnings == ()
    assert {k: v for k, v in strict.files.items() if k != ".sdkgen.json"} == {
        k: v for k, v in lenient.files.items() if k != ".sdkgen.json"
    }
    assert b'"shop.overlay.yaml"' in strict.files[".sdkgen.json"]


def test_missing_info_version_and_dialect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = Path("shop.yaml")
    schemas = "Item: {type: object}\n"
    spec.write_text(spec_text("3.1.0", schemas, info="  title: Shop\n", extra="jsonSchemaDialect: x-draft-4\n"))
    lenient = render(spec, LENIENT)
    assert [str(w) for w in lenient.warnings] == [
        "shop.yaml:3:3: warning: info.version is missing: taken as '0.0.0'",
        "shop.yaml:4:20: warning: jsonSchemaDialect 'x-draft-4' dropped: schemas are read as JSON Schema 2020-12",
    ]
    Path("shop.overlay.yaml").write_text(lenient.repair_overlay or "")
    assert render(spec).warnings == ()


def test_an_operation_that_cannot_be_generated_is_skipped_and_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = Path("shop.yaml")
    text = spec_text("3.1.0", "Item: {type: object}\n").replace(
        "paths:\n",
        "paths:\n  /items/{id}:\n    get:\n      operationId: getItem\n      responses:\n"
        "        '200': {description: ok}\n",
    )
    spec.write_text(text)
    lenient = render(spec, LENIENT)
    warning = str(lenient.warnings[-1])
    assert warning.startswith(
        "shop.yaml:7:5: warning: operation GET /items/{id} (getItem) skipped: it cannot be generated: "
    )
    assert "Path parameter 'id' for 'get' operation" in warning
    readme = lenient.files["README.md"].decode()
    assert "## Operations left out" in readme
    assert "| `GET /items/{id}` (`getItem`) | invalid OpenAPI document: Path parameter 'id'" in readme
    assert "def get_item" not in lenient.files["client.py"].decode()
    assert "def list_items" in lenient.files["client.py"].decode()
    Path("shop.overlay.yaml").write_text(lenient.repair_overlay or "")
    strict = render(spec)
    assert strict.files["client.py"] == lenient.files["client.py"]


def test_a_defect_outside_any_operation_that_is_not_on_the_list_still_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = Path("shop.yaml")
    spec.write_text(spec_text("3.1.0", "Item:\n  $ref: 'https://schemas.example.com/item.json'\n"))
    with pytest.raises(SpecError) as caught:
        render(spec, LENIENT)
    assert "--ref-map" in str(caught.value)  # a remote $ref nothing maps: no repair makes it up


def test_a_clean_spec_has_no_repairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    spec = Path("shop.yaml")
    spec.write_text(spec_text("3.1.0", "Item: {type: object}\n"))
    lenient = render(spec, LENIENT)
    assert lenient.warnings == () and lenient.repair_overlay is None
    assert lenient.files == render(spec).files
