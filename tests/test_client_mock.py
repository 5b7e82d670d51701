"""The generated clients on httpx.MockTransport: every branch, sync and async.

Each test runs once per flavour (`Client`, `AsyncClient`) through `client_support.call`,
so the two can never drift apart unnoticed. Sleeps between retries are recorded, not slept.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import time
import types
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from client_support import (
    EVENT_ID,
    EVENTAPP_BODY,
    EVENTAPP_SESSION,
    FLAVOURS,
    SESSION_JSON,
    ZUDDL_BODY,
    Recorder,
    eventapp,
    eventapp_call,
    reply,
    zuddl,
    zuddl_call,
)

SECRET = "zk-secret-123"
pytestmark = pytest.mark.parametrize("flavour", FLAVOURS)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Replace the runtime's sleeps (both packages, both flavours) with a recorder."""
    recorded: list[float] = []

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    fake_time = types.SimpleNamespace(sleep=recorded.append)
    fake_asyncio = types.SimpleNamespace(sleep=async_sleep)
    for package in (zuddl, eventapp):
        monkeypatch.setattr(package._runtime.transport, "time", fake_time)
        monkeypatch.setattr(package._runtime.transport, "asyncio", fake_asyncio)
    monkeypatch.delenv("ZUDDL_API_KEY", raising=False)
    monkeypatch.delenv("ZUDDL_BASE_URL", raising=False)
    monkeypatch.delenv("EVENTAPP_BASE_URL", raising=False)
    yield recorded


def never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent, yet {request.method} {request.url} was")


# ---------------------------------------------------------------------------- requests


def test_zuddl_request_shape(flavour: str) -> None:
    recorder = Recorder(reply(201, json=SESSION_JSON))
    body = {**ZUDDL_BODY, "unknownButAllowed": {"nested": [1, 2]}, "alsoUnknown": None}
    session = zuddl_call(flavour, recorder, body=body)
    assert isinstance(session, zuddl.models.Session)
    assert str(session.id) == SESSION_JSON["id"]
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == f"https://api.zuddl.com/v1/events/{EVENT_ID}/sessions"
    assert request.headers["authorization"] == SECRET  # the raw key, no "Bearer"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == f"zuddl/1.0.0 sdkgen/{_generator_version()}"
    assert request.headers["idempotency-key"]
    assert json.loads(request.content) == body  # sent exactly as given: unknown member and null kept


def test_model_body_goes_out_with_wire_names_and_without_unset_fields(flavour: str) -> None:
    recorder = Recorder(reply(200, json=SESSION_JSON))
    model = zuddl.models.CreateSessionRequest(
        title="Office hours", start_date_time="2025-03-14T05:55:00Z", end_date_time="2025-03-14T06:55:00Z", tags=["a"]
    )
    zuddl_call(flavour, recorder, body=model)
    assert json.loads(recorder.requests[0].content) == {**ZUDDL_BODY, "tags": ["a"]}


@pytest.mark.parametrize("status", [200, 201])
def test_zuddl_200_and_201_parse_into_session(flavour: str, status: int) -> None:
    session = zuddl_call(flavour, Recorder(reply(status, json=SESSION_JSON)))
    assert isinstance(session, zuddl.models.Session)
    assert session.total_capacity is None


def test_eventapp_returns_the_list_model(flavour: str) -> None:
    recorder = Recorder(reply(200, json=[{"id": 90001}, {"id": 90002}]))
    result = eventapp_call(flavour, recorder)
    assert isinstance(result, eventapp.models.PostPatchResponse)
    assert [item.id for item in result.root] == [90001, 90002]
    (request,) = recorder.requests
    assert str(request.url) == "https://events.test/v4/sessions"
    assert "authorization" not in request.headers
    assert json.loads(request.content) == EVENTAPP_BODY


def test_eventapp_model_body(flavour: str) -> None:
    recorder = Recorder(reply(200, json=[{"id": 1}]))
    body = eventapp.models.CreateSessionsRequest.model_validate(EVENTAPP_BODY)
    eventapp_call(flavour, recorder, body=body)
    assert json.loads(recorder.requests[0].content) == EVENTAPP_BODY


