"""The whole run: specs -> (load -> IR -> render) in memory -> write, check or lint.

Everything is rendered before anything is written, so a bad spec anywhere leaves every
package exactly as it was. Packages whose fingerprint matches are skipped without
loading the heavy steps at all (they are imported lazily, on the first spec to render).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generator import forked
from generator.diagnostics import Diagnostic, Location, SpecError
from generator.fingerprint import (
    MANIFEST,
    Manifest,
    current_referenced_files,
    fingerprint,
    sha256_hex,
)

if TYPE_CHECKING:
    from generator.models import ModelsRequest
    from generator.render import RenderOptions

DEFAULT_SPECS_DIR = Path("specs")
# Below this size a spec's steps take less time than starting a process.
CONCURRENT_MIN_BYTES = 64 * 1024
DEFAULT_OUT_DIR = Path("generated")
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


def default_specs(specs_dir: Path = DEFAULT_SPECS_DIR) -> list[Path]:
    specs = sorted([*specs_dir.glob("*.yaml"), *specs_dir.glob("*.yml")])
    if not specs:
        raise SpecError.at("no specs found (expected specs/*.yaml)", location=Location(specs_dir.as_posix()))
    return specs


def _options_key(options: RenderOptions | None) -> str:
    return options.key() if options is not None else "assert_formats=False"


def up_to_date(spec_path: Path, out_dir: Path, options: RenderOptions | None) -> Manifest | None:
    """The manifest of the package this spec wrote last time, if it is still exactly current."""
    try:
        spec_sha = sha256_hex(spec_path.read_bytes())
    except OSError:
        return None
    for manifest_path in sorted(out_dir.glob(f"*/{MANIFEST}")):
        manifest = Manifest.read(manifest_path.parent)
        if manifest is None or manifest.spec_sha256 != spec_sha or manifest.spec_file != spec_path.name:
            continue
        refs = current_referenced_files(spec_path, manifest.referenced_files)
        if refs is None or fingerprint(spec_sha, refs, _options_key(options)) != manifest.fingerprint:
            return None
        return manifest if manifest.files_intact(manifest_path.parent) else None
    return None


def render_spec(
    spec_path: Path,
    options: RenderOptions | None = None,
    max_bytes: int | None = None,
    *,
    concurrent: bool = True,
) -> Rendered:
    """Load, build the IR and render one spec, all in memory.

    For a large spec (`CONCURRENT_MIN_BYTES`) three forked children work beside this process
    (`generator.forked`; `concurrent=False` keeps everything in this process): one, forked
    first, imports datamodel-code-generator while the spec loads and then runs it; one runs
    openapi-spec-validator while the IR is built; one renders and formats the extra modules.
    The outcome is the same as one step after the other.
    """
    from generator.models import prepare_datamodel, run_datamodel_codegen
    from generator.render import RenderOptions
    from generator.spec import DEFAULT_MAX_SPEC_BYTES

    options = options or RenderOptions()
    # datamodel-code-generator's child is forked first: it imports it while the spec loads.
    datamodel = None
    if concurrent and _size(spec_path) >= CONCURRENT_MIN_BYTES and forked.available():
        datamodel = forked.Awaiting(prepare_datamodel, run_datamodel_codegen)
    try:
        return _render_loaded(spec_path, options, max_bytes or DEFAULT_MAX_SPEC_BYTES, concurrent, datamodel)
    finally:
        if datamodel is not None:
            datamodel.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _render_loaded(
    spec_path: Path,
    options: RenderOptions,
    max_bytes: int,
    concurrent: bool,
    datamodel: forked.Awaiting[ModelsRequest, str] | None,
) -> Rendered:
    from generator.parse import build_api
    from generator.render import render_package
    from generator.spec import load_spec, validate_openapi

    spec = load_spec(spec_path, spec_path.as_posix(), max_bytes, validate=False)
    concurrent = concurrent and len(spec.raw) >= CONCURRENT_MIN_BYTES and forked.available()
    background = None
    if concurrent:
        background = forked.Forked(lambda: validate_openapi(spec))
    else:
        validate_openapi(spec)
    try:
        api = build_api(spec)
        texts = render_package(api, options, concurrent=concurrent, datamodel=datamodel if concurrent else None)
    except Exception as error:
        if background is not None:
            background.result()  # the validator's findings come first, as if it had run first
        if isinstance(error, SpecError):
            raise spec.source_map.resolve_error(error) from None
        raise
    except BaseException:
        if background is not None:
            background.cancel()
        raise
    if background is not None:
        background.result()
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    manifest = Manifest(
        package=api.package,
        spec_file=spec_path.name,
        spec_sha256=spec.sha256,
        fingerprint=fingerprint(spec.sha256, spec.referenced_files, options.key()),
        referenced_files=spec.referenced_files,
        files={path: sha256_hex(content) for path, content in files.items()},
    )
    files[MANIFEST] = manifest.to_bytes()
    return Rendered(spec_path.as_posix(), api.package, files)


def _render_one(
    spec_path: Path, options: RenderOptions | None, max_bytes: int | None, concurrent: bool
) -> Rendered | tuple[Diagnostic, ...]:
    """One spec's rendering, or its diagnostics (plain data: this also runs in pool workers)."""
    try:
        return render_spec(spec_path, options, max_bytes, concurrent=concurrent)
    except SpecError as error:
        return error.diagnostics


