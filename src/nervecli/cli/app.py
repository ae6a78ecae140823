"""The command line: parse arguments, build the settings once, call the library, choose a
drawer, and map every failure to one line on stderr and an exit status (defined once, in
`ExitCode`). Typer is used through its public API: each command is a one-command Typer app,
built only when it runs (`typer.main.get_command`), so no run pays for the options of all.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from nervecli import __version__
from nervecli.cli.emit import OutputFault, ReaderGone, message, page_drawn, settle, write
from nervecli.cli.environment import (
    ENV_CATALOG,
    ENV_NO_BUNDLED,
    ENV_NO_CACHE,
    Environment,
    Settings,
    distinct,
)
from nervecli.cli.status import ExitCode
from nervecli.model.errors import (
    AmbiguousError,
    CatalogueError,
    NerveError,
    NotFoundError,
    ProfileError,
    RequestError,
)
from nervecli.model.vocabulary import KINDS, LINES, SORTS

if TYPE_CHECKING:
    from nervecli.domain.decision import Decision
    from nervecli.model.catalogue import Catalogue
    from nervecli.output.document import Document


SHOWN_PROBLEMS = 5  # how many catalogue problems a refusing run shows
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class UsageProblem(Exception):
    """Command-line usage that cannot be served; exit status 2."""


# --- commands, each a one-command Typer app built on first use -----------------------------------

COMMANDS: dict[str, typer.Typer] = {}


def command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        sub = typer.Typer(
            add_completion=False,
            rich_markup_mode=None,
            pretty_exceptions_enable=False,
            context_settings=CONTEXT,
        )
        sub.command(name, cls=GuardedCommand)(function)
        COMMANDS[name] = sub
        return function

    return register


def _help_through_the_edge(ctx: Any, param: Any, value: bool) -> None:
    """--help raises `_Print`, so that the help is written at the one output edge like any
    other output (click would echo it itself, unguarded)."""
    if value and not ctx.resilient_parsing:
        raise _Print(ctx.get_help() + "\n")


class GuardedCommand(TyperCommand):
    """A command whose --help is written at the output edge."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = _help_through_the_edge
        return option


class LazyGroup(TyperGroup):
    """The root group: its subcommands are built from their own Typer apps when used; a
    misspelt command gets a suggestion; --help is written at the output edge."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = _help_through_the_edge
        return option

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = typer.main.get_command(COMMANDS[cmd_name])
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.5)
            hint = f" — did you mean '{close[0]}'?" if close else ""
            raise UsageProblem(f"no command '{name}'{hint}")
        return super().resolve_command(ctx, args)


HELP = """\
Explore treatments for nerve (neuropathic) pain, from a catalogue where every fact carries
its source and a word-for-word quote. Information to discuss with a doctor, not medical
advice.

\b
Examples:
  nervecli list
  nervecli show ketamine
  nervecli compare steroid nerve-block
  nervecli compare steroid nerve-block --format html > visit.html
  nervecli search dizziness
  nervecli help show

Names may be an id, an alias or a name, in any case, or their leading whole words
('nerve-block' finds nerve-block-infusion). Every command takes --format table, json,
markdown (md) or html.

