"""The command-line layer: parse arguments, call the domain, pick a renderer, map errors to exits.

Everything that is about nerve pain lives in `nervecli.queries` and `nervecli.model`;
everything that is about how output looks lives in `nervecli.render`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer._click.exceptions import (  # Typer 0.29 ships click inside it
    ClickException,
    NoArgsIsHelpError,
)
from typer.core import TyperGroup

from nervecli import __version__
from nervecli.config import (
    ENV_CATALOG,
    ENV_NO_BUNDLED,
    ENV_NO_CACHE,
    KINDS,
    LINES,
    SHOWN_PROBLEMS,
    SORTS,
)
from nervecli.errors import CatalogueError, ExitCode, NerveError

if TYPE_CHECKING:
    from nervecli.model import Catalogue


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class _Group(TyperGroup):
    """Maps every failure to one line on stderr and the exit status defined in `ExitCode`,
    and builds a subcommand only when it is used (see `_command`)."""

    lazy: dict[str, Any] = {}  # noqa: RUF012 - set per instance by _command

    def list_commands(self, ctx: Any) -> list[str]:
        return list(dict.fromkeys([*self.commands, *self.lazy]))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.commands[cmd_name] = typer.main.get_command_from_info(
                self.lazy[cmd_name], pretty_exceptions_short=True, rich_markup_mode=None
            )
        return self.commands.get(cmd_name)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CatalogueError as exc:
            # The catalogue is broken: the first few problems, and where to see them all.
            _error("the catalogue has problems; nervecli will not start until they are fixed:")
            for problem in exc.problems[:SHOWN_PROBLEMS]:
                print(f"  {problem}", file=sys.stderr)
            if len(exc.problems) > SHOWN_PROBLEMS:
                print(f"  ... and {len(exc.problems) - SHOWN_PROBLEMS} more", file=sys.stderr)
            print("Run 'nervecli validate' to see every problem.", file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
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
        except NoArgsIsHelpError as exc:
            # `nervecli` alone asks what it can do: the help, as --help gives it.
            print(exc.format_message())
            code = ExitCode.OK
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
  nervecli search dizziness
  nervecli conditions trigeminal-neuralgia
  nervecli check --has bleeding-disorder --takes blood-thinners --pregnant
  nervecli alternatives ketamine
  nervecli questions ketamine steroid
  nervecli sources ketamine-what-to-expect

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

NoPagerOption = Annotated[
    bool,
    typer.Option("--no-pager", help="Never page long output (a pager is used only on a terminal)."),
]

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
    catalog: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Option(
            "--catalog",
            help=(
                "A catalogue file or folder to use over the bundled one (repeatable; also "
                f"${ENV_CATALOG}, a list like PATH). Its entries are added, and an entry with "
                "the id of a bundled one replaces it."
            ),
        ),
    ] = None,
    no_bundled: Annotated[
        bool,
        typer.Option(
            "--no-bundled",
            help=f"Use only the --catalog catalogues (also ${ENV_NO_BUNDLED}=1).",
        ),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help=f"Read the catalogue from its files, not the cache (also ${ENV_NO_CACHE}=1).",
        ),
    ] = False,
) -> None:
    """Explore treatments for nerve pain."""
    _settings.catalogs = list(catalog or [])
    _settings.bundled = not no_bundled
    _settings.cache = not no_cache


class _Settings:
    """What the root options chose; reset by every invocation."""

    def __init__(self) -> None:
        self.catalogs: list[Path] = []
        self.bundled = True
        self.cache = True


_settings = _Settings()


def _catalog_paths() -> tuple[list[Path], bool]:
    from nervecli.files import env_catalogs

    bundled = _settings.bundled and os.environ.get(ENV_NO_BUNDLED, "") in ("", "0")
    return [*env_catalogs(), *_settings.catalogs], bundled


def _load() -> Catalogue:
    from nervecli.cache import load

    paths, bundled = _catalog_paths()
    use_cache = _settings.cache and os.environ.get(ENV_NO_CACHE, "") in ("", "0")
    return load(paths, bundled=bundled, use_cache=use_cache)


def _completer(names: Callable[[Catalogue], list[str]]) -> Callable[[str], list[str]]:
    """Shell completion of catalogue names (a broken catalogue completes nothing)."""

    def complete(incomplete: str) -> list[str]:
        try:
            catalogue = _load()
        except NerveError:
            return []
        prefix = incomplete.lower()
        return [n for n in dict.fromkeys(names(catalogue)) if n.startswith(prefix)]

    return complete


_complete_treatment = _completer(
    lambda c: [n for t in c.treatments.values() for n in (t.id, *t.aliases)]
)
_complete_condition = _completer(
    lambda c: [n for x in c.conditions.values() for n in (x.id, *x.aliases)]
)
_complete_has = _completer(
    lambda c: [t.id for t in c.screening.values() if t.asks == "has"] + list(c.conditions)
)
_complete_takes = _completer(lambda c: [t.id for t in c.screening.values() if t.asks == "takes"])
_complete_source = _completer(lambda c: list(c.sources))


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
        typer.Option(
            help="Only treatments the sources link to this condition.",
            autocompletion=_complete_condition,
        ),
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
    no_pager: NoPagerOption = False,
) -> None:
    """List every treatment: name, kind, how it is given, line of treatment, a one-line summary."""
    from nervecli.queries import list_treatments

    kind, line, sort = _choice(kind, KINDS, "--kind"), _choice(line, LINES, "--line"), sort
    sort = _choice(sort, SORTS, "--sort") or "kind"
    catalogue = _load()
    treatments = list_treatments(catalogue, kind=kind, condition=condition, line=line, sort=sort)
    _render(fmt, "render_list", catalogue, treatments, no_pager=no_pager)


TreatmentArg = Annotated[
    str,
    typer.Argument(help="A treatment's id, alias or name.", autocompletion=_complete_treatment),
]


@app.command()
def show(
    name: TreatmentArg,
    sources: Annotated[
        bool, typer.Option("--sources", help="Print each fact's word-for-word quote under it.")
    ] = False,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Show one treatment in full, every fact with its source."""
    from nervecli.queries import resolve_treatment, treatment_view

    catalogue = _load()
    view = treatment_view(catalogue, resolve_treatment(catalogue, name))
    _render(fmt, "render_show", catalogue, view, quotes=sources, no_pager=no_pager)


