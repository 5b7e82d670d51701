"""Bodies and responses whose schema is an enum: the model is an Enum class, not a pydantic model.

OpenAI's spec answers `GET /models/{model}`-style calls with a `$ref` to a string enum; the
runtime called `model_validate_json` on the Enum (AttributeError) and the client failed
`mypy --strict` (`type[Role]` is no `type[BaseModel]`).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from client_support import generated_package

SPEC = Path(__file__).resolve().parent / "data" / "client" / "enums.yaml"


@pytest.fixture(scope="module")
def enums(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "enums") as package:
        yield package


def client_answering(enums: ModuleType, status: int, payload: object, sent: list[httpx.Request]) -> object:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(status, json=payload) if payload is not None else httpx.Response(status)

    return enums.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), max_retries=0)


def test_an_enum_response_parses_into_its_member(enums: ModuleType) -> None:
    client = client_answering(enums, 200, "assistant", [])
    assert client.get_role() is enums.models.Role.ASSISTANT


def test_a_value_outside_the_enum_is_kept_unless_strict(enums: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="enums"):
        assert client_answering(enums, 200, "robot", []).get_role() == "robot"
    assert "GET /role: the 200 response has what the spec does not list" in caplog.text
    strict = enums.Client(
        http_client=httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200, json="robot"))),
        strict_responses=True,
    )
    with pytest.raises(enums.APIResponseValidationError, match='must be one of "user", "assistant"'):
        strict.get_role()
    with pytest.raises(enums.APIResponseValidationError, match="expected a JSON Role"):
        enums.Client(
            http_client=httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(200, text="<html>")))
        ).get_role()


def test_an_enum_error_body_is_kept_raw(enums: ModuleType) -> None:
    client = client_answering(enums, 400, 2, [])
    with pytest.raises(enums.BadRequestError) as raised:
        client.get_role()
    assert raised.value.body == 2 and raised.value.error is None


def test_an_enum_member_or_its_value_is_a_body(enums: ModuleType) -> None:
    sent: list[httpx.Request] = []
    client = client_answering(enums, 204, None, sent)
    client.put_role(body=enums.models.Role.USER)
    client.put_role(body="assistant")
    assert [request.content for request in sent] == [b'"user"', b'"assistant"']
    with pytest.raises(enums.RequestValidationError):
        client.put_role(body="robot")


def test_generated_package_type_checks(enums: ModuleType) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "enums"],
        capture_output=True,
        text=True,
        check=False,
        cwd=enums.out_dir,
    )
    assert result.returncode == 0, result.stdout
