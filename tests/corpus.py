"""The real-spec corpus: public specs of real APIs (tests/data/corpus/<name>/), each with its
expected outcome.

An entry either *generates* (`sdkgen generate` exits 0, every module of the package imports in
a fresh interpreter, the package passes `mypy --strict`, both clients have a method per
operation, each operation the probe can call without a body or a made-up query/header
value sends the spec's method to the spec's path, and every Python block of its README runs
against a mock of the spec) or is *refused* (exit 2 with the
declared `FILE:LINE:COL` and message fragment, for a construct README.md lists under
"Unsupported constructs"). Every run happens in a subprocess, as a user would run it.

`make test` runs the entries marked `fast` (through tests/test_corpus.py); `make corpus`
runs them all (SDKGEN_CORPUS=all). `python -m tests.corpus --constructs` prints which
constructs each spec exercises (the table in tests/data/corpus/README.md); `--measure`
prints how far each spec gets (generates, imports, type-checks, runs its README).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "tests" / "data" / "corpus"
MYPY_CACHE = ROOT / ".mypy_cache" / "corpus"


@dataclass(frozen=True, slots=True)
class Entry:
    """One corpus spec and what sdkgen must do with it."""

    name: str  # the folder under tests/data/corpus/, the spec is <name>/<name>.yaml
    outcome: Literal["generates", "refused"]
    fast: bool = False  # part of `make test`
    where: str | None = None  # refused: LINE:COL of the first diagnostic
    message: str | None = None  # refused: a fragment of its message

    @property
    def spec(self) -> Path:
        return CORPUS_DIR / self.name / f"{self.name}.yaml"


def generates(name: str, *, fast: bool = False) -> Entry:
    return Entry(name, "generates", fast)


def refused(name: str, where: str, message: str, *, fast: bool = False) -> Entry:
    return Entry(name, "refused", fast, where, message)


CORPUS: tuple[Entry, ...] = (
    # The OpenAPI Initiative's examples.
    generates("uspto", fast=True),
    generates("petstore"),
    generates("petstore_31", fast=True),
    generates("petstore_expanded"),
    generates("link_example"),
    generates("callback_example"),
    generates("webhook_example"),
    # Real vendors' APIs.
    refused("readme", "80:25", "`nullable` is OpenAPI 3.0: in 3.1 write type: [..., 'null']"),
    generates("readme_legacy"),
    generates("star_trek"),
    refused("open_payments", "999:7", "unknown JSON Schema keyword 'unresolvedProperites': did you mean"),
    generates("open_payments_auth"),
    refused("figma", "1848:19", "required property 'team_id' is not defined in properties"),
    refused("blockfrost", "7817:27", "'null' is not one of ['array', 'boolean', 'integer', 'number', 'object',"),
    # ReadMe's feature examples: not APIs, but dense in the constructs real APIs use.
    generates("discriminators"),
    generates("polymorphism"),
    generates("schema_circular"),
    generates("parameters_style"),
    generates("file_uploads"),
    generates("form_data"),
    generates("security"),
    generates("schema_additional_properties"),
    generates("response_multiple_mediatypes"),
    generates("schema_types"),
    generates("http_status_codes"),
    generates("response_examples"),
    refused(
        "schema_validation",
        "142:20",
        "the default value 'TBD' is not a 'duration'",
        fast=True,
    ),
    refused("schema_validation_top_level", "6:20", "jsonSchemaDialect 'http://json-schema.org/draft-04/schema#'"),
)


def selected(everything: bool | None = None) -> list[Entry]:
    """The entries to run: all of them under SDKGEN_CORPUS=all (`make corpus`), else the fast ones."""
    if everything is None:
        everything = os.environ.get("SDKGEN_CORPUS", "") == "all"
    return [entry for entry in CORPUS if everything or entry.fast]


# ---------------------------------------------------------------------------- running


def _run(command: list[str], cwd: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout)


def check(entry: Entry, out_dir: Path) -> list[str]:
    """Run one entry into `out_dir`; the list of what went wrong ([] when all is as declared)."""
    result = _run([sys.executable, "-m", "generator", "generate", str(entry.spec), "--out", str(out_dir)])
    output = result.stdout + result.stderr
    if "Traceback" in output or result.returncode == 3:
        return [f"sdkgen crashed (exit {result.returncode}):\n{output}"]
    if entry.outcome == "refused":
        return _check_refused(entry, result)
    if result.returncode != 0:
        return [f"expected exit 0, got {result.returncode}:\n{output}"]
    written = re.search(r"^written\s+(\S+)\s", result.stdout, re.MULTILINE)
    if written is None:
        return [f"no `written` line in the output:\n{output}"]
    package = Path(written.group(1)).name
    problems = _check_imports(package, out_dir)
    problems += _check_types(package, out_dir)
    if not problems:
        problems += _check_client(entry, package, out_dir)
        problems += _check_readme(entry, package, out_dir)
    return problems


def measure(entry: Entry, out_dir: Path) -> dict[str, bool]:
    """How far one spec gets: generates, imports, type-checks, runs its README (each step needs the one before)."""
    result = _run([sys.executable, "-m", "generator", "generate", str(entry.spec), "--out", str(out_dir)])
    written = re.search(r"^written\s+(\S+)\s", result.stdout, re.MULTILINE)
    stages = {"generates": result.returncode == 0 and written is not None}
    if not stages["generates"] or written is None:
        return {**stages, "imports": False, "types": False, "readme": False}
    package = Path(written.group(1)).name
    stages["imports"] = not _check_imports(package, out_dir)
    stages["types"] = stages["imports"] and not _check_types(package, out_dir)
    stages["readme"] = stages["imports"] and not _check_readme(entry, package, out_dir)
    return stages


def _check_refused(entry: Entry, result: subprocess.CompletedProcess[str]) -> list[str]:
    if result.returncode != 2:
        return [f"expected exit 2 (refused), got {result.returncode}:\n{result.stdout}{result.stderr}"]
    first = result.stderr.splitlines()[0] if result.stderr else ""
    located = f"{entry.spec}:{entry.where}: "
    if not first.startswith(located) or (entry.message or "") not in first:
        return [f"expected the first diagnostic at {located} with {entry.message!r}, got:\n{result.stderr}"]
    return []


_IMPORT_ALL = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
for module in pkgutil.iter_modules(package.__path__):
    importlib.import_module(f"{sys.argv[2]}.{module.name}")
"""


