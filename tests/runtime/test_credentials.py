"""The API key and base URL a client starts from, and what logs may show of them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from generator.runtime._runtime.config import PackageConfig, SecurityScheme
from generator.runtime._runtime.credentials import (
    REDACTED,
    Secret,
    is_placeholder_host,
    redact_headers,
    redact_url,
    resolve_api_key,
    resolve_base_url,
)
from generator.runtime.errors import SDKError


def config(**changes: Any) -> PackageConfig:
    settings: dict[str, Any] = {
        "name": "shop",
        "user_agent": "shop/1 sdkgen/0",
        "api_key_env": "SHOP_API_KEY",
        "base_url_env": "SHOP_BASE_URL",
        "server_url": "https://{region}.shop.com/v1",
        "schemes": {"key": SecurityScheme("apiKey", "header", "X-Key")},
        "secret_headers": frozenset({"x-key"}),
        "secret_query": frozenset({"token"}),
    }
    return PackageConfig(**{**settings, **changes})


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOP_API_KEY", raising=False)
    monkeypatch.delenv("SHOP_BASE_URL", raising=False)


def test_a_secret_never_shows_itself() -> None:
    secret = Secret("zk-123")
    assert secret.get() == "zk-123"
    for shown in (repr(secret), str(secret), f"{secret}", repr([secret])):
        assert "zk-123" not in shown and REDACTED in shown


def test_api_key_from_argument_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_api_key(config(), None) is None
    monkeypatch.setenv("SHOP_API_KEY", "from-env")
    key = resolve_api_key(config(), None)
    assert key is not None and key.get() == "from-env"
    key = resolve_api_key(config(), "given")
    assert key is not None and key.get() == "given"
    monkeypatch.setenv("SHOP_API_KEY", "")
    assert resolve_api_key(config(), None) is None


@pytest.mark.parametrize("key", ["line\nbreak", "tab\there", "naïve"])
def test_an_unsendable_key_is_refused_without_quoting_it(key: str) -> None:
    with pytest.raises(SDKError) as caught:
        resolve_api_key(config(), key)
    assert key not in str(caught.value)


def test_a_key_with_nowhere_to_go_is_refused() -> None:
    assert resolve_api_key(config(schemes={}), None) is None
    with pytest.raises(SDKError, match="no security scheme"):
        resolve_api_key(config(schemes={}), "k")


@pytest.mark.parametrize(
    ("host", "placeholder"),
    [
        ("eventapp.invalid", True),
        ("invalid", True),
        ("API.Example", True),
        ("api.example.", True),
        ("example", True),
        ("api.shop.com", False),
        ("api.example.com", False),
        ("events.test", False),  # can resolve in one's own setup
        ("api.localhost", False),  # resolves to this machine
        ("notinvalid", False),
        ("", False),
    ],
)
def test_placeholder_hosts(host: str, placeholder: bool) -> None:
    assert is_placeholder_host(host) is placeholder


def test_base_url_from_argument_environment_then_server(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_base_url(config(), None, {"region": "eu"}) == "https://eu.shop.com/v1"
    monkeypatch.setenv("SHOP_BASE_URL", "https://staging.shop.test/")
    assert resolve_base_url(config(), None, {"region": "eu"}) == "https://staging.shop.test"
    assert resolve_base_url(config(), "http://127.0.0.1:8080/api/", {}) == "http://127.0.0.1:8080/api"


def test_a_placeholder_server_needs_a_base_url() -> None:
    with pytest.raises(SDKError, match="placeholder") as caught:
        resolve_base_url(config(server_url="https://{region}.invalid"), None, {"region": "eu"})
    assert "SHOP_BASE_URL" in str(caught.value)
    assert resolve_base_url(config(server_url="https://eventapp.invalid"), "https://events.shop.com", {}) == (
        "https://events.shop.com"
    )


def test_a_server_variable_can_leave_the_placeholder() -> None:
    assert resolve_base_url(config(server_url="https://{host}/v1"), None, {"host": "api.shop.com"}) == (
        "https://api.shop.com/v1"
    )
    with pytest.raises(SDKError, match="placeholder"):
        resolve_base_url(config(server_url="https://{host}/v1"), None, {"host": "shop.example"})


def test_no_server_needs_a_base_url() -> None:
    with pytest.raises(SDKError, match="names no server"):
        resolve_base_url(config(server_url=None), None, {})


@pytest.mark.parametrize("base_url", ["events.shop.com", "ftp://shop.com", "https://", "http://[::1"])
def test_a_base_url_must_be_an_absolute_http_url(base_url: str) -> None:
    with pytest.raises(SDKError, match="base_url"):
        resolve_base_url(config(), base_url, {})


def test_redacted_url_hides_only_secret_query_values() -> None:
    url = httpx.URL("https://shop.com/v1/items?token=s3cret&page=2&token=again")
    shown = redact_url(url, frozenset({"token"}))
    assert "s3cret" not in shown and "again" not in shown
    assert sorted(httpx.URL(shown).params.multi_items()) == [("page", "2"), ("token", REDACTED), ("token", REDACTED)]
    assert redact_url(url, frozenset()) == str(url)


def test_redacted_headers_hide_secret_values_whatever_their_case() -> None:
    headers = httpx.Headers({"X-Key": "s3cret", "Authorization": "Bearer s3cret", "Accept": "application/json"})
    shown = redact_headers(headers, frozenset({"x-key", "authorization"}))
    assert shown == {"x-key": REDACTED, "authorization": REDACTED, "accept": "application/json"}


def test_a_relative_server_needs_a_base_url_and_says_so() -> None:
    with pytest.raises(SDKError, match="relative to wherever the spec is served") as caught:
        resolve_base_url(config(server_url="/api/v1"), None, {})
    assert "SHOP_BASE_URL" in str(caught.value) and "https://your-host/api/v1" in str(caught.value)
    assert resolve_base_url(config(server_url="/api/v1"), "https://geo.shop.com/api/v1", {}) == (
        "https://geo.shop.com/api/v1"
    )
