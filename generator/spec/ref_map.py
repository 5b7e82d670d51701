"""Ref maps: remote `$ref`s read from local folders, never from the network.

A spec may refer to `https://schemas.example.com/common/v1/money.json`; sdkgen reads it from
the folder the user maps that URI's prefix to: `--ref-map https://schemas.example.com/=vendor/schemas`
on the command line, or in the spec itself

    info:
      x-sdkgen-ref-map:
        https://schemas.example.com/: vendor/schemas   # relative to the spec's folder

The rest of the URI after the prefix is a path under the folder, tried as written and then
with `.json`, `.yaml`, `.yml` appended (servers commonly drop the suffix). The longest
matching prefix wins; the command line's mapping wins over the spec's for the same prefix.
The bundler (`bundle.py`) reads mapped `$ref`s like sibling files, so the files count among
the spec's referenced files; the validator compiler reads `$schema` meta-schemas the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from generator.diagnostics import SpecError
from generator.spec.pointers import JsonValue

RefMap = tuple[tuple[str, str], ...]  # (URI prefix, folder), folders absolute once resolved
INFO_KEY = "x-sdkgen-ref-map"
SUFFIXES = ("", ".json", ".yaml", ".yml")


def parse_ref_map(entries: Sequence[str]) -> RefMap:
    """`URI-PREFIX=DIR` texts (the command line's) -> pairs, folders made absolute."""
    pairs: list[tuple[str, str]] = []
    for entry in entries:
        prefix, sep, folder = entry.rpartition("=")  # a URI may hold "=", a folder rarely does
        if not sep or not prefix or not folder:
            raise SpecError.at(f"--ref-map {entry!r}: expected URI-PREFIX=DIR")
        pairs.append((prefix, str(Path(folder).resolve())))
    return tuple(pairs)


def info_ref_map(document: JsonValue, spec_dir: Path, fail: Callable[[str, str], None]) -> RefMap:
    """The spec's own `info.x-sdkgen-ref-map`, folders resolved against the spec's folder;
    `fail(message, pointer)` reports a malformed one."""
    info = document.get("info") if isinstance(document, dict) else None
    mapping = info.get(INFO_KEY) if isinstance(info, dict) else None
    if mapping is None:
        return ()
    where = f"/info/{INFO_KEY}"
    if not isinstance(mapping, dict):
        fail(f"{INFO_KEY} must map URI prefixes to folders", where)
        return ()
    pairs: list[tuple[str, str]] = []
    for prefix, folder in mapping.items():
        if not isinstance(folder, str) or not folder:
            fail(f"{INFO_KEY}: the folder for {prefix!r} must be a path", f"{where}/{prefix.replace('~', '~0')}")
            continue
        pairs.append((prefix, str((spec_dir / folder).resolve())))
    return tuple(pairs)


def merged(command_line: RefMap, spec: RefMap) -> RefMap:
    """Both maps, the command line's entry winning for a prefix both name."""
    named = {prefix for prefix, _ in command_line}
    return (*command_line, *(pair for pair in spec if pair[0] not in named))


def mapped_path(uri: str, ref_map: RefMap) -> Path | None:
    """The local file a URI (without fragment) maps to; None when no prefix covers it or no
    file is there. A URI whose path would leave its folder is refused."""
    for prefix, folder in sorted(ref_map, key=lambda pair: -len(pair[0])):
        if not uri.startswith(prefix):
            continue
        root = Path(folder).resolve()
        rest = uri[len(prefix) :].split("?", 1)[0]
        for suffix in SUFFIXES:
            path = (root / (rest + suffix)).resolve()
            if not path.is_relative_to(root):
                raise SpecError.at(f"{uri}: the ref map's folder {folder} does not hold {rest!r}")
            if path.is_file():
                return path
        return None
    return None


def how_to_map(uri: str) -> str:
    """The refusal's advice for a URI no mapping covers."""
    prefix = uri.rsplit("/", 1)[0] + "/" if "/" in uri else uri
    return f"map it to local files with `--ref-map {prefix}=DIR` or `{INFO_KEY}: {{{prefix}: DIR}}` in the spec's info"
