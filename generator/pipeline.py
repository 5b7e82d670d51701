"""The whole run: specs -> (load -> IR -> render) in memory -> write, check or lint.

Everything is rendered before anything is written, so a bad spec anywhere leaves every
package exactly as it was. Packages the fast path knows to be current (`generator.output.fastpath`)
are skipped without loading the heavy steps at all (they are imported lazily, on the first
spec to render).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generator.diagnostics import Diagnostic, Location, SpecError
from generator.execute import forked
from generator.inputs import LoadOptions, is_overlay
from generator.output import fastpath
from generator.output.fingerprint import MANIFEST, Manifest, fingerprint, folder_digest, sha256_hex

if TYPE_CHECKING:
    from generator.emit import EmitOptions
    from generator.execute.executor import Executor
    from generator.ir import Api
    from generator.spec import LoadedSpec
    from generator.spec.lenient import Lenient

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
    inputs: tuple[str, ...]  # the ref-mapped folders (absolute) the key digests
    named_at: Location  # where the package's name comes from (info.x-sdkgen-package, or the file)
    warnings: tuple[Diagnostic, ...] = ()  # located; reported, never a refusal by themselves
    repair_overlay: str | None = None  # lenient mode: the repairs as an overlay (YAML), when any


# Called with each warning line (`FILE:LINE:COL: warning: ...`) as a run reports it.
OnWarning = Callable[[str], None]


def default_specs(specs_dir: Path = DEFAULT_SPECS_DIR) -> list[Path]:
    """Every spec file of `specs_dir` (`SPEC_SUFFIXES`), sorted; overlays (`<stem>.overlay.yaml`) aside."""
    specs = sorted(
        path for path in specs_dir.iterdir() if path.suffix in SPEC_SUFFIXES and not is_overlay(path) and path.is_file()
    )
    if not specs:
        suffixes = ", ".join(f"*{suffix}" for suffix in SPEC_SUFFIXES)
        raise SpecError.at(f"no specs found (expected {suffixes})", location=Location(specs_dir.as_posix()))
    return specs


def _options_key(options: EmitOptions | None) -> str:
    return options.key() if options is not None else "assert_formats=False"


def up_to_date(
    spec_path: Path, out_dir: Path, options: EmitOptions | None, load: LoadOptions | None = None
) -> tuple[Manifest, tuple[str, ...]] | None:
    """The manifest of the package this spec wrote last time, if it is known to be exactly current,
    and the warnings that render reported (with `strict_warnings`, a package that had any is not current)."""
    load = load or LoadOptions()
    found = fastpath.current(spec_path, out_dir, _options_key(options) + load.key(), load.overlays_for(spec_path))
    if found is not None and found[1] and load.strict_warnings:
        return None  # rendered again, so that its warnings refuse the run
    return found


def render_spec(
    spec_path: Path,
    options: EmitOptions | None = None,
    max_bytes: int | None = None,
    *,
    concurrent: bool = True,
    load: LoadOptions | None = None,
) -> Rendered:
    """Load, build the IR and emit one spec's package, all in memory.

    A large spec (`CONCURRENT_MIN_BYTES`) is run concurrently by the executor
    (`generator.execute.executor`; `concurrent=False` keeps everything in this process); the
    outcome is the same as one step after the other.
    """
    from generator.emit import EmitOptions, emitters
    from generator.execute.executor import Executor
    from generator.spec import DEFAULT_MAX_SPEC_BYTES, load_spec

    options = options or EmitOptions()
    load = load or LoadOptions()
    # Lenient mode may build and emit more than once (skipping operations): one process.
    concurrent = concurrent and not load.lenient and _size(spec_path) >= CONCURRENT_MIN_BYTES
    with Executor(emitters(), concurrent=concurrent) as executor:
        spec = load_spec(
            spec_path,
            spec_path.as_posix(),
            max_bytes or DEFAULT_MAX_SPEC_BYTES,
            validate=False,
            overlays=load.overlays_for(spec_path),
            ref_map=options.ref_map,
        )
        if spec.ref_map:
            options = replace(options, ref_map=spec.ref_map)
        try:
            lenient = lenient_repairs(spec) if load.lenient else None
            api, texts = _build_and_emit(executor, spec, options, lenient)
        except SpecError as error:
            raise SpecError((*spec.warnings, *error.diagnostics)) from None
    if load.strict_warnings and spec.warnings:
        raise SpecError(spec.warnings)
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    manifest = Manifest(
        package=api.package,
        spec_file=spec_path.name,
        spec_sha256=spec.sha256,
        referenced_files=spec.referenced_files,
        files={path: sha256_hex(content) for path, content in files.items()},
        overlays=spec.overlays,
    )
    files[MANIFEST] = manifest.to_bytes()
    named_at = spec.locate(PACKAGE_NAME_POINTER) if _names_package(spec.data) else Location(spec.display)
    inputs = tuple(sorted({folder for _, folder in spec.ref_map}))
    digests = {folder: folder_digest(folder) for folder in inputs}
    key = fingerprint(spec.sha256, spec.referenced_files, options.key() + load.key(), spec.overlays, digests)
    repairs = lenient.overlay_text() if lenient is not None else None
    return Rendered(spec_path.as_posix(), api.package, files, key, inputs, named_at, tuple(spec.warnings), repairs)


def lenient_repairs(spec: LoadedSpec) -> Lenient:
    """The spec's vendor defects repaired (`generator.spec.lenient`), before anything reads it."""
    from generator.emit.validators.keywords import KEYWORDS
    from generator.spec.lenient import Lenient

    lenient = Lenient(spec, frozenset(KEYWORDS), _pattern_problem)
    lenient.run()
    return lenient


