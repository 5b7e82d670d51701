"""Every parameter style end to end (`tests/data/client/styles.yaml`), sync and async: the exact
URL, headers and cookies a generated client sends for OpenAPI's `color` examples
("blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}) in each style, a
`content` parameter as compact JSON (typed and checked by its media type's schema),
`allowReserved`, and the package type-checks. The same spec as OpenAPI 3.0 sends the same.
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
from client_support import FLAVOURS, ROOT, Recorder, call, generated_package, reply
from local_server import LocalServer, Reply

SPEC = ROOT / "tests" / "data" / "client" / "styles.yaml"
COLOR = "blue"
COLORS = ["blue", "black", "brown"]
RGB = {"R": 100, "G": 200, "B": 150}
BASE = "https://styles.test/v1"


@pytest.fixture(scope="module")
def styles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with generated_package(SPEC, tmp_path_factory.mktemp("generated"), "styles") as package:
        yield package


def sent(flavour: str, package: ModuleType, method: str, **arguments: Any) -> httpx.Request:
    recorder = Recorder(reply(204))
    call(flavour, package, method, handler=recorder, **arguments)
    (request,) = recorder.requests
    return request


PATHS = [
    ("path_simple", "/simple/blue/blue,black,brown/R,100,G,200,B,150"),
    ("path_simple_exploded", "/simple-exploded/blue/blue,black,brown/R=100,G=200,B=150"),
    ("path_label", "/label/.blue/.blue,black,brown/.R,100,G,200,B,150"),
    ("path_label_exploded", "/label-exploded/.blue/.blue.black.brown/.R=100.G=200.B=150"),
    ("path_matrix", "/matrix/;color=blue/;colors=blue,black,brown/;rgb=R,100,G,200,B,150"),
    ("path_matrix_exploded", "/matrix-exploded/;color=blue/;colors=blue;colors=black;colors=brown/;R=100;G=200;B=150"),
]


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize(("method", "path"), PATHS)
def test_path_styles(flavour: str, method: str, path: str, styles: ModuleType) -> None:
    request = sent(flavour, styles, method, color=COLOR, colors=COLORS, rgb=RGB)
    assert request.url.raw_path.decode() == "/v1" + path


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_path_values_are_percent_encoded_around_the_delimiters(flavour: str, styles: ModuleType) -> None:
    request = sent(flavour, styles, "path_label", color="a b", colors=["x,y", "z/w"], rgb={"R": 1, "G": 2, "B": 3})
    assert request.url.raw_path.decode() == "/v1/label/.a%20b/.x%2Cy,z%2Fw/.R,1,G,2,B,3"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_query_styles(flavour: str, styles: ModuleType) -> None:
    form = sent(flavour, styles, "query_form", color=COLOR, colors=COLORS, rgb=RGB, colors_flat=COLORS, rgb_flat=RGB)
    assert str(form.url) == (
        f"{BASE}/query/form?color=blue&colors=blue&colors=black&colors=brown&R=100&G=200&B=150"
        "&colorsFlat=blue,black,brown&rgbFlat=R,100,G,200,B,150"
    )
    delimited = sent(flavour, styles, "query_delimited", spaced=COLORS, spaced_rgb=RGB, piped=COLORS, piped_rgb=RGB)
    assert str(delimited.url) == (
        f"{BASE}/query/delimited?spaced=blue%20black%20brown&spacedRgb=R%20100%20G%20200%20B%20150"
        "&piped=blue%7Cblack%7Cbrown&pipedRgb=R%7C100%7CG%7C200%7CB%7C150"
    )


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_deep_object_content_and_allow_reserved(flavour: str, styles: ModuleType) -> None:
    request = sent(
        flavour,
        styles,
        "query_deep",
        matrix_param={"lat": 1.5, "lon": 2},
        filter={"minArea": 1, "kinds": ["x"]},
        next="https://x.test/a?b,c",
    )
    assert str(request.url) == (
        f"{BASE}/query/deep?filter=%7B%22minArea%22%3A1%2C%22kinds%22%3A%5B%22x%22%5D%7D"
        "&matrixParam%5Blat%5D=1.5&matrixParam%5Blon%5D=2&next=https://x.test/a?b,c"
    )
    assert request.url.params["filter"] == '{"minArea":1,"kinds":["x"]}'


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_content_parameter_is_checked_with_its_media_type_schema(flavour: str, styles: ModuleType) -> None:
    recorder = Recorder(reply(204))
    with pytest.raises(styles.RequestValidationError) as caught:
        call(flavour, styles, "query_deep", handler=recorder, filter={"kinds": ["x"], "minArea": -1})
    assert [(issue.pointer, issue.keyword) for issue in caught.value.issues] == [("/filter/minArea", "minimum")]
    assert not recorder.requests


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_header_styles(flavour: str, styles: ModuleType) -> None:
    arguments = {"x_color": COLOR, "x_colors": COLORS, "x_rgb": RGB, "x_rgb_exploded": RGB, "x_filter": {"minArea": 2}}
    request = sent(flavour, styles, "header_styles", **arguments)
    assert request.headers["x-color"] == "blue"
    assert request.headers["x-colors"] == "blue,black,brown"
    assert request.headers["x-rgb"] == "R,100,G,200,B,150"
    assert request.headers["x-rgb-exploded"] == "R=100,G=200,B=150"
    assert request.headers["x-filter"] == '{"minArea":2}'


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_cookie_styles(flavour: str, styles: ModuleType) -> None:
    request = sent(flavour, styles, "cookie_styles", color="a b", colors_flat=COLORS, colors=COLORS, rgb_flat=RGB)
    assert request.headers["cookie"] == (
        "color=a%20b; colorsFlat=blue,black,brown; colors=blue; colors=black; colors=brown; rgbFlat=R,100,G,200,B,150"
    )


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_bytes_on_the_wire(flavour: str, styles: ModuleType) -> None:
    """What a real server reads: httpx leaves the runtime's query as it is."""
    with LocalServer(lambda request: Reply(204)) as server:
        call(
            flavour,
            styles,
            "query_deep",
            client_options={"base_url": server.url},
            matrix_param={"lat": 1.5, "lon": 2},
            filter={"minArea": 1},
        )
        call(flavour, styles, "path_matrix_exploded", client_options={"base_url": server.url}, **PATH_ARGUMENTS)
    first, second = server.requests
    assert first.path == "/query/deep?filter=%7B%22minArea%22%3A1%7D&matrixParam%5Blat%5D=1.5&matrixParam%5Blon%5D=2"
    assert first.query == {"matrixParam[lat]": ["1.5"], "matrixParam[lon]": ["2"], "filter": ['{"minArea":1}']}
    assert second.path == "/matrix-exploded/;color=blue/;colors=blue;colors=black;colors=brown/;R=100;G=200;B=150"


