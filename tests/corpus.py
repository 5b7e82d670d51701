"""The real-spec corpus: public specs of real APIs (tests/data/corpus/<name>/), each with its
expected outcome.

An entry either *generates* strictly or is *refused* (exit 2 with the declared `FILE:LINE:COL`
and message fragment, for a construct README.md lists under "Unsupported constructs"). Either
way it must generate with `--lenient`; when that reports repairs, the overlay `sdkgen lint
--lenient` prints, saved beside a copy of the spec, must make it generate strictly, into the
same package. That package must import (every module, in a fresh interpreter), pass `mypy
--strict`, have a method per operation in both clients, each operation the probe can call
without a body or a made-up query/header value must send the spec's method to the spec's path,
and every Python block of its README must run against a mock of the spec (tests/readme_mock.py).
Every run happens in a subprocess, as a user would run it.

`make test` runs the entries marked `fast` (through tests/test_corpus.py; SDKGEN_CORPUS=all
runs them all); `make corpus` runs them all and prints the table (`python -m tests.corpus
--table`). `python -m tests.corpus --constructs` prints which constructs each spec exercises
(the table in tests/data/corpus/README.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "tests" / "data" / "corpus"
MYPY_CACHE = ROOT / ".mypy_cache" / "corpus"
MANIFEST_NAME = ".sdkgen.json"


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
    refused("schema_types", "65:27", "the default value None is not of type 'string'"),
    generates("http_status_codes"),
    generates("response_examples"),
    refused(
        "schema_validation",
        "277:20",
        "the default value '12345' is not of type 'integer'",
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


@dataclass
class Report:
    """What one corpus spec gave: strictly, leniently, with the printed overlay, and its package."""

    entry: Entry
    strict: str = "-"  # "ok" or "refused" (as declared), else what happened
    lenient: str = "-"  # "ok", or "ok, N skipped"
    warnings: int = 0  # lenient mode's warnings (repairs and skipped operations)
    overlay: str = "-"  # strict with the overlay `lint --lenient` printed: "ok" ("-": nothing to repair)
    imports: str = "-"
    mypy: str = "-"
    readme: str = "-"  # every Python block of the package's README runs on a mock of the spec
    problems: list[str] = field(default_factory=list)

    def row(self) -> str:
        cells = (self.strict, self.lenient, str(self.warnings), self.overlay, self.imports, self.mypy, self.readme)
        return f"| {self.entry.name} | " + " | ".join(cells) + " |"


def _generate(spec: Path, out_dir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-m", "generator", "generate", str(spec), "--out", str(out_dir), *options])


def _crashed(result: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" in result.stdout + result.stderr or result.returncode == 3


def _package(result: subprocess.CompletedProcess[str]) -> str | None:
    written = re.search(r"^written\s+(\S+)\s", result.stdout, re.MULTILINE)
    return Path(written.group(1)).name if written else None


def _files(folder: Path, leave_out: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.name not in leave_out
    }


def check(entry: Entry, out_dir: Path) -> list[str]:
    """Run one entry into `out_dir`; the list of what went wrong ([] when all is as declared)."""
    return run(entry, out_dir).problems


def run(entry: Entry, out_dir: Path) -> Report:
    """Generate one spec strictly, leniently, and strictly with the overlay `lint --lenient` prints;
    then check the package (imports, `mypy --strict`, the client probe)."""
    report = Report(entry)
    problems = report.problems
    strict = _generate(entry.spec, out_dir / "strict")
    if _crashed(strict):
        problems.append(f"sdkgen crashed (exit {strict.returncode}):\n{strict.stdout}{strict.stderr}")
    elif entry.outcome == "refused":
        problems += _check_refused(entry, strict)
        report.strict = "refused" if not problems else "NOT AS DECLARED"
    elif strict.returncode != 0 or _package(strict) is None:
        problems.append(f"expected exit 0 and a written package, got {strict.returncode}:\n{strict.stderr}")
        report.strict = f"exit {strict.returncode}"
    else:
        report.strict = "ok"
    lenient = _generate(entry.spec, out_dir / "lenient", "--lenient")
    package = _package(lenient)
    if _crashed(lenient) or lenient.returncode != 0 or package is None:
        problems.append(f"--lenient: exit {lenient.returncode}:\n{lenient.stdout}{lenient.stderr}")
        report.lenient = f"exit {lenient.returncode}"
        return report
    # Advice strict mode prints too (a member an allOf can never hold, ...) is not a repair.
    advice = {line for line in strict.stderr.splitlines() if ": warning: " in line}
    warnings = [line for line in lenient.stderr.splitlines() if ": warning: " in line and line not in advice]
    skipped = sum("skipped: it cannot be generated" in line for line in warnings)
    report.warnings = len(warnings)
    report.lenient = f"ok, {skipped} skipped" if skipped else "ok"
    built = out_dir / "lenient" / package
    overlay: Path | None = None
    if warnings:  # (a spec strict mode lets through may have some: `default: null` on a string)
        overlay = _check_overlay(entry, out_dir, built, skipped > 0, report, advice)
    elif report.strict == "ok" and _files(built) != _files(out_dir / "strict" / package):
        problems.append("--lenient, with nothing to repair, made another package than strict mode")
    report.imports = "ok" if not (failed := _check_imports(package, built.parent)) else "FAILED"
    problems += failed
    report.mypy = "ok" if not (failed := _check_types(package, built.parent)) else "FAILED"
    problems += failed
    if report.imports == "ok":
        # The spec the package was made from: the overlaid copy of a spec strict mode refuses.
        made_from = overlay.with_name(entry.spec.name) if overlay is not None else entry.spec
        report.readme = "ok" if not (failed := _check_readme(made_from, package, built.parent)) else "FAILED"
        problems += failed
    if not problems:
        problems += _check_client(entry, package, built.parent, overlay)
    return report


def _check_overlay(
    entry: Entry, out_dir: Path, built: Path, skipped: bool, report: Report, advice: set[str]
) -> Path | None:
    """Save what `lint --lenient` prints beside a copy of the spec; strictly, it must give the
    lenient package, printing nothing but the `advice` strict mode gives the spec itself."""
    copy = out_dir / "overlaid" / entry.spec.name
    copy.parent.mkdir(parents=True)
    shutil.copyfile(entry.spec, copy)
    overlay = copy.with_name(f"{copy.stem}.overlay.yaml")
    printed = _run([sys.executable, "-m", "generator", "lint", "--lenient", str(copy)])
    overlay.write_text(printed.stdout, encoding="utf-8")
    result = _generate(copy, out_dir / "overlay")
    advised = {line.split(": warning: ", 1)[1] for line in advice}
    said = [line for line in result.stderr.splitlines() if line.partition(": warning: ")[2] not in advised]
    if printed.returncode != 0 or result.returncode != 0 or said:
        report.overlay = "FAILED"
        report.problems.append(f"strict with the printed overlay: exit {result.returncode}:\n{result.stderr}")
        return None
    # The same package; only its manifest (which lists the overlay) and, where operations were
    # skipped, its README (which lists them) differ.
    leave_out = (MANIFEST_NAME, "README.md") if skipped else (MANIFEST_NAME,)
    if _files(out_dir / "overlay" / built.name, leave_out) != _files(built, leave_out):
        report.overlay = "DIFFERS"
        report.problems.append("strict with the printed overlay gives another package than --lenient")
        return None
    report.overlay = "ok"
    return overlay


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
    except package.RequestValidationError:  # a made-up value the spec's pattern refuses
        continue
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


def _probe_plan(entry: Entry, overlay: Path | None = None) -> dict[str, Any]:
    """What the probe checks: each operation's method name, HTTP method, path and arguments (of the
    spec as the overlay of its repairs leaves it, when it has one)."""
    from generator.ir.parse import build_api
    from generator.spec import load_spec

    spec = load_spec(overlay.with_name(entry.spec.name), overlays=[overlay]) if overlay else load_spec(entry.spec)
    api = build_api(spec)
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


def _check_client(entry: Entry, package: str, out_dir: Path, overlay: Path | None = None) -> list[str]:
    import json

    plan = json.dumps(_probe_plan(entry, overlay))
    result = _run([sys.executable, "-c", _CLIENT_PROBE, str(out_dir), package, plan])
    if result.returncode != 0:
        return [f"the client probe of {package} failed:\n{result.stderr[-4000:]}"]
    return [str(problem) for problem in json.loads(result.stdout)]


def _check_readme(spec: Path, package: str, out_dir: Path) -> list[str]:
    """Every Python block of the package's README runs against a mock of the spec (tests/readme_mock.py)."""
    import json

    command = [sys.executable, "-m", "tests.readme_mock", str(out_dir), package, str(spec)]
    result = _run(command, cwd=ROOT, timeout=300)
    if result.returncode != 0 or not result.stdout.strip():
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


