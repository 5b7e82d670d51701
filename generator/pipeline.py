"""The whole run: specs -> (load -> IR -> render) in memory -> write, check or lint.

Everything is rendered before anything is written, so a bad spec anywhere leaves every
package exactly as it was. Packages the fast path knows to be current (`generator.output.fastpath`)
are skipped without loading the heavy steps at all (they are imported lazily, on the first
spec to render).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.execute import forked
from generator.output import fastpath
from generator.output.fingerprint import MANIFEST, Manifest, fingerprint, sha256_hex

if TYPE_CHECKING:
    from generator.emit import EmitOptions

DEFAULT_SPECS_DIR = Path("specs")
# Below this size a spec's steps take less time than starting a process.
CONCURRENT_MIN_BYTES = 64 * 1024
DEFAULT_OUT_DIR = Path("generated")
# The files `sdkgen generate` takes from specs/ when given none: whatever `load` reads.
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
Status = Literal["written", "unchanged"]


@dataclass(frozen=True, slots=True)
class Outcome:
    spec: str
    package: str
    status: Status


@dataclass(frozen=True, slots=True)
class Rendered:
    """One spec rendered in memory: the package's files as bytes, manifest included."""

    spec: str
    package: str
    files: dict[str, bytes]
    key: str  # the fast path's fingerprint of what these bytes were made from
    named_at: Location  # where the package's name comes from (info.x-sdkgen-package, or the file)


def default_specs(specs_dir: Path = DEFAULT_SPECS_DIR) -> list[Path]:
    """Every spec file of `specs_dir` (`SPEC_SUFFIXES`), sorted."""
    specs = sorted(path for path in specs_dir.iterdir() if path.suffix in SPEC_SUFFIXES and path.is_file())
    if not specs:
        suffixes = ", ".join(f"*{suffix}" for suffix in SPEC_SUFFIXES)
        raise SpecError.at(f"no specs found (expected {suffixes})", location=Location(specs_dir.as_posix()))
    return specs


def _options_key(options: EmitOptions | None) -> str:
    return options.key() if options is not None else "assert_formats=False"


def up_to_date(spec_path: Path, out_dir: Path, options: EmitOptions | None) -> Manifest | None:
    """The manifest of the package this spec wrote last time, if it is known to be exactly current."""
    return fastpath.current(spec_path, out_dir, _options_key(options))


def render_spec(
    spec_path: Path,
    options: EmitOptions | None = None,
    max_bytes: int | None = None,
    *,
    concurrent: bool = True,
) -> Rendered:
    """Load, build the IR and emit one spec's package, all in memory.

    A large spec (`CONCURRENT_MIN_BYTES`) is run concurrently by the executor
    (`generator.execute.executor`; `concurrent=False` keeps everything in this process); the
    outcome is the same as one step after the other.
    """
    from generator.emit import EmitOptions, emitters
    from generator.execute.executor import Executor
    from generator.ir.parse import build_api
    from generator.spec import DEFAULT_MAX_SPEC_BYTES, load_spec, validate_openapi

    options = options or EmitOptions()
    concurrent = concurrent and _size(spec_path) >= CONCURRENT_MIN_BYTES
    with Executor(emitters(), concurrent=concurrent) as executor:
        spec = load_spec(spec_path, spec_path.as_posix(), max_bytes or DEFAULT_MAX_SPEC_BYTES, validate=False)
        validation = executor.beside(lambda: validate_openapi(spec))
        try:
            api = build_api(spec)
            texts = executor.emit(api, options)
        except Exception as error:
            validation.result()  # the validator's findings come first, as if it had run first
            if isinstance(error, SpecError):
                raise spec.source_map.resolve_error(error) from None
            raise
        except BaseException:
            validation.cancel()
            raise
        validation.result()
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    manifest = Manifest(
        package=api.package,
        spec_file=spec_path.name,
        spec_sha256=spec.sha256,
        referenced_files=spec.referenced_files,
        files={path: sha256_hex(content) for path, content in files.items()},
    )
    files[MANIFEST] = manifest.to_bytes()
    named_at = spec.locate(PACKAGE_NAME_POINTER) if _names_package(spec.data) else Location(spec.display)
    key = fingerprint(spec.sha256, spec.referenced_files, options.key())
    return Rendered(spec_path.as_posix(), api.package, files, key, named_at)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


PACKAGE_NAME_POINTER = "/info/x-sdkgen-package"


def _names_package(document: object) -> bool:
    info = document.get("info") if isinstance(document, dict) else None
    return isinstance(info, dict) and "x-sdkgen-package" in info


def _render_one(
    spec_path: Path, options: EmitOptions | None, max_bytes: int | None, concurrent: bool
) -> Rendered | tuple[Diagnostic, ...]:
    """One spec's rendering, or its diagnostics (plain data: this also runs in pool workers)."""
    try:
        return render_spec(spec_path, options, max_bytes, concurrent=concurrent)
    except SpecError as error:
        return error.diagnostics