\b
Exit status: 0 ok, 1 not found, bad catalogue or output error, 2 usage error,
130 interrupted.
"""

app = typer.Typer(
    cls=LazyGroup,
    name="nervecli",
    help=HELP,
    add_completion=False,  # our own --show/--install-completion take the shell by name
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings=CONTEXT,
)


def _version(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        raise _Print(f"nervecli {__version__}\n")


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


COMPLETE_VAR = "_NERVECLI_COMPLETE"


def _typer_says(say: Callable[[], object]) -> str:
    """What one of typer.completion's own functions prints (it writes to stdout and may end
    with SystemExit), captured so that the one guarded output edge writes it."""
    import contextlib
    import io

    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.suppress(SystemExit):
        say()
    return said.getvalue().strip("\n")


def _show_completion(ctx: typer.Context, value: Shell | None) -> None:
    if value is not None and not ctx.resilient_parsing:
        from typer.completion import get_completion_inspect_parameters, shell_complete

        get_completion_inspect_parameters()  # Typer's completion set-up, as add_completion does
        command = ctx.find_root().command
        script = _typer_says(
            lambda: shell_complete(command, {}, "nervecli", COMPLETE_VAR, f"source_{value.value}")
        )
        raise _Print(script + "\n")


def _install_completion(
    ctx: typer.Context, param: typer.CallbackParam, value: Shell | None
) -> None:
    # Never during a Tab press: completion parses the line resiliently and must write nothing.
    if value is not None and not ctx.resilient_parsing:
        from typer.completion import install_callback

        try:  # Typer's --install-completion, for this shell; it says where it wrote the script
            said = _typer_says(lambda: install_callback(ctx, param, value.value))
        except OSError as exc:
            raise RequestError(
                f"cannot install completion for {value.value}: {exc.strerror or exc}"
            ) from None
        raise _Print(f"{said.splitlines()[0]}; it takes effect in a new terminal.\n")


class _Print(Exception):
    """Print this and stop (--version): raised so that the one output edge writes it."""


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        Optional[bool],  # noqa: UP045 - Typer reads this annotation at run time
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
    show_completion: Annotated[
        Optional[Shell],  # noqa: UP045
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help="Print the completion script for SHELL (bash, zsh, fish, powershell, pwsh).",
        ),
    ] = None,
    install_completion: Annotated[
        Optional[Shell],  # noqa: UP045
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help="Install completion for SHELL, so that Tab completes commands and names.",
        ),
    ] = None,
    catalog: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--catalog",
            metavar="PATH",
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
            "--no-bundled", help=f"Use only the --catalog catalogues (also ${ENV_NO_BUNDLED}=1)."
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
    for path in catalog or []:
        if not path.strip():
            raise typer.BadParameter("an empty path", param_hint="'--catalog'")
    ctx.obj = _settings(_environment(ctx), catalog, no_bundled, no_cache)
    if ctx.invoked_subcommand is None:
        raise _Print(ctx.get_help() + "\n")


def _environment(ctx: typer.Context) -> Environment:
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Environment) else Environment.from_process()


def _settings(
    env: Environment,
    catalog: list[str] | None = None,
    no_bundled: bool = False,
    no_cache: bool = False,
    version: bool | None = None,  # eager: it has printed and stopped the run already
) -> Settings:
    """The run's settings from the root options, as the root callback receives them (so
    that its parameters, and only they, are spelled once: in its own signature)."""
    return Settings.build(env, [p for p in catalog or [] if p.strip()], no_bundled, no_cache)


def settings_for(ctx: typer.Context) -> Settings:
    """The run's settings: made once by the root callback from its typed options; during
    shell completion (which runs no callback) made by the same function from the options
    parsed so far, so that completion honours --catalog and --no-bundled like every
    command."""
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    return _settings(_environment(ctx), **root.params)  # the root callback's own parameters


def load(ctx: typer.Context) -> Catalogue:
    from nervecli.cache.store import load as load_catalogue

    settings = settings_for(ctx)
    return load_catalogue(list(settings.catalogs), settings.bundled, settings.cache_dir)


# --- options shared by commands ------------------------------------------------------------------


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    md = "md"
    html = "html"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table for people (default), json for scripts, markdown (md) or html for a handout.",
    ),
]
NoPagerOption = Annotated[
    bool,
    typer.Option("--no-pager", help="Never page long output (a pager is used only on a terminal)."),
]

Kind = Enum("Kind", {k.replace("-", "_"): k for k in KINDS}, type=str)  # type: ignore[misc]
Line = Enum("Line", {k: k for k in LINES}, type=str)  # type: ignore[misc]
Sort = Enum("Sort", {k: k for k in SORTS}, type=str)  # type: ignore[misc]


def emit(
    ctx: typer.Context,
    fmt: Format,
    doc: Callable[[], Document],
    record: Callable[[], Any],
    no_pager: bool = False,
) -> None:
    """Write a command's answer in the chosen format: its record for JSON, else its document,
    drawn (through the pager on a terminal). Only the one that is asked for is built."""
    env = settings_for(ctx).env
    if fmt is Format.json:
        from nervecli.output.draw_json import draw

        write(env, draw(record()))
        return
    drawn = doc()
    emit_doc(env, drawn, fmt, no_pager)


def emit_doc(env: Environment, doc: Document, fmt: Format, no_pager: bool = False) -> None:
    """Draw a document in a format other than JSON and write it."""
    if fmt in (Format.markdown, Format.md):
        from nervecli.output.draw_markdown import draw as draw_md

        write(env, draw_md(doc))
    elif fmt is Format.html:
        from nervecli.output.draw_html import draw as draw_html

        write(env, draw_html(doc))
    else:
        from nervecli.output.draw_table import draw_to

        page_drawn(env, lambda out: draw_to(doc, out, env.width, env.color), not no_pager)


def _complete(
    names: Callable[[Catalogue], Sequence[str]],
) -> Callable[[typer.Context, str], list[str]]:
    """Shell completion of catalogue names (a broken catalogue completes nothing)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            catalogue = load(ctx)
            found = names(catalogue)
        except (NerveError, OSError, ValueError):
            return []
        prefix = incomplete.lower()
        return [n for n in dict.fromkeys(found) if n.startswith(prefix)]

    return complete


