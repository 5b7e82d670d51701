"""Webhook payloads on their own: decoding, the validators' verdict, the model."""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

import pytest
from pydantic import BaseModel, ConfigDict

from generator.runtime._runtime.bodies import accept_any
from generator.runtime._runtime.webhooks import decode, parse_webhook
from generator.runtime.errors import RequestValidationError, WebhookValidationError

LOG = logging.getLogger("hooks")


class Issue(NamedTuple):
    pointer: str
    keyword: str
    message: str
    severity: str = "error"


class Pet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int


def check_pet(data: Any) -> list[Issue]:
    issues = [Issue("", "additionalProperties", f"unexpected member {k!r}") for k in data if k != "id"]
    if not isinstance(data.get("id"), int):
        issues.append(Issue("/id", "type", "expected integer"))
    return issues


def test_decode() -> None:
    assert decode(b'{"a": 1}', "x") == {"a": 1}
    assert decode('[1, "b"]', "x") == [1, "b"]
    assert decode(bytearray(b"2"), "x") == 2
    assert decode({"a": 1}, "x") == {"a": 1}
    assert decode(b"token=t&n=1&n=2&e=", "x", form=True) == {"token": "t", "n": ["1", "2"], "e": ""}
    assert decode(Pet(id=3), "x") == {"id": 3}
    for bad, message in ((b"{", "not JSON"), (b"\xff", "not UTF-8"), (object(), "expected bytes, text")):
        with pytest.raises(WebhookValidationError, match=message) as caught:
            decode(bad, "newPet")
        assert "the newPet webhook payload is invalid" in str(caught.value)


def test_a_payload_parses_into_its_model() -> None:
    assert parse_webhook(b'{"id": 1}', Pet, check_pet, "newPet", LOG) == Pet(id=1)
    assert parse_webhook({"anything": [1]}, None, accept_any, "any", LOG) == {"anything": [1]}


def test_a_bad_payload_lists_its_issues(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(WebhookValidationError) as caught:
        parse_webhook({"id": "one"}, Pet, check_pet, "newPet", LOG)
    assert isinstance(caught.value, RequestValidationError)
    assert [(i.pointer, i.keyword) for i in caught.value.issues] == [("/id", "type")]
    with caplog.at_level(logging.WARNING, logger="hooks"):
        pet = parse_webhook({"id": 1, "colour": "red"}, Pet, check_pet, "newPet", LOG)
    assert pet.id == 1 and "unexpected member 'colour' [additionalProperties]" in caplog.text
    with pytest.raises(WebhookValidationError, match="unexpected member 'colour'"):
        parse_webhook({"id": 1, "colour": "red"}, Pet, check_pet, "newPet", LOG, strict=True)


def test_where_the_model_disagrees_its_errors_are_issues() -> None:
    with pytest.raises(WebhookValidationError) as caught:
        parse_webhook({"id": "x"}, Pet, accept_any, "newPet", LOG)
    assert caught.value.issues[0].pointer == "/id"


def test_a_payload_nested_too_deeply_is_refused_not_a_recursion_error() -> None:
    """A webhook comes from outside: nesting beyond the recursion limit is a located refusal."""
    import sys

    limit = sys.getrecursionlimit()
    with pytest.raises(WebhookValidationError) as undecodable:
        parse_webhook(b"[" * limit * 4 + b"]" * limit * 4, None, accept_any, "deep", LOG)
    assert [(i.pointer, i.keyword) for i in undecodable.value.issues] == [("", "x-depth")]

    def walk(data: Any) -> list[Any]:
        return [issue for item in data for issue in walk(item)] if isinstance(data, list) else []

    depth = limit // 2 + 50  # json decodes it, the walk cannot
    with pytest.raises(WebhookValidationError) as unchecked:
        parse_webhook(b"[" * depth + b"]" * depth, None, walk, "deep", LOG)
    assert [(i.pointer, i.keyword) for i in unchecked.value.issues] == [("", "x-depth")]
