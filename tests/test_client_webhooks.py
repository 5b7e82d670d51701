"""Webhooks end to end (`tests/data/client/hooks.yaml`): the package's `webhooks` module parses
what a sender posts to a real receiving server on 127.0.0.1, from a sync and an async sender."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from client_support import FLAVOURS, ROOT, generated_package
from local_server import LocalServer, Reply, Request

SPEC = ROOT / "tests" / "data" / "client" / "hooks.yaml"


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "hooks") as package:
        yield package


def test_every_webhook_gets_a_parse_function(hooks: ModuleType) -> None:
    assert hooks.webhooks.__all__ == [
        "parse_anything",
        "parse_form_ping",
        "parse_new_pet",
        "parse_order_shipped",
        "parse_pet_removed",
    ]
    assert "A pet was added." in hooks.webhooks.parse_new_pet.__doc__


def receiving(hooks: ModuleType, parsed: list[Any], errors: list[Any]) -> Any:
    """A receiving endpoint: each path parses its webhook, answers 200 or 400 with the issues."""
    parsers = {
        "/new-pet": hooks.webhooks.parse_new_pet,
        "/order-shipped": hooks.webhooks.parse_order_shipped,
        "/form-ping": hooks.webhooks.parse_form_ping,
        "/anything": hooks.webhooks.parse_anything,
        "/pet-removed": hooks.webhooks.parse_pet_removed,
    }

    def route(request: Request) -> Reply:
        try:
            parsed.append(parsers[request.route](request.body))
        except hooks.WebhookValidationError as error:
            errors.append(error)
            issues = [{"pointer": i.pointer, "keyword": i.keyword} for i in error.issues]
            return Reply(400, {"Content-Type": "application/json"}, json.dumps(issues).encode())
        return Reply(200)

    return route


def send(flavour: str, url: str, posts: list[tuple[str, dict[str, Any]]]) -> list[int]:
    if flavour == "sync":
        with httpx.Client(base_url=url) as client:
            return [client.post(path, **kwargs).status_code for path, kwargs in posts]

    async def main() -> list[int]:
        async with httpx.AsyncClient(base_url=url) as client:
            return [(await client.post(path, **kwargs)).status_code for path, kwargs in posts]

    return asyncio.run(main())


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_payloads_posted_to_a_server_parse(flavour: str, hooks: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    parsed: list[Any] = []
    errors: list[Any] = []
    posts = [
        ("/new-pet", {"json": {"id": 1, "name": "Rex", "vaccinated": True}}),
        ("/order-shipped", {"json": {"orderId": 7, "shippedAt": "2025-03-14T05:55:00.5+05:30", "carrier": "fedex"}}),
        ("/form-ping", {"data": {"token": "t", "n": "3"}}),
        ("/anything", {"json": [1, 2]}),
        ("/pet-removed", {"json": {"id": 4}}),
    ]
    with LocalServer(receiving(hooks, parsed, errors)) as server, caplog.at_level(logging.WARNING, logger="hooks"):
        assert send(flavour, server.url, posts) == [200] * 5
    pet, order, form, anything, removed = parsed
    assert isinstance(pet, hooks.models.Pet) and pet.model_extra == {"vaccinated": True}
    assert order.order_id == 7 and order.shipped_at == "2025-03-14T05:55:00.5+05:30" and order.carrier == "fedex"
    assert "the order.shipped webhook payload has what the spec does not list: /carrier" in caplog.text
    assert form.token == "t" and form.n == "3"
    assert anything == [1, 2] and removed.id == 4


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_bad_payload_is_refused_with_pointers(flavour: str, hooks: ModuleType) -> None:
    parsed: list[Any] = []
    errors: list[Any] = []
    posts = [
        ("/new-pet", {"json": {"id": "one", "name": ""}}),
        ("/order-shipped", {"json": {"orderId": 7, "shippedAt": "x", "extra": 1}}),
        ("/new-pet", {"content": b"{not json"}),
    ]
    with LocalServer(receiving(hooks, parsed, errors)) as server:
        assert send(flavour, server.url, posts) == [400, 200, 400]
    pet_error, not_json = errors
    assert {(i.pointer, i.keyword) for i in pet_error.issues} == {("/id", "type"), ("/name", "minLength")}
    assert "the newPet webhook payload is invalid (2 issues)" in str(pet_error)
    assert "not JSON" in str(not_json)
    assert parsed[0].model_extra == {"extra": 1}  # a closed object that grew: kept
    with pytest.raises(hooks.WebhookValidationError, match="unexpected member 'extra'"):
        hooks.webhooks.parse_order_shipped({"orderId": 7, "shippedAt": "x", "extra": 1}, strict=True)