def _check_imports(package: str, out_dir: Path) -> list[str]:
    result = _run([sys.executable, "-c", _IMPORT_ALL, str(out_dir), package])
    if result.returncode != 0:
        return [f"package {package} does not import:\n{result.stderr[-4000:]}"]
    return []


# Every operation is a method of both clients; the ones callable without a body or a
# parameter the probe cannot make up are called, through httpx.MockTransport, and must send
# the spec's method to the spec's path.
_CLIENT_PROBE = """
import asyncio, inspect, json, sys
import httpx
sys.path.insert(0, sys.argv[1])
package = __import__(sys.argv[2])
plan = json.loads(sys.argv[3])
problems = []
sent = []
def answer(request):
    sent.append(request)
    return httpx.Response(204)
for name, method, path, arguments in plan["operations"]:
    for cls in (package.Client, package.AsyncClient):
        if not callable(getattr(cls, name, None)):
            problems.append(f"{cls.__name__} has no method {name} ({method.upper()} {path})")
    if arguments is None:
        continue
    transport = httpx.Client(transport=httpx.MockTransport(answer))
    credential = {"api_key": "k"} if plan["secured"] else {}
    client = package.Client(base_url="http://corpus.test/base", http_client=transport, max_retries=0, **credential)
    del sent[:]
    try:
        getattr(client, name)(**arguments)
    except package.SDKError as error:  # a 204 where the spec promised a body
        if not sent:
            problems.append(f"{name}: nothing sent: {type(error).__name__}: {error}")
    expected = "/base" + path.split("#")[0]  # a fragment (several operations on one path) is never sent
    for key, value in arguments.items():
        expected = expected.replace("{" + plan["wire"][name][key] + "}", str(value))
    if sent and (sent[0].method != method.upper() or sent[0].url.path != expected):
        problems.append(f"{name}: sent {sent[0].method} {sent[0].url.path}, the spec says {method.upper()} {expected}")
print(json.dumps(problems))
"""