_complete_treatment = _complete(
    lambda c: [n for t in c.treatments.values() for n in (t.id, *t.aliases)]
)
_complete_condition = _complete(
    lambda c: [n for x in c.conditions.values() for n in (x.id, *x.aliases)]
)
_complete_has = _complete(
    lambda c: [t.id for t in c.screening.values() if t.asks == "has"] + list(c.conditions)
)
_complete_takes = _complete(lambda c: [t.id for t in c.screening.values() if t.asks == "takes"])
_complete_source = _complete(lambda c: list(c.sources))

TreatmentArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME", help="A treatment's id, alias or name.", autocompletion=_complete_treatment
    ),
]


@command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[Optional[Kind], typer.Option(help="Only this kind.")] = None,  # noqa: UP045
    condition: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="NAME",
            help="Only treatments for this condition (or for what it is a kind of or causes).",
            autocompletion=_complete_condition,
        ),
    ] = None,
    line: Annotated[
        Line | None, typer.Option(help="Only this line of treatment (graded sources).")
    ] = None,
    sort: Annotated[
        Sort, typer.Option(help="Order: kind, name, or nnt (within each line of treatment).")
    ] = Sort["kind"],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """List the treatments: kind, how given, graded evidence, a one-line summary.

    \b
    Examples:
      nervecli list
      nervecli list --condition diabetes
      nervecli list --line first --sort nnt
    """
    from nervecli.domain.listing import list_treatments
    from nervecli.present.listing import list_doc
    from nervecli.records.listing import list_record

    catalogue = load(ctx)
    listing = list_treatments(
        catalogue,
        kind=kind.value if kind else None,
        condition=condition,
        line=line.value if line else None,
        sort=sort.value,
    )
    emit(
        ctx,
        fmt,
        lambda: list_doc(catalogue, listing),
        lambda: list_record(catalogue, listing),
        no_pager,
    )


