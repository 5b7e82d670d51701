"""Data fidelity and forward-compatible responses.

- Models round-trip every payload the validators accept: property tests (hypothesis-jsonschema)
  over every schema of both specs and of the client test specs, plus hand-picked format
  strings pydantic's own types would rewrite (case, offsets, precision).
- Against a real server, sync and async: a response with members or enum values the spec does
  not list parses (kept on the model, a warning logged); `strict_responses=True` refuses it;
  any other mismatch is still an `APIResponseValidationError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import functools
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
from client_support import EVENT_ID, FLAVOURS, ROOT, ZUDDL_BODY, generated_package, zuddl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from local_server import LocalServer, Reply, Request, json_reply

from generator.ir import Api
from generator.ir.parse import build_api
from generator.spec import load_spec

CLIENT_SPECS = ROOT / "tests" / "data" / "client"
BIN = Path(sys.executable).parent
SPECS = [
    ROOT / "specs" / "zuddl.yaml",
    ROOT / "specs" / "eventapp.yaml",
    CLIENT_SPECS / "fidelity.yaml",
    CLIENT_SPECS / "petshop.yaml",
    CLIENT_SPECS / "enums.yaml",
    CLIENT_SPECS / "media.yaml",
    CLIENT_SPECS / "streams.yaml",
    CLIENT_SPECS / "pages.yaml",
    CLIENT_SPECS / "hooks.yaml",
    CLIENT_SPECS / "unions.yaml",
    CLIENT_SPECS / "shapes.yaml",
    ROOT / "tests" / "data" / "anyspec" / "todos.yaml",
]
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[Path, tuple[Api, ModuleType]]]:
    out = tmp_path_factory.mktemp("generated")
    found: dict[Path, tuple[Api, ModuleType]] = {}
    with contextlib.ExitStack() as stack:
        for spec in SPECS:
            api = build_api(load_spec(spec))
            found[spec] = (api, stack.enter_context(generated_package(spec, out, api.package)))
        yield found


def same_json(left: Any, right: Any) -> bool:
    """Equal as JSON text, not only as Python values: `1 == 1.0`, but a server reading `1.0`
    where `1` was sent (or a signature over the body) sees a difference."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def round_trip(model: Any, payload: Any) -> Any:
    """What the model hands back of `payload` (an Enum class: the member's value; a union of
    models, a type alias: the branch model's dump, through a TypeAdapter)."""
    if isinstance(model, type) and issubclass(model, enum.Enum):
        return model(payload).value
    if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
        return model.model_validate(payload).model_dump(mode="json", by_alias=True, exclude_unset=True)
    adapter = pydantic.TypeAdapter(model)
    return adapter.dump_python(adapter.validate_python(payload), mode="json", by_alias=True, exclude_unset=True)


@functools.cache
def _payloads(api_key: int, name: str) -> st.SearchStrategy[Any]:
    api = _APIS[api_key]
    return from_schema({"$ref": f"#/components/schemas/{name}", "components": api.document["components"]})


_APIS: dict[int, Api] = {}


def payloads(api: Api, name: str) -> st.SearchStrategy[Any]:
    """Payloads of one schema (hypothesis-jsonschema; the strategy is built once per schema)."""
    _APIS[id(api)] = api
    return _payloads(id(api), name)


SCHEMAS = [(spec, schema.name) for spec in SPECS for schema in build_api(load_spec(spec)).schemas]


@pytest.mark.parametrize(("spec", "name"), SCHEMAS, ids=[f"{spec.stem}-{name}" for spec, name in SCHEMAS])
@EXAMPLES
@given(data=st.data())
def test_every_valid_payload_round_trips(
    spec: Path, name: str, packages: dict[Path, tuple[Api, ModuleType]], data: st.DataObject
) -> None:
    api, package = packages[spec]
    schema = api.schema(name)
    payload = data.draw(payloads(api, name))
    if any(
        issue.severity == "error" for issue in getattr(package.validators, f"validate_{schema.python_name}")(payload)
    ):
        return
    assert same_json(round_trip(getattr(package.models, schema.class_name), payload), payload)


