"""Robustness: the real-spec corpus (tests/data/corpus/) diffed pairwise, each spec against the
next one (unrelated APIs: nearly everything differs) and against itself (nothing may). The
specs strict mode refuses are read as `--lenient` reads them, as `make corpus` generates them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.diff import compare
from generator.diff.sources import Loaded, load_side
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus"
SPECS = sorted(
    path
    for folder in CORPUS.iterdir()
    if folder.is_dir()
    for path in folder.iterdir()
    if path.stem == folder.name and path.suffix in (".yaml", ".yml", ".json")
)


@cache
def loaded(path: Path) -> Loaded:
    try:
        return load_side(path.relative_to(ROOT).as_posix(), ROOT)
    except SpecError:  # a spec `generate` refuses (the corpus says which): diff refuses it too
        return load_side(path.relative_to(ROOT).as_posix(), ROOT, lenient=True)


def test_the_corpus_is_there() -> None:
    assert len(SPECS) > 20


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_against_itself_and_the_next_spec(path: Path) -> None:
    side = loaded(path)
    assert compare(side, side) == []
    following = [loaded(p) for p in SPECS[SPECS.index(path) + 1 :] + SPECS]
    other = next(s for s in following if s is not side)
    for finding in compare(side, other) + compare(other, side):
        assert finding.location is not None and finding.location.line is not None, finding
        assert finding.message
