"""Documents other than the spec the validator compiler reads: what a ref map provides
(`generator.spec.ref_map`: the user's `--ref-map`/`x-sdkgen-ref-map`), then the JSON Schema
2020-12 meta-schemas sdkgen ships (`metaschemas/`), which a `$schema` names and the
suite's tests refer to. Never the network: a URI neither covers stays unloaded, and the
reference to it is refused, located, saying how to map it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import SpecError
from generator.emit.validators.literals import JsonValue
from generator.spec.ref_map import RefMap, mapped_path
from generator.spec.yaml_source import parse_yaml_data

METASCHEMAS = Path(__file__).resolve().parent / "metaschemas"
# Prefixes sdkgen answers itself when no mapping of the user's covers them.
BUILTIN: RefMap = (("https://json-schema.org/draft/2020-12/", str(METASCHEMAS / "draft2020-12")),)


@dataclass
class RemoteLoader:
    """Reads the documents a ref map (then the shipped meta-schemas) provides; None for the others."""

    ref_map: RefMap = ()
    read: dict[str, str] = field(default_factory=dict)  # URI -> the file it was read from

    def load(self, uri: str) -> JsonValue | None:
        path = mapped_path(uri, self.ref_map) or mapped_path(uri, BUILTIN)
        if path is None:
            return None
        self.read[uri] = str(path)
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            try:
                return json.loads(text)
            except ValueError as error:
                raise SpecError.at(f"{path}: not JSON ({error}), read for {uri}") from None
        return parse_yaml_data(text, str(path))
