"""Contract tests: the generated clients against Stoplight Prism, an independent
implementation of the specs (mock mode, request validation on, `--errors`).

Every request-body example in specs/*.yaml is sent by both clients; Prism must accept it
and its answer must parse into the documented response model. A few requests Prism must
refuse show that its validation is really on. Prism @stoplight/prism-cli 5.14.2 lives in
.cache/prism (`make prism` installs it; this module installs it too when npm exists). Only
when npm is missing altogether are these tests skipped, with that reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from client_support import EVENT_ID, FLAVOURS, ROOT, ZUDDL_BODY, call, eventapp, zuddl

from generator.emit.examples import example_from_schema
from generator.ir import Api
from generator.ir.parse import build_api
from generator.spec import DEFAULT_MAX_SPEC_BYTES, load_spec

PRISM_VERSION = "5.14.2"
PRISM_PACKAGE = f"@stoplight/prism-cli@{PRISM_VERSION}"
PRISM_DIR = ROOT / ".cache" / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE_JSON = PRISM_DIR / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
START_TIMEOUT = 90.0
PACKAGES: dict[str, ModuleType] = {"eventapp": eventapp, "zuddl": zuddl}


def _installed_version() -> str | None:
    try:
        return str(json.loads(PRISM_PACKAGE_JSON.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def prism_binary() -> Path:
    """The pinned Prism, installed into .cache/prism when missing (skip only without npm)."""
    if PRISM_BIN.exists() and _installed_version() == PRISM_VERSION:
        return PRISM_BIN
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip(f"npm is not installed, so Stoplight Prism {PRISM_VERSION} cannot be installed for contract tests")
    PRISM_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(PRISM_DIR), PRISM_PACKAGE],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0 or not PRISM_BIN.exists():
        pytest.fail(f"npm could not install @stoplight/prism-cli@{PRISM_VERSION}:\n{result.stderr[-2000:]}")
    return PRISM_BIN


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Prism:
    """One `prism mock` process serving one spec on a loopback port."""

    def __init__(self, binary: Path, spec: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [str(binary), "mock", str(spec), "--host", "127.0.0.1", "--port", str(self.port), "--errors"],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Prism exited with {self.process.returncode}:\n{self.tail()}")
            if b"Prism is listening" in self.log.read_bytes():
                return
            time.sleep(0.1)
        pytest.fail(f"Prism did not start within {START_TIMEOUT:.0f} s:\n{self.tail()}")

    def tail(self) -> str:
        return self.log.read_bytes()[-3000:].decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._log_file.close()


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Both specs served by Prism for the whole session: package name -> base URL."""
    binary = prism_binary()
    logs = tmp_path_factory.mktemp("prism")
    servers = {name: Prism(binary, ROOT / "specs" / f"{name}.yaml", logs / f"{name}.log") for name in PACKAGES}
    try:
        deadline = time.monotonic() + START_TIMEOUT
        for server in servers.values():
            server.wait_ready(deadline)
        yield {name: server.url for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()


@functools.cache
def _api(name: str) -> Api:
    path = ROOT / "specs" / f"{name}.yaml"
    return build_api(load_spec(path, path.as_posix(), DEFAULT_MAX_SPEC_BYTES))


def _cases() -> list[Any]:
    """(package, operation, path arguments, example name, body) for every body example."""
    cases = []
    for name in PACKAGES:
        api = _api(name)
        for operation in api.operations:
            arguments = {p.python_name: p.example for p in operation.parameters if p.required}
            assert operation.body is not None and operation.body.examples, "every operation has body examples"
            examples = [(example.name, example.value) for example in operation.body.examples]
            assert operation.body.schema_name is not None
            schema = api.schema(operation.body.schema_name)
            assembled = example_from_schema(api, schema.body, 0)  # from the members' own `example`s
            validator = getattr(PACKAGES[name].validators, f"validate_{schema.python_name}")
            if assembled and not [i for i in validator(assembled) if i.severity == "error"]:
                examples.append(("member-examples", assembled))
            for example_name, value in examples:
                for flavour in FLAVOURS:
                    cases.append(
                        pytest.param(
                            name,
                            operation.python_name,
                            arguments,
                            value,
                            flavour,
                            id=f"{name}-{operation.python_name}-{example_name}-{flavour}",
                        )
                    )
    return cases


def _client_options(name: str, prism: dict[str, str]) -> dict[str, Any]:
    options: dict[str, Any] = {"base_url": prism[name], "max_retries": 0}
    if name == "zuddl":
        options["api_key"] = "prism-test-key"
    return options


def _response_model(name: str, operation: str) -> type:
    api = _api(name)
    op = next(o for o in api.operations if o.python_name == operation)
    schema = next(r.schema_name for r in op.responses if r.status.startswith("2") and r.schema_name)
    assert schema is not None
    model: type = getattr(PACKAGES[name].models, api.schema(schema).class_name)
    return model


@pytest.mark.parametrize(("name", "operation", "arguments", "body", "flavour"), _cases())
def test_every_example_is_accepted_and_parsed(
    prism: dict[str, str], name: str, operation: str, arguments: dict[str, Any], body: Any, flavour: str
) -> None:
    package = PACKAGES[name]
    options = _client_options(name, prism)
    response = call(flavour, package, operation, raw=True, client_options=options, body=body, **arguments)
    assert 200 <= response.status_code < 300, response.http_response.text
    assert isinstance(response.parse(), _response_model(name, operation))

    # The same example as a model instance goes out the same way.
    model_body = getattr(package.models, _body_class(name, operation)).model_validate(body)
    result = call(flavour, package, operation, client_options=options, body=model_body, **arguments)
    assert isinstance(result, _response_model(name, operation))


def _body_class(name: str, operation: str) -> str:
    api = _api(name)
    op = next(o for o in api.operations if o.python_name == operation)
    assert op.body is not None and op.body.schema_name is not None
    return api.schema(op.body.schema_name).class_name


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_zuddl_201_parses_into_session(prism: dict[str, str], flavour: str) -> None:
    options = _client_options("zuddl", prism)
    response = call(
        flavour,
        zuddl,
        "create_session",
        raw=True,
        client_options=options,
        event_id=EVENT_ID,
        body=ZUDDL_BODY,
        extra_headers={"Prefer": "code=201"},
    )
    assert response.status_code == 201
    assert isinstance(response.parse(), zuddl.models.Session)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_client_refuses_a_call_without_the_key_before_prism_sees_it(prism: dict[str, str], flavour: str) -> None:
    options = {**_client_options("zuddl", prism), "api_key": None, "headers": {"X-Unrelated": "1"}}
    # No key at all: the client itself refuses before sending.
    with pytest.raises(zuddl.SDKError, match="ZUDDL_API_KEY"):
        call(flavour, zuddl, "create_session", client_options=options, event_id=EVENT_ID, body=ZUDDL_BODY)


def test_prism_validates_requests(prism: dict[str, str]) -> None:
    """Without the client's checks, Prism refuses what the spec forbids: acceptance means something."""
    url = f"{prism['zuddl']}/v1/events/{EVENT_ID}/sessions"
    assert httpx.post(url, json=ZUDDL_BODY).status_code == 401  # no Authorization
    invalid = httpx.post(url, json={"title": 1}, headers={"Authorization": "k"})
    assert invalid.status_code == 422
    bad_url = f"{prism['zuddl']}/v1/events/not-a-uuid/sessions"
    bad_path = httpx.post(bad_url, json=ZUDDL_BODY, headers={"Authorization": "k"})
    assert bad_path.status_code == 422

    refused = httpx.post(f"{prism['eventapp']}/sessions", json={"resource": [], "unexpected": True})
    assert refused.status_code == 422
    assert eventapp.models.ErrorResponse.model_validate(refused.json()).message


def test_client_and_prism_agree_on_what_is_invalid(prism: dict[str, str]) -> None:
    """Bodies the client refuses, Prism refuses too (so the client never blocks a valid call)."""
    invalid_bodies = [
        {"resource": []},
        {"resource": [{"title": "no ids"}]},
        {"resource": [{**_first_session(), "tickets_linked": "1, 2"}]},
        {"resource": [{**_first_session(), "sessiontype": "additional", "tickets_linked": "1,2", "x": 1}]},
    ]
    for body in invalid_bodies:
        with pytest.raises(eventapp.RequestValidationError):
            call("sync", eventapp, "create_sessions", client_options=_client_options("eventapp", prism), body=body)
        assert httpx.post(f"{prism['eventapp']}/sessions", json=body).status_code == 422, body


def _first_session() -> dict[str, Any]:
    api = _api("eventapp")
    assert api.operations[0].body is not None
    session: dict[str, Any] = api.operations[0].body.examples[0].value["resource"][0]
    return dict(session)


def test_async_and_sync_share_one_prism(prism: dict[str, str]) -> None:
    """Several concurrent async calls (one pool) all succeed."""

    async def main() -> list[Any]:
        async with zuddl.AsyncClient(**_client_options("zuddl", prism)) as client:
            calls = [client.create_session(event_id=EVENT_ID, body=ZUDDL_BODY) for _ in range(5)]
            return await asyncio.gather(*calls)

    results = asyncio.run(main())
    assert all(isinstance(result, zuddl.models.Session) for result in results)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(
    ("status", "error_class"),
    [(400, "BadRequestError"), (404, "NotFoundError"), (422, "UnprocessableEntityError"), (500, "InternalServerError")],
)
def test_eventapp_error_statuses_parse_the_default_error_model(
    prism: dict[str, str], flavour: str, status: int, error_class: str
) -> None:
    """Prism answers with the spec's `default` response (`Prefer: code=...`); the client types it."""
    with pytest.raises(eventapp.APIStatusError) as caught:
        call(
            flavour,
            eventapp,
            "create_sessions",
            client_options=_client_options("eventapp", prism),
            body={"resource": [_first_session()]},
            extra_headers={"Prefer": f"code={status}"},
        )
    error = caught.value
    assert type(error).__name__ == error_class and error.status_code == status
    assert isinstance(error.error, eventapp.models.ErrorResponse)
    assert error.error.message == "scheduletrackid is required"
