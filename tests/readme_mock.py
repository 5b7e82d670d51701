"""Run the Python blocks of a generated README against a mock of its spec.

The examples are written for a user (`Client()` reading the environment, no transport
argument), so the runner sets the environment and swaps httpx's own transports for a mock
that answers each operation with the response the README's example was written against,
after checking a JSON request body with the package's own validators. Used in-process by
the README tests (tests/test_client_readme.py, tests/test_anyspec.py) and, as
`python -m tests.readme_mock OUT_DIR PACKAGE SPEC`, in a fresh interpreter by the corpus
(tests/corpus.py), which prints a JSON list of the blocks that failed. The spec's overlay
(`<stem>.overlay.yaml` beside it) applies, as it does when sdkgen generates the package.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
BASE_URL = "https://example.test/api"


def blocks(readme: str) -> list[str]:
    """The Python blocks of a README, in order."""
    return BLOCK.findall(readme)


@dataclass(frozen=True, slots=True)
class Route:
    """What the mock answers to one operation."""

    method: str
    pattern: re.Pattern[str]
    literal_segments: int  # a path with more literal text wins over a templated one
    status: int
    body: bytes
    validator: str | None  # the package's `validate_<schema>` checking a JSON request body
    items: str | None = None  # a paginated operation's items: emptied when a next page is asked for
    content_type: str = "application/json"


def routes(spec: Path) -> list[Route]:
    """One route per operation of the spec, as the generator's client view describes it."""
    from generator.emit.client import client_view
    from generator.inputs import LoadOptions
    from generator.ir.parse import build_api
    from generator.spec import DEFAULT_MAX_SPEC_BYTES, load_spec

    # `<stem>.overlay.yaml` beside the spec applies, as it does when sdkgen generates it.
    overlays = LoadOptions().overlays_for(spec)
    api = build_api(load_spec(spec, spec.as_posix(), DEFAULT_MAX_SPEC_BYTES, overlays=overlays))
    view = client_view(api)
    found: list[Route] = []
    for op, operation in zip(view.operations, api.operations, strict=True):
        path = op.path.split("#")[0]
        pattern = re.compile("^" + re.sub(r"\\\{[^{}]+\\\}", "[^/]+", re.escape(path)) + "$")
        example = op.examples[0]
        body = operation.body
        json_body = body is not None and body.schema_name is not None and op.body is not None
        json_body = json_body and op.body is not None and op.body.encoder == "_runtime.json_body"
        validator = None
        if json_body and body is not None and body.schema_name is not None:
            validator = f"validate_{api.schema(body.schema_name).python_name}"
        literal = len(re.sub(r"\{[^{}]+\}", "", path))
        items = operation.pagination.items if operation.pagination is not None else None
        content_type, body_bytes = _framed(operation, example.response_body.encode())
        found.append(
            Route(op.method, pattern, literal, example.response_status, body_bytes, validator, items, content_type)
        )
    return sorted(found, key=lambda route: -route.literal_segments)


class Mock:
    """httpx's transports answering from `routes`; `seen` holds every request sent."""

    def __init__(self, package: ModuleType, table: list[Route]) -> None:
        self.package = package
        self.table = table
        self.seen: list[httpx.Request] = []
        self.pages: dict[int, int] = {}

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path = request.url.path.removeprefix(httpx.URL(BASE_URL).path)
        for route in self.table:
            if request.method == route.method and route.pattern.match(path):
                if route.validator is not None and request.content:
                    issues = getattr(self.package.validators, route.validator)(json.loads(request.content))
                    errors = [issue for issue in issues if issue.severity == "error"]
                    assert errors == [], f"the mock refuses the request body: {errors}"
                headers = {"content-type": route.content_type} if route.status != 204 else {}
                content = route.body if route.status != 204 else b""
                if route.items is not None:  # a next page of a paginated call: an empty one ends it
                    self.pages[id(route)] = self.pages.get(id(route), 0) + 1
                    if self.pages[id(route)] > 1:
                        content = _emptied(content, route.items)
                return httpx.Response(route.status, content=content, headers=headers)
        return httpx.Response(404, json={"detail": f"the mock has no route for {request.method} {path}"})

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        mock = self

        def handle(self: Any, request: httpx.Request) -> httpx.Response:
            request.read()
            return mock.answer(request)

        async def handle_async(self: Any, request: httpx.Request) -> httpx.Response:
            await request.aread()
            return mock.answer(request)

        saved = (httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request)
        httpx.HTTPTransport.handle_request = handle  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.handle_async_request = handle_async  # type: ignore[method-assign]
        try:
            yield
        finally:
            httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request = saved  # type: ignore[method-assign]


def _framed(operation: Any, body: bytes) -> tuple[str, bytes]:
    """The media type and body of the example response: a streamed body carries the example as
    its one item (an event, a record), so the README's loop over it has something to print."""
    from generator.ir.media import sequence_separator

    for response in operation.responses:
        if not response.status.startswith("2"):
            continue
        if response.kind == "event-stream":
            return "text/event-stream", b"data: " + body + b"\n\n"
        if response.kind == "json-sequence":
            separator = sequence_separator(response.content_type) or "\n"
            return response.content_type, (b"\x1e" if separator == "\x1e" else b"") + body + b"\n"
        if response.content_type and "*" not in response.content_type:
            return response.content_type, body  # as the server would label it
        break
    return "application/json", body


def _emptied(content: bytes, items: str) -> bytes:
    """The page with no items at `items` (a JSON pointer; "" for the body itself)."""
    data = json.loads(content)
    if not items:
        return b"[]"
    *parents, last = [token.replace("~1", "/").replace("~0", "~") for token in items[1:].split("/")]
    holder = data
    for token in parents:
        holder = holder.get(token, {}) if isinstance(holder, dict) else {}
    if isinstance(holder, dict):
        holder[last] = []
    return json.dumps(data).encode()


def environment(package: str) -> dict[str, str]:
    """What a user sets before running the examples: a key and the API root."""
    prefix = package.upper()
    return {f"{prefix}_API_KEY": "readme-key", f"{prefix}_BASE_URL": BASE_URL}


def run_block(package: ModuleType, block: str, table: list[Route], where: str = "README.md") -> list[httpx.Request]:
    """Execute one block against the mock; the requests it sent (it raises what the block raises)."""
    mock = Mock(package, table)
    with mock.installed():
        exec(compile(block, where, "exec"), {"__name__": "__readme__"})
    if "client." in block and "with_options" not in block:
        assert mock.seen, "the example sent no request"
        assert all(request.url.host == "example.test" for request in mock.seen)
    return mock.seen


def main(out_dir: str, package_name: str, spec: str) -> list[str]:
    """Every block of the package's README run in this process; the failures, each described."""
    import importlib

    os.environ.update(environment(package_name))
    sys.path.insert(0, out_dir)
    package = importlib.import_module(package_name)
    readme = (Path(out_dir) / package_name / "README.md").read_text(encoding="utf-8")
    table = routes(Path(spec))
    failures: list[str] = []
    for index, block in enumerate(blocks(readme)):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_block(package, block, table, f"{package_name}/README.md#{index}")
        except BaseException as error:  # a block may raise anything, SystemExit included
            text = "".join(traceback.format_exception_only(type(error), error)).strip()
            failures.append(f"block {index}: {text[-1500:]}\n{block}")
    return failures


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
