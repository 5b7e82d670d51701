"""The retry policy on its own: which statuses and failures are retried, Retry-After, backoff."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from generator.runtime._runtime import retries
from generator.runtime._runtime.retries import backoff, retry_after, retryable_error, retryable_status

REQUEST = httpx.Request("GET", "https://api.test/")


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retried_statuses(status: int) -> None:
    assert retryable_status(status, unprocessed_only=False)


@pytest.mark.parametrize("status", [200, 201, 204, 301, 304, 400, 401, 403, 404, 405, 410, 422, 451])
def test_statuses_never_retried(status: int) -> None:
    assert not retryable_status(status, unprocessed_only=False)
    assert not retryable_status(status, unprocessed_only=True)


@pytest.mark.parametrize(("status", "retried"), [(408, True), (429, True), (409, False), (500, False), (503, False)])
def test_an_operation_that_must_not_run_twice_is_retried_only_when_unprocessed(status: int, retried: bool) -> None:
    assert retryable_status(status, unprocessed_only=True) is retried


def test_unprocessed_statuses_are_among_the_retried() -> None:
    assert retries.UNPROCESSED_STATUSES <= retries.RETRY_STATUSES


@pytest.mark.parametrize(
    ("error", "any_operation", "unprocessed_only"),
    [
        (httpx.ConnectError("refused", request=REQUEST), True, True),
        (httpx.ConnectTimeout("slow", request=REQUEST), True, True),
        (httpx.PoolTimeout("busy", request=REQUEST), True, True),
        (httpx.ReadTimeout("slow", request=REQUEST), True, False),
        (httpx.ReadError("reset", request=REQUEST), True, False),
        (httpx.RemoteProtocolError("dropped", request=REQUEST), True, False),
        (httpx.UnsupportedProtocol("ftp", request=REQUEST), False, False),
        (httpx.LocalProtocolError("bad header", request=REQUEST), False, False),
        (httpx.ProxyError("proxy", request=REQUEST), False, False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_transport_failures(error: httpx.TransportError, any_operation: bool, unprocessed_only: bool) -> None:
    assert retryable_error(error, unprocessed_only=False) is any_operation
    assert retryable_error(error, unprocessed_only=True) is unprocessed_only


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("2", 2.0),
        ("0.25", 0.25),
        (" 7 ", 7.0),
        ("3600", 60.0),  # capped
        ("inf", 60.0),
        ("-5", 0.0),
        ("-inf", 0.0),
        ("nan", None),
        ("soon", None),
        ("", None),
        ("   ", None),
        ("Wed, 32 Foo 2024 99:00:00 GMT", None),
    ],
)
def test_retry_after_seconds(value: str, seconds: float | None) -> None:
    assert retry_after(httpx.Headers({"Retry-After": value})) == seconds


def test_retry_after_absent() -> None:
    assert retry_after(httpx.Headers()) is None


def test_retry_after_http_date() -> None:
    ahead = retry_after(httpx.Headers({"Retry-After": email.utils.formatdate(time.time() + 30, usegmt=True)}))
    assert ahead is not None and 28.0 <= ahead <= 30.0
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert retry_after(httpx.Headers({"Retry-After": past})) == 0.0
    far = email.utils.formatdate(time.time() + 86400, usegmt=True)
    assert retry_after(httpx.Headers({"Retry-After": far})) == retries.MAX_RETRY_AFTER


def test_backoff_doubles_up_to_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retries.random, "random", lambda: 0.0)
    assert [backoff(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_jitter_cuts_at_most_a_quarter() -> None:
    for retries_taken in range(6):
        full = min(retries.INITIAL_RETRY_DELAY * 2**retries_taken, retries.MAX_RETRY_DELAY)
        for _ in range(50):
            assert 0.75 * full <= backoff(retries_taken) <= full


def test_backoff_follows_the_initial_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests of the clients shorten the waits through this one constant."""
    monkeypatch.setattr(retries, "INITIAL_RETRY_DELAY", 0.0)
    assert backoff(3) == 0.0