def _render_parallel(
    specs: Sequence[Path], options: RenderOptions | None, max_bytes: int | None
) -> list[Rendered | tuple[Diagnostic, ...]]:
    """Every spec rendered in a pool of worker processes, one per core; results in order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if forked.available() else None
    workers = min(len(specs), forked.cores())
    initializer = forked.die_with_parent if sys.platform == "linux" else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer) as pool:
        futures = [pool.submit(_render_one, spec_path, options, max_bytes, False) for spec_path in specs]
        return [future.result() for future in futures]


def render_all(
    specs: Sequence[Path],
    options: RenderOptions | None = None,
    max_bytes: int | None = None,
    *,
    parallel: bool | None = None,
) -> list[Rendered]:
    """Render every spec; collect every spec's errors before refusing.

    Several specs are rendered in parallel, one worker process per core (`parallel=None`
    decides by the number of specs and cores); the result is the same as a serial run.
    """
    if parallel is None:
        parallel = len(specs) > 1 and forked.cores() > 1
    if parallel and len(specs) > 1:
        results = _render_parallel(specs, options, max_bytes)
    else:
        results = [_render_one(spec_path, options, max_bytes, True) for spec_path in specs]
    rendered: list[Rendered] = []
    diagnostics: list[Diagnostic] = []
    for result in results:
        if isinstance(result, Rendered):
            rendered.append(result)
        else:
            diagnostics.extend(result)
    owners: dict[str, Rendered] = {}
    for item in rendered:
        if item.package in owners:
            diagnostics.append(
                Diagnostic(
                    f"writes package {item.package!r}, as {owners[item.package].spec} does; "
                    "rename a spec or set info.x-sdkgen-package",
                    Location(item.spec),
                    related=(Location(owners[item.package].spec),),
                )
            )
        owners[item.package] = item
    if diagnostics:
        raise SpecError(diagnostics)
    return rendered


def generate(
    specs: Sequence[Path],
    out_dir: Path,
    options: RenderOptions | None = None,
    *,
    force: bool = False,
    max_bytes: int | None = None,
) -> list[Outcome]:
    """Regenerate the packages of `specs` under `out_dir`; untouched when already current."""
    from generator.write import locked

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
            from generator.write import write_package

            for item in render_all(stale, options, max_bytes):
                status = write_package(out_dir, item.package, item.files)
                outcomes[item.spec] = Outcome(item.spec, item.package, status)
    return [outcomes[spec_path.as_posix()] for spec_path in specs]


@dataclass(frozen=True, slots=True)
class Drift:
    package: str
    diff: str


def check(
    specs: Sequence[Path], out_dir: Path, options: RenderOptions | None = None, *, force: bool = False
) -> list[Drift]:
    """Differences between what `specs` would generate and what `out_dir` holds."""
    stale = [s for s in specs if force or up_to_date(s, out_dir, options) is None]
    drifts: list[Drift] = []
    for item in render_all(stale, options):
        diff = package_diff(out_dir, item)
        if diff:
            drifts.append(Drift(item.package, diff))
    return drifts


def package_diff(out_dir: Path, item: Rendered) -> str:
    """A unified diff from the package on disk to the rendered one ("" when identical)."""
    from generator.write import foreign_files

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


def lint(specs: Sequence[Path], options: RenderOptions | None = None, max_bytes: int | None = None) -> None:
    """Everything `generate` would check, without writing: SpecError on the first bad spec set."""
    render_all(specs, options, max_bytes)
