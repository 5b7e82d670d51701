"""Write step: put a rendered package on disk atomically, never losing a user's file.

The new package is written in full to a temporary folder beside the target, then swapped
in with one rename (Linux `renameat2(RENAME_EXCHANGE)` where available, otherwise two
renames plus recovery of a leftover on the next run). A run killed at any moment leaves
each package entirely old or entirely new. An exclusive lock on the output folder itself
(`flock` on the folder, no lock file left behind) keeps two concurrent runs from interleaving.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal

from generator.diagnostics import Location, SpecError
from generator.output.fingerprint import MANIFEST, Manifest

_TMP_PREFIX = ".sdkgen-new-"
_OLD_PREFIX = ".sdkgen-old-"
# Caches tools make in a package folder (Python on import; ruff and mypy where a package is
# checked: the package's ruff.toml makes it a ruff project root): safe to drop with the old package.
DISPOSABLE_DIRS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})

WriteStatus = Literal["written", "unchanged"]


class OutputError(SpecError):
    """The output folder cannot take the package (missing, read-only, or holds user files)."""


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on `out_dir` (waits for another sdkgen run to finish)."""
    if not out_dir.is_dir():
        raise OutputError.at("output folder does not exist; create it first", location=Location(out_dir.as_posix()))
    try:
        handle = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise OutputError.at(
            f"cannot open the output folder: {error.strerror}", location=Location(out_dir.as_posix())
        ) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD_LOCKS.add(handle)
        recover(out_dir)
        yield
    finally:
        _HELD_LOCKS.discard(handle)
        os.close(handle)


# A forked child (a render worker) shares the lock's open file description: if it kept the
# descriptor, a killed parent's lock would live on in the orphan and block every later run.
_HELD_LOCKS: set[int] = set()


def _drop_inherited_locks() -> None:
    for handle in _HELD_LOCKS:
        with contextlib.suppress(OSError):
            os.close(handle)
    _HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


def recover(out_dir: Path) -> None:
    """Finish or undo a swap that a killed run left half done."""
    for leftover in sorted(out_dir.glob(_OLD_PREFIX + "*")):
        package = leftover.name[len(_OLD_PREFIX) :].rsplit(".", 1)[0]
        if not (out_dir / package).exists():
            os.rename(leftover, out_dir / package)  # killed between the two renames: put the old one back
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out_dir.glob(_TMP_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


def foreign_files(package_dir: Path, manifest: Manifest | None) -> list[str]:
    """Files in `package_dir` that sdkgen did not write (relative paths, sorted)."""
    if not package_dir.exists():
        return []
    ours = set(manifest.files) | {MANIFEST} if manifest else set()
    found: list[str] = []
    for root, dirs, names in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if d not in DISPOSABLE_DIRS)
        for name in names:
            relative = (Path(root) / name).relative_to(package_dir).as_posix()
            if relative not in ours:
                found.append(relative)
    return sorted(found)


def is_unchanged(package_dir: Path, files: Mapping[str, bytes]) -> bool:
    """True when the folder holds exactly `files` already (disposable caches aside)."""
    manifest = Manifest.read(package_dir)
    if manifest is None or set(manifest.files) | {MANIFEST} != set(files):
        return False
    for path, content in files.items():
        try:
            if (package_dir / path).read_bytes() != content:
                return False
        except OSError:
            return False
    return not foreign_files(package_dir, manifest)


def write_package(out_dir: Path, package: str, files: Mapping[str, bytes]) -> WriteStatus:
    """Replace `out_dir/package` with `files` in one step (call inside `locked(out_dir)`)."""
    target = out_dir / package
    if target.exists() and not target.is_dir():
        raise OutputError.at("exists and is not a folder; move it away", location=Location(target.as_posix()))
    if is_unchanged(target, files):
        return "unchanged"
    strangers = foreign_files(target, Manifest.read(target))
    if strangers:
        listed = ", ".join(strangers[:10]) + (" ..." if len(strangers) > 10 else "")
        raise OutputError.at(
            f"refusing to replace the package: it holds files sdkgen did not write ({listed}); "
            "move them out of the generated folder",
            location=Location(target.as_posix()),
        )
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{package}.", dir=out_dir))
        for path, content in sorted(files.items()):
            destination = staging / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            with open(destination, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        staging.chmod(0o755)
        _fsync_dir(staging)
        _swap_in(staging, target, out_dir, package)
    except OSError as error:
        raise OutputError.at(
            f"cannot write the package: {error.strerror or error}", location=Location(target.as_posix())
        ) from None
    return "written"


def _swap_in(staging: Path, target: Path, out_dir: Path, package: str) -> None:
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the old package
    elif target.exists():
        old = Path(tempfile.mkdtemp(prefix=f"{_OLD_PREFIX}{package}.", dir=out_dir))
        old.rmdir()
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old)
    else:
        os.rename(staging, target)
    _fsync_dir(out_dir)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