def _probe_plan(entry: Entry) -> dict[str, Any]:
    """What the probe checks: each operation's method name, HTTP method, path and arguments."""
    from generator.ir.parse import build_api
    from generator.spec import load_spec

    api = build_api(load_spec(entry.spec))
    operations: list[tuple[str, str, str, dict[str, Any] | None]] = []
    wire: dict[str, dict[str, str]] = {}
    for operation in api.operations:
        arguments: dict[str, Any] | None = {}
        for parameter in operation.parameters:
            if not parameter.required:
                continue
            value = _made_up(parameter.python_type) if parameter.location == "path" else None
            if value is None or arguments is None:
                arguments = None
                continue
            arguments[parameter.python_name] = value
        if operation.body is not None and operation.body.required:
            arguments = None
        operations.append((operation.python_name, operation.method, operation.path, arguments))
        wire[operation.python_name] = {p.python_name: p.name for p in operation.parameters}
    return {"operations": operations, "wire": wire, "secured": bool(api.security_schemes)}


def _made_up(annotation: str) -> Any:
    """A path parameter value of this annotation (None: the probe does not know one)."""
    if annotation in ("str", "str | None"):
        return "p1"
    if annotation in ("int", "float"):
        return 7
    literal = re.fullmatch(r"Literal\['([\w.-]+)'.*\]", annotation)
    return literal.group(1) if literal else None


def _check_client(entry: Entry, package: str, out_dir: Path) -> list[str]:
    import json

    plan = json.dumps(_probe_plan(entry))
    result = _run([sys.executable, "-c", _CLIENT_PROBE, str(out_dir), package, plan])
    if result.returncode != 0:
        return [f"the client probe of {package} failed:\n{result.stderr[-4000:]}"]
    return [str(problem) for problem in json.loads(result.stdout)]


def _check_readme(entry: Entry, package: str, out_dir: Path) -> list[str]:
    """Every Python block of the package's README runs against a mock of the spec (tests/readme_mock.py)."""
    import json

    command = [sys.executable, "-m", "tests.readme_mock", str(out_dir), package, str(entry.spec)]
    result = _run(command, cwd=ROOT, timeout=300)
    if result.returncode != 0:
        return [f"the README runner of {package} failed:\n{result.stderr[-4000:]}"]
    return [f"{package}/README.md {failure}" for failure in json.loads(result.stdout.splitlines()[-1])]


def _check_types(package: str, out_dir: Path) -> list[str]:
    MYPY_CACHE.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(MYPY_CACHE), "-p", package]
    result = _run(command, cwd=out_dir)
    if result.returncode != 0:
        return [f"package {package} fails mypy --strict:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"]
    return []


# ---------------------------------------------------------------------------- constructs

CONSTRUCTS = (
    "3.0",
    "3.1",
    "nullable",
    "bool exclusiveMin/Max",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    "recursive",
    "map",
    "array of $ref",
    "inline object",
    "query",
    "header",
    "cookie",
    "param style",
    "form body",
    "multipart body",
    "several 2xx",
    "4xx",
    "several content types",
    "default response",
    "apiKey",
    "bearer",
    "basic",
    "oauth2",
    "callbacks",
    "webhooks",
    "links",
)


def _walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, str(index)))


def _recursive_schemas(schemas: dict[str, Any]) -> bool:
    edges: dict[str, set[str]] = {}
    for name, body in schemas.items():
        edges[name] = {
            str(value).rsplit("/", 1)[-1]
            for path, value in _walk(body)
            if path and path[-1] == "$ref" and str(value).startswith("#/components/schemas/")
        }
    for start in edges:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            name = todo.pop()
            if name == start:
                return True
            if name not in seen:
                seen.add(name)
                todo.extend(edges.get(name, ()))
    return False


