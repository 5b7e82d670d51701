"""The client generator beyond the two real specs: a small spec with every supported
parameter location, each security scheme kind, server variables, a range error status,
an empty response and an operation marked `x-sdkgen-idempotent: false`.

The package is generated into a temporary folder, checked with ruff and mypy --strict,
then driven on httpx.MockTransport.
"""

from __future__ import annotations

import base64
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from client_support import ROOT, Recorder, generated_package, reply

from generator.diagnostics import SpecError
from generator.pipeline import lint
from generator.runtime._runtime.credentials import is_placeholder_host

SPEC = ROOT / "tests" / "data" / "client" / "petshop.yaml"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def petshop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "petshop") as package:
        yield package


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PETSHOP_API_KEY", raising=False)
    monkeypatch.delenv("PETSHOP_BASE_URL", raising=False)


def client(petshop: ModuleType, recorder: Recorder, **options: Any) -> Any:
    petshop._runtime.retries.INITIAL_RETRY_DELAY = 0.0
    return petshop.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)), **options)


def test_generated_code_is_lint_and_type_clean(petshop: ModuleType) -> None:
    out = petshop.out_dir
    settings = ["--isolated", "--line-length", "120", "--target-version", "py311", "--select", "E,F,W,I,B,UP,SIM,RUF"]
    ignore = ["--ignore", "E501,RUF001,RUF002,RUF003"]
    lint = subprocess.run([str(BIN / "ruff"), "check", *settings, *ignore, "petshop/client.py", "petshop/_runtime"],
                          cwd=out, capture_output=True, text=True, check=False)  # fmt: skip
    assert lint.returncode == 0, lint.stdout
    types = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--cache-dir", str(ROOT / ".mypy_cache" / "petshop"), "-p", "petshop"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert types.returncode == 0, types.stdout


def test_server_variables(petshop: ModuleType) -> None:
    recorder = Recorder(reply(200, json=[]))
    client(petshop, recorder, api_key="k").list_pets()
    client(petshop, recorder, api_key="k", region="us", version="v3").list_pets()
    assert [str(r.url) for r in recorder.requests] == [
        "https://eu.petshop.test/v2/pets",
        "https://us.petshop.test/v3/pets",
    ]


def test_query_and_header_parameters(petshop: ModuleType) -> None:
    recorder = Recorder(reply(200, json=[{"id": 1, "name": "Rex"}]))
    pets = client(petshop, recorder, api_key="k").list_pets(
        limit=10, tags=["a", "b"], x_request_id="r-1", sort="asc", ids=[1, 2]
    )
    assert [pet.name for pet in pets.root] == ["Rex"]
    request = recorder.requests[0]
    assert request.url.params.get_list("tags") == ["a", "b"]  # style form, explode
    assert request.url.params["ids"] == "1,2"  # explode: false
    assert request.url.params["limit"] == "10"
    assert request.headers["x-request-id"] == "r-1"
    assert "idempotency-key" not in request.headers  # GET is idempotent


@pytest.mark.parametrize(
    ("arguments", "keyword"),
    [({"limit": 0}, "minimum"), ({"limit": True}, "type"), ({"sort": "up"}, "enum"), ({"tags": "a"}, "type")],
)
def test_bad_parameters_are_refused(petshop: ModuleType, arguments: dict[str, Any], keyword: str) -> None:
    recorder = Recorder(reply(200, json=[]))
    with pytest.raises(petshop.RequestValidationError) as caught:
        client(petshop, recorder, api_key="k").list_pets(**arguments)
    assert caught.value.issues[0].keyword == keyword
    assert recorder.requests == []


