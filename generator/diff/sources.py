"""The two sides of a diff: a spec file, or `REV:PATH` read from git, loaded as `generate` loads it.

A side goes through the generator's own steps (the loader with its `$ref` bundling, the IR
and the client view), so the diff compares exactly what `generate` would build and refuses,
located, what `generate` would refuse. A git side is materialised into a temporary folder
first (the spec and every file its `$ref`s reach, as they were at REV, in the repository's
layout), so the loader and its bundling run unchanged on it.

openapi-spec-validator's pass is not run here: it is the slowest step of loading by far (most
of a large spec's load time), it judges the spec rather than the change, and `sdkgen lint`
(the `sdkgen-lint` pre-commit hook) runs it. Everything the IR needs is still checked.

The two sides load at once where a helper process is available (`load_beside`): the old side
loads in a forked helper while this process loads the new one, and its IR is sent here (its
client view is made here: the helper's part already takes as long as this process's, so made
there the view would only be waited for). The view is the one the surface rules read
(`_view`: signatures, without the README's examples or the readOnly/writeOnly member lists).
Its positions stay in the helper, which
answers each location asked (a few per finding, where a 1000-operation spec has 290,000
positions: pickling them would cost more than the helper saves). A large side is loaded, and
received, with the cycle collector off: loading frees nothing, and the collector's passes
over a million new objects cost a quarter of the time (unpickled with the collector on, the
IR costs as much as building it).

This is the only module of `generator.diff` that imports the rest of the generator: the
names below are re-exported for the others.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import pickle
import posixpath
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import unquote

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.emit.client import ClientView, client_view
from generator.execute import forked
from generator.inputs import overlay_names, overlays_for
from generator.ir import Api, JsonValue, Operation, Parameter, Schema
from generator.ir.names import snake_case
from generator.ir.parse import build_api
from generator.pipeline import CONCURRENT_MIN_BYTES, SPEC_SUFFIXES, default_specs, lenient_repairs
from generator.spec import load_spec
from generator.spec.pointers import escape_token, unescape_token

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

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
    "load_beside",
    "load_side",
    "run_beside",
    "schema_at",
    "snake_case",
]

# The file part of a `$ref` (`$ref: schemas/pet.yaml#/Pet`, `"$ref": "./a.json"`), in YAML or JSON.
_REF_FILE = re.compile(r"""["']?\$ref["']?\s*:\s*["']?([^"'#\s,{}\[\]]+)""")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
GIT_TIMEOUT = 60
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Loaded:
    """One side, loaded: its IR, its client view, and where each pointer of it is in its files."""

    label: str  # as shown to the user: the file, or REV:PATH
    api: Api
    views: LazyView
    locate: Callable[[str], Location]

    @property
    def document(self) -> JsonValue:
        """The bundled document the IR was built from (3.0 schemas normalised to 2020-12)."""
        return self.api.document

    @property
    def view(self) -> ClientView:
        """The client view the SDK-surface rules read (made on first use: see `LazyView`)."""
        return self.views.get()


class LazyView:
    """A side's client view, made when first asked for.

    Only the SDK-surface rules read it, and a large diff runs them in a forked child beside the
    wire rules (`generator.diff.compare`): the old side's view, received as an IR from its
    helper, is then made there. A view the IR does not give (a SpecError) is refused located by
    `refused()`, which loads the side where its positions are.
    """

    __slots__ = ("api", "made", "refused")

    def __init__(
        self, api: Api, made: ClientView | None = None, refused: Callable[[], ClientView] | None = None
    ) -> None:
        self.api = api
        self.made = made
        self.refused = refused

    def get(self) -> ClientView:
        if self.made is None:
            try:
                self.made = _view(self.api)
            except SpecError:
                if self.refused is None:
                    raise
                self.made = self.refused()
        return self.made


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


def _load(path: Path, display: str, rename: _Rename, *, lenient: bool = False) -> Loaded:
    api, view, locate = _build(path, display, rename, with_view=True, lenient=lenient)
    assert view is not None
    return Loaded(display, api, LazyView(api, view), locate)


def _build(
    path: Path, display: str, rename: _Rename, *, with_view: bool, lenient: bool = False
) -> tuple[Api, ClientView | None, Callable[[str], Location]]:
    """The side's IR (and client view), and where each pointer of it is; SpecError, located.

    As `generate` reads the spec: with the overlays beside it (`<stem>.overlay.yaml`, as they
    were at the side's revision), and with `lenient` the vendor defects repaired first (its
    warnings are `generate`'s business, not the diff's).
    """
    with _collector_off(_size(path)):
        try:
            spec = load_spec(path, display, validate=False, overlays=overlays_for(path))
            try:
                if lenient:
                    lenient_repairs(spec)
                api = build_api(spec)
                view = _view(api) if with_view else None
            except SpecError as error:
                raise spec.source_map.resolve_error(error) from None
        except SpecError as error:
            raise rename.error(error) from None
    return api, view, lambda pointer: rename.location(spec.locate(pointer))


def _view(api: Api) -> ClientView:
    """The client view the SDK-surface rules read: its method signatures. Without the README's
    examples (checking them compiles every validator) and the `readOnly`/`writeOnly` member
    lists of the body checks and response parsers (a walk of every schema a body or response
    reaches): neither is compared, and they were most of a large side's load. What the view
    refuses is still refused, located."""
    return client_view(api, with_examples=False, directional=False)


@contextlib.contextmanager
def _collector_off(size: int) -> Iterator[None]:
    """A large side loads without the cycle collector, and what it loaded is then left out of the
    collector's later passes (`gc.freeze`): loading makes a million objects and frees none, and
    the collector walked them again and again while they piled up, and once more after."""
    if not gc.isenabled() or size < CONCURRENT_MIN_BYTES:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.freeze()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# ---------------------------------------------------------------------------- work beside


def run_beside(step: Callable[[], T], *, worth_it: bool) -> Callable[[], T]:
    """`step()` started in a forked child when `worth_it` (and a child is available), else left to
    run here; call what this returns for its value (here, should the child give no answer)."""
    if not worth_it or not forked.available():
        return step
    return forked.Forked(step).result


# ---------------------------------------------------------------------------- sides


def load_side(text: str, cwd: Path | None = None, *, lenient: bool = False) -> Loaded:
    """Load one side as written on the command line: an existing file, else `REV:PATH`."""
    return _open_side(text, cwd or Path.cwd(), functools.partial(_load, lenient=lenient))


def _open_side(text: str, cwd: Path, step: Callable[[Path, str, _Rename], T]) -> T:
    """`step(path, display, rename)` on the side's spec file (for `REV:PATH`, materialised first)."""
    path = cwd / text
    if path.is_file() or ":" not in text:
        return step(path, text, _Rename(text, posixpath.dirname(text)))
    rev, _, spec_path = text.partition(":")
    repo = _Repo(cwd, text)
    return repo.load(repo.commit(rev), repo.repo_path(spec_path), text, step)


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

    def load(self, commit: str, spec_path: str, display: str, step: Callable[[Path, str, _Rename], T]) -> T:
        """Materialise the spec and every file its `$ref`s reach at `commit`, then load it (`step`)."""
        rev = display.partition(":")[0]
        with tempfile.TemporaryDirectory(prefix="sdkgen-diff-") as folder:
            root = Path(folder)
            if not self._materialise(commit, spec_path, root):
                raise self.fail(f"no file {spec_path!r} at {rev}")
            for overlay in overlay_names(PurePosixPath(spec_path)):
                content = self.blob(commit, overlay.as_posix())  # the overlays beside it, as they were then
                if content is not None:
                    (root / overlay).write_bytes(content)
            rename = _Rename(display, posixpath.dirname(spec_path), rev)
            return step(root / spec_path, display, rename)

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


# ---------------------------------------------------------------------------- the old side beside the new


def load_beside(text: str | None, cwd: Path | None = None, *, lenient: bool = False) -> Pending:
    """Start loading a side (None: no side) while this process goes on; `Pending.result()` then
    gives what `load_side` would have given or raised. In a forked helper where one is available
    and the side is large or read from git; otherwise `result()` loads it then, here."""
    return Pending(text, cwd or Path.cwd(), lenient=lenient)


class Pending:
    """A side being loaded by `load_beside`: its helper process, and the pipe to it.

    The helper loads the side as `load_side` does, but for the client view (made here, from
    the IR it sends), or sends its SpecError, located; then it stays to locate pointers in
    it (`locate`) until this side is dropped or the process ends. Whatever goes wrong with
    the helper (it died, sent something unexpected), and a view this process refuses, makes
    this process load the side itself, so the outcome never depends on the helper.
    """

    def __init__(self, text: str | None, cwd: Path, *, lenient: bool = False) -> None:
        self.text = text
        self.cwd = cwd
        self.lenient = lenient
        self.local: Loaded | None = None  # the side loaded here, after the helper failed
        self.connection: Connection | None = None
        self.process: Any = None
        if text is not None and _helper_worth_it(text, cwd):
            import multiprocessing

            context = multiprocessing.get_context("fork")
            self.connection, theirs = context.Pipe(duplex=True)
            self.process = context.Process(target=_serve_side, args=(text, cwd, theirs, lenient), daemon=True)
            self.process.start()
            theirs.close()

    def result(self) -> Loaded | None:
        if self.text is None:
            return None
        if self.connection is None:
            return load_side(self.text, self.cwd, lenient=self.lenient)
        kind, payload = self._ask(None)
        if kind == "findings":
            self.cancel()
            raise SpecError(payload)
        if kind != "side":
            return self._here()
        try:
            with _collector_off(payload):  # unpickling a large IR makes as many objects as building it
                api = pickle.loads(self.connection.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            return self._here()
        # The view is made where it is first read (cheaper than pickling it); a refused one is
        # located by loading the side here.
        return Loaded(self.text, api, LazyView(api, refused=lambda: self._here().view), self.locate)

    def locate(self, pointer: str) -> Location:
        """Where `pointer` of the side's bundled document is, as the helper's source map says."""
        if self.local is not None:
            return self.local.locate(pointer)
        kind, payload = self._ask(pointer)
        if kind != "location":
            return self._here().locate(pointer)
        return payload  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the helper (idempotent)."""
        if self.connection is not None:
            self.connection.close()
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        self.connection = self.process = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter exit, the helper dies with this process anyway
            self.cancel()

    def _ask(self, pointer: str | None) -> tuple[str, Any]:
        """The helper's next answer (to `pointer`, when one is asked); ("lost", None) if there is none."""
        if self.connection is None:
            return "lost", None
        try:
            if pointer is not None:
                self.connection.send(pointer)
            answer: tuple[str, Any] = self.connection.recv()
        except (EOFError, OSError):
            return "lost", None
        return answer

    def _here(self) -> Loaded:
        self.cancel()
        assert self.text is not None
        self.local = load_side(self.text, self.cwd, lenient=self.lenient)
        return self.local


def _helper_worth_it(text: str, cwd: Path) -> bool:
    """A helper for a side read from git (its materialising takes a while) or a large file."""
    if not forked.available():
        return False
    path = cwd / text
    return _size(path) >= CONCURRENT_MIN_BYTES if path.is_file() or ":" not in text else True


def _serve_side(text: str, cwd: Path, connection: Connection, lenient: bool = False) -> None:
    """In the helper: load the side, send its IR (pickled, after its size), then answer each
    pointer asked with its location, until the pipe closes. Nothing is printed here: a
    failure is "lost" for the parent, which then loads the side itself."""
    forked.die_with_parent()
    gc.freeze()  # what the helper inherited is never freed here: keep the collector off it
    try:
        try:
            api, _, locate = _open_side(text, cwd, functools.partial(_build, with_view=False, lenient=lenient))
            sent = pickle.dumps(api, protocol=pickle.HIGHEST_PROTOCOL)
        except SpecError as error:
            connection.send(("findings", list(error.diagnostics)))
            return
        connection.send(("side", len(sent)))
        connection.send_bytes(sent)
        while True:
            pointer = connection.recv()
            connection.send(("location", locate(pointer)))
    except (EOFError, OSError):  # the parent is done with this side (or gone)
        return
    except BaseException:
        with contextlib.suppress(Exception):
            connection.send(("lost", None))
    finally:
        connection.close()


def schema_at(document: JsonValue, pointer: str) -> JsonValue:
    """The value at `pointer`, or None where there is none (`resolve_pointer`, without its
    exception: the rules ask this tens of thousands of times on a large spec)."""
    value = document
    for token in pointer.split("/")[1:] if pointer else ():
        if "~" in token:
            token = unescape_token(token)
        if isinstance(value, dict):
            if token not in value:
                return None
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def join(pointer: str, *tokens: str | int) -> str:
    """`pointer` extended by each token (`join_pointer`, one token after the other)."""
    for token in tokens:
        text = str(token)
        if "~" in text or "/" in text:
            text = escape_token(text)
        pointer = f"{pointer}/{text}"
    return pointer
