"""The bad-spec corpus: every malformed or unsupported spec is refused cleanly and located.

Each file in tests/bad_specs/ is one mistake. For each: `sdkgen generate` (with the bad spec
beside the good ones) and `sdkgen lint` both exit 2, print the located message and no
traceback, and generated/ stays byte-identical.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import snapshot

BAD_SPECS = Path(__file__).resolve().parent / "bad_specs"

# file -> (LINE:COL, fragment of the message)
EXPECTED: dict[str, tuple[str, str]] = {
    "anchor_ref.yaml": ("21:23", "$ref '#thing': no $anchor 'thing' is declared in"),
    "comments_only.yaml": ("1:1", "empty file: expected an OpenAPI document"),
    "cyclic_ref.yaml": ("29:17", "cyclic $ref: Loop refers back to itself without descending"),
    "deep_object_not_an_object.yaml": ("12:18", "'filter': style deepObject serialises an object, but the schema"),
    "deep_object_not_exploded.yaml": ("12:18", "'filter': style deepObject needs `explode: true` (with explode"),
    "duplicate_key.yaml": ("5:3", "duplicate key 'version'"),
    "duplicate_operation_id.yaml": ("14:20", "invalid OpenAPI document: Operation ID 'getThing' for 'get'"),
    "empty_file.yaml": ("1:1", "empty file: expected an OpenAPI document"),
    "enum_contradicts_type.yaml": ("30:21", 'enum value 2 is not of the schema\'s type "string": no data can match it'),
    "enum_mixed_types.yaml": ("29:21", "enum mixes value types (string and integer); give the"),
    "invalid_regex.yaml": ("30:20", "invalid OpenAPI document: '^(ab' is not a 'regex'"),
    "keyword_override_name.yaml": ("9:22", "x-sdkgen-name 'class' is not a Python identifier"),
    "keyword_package_name.yaml": ("5:21", "x-sdkgen-package 'import' is not a valid Python package"),
    "missing_info.yaml": ("1:1", "invalid OpenAPI document: 'info' is a required property"),
    "missing_openapi.yaml": ("1:1", "not an OpenAPI document: the `openapi` member is missing"),
    "missing_paths_30.yaml": ("1:1", "invalid OpenAPI document: 'paths' is a required property"),
    "non_json_number.yaml": ("5:12", ".nan is not a JSON number"),
    "non_utf8.yaml": ("3:13", "not valid UTF-8 (byte 0xe9); save the spec as UTF-8"),
    # A value where a schema belongs: once, at the value (never also at 1:1, nor models' echo of it).
    "not_a_schema.yaml": ("15:23", "invalid OpenAPI document: 42 is not of type 'object', 'boolean'"),
    "operation_ids_collide_in_python.yaml": ("14:7", "operation method name 'get_thing' is taken twice; give one"),
    "package_name_not_identifier.yaml": ("5:21", "x-sdkgen-package 'my-api' is not a valid Python package"),
    "package_shadows_stdlib.yaml": ("5:21", "x-sdkgen-package 'json' would shadow a module the generated"),
    "parameter_content_two_media_types.yaml": ("13:13", "`content` must hold exactly one media type, not 2"),
    # A 3.0 document: the spec validator's own words are "'required' is a required property".
    "parameter_style_of_another_location.yaml": ("12:18", "style 'deepObject' is not defined for an `in: header`"),
    "parameters_collide_in_python.yaml": ("19:11", "parameter name 'page_size' is taken twice; give one an"),
    # A template variable nothing declares: at the path template itself.
    "path_template_without_parameter.yaml": ("6:3", "the path template names {partId}; declare it"),
    "path_parameter_not_in_path.yaml": ("6:3", "invalid OpenAPI document: Path parameter 'thingId' for"),
    "ref_to_missing_file.yaml": ("21:23", "$ref to a missing file 'shared/thing.yaml'"),
    "remote_ref.yaml": ("21:23", "$ref 'https://example.com/thing.yaml': a remote reference no ref map covers"),
    "required_property_not_defined.yaml": ("26:22", "required property 'name' is not defined in properties"),
    "schema_names_collide_in_python.yaml": ("27:7", "schema name 'thing' is taken twice; give one an"),
    "schema_shadows_pydantic.yaml": ("25:7", "schema name 'Field' would shadow 'Field' in models.py; set"),
    "swagger_2.yaml": ("1:10", "Swagger 2.0 is not supported: convert the spec to OpenAPI"),
    "tab_indentation.yaml": ("4:1", "invalid YAML: found a tab character that violates"),
    "top_level_list.yaml": ("1:1", "an OpenAPI document must be a mapping at the top level"),
    "unknown_type.yaml": ("29:17", "invalid OpenAPI document: 'strin' is not one of ['array',"),
    "unresolvable_ref.yaml": ("21:23", "unresolvable $ref '#/components/schemas/Thng': nothing at"),
    "unsupported_security_scheme.yaml": ("25:7", "unsupported security scheme type 'http digest' (sdkgen"),
    "unsupported_version.yaml": ("1:10", "unsupported OpenAPI version '4.0.0': sdkgen reads 3.0.x and"),
    "x_rules_does_not_parse.yaml": ("29:17", "malformed CEL rule: unexpected '='"),
    "x_rules_unknown_field.yaml": ("29:17", "self.name: the schema declares no property 'name'"),
    "x_rules_duplicate_id.yaml": ("29:16", "duplicate rule id 'same'"),
    "x_rules_missing_message.yaml": ("28:11", "x-rules entry needs string member(s): message"),
    "x_rules_not_a_list.yaml": ("27:16", "x-rules must be a list of rules"),
    "x_sdkgen_name_not_string.yaml": ("26:22", "x-sdkgen-name 42 is not a Python identifier"),
    "yaml_custom_tag.yaml": ("3:10", "unsupported YAML tag !env: a spec holds plain JSON values"),
    "yaml_merge_key.yaml": ("5:5", "YAML merge keys (<<) are not supported: write the members"),
    "yaml_syntax_error.yaml": ("4:10", "invalid YAML: did not find expected ',' or ']'"),
}


def test_every_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BAD_SPECS.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refused_located_and_nothing_written(project: Path, name: str) -> None:
    where, fragment = EXPECTED[name]
    shutil.copy(BAD_SPECS / name, project / "specs" / name)
    spec = f"specs/{name}"
    located = f"{spec}:{where}: " if where else f"{spec}: "
    before = snapshot(project / "generated")
    for command in (["generate", "--force"], ["lint", spec]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 2, (command, result.output)
        assert located in result.output, (command, result.output)
        assert fragment in result.output, (command, result.output)
        assert "Traceback" not in result.output
    assert snapshot(project / "generated") == before


def test_a_50_megabyte_spec_is_refused(project: Path) -> None:
    huge = project / "specs" / "huge.yaml"
    with huge.open("w") as handle:
        handle.write("openapi: 3.1.0\ninfo: {title: huge, version: '1'}\npaths: {}\nx-padding: |\n")
        line = "  " + "x" * 1022 + "\n"
        for _ in range(50 * 1024):
            handle.write(line)
    before = snapshot(project / "generated")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "specs/huge.yaml: spec is 52" in result.stderr
    assert "over the 33554432-byte limit" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "generated") == before


def test_a_path_parameter_misnamed_against_its_template_is_reported_at_both_places() -> None:
    result = CliRunner().invoke(main, ["lint", str(BAD_SPECS / "path_parameter_not_in_path.yaml")])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(":6:3: " in line and "{thingId}" in line for line in lines), lines  # the template
    assert any(":10:11: " in line and "'thingID'" in line for line in lines), lines  # the declaration


def test_a_value_where_a_schema_belongs_is_one_finding(project: Path) -> None:
    shutil.copy(BAD_SPECS / "not_a_schema.yaml", project / "specs" / "not_a_schema.yaml")
    result = CliRunner().invoke(main, ["lint", "specs/not_a_schema.yaml"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "specs/not_a_schema.yaml:15:23: invalid OpenAPI document: 42 is not of type 'object', 'boolean'"
    ]
