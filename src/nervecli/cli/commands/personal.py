"""Commands for one person's decision: check, alternatives, questions, sources, decide."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from nervecli.cli.group import UsageProblem, command
from nervecli.cli.options import (
    Format,
    FormatOption,
    NoPagerOption,
    TreatmentArg,
    complete_has,
    complete_source,
    complete_takes,
    complete_treatment,
    emit,
)
from nervecli.cli.root import load, settings_for


@command("check")
def check(
    ctx: typer.Context,
    has: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            metavar="NAME",
            help="A condition you have (repeat for more).",
            autocompletion=complete_has,
        ),
    ] = None,
    takes: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            metavar="NAME",
            help="A medicine you take (repeat for more).",
            autocompletion=complete_takes,
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
            metavar="NAME...", help="One or more treatments.", autocompletion=complete_treatment
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
            autocompletion=complete_source,
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
            autocompletion=complete_treatment,
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