def test_headers_query_and_extras(flavour: str) -> None:
    recorder = Recorder(reply(200, json=SESSION_JSON))
    zuddl_call(
        flavour,
        recorder,
        client_options={"headers": {"X-Team": "a", "X-Both": "client"}},
        extra_headers={"X-Both": "call", "Idempotency-Key": "mine"},
        extra_query={"trace": "1"},
    )
    request = recorder.requests[0]
    assert request.headers["x-team"] == "a"
    assert request.headers["x-both"] == "call"
    assert request.headers["idempotency-key"] == "mine"
    assert request.url.params["trace"] == "1"


def test_timeout_default_per_client_and_per_call(flavour: str) -> None:
    recorder = Recorder(reply(200, json=SESSION_JSON))
    zuddl_call(flavour, recorder)
    zuddl_call(flavour, recorder, client_options={"timeout": 5.0})
    zuddl_call(flavour, recorder, timeout=httpx.Timeout(1.0, connect=2.0))
    timeouts = [r.extensions["timeout"] for r in recorder.requests]
    assert timeouts[0]["read"] == 60.0
    assert timeouts[1]["read"] == 5.0
    assert timeouts[2] == {"connect": 2.0, "read": 1.0, "write": 1.0, "pool": 1.0}


# ---------------------------------------------------------------------------- validation before sending


@pytest.mark.parametrize(
    ("event_id", "keyword"),
    [("not-a-uuid", "pattern"), (f"{EVENT_ID}/../x", "pattern"), (12345, "type"), ("", "pattern")],
)
def test_bad_path_parameter_is_refused_before_sending(flavour: str, event_id: object, keyword: str) -> None:
    with pytest.raises(zuddl.RequestValidationError) as caught:
        zuddl_call(flavour, never, event_id=event_id)
    assert caught.value.issues[0].keyword == keyword
    assert caught.value.issues[0].pointer == "/eventId"
    assert "eventId" in str(caught.value)


def test_invalid_body_lists_every_issue_and_sends_nothing(flavour: str) -> None:
    body = {"title": "x" * 501, "startDateTime": "", "endDateTime": 7}
    with pytest.raises(zuddl.RequestValidationError) as caught:
        zuddl_call(flavour, never, body=body)
    pointers = {(issue.pointer, issue.keyword) for issue in caught.value.issues}
    assert pointers >= {("/title", "maxLength"), ("/startDateTime", "minLength"), ("/endDateTime", "type")}
    assert isinstance(caught.value, ValueError)


def test_eventapp_rules_block_and_warnings_do_not(flavour: str, caplog: pytest.LogCaptureFixture) -> None:
    late = {**EVENTAPP_SESSION, "endtime": "2025-03-14T08:00:00Z", "extra": 1}
    with pytest.raises(eventapp.RequestValidationError) as caught:
        eventapp_call(flavour, never, body={"resource": [late]})
    keywords = {issue.keyword for issue in caught.value.issues}
    assert {"x-rules/endtime-after-starttime", "additionalProperties"} <= keywords

    recorder = Recorder(reply(200, json=[{"id": 1}]))
    warned = {**EVENTAPP_SESSION, "capacity": 3}  # capacity without fixed RSVP: a warning only
    with caplog.at_level(logging.WARNING, logger="eventapp"):
        eventapp_call(flavour, recorder, body={"resource": [warned]})
    assert len(recorder.requests) == 1
    assert "capacity-needs-fixed-rsvp" in caplog.text


def test_empty_resource_is_refused(flavour: str) -> None:
    with pytest.raises(eventapp.RequestValidationError) as caught:
        eventapp_call(flavour, never, body={"resource": []})
    assert [issue.keyword for issue in caught.value.issues] == ["minItems"]


# ---------------------------------------------------------------------------- status errors


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (422, "UnprocessableEntityError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (503, "InternalServerError"),
        (418, "APIStatusError"),
    ],
)
def test_status_errors_map_to_classes_and_parse_the_error_model(flavour: str, status: int, error_class: str) -> None:
    recorder = Recorder(reply(status, json={"is_error": 1, "message": "scheduletrackid is required"}))
    with pytest.raises(eventapp.APIStatusError) as caught:
        eventapp_call(flavour, recorder, max_retries=0)
    error = caught.value
    assert type(error).__name__ == error_class
    assert error.status_code == status
    assert error.response.status_code == status
    assert error.body == {"is_error": 1, "message": "scheduletrackid is required"}
    assert isinstance(error.error, eventapp.models.ErrorResponse)  # `default` declares it
    assert "scheduletrackid is required" in str(error)
    assert len(recorder.requests) == 1


