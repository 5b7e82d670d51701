"""The real-spec corpus (tests/corpus.py): each spec generates a package that imports, passes
`mypy --strict` and runs its README on a mock, or is refused with the declared located message.

`make test` runs the entries marked fast; `make corpus` (SDKGEN_CORPUS=all) runs every one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import CORPUS, CORPUS_DIR, Entry, check, selected


def test_every_corpus_folder_is_declared_sourced_and_licensed() -> None:
    folders = sorted(path.name for path in CORPUS_DIR.iterdir() if path.is_dir())
    assert folders == sorted(entry.name for entry in CORPUS)
    for entry in CORPUS:
        folder = CORPUS_DIR / entry.name
        assert entry.spec.is_file(), entry.spec
        assert (folder / "SOURCE.md").read_text(encoding="utf-8").strip(), folder
        assert list(folder.glob("LICENSE*")), f"{folder} has no license file"
    assert len(CORPUS) >= 10
    assert {entry.outcome for entry in selected(everything=False)} <= {"generates", "refused"}
    assert any(entry.fast for entry in CORPUS)


@pytest.mark.parametrize("entry", selected(), ids=lambda entry: entry.name)
def test_corpus_spec(entry: Entry, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    problems = check(entry, out)
    assert not problems, "\n\n".join(problems)