@command("show")
def show(
    ctx: typer.Context,
    name: TreatmentArg,
    full: Annotated[
        bool, typer.Option("--full", help="Then every fact, section by section.")
    ] = False,
    sources: Annotated[
        bool, typer.Option("--sources", help="Print each fact's word-for-word quote under it.")
    ] = False,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """One treatment: how likely it is to help, what it involves, its risks, who should not
    have it, and which sources say so.

    \b
    Examples:
      nervecli show ketamine
      nervecli show pregabalin --full
      nervecli show ketamine --format html > ketamine.html
    """
    from nervecli.domain.decision import decide

    catalogue = load(ctx)
    _decision(ctx, catalogue, decide(catalogue, [name]), full, sources, fmt, no_pager)


def _decision(
    ctx: typer.Context,
    catalogue: Catalogue,
    decision: Decision,
    full: bool,
    quotes: bool,
    fmt: Format,
    no_pager: bool,
) -> None:
    """`show` and `compare`: the summary, or with `full` the summary then every fact."""
    from nervecli.domain.decision import detail

    if full:
        from nervecli.present.full import full_doc
        from nervecli.records.decision import full_record

        details = [detail(catalogue, t) for t in decision.treatments]
        emit(
            ctx,
            fmt,
            lambda: full_doc(catalogue, decision, details, quotes),
            lambda: full_record(catalogue, decision, details),
            no_pager,
        )
    elif len(decision.options) == 1:
        from nervecli.present.show import show_doc
        from nervecli.records.decision import show_record

        emit(
            ctx,
            fmt,
            lambda: show_doc(catalogue, decision, quotes),
            lambda: show_record(catalogue, decision),
            no_pager,
        )
    else:
        from nervecli.present.compare import compare_doc
        from nervecli.records.decision import compare_record

        emit(
            ctx,
            fmt,
            lambda: compare_doc(catalogue, decision, quotes),
            lambda: compare_record(catalogue, decision),
            no_pager,
        )


@command("compare")
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="A B [C [D]]",
            help="Two to four treatments.",
            autocompletion=_complete_treatment,
        ),
    ],
    full: Annotated[
        bool, typer.Option("--full", help="Then every fact of each, section by section.")
    ] = False,
    sources: Annotated[
        bool, typer.Option("--sources", help="Print each fact's word-for-word quote under it.")
    ] = False,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Two to four treatments side by side, question by question.

    \b
    Examples:
      nervecli compare steroid nerve-block
      nervecli compare ketamine pregabalin tramadol prolotherapy
      nervecli compare steroid nerve-block --format html > visit.html
    """
    if not 2 <= len(names) <= 4:
        raise typer.BadParameter(
            f"give 2 to 4 treatments, not {len(names)}", param_hint="'A B [C [D]]'"
        )
    from nervecli.domain.decision import decide

    catalogue = load(ctx)
    _decision(ctx, catalogue, decide(catalogue, names), full, sources, fmt, no_pager)


@command("search")
def search(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(metavar="WORDS", help="Words to look for, e.g. 'dizziness'.")
    ],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Search every treatment and condition: names, side effects, risks, quotes, ...

    \b
    Examples:
      nervecli search dizziness
      nervecli search "blood thinners"
    """
    from nervecli.cache.store import search as run_search
    from nervecli.domain.listing import family_members
    from nervecli.domain.search import query_words
    from nervecli.present.search import search_doc
    from nervecli.records.search import search_record

    try:
        if not query_words(text):
            raise typer.BadParameter("give at least one word to search for", param_hint="'WORDS'")
    except RequestError as exc:
        raise typer.BadParameter(str(exc), param_hint="'WORDS'") from None
    catalogue = load(ctx)
    hits, suggestions = run_search(catalogue, text)
    families = [h.entry_id for h in hits if h.kind == "family"]
    members = {f: family_members(catalogue, f) for f in families}
    emit(
        ctx,
        fmt,
        lambda: search_doc(catalogue, text, hits, suggestions, members),
        lambda: search_record(catalogue, text, hits, suggestions),
        no_pager,
    )


