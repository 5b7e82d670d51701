"""What a client is configured with: the package's own settings and the per-call defaults.

`PackageConfig` holds everything that differs between generated packages (its name,
server, where credentials go), so the rest of `_runtime` is the same in every package.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import httpx

DEFAULT_TIMEOUT = 60.0
"""Seconds for connect, read, write and pool, unless the caller says otherwise."""

Timeout = float | httpx.Timeout | None


class NotGiven:
    """The type of `NOT_GIVEN`: an argument the caller left out (None means "no timeout")."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


def as_timeout(timeout: Timeout) -> httpx.Timeout:
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """Where the API key travels: `kind` apiKey (raw) or http (bearer / basic)."""

    kind: Literal["apiKey", "http"]
    location: str
    name: str
    http_scheme: str | None = None


@dataclass(frozen=True, slots=True)
class PackageConfig:
    """What differs between generated packages: names, servers, credentials."""

    name: str
    user_agent: str
    api_key_env: str
    base_url_env: str
    server_url: str | None
    schemes: Mapping[str, SecurityScheme]
    secret_headers: frozenset[str]
    secret_query: frozenset[str]

    @property
    def logger(self) -> logging.Logger:
        return logging.getLogger(self.name)