def test_error_without_declared_model_or_json(flavour: str) -> None:
    with pytest.raises(zuddl.NotFoundError) as caught:
        zuddl_call(flavour, Recorder(reply(404, json={"message": "no such event"})))
    assert caught.value.error is None  # zuddl declares no error body
    assert caught.value.body == {"message": "no such event"}
    with pytest.raises(zuddl.BadRequestError) as text_error:
        zuddl_call(flavour, Recorder(reply(400, text="<html>bad</html>")))
    assert text_error.value.body == "<html>bad</html>"
    assert text_error.value.error is None


def test_error_model_mismatch_leaves_error_none(flavour: str) -> None:
    with pytest.raises(eventapp.BadRequestError) as caught:
        eventapp_call(flavour, Recorder(reply(400, json={"is_error": "not an int"})))
    assert caught.value.error is None
    assert caught.value.body == {"is_error": "not an int"}


# ---------------------------------------------------------------------------- response validation


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (reply(200, text="<html>oops</html>", headers={"content-type": "text/html"}), "expected a JSON"),
        (reply(200, content=b""), "expected a JSON"),
        (reply(200, json={"id": 7}), "does not match Session: /id: expected string"),
        (reply(201, json=["a list"]), "does not match Session"),
    ],
)
def test_bad_success_body_raises_response_validation_error(flavour: str, response: Any, expected: str) -> None:
    with pytest.raises(zuddl.APIResponseValidationError) as caught:
        zuddl_call(flavour, Recorder(response))
    assert expected in str(caught.value)
    assert isinstance(caught.value, zuddl.SDKError)
    assert not isinstance(caught.value, json.JSONDecodeError | ValueError)
    assert caught.value.status_code in (200, 201)


def test_eventapp_bad_list_item(flavour: str) -> None:
    with pytest.raises(eventapp.APIResponseValidationError) as caught:
        eventapp_call(flavour, Recorder(reply(200, json=[{"id": "x"}])))
    assert "PostPatchResponse" in str(caught.value)
    assert caught.value.body == [{"id": "x"}]


# ---------------------------------------------------------------------------- retries


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retried_statuses_then_success(flavour: str, status: int, sleeps: list[float]) -> None:
    recorder = Recorder(reply(status), reply(status), reply(201, json=SESSION_JSON))
    response = zuddl_call(flavour, recorder, raw=True)
    assert response.status_code == 201
    assert response.retries_taken == 2
    assert len(recorder.requests) == 3
    keys = {r.headers["idempotency-key"] for r in recorder.requests}
    assert len(keys) == 1  # one key per logical call, reused on every retry
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0  # backoff with jitter


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_4xx_are_never_retried(flavour: str, status: int) -> None:
    recorder = Recorder(reply(status, json={}))
    with pytest.raises(zuddl.APIStatusError):
        zuddl_call(flavour, recorder)
    assert len(recorder.requests) == 1


def test_retries_run_out(flavour: str, sleeps: list[float]) -> None:
    recorder = Recorder(reply(500, json={"message": "down"}))
    with pytest.raises(zuddl.InternalServerError):
        zuddl_call(flavour, recorder)
    assert len(recorder.requests) == 3  # max_retries defaults to 2
    assert len(sleeps) == 2


def test_max_retries_per_client_per_call_and_with_options(flavour: str) -> None:
    recorder = Recorder(reply(503))
    with pytest.raises(zuddl.InternalServerError):
        zuddl_call(flavour, recorder, client_options={"max_retries": 4})
    assert len(recorder.requests) == 5
    recorder = Recorder(reply(503))
    with pytest.raises(zuddl.InternalServerError):
        zuddl_call(flavour, recorder, client_options={"max_retries": 4}, max_retries=0)
    assert len(recorder.requests) == 1