def constructs(document: dict[str, Any]) -> set[str]:
    """The constructs (of CONSTRUCTS) a spec uses, found by walking the document."""
    found: set[str] = set()
    version = str(document.get("openapi", ""))
    found.add("3.1" if version.startswith("3.1") else "3.0")
    components = document.get("components") or {}
    schemas = components.get("schemas") or {}
    if _recursive_schemas(schemas):
        found.add("recursive")
    operations = [
        operation
        for item in (document.get("paths") or {}).values()
        if isinstance(item, dict)
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
        and isinstance(operation, dict)
    ]
    for path, node in _walk(document):
        if not isinstance(node, dict):
            continue
        key = path[-1] if path else ""
        if node.get("nullable") is True:
            found.add("nullable")
        if isinstance(node.get("exclusiveMinimum"), bool) or isinstance(node.get("exclusiveMaximum"), bool):
            found.add("bool exclusiveMin/Max")
        for keyword in ("allOf", "oneOf", "anyOf"):
            if isinstance(node.get(keyword), list):
                found.add(keyword)
        if isinstance(node.get("discriminator"), dict):
            found.add("discriminator")
        if isinstance(node.get("additionalProperties"), dict) and node["additionalProperties"]:
            found.add("map")
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict) and "$ref" in items:
            found.add("array of $ref")
        if key != "schemas" and "properties" in node and len(path) > 3 and path[-2] != "schemas":
            found.add("inline object")
        location = node.get("in")
        if isinstance(location, str) and "name" in node:
            if location in ("query", "header", "cookie"):
                found.add(location)
            if "style" in node or "explode" in node:
                found.add("param style")
        if key == "content" and "requestBody" in path:
            if any(media.startswith("application/x-www-form-urlencoded") for media in node):
                found.add("form body")
            if any(media.startswith("multipart/") for media in node):
                found.add("multipart body")
        scheme = node.get("type") if "securitySchemes" in path and len(path) >= 3 else None
        if scheme == "apiKey":
            found.add("apiKey")
        elif scheme == "http" and str(node.get("scheme", "")).lower() in ("bearer", "basic"):
            found.add(str(node["scheme"]).lower())
        elif scheme in ("oauth2", "openIdConnect"):
            found.add("oauth2")
    for operation in operations:
        responses = operation.get("responses") or {}
        statuses = [str(status) for status in responses]
        if sum(status.startswith("2") for status in statuses) > 1:
            found.add("several 2xx")
        if any(status.startswith("4") for status in statuses):
            found.add("4xx")
        if "default" in statuses:
            found.add("default response")
        for response in responses.values():
            if isinstance(response, dict) and len(response.get("content") or {}) > 1:
                found.add("several content types")
        body = operation.get("requestBody")
        if isinstance(body, dict) and len(body.get("content") or {}) > 1:
            found.add("several content types")
        if operation.get("callbacks"):
            found.add("callbacks")
    if document.get("webhooks"):
        found.add("webhooks")
    if any(path and path[-1] == "links" and isinstance(node, dict) and node for path, node in _walk(document)):
        found.add("links")
    return found


def constructs_table() -> str:
    """A Markdown table: which constructs each corpus spec exercises, and how many specs cover each."""
    import yaml

    lines = ["| spec | outcome | constructs |", "|---|---|---|"]
    counts = dict.fromkeys(CONSTRUCTS, 0)
    for entry in CORPUS:
        with entry.spec.open(encoding="utf-8") as handle:
            found = constructs(yaml.safe_load(handle))
        for name in found:
            counts[name] += 1
        listed = ", ".join(name for name in CONSTRUCTS if name in found)
        lines.append(f"| {entry.name} | {entry.outcome} | {listed} |")
    lines.append("")
    lines.append("Specs per construct: " + ", ".join(f"{name} {count}" for name, count in counts.items()))
    return "\n".join(lines)


def measure_table() -> str:
    """How many corpus specs generate, import, type-check and run their README (`--measure`)."""
    import tempfile

    lines = ["| spec | generates | imports | mypy --strict | README runs |", "|---|---|---|---|---|"]
    totals = {"generates": 0, "imports": 0, "types": 0, "readme": 0}
    for entry in CORPUS:
        with tempfile.TemporaryDirectory() as folder:
            stages = measure(entry, Path(folder))
        for stage, passed in stages.items():
            totals[stage] += passed
        lines.append(f"| {entry.name} | " + " | ".join("yes" if stages[s] else "no" for s in totals) + " |")
    lines.append(f"| **{len(CORPUS)} specs** | " + " | ".join(str(totals[s]) for s in totals) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--constructs"]:
        print(constructs_table())
    elif sys.argv[1:] == ["--measure"]:
        print(measure_table())
    else:
        sys.exit("usage: python -m tests.corpus --constructs | --measure   (run the corpus with `make corpus`)")
