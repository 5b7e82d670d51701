"""Every Python example in the generated READMEs runs, against a mock transport.

The examples are written for a user (`Client()` reading the environment, no transport
argument), so the test sets the environment and swaps httpx's own transports for a mock
that answers each operation with the spec's example response and checks every request
body against the package's validators.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from client_support import GENERATED, ROOT, eventapp, zuddl

from generator.emit.client import client_view
from generator.ir.parse import build_api
from generator.spec import DEFAULT_MAX_SPEC_BYTES, load_spec

PACKAGES = {"eventapp": eventapp, "zuddl": zuddl}
_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _blocks(name: str) -> list[Any]:
    text = (GENERATED / name / "README.md").read_text(encoding="utf-8")
    return [pytest.param(name, block, id=f"{name}-{index}") for index, block in enumerate(_BLOCK.findall(text))]


def _routes(name: str) -> list[tuple[str, re.Pattern[str], int, bytes, str | None]]:
    spec = ROOT / "specs" / f"{name}.yaml"
    api = build_api(load_spec(spec, spec.as_posix(), DEFAULT_MAX_SPEC_BYTES))
    view = client_view(api)
    routes = []
    for op, operation in zip(view.operations, api.operations, strict=True):
        pattern = re.compile("^" + re.sub(r"\\\{[^{}]+\\\}", "[^/]+", re.escape(op.path)) + "$")
        example = op.examples[0]
        schema = operation.body.schema_name if operation.body else None
        validator = f"validate_{api.schema(schema).python_name}" if schema else None
        routes.append((op.method, pattern, example.response_status, example.response_body.encode(), validator))
    return routes


def test_every_package_has_runnable_examples() -> None:
    for name in PACKAGES:
        assert len(_blocks(name)) >= 4


@pytest.mark.parametrize(("name", "block"), [case for name in PACKAGES for case in _blocks(name)])
def test_readme_example_runs(name: str, block: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    package = PACKAGES[name]
    routes = _routes(name)
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        for method, pattern, status, body, validator in routes:
            if request.method == method and pattern.match(request.url.path.removeprefix("/api")):
                if validator is not None:
                    issues = getattr(package.validators, validator)(json.loads(request.content))
                    assert [i for i in issues if i.severity == "error"] == [], issues
                return httpx.Response(status, content=body, headers={"content-type": "application/json"})
        return httpx.Response(404)

    def handle(self: Any, request: httpx.Request) -> httpx.Response:
        request.read()
        return answer(request)

    async def handle_async(self: Any, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return answer(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)
    monkeypatch.setenv("ZUDDL_API_KEY", "readme-key")
    monkeypatch.setenv(f"{name.upper()}_BASE_URL", "https://example.test/api")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, f"{name}/README.md", "exec"), {"__name__": "__readme__"})
    if "client." in block and "with_options" not in block:
        assert seen, "the example sent no request"
        assert all(r.url.host == "example.test" for r in seen)