def test_with_options_copies_and_shares_the_pool(flavour: str) -> None:
    recorder = Recorder(reply(503))
    http_client = httpx.Client(transport=httpx.MockTransport(recorder))
    client = zuddl.Client(api_key=SECRET, http_client=http_client)
    quick = client.with_options(max_retries=0, timeout=3.0, headers={"X-Extra": "1"})
    with pytest.raises(zuddl.InternalServerError):
        quick.create_session(event_id=EVENT_ID, body=ZUDDL_BODY)
    assert len(recorder.requests) == 1
    assert recorder.requests[0].extensions["timeout"]["read"] == 3.0
    assert recorder.requests[0].headers["x-extra"] == "1"
    assert client.max_retries == 2 and quick.max_retries == 0
    assert quick._http_client is client._http_client
    quick.close()
    assert not http_client.is_closed


@pytest.mark.parametrize(
    ("header", "low", "high"),
    [("2", 2.0, 2.0), ("0.25", 0.25, 0.25), ("3600", 60.0, 60.0), ("-5", 0.0, 0.0), ("soon", 0.375, 0.5)],
)
def test_retry_after_seconds_capped(flavour: str, sleeps: list[float], header: str, low: float, high: float) -> None:
    recorder = Recorder(reply(429, headers={"Retry-After": header}), reply(200, json=SESSION_JSON))
    zuddl_call(flavour, recorder)
    assert low <= sleeps[0] <= high


def test_retry_after_http_date(flavour: str, sleeps: list[float]) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    recorder = Recorder(reply(503, headers={"Retry-After": when}), reply(200, json=SESSION_JSON))
    zuddl_call(flavour, recorder)
    assert 27.0 <= sleeps[0] <= 30.0


def test_connection_errors_are_retried_then_raised(flavour: str) -> None:
    recorder = Recorder(httpx.ConnectError("refused"), httpx.ReadError("reset"), reply(200, json=SESSION_JSON))
    assert isinstance(zuddl_call(flavour, recorder), zuddl.models.Session)
    assert len(recorder.requests) == 3

    recorder = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(zuddl.APIConnectionError) as caught:
        zuddl_call(flavour, recorder)
    assert not isinstance(caught.value, zuddl.APITimeoutError)
    assert len(recorder.requests) == 3
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_timeouts_raise_api_timeout_error(flavour: str) -> None:
    recorder = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(zuddl.APITimeoutError) as caught:
        zuddl_call(flavour, recorder, max_retries=1)
    assert isinstance(caught.value, zuddl.APIConnectionError)
    assert len(recorder.requests) == 2
    assert "timed out" in str(caught.value)


def test_unsupported_protocol_is_not_retried(flavour: str) -> None:
    recorder = Recorder(httpx.UnsupportedProtocol("ftp"))
    with pytest.raises(zuddl.APIConnectionError):
        zuddl_call(flavour, recorder)
    assert len(recorder.requests) == 1


# ---------------------------------------------------------------------------- credentials, servers, logging


def test_api_key_from_environment(flavour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZUDDL_API_KEY", "from-env")
    recorder = Recorder(reply(200, json=SESSION_JSON))
    zuddl_call(flavour, recorder, client_options={"api_key": None})
    assert recorder.requests[0].headers["authorization"] == "from-env"


def test_missing_api_key_sends_nothing(flavour: str) -> None:
    with pytest.raises(zuddl.SDKError) as caught:
        zuddl_call(flavour, never, client_options={"api_key": None})
    assert "ZUDDL_API_KEY" in str(caught.value)


def test_secret_never_shown(flavour: str, caplog: pytest.LogCaptureFixture) -> None:
    client = zuddl.Client(api_key=SECRET)
    assert SECRET not in repr(client) and SECRET not in str(vars(client))
    client.close()
    with caplog.at_level(logging.DEBUG, logger="zuddl"), pytest.raises(zuddl.APIStatusError) as caught:
        zuddl_call(flavour, Recorder(reply(500, json={"message": "boom"})), max_retries=1)
    assert "request POST" in caplog.text and "response 500" in caplog.text and "retry 1 of 1" in caplog.text
    assert SECRET not in caplog.text
    assert "<redacted>" in caplog.text
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value.args)