PATH_ARGUMENTS: dict[str, Any] = {"color": COLOR, "colors": COLORS, "rgb": RGB}


def test_signatures_follow_the_schema_of_a_content_parameter(styles: ModuleType) -> None:
    source = (Path(styles.__file__).parent / "client.py").read_text(encoding="utf-8")
    assert "        filter: dict[str, Any],\n" in source  # required, and typed by its media type's schema
    assert "        x_filter: dict[str, Any] | None = None,\n" in source


def test_the_same_spec_as_openapi_3_0_sends_the_same(tmp_path: Path) -> None:
    spec = tmp_path / "styles30.yaml"
    text = SPEC.read_text(encoding="utf-8").replace("openapi: 3.1.0", "openapi: 3.0.3", 1)
    spec.write_text(text.replace("title: Styles", "title: Styles30\n  x-sdkgen-package: styles30"), encoding="utf-8")
    with generated_package(spec, tmp_path / "out", "styles30") as package:
        request = sent("sync", package, "path_label_exploded", **PATH_ARGUMENTS)
        assert request.url.raw_path.decode() == "/v1/label-exploded/.blue/.blue.black.brown/.R=100.G=200.B=150"
        deep = sent("sync", package, "query_deep", matrix_param={"lat": 1}, filter={"minArea": 0})
        assert str(deep.url) == f"{BASE}/query/deep?filter=%7B%22minArea%22%3A0%7D&matrixParam%5Blat%5D=1"


def test_generated_package_type_checks(styles: ModuleType) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "styles"],
        capture_output=True,
        text=True,
        check=False,
        cwd=styles.out_dir,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_an_empty_list_or_object_in_the_path_is_refused_before_sending(flavour: str, styles: ModuleType) -> None:
    """An empty value expands to no path segment (RFC 6570): the call would reach another URL."""
    recorder = Recorder(reply(204))
    with pytest.raises(styles.RequestValidationError) as caught:
        call(flavour, styles, "path_label", handler=recorder, color="", colors=[], rgb={})
    found = [(issue.pointer, issue.keyword, issue.location) for issue in caught.value.issues]
    expected = {("/color", "minLength", "path"), ("/colors", "minItems", "path"), ("/rgb", "minProperties", "path")}
    assert expected <= set(found), found  # (Rgb's own required members are reported too)
    assert not recorder.requests
