"""The command-line layer: parse arguments, call the domain, pick a renderer, map errors to exits.

Everything that is about nerve pain lives in `nervecli.queries` and `nervecli.model`;
everything that is about how output looks lives in `nervecli.render`.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer._click.exceptions import ClickException  # Typer >= 0.29 ships click inside it
from typer.core import TyperGroup

from nervecli import __version__
from nervecli.errors import ExitCode, NerveError
from nervecli.model import KINDS, LINES

if TYPE_CHECKING:
    from nervecli.model import Catalogue


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class _Group(TyperGroup):
    """Maps every failure to one line on stderr and the exit status defined in `ExitCode`."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NerveError as exc:
            _error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader went away (`nervecli list | head -1`): not an error.
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except KeyboardInterrupt:
            _error("interrupted")
            raise typer.Exit(ExitCode.INTERRUPTED) from None

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
            code = rv if isinstance(rv, int) else ExitCode.OK
        except ClickException as exc:
            hint = " Try 'nervecli --help'."
            if exc.exit_code == ExitCode.USAGE and getattr(exc, "ctx", None) is not None:
                hint = f" Try '{exc.ctx.command_path} --help'."  # type: ignore[attr-defined]
            _error(exc.format_message().rstrip(".") + "." + hint)
            code = exc.exit_code
        if standalone_mode:
            sys.exit(int(code))
        return code


def _error(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (e.g. under a test runner)
        pass


HELP = """\
Explore treatments for nerve (neuropathic) pain, from a catalogue where every fact
carries its source and a word-for-word quote. Information to discuss with a doctor,
not medical advice.

\b
Examples:
  nervecli list
  nervecli list --kind medicine
  nervecli list --condition trigeminal-neuralgia
  nervecli list --line first --sort nnt
  nervecli show ketamine
  nervecli compare steroid nerve-block
  nervecli show ketamine --format markdown > ketamine.md
  nervecli compare steroid ketamine --format json

Names may be an id, an alias or a name, in any case, or their leading whole words
('nerve-block' finds nerve-block-infusion).

\b
Exit status: 0 ok, 1 not found or bad catalogue data, 2 usage error, 130 interrupted.
"""

app = typer.Typer(
    cls=_Group,
    name="nervecli",
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table for people (default), json for scripts, markdown for a printable handout.",
    ),
]


def _version(value: bool) -> None:
    if value:
        print(f"nervecli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Explore treatments for nerve pain."""


def _load() -> Catalogue:
    from nervecli.loader import load_catalogue

    return load_catalogue()


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


@app.command("list")
def list_(
    kind: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help=f"Only this kind: {', '.join(KINDS)}."),
    ] = None,
    condition: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help="Only treatments the sources link to this condition."),
    ] = None,
    line: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(help=f"Only this line of treatment (graded sources): {', '.join(LINES)}."),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(help="Order: kind (default), name, or nnt (lowest first; ungraded last)."),
    ] = "kind",
    fmt: FormatOption = Format.table,
) -> None:
    """List every treatment: name, kind, how it is given, line of treatment, a one-line summary."""
    from nervecli.queries import SORTS, list_treatments

    kind, line, sort = _choice(kind, KINDS, "--kind"), _choice(line, LINES, "--line"), sort
    sort = _choice(sort, SORTS, "--sort") or "kind"
    catalogue = _load()
    treatments = list_treatments(catalogue, kind=kind, condition=condition, line=line, sort=sort)
    _render(fmt, "render_list", catalogue, treatments)


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="A treatment's id, alias or name.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show one treatment in full, every fact with its source."""
    from nervecli.queries import resolve_treatment, treatment_view

    catalogue = _load()
    view = treatment_view(catalogue, resolve_treatment(catalogue, name))
    _render(fmt, "render_show", catalogue, view)


@app.command()
def compare(
    names: Annotated[
        list[str], typer.Argument(help="Two to four treatments.", metavar="A B [C [D]]")
    ],
    fmt: FormatOption = Format.table,
) -> None:
    """Compare two to four treatments side by side, one row per aspect."""
    from nervecli.queries import compare as compare_treatments

    catalogue = _load()
    _render(fmt, "render_compare", catalogue, compare_treatments(catalogue, names))


def _choice(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    if value is None:
        return None
    if value.lower() not in allowed:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(allowed)}", param_hint=option)
    return value.lower()


def _render(fmt: Format, function: str, catalogue: Catalogue, result: Any) -> None:
    if fmt is Format.json:
        from nervecli.render import jsonout

        _write(getattr(jsonout, function)(catalogue, result))
    elif fmt is Format.markdown:
        from nervecli.render import markdown

        _write(getattr(markdown, function)(catalogue, result))
    else:
        from nervecli.render import table

        getattr(table, function)(table.make_console(), catalogue, result)
        sys.stdout.flush()


def main() -> None:
    """Console-script entry point."""
    app()
