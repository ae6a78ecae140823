"""Commands about the catalogue and nervecli itself: validate, schema, help."""

from __future__ import annotations

import contextlib
import difflib
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from nervecli.cli.emit import ReaderGone, message
from nervecli.cli.environment import distinct
from nervecli.cli.group import COMMANDS, LazyGroup, Printed, UsageProblem, command
from nervecli.cli.options import Format, FormatOption, emit
from nervecli.cli.root import settings_for
from nervecli.cli.status import ExitCode
from nervecli.model.errors import CatalogueError


@command("validate")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="[PATH]...", help="Catalogue files or folders (default: the catalogues in use)."
        ),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Check the files alone, not over the bundled one.")
    ] = False,
    against: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option(
            "--sources",
            metavar="DIR",
            help="A folder of source documents: check every quote against them (repeatable).",
        ),
    ] = None,
    show_coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="With --sources: list, per document, the sentences no quote covers, and the "
            "percentage covered.",
        ),
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Check catalogues; every problem as FILE:LINE:COLUMN: message. Exit status 1 if there
    is any problem, whatever happens to the reader of the output.

    The files are checked as nervecli would use them: over the bundled catalogue, unless
    --no-bundled is given. With --sources, every quote must be found, word for word, in the
    document its source names; with --coverage too, each document's sentences that no quote
    covers are listed, with the percentage covered.

    \b
    Examples:
      nervecli validate ~/clinic-catalogue
      nervecli validate --sources ../shared/seeds --sources ../shared/evidence
      nervecli validate --sources ../shared/seeds --coverage
    """
    from nervecli.facts.quotes import check_quotes
    from nervecli.present.problems import problems_doc
    from nervecli.reading.files import bundled_data_dir, catalogue_files
    from nervecli.reading.loader import load_catalogue
    from nervecli.records.problems import problems_record

    settings = settings_for(ctx)
    if show_coverage and not against:
        raise typer.BadParameter("needs --sources DIR", param_hint="'--coverage'")
    for path in paths or []:
        if not path.strip():
            raise typer.BadParameter("an empty path", param_hint="'[PATH]...'")
    chosen = list(distinct(paths)) if paths else list(settings.catalogs)
    bundled = settings.bundled and not no_bundled
    problems: list[Any] = []
    try:
        catalogue = load_catalogue(chosen, bundled=bundled)
        if against:
            files = catalogue_files([*([bundled_data_dir()] if bundled else []), *chosen])
            problems = check_quotes(catalogue, files, against)
    except CatalogueError as exc:
        problems = exc.problems
    if problems:
        count = len(problems)
        summary = f"{count} problem{'s' if count != 1 else ''} found."
        # A reader gone does not change the answer: the problems stand, and the status says so.
        with contextlib.suppress(ReaderGone):
            emit(
                ctx,
                fmt,
                lambda: problems_doc(problems, summary),
                lambda: problems_record(problems, summary),
                no_pager=True,
            )
        # (output that cannot be written is the one line said instead: the edge says it)
        message(settings.env, f"Error: {summary}")
        raise typer.Exit(ExitCode.ERROR)
    files = catalogue_files([*([bundled_data_dir()] if bundled else []), *chosen])
    checked = "; every quote found in its document" if against else ""
    summary = (
        f"OK: {len(files)} files, {len(catalogue.treatments)} treatments, "
        f"{len(catalogue.conditions)} conditions, {len(catalogue.sources)} sources, "
        f"{len(catalogue.evidence)} evidence records; no problems{checked}."
    )
    if show_coverage and against:
        from nervecli.facts.quotes import coverage
        from nervecli.present.problems import coverage_doc
        from nervecli.records.problems import coverage_record

        found, _ = coverage(catalogue, against)
        emit(
            ctx,
            fmt,
            lambda: coverage_doc(found, summary),
            lambda: coverage_record(found, summary),
            no_pager=True,
        )
        return
    emit(
        ctx,
        fmt,
        lambda: problems_doc([], summary),
        lambda: problems_record([], summary),
        no_pager=True,
    )


@command("schema")
def schema(ctx: typer.Context, fmt: FormatOption = Format.json) -> None:
    """Print the JSON Schema of a catalogue file (for editors and other tools).

    \b
    Examples:
      nervecli schema > catalogue.schema.json
    """
    from nervecli.present.problems import schema_doc
    from nervecli.reading.schema import catalogue_schema
    from nervecli.records.problems import schema_record

    text = catalogue_schema()
    emit(ctx, fmt, lambda: schema_doc(text), lambda: schema_record(text), no_pager=True)


@command("help")
def help_(
    ctx: typer.Context,
    name: Annotated[Optional[str], typer.Argument(metavar="[COMMAND]", help="A command.")] = None,  # noqa: UP045
) -> None:
    """Show the help of nervecli, or of one command.

    \b
    Examples:
      nervecli help
      nervecli help compare
    """
    root = ctx.find_root()
    group = root.command
    if not name:
        raise Printed(root.get_help() + "\n")
    sub = group.get_command(root, name) if isinstance(group, LazyGroup) else None
    if sub is None:
        close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.5)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        raise UsageProblem(f"no command '{name}'{hint}")
    with sub.make_context(name, [], parent=root, resilient_parsing=True) as sub_ctx:
        raise Printed(sub_ctx.get_help() + "\n")