def _pattern_problem(pattern: str) -> str | None:
    """Why the generated code could not check `pattern` (None: it can)."""
    import re

    from generator.emit.validators.regex import PatternError, translate

    try:
        re.compile(pattern)
        re.compile(translate(pattern), re.ASCII)
    except (re.error, PatternError) as error:
        return str(error)
    return None


def _build_and_emit(
    executor: Executor, spec: LoadedSpec, options: EmitOptions, lenient: Lenient | None
) -> tuple[Api, dict[str, str]]:
    """The IR and the package's files; in lenient mode, again without each operation that fails.

    Every finding of a run is reported together: the spec validator's, sdkgen's own checks
    (`build_api_checked`), every keyword the validators cannot check, and the validators
    compiler's refusals; each once, in the order of the file (`_in_file_order`).
    """
    from generator.ir import SkippedOperation
    from generator.ir.parse import build_api_checked
    from generator.spec import check_version, validation_findings

    if lenient is None:
        check_version(spec)  # a document sdkgen does not read at all: nothing else is worth saying
    while True:
        # Strict: the validator runs beside the IR. Lenient mode has validated already.
        validation = executor.beside(lambda: validation_findings(spec)) if lenient is None else None
        api: Api | None = None
        texts: dict[str, str] | None = None
        emitted: tuple[Diagnostic, ...] = ()  # the emitters' refusals (datamodel-code-generator's)
        try:
            api, problems = build_api_checked(spec)
            if lenient is not None:
                skipped = tuple(SkippedOperation(s.method, s.path, s.operation_id, s.reason) for s in lenient.skipped)
                api = replace(api, skipped_operations=skipped)
            problems += _keyword_refusals(api)
            if problems:
                problems += _validator_refusals(api, options)
            else:
                try:
                    texts = executor.emit(api, options)
                except SpecError as error:
                    emitted = tuple(error.diagnostics)
                    problems = _validator_refusals(api, options)
        except Exception as error:
            findings = validation.result() if validation is not None else []
            if findings:  # a document the spec validator refuses may trip the later steps
                raise SpecError(findings) from None
            if isinstance(error, SpecError):
                raise spec.source_map.resolve_error(error) from None
            raise
        except BaseException:
            if validation is not None:
                validation.cancel()
            raise
        findings = validation.result() if validation is not None else []
        if not findings:  # on a document the spec validator refuses, they only echo its findings
            problems = (*emitted, *problems)
        if problems and lenient is not None:
            # A hoisted inline body is reported inside the operation that holds it.
            moved = {s.pointer: s.origin for s in api.schemas if s.origin}
            if lenient.skip(SpecError(problems), moved):
                continue
        if findings or problems or texts is None:
            located = (spec.source_map.resolve(_at_source(api, problem)) for problem in problems)
            raise SpecError(_in_file_order([*findings, *located]))
        return api, texts


def _keyword_refusals(api: Api) -> tuple[Diagnostic, ...]:
    """Every keyword the validators cannot check, in every schema the package depends on: the
    component schemas and those of the operations (parameters, bodies, responses), written in place.
    Callbacks and webhooks are not part of the package."""
    from generator.emit.validators import vocabulary
    from generator.spec.schema_tree import schema_roots

    hoisted = {schema.pointer for schema in api.schemas if schema.origin is not None}
    roots = [
        (schema, pointer)
        for schema, pointer in schema_roots(api.document)
        if pointer not in hoisted and "/callbacks/" not in pointer and not pointer.startswith("/webhooks/")
    ]
    return tuple(vocabulary.refusals(roots))


def _validator_refusals(api: Api, options: EmitOptions) -> tuple[Diagnostic, ...]:
    """What the validators compiler refuses in the API's schemas (every one: it collects them)."""
    from generator.emit.validators import render_validators

    try:
        render_validators(api, assert_formats=options.assert_formats)
    except SpecError as error:
        return error.diagnostics
    return ()


def _at_source(api: Api, diagnostic: Diagnostic) -> Diagnostic:
    """A diagnostic about a hoisted schema pointed at the inline schema the spec wrote."""
    if diagnostic.location is not None or diagnostic.pointer is None:
        return diagnostic
    return replace(diagnostic, pointer=api.source_pointer(diagnostic.pointer))


