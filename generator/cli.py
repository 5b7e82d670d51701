"""The `sdkgen` command line (also `python -m generator`).

Exit codes: 0 ok, 1 drift (`check`), 2 bad input (located `FILE:LINE:COL: message`
lines on stderr, never a traceback). An unexpected failure is a short message and exit 3
(set SDKGEN_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from generator import __version__
from generator.diagnostics import SpecError
from generator.inputs import LoadOptions

if TYPE_CHECKING:
    from generator.emit import EmitOptions

EXIT_DRIFT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
T = TypeVar("T")


def _run(action: Callable[[], T]) -> T:
    """Run a command body, turning every failure into a message and an exit code."""
    try:
        return action()
    except SpecError as error:
        for diagnostic in error.diagnostics:
            click.echo(str(diagnostic), err=True)
        _exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        click.echo("sdkgen: interrupted", err=True)
        _exit(130)
    except Exception as error:  # the promise is: never a traceback
        if os.environ.get("SDKGEN_DEBUG"):
            traceback.print_exc()
        click.echo(f"sdkgen: internal error: {type(error).__name__}: {error} (SDKGEN_DEBUG=1 shows more)", err=True)
        _exit(EXIT_INTERNAL)


def _exit(code: int) -> NoReturn:
    sys.exit(code)


def _specs(specs: Sequence[str]) -> list[Path]:
    from generator.pipeline import default_specs

    return [Path(s) for s in specs] if specs else default_specs()


def _options(assert_formats: bool, ref_map: Sequence[str] = ()) -> EmitOptions | None:
    if not assert_formats and not ref_map:
        return None  # keeps the no-op path free of the render step's imports
    from generator.emit import EmitOptions
    from generator.spec.ref_map import parse_ref_map

    return EmitOptions(assert_formats=assert_formats, ref_map=parse_ref_map(ref_map))


spec_arguments = click.argument("specs", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
out_option = click.option(
    "--out",
    "out_dir",
    default="generated",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder that receives one package per spec.",
)
formats_option = click.option(
    "--assert-formats",
    is_flag=True,
    help="Make validators assert `format` (date, date-time, time, uuid, email, uri, ipv4, ipv6).",
)
overlay_option = click.option(
    "--overlay",
    "overlays",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Apply this OpenAPI Overlay 1.0 file to each SPEC (repeatable, in order; "
    "<stem>.overlay.yaml beside <stem>.yaml applies by itself, first).",
)
lenient_option = click.option(
    "--lenient",
    is_flag=True,
    help="Repair the common defects of vendors' specs (README: 'Vendor specs'), each a located warning; "
    "skip an operation that still cannot be generated.",
)
strict_warnings_option = click.option(
    "--strict-warnings", is_flag=True, help="Treat every warning as an error: exit 2, nothing written."
)


def _load(overlays: tuple[Path, ...], lenient: bool, strict_warnings: bool) -> LoadOptions:
    return LoadOptions(overlays=overlays, lenient=lenient, strict_warnings=strict_warnings)


def _warn(line: str) -> None:
    click.echo(line, err=True)


ref_map_option = click.option(
    "--ref-map",
    "ref_map",
    multiple=True,
    metavar="URI-PREFIX=DIR",
    help="Read remote $refs (and $schema meta-schemas) starting with URI-PREFIX from DIR; repeatable.",
)
max_bytes_option = click.option(
    "--max-spec-bytes",
    type=click.IntRange(min=1),
    default=None,
    help="Refuse spec files larger than this (default 32 MiB).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sdkgen")
def main() -> None:
    """sdkgen: typed Python SDKs (models, validators, clients) from OpenAPI specs."""


@main.command()
@spec_arguments
@out_option
@formats_option
@ref_map_option
@max_bytes_option
@overlay_option
@lenient_option
@strict_warnings_option
@click.option("--force", is_flag=True, help="Regenerate even when the fingerprint says nothing changed.")
def generate(
    specs: tuple[str, ...],
    out_dir: Path,
    assert_formats: bool,
    ref_map: tuple[str, ...],
    max_spec_bytes: int | None,
    overlays: tuple[Path, ...],
    lenient: bool,
    strict_warnings: bool,
    force: bool,
) -> None:
    """Generate a package per SPEC (default: every specs/*.yaml) into OUT/<package>/."""
    started = time.perf_counter()

    def body() -> None:
        from generator.pipeline import generate as run_generate

        outcomes = run_generate(
            _specs(specs),
            out_dir,
            _options(assert_formats, ref_map),
            force=force,
            max_bytes=max_spec_bytes,
            load=_load(overlays, lenient, strict_warnings),
            on_warning=_warn,
        )
        for outcome in outcomes:
            click.echo(f"{outcome.status:<9} {out_dir.as_posix()}/{outcome.package}  <- {outcome.spec}")
        click.echo(f"{len(outcomes)} package(s) in {time.perf_counter() - started:.2f} s")

    _run(body)


@main.command()
@spec_arguments
@out_option
@formats_option
@ref_map_option
@overlay_option
@lenient_option
@strict_warnings_option
@click.option("--force", is_flag=True, help="Regenerate in memory even when the fingerprint matches.")
def check(
    specs: tuple[str, ...],
    out_dir: Path,
    assert_formats: bool,
    ref_map: tuple[str, ...],
    overlays: tuple[Path, ...],
    lenient: bool,
    strict_warnings: bool,
    force: bool,
) -> None:
    """Exit 1 with a unified diff when OUT differs from what SPECs generate, else 0."""

    def body() -> int:
        from generator.pipeline import check as run_check

        drifts = run_check(
            _specs(specs),
            out_dir,
            _options(assert_formats, ref_map),
            force=force,
            load=_load(overlays, lenient, strict_warnings),
            on_warning=_warn,
        )
        for drift in drifts:
            click.echo(drift.diff, nl=False)
        if drifts:
            names = ", ".join(d.package for d in drifts)
            click.echo(f"drift in {names}: run `sdkgen generate` (or `make generate`) and commit", err=True)
            return EXIT_DRIFT
        return 0

    code = _run(body)
    if code:
        _exit(code)


def _proposals(spec: Path, load: LoadOptions) -> list[str]:
    """`FILE:LINE:COL: info: ...` lines: what the spec could say that it does not (never an error).

    Called once `lint` has accepted the spec, so it loads it as lint did (with its overlays).
    """
    from generator.ir.pagination import propose
    from generator.ir.parse import build_api
    from generator.spec import load_spec

    loaded = load_spec(spec, validate=False, overlays=load.overlays_for(spec))
    return [f"{loaded.locate(pointer)}: info: {message}" for pointer, message in propose(build_api(loaded))]


@main.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@formats_option
@ref_map_option
@max_bytes_option
@overlay_option
@lenient_option
@strict_warnings_option
def lint(
    specs: tuple[str, ...],
    assert_formats: bool,
    ref_map: tuple[str, ...],
    max_spec_bytes: int | None,
    overlays: tuple[Path, ...],
    lenient: bool,
    strict_warnings: bool,
) -> None:
    """Validate SPECs as `generate` would, writing nothing.

    With --lenient, print (on stdout) the overlay that makes each spec strict-clean: the
    repairs, ready to save as <stem>.overlay.yaml beside it.
    """

    def body() -> None:
        from generator.pipeline import lint as run_lint

        load = _load(overlays, lenient, strict_warnings)
        rendered = run_lint(
            [Path(s) for s in specs], _options(assert_formats, ref_map), max_spec_bytes, load=load, on_warning=_warn
        )
        printed = 0
        for spec, item in zip(specs, rendered, strict=True):
            if not lenient:
                for line in _proposals(Path(spec), load):
                    click.echo(line)
                click.echo(f"ok        {spec}")
                continue
            if item.repair_overlay:  # stdout holds only overlays: `> specs/<stem>.overlay.yaml`
                click.echo(("---\n" if printed else "") + item.repair_overlay, nl=False)
                printed += 1
            click.echo(f"ok        {spec} (lenient)", err=True)

    _run(body)


@main.command()
@click.argument("sides", nargs=-1, type=str, metavar="OLD NEW")
@click.option(
    "--base", metavar="REV", help="Compare every spec of specs/ (or the SPECs given) with its version at REV."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="How findings are printed.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "warning", "never"]),
    default="breaking",
    show_default=True,
    help="Exit 1 when a finding of this severity (or worse) remains.",
)
@click.option(
    "--ignore",
    "ignore_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML list of reviewed findings to silence (rule id, pointer, reason).",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Read both sides as `generate --lenient` does: vendor defects repaired first.",
)
def diff(
    sides: tuple[str, ...], base: str | None, output_format: str, fail_on: str, ignore_file: Path | None, lenient: bool
) -> None:
    """What changed from OLD to NEW (each a spec file or REV:PATH), and whom it breaks.

    Exit 0: no breaking change; 1: breaking changes (see --fail-on); 2: bad input.
    """
    if base is None and len(sides) != 2:
        raise click.UsageError("give OLD and NEW (each a spec file or REV:PATH), or --base REV")

    def body() -> int:
        from generator.diff import FAIL_ON, run_diff
        from generator.diff.report import FORMATS

        outcome = run_diff(
            None if base else sides[0],
            None if base else sides[1],
            base=base,
            specs=sides if base else (),
            output_format=next(f for f in FORMATS if f == output_format),  # click checked the choice
            fail_on=next(level for level in FAIL_ON if level == fail_on),
            ignore=ignore_file,
            lenient=lenient,
        )
        click.echo(outcome.output, nl=False)
        return outcome.exit_code

    code = _run(body)
    if code:
        _exit(code)