def render_all(
    specs: Sequence[Path],
    options: EmitOptions | None = None,
    max_bytes: int | None = None,
    *,
    parallel: bool | None = None,
) -> list[Rendered]:
    """Render every spec; collect every spec's errors before refusing.

    Several specs are rendered in parallel, one worker process per core (`parallel=None`
    decides by the number of specs and cores); the result is the same as a serial run.
    """
    from generator.execute.executor import map_specs

    if parallel is None:
        parallel = len(specs) > 1 and forked.cores() > 1
    # In a pool, each worker runs its spec serially: the workers already fill the cores.
    pooled = parallel and len(specs) > 1
    step = functools.partial(_render_one, options=options, max_bytes=max_bytes, concurrent=not pooled)
    results = map_specs(step, specs, parallel=parallel)
    rendered: list[Rendered] = []
    diagnostics: list[Diagnostic] = []
    for result in results:
        if isinstance(result, Rendered):
            rendered.append(result)
        else:
            diagnostics.extend(result)
    owners: dict[str, Rendered] = {}
    for item in rendered:
        first = owners.setdefault(item.package, item)
        if first is not item:
            diagnostics.append(
                Diagnostic(
                    f"{item.spec} and {first.spec} would both write package {item.package!r}; "
                    "give one another name with info.x-sdkgen-package (or rename its file)",
                    item.named_at,
                    related=(first.named_at,),
                )
            )
    if diagnostics:
        raise SpecError(diagnostics)
    return rendered


def generate(
    specs: Sequence[Path],
    out_dir: Path,
    options: EmitOptions | None = None,
    *,
    force: bool = False,
    max_bytes: int | None = None,
) -> list[Outcome]:
    """Regenerate the packages of `specs` under `out_dir`; untouched when already current."""
    from generator.output.write import OutputError, locked

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError.at("the output folder is a file; move it away", location=Location(out_dir.as_posix()))
    if not out_dir.exists():
        # Nothing there can be current: render first, so a refused run leaves no folder behind.
        rendered = render_all(specs, options, max_bytes)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError.at(
                f"cannot create the output folder: {error.strerror or error}", location=Location(out_dir.as_posix())
            ) from None
        with locked(out_dir):
            return [_write(out_dir, item) for item in rendered]
    with locked(out_dir):
        outcomes: dict[str, Outcome] = {}
        stale: list[Path] = []
        for spec_path in specs:
            manifest = None if force else up_to_date(spec_path, out_dir, options)
            if manifest is not None:
                outcomes[spec_path.as_posix()] = Outcome(spec_path.as_posix(), manifest.package, "unchanged")
            else:
                stale.append(spec_path)
        if stale:
            rendered = render_all(stale, options, max_bytes)
            _refuse_foreign_packages(out_dir, rendered)
            for item in rendered:
                outcomes[item.spec] = _write(out_dir, item)
    return [outcomes[spec_path.as_posix()] for spec_path in specs]


def _write(out_dir: Path, item: Rendered) -> Outcome:
    from generator.output.write import write_package

    status = write_package(out_dir, item.package, item.files)
    fastpath.record(out_dir / item.package, item.key, item.files)
    return Outcome(item.spec, item.package, status)


def _refuse_foreign_packages(out_dir: Path, rendered: Sequence[Rendered]) -> None:
    """A package folder generated from another spec is never replaced (before anything is written)."""
    diagnostics: list[Diagnostic] = []
    for item in rendered:
        manifest = Manifest.read(out_dir / item.package)
        if manifest is not None and manifest.spec_file != Path(item.spec).name:
            diagnostics.append(
                Diagnostic(
                    f"would replace {out_dir.as_posix()}/{item.package}/, which was generated from "
                    f"{manifest.spec_file}, not from this spec; give this spec another package name "
                    "with info.x-sdkgen-package (or delete that folder if it is no longer wanted)",
                    item.named_at,
                    related=(Location((out_dir / item.package / MANIFEST).as_posix()),),
                )
            )
    if diagnostics:
        raise SpecError(diagnostics)


@dataclass(frozen=True, slots=True)
class Drift:
    package: str
    diff: str


def check(
    specs: Sequence[Path], out_dir: Path, options: EmitOptions | None = None, *, force: bool = False
) -> list[Drift]:
    """Differences between what `specs` would generate and what `out_dir` holds."""
    stale = [s for s in specs if force or up_to_date(s, out_dir, options) is None]
    drifts: list[Drift] = []
    for item in render_all(stale, options):
        diff = package_diff(out_dir, item)
        if diff:
            drifts.append(Drift(item.package, diff))
        else:
            fastpath.record(out_dir / item.package, item.key, item.files)
    return drifts


def package_diff(out_dir: Path, item: Rendered) -> str:
    """A unified diff from the package on disk to the rendered one ("" when identical)."""
    from generator.output.write import foreign_files

    package_dir = out_dir / item.package
    on_disk: dict[str, bytes] = {}
    for relative in foreign_files(package_dir, None):
        on_disk[relative] = (package_dir / relative).read_bytes()
    chunks: list[str] = []
    for path in sorted(set(on_disk) | set(item.files)):
        old, new = on_disk.get(path), item.files.get(path)
        if old == new:
            continue
        label = f"{out_dir.as_posix()}/{item.package}/{path}"
        old_lines = _lines(old)
        new_lines = _lines(new)
        chunks.extend(
            difflib.unified_diff(
                old_lines,
                new_lines,
                fromfile=label if old is not None else "/dev/null",
                tofile=label if new is not None else "/dev/null",
            )
        )
    return "".join(chunks)


def _lines(content: bytes | None) -> list[str]:
    if content is None:
        return []
    text = content.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines


def lint(specs: Sequence[Path], options: EmitOptions | None = None, max_bytes: int | None = None) -> None:
    """Everything `generate` would check, without writing: SpecError on the first bad spec set."""
    render_all(specs, options, max_bytes)