@app.command()
def compare(
    names: Annotated[
        list[str],
        typer.Argument(
            help="Two to four treatments.",
            metavar="A B [C [D]]",
            autocompletion=_complete_treatment,
        ),
    ],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Compare two to four treatments side by side, one row per aspect."""
    from nervecli.queries import compare as compare_treatments

    catalogue = _load()
    comparison = compare_treatments(catalogue, names)
    _render(fmt, "render_compare", catalogue, comparison, no_pager=no_pager)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for, e.g. 'dizziness'.")],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Search every treatment and condition: names, side effects, risks, quotes, ..."""
    from nervecli.search import words

    if not words(text):
        raise typer.BadParameter("give at least one word to search for", param_hint="TEXT")
    catalogue = _load()
    index = catalogue.search_index()
    hits = index.search(text)
    suggestions = [] if hits else index.suggestions(text)
    _emit(fmt, catalogue, "search", (text, hits, suggestions), no_pager)


@app.command()
def conditions(
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="A condition; leave out to list them all.", autocompletion=_complete_condition
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """The conditions in the catalogue, what the sources say of each, and linked treatments."""
    from nervecli.explore import all_conditions, condition_view

    catalogue = _load()
    if name is None:
        _emit(fmt, catalogue, "conditions", (all_conditions(catalogue),), no_pager)
    else:
        _emit(fmt, catalogue, "condition", (condition_view(catalogue, name),), no_pager)


@app.command()
def check(
    has: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(help="A condition you have (repeat for more).", autocompletion=_complete_has),
    ] = None,
    takes: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(help="A medicine you take (repeat for more).", autocompletion=_complete_takes),
    ] = None,
    pregnant: Annotated[bool, typer.Option("--pregnant", help="You are pregnant.")] = False,
    profile: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="A YAML file with has:, takes: and pregnant: (added to the options)."),
    ] = None,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """A personal screen: for every treatment, what the sources say to avoid or discuss first."""
    from nervecli.explore import Profile, read_profile, screen

    base = read_profile(profile) if profile else Profile()
    merged = Profile(
        has=[*base.has, *(has or [])],
        takes=[*base.takes, *(takes or [])],
        pregnant=base.pregnant or pregnant,
    )
    if not (merged.has or merged.takes or merged.pregnant):
        raise typer.BadParameter("say what to check: --has, --takes, --pregnant or --profile")
    catalogue = _load()
    _emit(fmt, catalogue, "check", (screen(catalogue, merged),), no_pager)


