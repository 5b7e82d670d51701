"""The no-op key and the manifest: overlays count, in the order they apply; a manifest lists them
only when there are any (the committed packages made without overlays keep their bytes)."""

from __future__ import annotations

import json
from pathlib import Path

from generator.output.fingerprint import Manifest, current_overlays, fingerprint


def test_the_key_covers_the_overlays_and_their_order() -> None:
    plain = fingerprint("s", {}, "o")
    one = fingerprint("s", {}, "o", {"a.yaml": "1"})
    assert len({plain, one, fingerprint("s", {}, "o", {"a.yaml": "2"})}) == 3
    assert fingerprint("s", {}, "o", {}) == plain
    assert fingerprint("s", {}, "o", {"a.yaml": "1", "b.yaml": "2"}) != fingerprint(
        "s", {}, "o", {"b.yaml": "2", "a.yaml": "1"}
    )


def test_the_manifest_lists_overlays_only_when_there_are_any(tmp_path: Path) -> None:
    plain = Manifest("p", "s.yaml", "x", {}, {"a.py": "1"})
    assert "overlays" not in json.loads(plain.to_bytes())
    overlaid = Manifest("p", "s.yaml", "x", {}, {"a.py": "1"}, {"s.overlay.yaml": "2"})
    (tmp_path / ".sdkgen.json").write_bytes(overlaid.to_bytes())
    assert Manifest.read(tmp_path) == overlaid
    (tmp_path / ".sdkgen.json").write_bytes(plain.to_bytes())
    assert Manifest.read(tmp_path) == plain


def test_current_overlays_are_keyed_relative_to_the_spec(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    spec = tmp_path / "specs" / "s.yaml"
    (tmp_path / "specs" / "s.overlay.yaml").write_text("a")
    (tmp_path / "fix.yaml").write_text("b")
    found = current_overlays(spec, [tmp_path / "specs" / "s.overlay.yaml", tmp_path / "fix.yaml"])
    assert found is not None and list(found) == ["s.overlay.yaml", "../fix.yaml"]
    assert current_overlays(spec, [tmp_path / "gone.yaml"]) is None
