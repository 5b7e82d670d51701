"""The next version of a synthetic spec (tests/synthetic_spec.py): the same N operations with a
deterministic spread of changes, so a diff of the two has findings of most kinds to locate.

Used by tests/diff/test_scale.py (small N) and benchmarks/bench_diff.py (N = 1000).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.synthetic_spec import build_spec


def evolve(document: dict[str, Any]) -> dict[str, Any]:
    """A changed copy: bounds moved both ways, enum values dropped, members added, one
    operation removed, a required parameter added, an operation deprecated, the version bumped."""
    new = copy.deepcopy(document)
    schemas = new["components"]["schemas"]
    for index, (name, schema) in enumerate(sorted(schemas.items())):
        properties = schema.get("properties", {})
        if index % 25 == 0 and "displayName" in properties:
            properties["displayName"]["maxLength"] -= 10
        if index % 25 == 12 and "displayName" in properties:
            properties["displayName"]["maxLength"] += 10
        if index % 40 == 0 and "status" in properties and len(properties["status"]["enum"]) > 3:
            properties["status"]["enum"].pop()
        if index % 50 == 0 and "properties" in schema:
            properties["reviewNote"] = {"type": "string"}
            schema.setdefault("required", []).append("reviewNote")
        if index % 60 == 0 and "quantity" in properties:
            properties["quantity"]["type"] = "number"
        if name == "ApiError":
            properties["code"] = {"type": "string", "enum": ["bad", "worse"]}
    operations = [(path, method, op) for path, item in new["paths"].items() for method, op in item.items()]
    for index, (_, _, operation) in enumerate(operations):
        if index % 100 == 0:
            extra = {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}
            operation.setdefault("parameters", []).append(extra)
        if index % 100 == 7:
            operation["deprecated"] = True
    last_path, last_method, _ = operations[-1]
    del new["paths"][last_path][last_method]
    if not new["paths"][last_path]:
        del new["paths"][last_path]
    new["info"]["version"] = "2.0.0"
    return new


def write_pair(n: int, folder: Path) -> tuple[Path, Path]:
    """`folder/old/api.yaml` and `folder/new/api.yaml` for N operations."""
    document = build_spec(n)
    paths = []
    for side, content in (("old", document), ("new", evolve(document))):
        path = folder / side / "api.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        path.write_text(yaml.dump(content, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100))
        paths.append(path)
    return paths[0], paths[1]
