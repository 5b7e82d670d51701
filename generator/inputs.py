"""What a package is made from besides its spec file: overlays, and whether vendor defects are repaired.

Kept apart from `generator.spec` (which loads YAML) because the no-op fast path needs to
know which overlay files a spec takes, to key on their bytes, without loading anything.

An OpenAPI Overlay beside a spec, `<stem>.overlay.yaml` (or `.yml`, `.json`) next to
`<stem>.yaml`, applies to it automatically, before any overlay given with `--overlay`;
those apply to every spec of the run, in the order given. Overlay files are never taken for
specs when specs are discovered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TypeVar

PathT = TypeVar("PathT", bound=PurePath)
OVERLAY_SUFFIXES = (".overlay.yaml", ".overlay.yml", ".overlay.json")


def is_overlay(path: Path) -> bool:
    """True for a file named as an overlay (`<stem>.overlay.yaml`, ...)."""
    return path.name.endswith(OVERLAY_SUFFIXES)


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """How specs are loaded: the overlays given on the command line, lenient mode, and whether a
    warning refuses the run (`--strict-warnings`: exit 2, nothing written)."""

    overlays: tuple[Path, ...] = ()
    lenient: bool = False
    strict_warnings: bool = False

    def key(self) -> str:
        """The part of the no-op key that is not file content (overlays are keyed by their bytes)."""
        return ";lenient" if self.lenient else ""

    def overlays_for(self, spec: Path) -> tuple[Path, ...]:
        """The overlays applied to `spec`, in order: the one beside it, then those given."""
        return overlays_for(spec, self.overlays)


def beside(spec: Path) -> list[Path]:
    """The overlay files named after `spec` in its folder (`<stem>.overlay.yaml`, ...).

    An empty one is not taken: `sdkgen lint --lenient specs/x.yaml > specs/x.overlay.yaml`
    creates the file (empty) before sdkgen reads the spec.
    """
    if is_overlay(spec):
        return []
    found = []
    for path in overlay_names(spec):
        try:
            if path.is_file() and path.stat().st_size > 0:
                found.append(path)
        except OSError:
            continue
    return found


def overlay_names(spec: PathT) -> list[PathT]:
    """The names an overlay of `spec` may have beside it: `<stem>.overlay.yaml`, `.yml`, `.json`."""
    return [spec.with_name(spec.stem + suffix) for suffix in OVERLAY_SUFFIXES]


def overlays_for(spec: Path, given: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The overlays beside `spec`, then `given`; a file named twice is applied once."""
    chosen: list[Path] = []
    seen: set[Path] = set()
    for path in (*beside(spec), *given):
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            chosen.append(path)
    return tuple(chosen)
