"""The runtime emitter: generator/runtime/ lands in every package as it is, under the header,
and the export lists the package needs are the runtime's own."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from generator.emit import client as client_emitter
from generator.emit import export_order
from generator.emit.runtime import ERRORS_EXPORTS, RUNTIME_DIR, RUNTIME_PUBLIC_NAMES, runtime_files, runtime_paths
from generator.runtime import _runtime, errors
from tests.conftest import GENERATED

PACKAGES = sorted(path.parent for path in GENERATED.glob("*/__init__.py"))


def test_the_runtime_paths() -> None:
    paths = runtime_paths()
    assert paths[0] == "_runtime/__init__.py" and "errors.py" in paths
    assert {"_runtime/transport.py", "_runtime/retries.py", "_runtime/responses.py"} <= set(paths)
    assert "__init__.py" not in paths  # the package's own __init__ is generated
    assert all(path == "errors.py" or path.startswith("_runtime/") for path in paths)
    assert list(paths) == sorted(paths)


def test_each_file_is_its_source_under_the_header() -> None:
    files = runtime_files("# HEADER one\n# HEADER two")
    assert set(files) == set(runtime_paths())
    for path, text in files.items():
        source = (RUNTIME_DIR / path).read_text(encoding="utf-8")
        assert text == "# HEADER one\n# HEADER two\n" + source


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_the_generated_packages_hold_the_runtime_byte_for_byte(package: Path) -> None:
    """Formatting leaves the runtime alone: the sources are already formatted as emitted code is."""
    header = "".join((package / "errors.py").read_text(encoding="utf-8").splitlines(keepends=True)[:2]).rstrip("\n")
    for path, text in runtime_files(header).items():
        assert (package / path).read_text(encoding="utf-8") == text, path
    assert not (package / "_runtime.py").exists()


def test_the_runtime_sources_carry_no_header() -> None:
    for path in runtime_paths():
        assert (RUNTIME_DIR / path).read_text(encoding="utf-8").startswith('"""'), path


def test_the_runtime_needs_only_the_standard_library_httpx_and_pydantic() -> None:
    for path in sorted(RUNTIME_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            for root in roots:
                assert root in sys.stdlib_module_names or root in {"httpx", "pydantic"}, f"{path} imports {root}"


def test_errors_exports_are_the_exception_classes() -> None:
    defined = [
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == errors.__name__
    ]
    assert list(ERRORS_EXPORTS) == defined
    assert ERRORS_EXPORTS == (
        "SDKError",
        "RequestValidationError",
        "APIConnectionError",
        "APITimeoutError",
        "APIResponseValidationError",
        "APIStatusError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
        "WebhookValidationError",
    )


def test_client_exports_take_the_runtime_public_names() -> None:
    assert RUNTIME_PUBLIC_NAMES == _runtime.PUBLIC_NAMES
    assert set(RUNTIME_PUBLIC_NAMES) == {
        "APIResponse",
        "AsyncPage",
        "AsyncPaginator",
        "AsyncStream",
        "AsyncStreamedAPIResponse",
        "NotGiven",
        "NOT_GIVEN",
        "ServerSentEvent",
        "Stream",
        "StreamedAPIResponse",
        "SyncPage",
    }
    assert set(RUNTIME_PUBLIC_NAMES) <= set(client_emitter.CLIENT_EXPORTS)
    assert set(RUNTIME_PUBLIC_NAMES) <= set(_runtime.__all__)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_client_py_uses_only_what_the_runtime_exports(package: Path) -> None:
    tree = ast.parse((package / "client.py").read_text(encoding="utf-8"))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "_runtime"
    }
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "_runtime"
        for alias in node.names
    }
    assert used and imported == set(RUNTIME_PUBLIC_NAMES)
    assert used | imported <= set(_runtime.__all__)
    (listed,) = [
        node.value for node in tree.body if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__"
    ]
    assert ast.literal_eval(listed) == sorted(client_emitter.CLIENT_EXPORTS, key=export_order)


def test_the_runtime_package_exports_what_it_defines() -> None:
    for name in _runtime.__all__:
        assert hasattr(_runtime, name), name


def test_the_generator_reads_the_runtime_without_importing_it() -> None:
    """httpx is the generated package's dependency: a generator run should not pay for loading it."""
    probe = "import sys, generator.execute.executor as x, generator.emit as e; e.emitters()"
    probe += "; print(sorted(m for m in sys.modules if m.split('.')[0] == 'httpx'"
    probe += " or m.startswith('generator.runtime.')))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
