"""The two sides of a diff: a spec file, or `REV:PATH` read from git, loaded as `generate` loads it.

A side goes through the generator's own steps (the loader with its `$ref` bundling, the IR
and the client view), so the diff compares exactly what `generate` would build and refuses,
located, what `generate` would refuse. A git side is materialised into a temporary folder
first (the spec and every file its `$ref`s reach, as they were at REV, in the repository's
layout), so the loader and its bundling run unchanged on it.

openapi-spec-validator's pass is not run here: it is the slowest step of loading by far (most
of a large spec's load time), it judges the spec rather than the change, and `sdkgen lint`
(the `sdkgen-lint` pre-commit hook) runs it. Everything the IR needs is still checked.

This is the only module of `generator.diff` that imports the rest of the generator: the
names below are re-exported for the others.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.emit.client import ClientView, client_view
from generator.ir import Api, JsonValue, Operation, Parameter, Schema
from generator.ir.names import snake_case
from generator.ir.parse import build_api
from generator.pipeline import SPEC_SUFFIXES, default_specs
from generator.spec import load_spec
from generator.spec.pointers import join_pointer, resolve_pointer

__all__ = [
    "Api",
    "ClientView",
    "JsonValue",
    "Loaded",
    "Operation",
    "Parameter",
    "Schema",
    "base_pairs",
    "default_specs",
    "is_spec_file",
    "join",
    "load_side",
    "schema_at",
    "snake_case",
]

# The file part of a `$ref` (`$ref: schemas/pet.yaml#/Pet`, `"$ref": "./a.json"`), in YAML or JSON.
_REF_FILE = re.compile(r"""["']?\$ref["']?\s*:\s*["']?([^"'#\s,{}\[\]]+)""")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
GIT_TIMEOUT = 60


@dataclass(frozen=True, slots=True)
class Loaded:
    """One side, loaded: its IR, its client view, and where each pointer of it is in its files."""

    label: str  # as shown to the user: the file, or REV:PATH
    api: Api
    view: ClientView
    locate: Callable[[str], Location]

    @property
    def document(self) -> JsonValue:
        """The bundled document the IR was built from (3.0 schemas normalised to 2020-12)."""
        return self.api.document


class _Rename:
    """Names a side's `$ref`d files as the user names its spec: beside it (the loader names them
    relative to the spec's folder), and as `REV:PATH` for a side read from git."""

    def __init__(self, main_display: str, folder: str, rev: str | None = None) -> None:
        self.main_display = main_display
        self.folder = folder  # the spec's folder, as the spec itself is named
        self.rev = rev

    def file(self, name: str) -> str:
        if name == self.main_display or posixpath.isabs(name):
            return name
        path = posixpath.normpath(posixpath.join(self.folder, name))
        return f"{self.rev}:{path}" if self.rev is not None else path

    def location(self, location: Location) -> Location:
        return Location(self.file(location.file), location.line, location.column, location.pointer)

    def error(self, error: SpecError) -> SpecError:
        return SpecError(
            Diagnostic(
                d.message,
                self.location(d.location) if d.location else None,
                d.pointer,
                tuple(self.location(r) for r in d.related),
            )
            for d in error.diagnostics
        )


def _load(path: Path, display: str, rename: _Rename) -> Loaded:
    try:
        spec = load_spec(path, display, validate=False)
        try:
            api = build_api(spec)
            view = client_view(api)
        except SpecError as error:
            raise spec.source_map.resolve_error(error) from None
    except SpecError as error:
        raise rename.error(error) from None
    return Loaded(display, api, view, lambda pointer: rename.location(spec.locate(pointer)))


# ---------------------------------------------------------------------------- sides


def load_side(text: str, cwd: Path | None = None) -> Loaded:
    """Load one side as written on the command line: an existing file, else `REV:PATH`."""
    cwd = cwd or Path.cwd()
    path = cwd / text
    if path.is_file() or ":" not in text:
        return _load(path, text, _Rename(text, posixpath.dirname(text)))
    rev, _, spec_path = text.partition(":")
    repo = _Repo(cwd, text)
    return repo.load(repo.commit(rev), repo.repo_path(spec_path), text)


def base_pairs(
    rev: str, specs: list[Path], cwd: Path | None = None, *, gone: bool = True
) -> list[tuple[str | None, str | None]]:
    """For `--base REV`: (OLD, NEW) side texts of every spec, None where a side does not exist.

    `specs` are the files to compare (the working tree's spec files); with `gone`, specs that
    existed at REV in the same folders but are not there now are paired with None.
    """
    cwd = cwd or Path.cwd()
    repo = _Repo(cwd, f"--base {rev}")
    commit = repo.commit(rev)
    pairs: list[tuple[str | None, str | None]] = []
    folders: set[str] = set()
    current: set[str] = set()
    for spec in specs:
        repo_path = repo.repo_path("./" + spec.as_posix())
        folders.add(posixpath.dirname(repo_path))
        current.add(repo_path)
        old = f"{rev}:{repo_path}" if repo.exists(commit, repo_path) else None
        pairs.append((old, spec.as_posix()))
    for folder in sorted(folders) if gone else ():
        for repo_path in repo.spec_files(commit, folder):
            if repo_path not in current:
                pairs.append((f"{rev}:{repo_path}", None))
    return pairs


def is_spec_file(name: str) -> bool:
    """A spec as `generate` takes them from a folder (overlay files apply to a spec: not one)."""
    return name.endswith(SPEC_SUFFIXES) and ".overlay." not in posixpath.basename(name)


class _Repo:
    """The git repository around `cwd`, asked with plain `git` commands (no shell)."""

    def __init__(self, cwd: Path, label: str) -> None:
        self.cwd = cwd
        self.label = label
        self.root = Path(self.git("rev-parse", "--show-toplevel").strip())
        self.prefix = self.git("rev-parse", "--show-prefix").strip()

    def fail(self, message: str) -> SpecError:
        return SpecError.at(message, location=Location(self.label))

    def run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(["git", *args], cwd=self.cwd, capture_output=True, check=False, timeout=GIT_TIMEOUT)
        except FileNotFoundError:
            raise self.fail("git is not installed: a REV:PATH side needs it") from None
        except subprocess.TimeoutExpired:
            raise self.fail(f"git {args[0]} took more than {GIT_TIMEOUT} s") from None

    def git(self, *args: str) -> str:
        result = self.run(*args)
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise self.fail(f"git {args[0]} failed: {detail[-1] if detail else 'exit ' + str(result.returncode)}")
        return result.stdout.decode("utf-8", "replace")

    def commit(self, rev: str) -> str:
        result = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}")
        if result.returncode != 0 or not rev:
            raise self.fail(f"{rev!r} is not a git revision of {self.root.as_posix()} (nor is the side a file)")
        return result.stdout.decode().strip()

    def repo_path(self, path: str) -> str:
        """A path relative to the repository root, as git reads `REV:PATH` (`./x` is cwd-relative)."""
        if path.startswith(("./", "../")):
            path = posixpath.join(self.prefix, path)
        normal = posixpath.normpath(path)
        if normal.startswith("../") or normal == "..":
            raise self.fail(f"{path!r} is outside the repository")
        return normal

    def blob(self, commit: str, path: str) -> bytes | None:
        result = self.run("cat-file", "blob", f"{commit}:{path}")
        return result.stdout if result.returncode == 0 else None

    def exists(self, commit: str, path: str) -> bool:
        return self.run("cat-file", "-e", f"{commit}:{path}").returncode == 0

    def spec_files(self, commit: str, folder: str) -> list[str]:
        listing = self.git("ls-tree", "--name-only", "-z", commit, "--", (folder + "/") if folder else ".")
        return sorted(name for name in listing.split("\0") if name and is_spec_file(name))

    def load(self, commit: str, spec_path: str, display: str) -> Loaded:
        """Materialise the spec and every file its `$ref`s reach at `commit`, then load it."""
        rev = display.partition(":")[0]
        with tempfile.TemporaryDirectory(prefix="sdkgen-diff-") as folder:
            root = Path(folder)
            if not self._materialise(commit, spec_path, root):
                raise self.fail(f"no file {spec_path!r} at {rev}")
            rename = _Rename(display, posixpath.dirname(spec_path), rev)
            return _load(root / spec_path, display, rename)

    def _materialise(self, commit: str, spec_path: str, root: Path) -> bool:
        pending = [spec_path]
        seen: set[str] = set()
        while pending:
            path = pending.pop()
            if path in seen:
                continue
            seen.add(path)
            content = self.blob(commit, path)
            if content is None:
                if path == spec_path:
                    return False
                continue  # the loader reports the missing file, located at the `$ref`
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            for written in _REF_FILE.findall(content.decode("utf-8", "replace")):
                if _URL.match(written):
                    continue
                referenced = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(written)))
                if not referenced.startswith("../") and referenced not in seen:
                    pending.append(referenced)
        return True


def schema_at(document: JsonValue, pointer: str) -> JsonValue:
    """The value at `pointer`, or None where there is none."""
    try:
        return resolve_pointer(document, pointer)
    except KeyError:
        return None


def join(pointer: str, *tokens: str | int) -> str:
    for token in tokens:
        pointer = join_pointer(pointer, token)
    return pointer
