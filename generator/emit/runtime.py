"""The package's runtime files: `generator/runtime/` as it is, each file under the package header.

The runtime is the same in every package, so it is copied, not rendered: `errors.py` and
the `_runtime/` sub-package keep their paths (and so their relative imports). The export
lists the package's `__init__.py` and `client.py` need are read from the runtime's source,
so they cannot drift from what it defines. Read, not imported: importing the runtime would
load httpx into every generator run, and only the generated package needs it.
"""

from __future__ import annotations

import ast
import builtins
import functools
from pathlib import Path
from typing import cast

from generator.emit import EmitOptions, Files
from generator.emit.templates import header
from generator.ir import Api

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
# The generator-side marker of `generator.runtime`; a package's own `__init__.py` is generated.
NOT_EMITTED = frozenset({"__init__.py"})


@functools.cache
def _sources() -> dict[str, str]:
    sources: dict[str, str] = {}
    for path in sorted(RUNTIME_DIR.rglob("*.py")):
        relative = path.relative_to(RUNTIME_DIR).as_posix()
        if relative not in NOT_EMITTED and "__pycache__" not in path.parts:
            sources[relative] = path.read_text(encoding="utf-8")
    return sources


def runtime_paths() -> tuple[str, ...]:
    """The paths of the runtime files inside a package (`errors.py`, `_runtime/...`), sorted."""
    return tuple(_sources())


def emit(api: Api, options: EmitOptions) -> Files:
    """`errors.py` and `_runtime/`."""
    return runtime_files(header(api))


def runtime_files(python_header: str) -> dict[str, str]:
    """The runtime files of one package: path inside the package -> text, the header first."""
    return {path: f"{python_header}\n{source}" for path, source in _sources().items()}


def _exception_classes(source: str) -> tuple[str, ...]:
    """The classes a module defines that derive from an exception (a built-in one or an earlier class)."""
    found: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.id if isinstance(base, ast.Name) else None
                builtin = getattr(builtins, name or "", None)
                if name in found or (isinstance(builtin, type) and issubclass(builtin, BaseException)):
                    found.append(node.name)
                    break
    return tuple(found)


def _names(source: str, name: str) -> tuple[str, ...]:
    """The value of a module-level `name = ("...", ...)` assignment: a tuple of names."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, tuple) and all(isinstance(item, str) for item in value):
                return value
    raise LookupError(f"generator/runtime: no module-level {name} = (a tuple of names)")


ERRORS_EXPORTS = _exception_classes(_sources()["errors.py"])
"""Every exception class `errors.py` defines, in its order: the package re-exports them all."""

RUNTIME_PUBLIC_NAMES = _names(_sources()["_runtime/__init__.py"], "PUBLIC_NAMES")
"""`_runtime.PUBLIC_NAMES`: the runtime names that `client.py` imports and the package re-exports."""


def _constant(source: str, name: str) -> object:
    """The value of a module-level `name = <literal>` (or `frozenset(<literal>)`) assignment."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = node.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "frozenset":
                return frozenset(ast.literal_eval(value.args[0]))
            return ast.literal_eval(value)
    raise LookupError(f"generator/runtime: no module-level {name} = (a literal)")


RETRY_STATUSES = cast(frozenset[int], _constant(_sources()["_runtime/retries.py"], "RETRY_STATUSES"))
"""The statuses the runtime retries besides 5xx (for the docstrings and READMEs that say so)."""

UNPROCESSED_STATUSES = cast(frozenset[int], _constant(_sources()["_runtime/retries.py"], "UNPROCESSED_STATUSES"))
"""The statuses a server answers without having acted on the request (retried even when not idempotent)."""

PLACEHOLDER_SUFFIXES = cast(tuple[str, ...], _constant(_sources()["_runtime/credentials.py"], "PLACEHOLDER_SUFFIXES"))
"""Host suffixes that never reach a real server (the runtime refuses to send a key there)."""


def is_placeholder_host(host: str) -> bool:
    """What the runtime's `is_placeholder_host` answers, without importing the runtime (and httpx)."""
    return ("." + host.lower().rstrip(".")).endswith(PLACEHOLDER_SUFFIXES)


def _status_classes(source: str) -> dict[int, str]:
    """`errors._BY_STATUS` as status -> class name, read from the source."""
    for node in ast.parse(source).body:
        if not isinstance(node, ast.AnnAssign):
            continue
        target = node.target
        if isinstance(target, ast.Name) and target.id == "_BY_STATUS" and isinstance(node.value, ast.Dict):
            return {
                cast(int, ast.literal_eval(key)): value.id
                for key, value in zip(node.value.keys, node.value.values, strict=True)
                if key is not None and isinstance(value, ast.Name)
            }
    raise LookupError("generator/runtime/errors.py: no module-level _BY_STATUS = {status: class}")


_STATUS_CLASSES = _status_classes(_sources()["errors.py"])


def error_class_for(status: int) -> str:
    """What the runtime's `status_error_class` answers for a status, by name, without importing it."""
    return "InternalServerError" if status >= 500 else _STATUS_CLASSES.get(status, "APIStatusError")
