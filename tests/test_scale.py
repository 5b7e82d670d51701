"""Generation at scale: the synthetic spec, concurrency that changes nothing, validation shortcuts."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import pipeline
from generator.diagnostics import SpecError
from generator.execute import forked
from generator.spec import load_spec
from generator.spec.yaml_source import parse_yaml, read_document
from tests.conftest import ROOT, SPEC_FILES, snapshot
from tests.synthetic_spec import build_spec, spec_text, write_spec


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_spec(5, tmp_path_factory.mktemp("synthetic") / "synthetic-5.yaml")


def test_synthetic_spec_is_deterministic_and_sized() -> None:
    assert spec_text(7) == spec_text(7)
    spec = build_spec(12)
    operations = [op for item in spec["paths"].values() for op in item.values()]
    assert len(operations) == 12
    assert len(spec["components"]["schemas"]) == 12 + 1  # the shared ApiError on top
    sizes = [
        len(s.get("properties", s.get("allOf", [{}])[-1].get("properties", {})))
        for s in spec["components"]["schemas"].values()
    ]
    assert max(sizes) >= 15


def test_synthetic_spec_generates_and_imports(synthetic: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outcomes = pipeline.generate([synthetic], out)
    assert [o.status for o in outcomes] == ["written"]
    probe = (
        f"import sys; sys.path.insert(0, {str(out)!r})\n"
        "import synthetic5\n"
        "from synthetic5 import models\n"
        "record = models.Invoice0001(id='3f2c1a4e-8b7d-4c2e-9a1f-0b6d5e4c3a21', displayName='x', status='draft',\n"
        "                            createdAt='2025-01-01T00:00:00Z')\n"
        "print(record.model_dump(by_alias=True, exclude_unset=True)['displayName'])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "x"
    assert pipeline.check([synthetic], out) == []


def test_positions_worked_out_later_are_the_eager_ones() -> None:
    path = ROOT / "specs" / "zuddl.yaml"
    document = read_document(path, "zuddl.yaml")
    _, eager = parse_yaml(path.read_text(), "zuddl.yaml")
    assert document.positions == eager


# ---------------------------------------------------------------------------- concurrency


def _render_serially(specs: list[Path]) -> list[pipeline.Rendered]:
    return pipeline.render_all(specs, parallel=False)


def test_parallel_render_is_byte_identical(synthetic: Path) -> None:
    specs = [*SPEC_FILES, synthetic]
    serial = _render_serially(specs)
    parallel = pipeline.render_all(specs, parallel=True)
    assert [(r.spec, r.package, r.files) for r in parallel] == [(r.spec, r.package, r.files) for r in serial]


def test_parallel_render_collects_every_located_error(project: Path) -> None:
    eventapp = project / "specs" / "eventapp.yaml"
    eventapp.write_text(
        eventapp.read_text().replace("colorid:\n          type: integer", "colorid:\n          type: int")
    )
    zuddl = project / "specs" / "zuddl.yaml"
    zuddl.write_text(zuddl.read_text().replace('$ref: "#/components/schemas/SessionFile"', '$ref: "#/x"'))
    specs = [Path("specs/eventapp.yaml"), Path("specs/zuddl.yaml")]
    messages = []
    for parallel in (False, True):
        with pytest.raises(SpecError) as caught:
            pipeline.render_all(specs, parallel=parallel)
        messages.append([str(d) for d in caught.value.diagnostics])
    assert messages[0] == messages[1]
    assert any(m.startswith("specs/eventapp.yaml:204:17: ") for m in messages[1])
    assert any(m.startswith("specs/zuddl.yaml:") and "unresolvable $ref" in m for m in messages[1])


def test_generate_of_several_stale_specs_matches_the_golden_files(project: Path) -> None:
    pipeline.generate([Path("specs/eventapp.yaml"), Path("specs/zuddl.yaml")], Path("generated"), force=True)
    assert snapshot(project / "generated" / "zuddl") == snapshot(ROOT / "generated" / "zuddl")


@pytest.fixture
def always_concurrent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Validate and render in forked children whatever the spec's size (where forking is possible)."""
    if sys.platform != "linux":
        pytest.skip("no fork on this platform")
    monkeypatch.setattr(pipeline, "CONCURRENT_MIN_BYTES", 0)
    monkeypatch.setattr(forked, "cores", lambda: 2)


@pytest.mark.usefixtures("always_concurrent")
def test_concurrent_validation_renders_the_same_bytes(synthetic: Path) -> None:
    for spec in [*SPEC_FILES, synthetic]:
        assert pipeline.render_spec(spec).files == pipeline.render_spec(spec, concurrent=False).files


