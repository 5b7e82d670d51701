"""The API key and the base URL a client is built with, and keeping secrets out of logs.

Both come from the constructor's argument, else from the package's environment variables
(`<PACKAGE>_API_KEY`, `<PACKAGE>_BASE_URL`), else (for the URL) from the spec's server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import httpx

from ..errors import SDKError
from .config import PackageConfig

REDACTED = "<redacted>"
PLACEHOLDER_SUFFIXES = (".invalid", ".example")
"""Host suffixes reserved so that they never reach a real server (RFC 2606): `.invalid`
never resolves, `.example` is for documentation. A spec whose server is on one of them
gives no usable default, and a key must not be sent there. (`.test` and `.localhost` can
resolve in one's own setup, so they are usable servers.)"""


class Secret:
    """A credential that never shows itself in repr(), str() or logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    __str__ = __repr__


def resolve_api_key(config: PackageConfig, api_key: str | None) -> Secret | None:
    """The key from the argument, else from `<PACKAGE>_API_KEY`; refused when nowhere to put it."""
    if not config.schemes:
        if api_key is not None:
            raise SDKError(
                f"{config.name}: the API declares no security scheme, so api_key has nowhere to go; "
                "send credentials with headers= instead"
            )
        return None
    if api_key is None:
        api_key = os.environ.get(config.api_key_env) or None
    if api_key is None:
        return None
    if not isinstance(api_key, str) or not api_key.isascii() or not api_key.isprintable():
        # Said without the value: an HTTP library's own error would quote it.
        raise SDKError(f"{config.name}: the API key must be printable ASCII text (no line breaks)")
    return Secret(api_key)


def is_placeholder_host(host: str) -> bool:
    """Whether `host` is, or is under, a name that never reaches a real server (`PLACEHOLDER_SUFFIXES`)."""
    return ("." + host.lower().rstrip(".")).endswith(PLACEHOLDER_SUFFIXES)


def resolve_base_url(config: PackageConfig, base_url: str | None, variables: Mapping[str, str]) -> str:
    """The argument, else `<PACKAGE>_BASE_URL`, else the spec's server with its variables."""
    if base_url is None:
        base_url = os.environ.get(config.base_url_env) or None
    if base_url is None:
        if config.server_url is None:
            raise SDKError(f"{config.name}: the spec names no server: pass base_url= or set {config.base_url_env}")
        url = config.server_url
        for name, value in variables.items():
            url = url.replace("{" + name + "}", value)
        if is_placeholder_host(httpx.URL(url).host or ""):
            raise SDKError(
                f"{config.name}: the spec's server {url!r} is a placeholder that never resolves: "
                f"pass base_url= (your deployment's API root) or set {config.base_url_env}"
            )
        if not httpx.URL(url).host:
            raise SDKError(
                f"{config.name}: the spec's server {url!r} is relative to wherever the spec is served: "
                f"pass base_url= (e.g. 'https://your-host{url}') or set {config.base_url_env}"
            )
        base_url = url
    try:
        parsed = httpx.URL(base_url)
    except httpx.InvalidURL as error:
        raise SDKError(f"{config.name}: base_url {base_url!r} is not a URL: {error}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise SDKError(f"{config.name}: base_url {base_url!r} must be an absolute http(s) URL")
    return base_url.rstrip("/")


def redact_url(url: httpx.URL, secret_query: frozenset[str]) -> str:
    """The URL as text, with the values of the query parameters that carry credentials hidden."""
    if not secret_query or not url.query:
        return str(url)
    params = [(k, REDACTED if k in secret_query else v) for k, v in url.params.multi_items()]
    return str(url.copy_with(params=params))


def redact_headers(headers: httpx.Headers, secret_headers: frozenset[str]) -> dict[str, str]:
    """The headers, with the values of those that carry credentials hidden (`secret_headers`: lower case)."""
    return {k: (REDACTED if k.lower() in secret_headers else v) for k, v in headers.items()}