@app.command()
def alternatives(
    name: TreatmentArg,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """The alternatives the sources name, and other treatments for the same conditions."""
    from nervecli.explore import alternatives as find_alternatives

    catalogue = _load()
    _emit(fmt, catalogue, "alternatives", find_alternatives(catalogue, name), no_pager)


@app.command()
def questions(
    names: Annotated[
        list[str],
        typer.Argument(
            help="One or more treatments.", metavar="NAME...", autocompletion=_complete_treatment
        ),
    ],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Questions to take to the doctor, built from the catalogue's facts."""
    from nervecli.explore import questions as build_questions

    catalogue = _load()
    _emit(fmt, catalogue, "questions", (build_questions(catalogue, names),), no_pager)


@app.command()
def sources(
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            help="A source id; leave out to list them all.", autocompletion=_complete_source
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """The documents behind the catalogue, or every fact one of them supports, with its quote."""
    from nervecli.explore import source_view, sources_overview

    catalogue = _load()
    if name is None:
        _emit(fmt, catalogue, "sources", (sources_overview(catalogue),), no_pager)
    else:
        _emit(fmt, catalogue, "source", (source_view(catalogue, name),), no_pager)


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(help="Catalogue files or folders (default: the catalogues in use)."),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Check the files alone, not over the bundled one.")
    ] = False,
) -> None:
    """Check catalogues and report every problem, one per line as FILE:LINE:COLUMN: message.

    The files are checked as nervecli would use them: over the bundled catalogue, unless
    --no-bundled is given. Exit status 1 if there is any problem.
    """
    from nervecli.files import catalogue_files
    from nervecli.loader import load_catalogue

    configured, bundled = _catalog_paths()
    chosen = list(paths) if paths else configured
    bundled = bundled and not no_bundled
    try:
        catalogue = load_catalogue(chosen, bundled=bundled)
    except CatalogueError as exc:
        for problem in exc.problems:
            print(problem)
        count = len(exc.problems)
        _error(f"{count} problem{'s' if count != 1 else ''} found.")
        raise typer.Exit(ExitCode.ERROR) from None
    files = len(catalogue_files([*([_bundled_dir()] if bundled else []), *chosen]))
    print(
        f"OK: {files} files, {len(catalogue.treatments)} treatments, "
        f"{len(catalogue.conditions)} conditions, {len(catalogue.sources)} sources, "
        f"{len(catalogue.evidence)} evidence records; no problems."
    )


def _bundled_dir() -> Path:
    from nervecli.files import bundled_data_dir

    return bundled_data_dir()


@app.command()
def schema() -> None:
    """Print the JSON Schema of a catalogue file (for editors and other tools)."""
    from nervecli.schema import catalogue_schema

    _write(catalogue_schema())


# Which document builders take the catalogue as their first argument.
_NEEDS_CATALOGUE = frozenset({"search", "source"})


def _emit(
    fmt: Format, catalogue: Catalogue, what: str, result: tuple[Any, ...], no_pager: bool
) -> None:
    """Output for the exploring commands: JSON from the result, else a document drawn."""
    if fmt is Format.json:
        from nervecli.render import jsonout

        _write(getattr(jsonout, f"render_{what}")(catalogue, *result))
        return
    from nervecli.render import views

    args = (catalogue, *result) if what in _NEEDS_CATALOGUE else result
    document = getattr(views, f"{what}_doc")(*args)
    if fmt is Format.markdown:
        from nervecli.render import markdown

        _write(markdown.render_doc(catalogue, document))
    else:
        from nervecli.render import table

        table.page(lambda console: table.render_doc(console, catalogue, document), not no_pager)


def _choice(value: str | None, allowed: tuple[str, ...], option: str) -> str | None:
    if value is None:
        return None
    if value.lower() not in allowed:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(allowed)}", param_hint=option)
    return value.lower()


def _render(
    fmt: Format,
    function: str,
    catalogue: Catalogue,
    result: Any,
    quotes: bool = False,
    no_pager: bool = False,
) -> None:
    extra = {"quotes": quotes} if function == "render_show" else {}
    if fmt is Format.json:
        from nervecli.render import jsonout

        _write(getattr(jsonout, function)(catalogue, result))
    elif fmt is Format.markdown:
        from nervecli.render import markdown

        _write(getattr(markdown, function)(catalogue, result, **extra))
    else:
        from nervecli.render import table

        draw = getattr(table, function)
        table.page(lambda console: draw(console, catalogue, result, **extra), not no_pager)


def _command() -> Any:
    """The click group for `app`, with its subcommands built on first use: building all of
    them (their options and help) costs every run several milliseconds for nothing."""
    infos = list(app.registered_commands)
    app.registered_commands = []
    try:
        group = typer.main.get_command(app)
    finally:
        app.registered_commands = infos
    group.lazy = {
        info.name or typer.main.get_command_name(info.callback.__name__): info for info in infos
    }
    return group


def main() -> None:
    """Console-script entry point."""
    _command()(prog_name="nervecli")
