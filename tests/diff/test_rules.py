"""Every rule, from a pair of small specs: one case per rule, and cases that look breaking but
are not, in each direction. Each case states exactly which rule ids the diff must report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.diff.findings import RULES
from tests.diff.support import PET_ID, Change, Spec, diff, spec


def _walk(document: Spec, keys: tuple[Any, ...]) -> Any:
    node: Any = document
    for key in keys:
        node = node[key]
    return node


def put(*path: Any) -> Change:
    """put(k1, k2, ..., value): set document[k1][k2]... = value."""
    *keys, value = path

    def change(document: Spec) -> None:
        _walk(document, tuple(keys[:-1]))[keys[-1]] = value

    return change


def drop(*keys: Any) -> Change:
    def change(document: Spec) -> None:
        del _walk(document, keys[:-1])[keys[-1]]

    return change


def append(*path: Any) -> Change:
    *keys, value = path

    def change(document: Spec) -> None:
        _walk(document, tuple(keys)).append(value)

    return change


def both(*changes: Change) -> Change:
    def change(document: Spec) -> None:
        for each in changes:
            each(document)

    return change


def rename_key(*path: Any) -> Change:
    *keys, new = path

    def change(document: Spec) -> None:
        parent = _walk(document, tuple(keys[:-1]))
        items = list(parent.items())
        parent.clear()
        parent.update((new if key == keys[-1] else key, value) for key, value in items)

    return change


PETS = ("paths", "/pets")
PET = ("paths", "/pets/{petId}")
SCHEMAS = ("components", "schemas")
NEW_PET = (*SCHEMAS, "NewPet", "properties")
PET_PROPS = (*SCHEMAS, "Pet", "properties")
LIST_PARAMS = (*PETS, "get", "parameters")
ANIMAL = (*SCHEMAS, "Animal")


@dataclass(frozen=True)
class Case:
    name: str
    new: Change
    expected: frozenset[str]
    old: Change | None = None


def case(name: str, new: Change, *expected: str, old: Change | None = None) -> Case:
    return Case(name, new, frozenset(expected), old)


CASES = [
    # ------------------------------------------------------------ paths and operations
    case("path removed", drop("paths", "/pets/{petId}"), "path-removed"),
    case("operation removed", drop(*PET, "delete"), "operation-removed"),
    case(
        "operation added",
        put(
            *PET, "put", {"operationId": "putPet", "parameters": [PET_ID], "responses": {"204": {"description": "ok"}}}
        ),
        "operation-added",
    ),
    case("method changed", rename_key(*PET, "delete", "post"), "operation-method-changed"),
    case(
        "path changed",
        lambda d: d["paths"].update({"/pets/{petId}/remove": {"delete": d["paths"][PET[1]].pop("delete")}}),
        "operation-path-changed",
    ),
    case("operationId changed", put(*PET, "get", "operationId", "fetchPet"), "operation-id-changed"),
    # ------------------------------------------------------------ parameters
    case(
        "required parameter added",
        append(*LIST_PARAMS, {"name": "X-Shop", "in": "header", "required": True, "schema": {"type": "string"}}),
        "parameter-added-required",
    ),
    case("parameter removed", lambda d: d["paths"]["/pets"]["get"]["parameters"].pop(1), "parameter-removed"),
    case("parameter moved", put(*LIST_PARAMS, 1, "in", "header"), "parameter-moved"),
    case("parameter type changed", put(*LIST_PARAMS, 0, "schema", {"type": "string"}), "parameter-type-changed"),
    case(
        "parameter format added",
        put(*PET, "get", "parameters", 0, "schema", "format", "uuid"),
        "parameter-type-changed",
    ),
    case("parameter made required", put(*LIST_PARAMS, 0, "required", True), "parameter-made-required"),
    case("parameter maximum lowered", put(*LIST_PARAMS, 0, "schema", "maximum", 50), "parameter-constraint-narrowed"),
    case(
        "parameter enum value removed",
        put(*LIST_PARAMS, 1, "schema", "enum", ["available"]),
        "parameter-constraint-narrowed",
    ),
    case("parameter style changed", put(*LIST_PARAMS, 1, "explode", False), "parameter-style-changed"),
    case("parameter allowReserved", put(*LIST_PARAMS, 1, "allowReserved", True), "parameter-style-changed"),
    # ------------------------------------------------------------ request bodies
    case("request body removed", drop(*PETS, "post", "requestBody"), "request-body-removed"),
    case(
        "request body made required",
        put(*PETS, "post", "requestBody", "required", True),
        "request-body-made-required",
        old=put(*PETS, "post", "requestBody", "required", False),
    ),
    case(
        "request media type changed",
        rename_key(*PETS, "post", "requestBody", "content", "application/json", "application/x-www-form-urlencoded"),
        "request-media-type-changed",
    ),
    case("request member removed", drop(*NEW_PET, "tag"), "request-property-removed"),
    case(
        "request member made required", append(*SCHEMAS, "NewPet", "required", "tag"), "request-property-made-required"
    ),
    case(
        "required request member added",
        both(put(*NEW_PET, "colour", {"type": "string"}), append(*SCHEMAS, "NewPet", "required", "colour")),
        "request-property-made-required",
    ),
    case("request type changed", put(*NEW_PET, "age", {"type": "string"}), "request-type-changed"),
    case("request enum value removed", put(*NEW_PET, "kind", "enum", ["cat"]), "request-enum-value-removed"),
    case(
        "request object closed",
        put(*SCHEMAS, "NewPet", "additionalProperties", False),
        "request-additional-properties-closed",
    ),
    case(
        "request map narrowed to no members",
        put(*NEW_PET, "labels", "additionalProperties", False),
        "request-additional-properties-closed",
    ),
    case("request maxLength lowered", put(*NEW_PET, "name", "maxLength", 20), "request-constraint-narrowed"),
    case("request pattern added", put(*NEW_PET, "name", "pattern", "^[a-z]+$"), "request-constraint-narrowed"),
    case("request minimum raised", put(*NEW_PET, "age", "minimum", 1), "request-constraint-narrowed"),
    case(
        "request x-rules error added",
        put(*SCHEMAS, "NewPet", "x-rules", [{"id": "named", "rule": "size(self.name) > 0", "message": "a name"}]),
        "request-rule-added",
    ),
    case(
        "union branch removed",
        both(
            put(*ANIMAL, "oneOf", [{"$ref": "#/components/schemas/Cat"}]),
            put(*ANIMAL, "discriminator", "mapping", {"cat": "#/components/schemas/Cat"}),
        ),
        "request-variant-removed",
        "request-discriminator-changed",
        "response-narrowed",
    ),
    case(
        "union branch added",
        both(
            put(*SCHEMAS, "Bird", {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}),
            append(*ANIMAL, "oneOf", {"$ref": "#/components/schemas/Bird"}),
            put(*ANIMAL, "discriminator", "mapping", "bird", "#/components/schemas/Bird"),
        ),
        "response-variant-added",
        "response-discriminator-changed",
        "request-widened",
    ),
    case(
        "discriminator property changed",
        put(*ANIMAL, "discriminator", "propertyName", "type"),
        "request-discriminator-changed",
        "response-discriminator-changed",
    ),
    # ------------------------------------------------------------ responses
    case(
        "success status removed",
        drop(*PETS, "post", "responses", "200"),
        "response-status-removed",
        old=put(
            *PETS,
            "post",
            "responses",
            "200",
            {"description": "also", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
        ),
    ),
    case("status added", put(*PETS, "post", "responses", "409", {"description": "taken"}), "response-status-added"),
    case(
        "response media type changed",
        rename_key(*PET, "get", "responses", "200", "content", "application/json", "text/plain"),
        "response-media-type-changed",
        "sdk-return-type-changed",  # a text/plain body is returned as `str`
    ),
    case(
        "response media type added",
        put(
            *PET,
            "get",
            "responses",
            "200",
            "content",
            "application/xml",
            {"schema": {"$ref": "#/components/schemas/Pet"}},
        ),
        "response-media-type-added",
    ),
    case("response member removed", drop(*PET_PROPS, "tag"), "response-property-removed"),
    case("response member made optional", put(*SCHEMAS, "Pet", "required", ["id"]), "response-property-made-optional"),
    case(
        "response member made nullable", put(*PET_PROPS, "name", "type", ["string", "null"]), "response-made-nullable"
    ),
    case("response type widened", put(*PET_PROPS, "id", "type", ["integer", "string"]), "response-type-widened"),
    case(
        "response format removed",
        drop(*PET_PROPS, "tag", "format"),
        "response-type-widened",
        old=put(*PET_PROPS, "tag", "format", "uuid"),
    ),
    case(
        "response enum value added",
        put(*PET_PROPS, "status", "enum", ["available", "sold", "pending"]),
        "response-enum-value-added",
    ),
    case("response maxLength raised", put(*PET_PROPS, "name", "maxLength", 100), "response-constraint-widened"),
    case("response member added", put(*PET_PROPS, "colour", {"type": "string"}), "response-property-added"),
    case(
        "response anyOf branch added",
        put(*PET_PROPS, "tag", {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        "response-variant-added",
        old=put(*PET_PROPS, "tag", {"anyOf": [{"type": "string"}]}),
    ),
    case(
        "recursive schema changed",
        put(*SCHEMAS, "Tree", "properties", "name", "type", "integer"),
        "response-type-widened",
    ),
    # ------------------------------------------------------------ security and servers
    case(
        "security added",
        drop(*PET, "get", "security"),
        "security-requirement-added",
        old=put(*PET, "get", "security", []),
    ),
    case(
        "security changed",
        both(
            put("components", "securitySchemes", "token", {"type": "http", "scheme": "bearer"}),
            put(*PET, "get", "security", [{"token": []}]),
        ),
        "security-requirement-changed",
    ),
    case(
        "security scheme changed",
        put("components", "securitySchemes", "key", "name", "X-Key"),
        "security-scheme-changed",
    ),
    case("server URL changed", put("servers", 0, "url", "https://api.example.org"), "server-url-changed"),
    case(
        "deprecated",
        both(
            put(*PET, "delete", "deprecated", True),
            put(*LIST_PARAMS, 0, "deprecated", True),
            put(*PET_PROPS, "tag", "deprecated", True),
        ),
        "deprecated-added",
    ),
    # ------------------------------------------------------------ the SDK surface
    case("package renamed", put("info", "x-sdkgen-package", "shop_sdk"), "sdk-package-renamed"),
    case("method renamed", put(*PET, "get", "x-sdkgen-name", "fetch_pet"), "sdk-method-renamed"),
    case(
        "path parameter renamed",
        lambda d: d["paths"].update({"/pets/{id}": _renamed_pet(d["paths"].pop(PET[1]))}),
        "sdk-parameter-renamed",
    ),
    case(
        "body model replaced by an equal one",
        both(
            put(*SCHEMAS, "PetInput", spec()["components"]["schemas"]["NewPet"]),
            put(
                *PETS,
                "post",
                "requestBody",
                "content",
                "application/json",
                "schema",
                {"$ref": "#/components/schemas/PetInput"},
            ),
        ),
        "sdk-body-type-changed",
    ),
    case(
        "returned model replaced by an equal one",
        both(
            put(*SCHEMAS, "PetV2", spec()["components"]["schemas"]["Pet"]),
            put(
                *PET,
                "get",
                "responses",
                "200",
                "content",
                "application/json",
                "schema",
                {"$ref": "#/components/schemas/PetV2"},
            ),
        ),
        "sdk-return-type-changed",
    ),
    case("component renamed", lambda d: _rename_component(d, "Owner", "PetOwner"), "sdk-class-renamed"),
    case("unused component removed", drop(*SCHEMAS, "Legacy"), "sdk-class-removed"),
    case(
        "unused component's member renamed",
        rename_key(*SCHEMAS, "Legacy", "properties", "oldName", "newName"),
        "sdk-field-renamed",
    ),
    case("unused component's member removed", drop(*SCHEMAS, "Legacy", "properties", "count"), "sdk-field-removed"),
    case(
        "unused component's member retyped",
        put(*SCHEMAS, "Legacy", "properties", "count", "type", "string"),
        "sdk-field-type-changed",
    ),
    # ------------------------------------------------------------ looks breaking, is not: requests
    case(
        "optional parameter added",
        append(*LIST_PARAMS, {"name": "sort", "in": "query", "schema": {"type": "string"}}),
        "request-widened",
    ),
    case("parameter maximum raised", put(*LIST_PARAMS, 0, "schema", "maximum", 500), "request-widened"),
    case("request member made optional", put(*SCHEMAS, "NewPet", "required", []), "request-widened"),
    case("request enum value added", put(*NEW_PET, "kind", "enum", ["cat", "dog", "fish"]), "request-widened"),
    case("request integer widened to number", put(*NEW_PET, "age", "type", "number"), "request-widened"),
    case("request maxLength raised", put(*NEW_PET, "name", "maxLength", 80), "request-widened"),
    case("security alternative added", put(*PET, "get", "security", [{"key": []}, {}]), "request-widened"),
    # ------------------------------------------------------------ looks breaking, is not: responses
    case("error status removed", drop(*PET, "get", "responses", "404"), "response-narrowed"),
    case("response enum value removed", put(*PET_PROPS, "status", "enum", ["available"]), "response-narrowed"),
    case("response maxLength lowered", put(*PET_PROPS, "name", "maxLength", 20), "response-narrowed"),
    case("response member made required", put(*SCHEMAS, "Pet", "required", ["id", "name", "tag"]), "response-narrowed"),
    case(
        "response null removed",
        put(*PET_PROPS, "name", "type", "string"),
        "response-narrowed",
        old=put(*PET_PROPS, "name", "type", ["string", "null"]),
    ),
    # ------------------------------------------------------------ no change at all
    case("prose only", both(put(*PET_PROPS, "tag", "description", "A tag."), put("info", "description", "Shop."))),
    case(
        "3.0 nullable is 3.1 null",
        put(*PET_PROPS, "tag", "type", ["string", "null"]),
        old=both(put("openapi", "3.0.3"), put(*PET_PROPS, "tag", "nullable", True)),
    ),
]


def _renamed_pet(item: Spec) -> Spec:
    for operation in item.values():
        operation["parameters"][0]["name"] = "id"
    return item


def _rename_component(document: Spec, old: str, new: str) -> None:
    schemas = document["components"]["schemas"]
    schemas[new] = schemas.pop(old)
    document["components"]["schemas"]["Pet"]["properties"]["owner"] = {"$ref": f"#/components/schemas/{new}"}


@pytest.mark.parametrize("example", CASES, ids=[c.name for c in CASES])
def test_rule(example: Case, tmp_path: Path) -> None:
    findings = diff(tmp_path, spec(example.old), spec(both(*(c for c in (example.old, example.new) if c))))
    assert {f.id for f in findings} == example.expected, [f"{f.id}: {f.message}" for f in findings]
    for finding in findings:
        assert finding.location is not None and finding.location.line is not None, finding
        side = "old" if finding.side == "old" else "new"
        assert finding.location.file.endswith(f"{side}/shop.yaml")


def test_every_rule_of_a_spec_pair_has_a_case() -> None:
    covered = set().union(*(c.expected for c in CASES))
    elsewhere = {
        "version-not-bumped",
        "spec-added",
        "spec-removed",
        "spec-base-unreadable",
        "ignore-entry-expired",
        "ignore-entry-unmatched",
    }
    assert set(RULES) - covered == elsewhere