FORMAT_STRINGS = {
    "id": ["D5E31BA5-2D1E-4918-BB60-DD1514B4B397", "d5e31ba52d1e4918bb60dd1514b4b397", "not a uuid"],
    "createdAt": ["2025-03-14T05:55:00.123456789+05:30", "2025-03-14T05:55:00Z", "2025-03-14t05:55:00-00:00"],
    "day": ["2025-03-14", "2025-3-14"],
    "homepage": ["https://Example.COM", "https://example.com/a/../b?x#y"],
    "address": ["2001:0db8:0000:0000:0000:0000:0000:0001", "::ffff:192.168.0.1"],
    "checksum": ["aGVsbG8", "aGVsbG8=", "not base64!"],
    "amount": ["1.50", "1e3", "-0.000"],
}


@pytest.mark.parametrize(("member", "value"), [(m, v) for m, values in FORMAT_STRINGS.items() for v in values])
def test_format_strings_stay_as_written(member: str, value: str, packages: dict[Path, tuple[Api, ModuleType]]) -> None:
    _, fidelity = packages[CLIENT_SPECS / "fidelity.yaml"]
    payload = {"id": "7", "status": "active", member: value}
    assert fidelity.validators.validate_record(payload) == []
    record = fidelity.models.Record.model_validate(payload)
    assert same_json(round_trip(fidelity.models.Record, payload), payload)
    assert json.loads(record.model_dump_json(by_alias=True, exclude_unset=True)) == payload


def test_numbers_keep_their_value(packages: dict[Path, tuple[Api, ModuleType]]) -> None:
    _, fidelity = packages[CLIENT_SPECS / "fidelity.yaml"]
    payload = {"id": "7", "status": "active", "ratio": 2.5, "count": 2**62 + 1, "scores": {"a": 1, "b": 0.1}}
    assert same_json(round_trip(fidelity.models.Record, payload), payload)
    # a `number` keeps an integer an integer: 100 is not sent back as 100.0, nor 2**62 + 1 rounded
    for ratio in (100, 2**62 + 1, -0.5, 1e300):
        record = fidelity.models.Record.model_validate(payload | {"ratio": ratio})
        assert type(record.ratio) is type(ratio)
        assert same_json(
            json.loads(record.model_dump_json(by_alias=True, exclude_unset=True)), payload | {"ratio": ratio}
        )


def test_a_zuddl_request_keeps_unknown_members_and_uuid_case() -> None:
    # The two findings of the issue: an open object's unknown member was dropped, an upper-case
    # UUID was sent lower-cased.
    payload = {**ZUDDL_BODY, "locationId": "D812A64F-8865-4289-9024-9A120792C3D8", "speakers": ["x"]}
    assert zuddl.validators.validate_create_session_request(payload) == []
    request = zuddl.models.CreateSessionRequest.model_validate(payload)
    assert request.model_extra == {"speakers": ["x"]}
    sent: list[bytes] = []

    def handler(http_request: httpx.Request) -> httpx.Response:
        sent.append(http_request.content)
        return httpx.Response(201, json={"id": "7"})

    with zuddl.Client(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler))) as client:
        client.create_session(event_id=EVENT_ID, body=request)
    assert json.loads(sent[0]) == payload


# ---------------------------------------------------------------------------- responses that grew


def call(flavour: str, package: ModuleType, method: str, url: str, **options: Any) -> Any:
    arguments = options.pop("arguments", {})
    if flavour == "sync":
        with package.Client(base_url=url, max_retries=0, **options) as client:
            return getattr(client, method)(**arguments)

    async def main() -> Any:
        async with package.AsyncClient(base_url=url, max_retries=0, **options) as client:
            return await getattr(client, method)(**arguments)

    return asyncio.run(main())