def _in_file_order(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per place, in the order of the files and lines they are about.

    Two steps can refuse the same mistake (the spec validator and the validators compiler both
    refuse a misspelt keyword in a 3.0 document); the first one said is kept, and the spec
    validator's come first.
    """
    unique: dict[object, Diagnostic] = {}
    for diagnostic in diagnostics:
        where = diagnostic.location
        place = (where.file, where.line, where.column) if where and where.line else (str(where), diagnostic.message)
        unique.setdefault(place, diagnostic)

    def order(diagnostic: Diagnostic) -> tuple[str, int, int]:
        where = diagnostic.location
        if where is None:
            return ("", 0, 0)
        return (where.file, where.line or 0, where.column or 0)

    return sorted(unique.values(), key=order)


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
    spec_path: Path, options: EmitOptions | None, max_bytes: int | None, concurrent: bool, load: LoadOptions | None
) -> Rendered | tuple[Diagnostic, ...]:
    """One spec's rendering, or its diagnostics (plain data: this also runs in pool workers)."""
    try:
        return render_spec(spec_path, options, max_bytes, concurrent=concurrent, load=load)
    except SpecError as error:
        return error.diagnostics


def render_all(
    specs: Sequence[Path],
    options: EmitOptions | None = None,
    max_bytes: int | None = None,
    *,
    parallel: bool | None = None,
    load: LoadOptions | None = None,
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
    step = functools.partial(_render_one, options=options, max_bytes=max_bytes, concurrent=not pooled, load=load)
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
    load: LoadOptions | None = None,
    on_warning: OnWarning | None = None,
) -> list[Outcome]:
    """Regenerate the packages of `specs` under `out_dir`; untouched when already current.

    Each warning (of a render, or recorded by the one that made a current package) goes to
    `on_warning`, in the order of `specs`.
    """
    from generator.output.write import OutputError, locked

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError.at("the output folder is a file; move it away", location=Location(out_dir.as_posix()))
    if not out_dir.exists():
        # Nothing there can be current: render first, so a refused run leaves no folder behind.
        rendered = render_all(specs, options, max_bytes, load=load)
        _report(rendered, on_warning)
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
        warnings: dict[str, tuple[str, ...]] = {}
        for spec_path in specs:
            found = None if force else up_to_date(spec_path, out_dir, options, load)
            if found is not None:
                manifest, warnings[spec_path.as_posix()] = found
                outcomes[spec_path.as_posix()] = Outcome(spec_path.as_posix(), manifest.package, "unchanged")
            else:
                stale.append(spec_path)
        if stale:
            rendered = render_all(stale, options, max_bytes, load=load)
            warnings.update((item.spec, tuple(map(str, item.warnings))) for item in rendered)
            _refuse_foreign_packages(out_dir, rendered)
            for item in rendered:
                outcomes[item.spec] = _write(out_dir, item)
    for spec_path in specs:
        for line in warnings.get(spec_path.as_posix(), ()):
            if on_warning is not None:
                on_warning(line)
    return [outcomes[spec_path.as_posix()] for spec_path in specs]


def _report(rendered: Sequence[Rendered], on_warning: OnWarning | None) -> None:
    for item in rendered:
        for diagnostic in item.warnings:
            if on_warning is not None:
                on_warning(str(diagnostic))


def _write(out_dir: Path, item: Rendered) -> Outcome:
    from generator.output.write import write_package

    status = write_package(out_dir, item.package, item.files)
    fastpath.record(out_dir / item.package, item.key, item.files, [str(w) for w in item.warnings], item.inputs)
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
    specs: Sequence[Path],
    out_dir: Path,
    options: EmitOptions | None = None,
    *,
    force: bool = False,
    load: LoadOptions | None = None,
    on_warning: OnWarning | None = None,
) -> list[Drift]:
    """Differences between what `specs` would generate and what `out_dir` holds."""
    stale: list[Path] = []
    for spec_path in specs:
        found = None if force else up_to_date(spec_path, out_dir, options, load)
        if found is None:
            stale.append(spec_path)
        elif on_warning is not None:
            for line in found[1]:
                on_warning(line)
    drifts: list[Drift] = []
    rendered = render_all(stale, options, load=load)
    _report(rendered, on_warning)
    for item in rendered:
        diff = package_diff(out_dir, item)
        if diff:
            drifts.append(Drift(item.package, diff))
        else:
            fastpath.record(out_dir / item.package, item.key, item.files, [str(w) for w in item.warnings], item.inputs)
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


def lint(
    specs: Sequence[Path],
    options: EmitOptions | None = None,
    max_bytes: int | None = None,
    *,
    load: LoadOptions | None = None,
    on_warning: OnWarning | None = None,
) -> list[Rendered]:
    """Everything `generate` would check, without writing: SpecError on the first bad spec set."""
    rendered = render_all(specs, options, max_bytes, load=load)
    _report(rendered, on_warning)
    return rendered
