"""The load step: a spec file -> one bundled, validated JSON document that remembers its lines.

Read in this order: `yaml_source` (bytes -> JSON data and the position of every value),
`overlay` (OpenAPI Overlays applied to the spec file's document, each value still located
in the file that supplied it), `bundle` (`$ref`s to sibling files made local, `$ref`
cycles refused), `lenient` (with `--lenient`: vendor defects repaired, as warnings), `validate` (what
openapi-spec-validator refuses, located), then `normalize` (3.0 schemas in 2020-12 terms,
run by the IR step). `pointers` and `schema_tree` are the helpers every later step shares.

`load_spec` is the one call most callers need; the pipeline loads with `validate=False`
and runs `validate_openapi` beside the later steps on large specs.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.spec.bundle import LoadedSpec, bundle_spec
from generator.spec.ref_map import RefMap
from generator.spec.validate import check_version, validate_openapi, validation_findings
from generator.spec.yaml_source import DEFAULT_MAX_SPEC_BYTES

__all__ = [
    "DEFAULT_MAX_SPEC_BYTES",
    "LoadedSpec",
    "RefMap",
    "check_version",
    "load_spec",
    "validate_openapi",
    "validation_findings",
]


def load_spec(
    path: Path,
    display: str | None = None,
    max_bytes: int = DEFAULT_MAX_SPEC_BYTES,
    *,
    validate: bool = True,
    overlays: Sequence[Path] = (),
    ref_map: RefMap = (),
) -> LoadedSpec:
    """Read, parse, apply `overlays` (`generator.spec.overlay`), bundle and validate one spec.

    SpecError (located) on any bad input. With `validate=False` the openapi-spec-validator
    pass is left to the caller (`validate_openapi`), which may run it concurrently with the
    later steps.
    """
    spec = bundle_spec(path, display or path.as_posix(), max_bytes, overlays, ref_map)
    if validate:
        validate_openapi(spec)
    return spec