@command("conditions")
def conditions(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[NAME]",
            help="A condition; leave out to list them all.",
            autocompletion=_complete_condition,
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """The conditions, what the sources say of each, and the treatments linked to them.

    \b
    Examples:
      nervecli conditions
      nervecli conditions trigeminal-neuralgia
      nervecli conditions diabetes --format json
    """
    from nervecli.domain.conditions import all_conditions, condition_answer
    from nervecli.domain.lookup import resolve_condition
    from nervecli.present.conditions import condition_doc, conditions_doc
    from nervecli.records.conditions import condition_record, conditions_record

    catalogue = load(ctx)
    if name is None:
        answers = all_conditions(catalogue)
        emit(
            ctx,
            fmt,
            lambda: conditions_doc(catalogue, answers),
            lambda: conditions_record(catalogue, answers),
            no_pager,
        )
        return
    answer = condition_answer(catalogue, resolve_condition(catalogue, name))
    emit(
        ctx,
        fmt,
        lambda: condition_doc(catalogue, answer),
        lambda: condition_record(catalogue, answer),
        no_pager,
    )


@command("check")
def check(
    ctx: typer.Context,
    has: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            metavar="NAME",
            help="A condition you have (repeat for more).",
            autocompletion=_complete_has,
        ),
    ] = None,
    takes: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            metavar="NAME",
            help="A medicine you take (repeat for more).",
            autocompletion=_complete_takes,
        ),
    ] = None,
    pregnant: Annotated[bool, typer.Option("--pregnant", help="You are pregnant.")] = False,
    profile: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            metavar="FILE",
            help="A YAML file with has:, takes: and pregnant: (added to the options).",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """A personal screen: for every treatment, what the sources say to avoid or discuss first.

    --has takes: bleeding-disorder, active-infection, medicine-allergy, or a condition name
    (nervecli conditions lists them). --takes takes: blood-thinners. Catalogues of your own
    may add more.

    \b
    Examples:
      nervecli check --has bleeding-disorder --takes blood-thinners
      nervecli check --pregnant
      nervecli check --profile me.yaml
    """
    from nervecli.domain.screening import screen
    from nervecli.model.profile import Profile
    from nervecli.present.check import check_doc
    from nervecli.reading.profile import read_profile
    from nervecli.records.check import check_record

    given = Profile(has=list(has or []), takes=list(takes or []), pregnant=pregnant)
    merged = (read_profile(Path(profile)) if profile else Profile()) + given
    if merged.empty:
        raise typer.BadParameter("say what to check: --has, --takes, --pregnant or --profile")
    catalogue = load(ctx)
    result = screen(catalogue, merged)
    emit(
        ctx,
        fmt,
        lambda: check_doc(catalogue, result),
        lambda: check_record(catalogue, result),
        no_pager,
    )


@command("alternatives")
def alternatives(
    ctx: typer.Context,
    name: TreatmentArg,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """The alternatives the sources name, and other treatments for the same conditions.

    \b
    Examples:
      nervecli alternatives ketamine
      nervecli alternatives nerve-block --format json
    """
    from nervecli.domain.alternatives import alternatives as find
    from nervecli.domain.alternatives import named_outside
    from nervecli.present.alternatives import alternatives_doc
    from nervecli.records.alternatives import alternatives_record

    catalogue = load(ctx)
    treatment, found = find(catalogue, name)
    outside = named_outside(catalogue, treatment)
    emit(
        ctx,
        fmt,
        lambda: alternatives_doc(catalogue, treatment, found, outside),
        lambda: alternatives_record(catalogue, treatment, found, outside),
        no_pager,
    )


@command("questions")
def questions(
    ctx: typer.Context,
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...", help="One or more treatments.", autocompletion=_complete_treatment
        ),
    ],
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """Questions to take to the doctor, built from what the sources say.

    \b
    Examples:
      nervecli questions ketamine
      nervecli questions steroid nerve-block --format html > questions.html
    """
    from nervecli.domain.questions import questions as build
    from nervecli.present.questions import questions_doc
    from nervecli.records.questions import questions_record

    catalogue = load(ctx)
    groups = build(catalogue, names)
    emit(
        ctx,
        fmt,
        lambda: questions_doc(catalogue, groups),
        lambda: questions_record(catalogue, groups),
        no_pager,
    )


