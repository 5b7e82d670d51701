"""Documents other than the spec: where a `$ref` to an `http(s)://` (or any other) URI is read from.

sdkgen never goes to the network. A user maps URI prefixes to local folders (`--ref-map
PREFIX=DIR`, or `x-sdkgen-ref-map: {PREFIX: DIR}` in the spec's `info`); the URI's rest is
a path under that folder (tried as written, then with `.json`, `.yaml`, `.yml` appended, as
servers commonly drop the suffix). The JSON Schema 2020-12 meta-schemas are shipped with
sdkgen and used when no mapping of the user's covers their URIs. The longest matching prefix
wins; a path that would leave its folder (`..`) is refused, located at the reference.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import SpecError
from generator.emit.validators.literals import JsonValue
from generator.spec.yaml_source import parse_yaml_data

METASCHEMAS = Path(__file__).resolve().parent / "metaschemas"
# Prefixes sdkgen answers itself when no mapping of the user's covers them.
BUILTIN: tuple[tuple[str, str], ...] = (("https://json-schema.org/draft/2020-12/", str(METASCHEMAS / "draft2020-12")),)
_SUFFIXES = ("", ".json", ".yaml", ".yml")


@dataclass
class RemoteLoader:
    """Reads the documents a ref map (then the shipped meta-schemas) provides; None for the others."""

    ref_map: Sequence[tuple[str, str]] = ()  # (URI prefix, folder)
    read: dict[str, str] = field(default_factory=dict)  # URI -> the file it was read from

    def load(self, uri: str) -> JsonValue | None:
        for prefix, folder in sorted((*self.ref_map, *BUILTIN), key=lambda item: -len(item[0])):
            if uri.startswith(prefix):
                found = self._read(uri, Path(folder), uri[len(prefix) :])
                if found is not None or (prefix, folder) not in BUILTIN:
                    return found
        return None

    def _read(self, uri: str, folder: Path, rest: str) -> JsonValue | None:
        rest = rest.split("?", 1)[0]
        root = folder.resolve()
        for suffix in _SUFFIXES:
            path = (root / (rest + suffix)).resolve()
            if not path.is_relative_to(root):
                raise SpecError.at(f"{uri}: the ref map's folder {folder} does not hold {rest!r}")
            if path.is_file():
                self.read[uri] = str(path)
                text = path.read_text(encoding="utf-8")
                if path.suffix == ".json":
                    try:
                        return json.loads(text)
                    except ValueError as error:
                        raise SpecError.at(f"{path}: not JSON ({error}), read for {uri}") from None
                return parse_yaml_data(text, str(path))
        return None


def parse_ref_map(entries: Sequence[str], where: str = "--ref-map") -> tuple[tuple[str, str], ...]:
    """`PREFIX=DIR` texts -> (prefix, folder) pairs; a located SpecError for a malformed one."""
    pairs: list[tuple[str, str]] = []
    for entry in entries:
        prefix, sep, folder = entry.rpartition("=")  # a URI may hold "=", a folder rarely does
        if not sep or not prefix or not folder:
            raise SpecError.at(f"{where} {entry!r}: expected URI-PREFIX=DIR")
        pairs.append((prefix, folder))
    return tuple(pairs)
