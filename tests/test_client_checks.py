"""One checking path, one wording: parameters, server variables and bodies are checked by the
package's compiled validators before anything is sent (tests/data/client/shapes.yaml).

Each defect this replaced has its test: enum items of an array query parameter went out
unchecked, `Client(region="mars")` was accepted, a parameter's enum message differed from
a body member's, and an unknown discriminator value got the generic oneOf message.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from client_support import FLAVOURS, ROOT, call, generated_package

SPEC = ROOT / "tests" / "data" / "client" / "shapes.yaml"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "shapes") as package:
        yield package


class Sent:
    """A MockTransport handler that records what reaches the wire."""

    def __init__(self, status: int = 200, payload: Any = ()) -> None:
        self.requests: list[httpx.Request] = []
        self.status, self.payload = status, list(payload)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status, json=self.payload) if self.status != 204 else httpx.Response(204)


def refused(shapes: ModuleType, flavour: str, method: str, **arguments: Any) -> Any:
    """The RequestValidationError a call raises; nothing may have been sent."""
    sent = Sent()
    with pytest.raises(shapes.RequestValidationError) as caught:
        call(flavour, shapes, method, handler=sent, **arguments)
    assert sent.requests == []
    return caught.value


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_enum_items_of_an_array_query_parameter_are_checked(shapes: ModuleType, flavour: str) -> None:
    error = refused(shapes, flavour, "list_shapes", kind=["circle", "triangle"])
    [issue] = error.issues
    assert (issue.pointer, issue.keyword, issue.location) == ("/kind/1", "enum", "query")
    assert issue.message == 'must be one of "circle", "square", "hexagon"'
    assert str(error) == (
        "call to list_shapes() is invalid (1 issue):\n"
        '  /kind/1 (query parameter): must be one of "circle", "square", "hexagon" [enum]'
    )
    sent = Sent()
    call(flavour, shapes, "list_shapes", handler=sent, kind=["circle", "hexagon"], color=shapes.models.Color.RED)
    assert sent.requests[0].url.params.multi_items() == [("kind", "circle"), ("kind", "hexagon"), ("color", "red")]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_bad_argument_is_reported_with_where_it_travels(shapes: ModuleType, flavour: str) -> None:
    error = refused(shapes, flavour, "list_shapes", kind="circle", x_trace="far too long")
    assert [(i.pointer, i.keyword, i.location) for i in error.issues] == [
        ("/kind", "type", "query"),
        ("/X-Trace", "maxLength", "header"),
    ]
    error = refused(shapes, flavour, "delete_shape", shape_id=0)
    assert [(i.pointer, i.keyword, i.message) for i in error.issues] == [("/shapeId", "minimum", "must be >= 1")]
    assert [i.keyword for i in refused(shapes, flavour, "delete_shape", shape_id=True).issues] == ["type"]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_parameter_and_a_body_member_read_alike(shapes: ModuleType, flavour: str) -> None:
    """The same `Color` enum, once a query parameter, once a body member: one keyword, one message."""
    parameter = refused(shapes, flavour, "list_shapes", color="blue").issues
    member = refused(shapes, flavour, "create_shape", body={"kind": "circle", "radius": 1, "color": "blue"}).issues
    assert [(i.pointer, i.keyword, i.message) for i in parameter] == [
        ("/color", "enum", 'must be one of "red", "green"')
    ]
    assert [(i.keyword, i.message) for i in parameter] == [(i.keyword, i.message) for i in member]
    assert shapes.validators.validate_list_shapes_query_parameters({"color": "blue"}) == [
        shapes.validators.Issue("/color", "enum", 'must be one of "red", "green"')
    ]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_server_variable_outside_its_enum_is_refused(shapes: ModuleType, flavour: str) -> None:
    client_class = shapes.Client if flavour == "sync" else shapes.AsyncClient
    with pytest.raises(shapes.RequestValidationError) as caught:
        client_class(region="mars")
    [issue] = caught.value.issues
    assert (issue.pointer, issue.keyword, issue.location) == ("/region", "enum", "server")
    assert issue.message == 'must be one of "eu", "us"'  # the enum keyword's wording, as for a body member
    assert str(caught.value) == (
        'server URL is invalid (1 issue):\n  /region (server variable): must be one of "eu", "us" [enum]'
    )
    sent = Sent()
    call(flavour, shapes, "list_shapes", handler=sent, client_options={"region": "us"})
    assert str(sent.requests[0].url) == "https://us.shapes.test/v1/shapes"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_unknown_discriminator_value_names_the_member_and_the_allowed_values(
    shapes: ModuleType, flavour: str
) -> None:
    error = refused(shapes, flavour, "create_shape", body={"kind": "triangle", "radius": 1})
    [issue] = error.issues
    assert (issue.pointer, issue.keyword) == ("/kind", "discriminator")
    allowed = '"circle", "square", "hexagon"'
    assert issue.message == f"""discriminator member 'kind' must be one of {allowed}, got "triangle\""""
    [missing] = refused(shapes, flavour, "create_shape", body={"radius": 1}).issues
    assert (missing.pointer, missing.keyword) == ("", "discriminator")
    assert missing.message == f"missing discriminator member 'kind' (one of {allowed})"
    # a known value still reports its own alternative's issues
    [wrong] = refused(shapes, flavour, "create_shape", body={"kind": "square", "side": -1}).issues
    assert (wrong.pointer, wrong.keyword) == ("/side", "exclusiveMinimum")
    sent = Sent(204)
    call(flavour, shapes, "create_shape", handler=sent, body={"kind": "hexagon", "side": 2})
    assert sent.requests[0].content == b'{"kind":"hexagon","side":2}'


def test_generated_code_is_lint_and_type_clean(shapes: ModuleType) -> None:
    out = shapes.out_dir
    settings = ["--isolated", "--line-length", "120", "--target-version", "py311", "--select", "E,F,W,I,B,UP,SIM,RUF"]
    lint = subprocess.run(
        [str(BIN / "ruff"), "check", *settings, "--ignore", "E501,RUF001,RUF002,RUF003", "shapes"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    types = subprocess.run(
        [str(BIN / "mypy"), "--strict", "--cache-dir", str(ROOT / ".mypy_cache" / "shapes"), "-p", "shapes"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert types.returncode == 0, types.stdout