@command("sources")
def sources(
    ctx: typer.Context,
    name: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[ID]",
            help="A source; leave out to list them all.",
            autocompletion=_complete_source,
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    no_pager: NoPagerOption = False,
) -> None:
    """The documents behind the catalogue, or every fact one of them supports, with its quote.

    \b
    Examples:
      nervecli sources
      nervecli sources ketamine-what-to-expect
    """
    from nervecli.domain.sources import source_uses, sources_overview
    from nervecli.present.sources import source_doc, sources_doc
    from nervecli.records.sources import source_record_of, sources_record

    catalogue = load(ctx)
    if name is None:
        views = sources_overview(catalogue)
        emit(
            ctx,
            fmt,
            lambda: sources_doc(catalogue, views),
            lambda: sources_record(catalogue, views),
            no_pager,
        )
        return
    view = source_uses(catalogue, name)
    emit(
        ctx,
        fmt,
        lambda: source_doc(catalogue, view),
        lambda: source_record_of(catalogue, view),
        no_pager,
    )


@command("decide")
def decide(
    ctx: typer.Context,
    names: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="[NAME]...",
            help="1 to 4 treatments to weigh (else you are asked).",
            autocompletion=_complete_treatment,
        ),
    ] = None,
    file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--file",
            metavar="PATH",
            help="Your decision file: reopened to review and change, or printed with --format "
            "(default: a new file in $XDG_DATA_HOME/nervecli/decisions/).",
        ),
    ] = None,
    fmt: Annotated[
        Optional[Format],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Print the filled guide from --file without asking: table, json, markdown (md) "
            "or html (a handout to print).",
        ),
    ] = None,
    no_pager: NoPagerOption = False,
) -> None:
    """A personal decision guide: weigh the options by what matters to you, saved in a file
    you own. On a terminal, a short conversation: the decision, your role, the options and
    the reasons the sources give for and against each (rate how much each matters to you),
    your needs, your next steps. Never a recommendation. Modelled on the Ottawa Personal
    Decision Guide.

    \b
    Examples:
      nervecli decide
      nervecli decide pregabalin ketamine
      nervecli decide --file my-decision.yaml
      nervecli decide --file my-decision.yaml --format html > guide.html
    """
    from nervecli.cli.decide import NeedsTerminal
    from nervecli.cli.decide import decide as run_decide

    try:
        run_decide(
            settings_for(ctx).env,
            lambda: load(ctx),
            lambda doc, record, how: emit(ctx, Format(how), doc, record, no_pager),
            names or [],
            file,
            fmt.value if fmt else None,
        )
    except NeedsTerminal as exc:
        raise UsageProblem(f"{exc}.") from None


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
        try:
            emit(
                ctx,
                fmt,
                lambda: problems_doc(problems, summary),
                lambda: problems_record(problems, summary),
                no_pager=True,
            )
        finally:
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
        raise _Print(root.get_help() + "\n")
    sub = group.get_command(root, name) if isinstance(group, LazyGroup) else None
    if sub is None:
        close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.5)
        hint = f" — did you mean '{close[0]}'?" if close else ""
        raise UsageProblem(f"no command '{name}'{hint}")
    with sub.make_context(name, [], parent=root, resilient_parsing=True) as sub_ctx:
        raise _Print(sub_ctx.get_help() + "\n")


# --- the edge: errors worded for people, mapped to exit statuses ---------------------------------