def test_base_url_from_argument_environment_and_spec(flavour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder(reply(200, json=SESSION_JSON))
    zuddl_call(flavour, recorder, client_options={"base_url": "http://127.0.0.1:9/root/"})
    assert str(recorder.requests[-1].url).startswith("http://127.0.0.1:9/root/v1/events/")
    monkeypatch.setenv("ZUDDL_BASE_URL", "https://staging.zuddl.test")
    zuddl_call(flavour, recorder)
    assert recorder.requests[-1].url.host == "staging.zuddl.test"


def test_eventapp_needs_a_base_url(flavour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(eventapp.SDKError) as caught:
        eventapp_call(flavour, never, client_options={"base_url": None})
    assert "EVENTAPP_BASE_URL" in str(caught.value) and "placeholder" in str(caught.value)
    monkeypatch.setenv("EVENTAPP_BASE_URL", "https://events.test/api")
    recorder = Recorder(reply(200, json=[]))
    eventapp_call(flavour, recorder, client_options={"base_url": None})
    assert str(recorder.requests[0].url) == "https://events.test/api/sessions"
    with pytest.raises(eventapp.SDKError, match="absolute"):
        eventapp_call(flavour, never, client_options={"base_url": "events.test"})


def test_eventapp_has_no_security_scheme(flavour: str) -> None:
    with pytest.raises(eventapp.SDKError, match="no security scheme"):
        eventapp_call(flavour, never, client_options={"api_key": "k"})
    recorder = Recorder(reply(200, json=[]))
    eventapp_call(flavour, recorder, client_options={"headers": {"X-Session-Token": "t"}})
    assert recorder.requests[0].headers["x-session-token"] == "t"
    assert "idempotency-key" in recorder.requests[0].headers


def test_bad_max_retries(flavour: str) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        zuddl.Client(api_key=SECRET, max_retries=-1)


# ---------------------------------------------------------------------------- raw responses, lifecycle


def test_raw_response(flavour: str) -> None:
    recorder = Recorder(reply(201, json=SESSION_JSON, headers={"X-Request-Id": "r1"}))
    response = zuddl_call(flavour, recorder, raw=True)
    assert response.status_code == 201
    assert response.headers["x-request-id"] == "r1"
    assert isinstance(response.http_response, httpx.Response)
    assert response.json() == SESSION_JSON
    assert isinstance(response.parse(), zuddl.models.Session)
    assert "201" in repr(response)


def test_raw_response_still_raises_status_errors(flavour: str) -> None:
    with pytest.raises(zuddl.ConflictError):
        zuddl_call(flavour, Recorder(reply(409)), raw=True, max_retries=0)


def test_own_pool_closed_injected_pool_left_open(flavour: str) -> None:
    with zuddl.Client(api_key=SECRET) as client:
        pass
    assert client._http_client.is_closed
    injected = httpx.Client()
    with zuddl.Client(api_key=SECRET, http_client=injected):
        pass
    assert not injected.is_closed
    injected.close()


async def _async_lifecycle() -> None:
    client = zuddl.AsyncClient(api_key=SECRET)
    await client.aclose()
    assert client._http_client.is_closed
    async with zuddl.AsyncClient(api_key=SECRET) as other:
        pass
    assert other._http_client.is_closed


def test_async_lifecycle(flavour: str) -> None:
    asyncio.run(_async_lifecycle())


def _generator_version() -> str:
    from generator import __version__

    return __version__


def test_any_mapping_is_accepted(flavour: str) -> None:
    recorder = Recorder(reply(200, json=SESSION_JSON))
    zuddl_call(flavour, recorder, body=types.MappingProxyType(dict(ZUDDL_BODY)))
    assert json.loads(recorder.requests[0].content) == ZUDDL_BODY


def test_wrong_http_client_flavour_is_refused(flavour: str) -> None:
    with pytest.raises(TypeError, match=r"httpx\.AsyncClient"):
        zuddl.AsyncClient(api_key=SECRET, http_client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"httpx\.Client"):
        zuddl.Client(api_key=SECRET, http_client=httpx.AsyncClient())  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["line\nbreak", "caf\u00e9", "tab\there"])
def test_unsendable_key_is_refused_without_quoting_it(flavour: str, key: str) -> None:
    with pytest.raises(zuddl.SDKError) as caught:
        zuddl_call(flavour, never, client_options={"api_key": key})
    assert key not in str(caught.value)
