"""The generated packages work vendored as a subpackage and import only pydantic and httpx."""

from __future__ import annotations

import ast
import importlib
import shutil
import sys
from pathlib import Path

import httpx
import pytest
from client_support import EVENT_ID, GENERATED, SESSION_JSON, ZUDDL_BODY

ALLOWED_THIRD_PARTY = {"httpx", "pydantic"}


@pytest.mark.parametrize("name", ["eventapp", "zuddl"])
def test_only_stdlib_httpx_pydantic_and_relative_imports(name: str) -> None:
    for path in sorted((GENERATED / name).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: fine
                    continue
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            for root in roots:
                assert root in sys.stdlib_module_names or root in ALLOWED_THIRD_PARTY, f"{path.name} imports {root}"


def test_vendored_as_a_subpackage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vendor = tmp_path / "myapp" / "_vendor"
    vendor.mkdir(parents=True)
    (tmp_path / "myapp" / "__init__.py").write_text("")
    (vendor / "__init__.py").write_text("")
    shutil.copytree(GENERATED / "zuddl", vendor / "zuddl", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(tmp_path))
    package = importlib.import_module("myapp._vendor.zuddl")
    try:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(201, json=SESSION_JSON)

        http_client = httpx.Client(transport=httpx.MockTransport(handler))
        with package.Client(api_key="k", http_client=http_client) as client:
            session = client.create_session(event_id=EVENT_ID, body=ZUDDL_BODY)
        assert type(session).__module__ == "myapp._vendor.zuddl.models"
        assert seen[0].headers["authorization"] == "k"
    finally:
        for module in [m for m in sys.modules if m.startswith("myapp")]:
            del sys.modules[module]
