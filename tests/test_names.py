"""Python names by the contract's rules."""

from __future__ import annotations

import pytest

from generator.names import is_identifier, package_name_for_stem, snake_case


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("createSession", "create_session"),
        ("CreateSessionsRequest", "create_sessions_request"),
        ("HTTPResponse", "http_response"),
        ("eventId", "event_id"),
        ("file1", "file1"),
        ("tickets_linked", "tickets_linked"),
        ("startDateTime", "start_date_time"),
        ("XMLHttpRequest", "xml_http_request"),
        ("get-HTTP2Server", "get_http2_server"),
        ("x.y  z", "x_y_z"),
        ("class", "class_"),
        ("from", "from_"),
        ("café", "cafe"),
    ],
)
def test_snake_case(wire: str, python: str) -> None:
    assert snake_case(wire) == python


def test_soft_keywords_stay_usable() -> None:
    assert snake_case("type") == "type"
    assert snake_case("match") == "match"


def test_package_names_from_stems() -> None:
    assert package_name_for_stem("event-app") == "event_app"
    assert not is_identifier(package_name_for_stem("123"))
    assert not is_identifier("class")