# ---------------------------------------------------------------------------- the table


def results_table() -> int:
    """Run every entry and print a Markdown table of what each gave (`make corpus`); 1 on any problem."""
    import tempfile

    print("| spec | strict | lenient | warnings | strict + printed overlay | imports | mypy --strict | README runs |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    reports: list[Report] = []
    with tempfile.TemporaryDirectory(prefix="sdkgen-corpus-") as scratch:
        for entry in CORPUS:
            report = run(entry, Path(scratch) / entry.name)
            reports.append(report)
            print(report.row(), flush=True)
    refused = [r for r in reports if r.strict != "ok"]
    skipped = sum(int(r.lenient.split(", ")[1].split()[0]) for r in reports if ", " in r.lenient)
    print()
    print(f"strict: {len(reports) - len(refused)} of {len(reports)} generate, {len(refused)} refused")
    lenient_ok = sum(r.lenient.startswith("ok") for r in reports)
    print(f"--lenient: {lenient_ok} of {len(reports)} generate ({skipped} operation(s) skipped)")
    overlay_ok = sum(r.overlay == "ok" for r in refused)
    print(f"strict with the overlay `lint --lenient` prints: {overlay_ok} of the {len(refused)} refused generate")
    print(
        f"import: {sum(r.imports == 'ok' for r in reports)}, mypy --strict: {sum(r.mypy == 'ok' for r in reports)}, "
        f"README runs: {sum(r.readme == 'ok' for r in reports)}"
    )
    failed = [r for r in reports if r.problems]
    for report in failed:
        print(f"\n## {report.entry.name}\n" + "\n\n".join(report.problems), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--constructs"]:
        print(constructs_table())
    elif sys.argv[1:] == ["--table"]:
        sys.exit(results_table())
    else:
        sys.exit("usage: python -m tests.corpus --table | --constructs   (`make corpus` runs --table)")