def answering(payload: Any, status: int = 200) -> Any:
    def route(request: Request) -> Reply:
        return json_reply(json.dumps(payload), status)

    return route


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_unknown_members_and_enum_values_parse_with_a_warning(
    flavour: str, packages: dict[Path, tuple[Api, ModuleType]], caplog: pytest.LogCaptureFixture
) -> None:
    _, fidelity = packages[CLIENT_SPECS / "fidelity.yaml"]
    payload = {
        "id": "7",
        "status": "deleted",  # an enum value added since
        "history": ["active", "restored"],
        "priority": 9,
        "owner": {"name": "ana", "team": "blue"},  # a closed object with a new member
        "since": "2025",  # a new member of an open object
    }
    with LocalServer(answering(payload)) as server, caplog.at_level(logging.WARNING, logger="fidelity"):
        record = call(flavour, fidelity, "get_record", server.url, arguments={"id": "7"})
    assert record.status == "deleted" and record.history == [fidelity.models.Status.ACTIVE, "restored"]
    assert record.priority == 9
    assert record.model_extra == {"since": "2025"}
    assert record.owner.name == "ana" and record.owner.model_extra == {"team": "blue"}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 4, warnings
    assert any("/owner: unexpected member 'team' [additionalProperties]" in w for w in warnings)
    assert any("/status: " in w and "[enum]" in w for w in warnings)
    assert all("GET /records/7: the 200 response has what the spec does not list" in w for w in warnings)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_strict_responses_refuse_what_the_spec_does_not_list(
    flavour: str, packages: dict[Path, tuple[Api, ModuleType]]
) -> None:
    _, fidelity = packages[CLIENT_SPECS / "fidelity.yaml"]
    for payload, expected in (
        ({"id": "7", "status": "deleted"}, "/status: "),
        ({"id": "7", "status": "active", "owner": {"name": "a", "team": "b"}}, "unexpected member 'team'"),
    ):
        with LocalServer(answering(payload)) as server:
            assert call(flavour, fidelity, "get_record", server.url, arguments={"id": "7"}) is not None
            with pytest.raises(fidelity.APIResponseValidationError, match=expected):
                call(flavour, fidelity, "get_record", server.url, arguments={"id": "7"}, strict_responses=True)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"status": "active"}, "missing required member 'id' [required]"),
        ({"id": 7, "status": "active"}, "/id: expected string, got integer [type]"),
        ({"id": "7", "status": "active", "owner": {"team": "b"}}, "/owner: missing required member 'name'"),
    ],
)
def test_other_mismatches_still_raise(
    flavour: str, payload: Any, expected: str, packages: dict[Path, tuple[Api, ModuleType]]
) -> None:
    _, fidelity = packages[CLIENT_SPECS / "fidelity.yaml"]
    with LocalServer(answering(payload)) as server, pytest.raises(fidelity.APIResponseValidationError) as caught:
        call(flavour, fidelity, "get_record", server.url, arguments={"id": "7"})
    assert expected in str(caught.value)
    assert caught.value.body == payload


def test_with_options_switches_strictness(packages: dict[Path, tuple[Api, ModuleType]]) -> None:
    _, fidelity = packages[CLIENT_SPECS / "fidelity.yaml"]
    with (
        LocalServer(answering({"id": "7", "status": "deleted"})) as server,
        fidelity.Client(base_url=server.url) as client,
    ):
        assert client.get_record(id="7").status == "deleted"
        strict = client.with_options(strict_responses=True)
        assert strict.strict_responses and not client.strict_responses
        with pytest.raises(fidelity.APIResponseValidationError):
            strict.get_record(id="7")


def test_the_test_spec_packages_are_lint_and_type_clean(packages: dict[Path, tuple[Api, ModuleType]]) -> None:
    """Every package of `CLIENT_SPECS` used here passes ruff (models.py is datamodel-code-generator's
    style) and `mypy --strict` (one run for all)."""
    names = [api.package for spec, (api, _) in packages.items() if spec.parent == CLIENT_SPECS]
    out = next(package for _, package in packages.values() if package.__name__ == names[0]).out_dir
    settings = ["--isolated", "--line-length", "120", "--target-version", "py311", "--select", "E,F,W,I,B,UP,SIM,RUF"]
    lint = subprocess.run(
        [
            str(BIN / "ruff"),
            "check",
            *settings,
            "--ignore",
            "E501,RUF001,RUF002,RUF003",
            *names,
            "--exclude",
            "models.py",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    packages_args = [argument for name in names for argument in ("-p", name)]
    cache = ROOT / ".mypy_cache" / "client-specs"
    types = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--cache-dir", str(cache), *packages_args],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert types.returncode == 0, types.stdout