@pytest.mark.usefixtures("always_concurrent")
@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        # Only the validator objects: its finding is reported.
        ("colorid:\n          type: integer", "colorid:\n          type: int", "specs/eventapp.yaml:204:17: "),
        # The validator objects and the render step fails too: the validator's finding comes first.
        ("operationId: createSessions", "operationId: 12", "specs/eventapp.yaml:"),
        # Only the IR step objects (a malformed x-rules entry).
        ("severity: warning", "severity: fatal", "specs/eventapp.yaml:"),
        # Only the validators step (rendered in the second child) objects: a rule that is no CEL.
        ('rule: "!has(self.rsvp_capacity)', 'rule: "!has(self.rsvp_capacity) &&& (', "specs/eventapp.yaml:"),
    ],
)
def test_concurrent_validation_reports_what_serial_reports(project: Path, old: str, new: str, where: str) -> None:
    spec = project / "specs" / "eventapp.yaml"
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))
    outcomes = []
    for concurrent in (True, False):
        with pytest.raises(SpecError) as caught:
            pipeline.render_spec(Path("specs/eventapp.yaml"), concurrent=concurrent)
        outcomes.append([str(d) for d in caught.value.diagnostics])
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0].startswith(where)


@pytest.mark.usefixtures("always_concurrent")
def test_datamodel_code_generator_runs_in_the_child_forked_before_loading(synthetic: Path) -> None:
    """This process neither imports datamodel-code-generator's parser nor runs it."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generator import pipeline\nfrom generator.execute import forked\n"
        "pipeline.CONCURRENT_MIN_BYTES = 0\n"
        "forked.cores = lambda: 2\n"
        f"pipeline.render_spec(Path({str(synthetic)!r}))\n"
        "print('datamodel_code_generator.parser.openapi' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.usefixtures("always_concurrent")
def test_datamodel_code_generator_refusing_in_the_child_reports_what_serial_reports(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.emit import models

    def refuse(document: object, header: str) -> str:
        raise SpecError.at("datamodel-code-generator cannot build models: no", pointer="/components/schemas")

    monkeypatch.setattr(models.datamodel_codegen, "generate_models", refuse)
    outcomes = []
    for concurrent in (True, False):
        with pytest.raises(SpecError) as caught:
            pipeline.render_spec(synthetic, concurrent=concurrent)
        outcomes.append([str(d) for d in caught.value.diagnostics])
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0].startswith(f"{synthetic.as_posix()}:")


_prepared: list[str] = []


def _prepare() -> None:
    _prepared.append("imported")


@pytest.mark.skipif(sys.platform != "linux", reason="no fork on this platform")
def test_awaiting_prepares_then_computes_in_the_child() -> None:
    parent = os.getpid()
    child = forked.Awaiting(_prepare, lambda x: (x * 2, list(_prepared), os.getpid() != parent))
    child.send(21)
    assert child.result() == (42, ["imported"], True)
    assert _prepared == []


@pytest.mark.skipif(sys.platform != "linux", reason="no fork on this platform")
def test_awaiting_passes_on_findings_and_computes_here_without_an_answer() -> None:
    parent = os.getpid()

    def refuse(x: int) -> int:
        raise SpecError.at(f"no {x}", pointer="/x")

    child = forked.Awaiting(_prepare, refuse)
    child.send(3)
    with pytest.raises(SpecError, match="no 3"):
        child.result()

    def dies_in_the_child(x: int) -> int:
        if os.getpid() != parent:
            os._exit(7)
        return x + 1

    child = forked.Awaiting(_prepare, dies_in_the_child)
    child.send(3)
    assert child.result() == 4  # computed here
    unwanted = forked.Awaiting(_prepare, dies_in_the_child)
    unwanted.close()
    assert not unwanted.process.is_alive()


# ---------------------------------------------------------------------------- spec validation


BROKEN_SCHEMAS: list[dict[str, Any]] = [
    {"type": "object", "properties": {"a": {"type": "int"}}},  # deep in a property
    {"type": "object", "properties": {"a": {"type": "array", "items": {"minLength": -1}}}},
    {"type": "string", "pattern": "(unclosed"},  # the regex format
    {"allOf": [{"type": "object"}, {"required": "a"}]},
    {"type": "object", "properties": {"a": {"type": "string", "default": 3}}},  # a default of the wrong type
    {"type": "object", "additionalProperties": {"enum": "one"}},
    {"anyOf": [{"type": "string", "maxLength": "ten"}, {"type": "null"}]},
    # Wrong types where a value of the right type is blanked before the memoised check.
    {"type": "object", "properties": {"a": {"type": "string", "description": 3}}},
    {"type": "object", "title": ["x"], "properties": {"a": {"type": "string"}}},
    {"type": "object", "properties": {"a": {"type": "string", "examples": "one", "x-note": {"k": 1}}}},
    {"type": "object", "properties": {"a": {"$comment": 5, "const": 1}}},
]

# Schema nodes (subschemas already split off) whose verdict must not change when blanked.
META_CHECK_NODES: list[Any] = [
    {"type": "string", "description": "a", "title": "T", "$comment": "c"},
    {"type": "string", "description": 3},
    {"type": "string", "title": None},
    {"$comment": ["x"]},
    {"enum": ["a", 1, None], "examples": [{"deep": [1]}], "default": {"x": 1}, "example": 2, "const": "k"},
    {"enum": "one"},
    {"enum": {}},
    {"examples": "one"},
    {"examples": {"a": 1}},
    {"x-rules": [{"id": "r"}], "x-other": "not a schema", "type": "object", "properties": {"a": {}}},
    {"type": "int", "description": "wrong type elsewhere"},
    {"pattern": "(unclosed", "description": "regex"},
    {"deprecated": "yes", "description": "d"},
    {"discriminator": {"propertyName": 3}, "description": "d"},
    {"externalDocs": {"description": 1}, "title": "t"},
]


@pytest.mark.parametrize("node", META_CHECK_NODES, ids=range(len(META_CHECK_NODES)))
def test_blanked_meta_check_values_never_change_a_verdict(node: Any) -> None:
    from jsonschema.exceptions import SchemaError
    from openapi_schema_validator import OAS31Validator

    from generator.adapters.openapi_spec_validator import _blank_free_values

    def valid(schema: Any) -> bool:  # the check openapi-spec-validator runs on a 3.1 schema
        try:
            OAS31Validator.check_schema(schema)
        except SchemaError:
            return False
        return True

    assert valid(_blank_free_values(node)) == valid(node)


def test_nodes_that_differ_in_free_values_are_checked_once() -> None:
    from generator.adapters.openapi_spec_validator import _MemoChecker

    checked: list[Any] = []
    checker = _MemoChecker(checked.append, {})
    assert checker.node_valid({"type": "string", "description": "one", "examples": ["a"], "x-rules": []})
    assert checker.node_valid({"type": "string", "description": "two", "examples": ["b", "c"], "x-rules": [{}]})
    assert checker.node_valid({"type": "string", "maxLength": 3})
    assert len(checked) == 2


def _findings(validator_class: Any, document: dict[str, Any]) -> list[str]:
    return sorted(str(getattr(error, "message", error)) for error in validator_class(document).iter_errors())


@pytest.mark.parametrize("schema", BROKEN_SCHEMAS, ids=range(len(BROKEN_SCHEMAS)))
def test_fast_validator_finds_what_openapi_spec_validator_finds(
    schema: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    from generator.adapters.openapi_spec_validator import SpecValidator31

    monkeypatch.setenv("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")
    document = copy.deepcopy(build_spec(3))
    document["components"]["schemas"]["Broken"] = schema
    ours = _findings(SpecValidator31, copy.deepcopy(document))
    assert ours, schema
    assert ours == _findings(OpenAPIV31SpecValidator, copy.deepcopy(document))


def test_fast_validator_accepts_the_synthetic_spec() -> None:
    from generator.adapters.openapi_spec_validator import SpecValidator31

    assert list(SpecValidator31(build_spec(20)).iter_errors()) == []


def test_spec_validation_does_not_depend_on_jsonschema_rs(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (ROOT / "specs" / "zuddl.yaml").read_text().replace("operationId: createSession", "operationId: 12")
    )
    with pytest.raises(SpecError) as caught:
        load_spec(broken, "broken.yaml")
    # The pure-Python backend locates the finding; jsonschema-rs's adapter would put it at 1:1.
    assert str(caught.value.diagnostics[0]).startswith("broken.yaml:21:20: invalid OpenAPI document: 12 is not of type")


def _documents() -> list[tuple[str, Any]]:
    """Every spec of the repository's tests (good and bad), and mutations of the shipped specs."""
    from generator.spec.yaml_source import parse_yaml_data

    found: list[tuple[str, Any]] = []
    for path in sorted(
        [*SPEC_FILES, *(ROOT / "tests").glob("bad_specs/*.yaml"), *(ROOT / "tests").rglob("corpus/*/*.yaml")]
    ):
        try:
            found.append((path.name, parse_yaml_data(path.read_text(encoding="utf-8"), path.name)))
        except (SpecError, UnicodeDecodeError):
            continue
    for spec in SPEC_FILES:
        document = parse_yaml_data(spec.read_text(), spec.name)
        containers: list[tuple[Any, Any]] = []
        stack: list[Any] = [document]
        while stack:
            node = stack.pop()
            members = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
            for key, value in members:
                containers.append((node, key))
                if isinstance(value, (dict, list)):
                    stack.append(value)
        for index, (node, key) in enumerate(containers[::3]):
            original = node[key]
            node[key] = (12, "text", [], {}, None, True)[index % 6]
            found.append((f"{spec.name}#{index}", copy.deepcopy(document)))
            node[key] = original
    return found


def test_fast_document_check_never_accepts_what_jsonschema_refuses() -> None:
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    from generator.adapters.openapi_spec_validator import _AcceptFast

    checkers = {"3.0": _AcceptFast(schema_v30), "3.1": _AcceptFast(schema_v31)}
    assert all(checker.fast is not None for checker in checkers.values())
    refused = 0
    for name, document in _documents():
        version = str(document.get("openapi", "")) if isinstance(document, dict) else ""
        checker = checkers.get(version[:3])
        if checker is None:
            continue
        python_valid = next(iter(checker.python.iter_errors(document)), None) is None
        assert python_valid or not checker.fast.is_valid(document), name
        refused += not python_valid
    assert refused > 10  # the comparison saw plenty of invalid documents