def test_security_schemes(petshop: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder(reply(200, json=[]))
    api = client(petshop, recorder, api_key="user:pa55")
    api.list_pets()
    recorder.script = [reply(200, json={"name": "Rex"})]
    assert recorder.requests[-1].headers["authorization"] == "Bearer user:pa55"
    api.update_pet(pet_id="p 1", body={"anything": True})
    assert recorder.requests[-1].headers["authorization"] == "Basic " + base64.b64encode(b"user:pa55").decode()
    assert recorder.requests[-1].url.raw_path == b"/v2/pets/p%201"
    with caplog.at_level(logging.DEBUG, logger="petshop"):
        api.create_pet(body={"name": "Rex"})
    assert recorder.requests[-1].url.params["api_key"] == "user:pa55"
    assert "user:pa55" not in caplog.text and "api_key=%3Credacted%3E" in caplog.text
    recorder.script = [reply(204)]
    assert api.delete_pet(pet_id=7) is None
    assert recorder.requests[-1].headers["cookie"] == "session=user:pa55"


def test_query_key_redacted_in_errors(petshop: ModuleType) -> None:
    recorder = Recorder(reply(400, json={"detail": "no"}))
    with pytest.raises(petshop.BadRequestError) as caught:
        client(petshop, recorder, api_key="s3cr3t").create_pet(body={"name": "Rex"})
    assert "s3cr3t" not in str(caught.value)


def test_anonymous_alternative(petshop: ModuleType) -> None:
    recorder = Recorder(reply(204))
    assert client(petshop, recorder).delete_pet(pet_id=1) is None
    assert "cookie" not in recorder.requests[0].headers
    with pytest.raises(petshop.SDKError, match="PETSHOP_API_KEY"):
        client(petshop, recorder).list_pets()


def test_range_error_model(petshop: ModuleType) -> None:
    recorder = Recorder(reply(404, json={"detail": "no such pet"}))
    with pytest.raises(petshop.NotFoundError) as caught:
        client(petshop, recorder, api_key="k").list_pets()
    assert isinstance(caught.value.error, petshop.models.Problem)
    assert "no such pet" in str(caught.value)


def test_non_idempotent_operation_retries_only_unprocessed_failures(petshop: ModuleType) -> None:
    for failure, attempts in [
        (reply(500), 1),
        (reply(409), 1),
        (httpx.ReadError("reset"), 1),
        (reply(429), 3),
        (httpx.ConnectError("refused"), 3),
    ]:
        recorder = Recorder(failure)
        with pytest.raises(petshop.SDKError):
            client(petshop, recorder, api_key="k").create_pet(body={"name": "Rex"})
        assert len(recorder.requests) == attempts, failure


def test_optional_body_and_untyped_response(petshop: ModuleType) -> None:
    recorder = Recorder(reply(200, json={"free": ["form"]}))
    result = client(petshop, recorder, api_key="k").update_pet(pet_id="1")
    assert recorder.requests[0].content == b""
    assert result.root == {"free": ["form"]}


def test_path_patterns_follow_ecma_262(petshop: ModuleType) -> None:
    """`\\w` means ASCII word characters and `$` the very end, as in JSON Schema."""
    recorder = Recorder(reply(200, json={}))
    api = client(petshop, recorder, api_key="k")
    for bad in ("café", "rex\n"):
        with pytest.raises(petshop.RequestValidationError) as caught:
            api.update_pet(pet_id=bad)
        assert "^\\w[\\w ]*$" in str(caught.value)
    api.update_pet(pet_id="rex 2")
    assert recorder.requests[-1].url.raw_path == b"/v2/pets/rex%202"


def test_operation_named_like_a_client_attribute_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(
        "openapi: 3.1.0\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /c:\n"
        "    post:\n"
        "      operationId: withOptions\n"
        "      responses: {'204': {description: ok}}\n"
        "components:\n"
        "  schemas:\n"
        "    Thing: {type: object}\n"
    )
    with pytest.raises(SpecError) as caught:
        lint([spec])
    (diagnostic,) = caught.value.diagnostics
    assert str(diagnostic).startswith(f"{spec.as_posix()}:6:")
    assert "with_options" in str(diagnostic) and "x-sdkgen-name" in str(diagnostic)


def test_bad_idempotent_extension_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "shop.yaml"
    spec.write_text(
        SPEC.read_text(encoding="utf-8").replace("x-sdkgen-idempotent: false", "x-sdkgen-idempotent: sometimes")
    )
    with pytest.raises(SpecError) as caught:
        lint([spec])
    (diagnostic,) = caught.value.diagnostics
    assert "x-sdkgen-idempotent must be true or false" in str(diagnostic)
    assert str(diagnostic).startswith(f"{spec.as_posix()}:")


def test_success_without_schema_returns_plain_json(petshop: ModuleType) -> None:
    recorder = Recorder(reply(202, json={"receipt": [1, 2]}))
    assert client(petshop, recorder).delete_pet(pet_id=3) == {"receipt": [1, 2]}
    recorder = Recorder(reply(202, text="not json"))
    with pytest.raises(petshop.APIResponseValidationError, match="expected a JSON body"):
        client(petshop, recorder).delete_pet(pet_id=3)


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://eventapp.invalid/api", True),
        ("https://api.example", True),
        ("/relative", True),
        ("https://api.petshop.test/v1", False),
        ("http://api.localhost:8080", False),
        ("https://api.example.com", False),
    ],
)
def test_a_server_is_a_placeholder_exactly_when_the_runtime_refuses_it(url: str, placeholder: bool) -> None:
    """The README and docstrings call base_url required where the runtime would refuse the server."""
    from generator.emit.client import _is_placeholder
    from generator.ir import Server

    assert _is_placeholder(Server(url, None, ())) is placeholder
    if url.startswith("http"):
        assert is_placeholder_host(httpx.URL(url).host) is placeholder


def test_a_usable_default_server_is_documented_as_the_default(petshop: ModuleType) -> None:
    source = (petshop.out_dir / "petshop" / "client.py").read_text(encoding="utf-8")
    assert "default `PETSHOP_BASE_URL`, else https://{region}.petshop.test/{version}." in source
