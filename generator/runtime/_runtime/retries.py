"""The retry policy: which failures are tried again, and how long to wait first.

Connection errors, timeouts, `RETRY_STATUSES` and every 5xx are retried, after the
server's `Retry-After` when it sends one, else after an exponential backoff with jitter.
An operation that must not run twice (`x-sdkgen-idempotent: false` in the spec) is retried
only after failures the server cannot have acted on.
"""

from __future__ import annotations

import email.utils
import math
import random
import time

import httpx

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry when the server gives no Retry-After; doubles each time."""
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A server's Retry-After is honoured up to this many seconds."""
RETRY_STATUSES = frozenset({408, 409, 429})
"""Statuses retried besides every 5xx: request timeout, conflict, too many requests."""
UNPROCESSED_STATUSES = frozenset({408, 429})
"""The statuses that say the server did not act on the request: retried for any operation."""
UNPROCESSED_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures after which the server cannot have acted on the request: retried for any operation."""
FATAL_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)
"""Transport failures that another attempt cannot fix."""


def retryable_status(status: int, *, unprocessed_only: bool) -> bool:
    """Whether a response with this status is worth another attempt."""
    if unprocessed_only:
        return status in UNPROCESSED_STATUSES
    return status in RETRY_STATUSES or status >= 500


def retryable_error(error: httpx.TransportError, *, unprocessed_only: bool) -> bool:
    """Whether a request that failed without a response is worth another attempt."""
    if isinstance(error, FATAL_ERRORS):
        return False
    return not unprocessed_only or isinstance(error, UNPROCESSED_ERRORS)


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks to wait (`Retry-After`: seconds or an HTTP date), capped.

    None when the header is absent or unreadable: the caller then backs off on its own.
    """
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        if not value.strip():
            return None
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, OverflowError):
            return None
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff(retries_taken: int) -> float:
    """Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... up to 8 s, each cut by up to 25%."""
    delay = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
    return delay * (1.0 - 0.25 * random.random())
