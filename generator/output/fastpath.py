"""The no-op fast path: skip rendering a package that is known to be current.

A package is current when the fingerprint of what it would be made from (spec, referenced
files, options, the generator and the installed versions that shape output) equals the one
recorded the last time this machine wrote or checked it, and its files still have the bytes
recorded then. That record is a cache entry outside the project (`SDKGEN_CACHE_DIR`, else
`$XDG_CACHE_HOME/sdkgen`, else `~/.cache/sdkgen`), one small JSON file per package folder:
never committed, so the committed tree does not depend on the machine. A missing or stale
entry only costs one render; when the rendered bytes equal the disk nothing is rewritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.output.fingerprint import (
    MANIFEST,
    Manifest,
    current_referenced_files,
    files_intact,
    fingerprint,
    sha256_hex,
)

CACHE_ENV = "SDKGEN_CACHE_DIR"


def cache_dir() -> Path:
    """Where this machine keeps its fast-path entries."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "sdkgen"


def _entry_path(package_dir: Path) -> Path:
    return cache_dir() / "fastpath" / f"{sha256_hex(str(package_dir.resolve()).encode())[:32]}.json"


def _read_entry(package_dir: Path) -> tuple[str, dict[str, str]] | None:
    try:
        document = json.loads(_entry_path(package_dir).read_bytes())
        return str(document["key"]), {str(k): str(v) for k, v in document["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def current(spec_path: Path, out_dir: Path, options_key: str) -> Manifest | None:
    """The manifest of the package `spec_path` wrote under `out_dir`, if it is known current."""
    try:
        spec_sha = sha256_hex(spec_path.read_bytes())
    except OSError:
        return None
    for manifest_path in sorted(out_dir.glob(f"*/{MANIFEST}")):
        manifest = Manifest.read(manifest_path.parent)
        if manifest is None or manifest.spec_sha256 != spec_sha or manifest.spec_file != spec_path.name:
            continue
        entry = _read_entry(manifest_path.parent)
        refs = current_referenced_files(spec_path, manifest.referenced_files)
        if entry is None or refs is None:
            return None
        key, files = entry
        if key != fingerprint(spec_sha, refs, options_key) or not files_intact(manifest_path.parent, files):
            return None
        return manifest
    return None


def record(package_dir: Path, key: str, files: Mapping[str, bytes]) -> None:
    """Remember that `package_dir` holds `files`, made under `key` (best effort: a cache)."""
    entry = {"key": key, "files": {path: sha256_hex(content) for path, content in sorted(files.items())}}
    target = _entry_path(package_dir)
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".entry-", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(entry, stream, sort_keys=True)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
