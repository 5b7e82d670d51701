"""The old side loaded beside the new one (`load_beside`): the same side as `load_side` gives,
whatever happens to the helper, with the same refusals."""

from __future__ import annotations

import gc
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.diff import compare, run_diff
from generator.diff import sources as sources_module
from generator.diff.sources import LazyView, Loaded, join, load_beside, load_side, schema_at
from generator.execute import forked
from generator.spec.pointers import join_pointer, resolve_pointer
from tests.diff.evolve import write_pair

needs_helpers = pytest.mark.skipif(not forked.available(), reason="forked helpers need Linux and two cores")


@pytest.fixture
def every_side_beside(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small test specs get a helper too (large ones always do)."""
    monkeypatch.setattr(sources_module, "CONCURRENT_MIN_BYTES", 0)
    monkeypatch.setattr(sources_module, "_collector_off", lambda size: _NoChange())


class _NoChange:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


def _findings(old: Loaded, new: Loaded) -> list[tuple[str, str, str, str]]:
    return [(f.id, f.side, f.pointer, str(f.location)) for f in compare(old, new)]


@needs_helpers
def test_a_side_loaded_beside_is_the_side_loaded_here(tmp_path: Path, every_side_beside: None) -> None:
    old, new = (path.as_posix() for path in write_pair(12, tmp_path))
    pending = load_beside(old)
    assert pending.process is not None  # a helper loads it
    beside = pending.result()
    here = load_side(old)
    assert beside is not None
    assert beside.api == here.api
    assert beside.view == here.view
    findings = _findings(beside, load_side(new))
    assert findings == _findings(here, load_side(new))
    assert any(side == "old" for _, side, _, _ in findings)  # located by the helper
    for pointer in ("", "/paths", "/components/schemas/Account0000/properties/id", "/no/such/member"):
        assert beside.locate(pointer) == here.locate(pointer)


@needs_helpers
def test_a_helper_that_dies_before_answering_changes_nothing(
    tmp_path: Path, every_side_beside: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = (path.as_posix() for path in write_pair(5, tmp_path))
    monkeypatch.setattr(sources_module, "_serve_side", lambda *args: os._exit(3))
    pending = load_beside(old)
    beside = pending.result()
    assert pending.local is beside  # loaded here instead
    assert beside is not None and beside.api == load_side(old).api


@needs_helpers
def test_a_helper_that_dies_after_sending_the_spec_still_locates(tmp_path: Path, every_side_beside: None) -> None:
    old, _ = (path.as_posix() for path in write_pair(5, tmp_path))
    pending = load_beside(old)
    beside = pending.result()
    assert beside is not None and pending.process is not None
    pending.process.kill()
    pending.process.join()
    assert beside.locate("/info/version") == load_side(old).locate("/info/version")


BAD_SIDES = {
    "yaml": "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\npaths: {}\n",
    "ir": (
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /a: {get: {operationId: same, responses: {'200': {description: ok}}}}\n"
        "  /b: {get: {operationId: same, responses: {'200': {description: ok}}}}\n"
    ),
}


@needs_helpers
@pytest.mark.parametrize("kind", sorted(BAD_SIDES))
def test_a_refused_side_is_refused_as_here(tmp_path: Path, every_side_beside: None, kind: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_SIDES[kind], encoding="utf-8")
    with pytest.raises(SpecError) as here:
        load_side(path.as_posix())
    pending = load_beside(path.as_posix())
    assert pending.process is not None
    with pytest.raises(SpecError) as beside:
        pending.result()
    assert str(beside.value) == str(here.value)
    assert here.value.diagnostics[0].location is not None and here.value.diagnostics[0].location.line


@needs_helpers
def test_a_refused_new_side_stops_the_old_sides_helper(tmp_path: Path, every_side_beside: None) -> None:
    old, _ = (path.as_posix() for path in write_pair(5, tmp_path))
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_SIDES["yaml"], encoding="utf-8")
    with pytest.raises(SpecError, match="duplicate key 'paths'"):
        run_diff(old, bad.as_posix())
    assert multiprocessing.active_children() == []


def test_without_a_helper_the_side_loads_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "available", lambda: False)
    old, _ = (path.as_posix() for path in write_pair(3, tmp_path))
    pending = load_beside(old)
    assert pending.process is None
    beside = pending.result()
    assert beside is not None and beside.api == load_side(old).api
    assert load_beside(None).result() is None


def test_a_large_side_is_left_out_of_the_collectors_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources_module, "CONCURRENT_MIN_BYTES", 0)
    old, _ = (path.as_posix() for path in write_pair(3, tmp_path))
    frozen = gc.get_freeze_count()
    try:
        side = load_side(old)
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen  # the loaded side is not walked again
        assert side.locate("/info").line == 3
    finally:
        gc.unfreeze()


def test_run_diff_starts_the_old_side_before_loading_the_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.diff as diff_module

    old, new = (path.as_posix() for path in write_pair(3, tmp_path))
    order: list[str] = []
    monkeypatch.setattr(
        diff_module, "load_beside", lambda text, **kw: order.append(f"beside {text}") or load_beside(text, **kw)
    )
    monkeypatch.setattr(
        diff_module, "load_side", lambda text, **kw: order.append(f"here {text}") or load_side(text, **kw)
    )
    assert run_diff(old, new).exit_code == 1
    assert order == [f"beside {old}", f"here {new}"]


_TOKENS = st.text(alphabet="ab~/01", max_size=4) | st.integers(0, 12)


@given(st.lists(_TOKENS, max_size=4), st.lists(_TOKENS, max_size=4))
def test_join_and_schema_at_are_the_pointer_functions(tokens: list[str | int], more: list[str | int]) -> None:
    pointer = join("", *tokens)
    expected = ""
    for token in tokens:
        expected = join_pointer(expected, token)
    assert pointer == expected
    document = {"a": [{"~/": 1, "b": None}, 2], "1": {"0": "x"}, "": {"": [0]}}
    for probe in (pointer, join(pointer, *more), "/a/0/~0~1", "/a/1", "/a/01", "/1/0", "//", "///0", "/a/0/b"):
        try:
            found = resolve_pointer(document, probe)
        except KeyError:
            found = None
        assert schema_at(document, probe) == found


def test_a_diff_loads_only_what_it_compares(tmp_path: Path) -> None:
    """The README's examples (with the sampler and jsonschema), the templates' jinja2 and the
    installed-versions lookup are for `generate`: a diff never imports them."""
    old, new = write_pair(3, tmp_path)
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['sdkgen', 'diff', {old.as_posix()!r}, {new.as_posix()!r}, '--format', 'json']\n"
        "try:\n    runpy.run_module('generator', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('generator.emit.examples', 'generator.emit.samples', 'jsonschema', 'jinja2', 'importlib.metadata')\n"
        "print('HEAVY', [m for m in heavy if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert '"id": "parameter-added-required"' in result.stdout, result.stderr
    assert "HEAVY []" in result.stdout


@needs_helpers
def test_the_surface_rules_in_a_child_find_what_they_find_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.diff as diff_module

    old_path, new_path = write_pair(30, tmp_path)
    old, new = load_side(str(old_path)), load_side(str(new_path))
    serial = compare(old, new)
    from generator.diff.pairing import pair_operations
    from generator.diff.surface import surface_findings

    assert surface_findings(old, new, pair_operations(old.api.operations, new.api.operations))  # it finds some
    started: list[object] = []
    real = forked.Forked
    monkeypatch.setattr(forked, "Forked", lambda step: started.append(step) or real(step))
    monkeypatch.setattr(diff_module, "FORK_MIN_OPERATIONS", 0)
    # The old side as received from its helper: an IR whose view is made where first read.
    received = Loaded(old.label, old.api, LazyView(old.api), old.locate)
    assert compare(received, new) == serial
    assert len(started) == 1
    assert received.views.made is None  # made in the child, never here