def _quote_names(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def describe(exc: NerveError) -> str:
    """A domain error in words, with what to do next."""
    if isinstance(exc, NotFoundError):
        text = f"no {exc.what} '{exc.name}'"
        if exc.suggestions:
            return f"{text} — did you mean {_quote_names(exc.suggestions)}?"
        if exc.known:
            return f"{text} — the sources name: {', '.join(exc.known)}"
        listing = {
            "treatment": "nervecli list",
            "condition": "nervecli conditions",
            "source": "nervecli sources",
        }
        return f"{text} — run '{listing.get(exc.what, 'nervecli --help')}' to see them all"
    if isinstance(exc, AmbiguousError):
        names = ", ".join(exc.candidates)
        return f"'{exc.name}' matches more than one {exc.what}: {names} — be more specific"
    if isinstance(exc, ProfileError):
        return (
            f"the profile has a problem: {exc.problems[0]}"
            if exc.problems
            else "the profile has a problem"
        )
    return str(exc)


def _catalogue_problems(env: Environment, exc: CatalogueError) -> None:
    message(env, "Error: the catalogue has problems; nervecli will not start until they are fixed:")
    for problem in exc.problems[:SHOWN_PROBLEMS]:
        message(env, f"  {problem}")
    if len(exc.problems) > SHOWN_PROBLEMS:
        message(env, f"  ... and {len(exc.problems) - SHOWN_PROBLEMS} more")
    message(env, "Run 'nervecli validate' to see every problem.")


def _reserve_standard_fds() -> bool:
    """Point a closed stdin, stdout or stderr at /dev/null, so that no file this run opens
    takes its number (and a message meant for stderr never lands in, say, the cache). True
    when stdout was closed: output must then fail, not vanish."""
    closed = False
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed |= fd == 1
            try:
                devnull = os.open(os.devnull, os.O_RDWR)
                if devnull != fd:
                    os.dup2(devnull, fd)
                    os.close(devnull)
            except OSError:
                pass
    return closed


def run(args: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run nervecli with these arguments; returns the exit status."""
    env = env or Environment.from_process()
    if env.environ.get(COMPLETE_VAR):  # set but empty: an ordinary run, as click has it
        return _shell_completion(env)
    try:
        group = typer.main.get_command(app)
        result = group.main(
            args=list(args) if args is not None else None,
            prog_name="nervecli",
            standalone_mode=False,
            obj=env,
        )
        if result == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C into a silent Exit(130)
            message(env, "Error: interrupted.")
        return result if isinstance(result, int) else ExitCode.OK
    except _Print as printed:
        try:
            write(env, str(printed))
        except ReaderGone:
            return ExitCode.OK
        except OutputFault as fault:
            message(env, f"Error: cannot write the output: {fault}.")
            return ExitCode.ERROR
        return ExitCode.OK
    except ReaderGone:
        return ExitCode.OK
    except OutputFault as fault:
        message(env, f"Error: cannot write the output: {fault}.")
        return ExitCode.ERROR
    except CatalogueError as exc:
        _catalogue_problems(env, exc)
        return ExitCode.ERROR
    except NerveError as exc:
        message(env, f"Error: {describe(exc)}")
        return ExitCode.ERROR
    except UsageProblem as exc:
        message(env, f"Error: {exc} Try 'nervecli --help'.")
        return ExitCode.USAGE
    except typer.TyperException as exc:  # click's usage errors
        code = getattr(exc, "exit_code", ExitCode.USAGE)
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "nervecli"
        text = " ".join(exc.format_message().split()).rstrip(".").replace("Value error, ", "")
        message(env, f"Error: {text}. Try '{where} --help'.")
        return code
    except typer.Abort:  # Ctrl-C, turned into Abort by click
        message(env, "Error: interrupted.")
        return ExitCode.INTERRUPTED
    except KeyboardInterrupt:
        message(env, "Error: interrupted.")
        return ExitCode.INTERRUPTED
    except SystemExit as done:  # shell completion ends this way
        return done.code if isinstance(done.code, int) else ExitCode.OK


def _shell_completion(env: Environment) -> int:
    """A Tab press: Typer's completion for every shell. What the shell sends is not trusted:
    malformed COMP_* variables, or any failure, complete nothing rather than print a
    traceback into the shell."""
    from typer.completion import get_completion_inspect_parameters

    get_completion_inspect_parameters()  # Typer's completion set-up, as add_completion does
    try:
        typer.main.get_command(app).main(
            args=[], prog_name="nervecli", standalone_mode=False, obj=env
        )
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else ExitCode.OK
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception:  # whatever went wrong, a Tab press completes nothing
        return ExitCode.ERROR
    return ExitCode.OK


def main() -> None:
    """The console script: reserve the standard streams, run, exit with the status."""
    closed = _reserve_standard_fds()
    raise SystemExit(settle(run(env=Environment.from_process(stdout_closed=closed))))
