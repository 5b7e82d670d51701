"""IR step: both specs become the expected IR; naming and structure problems are refused, located."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.ir.parse import build_api, pascal_case, python_type
from generator.spec import load_spec
from tests.conftest import SPECS


def api_of(path: Path, display: str | None = None):  # type: ignore[no-untyped-def]
    spec = load_spec(path, display or path.name)
    try:
        return build_api(spec)
    except SpecError as error:
        raise spec.source_map.resolve_error(error) from None


def variant(tmp_path: Path, old: str, new: str, name: str = "zuddl.yaml") -> Path:
    text = (SPECS / name).read_text()
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def refusal(path: Path) -> str:
    with pytest.raises(SpecError) as caught:
        api_of(path)
    return str(caught.value)


def test_zuddl_ir() -> None:
    api = api_of(SPECS / "zuddl.yaml")
    assert api.package == "zuddl"
    assert [s.name for s in api.schemas] == [
        "CreateSessionRequest",
        "Session",
        "SessionLocation",
        "SessionSpeaker",
        "SessionSponsor",
        "SessionFile",
    ]
    (operation,) = api.operations
    assert (operation.python_name, operation.method, operation.path) == (
        "create_session",
        "post",
        "/v1/events/{eventId}/sessions",
    )
    (event_id,) = operation.parameters
    assert (event_id.name, event_id.python_name, event_id.location, event_id.required) == (
        "eventId",
        "event_id",
        "path",
        True,
    )
    assert operation.body is not None and operation.body.schema_name == "CreateSessionRequest"
    assert {r.status: r.schema_name for r in operation.responses} == {"200": "Session", "201": "Session"}
    assert operation.security == (("apiKey",),)
    (scheme,) = api.security_schemes
    assert (scheme.kind, scheme.location, scheme.parameter_name) == ("apiKey", "header", "Authorization")
    assert api.servers[0].url == "https://api.zuddl.com"


def test_eventapp_ir() -> None:
    api = api_of(SPECS / "eventapp.yaml")
    assert api.package == "eventapp"
    (operation,) = api.operations
    assert operation.python_name == "create_sessions"
    assert operation.body is not None and operation.body.schema_name == "CreateSessionsRequest"
    assert [e.name for e in operation.body.examples] == ["oneSession", "twoSessions"]
    assert {r.status: r.schema_name for r in operation.responses} == {
        "200": "PostPatchResponse",
        "default": "ErrorResponse",
    }
    assert operation.security == ()
    (variable,) = api.servers[0].variables
    assert (variable.name, variable.python_name) == ("baseUrl", "base_url")
    rules = api.schema("SessionCreate").rules
    assert [(r.id, r.severity) for r in rules] == [
        ("endtime-after-starttime", "error"),
        ("rsvp-capacity-needs-rsvp", "warning"),
        ("capacity-needs-fixed-rsvp", "warning"),
    ]


def test_inline_bodies_are_hoisted_to_named_schemas(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        '              $ref: "#/components/schemas/CreateSessionRequest"',
        "              type: object\n              properties:\n                title: {type: string}",
    )
    api = api_of(path)
    hoisted = api.schema("CreateSessionBody")
    assert hoisted.synthetic and hoisted.class_name == "CreateSessionBody"
    assert api.operations[0].body is not None and api.operations[0].body.schema_name == "CreateSessionBody"
    assert "CreateSessionBody" in api.document["components"]["schemas"]


def test_snake_case_collision_names_both_places(tmp_path: Path) -> None:
    path = variant(tmp_path, "    SessionFile:\n", "    session_file:\n      type: object\n    SessionFile:\n")
    message = refusal(path)
    assert "zuddl.yaml:303:7: schema name 'session_file' is taken twice; give one an x-sdkgen-name" in message
    assert "zuddl.yaml:301:7: (see also)" in message


def test_x_sdkgen_name_resolves_a_collision(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "    SessionFile:\n",
        "    session_file:\n      type: object\n      x-sdkgen-name: legacy_file\n    SessionFile:\n",
    )
    api = api_of(path)
    assert api.schema("session_file").python_name == "legacy_file"
    assert api.schema("session_file").class_name == "LegacyFile"


def test_operation_id_collision_after_snake_case(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "paths:\n",
        "paths:\n  /other:\n    get:\n      operationId: create_session\n"
        "      responses:\n        '200':\n          description: ok\n",
    )
    message = refusal(path)
    assert "operation method name 'create_session' is taken twice" in message


def test_required_property_not_defined(tmp_path: Path) -> None:
    path = variant(tmp_path, "        - endDateTime\n", "        - endDateTime\n        - endDatetime\n")
    assert "zuddl.yaml:104:11: required property 'endDatetime' is not defined in properties" in refusal(path)


def test_invalid_package_name(tmp_path: Path) -> None:
    path = variant(tmp_path, "x-sdkgen-package: zuddl", "x-sdkgen-package: 9lives")
    assert "zuddl.yaml:5:21: x-sdkgen-package '9lives' is not a valid Python package name" in refusal(path)


def test_in_place_ref_cycle(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "    SessionFile:\n",
        "    Loop:\n      allOf:\n        - $ref: '#/components/schemas/Loop'\n    SessionFile:\n",
    )
    assert "zuddl.yaml:302:17: cyclic $ref: Loop refers back to itself" in refusal(path)


def test_recursion_through_properties_is_fine(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "    SessionFile:\n",
        "    Tree:\n      type: object\n      properties:\n        children:\n          type: array\n"
        "          items: {$ref: '#/components/schemas/Tree'}\n    SessionFile:\n",
    )
    assert api_of(path).schema("Tree").python_name == "tree"


def test_malformed_x_rules(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "        - id: rsvp-capacity-needs-rsvp\n          severity: warning",
        "        - id: rsvp-capacity-needs-rsvp\n          severity: fatal",
        name="eventapp.yaml",
    )
    assert "eventapp.yaml:360:21: severity must be 'error' or 'warning', not 'fatal'" in refusal(path)


def test_pascal_case_and_python_types() -> None:
    assert pascal_case("Session") == "Session"
    assert pascal_case("session-create") == "SessionCreate"
    assert pascal_case("2fa") == "Model2fa"
    assert python_type({"type": "string", "enum": ["a", "b"]}) == "Literal['a', 'b']"
    assert python_type({"type": ["integer", "null"]}) == "int | None"
    assert python_type({"type": "array", "items": {"type": "number"}}) == "list[float]"


def test_schemas_are_found_by_name_and_a_replaced_api_looks_in_its_own() -> None:
    import dataclasses
    import pickle

    api = build_api(load_spec(SPECS / "zuddl.yaml"))
    first, *rest = api.schemas
    assert api.schema(first.name) is first and all(api.schema(s.name) is s for s in rest)
    with pytest.raises(KeyError):
        api.schema("NoSuchSchema")
    fewer = dataclasses.replace(api, schemas=tuple(rest))  # its index is its own, made from its schemas
    with pytest.raises(KeyError):
        fewer.schema(first.name)
    assert api.schema(first.name) is first and fewer == dataclasses.replace(fewer)
    again = pickle.loads(pickle.dumps(api))  # as the diff's helper sends it
    assert again.schema(first.name) == first and again == api
